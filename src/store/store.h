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
#include <stdint.h>

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

/*
 * Users, browser sessions, passkeys and the tokens that sign users in.
 * Ids are UUIDs as text (STORE_ID_LEN characters); timestamps are seconds
 * since the epoch. JSON-returning functions hand back the spec's DTOs
 * (built in SQL, one definition each), as heap strings the caller frees.
 * Secrets never reach this module: callers pass SHA-256 hex of tokens.
 */
#define STORE_ID_LEN 36
#define STORE_STATIC_API_USER_ID "00000000-0000-0000-0000-000000000000"

struct store_user_input;

/* Users other than the static-API-key user. */
int store_user_count_real(struct db *db, int64_t *n);
/*
 * Creates the first user, as admin, only while there is no real user: the
 * users table is locked for the check and the insert, so of many
 * concurrent calls exactly one succeeds. PERR_CONFLICT: a user exists (or
 * the username/email is taken).
 */
int store_user_create_first(struct db *db, const struct store_user_input *u);
/* The UserDto of id; PERR_NOT_FOUND. */
int store_user_dto(struct db *db, const char *id, char **json);
/* Whether user id is disabled; PERR_NOT_FOUND. */
int store_user_is_disabled(struct db *db, const char *id, bool *disabled);
/* The id of the user whose username or email is login; PERR_NOT_FOUND. */
int store_user_find_login(struct db *db, const char *login,
    char id[STORE_ID_LEN + 1]);
/* Creates the static-API-key admin user (fixed id) if it is missing. */
int store_user_ensure_static(struct db *db, const char *username);

/* A signed-in browser, as found by its token. */
struct store_session {
	char id[STORE_ID_LEN + 1];
	char user_id[STORE_ID_LEN + 1];
	bool is_admin;
	bool disabled;
	char amr[8];			/* "phr", "otp" or "" */
	int64_t auth_time;
	int64_t created_at;
	int64_t idle_seconds;		/* since last seen */
};

int store_session_create(struct db *db, const char *token_hash,
    const char *user_id, const char *amr, int64_t ttl_seconds,
    const char *ip, const char *user_agent, char id[STORE_ID_LEN + 1]);
/* PERR_NOT_FOUND when unknown or expired. */
int store_session_find(struct db *db, const char *token_hash,
    struct store_session *out);
int store_session_touch(struct db *db, const char *id, const char *ip,
    const char *user_agent);
int store_session_delete(struct db *db, const char *id);
/* Deletes session id of user_id; PERR_NOT_FOUND when not theirs. */
int store_session_delete_own(struct db *db, const char *id,
    const char *user_id);
int store_session_delete_others(struct db *db, const char *user_id,
    const char *keep_id);
/* The user's live sessions as a JSON array, current one flagged. */
int store_session_list(struct db *db, const char *user_id,
    const char *current_id, char **json);

/* A WebAuthn ceremony in flight. */
struct store_webauthn_session {
	char *challenge;		/* base64url, as issued */
	char user_verification[16];	/* "required" or "preferred" */
	char *credential_params;	/* JSON array of offered algs */
	char user_id[STORE_ID_LEN + 1];	/* "" for login */
};
int store_webauthn_session_create(struct db *db, const char *challenge,
    const char *user_verification, const char *credential_params,
    const char *user_id, int64_t ttl_seconds, char id[STORE_ID_LEN + 1]);
/* Consumes the ceremony (single use). PERR_NOT_FOUND: unknown, used or
 * expired. */
int store_webauthn_session_take(struct db *db, const char *id,
    struct store_webauthn_session *out);
void store_webauthn_session_clear(struct store_webauthn_session *s);

struct store_credential_new {
	const char *user_id;
	const char *name;
	const uint8_t *credential_id;
	size_t credential_id_len;
	const uint8_t *public_key;
	size_t public_key_len;
	const char *attestation_type;
	const char *transports_json;	/* JSON array of strings */
	bool backup_eligible, backup_state;
	uint32_t sign_count;
	const char *aaguid;		/* UUID text or NULL */
};
/* PERR_CONFLICT when the credential ID is registered already. */
int store_credential_add(struct db *db, const struct store_credential_new *c,
    char **dto_json);

struct store_credential {
	char id[STORE_ID_LEN + 1];
	char user_id[STORE_ID_LEN + 1];
	uint8_t *public_key;		/* COSE key, owned */
	size_t public_key_len;
	uint32_t sign_count;
	bool backup_eligible;
	bool user_disabled;
};
int store_credential_find(struct db *db, const uint8_t *credential_id,
    size_t len, struct store_credential *out);
void store_credential_clear(struct store_credential *c);
int store_credential_used(struct db *db, const char *id, uint32_t sign_count,
    bool backup_state);
int store_credential_list(struct db *db, const char *user_id, char **json);
int store_credential_rename(struct db *db, const char *id,
    const char *user_id, const char *name, char **dto_json);
/* On success *name and *credential_id_hex (for the audit log) are the
 * caller's. PERR_NOT_FOUND when not the user's. */
int store_credential_delete(struct db *db, const char *id,
    const char *user_id, char **name, char **credential_id_hex);
/* excludeCredentials for registration options: JSON array. */
int store_credential_exclude_list(struct db *db, const char *user_id,
    char **json);

/* Login codes (hash of the normalised code). */
int store_login_code_create(struct db *db, const char *code_hash,
    const char *user_id, int64_t ttl_seconds, const char *device_hash);
/* Consumes the code; *device_hash is "" when not device-bound. */
int store_login_code_take(struct db *db, const char *code_hash,
    char user_id[STORE_ID_LEN + 1], char **device_hash);

int store_reauth_create(struct db *db, const char *token_hash,
    const char *user_id, int64_t ttl_seconds);
/* Consumes the user's token; *age_seconds since it was made. */
int store_reauth_take(struct db *db, const char *token_hash,
    const char *user_id, int64_t *age_seconds);

/* An API key in use: finds a live key by hash and stamps last_used_at. */
struct store_api_key_user {
	char user_id[STORE_ID_LEN + 1];
	bool is_admin;
	bool disabled;
};
int store_api_key_use(struct db *db, const char *key_hash,
    struct store_api_key_user *out);

/* Audit log (spec §8). data_json is a JSON object of strings; country
 * and city may be NULL (unknown). */
int store_audit_add(struct db *db, const char *event, const char *user_id,
    const char *ip, const char *user_agent, const char *data_json,
    const char *country, const char *city);

/* An application setting's stored value; PERR_NOT_FOUND: the default. */
int store_app_config_get(struct db *db, const char *key, char **value);
/* Stores one application setting's value (insert or replace). */
int store_app_config_set(struct db *db, const char *key, const char *value);

/*
 * OIDC provider state (src/oidc): pending interactions, grants with their
 * codes, refresh tokens and access-token rows. Codes and refresh tokens
 * are passed as SHA-256 hex; taking one marks it used in the same
 * statement and says whether this call was the first (fresh), so a replay
 * is noticed even when two requests race.
 */
struct store_interaction {
	char *client_id;
	char user_id[STORE_ID_LEN + 1];	/* "" while nobody is bound */
	char *parameters;		/* JSON object of authorize params */
	char *steps;			/* JSON array of remaining steps */
	int64_t reauthenticated_at;	/* 0: not in this interaction */
};
int store_oidc_interaction_save(struct db *db, const char *id,
    const char *client_id, const char *user_id, const char *parameters,
    const char *steps, int64_t reauthenticated_at);
/* PERR_NOT_FOUND when unknown or older than an hour. */
int store_oidc_interaction_get(struct db *db, const char *id,
    struct store_interaction *out);
void store_oidc_interaction_clear(struct store_interaction *i);
/* PERR_NOT_FOUND when it was gone already (single use). */
int store_oidc_interaction_delete(struct db *db, const char *id);

struct store_code_new {
	const char *grant_id, *client_id, *user_id, *scope, *nonce, *amr;
	int64_t auth_time;
	const char *code_hash, *redirect_uri, *code_challenge,
	    *code_challenge_method;
};
int store_oidc_code_issue(struct db *db, const struct store_code_new *c);

/* A code or refresh token taken, with the grant it belongs to. */
struct store_grant_use {
	char grant_id[STORE_ID_LEN + 1];
	char *client_id;
	char user_id[STORE_ID_LEN + 1];
	char *scope, *nonce, *redirect_uri, *code_challenge;
	char code_challenge_method[8];
	char amr[8];
	int64_t auth_time;
	bool fresh;		/* this call marked it used */
	bool unexpired;
	bool grant_active;	/* the grant was not revoked */
	/* Read by the same statement (spec §2.10, §2.3): */
	bool user_enabled;	/* the user exists and is not disabled */
	bool group_allowed;	/* the client's group restriction admits them */
	char *claims;		/* their claims (JSON), or NULL without openid */
	char *resource;		/* the API the grant is for (RFC 8707), "" */
};
/*
 * Take a code or refresh token (marking it used) and read its grant, the
 * user checks and claims in one round trip; base_url builds the picture
 * claim. The refresh token's claims are those of want_scope when not NULL.
 */
int store_oidc_code_take(struct db *db, const char *code_hash,
    const char *base_url, struct store_grant_use *out);
int store_oidc_refresh_take(struct db *db, const char *token_hash,
    const char *base_url, const char *want_scope,
    struct store_grant_use *out);
void store_oidc_grant_use_clear(struct store_grant_use *g);
/* Revokes a grant: its access tokens go, its refresh tokens are used up. */
int store_oidc_grant_revoke(struct db *db, const char *grant_id);

/* The rows of one token response, in one round trip. */
struct store_tokens_new {
	const char *jti, *grant_id, *client_id, *subject, *scope, *audience;
	int64_t expires_at;
	const char *refresh_hash;	/* NULL: no refresh token */
	const char *id_token_jti;	/* NULL: no ID token */
	int64_t refresh_minutes;
};
int store_oidc_tokens_issue(struct db *db, const struct store_tokens_new *t);

struct store_access {
	char *client_id, *subject, *scope, *audience;
	int64_t issued_at, expires_at;
	char grant_id[STORE_ID_LEN + 1];	/* "" for client tokens */
	char jti[STORE_ID_LEN + 1];		/* access tokens only */
};
/* A live access token by jti; PERR_NOT_FOUND when revoked or expired. */
int store_oidc_access_find(struct db *db, const char *jti,
    struct store_access *out);
void store_oidc_access_clear(struct store_access *a);
/* As store_oidc_access_find, with the user's claims for the token's
 * scopes (*claims NULL without openid or user) and whether that user
 * exists and is enabled: userinfo in one round trip. */
int store_oidc_access_userinfo(struct db *db, const char *jti,
    const char *base_url, struct store_access *out, char **claims,
    bool *user_enabled);
/* A live refresh token by hash, without using it up (introspection). */
int store_oidc_refresh_peek(struct db *db, const char *token_hash,
    struct store_access *out);
int store_oidc_access_delete(struct db *db, const char *jti,
    const char *client_id);
/* The claims of spec §2.3 for the scopes, and whether the user is
 * disabled. PERR_NOT_FOUND when the user is gone. */
int store_oidc_user_claims(struct db *db, const char *user_id, bool profile,
    bool email, bool groups, const char *base_url, char **json,
    bool *disabled);
/* Revokes the grants of the refresh tokens issued with an ID token. */
int store_oidc_revoke_by_id_token(struct db *db, const char *jti,
    const char *user_id);
/* Revokes every grant of user_id to client_id. */
int store_oidc_revoke_user_client(struct db *db, const char *user_id,
    const char *client_id);

/*
 * RFC 8628 device codes (store/oidc_device.c). The device code is passed
 * as SHA-256 hex, the user code already normalised.
 * store_oidc_device_issue: PERR_CONFLICT when the user code belongs to a
 * live device code (draw another).
 * store_oidc_device_find: PERR_NOT_FOUND when unknown; *client_id and
 * *scope are the caller's.
 * store_oidc_device_approve: binds the code to a new grant (grant_id, a
 * fresh UUID) of user_id; PERR_NOT_FOUND unless it was pending and
 * unexpired (so two approvals cannot both win).
 * store_oidc_device_poll: one token-endpoint poll; PERR_NOT_FOUND when
 * unknown. Uses an approved code up unless the poll came too early.
 */
int store_oidc_device_issue(struct db *db, const char *device_code_hash,
    const char *user_code, const char *client_id, const char *scope,
    const char *nonce, int expires_seconds, int interval_seconds);
int store_oidc_device_find(struct db *db, const char *user_code,
    char **client_id, char **scope, bool *unexpired, bool *approved);
int store_oidc_device_approve(struct db *db, const char *user_code,
    const char *grant_id, const char *user_id, int64_t auth_time,
    const char *amr);
struct store_device_poll {
	char *client_id, *scope, *nonce;
	char grant_id[STORE_ID_LEN + 1];	/* "" until approved */
	char user_id[STORE_ID_LEN + 1];
	char amr[8];
	int64_t auth_time;
	bool unexpired, approved, used;
	bool early;		/* polled faster than the interval */
	bool fresh;		/* this call used the code up */
	bool grant_active;
};
int store_oidc_device_poll(struct db *db, const char *device_code_hash,
    struct store_device_poll *out);
void store_oidc_device_poll_clear(struct store_device_poll *p);

/*
 * Pushed authorization requests (RFC 9126; store/oidc_par.c), by the
 * SHA-256 hex of their request_uri. parameters is the JSON object of the
 * request. store_oidc_par_take uses a live request of client_id up and
 * hands back its parameters (*parameters is the caller's); PERR_NOT_FOUND
 * when it is unknown, expired, used or another client's.
 */
int store_oidc_par_save(struct db *db, const char *request_uri_hash,
    const char *client_id, const char *parameters, int expires_seconds);
int store_oidc_par_take(struct db *db, const char *request_uri_hash,
    const char *client_id, char **parameters);

/*
 * Lists (spec §0.5): one mechanism for every list endpoint. Each endpoint
 * has a const store_list_def (its statement, which fields sort and
 * filter, default order, whether it searches); a request becomes a
 * store_list_query (admin_list_parse checks it against the def) and
 * store_list_page answers it in one statement. Adding a list: see
 * SQL_LIST in internal.h.
 */
#define STORE_LIST_LIMIT_DEFAULT 20
#define STORE_LIST_LIMIT_MAX 100
#define STORE_LIST_SCOPE_MAX 2

/* How a filter value given as text is compared with its column. */
enum store_list_type {
	STORE_LIST_TEXT,	/* as given */
	STORE_LIST_BOOL,	/* "true" or "false" */
	STORE_LIST_INT,		/* a base-10 integer */
};

struct store_list_column {
	const char *name;	/* the JSON field name: "emailVerified" */
	enum store_list_type type;
};

struct store_list_def {
	int stmt;		/* store-internal statement id */
	const struct store_list_column *sort;
	size_t n_sort;
	const struct store_list_column *filter;
	size_t n_filter;
	const char *default_sort;	/* one of sort[] */
	bool default_desc;
	bool has_search;
	size_t n_scope;		/* scope parameters of the statement */
	/* When > 0: the statement for requests with a search, stmt then
	 * serving those without (a generic plan of "$1 IS NULL OR ..."
	 * cannot use an index for the search). Same parameters. */
	int stmt_search;
};

/* A parsed request. Strings are owned (store_list_query_clear). */
struct store_list_query {
	int64_t page;		/* >= 1; the store clamps it to the end */
	int64_t limit;		/* 1..STORE_LIST_LIMIT_MAX */
	const char *sort;	/* a name in def->sort; NULL: default */
	bool desc;
	char *search;		/* NULL: no search */
	char *filters;		/* {"field": [values]} or NULL */
};
void store_list_query_clear(struct store_list_query *q);

/*
 * Answers q for def: *json (caller frees) is {"data": [...],
 * "pagination": {...}}. scope holds def->n_scope values (an owner's id).
 * PERR_INTERNAL when the def and its statement disagree or q->sort is not
 * one of def's columns; else the errors of any statement.
 */
int store_list_page(struct db *db, const struct store_list_def *def,
    const struct store_list_query *q, const char *const *scope, char **json);

extern const struct store_list_def store_list_users;
extern const struct store_list_def store_list_user_groups;
extern const struct store_list_def store_list_signup_tokens;

/*
 * The admin's users, groups, claims and signup (spec §1.4-§1.6, §1.9):
 * users_admin.c, groups.c, claims.c, signup.c. Lists of ids and claims
 * travel as JSON text: ids_json is an array of UUID strings (checked by
 * the caller), claims_json an array of {"key", "value"} objects with
 * distinct keys. Multi-row changes run in one transaction: on an error
 * nothing is written.
 */

/*
 * NFC-normalises (spec §0.4) the n strings of values in place, through
 * PostgreSQL's normalize(): each non-NULL entry must be a heap string and
 * is replaced by a new heap string (the old one is freed). A database
 * that cannot normalise (not UTF8) leaves the values as they are.
 */
int store_nfc(struct db *db, char **values, size_t n);

/* A user's fields as the admin API writes them (spec §1.5). */
struct store_user_input {
	const char *id;
	const char *username;
	const char *email;		/* NULL: none */
	const char *first_name, *last_name, *display_name;
	const char *locale;		/* NULL: none */
	bool email_verified, is_admin, disabled;
};

/* A stored user's fields that the update rules look at. */
struct store_user {
	char id[STORE_ID_LEN + 1];
	char *username;
	char *email;			/* NULL: none */
	char *ldap_id;			/* NULL: not from LDAP */
	bool email_verified, is_admin, disabled;
};
/* PERR_NOT_FOUND when there is no such user. */
int store_user_get(struct db *db, const char *id, struct store_user *out);
void store_user_clear(struct store_user *u);

/*
 * Creates user u with the groups of ids_json (strict_groups: an unknown
 * id is PERR_NOT_FOUND; else unknown ids are skipped, for default groups
 * that were deleted since) and the claims of claims_json (NULL: none).
 * PERR_CONFLICT with *conflict "id", "email" (case-insensitive) or
 * "username" (case-insensitive), checked in that order.
 */
int store_user_create(struct db *db, const struct store_user_input *u,
    const char *ids_json, bool strict_groups, const char *claims_json,
    const char **conflict);
/*
 * Replaces the fields of user u->id. Disabling a user ends all of their
 * browser sessions in the same transaction. PERR_NOT_FOUND,
 * PERR_CONFLICT (*conflict as above).
 */
int store_user_update(struct db *db, const struct store_user_input *u,
    const char **conflict);
/* Sets only the locale (LDAP-managed users, spec §1.5). */
int store_user_set_locale(struct db *db, const char *id, const char *locale);
/* Deletes a user; the schema cascades to everything they own. */
int store_user_delete(struct db *db, const char *id);
/* Replaces the user's groups; PERR_NOT_FOUND with *missing "User" or
 * "User group". Bumps the changed groups' updated_at. */
int store_user_groups_set(struct db *db, const char *user_id,
    const char *ids_json, const char **missing);
/* [UserGroupDto] of the user's groups. */
int store_user_groups_dto(struct db *db, const char *user_id, char **json);

/* User groups: UserGroupDto JSON in *dto (caller frees). PERR_CONFLICT:
 * the name is taken. PERR_NOT_FOUND: no such group. */
int store_group_create(struct db *db, const char *id,
    const char *friendly_name, const char *name, char **dto);
int store_group_update(struct db *db, const char *id,
    const char *friendly_name, const char *name, char **dto);
int store_group_delete(struct db *db, const char *id);
int store_group_dto(struct db *db, const char *id, char **dto);
/* *ldap_id: the group's LDAP id or NULL (caller frees). */
int store_group_ldap_id(struct db *db, const char *id, char **ldap_id);
/* Replaces the members; PERR_NOT_FOUND with *missing "User group" or
 * "User". */
int store_group_users_set(struct db *db, const char *id,
    const char *ids_json, const char **missing, char **dto);
/* The same for the OIDC clients the group may use (spec §1.6); an
 * unknown client id is *missing "OIDC client". */
int store_group_clients_set(struct db *db, const char *id,
    const char *ids_json, const char **missing, char **dto);

/* Custom claims (spec §1.9). *json: the owner's claims afterwards,
 * [{key, value}]. PERR_NOT_FOUND: no such user or group. */
int store_claims_suggestions(struct db *db, char **json);
int store_claims_user_set(struct db *db, const char *user_id,
    const char *claims_json, char **json);
int store_claims_group_set(struct db *db, const char *group_id,
    const char *claims_json, char **json);

/*
 * Signup tokens (spec §1.4), stored as the SHA-256 hex of the token.
 * Create: *dto is the token's JSON with token as its "token";
 * PERR_NOT_FOUND when a group id is unknown.
 */
int store_signup_token_create(struct db *db, const char *id,
    const char *token_hash, const char *token, int64_t ttl_seconds,
    int64_t usage_limit, const char *ids_json, char **dto);
int store_signup_token_delete(struct db *db, const char *id);
/*
 * Signs user u up in one transaction: takes one use of the token whose
 * hash is token_hash (NULL: open signup; PERR_EXPIRED when it is unknown,
 * expired or used up, and then no use is taken), creates the user with
 * the token's groups, or default_groups_json when it has none (unknown
 * ids skipped), and the claims of default_claims_json. PERR_CONFLICT
 * with *conflict as for store_user_create. *token_id (may be NULL)
 * receives the token's id.
 */
int store_signup(struct db *db, const char *token_hash,
    const struct store_user_input *u, const char *default_groups_json,
    const char *default_claims_json, const char **conflict,
    char token_id[STORE_ID_LEN + 1]);

/*
 * LISTEN/NOTIFY, for the few caches a worker keeps (DESIGN §1: the signing
 * keys), so that a change made by another process or replica is noticed
 * without a round trip per request. Channels are a fixed table
 * (statements.c), never names from input.
 */
enum db_channel {
	DB_CHANNEL_SIGNING_KEYS,
	DB_CHANNEL_COUNT
};

/*
 * Subscribes this connection to ch (one statement; connects first if
 * needed). The subscription ends with the connection: compare
 * db_connection_serial() with its value after this call to know whether
 * a reconnect dropped it. Errors as for any statement.
 */
int db_listen(struct db *db, enum db_channel ch);

/*
 * Sends a notification on ch. Inside a transaction it is delivered when
 * the transaction commits, and never if it rolls back.
 */
int db_notify(struct db *db, enum db_channel ch);

/*
 * Takes in what the server sent since the last call, with one
 * non-blocking read and no round trip, and sets *notified to whether a
 * notification on ch arrived since ch was last asked about (notifications
 * on other channels are kept for their own call). Never connects:
 * PERR_DB_UNAVAILABLE when there is no working connection, or when this
 * read found it dead (then the next statement reconnects and the
 * subscription is gone). PERR_INTERNAL inside a transaction.
 */
int db_poll_notifications(struct db *db, enum db_channel ch, bool *notified);

/*
 * A counter that grows at every successful connect or reconnect (0 before
 * the first). A reconnect drops LISTEN subscriptions, and notifications
 * sent while the connection was down are lost for good.
 */
uint64_t db_connection_serial(const struct db *db);

/*
 * Signing keys (sql/0003_signing_keys.sql): the sealed private JWKs and
 * their lifetimes. Sealing and the meaning of the rows belong to
 * src/keys; this layer stores text and seconds since the epoch.
 */
#define STORE_SIGNING_KEYS_MAX 64	/* rows loaded at most */
#define STORE_SEALED_MAX (64u * 1024u) /* longest sealed value, bytes */

struct store_signing_key {
	char *kid;
	char *alg;
	char *sealed_jwk;	/* a secret at rest: wiped when cleared */
	int64_t created_at;
	int64_t signs_from;
	bool is_retired;	/* false: the newest key */
	int64_t retired_at;	/* when is_retired */
	int64_t verify_until;	/* when is_retired */
};

struct store_signing_keys {
	struct store_signing_key *v;	/* oldest signs_from first */
	size_t n;
};

/*
 * Transaction-scoped advisory lock that serialises every change to the
 * signing keys and sealed values (first start, key-rotate,
 * encryption-key-rotate) across processes and replicas. Only inside a
 * transaction (PERR_INTERNAL otherwise); released at commit or rollback.
 */
int store_keys_lock(struct db *db);

/*
 * kv instance_id (spec §4.3): returns the stored id in *out (heap, caller
 * frees), first storing candidate when there is none (or it is empty).
 */
int store_instance_id_ensure(struct db *db, const char *candidate,
    char **out);

/*
 * The signing keys, or with only_published those whose verify_until is
 * still ahead (or unset). *out is the caller's (store_signing_keys_clear).
 * PERR_TOO_LARGE when there are more than STORE_SIGNING_KEYS_MAX.
 */
int store_signing_keys_list(struct db *db, bool only_published,
    struct store_signing_keys *out);
void store_signing_keys_clear(struct store_signing_keys *keys);

/* Adds the newest key, signing in signs_in_s seconds (0: now).
 * PERR_CONFLICT when the kid exists or another key is the newest. */
int store_signing_key_add(struct db *db, const char *kid, const char *alg,
    const char *sealed_jwk, int64_t signs_in_s);

/*
 * Retires the newest key: it stops signing in stops_in_s seconds and
 * verifies verify_for_s seconds longer. *kid (heap, caller frees; may be
 * NULL) and *verify_until receive what was retired; PERR_NOT_FOUND when
 * no key was the newest.
 */
int store_signing_key_retire_newest(struct db *db, int64_t stops_in_s,
    int64_t verify_for_s, char **kid, int64_t *verify_until);

/* Replaces the sealed JWK of kid (PERR_NOT_FOUND when absent). */
int store_signing_key_reseal(struct db *db, const char *kid,
    const char *sealed_jwk);

/* Deletes the keys whose verify_until has passed; *n (may be NULL) gets
 * how many. */
int store_signing_keys_purge(struct db *db, size_t *n);

/*
 * OIDC clients (store/client.c; spec §1.7, §2.5, §2.9, §2.10). DTOs come
 * back as JSON built in SQL (internal.h SQL_OIDC_*). Ids of clients are
 * text (UUIDs or custom ids), of users and groups UUIDs. Secret values
 * never reach this module: callers pass SHA-256 hex.
 */
struct store_client_write {
	const char *id;
	const char *name, *description;
	const char *callback_urls_json;	/* JSON arrays of strings */
	const char *logout_callback_urls_json;
	const char *credentials_json;	/* {"federatedIdentities": [...]} */
	const char *launch_url;		/* NULL: none */
	const char *created_by;		/* user id (create only) */
	bool is_public, pkce_enabled, requires_reauthentication,
	    requires_par, skip_consent, is_group_restricted;
	bool pkce_enabled_requested;	/* as sent (update: false resets
					 * pkceSupported) */
	int64_t access_token_minutes, refresh_token_minutes;
};
/* Creates a client; *json is its OidcClientDto + allowedUserGroups.
 * PERR_CONFLICT: the id is taken. */
int store_client_create(struct db *db, const struct store_client_write *w,
    char **json);
/* Rewrites the admin-editable fields (not secrets, not groups; lifting
 * the restriction clears the groups). PERR_NOT_FOUND. */
int store_client_update(struct db *db, const struct store_client_write *w,
    char **json);
/* OidcClientDto + allowedUserGroups; PERR_NOT_FOUND. */
int store_client_dto(struct db *db, const char *id, char **json);
/* OidcClientMetaDataDto; PERR_NOT_FOUND. */
int store_client_meta(struct db *db, const char *id, char **json);
/* Deletes the client and, by cascade, its secrets, groups and consents.
 * PERR_NOT_FOUND. */
int store_client_delete(struct db *db, const char *id);
/* Replaces the allowed groups with those of group_ids_json (a JSON array
 * of UUIDs; unknown ones skipped); *json is the OidcClientDto.
 * PERR_NOT_FOUND. */
int store_client_set_groups(struct db *db, const char *id,
    const char *group_ids_json, char **json);
/*
 * The client for the protocol code as one JSON object (id, name,
 * launch_url, is_public, pkce_enabled, requires_reauthentication,
 * requires_par, skip_consent, is_group_restricted, callback_urls,
 * logout_callback_urls, access_token_minutes, refresh_token_minutes,
 * secrets: [{alg, hash}] of the active secrets, newest first, empty
 * unless with_secrets). PERR_NOT_FOUND.
 */
int store_client_load(struct db *db, const char *id, bool with_secrets,
    char **json);
/* [OidcClientSecretDto], expired ones included; PERR_NOT_FOUND. */
int store_client_secrets_list(struct db *db, const char *client_id,
    char **json);
struct store_client_secret_new {
	const char *id;		/* a fresh UUID */
	const char *client_id;
	const char *hash;	/* SHA-256 hex of the value */
	const char *prefix;	/* its first characters, or "" */
	const char *expires_at;	/* RFC 3339, or NULL: never */
	size_t max_per_client;
};
/*
 * Adds a secret under the client's row lock; *json is its
 * OidcClientSecretDto. Errors: PERR_NOT_FOUND (no client),
 * PERR_FORBIDDEN (a public client), PERR_TOO_LARGE (max_per_client
 * reached), PERR_EXPIRED (expires_at is not in the future).
 */
int store_client_secret_add(struct db *db,
    const struct store_client_secret_new *s, char **json);
/* Deletes a secret of a client. PERR_NOT_FOUND with *client_exists
 * telling which of the two was missing. */
int store_client_secret_delete(struct db *db, const char *client_id,
    const char *secret_id, bool *client_exists);
/* Whether user_id is in one of the client's allowed groups. */
int store_client_in_allowed_group(struct db *db, const char *client_id,
    const char *user_id, bool *allowed);
/* Consent: keys_json is a JSON array of strings. */
int store_consent_covers(struct db *db, const char *user_id,
    const char *client_id, const char *keys_json, bool *covered,
    bool *exists);
int store_consent_merge(struct db *db, const char *user_id,
    const char *client_id, const char *keys_json, bool *was_new);
/* PERR_NOT_FOUND when there was none. */
int store_consent_delete(struct db *db, const char *user_id,
    const char *client_id);
/*
 * Federated client assertions: a JWKS document cached by URL (*age_s
 * since it was fetched; PERR_NOT_FOUND when never), and the single use
 * of an assertion's key (issuer and jti) until exp: *fresh false means
 * it was seen before and has not expired.
 */
int store_federated_jwks_get(struct db *db, const char *url, char **jwks,
    int64_t *age_s);
int store_federated_jwks_put(struct db *db, const char *url,
    const char *jwks);
int store_jti_use(struct db *db, const char *key, int64_t exp, bool *fresh);
/* Lists: clients (admin), a user's consents and a user's usable clients
 * (scope: the user id). */
extern const struct store_list_def store_list_oidc_clients;
extern const struct store_list_def store_list_oidc_authorized;
extern const struct store_list_def store_list_oidc_accessible;
/* ---- admin-config: settings, API keys, audit-log reads ---------------- */

/*
 * The stored application settings as one JSON object {key: value} (keys
 * without a row are at their default). *json is the caller's.
 */
int store_app_config_list(struct db *db, char **json);
/*
 * Replaces every stored setting by the members of json_object (a JSON
 * object of strings; values are opaque here, sealed by the caller where
 * secret), in one transaction that concurrent replacements wait for.
 * db must not be in a transaction. PERR_INVALID: not such an object.
 */
int store_app_config_replace(struct db *db, const char *json_object);

/* A new API key (spec §1.13); the token itself never comes here. */
struct store_api_key_new {
	const char *user_id;
	const char *name;
	const char *description;	/* NULL: none */
	const char *expires_at;		/* RFC 3339 */
	const char *key_hash;		/* SHA-256 hex of the token */
};
/* Inserts the key; *dto_json is its ApiKeyDto. */
int store_api_key_create(struct db *db, const struct store_api_key_new *k,
    char **dto_json);
/*
 * Gives user_id's expired key id a new hash and expiry; *dto_json is its
 * ApiKeyDto. PERR_NOT_FOUND: no such key of theirs; PERR_CONFLICT: it has
 * not expired yet.
 */
int store_api_key_renew(struct db *db, const char *id, const char *user_id,
    const char *key_hash, const char *expires_at, char **dto_json);
/* PERR_NOT_FOUND when user_id has no key id. */
int store_api_key_delete(struct db *db, const char *id, const char *user_id);
/* Whether an RFC 3339 time lies in the future by the database's clock. */
int store_time_is_future(struct db *db, const char *rfc3339, bool *future);

/* The distinct data.clientName of the audit log, as a JSON array. */
int store_audit_client_names(struct db *db, char **json);
/* {"<user id>": "<username>"} of users with audit events, as JSON. */
int store_audit_users(struct db *db, char **json);
/*
 * Deletes audit rows older than days, unless another connection holds the
 * retention lock (then *deleted is -1 and nothing is done). One
 * transaction. db must not be in a transaction.
 */
int store_audit_purge(struct db *db, int64_t days, long long *deleted);

/* Their lists (store_list_page): own keys and own events take the user's
 * id as scope; the admin's list of every event takes none. */
extern const struct store_list_def store_list_api_keys;
extern const struct store_list_def store_list_audit_own;
extern const struct store_list_def store_list_audit_all;

/* The longest access_token_duration_minutes of any client (0: none). */
int store_client_longest_access_minutes(struct db *db, int64_t *minutes);

/* Deletes expired sessions, ceremonies, codes and tokens (daily). */
int store_housekeeping(struct db *db);

/*
 * images: stored objects (spec §5.5, sql/0009_images.sql), one row of
 * table storage per path. Content is at most STORE_FILE_MAX bytes.
 * Getters set *data (caller frees), *len and *content_type (caller frees)
 * and return PERR_NOT_FOUND when there is no such object. Deleting a user
 * or a client deletes its images (triggers, same transaction).
 */
#define STORE_FILE_MAX ((size_t)4 * 1024 * 1024)
#define STORE_FILE_PATH_MAX 512
struct store_file {
	uint8_t *data;
	size_t len;
	char *content_type;
};
/* Frees what f holds; accepts a zeroed f. */
void store_file_clear(struct store_file *f);
int store_file_get(struct db *db, const char *path, struct store_file *out);
/* Inserts or replaces the object at path. */
int store_file_put(struct db *db, const char *path, const uint8_t *data,
    size_t len, const char *content_type);
/* PERR_NOT_FOUND when nothing was at path. */
int store_file_delete(struct db *db, const char *path);
/* The newest object whose path starts with prefix (an image stored under
 * its name with any extension: "application-images/logoLight."). */
int store_file_get_prefix(struct db *db, const char *prefix,
    struct store_file *out);
/* Stores path and removes every other object under prefix. */
int store_file_put_prefix(struct db *db, const char *prefix,
    const char *path, const uint8_t *data, size_t len,
    const char *content_type);
/* PERR_NOT_FOUND when no object was under prefix. */
int store_file_delete_prefix(struct db *db, const char *prefix);
/* profile-pictures/<user_id>.png; PERR_NOT_FOUND: no such user. */
int store_file_put_user_picture(struct db *db, const char *user_id,
    const uint8_t *png, size_t len);
/* A user's names for the initials avatar (each a string the caller
 * frees; "" when unset). PERR_NOT_FOUND: no such user. */
int store_file_user_names(struct db *db, const char *user_id, char **first,
    char **last, char **username);
/* A client's light or dark logo. PERR_NOT_FOUND: no client or no logo. */
int store_file_client_logo_get(struct db *db, const char *client_id,
    bool dark, struct store_file *out);
/* Stores a client's logo with extension ext (records it on the client
 * row). PERR_NOT_FOUND: no such client. */
int store_file_client_logo_put(struct db *db, const char *client_id,
    bool dark, const char *ext, const uint8_t *data, size_t len,
    const char *content_type);
/* PERR_NOT_FOUND: no such client, or it has no such logo. */
int store_file_client_logo_delete(struct db *db, const char *client_id,
    bool dark);
/* ---- OAuth APIs (spec §1.8, §2.11; store/apis.c) ---------------------
 * The admin statements answer JSON built in SQL (*json, caller frees):
 * ApiDto, grant rows. PERR_NOT_FOUND when the API (or client) is
 * missing, PERR_CONFLICT when a resource is taken. Ids are UUID text,
 * id lists jsonb arrays of UUID strings.
 */
int store_api_create(struct db *db, const char *id, const char *name,
    const char *resource, char **json);
int store_api_get(struct db *db, const char *id, char **json);
int store_api_rename(struct db *db, const char *id, const char *name,
    char **json);
int store_api_delete(struct db *db, const char *id);
/* Replaces the permissions by key; perms_json [{key,name,description}]. */
int store_api_permissions_set(struct db *db, const char *id,
    const char *perms_json);
/* How many of ids_json are not permissions of the API. */
int store_api_permissions_foreign(struct db *db, const char *id,
    const char *ids_json, long long *n);
int store_api_cimd_set(struct db *db, const char *id, bool enabled,
    const char *ids_json);
int store_api_grant_set(struct db *db, const char *api_id,
    const char *client_id, bool user_access, bool client_access,
    const char *user_ids_json, const char *client_ids_json);
int store_api_grant_get(struct db *db, const char *api_id,
    const char *client_id, char **json);
int store_api_grant_delete(struct db *db, const char *api_id,
    const char *client_id);
/* [{api: ApiDto, ...grant fields}] of a client; PERR_NOT_FOUND: none. */
int store_api_access_apis(struct db *db, const char *client_id,
    char **json);
extern const struct store_list_def store_list_apis;
extern const struct store_list_def store_list_api_clients;
extern const struct store_list_def store_list_api_assignable_clients;
extern const struct store_list_def store_list_api_assignable_apis;

/*
 * Resolution (spec §2.11). store_api_resolve: the API of audience
 * resource as client_id sees it for subject ("user" or "client"):
 * *has_access, and *keys the granted permission keys space-separated
 * (caller frees). PERR_NOT_FOUND: no such API.
 */
int store_api_resolve(struct db *db, const char *resource,
    const char *client_id, const char *subject, bool *has_access,
    char **keys);
/* Whether one of keys (space-separated) is an API permission the client
 * was granted on some API. */
int store_api_client_has_keys(struct db *db, const char *client_id,
    const char *keys, bool *found);
/* [{key, name, description?}] of the keys on the API (caller frees). */
int store_api_scope_info(struct db *db, const char *resource,
    const char *keys, char **json);
/* The resource a grant or a device code is for ("" none; *out caller's). */
int store_api_grant_resource_set(struct db *db, const char *grant_id,
    const char *resource);
int store_api_grant_resource_get(struct db *db, const char *grant_id,
    char **out);
int store_api_device_resource_set(struct db *db, const char *code_hash,
    const char *resource);
int store_api_device_resource_get(struct db *db, const char *user_code,
    char **out);
/* Copies an approved device code's resource to its grant. */
int store_api_device_resource_to_grant(struct db *db, const char *user_code);
/*
 * OAuth Client ID Metadata Documents (store/cimd.c, spec §2.12).
 * store_cimd_state: PERR_NOT_FOUND for an unknown id; else *is_cimd
 * (client_type 'cimd'), *expired (its metadata is due for a fetch) and,
 * when grants is not NULL, the declared grant types as a JSON array
 * (caller frees).
 * store_cimd_upsert: creates or refreshes the metadata-document client
 * id from a validated document (JSON arrays as text), its metadata
 * valid ttl_s seconds; consents are dropped when redirect URIs, logout
 * URIs or grant types changed. PERR_CONFLICT when id is a registered
 * client. store_cimd_admin_update: the admin-writable fields of a
 * metadata-document client (w's other fields are ignored); *json as
 * store_client_update; PERR_NOT_FOUND when it is not one.
 */
int store_cimd_state(struct db *db, const char *id, bool *is_cimd,
    bool *expired, char **grants);
int store_cimd_upsert(struct db *db, const char *id, const char *name,
    const char *redirect_uris_json, const char *logout_uris_json,
    const char *grant_types_json, int64_t ttl_s);
int store_cimd_admin_update(struct db *db, const struct store_client_write *w,
    char **json);

#endif
