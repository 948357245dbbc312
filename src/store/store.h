/*
 * store: everything that talks to PostgreSQL. One struct db is one libpq
 * connection owned by one single-threaded worker (or CLI command); nothing
 * here is shared between processes or threads. All SQL lives in this
 * module: a const table of prepared statements (statements.c) with text
 * parameters, and the forward-only migration files under sql/. No libpq
 * type crosses this header: store functions return C values.
 *
 * Connection loss: a call that finds the connection dead (or the server
 * shutting down) returns PERR_DB_UNAVAILABLE and the next call reconnects
 * first (PQreset), re-preparing statements as they are used. So after a
 * PostgreSQL restart one request fails with 503 and the next one works,
 * without restarting the process. A transaction cut by a lost connection
 * stays failed (every call returns PERR_DB_UNAVAILABLE) until the caller
 * ends it with db_rollback() or db_commit(), so no statement meant for it
 * silently runs outside it.
 */
#ifndef POCKETID_STORE_H
#define POCKETID_STORE_H

#include <stdbool.h>
#include <stddef.h>

struct db;

/* Longest connection string we accept (DB_CONNECTION_STRING). */
#define DB_CONNINFO_MAX 4096

/*
 * Validates conninfo (a postgresql:// URL or key=value conninfo) and makes
 * a handle that connects on first use. For workers that must start while
 * PostgreSQL is down. On success *out is the caller's (db_close).
 * Errors: PERR_CONFIG (conninfo does not parse; the reason is logged
 * without the string, which may hold a password), PERR_NOMEM.
 */
int db_new(const char *conninfo, struct db **out);

/*
 * db_new and connect now. Errors: those of db_new, PERR_DB_UNAVAILABLE
 * (server unreachable or login refused; the reason is logged and kept
 * for db_error_message). On any error nothing is allocated.
 * Unless the conninfo says otherwise, connect_timeout is 10 s and
 * application_name is "pocket-id".
 */
int db_open(const char *conninfo, struct db **out);

/* Closes the connection and frees db; accepts NULL. */
void db_close(struct db *db);

/*
 * One round trip ("SELECT 1"), reconnecting first if the last call lost the
 * connection. PERR_OK when PostgreSQL answers, PERR_DB_UNAVAILABLE when it
 * does not. For /healthz.
 */
int db_ping(struct db *db);

/*
 * Transactions. db_begin fails with PERR_INTERNAL when one is already
 * open. db_commit and db_rollback always end the transaction as far as db
 * is concerned; db_rollback on a lost connection returns PERR_OK (the
 * server already discarded the work). Errors as for any statement.
 */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/*
 * The message of the last failure on db (PostgreSQL's primary message and
 * SQLSTATE, or libpq's), for logs and the CLI; "" when none. Valid until
 * the next call on db.
 */
const char *db_error_message(const struct db *db);

/*
 * kv: small named values (spec §5.2 kv). store_kv_get sets *value to a
 * heap copy the caller frees; PERR_NOT_FOUND when the key is absent.
 * store_kv_set inserts or replaces. Keys are at most STORE_KV_KEY_MAX
 * bytes (PERR_TOO_LARGE). Plus the errors of any statement.
 */
#define STORE_KV_KEY_MAX 255
int store_kv_get(struct db *db, const char *key, char **value);
int store_kv_set(struct db *db, const char *key, const char *value);

/*
 * Migrations: sql/NNNN_name.sql, forward only, version NNNN (1..9999).
 * The binary embeds the files of its source tree (build-aux/embed-sql).
 */
#define MIGRATION_FILE_MAX ((size_t)1024 * 1024)
#define MIGRATION_NAME_MAX 64
#define MIGRATION_VERSION_MAX 9999
#define MIGRATIONS_MAX 1024

struct migration {
	int version;		/* NNNN */
	const char *file;	/* "NNNN_name.sql" */
	const char *sql;	/* the file's bytes, NUL-terminated */
	size_t sql_len;
};

struct migration_set {
	const struct migration *items;	/* ascending versions */
	size_t n;
};

/* The migrations compiled into this binary. */
extern const struct migration_set store_migrations_embedded;

/*
 * Reads every NNNN_name.sql file of dir (other names are ignored; a file
 * that looks like a migration but is not named right is an error) into a
 * set the caller frees with store_migrations_free. Errors: PERR_IO,
 * PERR_INVALID, PERR_TOO_LARGE, PERR_NOMEM; *why (heap, caller frees) says
 * which file and why.
 */
int store_migrations_load_dir(const char *dir, struct migration_set **out,
    char **why);
void store_migrations_free(struct migration_set *set);

struct migrate_options {
	/* Verify and report what is pending, apply nothing. */
	bool check_only;
};

struct migrate_report {
	int version_before;	/* highest applied version before the run */
	int version_after;	/* and after it */
	int version_known;	/* highest version in the set */
	size_t first;		/* set index of the first pending one */
	size_t n_applied;	/* applied now (pending if check_only) */
	char *error;		/* heap message on failure, else NULL */
};

/*
 * Brings the database up to the set. Under a session advisory lock (so
 * replicas starting together apply each file once), it makes sure the
 * table schema_migrations_pocketid exists, then refuses (PERR_CONFLICT)
 * when an applied file's SHA-256 differs from the set's, when the database
 * has a version newer than the set knows, or when an applied version is
 * missing from the set or a pending one is older than an applied one.
 * Then it applies each pending file in its own transaction together with
 * its checksum row. A statement that fails rolls its whole file back and
 * stops the run (earlier files stay applied); the error names the file,
 * the line and the first line of the statement, with PostgreSQL's message.
 * db must not be inside a transaction. opt may be NULL.
 * The report is filled on success and failure alike; release it with
 * store_migrate_report_free. Errors: PERR_CONFLICT, PERR_INVALID (a file
 * does not split, or the set is malformed), PERR_DB, PERR_DB_UNAVAILABLE,
 * PERR_NOMEM, PERR_INTERNAL (called inside a transaction).
 */
int store_migrate(struct db *db, const struct migration_set *set,
    const struct migrate_options *opt, struct migrate_report *report);
void store_migrate_report_free(struct migrate_report *report);

#endif
