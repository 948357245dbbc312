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

/*
 * Transaction-scoped advisory lock of everything that creates or changes
 * signing keys or sealed values (first start, key-rotate,
 * encryption-key-rotate): the ASCII bytes "pid-keys" as a big-endian int64.
 */
#define KEYS_LOCK_KEY "8100115551040665971"

/* Seconds since the epoch, rounded down, as text libpq hands back. */
#define EPOCH(col) "floor(extract(epoch FROM " col "))::bigint"

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

	/*
	 * Signing keys (signing_keys.c; sql/0003). The instance id upsert is
	 * Pocket ID's: it creates the id once, keeps an existing one, and
	 * replaces only an empty value.
	 */
	[STMT_KEYS_LOCK] = { "keys_lock",
	    "SELECT pg_advisory_xact_lock(" KEYS_LOCK_KEY ")", 0 },
	[STMT_KEYS_INSTANCE_ID] = { "keys_instance_id",
	    "INSERT INTO kv (key, value) VALUES ('instance_id', $1) "
	    "ON CONFLICT (key) DO UPDATE SET value = CASE "
	    "WHEN kv.value = '' THEN EXCLUDED.value ELSE kv.value END "
	    "RETURNING value", 1 },
	/* $1 true: only keys still published (verify_until in the future). */
	[STMT_KEYS_LIST] = { "keys_list",
	    "SELECT kid, alg, sealed_jwk, " EPOCH("created_at") ", "
	    EPOCH("signs_from") ", " EPOCH("retired_at") ", "
	    EPOCH("verify_until") " FROM signing_keys "
	    "WHERE NOT $1::boolean OR verify_until IS NULL "
	    "OR verify_until > now() "
	    "ORDER BY signs_from, created_at, kid LIMIT $2::integer", 2 },
	[STMT_KEYS_ADD] = { "keys_add",
	    "INSERT INTO signing_keys (kid, alg, sealed_jwk, signs_from) "
	    "VALUES ($1, $2, $3, now() + $4::bigint * interval '1 second')",
	    4 },
	/* $1: seconds until the next key signs; $2: verification after. */
	[STMT_KEYS_RETIRE_NEWEST] = { "keys_retire_newest",
	    "UPDATE signing_keys SET "
	    "retired_at = now() + $1::bigint * interval '1 second', "
	    "verify_until = now() + ($1::bigint + $2::bigint) "
	    "* interval '1 second' WHERE retired_at IS NULL "
	    "RETURNING kid, " EPOCH("verify_until"), 2 },
	[STMT_KEYS_RESEAL] = { "keys_reseal",
	    "UPDATE signing_keys SET sealed_jwk = $2 WHERE kid = $1", 2 },
	[STMT_KEYS_PURGE] = { "keys_purge",
	    "DELETE FROM signing_keys WHERE verify_until <= now()", 0 },
	[STMT_KEYS_LISTEN] = { "keys_listen", "LISTEN pocketid_signing_keys",
	    0 },
	[STMT_KEYS_NOTIFY] = { "keys_notify",
	    "SELECT pg_notify('pocketid_signing_keys', '')", 0 },
};

const struct channel_def db_channels[DB_CHANNEL_COUNT] = {
	[DB_CHANNEL_SIGNING_KEYS] = { "pocketid_signing_keys",
	    STMT_KEYS_LISTEN, STMT_KEYS_NOTIFY },
};
