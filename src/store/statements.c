/*
 * statements: the one table of SQL the service runs (migration files
 * aside). Each row is prepared once per connection, on first use, with
 * text parameters $1..$n. Entity files add an enum stmt value in
 * internal.h and a row here; nothing builds SQL from strings.
 */
#include "store/internal.h"

/*
 * Advisory lock key of the migration runner: the ASCII bytes "pocketid"
 * read as a big-endian int64 (0x706f636b65746964). Fixed forever, so that
 * every version of pocket-id serialises on the same key.
 */
#define MIGRATION_LOCK_KEY "8102099357864587364"

const struct stmt_def db_statements[STMT_COUNT] = {
	[STMT_PING] = { "ping", "SELECT 1", 0 },
	[STMT_BEGIN] = { "tx_begin", "BEGIN", 0 },
	[STMT_COMMIT] = { "tx_commit", "COMMIT", 0 },
	[STMT_ROLLBACK] = { "tx_rollback", "ROLLBACK", 0 },

	[STMT_KV_GET] = { "kv_get",
	    "SELECT value FROM kv WHERE key = $1", 1 },
	[STMT_KV_SET] = { "kv_set",
	    "INSERT INTO kv (key, value) VALUES ($1, $2) "
	    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", 2 },

	[STMT_MIG_TRY_LOCK] = { "mig_try_lock",
	    "SELECT pg_try_advisory_lock(" MIGRATION_LOCK_KEY ")", 0 },
	[STMT_MIG_LOCK] = { "mig_lock",
	    "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")", 0 },
	[STMT_MIG_UNLOCK] = { "mig_unlock",
	    "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")", 0 },
	[STMT_MIG_ENSURE_TABLE] = { "mig_ensure_table",
	    "CREATE TABLE IF NOT EXISTS schema_migrations_pocketid ("
	    " version integer PRIMARY KEY,"
	    " name text NOT NULL,"
	    " sha256 text NOT NULL,"
	    " applied_at timestamptz NOT NULL DEFAULT now())", 0 },
	[STMT_MIG_LIST] = { "mig_list",
	    "SELECT version, name, sha256 FROM schema_migrations_pocketid "
	    "ORDER BY version", 0 },
	[STMT_MIG_RECORD] = { "mig_record",
	    "INSERT INTO schema_migrations_pocketid (version, name, sha256) "
	    "VALUES ($1, $2, $3)", 3 },
};
