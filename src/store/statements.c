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

/*
 * The claims of spec §2.3 of user uid for the scopes whose flags are
 * given, as jsonb (NULL when the user is gone). Every statement that needs
 * claims carries this one expression, so that its plan is prepared with
 * theirs: PostgreSQL before 18 plans the body of an SQL function again at
 * every call, which cost more than the rest of the userinfo statement
 * (sql/0013 dropped the function that held it).
 */
#define SQL_USER_CLAIMS(uid, profile, email, groups, base) \
	"(SELECT jsonb_build_object('sub', u.id::text) " \
	"|| CASE WHEN " profile " THEN " \
	"coalesce((SELECT jsonb_object_agg(k, v) FROM (" \
	"SELECT DISTINCT ON (c.key) c.key AS k, " \
	"pocketid_claim_value(c.value) AS v FROM custom_claims c " \
	"LEFT JOIN user_groups_users ug ON ug.user_group_id = " \
	"c.user_group_id AND ug.user_id = u.id " \
	"WHERE c.user_id = u.id OR ug.user_id IS NOT NULL " \
	"ORDER BY c.key, (c.user_id IS NULL)) cc), '{}'::jsonb) " \
	"|| jsonb_build_object('given_name', coalesce(u.first_name, ''), " \
	"'family_name', coalesce(u.last_name, ''), " \
	"'name', coalesce(nullif(trim(coalesce(u.first_name, '') || ' ' " \
	"|| coalesce(u.last_name, '')), ''), nullif(u.display_name, ''), " \
	"u.username::text), 'display_name', u.display_name, " \
	"'preferred_username', u.username::text, " \
	"'picture', " base " || '/api/users/' || u.id || " \
	"'/profile-picture.png') ELSE '{}'::jsonb END " \
	"|| CASE WHEN " email " AND coalesce(u.email, '') <> '' THEN " \
	"jsonb_build_object('email', u.email, 'email_verified', " \
	"u.email_verified) ELSE '{}'::jsonb END " \
	"|| CASE WHEN " groups " THEN jsonb_build_object('groups', " \
	"coalesce((SELECT jsonb_agg(ugr.name ORDER BY ugr.name) " \
	"FROM user_groups ugr JOIN user_groups_users ugu " \
	"ON ugu.user_group_id = ugr.id WHERE ugu.user_id = u.id), " \
	"'[]'::jsonb)) ELSE '{}'::jsonb END " \
	"FROM users u WHERE u.id = " uid ")"

/*
 * The user behind a grant as the token endpoint checks it (spec §2.10),
 * read by the statement that takes the code or refresh token: the user
 * exists and is enabled; the client's group restriction lets them in; the
 * claims (spec §2.3) of the scopes in k.k when openid is among them, else
 * NULL. Needs g (oidc_grants), k.k (scope keys) and $2 (issuer base).
 */
#define SQL_GRANT_USER \
	"coalesce((SELECT NOT us.disabled FROM users us " \
	"WHERE us.id = g.user_id), false), " \
	"coalesce((SELECT NOT cl.is_group_restricted OR EXISTS (SELECT 1 " \
	"FROM oidc_clients_allowed_user_groups a JOIN user_groups_users ug " \
	"ON ug.user_group_id = a.user_group_id WHERE a.oidc_client_id = " \
	"cl.id AND ug.user_id = g.user_id) FROM oidc_clients cl " \
	"WHERE cl.id = g.client_id), false), " \
	"CASE WHEN 'openid' = ANY (k.k) THEN " \
	SQL_USER_CLAIMS("g.user_id", "'profile' = ANY (k.k)", \
	    "'email' = ANY (k.k)", "'groups' = ANY (k.k)", "$2::text") \
	"::text END"

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

	/* user.c. The static-API-key user (spec §0.2) is not a real one. */
	[STMT_USER_COUNT_REAL] = { "user_count_real",
	    "SELECT count(*) FROM users "
	    "WHERE id <> '00000000-0000-0000-0000-000000000000'", 0 },
	[STMT_USER_LOCK_TABLE] = { "user_lock_table",
	    "LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE", 0 },
	[STMT_USER_DTO] = { "user_dto",
	    "SELECT " SQL_USER_DTO " FROM users u WHERE u.id = $1::uuid", 1 },
	[STMT_USER_FIND_LOGIN] = { "user_find_login",
	    "SELECT id FROM users WHERE username = $1::citext "
	    "OR lower(email) = lower($1) ORDER BY (username = $1::citext) DESC "
	    "LIMIT 1", 1 },
	[STMT_USER_ENSURE_STATIC] = { "user_ensure_static",
	    "INSERT INTO users (id, username, display_name, is_admin) "
	    "VALUES ('00000000-0000-0000-0000-000000000000', $1, "
	    "'Static API user', true) ON CONFLICT (id) DO NOTHING", 1 },

	[STMT_USER_DISABLED] = { "user_disabled",
	    "SELECT disabled FROM users WHERE id = $1::uuid", 1 },

	/* session.c: browser sessions, found by the token's SHA-256. */
	[STMT_SESSION_INSERT] = { "session_insert",
	    "INSERT INTO browser_sessions (id, token_hash, user_id, amr, "
	    "auth_time, expires_at, ip_address, user_agent) VALUES ($1, $2, "
	    "$3, $4, now(), now() + make_interval(secs => $5::bigint), "
	    "$6::inet, $7)", 7 },
	[STMT_SESSION_FIND] = { "session_find",
	    "SELECT s.id, s.user_id, u.is_admin, u.disabled, "
	    "coalesce(s.amr, ''), extract(epoch FROM s.auth_time)::bigint, "
	    "extract(epoch FROM s.created_at)::bigint, "
	    "extract(epoch FROM now() - s.last_seen_at)::bigint "
	    "FROM browser_sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.token_hash = $1 AND s.expires_at > now()", 1 },
	[STMT_SESSION_TOUCH] = { "session_touch",
	    "UPDATE browser_sessions SET last_seen_at = now(), "
	    "ip_address = $2::inet, user_agent = $3 WHERE id = $1::uuid", 3 },
	[STMT_SESSION_DELETE] = { "session_delete",
	    "DELETE FROM browser_sessions WHERE id = $1::uuid", 1 },
	[STMT_SESSION_DELETE_OWN] = { "session_delete_own",
	    "DELETE FROM browser_sessions WHERE id = $1::uuid "
	    "AND user_id = $2::uuid", 2 },
	[STMT_SESSION_DELETE_OTHERS] = { "session_delete_others",
	    "DELETE FROM browser_sessions WHERE user_id = $1::uuid "
	    "AND id <> $2::uuid", 2 },
	[STMT_SESSION_LIST] = { "session_list",
	    "SELECT coalesce(json_agg(json_build_object('id', s.id, "
	    "'current', s.id = $2::uuid, 'amr', s.amr, "
	    "'ipAddress', host(s.ip_address), 'userAgent', s.user_agent, "
	    "'createdAt', s.created_at, 'lastSeenAt', s.last_seen_at, "
	    "'expiresAt', s.expires_at) ORDER BY s.last_seen_at DESC), "
	    "'[]'::json) FROM browser_sessions s "
	    "WHERE s.user_id = $1::uuid AND s.expires_at > now()", 2 },

	/* passkey.c: WebAuthn ceremonies and credentials. */
	[STMT_WA_SESSION_INSERT] = { "wa_session_insert",
	    "INSERT INTO webauthn_sessions (id, challenge, expires_at, "
	    "user_verification, credential_params, user_id) VALUES ($1, $2, "
	    "now() + make_interval(secs => $3::bigint), $4, $5::jsonb, "
	    "$6::uuid)", 6 },
	[STMT_WA_SESSION_TAKE] = { "wa_session_take",
	    "DELETE FROM webauthn_sessions WHERE id = $1::uuid "
	    "RETURNING challenge, user_verification, credential_params, "
	    "coalesce(user_id::text, ''), expires_at > now()", 1 },
	[STMT_CRED_INSERT] = { "cred_insert",
	    "INSERT INTO webauthn_credentials (id, name, credential_id, "
	    "public_key, attestation_type, transport, user_id, "
	    "backup_eligible, backup_state, sign_count, aaguid) VALUES ($1, "
	    "$2, decode($3, 'base64'), decode($4, 'base64'), $5, $6::jsonb, "
	    "$7::uuid, $8::boolean, $9::boolean, $10::bigint, $11::uuid)", 11 },
	[STMT_CRED_FIND] = { "cred_find",
	    "SELECT w.id, w.user_id, "
	    "replace(encode(w.public_key, 'base64'), E'\\n', ''), "
	    "w.sign_count, w.backup_eligible, u.disabled, w.name "
	    "FROM webauthn_credentials w JOIN users u ON u.id = w.user_id "
	    "WHERE w.credential_id = decode($1, 'base64')", 1 },
	[STMT_CRED_USED] = { "cred_used",
	    "UPDATE webauthn_credentials SET sign_count = $2::bigint, "
	    "backup_state = $3::boolean, last_used_at = now() "
	    "WHERE id = $1::uuid", 3 },
	[STMT_CRED_LIST] = { "cred_list",
	    "SELECT coalesce(json_agg(" SQL_CREDENTIAL_DTO
	    " ORDER BY w.created_at), '[]'::json) "
	    "FROM webauthn_credentials w WHERE w.user_id = $1::uuid", 1 },
	[STMT_CRED_DTO] = { "cred_dto",
	    "SELECT " SQL_CREDENTIAL_DTO " FROM webauthn_credentials w "
	    "WHERE w.id = $1::uuid AND w.user_id = $2::uuid", 2 },
	[STMT_CRED_RENAME] = { "cred_rename",
	    "UPDATE webauthn_credentials w SET name = $3 "
	    "WHERE w.id = $1::uuid AND w.user_id = $2::uuid "
	    "RETURNING " SQL_CREDENTIAL_DTO, 3 },
	[STMT_CRED_DELETE] = { "cred_delete",
	    "DELETE FROM webauthn_credentials WHERE id = $1::uuid "
	    "AND user_id = $2::uuid "
	    "RETURNING name, encode(credential_id, 'hex')", 2 },
	[STMT_CRED_EXCLUDE] = { "cred_exclude",
	    "SELECT coalesce(json_agg(json_build_object('type', 'public-key', "
	    "'id', " SQL_B64URL("w.credential_id") ", 'transports', "
	    "w.transport) ORDER BY w.created_at), '[]'::json) "
	    "FROM webauthn_credentials w WHERE w.user_id = $1::uuid", 1 },

	/* tokens.c: login codes, re-authentication tokens, API keys. */
	[STMT_OTP_INSERT] = { "otp_insert",
	    "INSERT INTO one_time_access_tokens (id, token_hash, expires_at, "
	    "user_id, device_token_hash) VALUES ($1, $2, "
	    "now() + make_interval(secs => $3::bigint), $4::uuid, $5)", 5 },
	[STMT_OTP_TAKE] = { "otp_take",
	    "DELETE FROM one_time_access_tokens WHERE token_hash = $1 "
	    "AND expires_at > now() "
	    "RETURNING user_id, coalesce(device_token_hash, '')", 1 },
	[STMT_REAUTH_INSERT] = { "reauth_insert",
	    "INSERT INTO reauthentication_tokens (id, token, expires_at, "
	    "user_id) VALUES ($1, $2, "
	    "now() + make_interval(secs => $3::bigint), $4::uuid)", 4 },
	[STMT_REAUTH_TAKE] = { "reauth_take",
	    "DELETE FROM reauthentication_tokens WHERE token = $1 "
	    "AND user_id = $2::uuid AND expires_at > now() "
	    "RETURNING extract(epoch FROM now() - created_at)::bigint", 2 },
	[STMT_API_KEY_USE] = { "api_key_use",
	    "UPDATE api_keys k SET last_used_at = now() FROM users u "
	    "WHERE k.key = $1 AND k.expires_at > now() AND u.id = k.user_id "
	    "RETURNING k.user_id, u.is_admin, u.disabled", 1 },

	/* audit.c and app_config.c */
	[STMT_AUDIT_INSERT] = { "audit_insert",
	    "INSERT INTO audit_logs (id, event, ip_address, data, user_id, "
	    "user_agent, country, city) VALUES ($1, $2, $3::inet, $4::jsonb, "
	    "$5::uuid, $6, $7, $8)", 8 },
	[STMT_APP_CONFIG_GET] = { "app_config_get",
	    "SELECT value FROM app_config WHERE key = $1", 1 },

	/* oidc.c: the authorization state of the OIDC provider. */
	[STMT_OIDC_INTERACTION_SAVE] = { "oidc_interaction_save",
	    "INSERT INTO oidc_interactions (id, client_id, user_id, parameters, "
	    "steps, reauthenticated_at) VALUES ($1::uuid, $2, $3::uuid, "
	    "$4::jsonb, $5::jsonb, to_timestamp($6::bigint)) "
	    "ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id, "
	    "steps = EXCLUDED.steps, "
	    "reauthenticated_at = EXCLUDED.reauthenticated_at", 6 },
	[STMT_OIDC_INTERACTION_GET] = { "oidc_interaction_get",
	    "SELECT client_id, coalesce(user_id::text, ''), parameters, "
	    "steps, coalesce(extract(epoch FROM reauthenticated_at)::bigint, "
	    "0) FROM oidc_interactions WHERE id = $1::uuid "
	    "AND created_at > now() - interval '1 hour'", 1 },
	[STMT_OIDC_INTERACTION_DELETE] = { "oidc_interaction_delete",
	    "DELETE FROM oidc_interactions WHERE id = $1::uuid", 1 },
	[STMT_OIDC_CODE_ISSUE] = { "oidc_code_issue",
	    "WITH g AS (INSERT INTO oidc_grants (id, client_id, user_id, "
	    "scope, nonce, auth_time, amr) VALUES ($1::uuid, $2, $3::uuid, $4, "
	    "$5, to_timestamp($6::bigint), $7) RETURNING id) "
	    "INSERT INTO oidc_codes (code_hash, grant_id, redirect_uri, "
	    "code_challenge, code_challenge_method, expires_at) "
	    "SELECT $8, g.id, $9, $10, $11, now() + interval '15 minutes' "
	    "FROM g", 11 },
	/* Locks the code, marks it used, and says whether this call did;
	 * then the user checks and claims of SQL_GRANT_USER (one round trip
	 * for everything the authorization_code grant reads). */
	[STMT_OIDC_CODE_TAKE] = { "oidc_code_take",
	    "WITH c AS (SELECT * FROM oidc_codes WHERE code_hash = $1 "
	    "FOR UPDATE), u AS (UPDATE oidc_codes SET used_at = now() "
	    "WHERE code_hash = $1 AND used_at IS NULL RETURNING 1) "
	    "SELECT g.id, g.client_id, coalesce(g.user_id::text, ''), "
	    "g.scope, coalesce(g.nonce, ''), "
	    "coalesce(extract(epoch FROM g.auth_time)::bigint, 0), "
	    "coalesce(g.amr, ''), coalesce(c.redirect_uri, ''), "
	    "coalesce(c.code_challenge, ''), "
	    "coalesce(c.code_challenge_method, ''), "
	    "EXISTS (SELECT 1 FROM u), c.expires_at > now(), "
	    "g.revoked_at IS NULL, " SQL_GRANT_USER ", "
	    "coalesce(g.resource, '') FROM c JOIN oidc_grants g "
	    "ON g.id = c.grant_id, "
	    "LATERAL string_to_array(g.scope, ' ') AS k(k)", 2 },
	[STMT_OIDC_GRANT_REVOKE] = { "oidc_grant_revoke",
	    "WITH r AS (UPDATE oidc_grants SET revoked_at = now() "
	    "WHERE id = $1::uuid RETURNING id), "
	    "a AS (DELETE FROM oidc_access_tokens WHERE grant_id = $1::uuid) "
	    "UPDATE oidc_refresh_tokens SET used_at = coalesce(used_at, now()) "
	    "WHERE grant_id = $1::uuid", 1 },
	/* As the code: the claims are those of $3, the scope asked for at
	 * refresh, when given (token.c refuses one wider than granted). */
	[STMT_OIDC_REFRESH_TAKE] = { "oidc_refresh_take",
	    "WITH r AS (SELECT * FROM oidc_refresh_tokens WHERE token_hash = "
	    "$1 FOR UPDATE), u AS (UPDATE oidc_refresh_tokens SET used_at = "
	    "now() WHERE token_hash = $1 AND used_at IS NULL RETURNING 1) "
	    "SELECT g.id, g.client_id, coalesce(g.user_id::text, ''), "
	    "r.scope, coalesce(g.nonce, ''), "
	    "coalesce(extract(epoch FROM g.auth_time)::bigint, 0), "
	    "coalesce(g.amr, ''), '', '', '', EXISTS (SELECT 1 FROM u), "
	    "r.expires_at > now(), g.revoked_at IS NULL, " SQL_GRANT_USER ", "
	    "coalesce(g.resource, '') "
	    "FROM r JOIN oidc_grants g ON g.id = r.grant_id, "
	    "LATERAL string_to_array(coalesce($3, r.scope), ' ') AS k(k)", 3 },
	[STMT_OIDC_REFRESH_REVOKE_BY_JTI] = { "oidc_refresh_revoke_by_jti",
	    "SELECT grant_id FROM oidc_refresh_tokens r JOIN oidc_grants g "
	    "ON g.id = r.grant_id WHERE r.id_token_jti = $1::uuid "
	    "AND g.user_id = $2::uuid", 2 },
	/* The token's row and, for user tokens, the claims of its scopes. */
	[STMT_OIDC_ACCESS_FIND] = { "oidc_access_find",
	    "SELECT a.client_id, a.subject, a.scope, "
	    "extract(epoch FROM a.created_at)::bigint, "
	    "extract(epoch FROM a.expires_at)::bigint, a.audience::text, "
	    "coalesce(a.grant_id::text, '') "
	    "FROM oidc_access_tokens a WHERE a.jti = $1::uuid "
	    "AND a.expires_at > now()", 1 },
	[STMT_OIDC_ACCESS_DELETE] = { "oidc_access_delete",
	    "DELETE FROM oidc_access_tokens WHERE jti = $1::uuid "
	    "AND client_id = $2", 2 },
	[STMT_OIDC_USER_CLAIMS] = { "oidc_user_claims",
	    "SELECT " SQL_USER_CLAIMS("$1::uuid", "$2::boolean", "$3::boolean",
	    "$4::boolean", "$5::text") "::text, u.disabled FROM users u "
	    "WHERE u.id = $1::uuid", 5 },
	[STMT_OIDC_REVOKE_USER_CLIENT] = { "oidc_revoke_user_client",
	    "WITH g AS (UPDATE oidc_grants SET revoked_at = now() "
	    "WHERE user_id = $1::uuid AND client_id = $2 "
	    "AND revoked_at IS NULL RETURNING id), "
	    "a AS (DELETE FROM oidc_access_tokens WHERE grant_id IN "
	    "(SELECT id FROM g)) UPDATE oidc_refresh_tokens "
	    "SET used_at = coalesce(used_at, now()) "
	    "WHERE grant_id IN (SELECT id FROM g)", 2 },
	[STMT_OIDC_REFRESH_PEEK] = { "oidc_refresh_peek",
	    "SELECT g.client_id, coalesce(g.user_id::text, ''), r.scope, "
	    "extract(epoch FROM r.created_at)::bigint, "
	    "extract(epoch FROM r.expires_at)::bigint, '[]', g.id "
	    "FROM oidc_refresh_tokens r JOIN oidc_grants g ON g.id = r.grant_id "
	    "WHERE r.token_hash = $1 AND r.used_at IS NULL "
	    "AND r.expires_at > now() AND g.revoked_at IS NULL", 1 },
	/* list.c: the list endpoints (spec §0.5), see SQL_LIST; the users
	 * and groups with a search are at the end (SQL_LIST_USERS). */
	[STMT_LIST_USERS] = { "list_users",
	    SQL_LIST_USERS("$1::text IS NULL"), 6 },
	[STMT_LIST_USER_GROUPS] = { "list_user_groups",
	    SQL_LIST_USER_GROUPS("$1::text IS NULL"), 6 },
	[STMT_LIST_SIGNUP_TOKENS] = { "list_signup_tokens", SQL_LIST("t",
	    "SELECT t.* FROM signup_tokens t WHERE t.expires_at > now()"
	    SQL_LIST_NO_FILTERS SQL_LIST_NO_SEARCH,
	    LIST_SIGNUP_TOKENS_SORT(SQL_LIST_SORT) "t.id",
	    SQL_SIGNUP_TOKEN_DTO("NULL::text")), 6 },

	/* users_admin.c: the admin's user routes (spec §1.5). */
	[STMT_NFC] = { "nfc",
	    "SELECT CASE WHEN x IS NULL THEN NULL ELSE normalize(x, NFC) END "
	    "FROM json_array_elements_text($1::json) WITH ORDINALITY "
	    "AS t(x, i) ORDER BY i", 1 },
	[STMT_USER_GET] = { "user_get",
	    "SELECT u.id, u.username, u.email, u.ldap_id, u.email_verified, "
	    "u.is_admin, u.disabled FROM users u WHERE u.id = $1::uuid", 1 },
	[STMT_USER_CONFLICT] = { "user_conflict",
	    "SELECT CASE WHEN $4::boolean AND EXISTS (SELECT 1 FROM users "
	    "WHERE id = $3::uuid) THEN 'id' "
	    "WHEN $2::text IS NOT NULL AND EXISTS (SELECT 1 FROM users "
	    "WHERE lower(email) = lower($2) AND id <> $3::uuid) THEN 'email' "
	    "WHEN EXISTS (SELECT 1 FROM users WHERE username = $1::citext "
	    "AND id <> $3::uuid) THEN 'username' ELSE '' END", 4 },
	[STMT_USER_INSERT_FULL] = { "user_insert_full",
	    "INSERT INTO users (id, username, email, email_verified, "
	    "first_name, last_name, display_name, is_admin, locale, disabled) "
	    "VALUES ($1::uuid, $2, $3, $4::boolean, $5, $6, $7, $8::boolean, "
	    "$9, $10::boolean)", 10 },
	[STMT_USER_UPDATE] = { "user_update",
	    "UPDATE users SET username = $2, email = $3, "
	    "email_verified = $4::boolean, first_name = $5, last_name = $6, "
	    "display_name = $7, is_admin = $8::boolean, locale = $9, "
	    "disabled = $10::boolean, updated_at = now() "
	    "WHERE id = $1::uuid", 10 },
	[STMT_USER_SET_LOCALE] = { "user_set_locale",
	    "UPDATE users SET locale = $2, updated_at = now() "
	    "WHERE id = $1::uuid", 2 },
	[STMT_USER_TOUCH] = { "user_touch",
	    "UPDATE users SET updated_at = now() WHERE id = $1::uuid", 1 },
	[STMT_USER_END_SESSIONS] = { "user_end_sessions",
	    "DELETE FROM browser_sessions WHERE user_id = $1::uuid", 1 },
	[STMT_USER_DELETE] = { "user_delete",
	    "DELETE FROM users WHERE id = $1::uuid", 1 },
	[STMT_USER_GROUPS_MISSING] = { "user_groups_missing",
	    "SELECT count(*) FROM " SQL_IDS_OF("$1::jsonb") " i "
	    "WHERE NOT EXISTS (SELECT 1 FROM user_groups g "
	    "WHERE g.id = i.id)", 1 },
	[STMT_USER_GROUPS_CLEAR] = { "user_groups_clear",
	    "WITH old AS (DELETE FROM user_groups_users "
	    "WHERE user_id = $1::uuid RETURNING user_group_id) "
	    "UPDATE user_groups SET updated_at = now() "
	    "WHERE id IN (SELECT user_group_id FROM old)", 1 },
	[STMT_USER_GROUPS_ADD] = { "user_groups_add",
	    "WITH ins AS (INSERT INTO user_groups_users (user_id, "
	    "user_group_id) SELECT $1::uuid, g.id FROM user_groups g "
	    "JOIN " SQL_IDS_OF("$2::jsonb") " i ON i.id = g.id "
	    "ON CONFLICT DO NOTHING RETURNING user_group_id) "
	    "UPDATE user_groups SET updated_at = now() "
	    "WHERE id IN (SELECT user_group_id FROM ins)", 2 },
	[STMT_USER_GROUPS_DTO] = { "user_groups_dto",
	    "SELECT coalesce(json_agg(" SQL_USER_GROUP_DTO " ORDER BY g.name), "
	    "'[]'::json) FROM user_groups g JOIN user_groups_users ugm "
	    "ON ugm.user_group_id = g.id WHERE ugm.user_id = $1::uuid", 1 },
	[STMT_USER_CLAIMS_CLEAR] = { "user_claims_clear",
	    "DELETE FROM custom_claims WHERE user_id = $1::uuid", 1 },
	[STMT_USER_CLAIMS_ADD] = { "user_claims_add",
	    "INSERT INTO custom_claims (id, key, value, user_id) "
	    "SELECT DISTINCT ON (e->>'key') gen_random_uuid(), e->>'key', "
	    "e->>'value', $1::uuid FROM jsonb_array_elements($2::jsonb) e "
	    "WHERE e->>'key' IS NOT NULL AND e->>'value' IS NOT NULL", 2 },
	[STMT_USER_CLAIMS_JSON] = { "user_claims_json",
	    "SELECT " SQL_CLAIMS_OF("user_id", "$1::uuid"), 1 },

	/* groups.c: user groups (spec §1.6). */
	[STMT_GROUP_LDAP_ID] = { "group_ldap_id",
	    "SELECT ldap_id FROM user_groups WHERE id = $1::uuid", 1 },
	[STMT_GROUP_INSERT] = { "group_insert",
	    "INSERT INTO user_groups (id, friendly_name, name) "
	    "VALUES ($1::uuid, $2, $3)", 3 },
	[STMT_GROUP_UPDATE] = { "group_update",
	    "UPDATE user_groups SET friendly_name = $2, name = $3, "
	    "updated_at = now() WHERE id = $1::uuid", 3 },
	[STMT_GROUP_DELETE] = { "group_delete",
	    "DELETE FROM user_groups WHERE id = $1::uuid", 1 },
	[STMT_GROUP_DTO] = { "group_dto",
	    "SELECT " SQL_USER_GROUP_DTO " FROM user_groups g "
	    "WHERE g.id = $1::uuid", 1 },
	[STMT_GROUP_TOUCH] = { "group_touch",
	    "UPDATE user_groups SET updated_at = now() "
	    "WHERE id = $1::uuid", 1 },
	[STMT_GROUP_USERS_MISSING] = { "group_users_missing",
	    "SELECT count(*) FROM " SQL_IDS_OF("$1::jsonb") " i "
	    "WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = i.id)", 1 },
	[STMT_GROUP_USERS_CLEAR] = { "group_users_clear",
	    "DELETE FROM user_groups_users WHERE user_group_id = $1::uuid", 1 },
	[STMT_GROUP_USERS_ADD] = { "group_users_add",
	    "INSERT INTO user_groups_users (user_id, user_group_id) "
	    "SELECT u.id, $1::uuid FROM users u JOIN " SQL_IDS_OF("$2::jsonb")
	    " i ON i.id = u.id ON CONFLICT DO NOTHING", 2 },
	[STMT_GROUP_CLIENTS_MISSING] = { "group_clients_missing",
	    "SELECT count(*) FROM (SELECT DISTINCT jsonb_array_elements_text("
	    "$1::jsonb) AS id) i WHERE NOT EXISTS (SELECT 1 FROM oidc_clients c "
	    "WHERE c.id = i.id)", 1 },
	[STMT_GROUP_CLIENTS_CLEAR] = { "group_clients_clear",
	    "DELETE FROM oidc_clients_allowed_user_groups "
	    "WHERE user_group_id = $1::uuid", 1 },
	[STMT_GROUP_CLIENTS_ADD] = { "group_clients_add",
	    "INSERT INTO oidc_clients_allowed_user_groups (oidc_client_id, "
	    "user_group_id) SELECT c.id, $1::uuid FROM oidc_clients c WHERE "
	    "c.id IN (SELECT jsonb_array_elements_text($2::jsonb)) "
	    "ON CONFLICT DO NOTHING", 2 },

	/* claims.c: custom claims (spec §1.9). */
	[STMT_GROUP_CLAIMS_CLEAR] = { "group_claims_clear",
	    "DELETE FROM custom_claims WHERE user_group_id = $1::uuid", 1 },
	[STMT_GROUP_CLAIMS_ADD] = { "group_claims_add",
	    "INSERT INTO custom_claims (id, key, value, user_group_id) "
	    "SELECT DISTINCT ON (e->>'key') gen_random_uuid(), e->>'key', "
	    "e->>'value', $1::uuid FROM jsonb_array_elements($2::jsonb) e "
	    "WHERE e->>'key' IS NOT NULL AND e->>'value' IS NOT NULL", 2 },
	[STMT_GROUP_CLAIMS_JSON] = { "group_claims_json",
	    "SELECT " SQL_CLAIMS_OF("user_group_id", "$1::uuid"), 1 },
	[STMT_CLAIMS_SUGGESTIONS] = { "claims_suggestions",
	    "SELECT coalesce(json_agg(key ORDER BY n DESC, key), '[]'::json) "
	    "FROM (SELECT key, count(*) AS n FROM custom_claims "
	    "GROUP BY key) k", 0 },

	/* signup.c: signup tokens (spec §1.4), by the token's SHA-256. A
	 * signup takes one use with a conditional UPDATE: concurrent
	 * signups queue on the row lock and re-check the limit. */
	[STMT_SIGNUP_TOKEN_INSERT] = { "signup_token_insert",
	    "INSERT INTO signup_tokens (id, token_hash, expires_at, "
	    "usage_limit) VALUES ($1::uuid, $2, "
	    "now() + make_interval(secs => $3::bigint), $4::integer)", 4 },
	[STMT_SIGNUP_TOKEN_GROUPS_ADD] = { "signup_token_groups_add",
	    "INSERT INTO signup_tokens_user_groups (signup_token_id, "
	    "user_group_id) SELECT $1::uuid, g.id FROM user_groups g "
	    "JOIN " SQL_IDS_OF("$2::jsonb") " i ON i.id = g.id", 2 },
	[STMT_SIGNUP_TOKEN_DTO] = { "signup_token_dto",
	    "SELECT " SQL_SIGNUP_TOKEN_DTO("$2::text")
	    " FROM signup_tokens t WHERE t.id = $1::uuid", 2 },
	[STMT_SIGNUP_TOKEN_DELETE] = { "signup_token_delete",
	    "DELETE FROM signup_tokens WHERE id = $1::uuid", 1 },
	[STMT_SIGNUP_TOKEN_TAKE] = { "signup_token_take",
	    "UPDATE signup_tokens t SET usage_count = t.usage_count + 1 "
	    "WHERE t.token_hash = $1 AND t.expires_at > now() "
	    "AND t.usage_count < t.usage_limit RETURNING t.id, "
	    "(SELECT coalesce(jsonb_agg(sg.user_group_id), '[]'::jsonb) "
	    "FROM signup_tokens_user_groups sg "
	    "WHERE sg.signup_token_id = t.id)", 1 },

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

	/* client.c: OIDC clients (spec §1.7), secrets, allowed groups,
	 * consent (§2.9) and group restriction (§2.10). */
	[STMT_CLIENT_INSERT] = { "client_insert",
	    "INSERT INTO oidc_clients AS c (id, name, description, "
	    "callback_urls, logout_callback_urls, created_by_id, is_public, "
	    "pkce_enabled, credentials, launch_url, requires_reauthentication, "
	    "requires_pushed_authorization_requests, skip_consent, "
	    "is_group_restricted, access_token_duration_minutes, "
	    "refresh_token_duration_minutes) VALUES ($1, $2, $3, $4::jsonb, "
	    "$5::jsonb, $6::uuid, $7::boolean, $8::boolean, $9::jsonb, $10, "
	    "$11::boolean, $12::boolean, $13::boolean, $14::boolean, "
	    "$15::bigint, $16::bigint) RETURNING "
	    SQL_OIDC_CLIENT_GROUPS_DTO("false"), 16 },
	/* $16: the pkceEnabled the admin sent (false resets pkceSupported).
	 * Lifting the group restriction clears the allowed groups; the
	 * DTO, computed before that delete is visible, shows none then. */
	[STMT_CLIENT_UPDATE] = { "client_update",
	    "WITH u AS (UPDATE oidc_clients c SET name = $2, description = $3, "
	    "callback_urls = $4::jsonb, logout_callback_urls = $5::jsonb, "
	    "is_public = $6::boolean, pkce_enabled = $7::boolean, "
	    "pkce_supported = c.pkce_supported AND $16::boolean, "
	    "credentials = $8::jsonb, launch_url = $9, "
	    "requires_reauthentication = $10::boolean, "
	    "requires_pushed_authorization_requests = $11::boolean, "
	    "skip_consent = $12::boolean, is_group_restricted = $13::boolean, "
	    "access_token_duration_minutes = $14::bigint, "
	    "refresh_token_duration_minutes = $15::bigint "
	    "WHERE c.id = $1 RETURNING c.*), "
	    "d AS (DELETE FROM oidc_clients_allowed_user_groups a USING u "
	    "WHERE a.oidc_client_id = u.id AND NOT u.is_group_restricted) "
	    "SELECT " SQL_OIDC_CLIENT_GROUPS_DTO("c.is_group_restricted")
	    " FROM u c", 16 },
	[STMT_CLIENT_DTO] = { "client_dto",
	    "SELECT " SQL_OIDC_CLIENT_GROUPS_DTO("true")
	    " FROM oidc_clients c WHERE c.id = $1", 1 },
	[STMT_CLIENT_META] = { "client_meta",
	    "SELECT " SQL_OIDC_CLIENT_META_DTO
	    " FROM oidc_clients c WHERE c.id = $1", 1 },
	[STMT_CLIENT_DELETE] = { "client_delete",
	    "DELETE FROM oidc_clients WHERE id = $1", 1 },
	/* Serialises changes to one client's secrets and groups. */
	/* The count must come from a statement started after the lock was
	 * granted: a subquery here would see the snapshot from before the
	 * wait, and concurrent secret creations would pass the limit. */
	[STMT_CLIENT_LOCK] = { "client_lock",
	    "SELECT c.is_public FROM oidc_clients c WHERE c.id = $1 "
	    "FOR UPDATE OF c", 1 },
	[STMT_CLIENT_SECRET_COUNT] = { "client_secret_count",
	    "SELECT count(*) FROM oidc_client_secrets WHERE client_id = $1", 1 },
	[STMT_CLIENT_GROUPS_CLEAR] = { "client_groups_clear",
	    "DELETE FROM oidc_clients_allowed_user_groups "
	    "WHERE oidc_client_id = $1", 1 },
	/* $2: a JSON array of group ids; unknown ids are skipped. */
	[STMT_CLIENT_GROUPS_ADD] = { "client_groups_add",
	    "INSERT INTO oidc_clients_allowed_user_groups (oidc_client_id, "
	    "user_group_id) SELECT $1, g.id FROM user_groups g WHERE g.id IN "
	    "(SELECT e::uuid FROM jsonb_array_elements_text($2::jsonb) e) "
	    "ON CONFLICT DO NOTHING", 2 },
	[STMT_CLIENT_DTO_PLAIN] = { "client_dto_plain",
	    "SELECT " SQL_OIDC_CLIENT_DTO " FROM oidc_clients c "
	    "WHERE c.id = $1", 1 },
	/* What the protocol code needs, with the active secrets (newest
	 * first) and the federated identities when $2 is true. */
	[STMT_CLIENT_LOAD] = { "client_load",
	    "SELECT json_build_object('id', c.id, 'name', c.name, "
	    "'launch_url', c.launch_url, 'is_public', c.is_public, "
	    "'pkce_enabled', c.pkce_enabled, "
	    "'requires_reauthentication', c.requires_reauthentication, "
	    "'requires_par', c.requires_pushed_authorization_requests, "
	    "'skip_consent', c.skip_consent, "
	    "'is_group_restricted', c.is_group_restricted, "
	    "'callback_urls', c.callback_urls, "
	    "'logout_callback_urls', c.logout_callback_urls, "
	    "'access_token_minutes', c.access_token_duration_minutes, "
	    "'refresh_token_minutes', c.refresh_token_duration_minutes, "
	    "'federated', CASE WHEN $2::boolean THEN coalesce(c.credentials "
	    "-> 'federatedIdentities', '[]') ELSE '[]' END, "
	    "'secrets', coalesce((SELECT json_agg(json_build_object('alg', "
	    "s.alg, 'hash', s.hash) ORDER BY s.created_at DESC, s.id) "
	    "FROM oidc_client_secrets s WHERE $2::boolean AND "
	    "s.client_id = c.id AND (s.expires_at IS NULL OR "
	    "s.expires_at > now())), '[]'::json)) "
	    "FROM oidc_clients c WHERE c.id = $1", 2 },
	[STMT_CLIENT_SECRETS_LIST] = { "client_secrets_list",
	    "SELECT coalesce((SELECT jsonb_agg(" SQL_OIDC_SECRET_DTO
	    " ORDER BY s.created_at, s.id) FROM oidc_client_secrets s "
	    "WHERE s.client_id = c.id), '[]'::jsonb) "
	    "FROM oidc_clients c WHERE c.id = $1", 1 },
	/* No row: expires_at is not in the future. */
	[STMT_CLIENT_SECRET_INSERT] = { "client_secret_insert",
	    "INSERT INTO oidc_client_secrets AS s (id, client_id, alg, hash, "
	    "prefix, expires_at) SELECT $1::uuid, $2, 'sha256', $3, $4, "
	    "$5::timestamptz WHERE $5::timestamptz IS NULL OR "
	    "$5::timestamptz > now() RETURNING " SQL_OIDC_SECRET_DTO, 5 },
	[STMT_CLIENT_SECRET_DELETE] = { "client_secret_delete",
	    "WITH d AS (DELETE FROM oidc_client_secrets WHERE id = $1::uuid "
	    "AND client_id = $2 RETURNING 1) SELECT EXISTS (SELECT 1 FROM "
	    "oidc_clients WHERE id = $2), EXISTS (SELECT 1 FROM d)", 2 },
	[STMT_CLIENT_ALLOWS_USER] = { "client_allows_user",
	    "SELECT EXISTS (SELECT 1 FROM oidc_clients_allowed_user_groups a "
	    "JOIN user_groups_users ug ON ug.user_group_id = a.user_group_id "
	    "WHERE a.oidc_client_id = $1 AND ug.user_id = $2::uuid)", 2 },
	[STMT_CONSENT_GET] = { "consent_get",
	    "SELECT scope @> $3::jsonb FROM user_authorized_oidc_clients "
	    "WHERE user_id = $1::uuid AND client_id = $2", 3 },
	/* Keys merge as a set; (xmax = 0) tells an insert from an update. */
	[STMT_CONSENT_MERGE] = { "consent_merge",
	    "INSERT INTO user_authorized_oidc_clients AS a (user_id, "
	    "client_id, scope, last_used_at) VALUES ($1::uuid, $2, (SELECT "
	    "coalesce(jsonb_agg(DISTINCT e.value ORDER BY e.value), '[]') "
	    "FROM jsonb_array_elements($3::jsonb) e), now()) "
	    "ON CONFLICT (user_id, client_id) DO UPDATE SET scope = (SELECT "
	    "coalesce(jsonb_agg(DISTINCT e.value ORDER BY e.value), '[]') "
	    "FROM jsonb_array_elements(a.scope || EXCLUDED.scope) e), "
	    "last_used_at = now() RETURNING (a.xmax = 0)", 3 },
	[STMT_CONSENT_DELETE] = { "consent_delete",
	    "DELETE FROM user_authorized_oidc_clients "
	    "WHERE user_id = $1::uuid AND client_id = $2", 2 },
	[STMT_LIST_OIDC_CLIENTS] = { "list_oidc_clients", SQL_LIST("c",
	    "SELECT c.*, (SELECT count(*) FROM "
	    "oidc_clients_allowed_user_groups a WHERE a.oidc_client_id = c.id) "
	    "AS allowed_user_groups_count "
	    "FROM oidc_clients c WHERE true"
	    LIST_OIDC_CLIENTS_FILTER(SQL_LIST_FILTER)
	    " AND ($1::text IS NULL OR c.name ILIKE $1)",
	    LIST_OIDC_CLIENTS_SORT(SQL_LIST_SORT) "c.id",
	    "(" SQL_OIDC_CLIENT_DTO " || jsonb_build_object("
	    "'allowedUserGroupsCount', c.allowed_user_groups_count))"), 6 },
	[STMT_LIST_OIDC_AUTHORIZED] = { "list_oidc_authorized", SQL_LIST("a",
	    "SELECT a.*, " SQL_OIDC_CLIENT_META_DTO " AS client "
	    "FROM user_authorized_oidc_clients a JOIN oidc_clients c "
	    "ON c.id = a.client_id WHERE a.user_id = $7::uuid"
	    LIST_OIDC_AUTHORIZED_FILTER(SQL_LIST_FILTER) SQL_LIST_NO_SEARCH,
	    LIST_OIDC_AUTHORIZED_SORT(SQL_LIST_SORT) "a.client_id",
	    "json_build_object('scope', a.scope, 'client', a.client, "
	    "'lastUsedAt', a.last_used_at)"), 7 },
	[STMT_LIST_OIDC_ACCESSIBLE] = { "list_oidc_accessible", SQL_LIST("c",
	    "SELECT c.*, (SELECT a.last_used_at FROM "
	    "user_authorized_oidc_clients a WHERE a.client_id = c.id AND "
	    "a.user_id = $7::uuid) AS last_used_at FROM oidc_clients c "
	    "WHERE (NOT c.is_group_restricted OR EXISTS (SELECT 1 FROM "
	    "oidc_clients_allowed_user_groups g JOIN user_groups_users ug ON "
	    "ug.user_group_id = g.user_group_id WHERE g.oidc_client_id = c.id "
	    "AND ug.user_id = $7::uuid))"
	    LIST_OIDC_ACCESSIBLE_FILTER(SQL_LIST_FILTER) SQL_LIST_NO_SEARCH,
	    LIST_OIDC_ACCESSIBLE_SORT(SQL_LIST_SORT_NULLS_LAST) "c.name, c.id",
	    "(" SQL_OIDC_CLIENT_META_DTO " || jsonb_build_object("
	    "'lastUsedAt', c.last_used_at))"), 7 },
	/* admin-config. config.c: the stored settings, replaced whole. */
	[STMT_APP_CONFIG_LIST] = { "app_config_list",
	    "SELECT coalesce(json_object_agg(key, value ORDER BY key), "
	    "'{}'::json) FROM app_config", 0 },
	[STMT_APP_CONFIG_LOCK] = { "app_config_lock",
	    "LOCK TABLE app_config IN SHARE ROW EXCLUSIVE MODE", 0 },
	[STMT_APP_CONFIG_CLEAR] = { "app_config_clear",
	    "DELETE FROM app_config", 0 },
	[STMT_APP_CONFIG_INSERT_ALL] = { "app_config_insert_all",
	    "INSERT INTO app_config (key, value) "
	    "SELECT key, value FROM jsonb_each_text($1::jsonb)", 1 },

	/* apikey.c: a user's own keys (tokens.c finds them in use). */
	[STMT_API_KEY_INSERT] = { "api_key_insert",
	    "INSERT INTO api_keys AS k (id, name, key, description, "
	    "expires_at, user_id) VALUES ($1::uuid, $2, $3, $4, "
	    "$5::timestamptz, $6::uuid) RETURNING " SQL_API_KEY_DTO, 6 },
	/* Renewal clears expiration_email_sent, so the new expiry gets its
	 * own warning (Pocket ID keeps the old flag and never warns again). */
	[STMT_API_KEY_RENEW] = { "api_key_renew",
	    "UPDATE api_keys k SET key = $3, expires_at = $4::timestamptz, "
	    "expiration_email_sent = false WHERE k.id = $1::uuid "
	    "AND k.user_id = $2::uuid AND k.expires_at <= now() "
	    "RETURNING " SQL_API_KEY_DTO, 4 },
	[STMT_API_KEY_EXISTS] = { "api_key_exists",
	    "SELECT 1 FROM api_keys WHERE id = $1::uuid "
	    "AND user_id = $2::uuid", 2 },
	[STMT_API_KEY_DELETE] = { "api_key_delete",
	    "DELETE FROM api_keys WHERE id = $1::uuid "
	    "AND user_id = $2::uuid", 2 },
	[STMT_API_KEY_FUTURE] = { "api_key_future",
	    "SELECT $1::timestamptz > now()", 1 },

	/* audit_read.c: filter lists and retention. */
	[STMT_AUDIT_CLIENT_NAMES] = { "audit_client_names",
	    "SELECT coalesce(json_agg(n ORDER BY n), '[]'::json) FROM "
	    "(SELECT DISTINCT data->>'clientName' AS n FROM audit_logs "
	    "WHERE data->>'clientName' IS NOT NULL) d", 0 },
	[STMT_AUDIT_USERS] = { "audit_users",
	    "SELECT coalesce(json_object_agg(u.id, u.username "
	    "ORDER BY u.username), '{}'::json) FROM users u "
	    "WHERE EXISTS (SELECT 1 FROM audit_logs a "
	    "WHERE a.user_id = u.id)", 0 },
	/* Advisory lock key: "pidaudit" in ASCII as a big-endian int64. */
	[STMT_AUDIT_PURGE_LOCK] = { "audit_purge_lock",
	    "SELECT pg_try_advisory_xact_lock(8100115774546667892)", 0 },
	[STMT_AUDIT_PURGE] = { "audit_purge",
	    "DELETE FROM audit_logs "
	    "WHERE created_at < now() - make_interval(days => $1::int)", 1 },

	/* apikey.c, audit_read.c: their lists (SQL_LIST). The own audit
	 * list names no user, as in Pocket ID. */
	[STMT_LIST_API_KEYS] = { "list_api_keys", SQL_LIST("k",
	    "SELECT k.* FROM api_keys k WHERE k.user_id = $7::uuid"
	    SQL_LIST_NO_FILTERS SQL_LIST_NO_SEARCH,
	    LIST_API_KEYS_SORT(SQL_LIST_SORT) "k.id", SQL_API_KEY_DTO), 7 },
	[STMT_LIST_AUDIT_OWN] = { "list_audit_own", SQL_LIST("a",
	    "SELECT a.*, NULL::text AS username FROM audit_logs a "
	    "WHERE a.user_id = $7::uuid"
	    LIST_AUDIT_OWN_FILTER(SQL_LIST_FILTER) SQL_LIST_NO_SEARCH,
	    LIST_AUDIT_SORT(SQL_LIST_SORT) "a.id", SQL_AUDIT_LOG_DTO), 7 },
	[STMT_LIST_AUDIT_ALL] = { "list_audit_all", SQL_LIST("a",
	    "SELECT a.*, u.username::text AS username FROM audit_logs a "
	    "LEFT JOIN users u ON u.id = a.user_id WHERE true"
	    LIST_AUDIT_ALL_FILTER(SQL_LIST_FILTER) SQL_LIST_NO_SEARCH,
	    LIST_AUDIT_SORT(SQL_LIST_SORT) "a.id", SQL_AUDIT_LOG_DTO), 6 },
	[STMT_FEDERATED_JWKS_GET] = { "federated_jwks_get",
	    "SELECT jwks, extract(epoch FROM now() - fetched_at)::bigint "
	    "FROM oidc_federated_jwks WHERE url = $1", 1 },
	[STMT_FEDERATED_JWKS_PUT] = { "federated_jwks_put",
	    "INSERT INTO oidc_federated_jwks (url, jwks) VALUES ($1, $2) "
	    "ON CONFLICT (url) DO UPDATE SET jwks = EXCLUDED.jwks, "
	    "fetched_at = now()", 2 },
	/* A row back: first use (or the old one had expired); none: a
	 * replay. */
	[STMT_JTI_USE] = { "jti_use",
	    "INSERT INTO oauth2_jtis AS j (id, jti, expires_at) VALUES "
	    "($1::uuid, $2, to_timestamp($3::bigint)) ON CONFLICT (jti) DO "
	    "UPDATE SET id = EXCLUDED.id, created_at = now(), "
	    "expires_at = EXCLUDED.expires_at WHERE j.expires_at <= now() "
	    "RETURNING 1", 3 },
	/* How long any client's access tokens live, for key rotation. */
	[STMT_CLIENT_LONGEST_ACCESS] = { "client_longest_access",
	    "SELECT coalesce(max(access_token_duration_minutes), 0) "
	    "FROM oidc_clients", 0 },
	/*
	 * Expired short-lived state (spec §5.6's daily cleanups). Used codes
	 * and refresh tokens are kept a day past expiry, so that a late
	 * replay is still recognised as one.
	 */
	[STMT_HOUSEKEEPING] = { "housekeeping",
	    "WITH a AS (DELETE FROM webauthn_sessions WHERE expires_at < now()),"
	    " b AS (DELETE FROM browser_sessions WHERE expires_at < now()),"
	    " c AS (DELETE FROM reauthentication_tokens "
	    "WHERE expires_at < now()),"
	    " d AS (DELETE FROM one_time_access_tokens "
	    "WHERE expires_at < now()),"
	    " e AS (DELETE FROM oidc_interactions "
	    "WHERE created_at < now() - interval '1 day'),"
	    " f AS (DELETE FROM oidc_codes "
	    "WHERE expires_at < now() - interval '1 day'),"
	    " g AS (DELETE FROM oidc_access_tokens WHERE expires_at < now()),"
	    " h AS (DELETE FROM oidc_refresh_tokens "
	    "WHERE expires_at < now() - interval '1 day'),"
	    " i AS (DELETE FROM oidc_device_codes "
	    "WHERE expires_at < now() - interval '1 day'),"
	    " j AS (DELETE FROM oidc_par_requests WHERE expires_at < now()),"
	    " k AS (DELETE FROM oauth2_jtis WHERE expires_at < now()) "
	    "SELECT 1", 0 },
	[STMT_APP_CONFIG_SET] = { "app_config_set",
	    "INSERT INTO app_config (key, value) VALUES ($1, $2) "
	    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", 2 },

	/* oidc_device.c: RFC 8628 device codes. A user code still in use
	 * is never replaced; an expired row with the same one is. */
	[STMT_DEVICE_ISSUE] = { "device_issue",
	    "INSERT INTO oidc_device_codes AS d (device_code_hash, user_code, "
	    "client_id, scope, nonce, expires_at, interval_seconds) VALUES "
	    "($1, $2, $3, $4, $5, now() + make_interval(secs => $6::int), "
	    "$7::int) ON CONFLICT (user_code) DO UPDATE SET "
	    "device_code_hash = EXCLUDED.device_code_hash, "
	    "client_id = EXCLUDED.client_id, scope = EXCLUDED.scope, "
	    "nonce = EXCLUDED.nonce, created_at = now(), "
	    "expires_at = EXCLUDED.expires_at, "
	    "interval_seconds = EXCLUDED.interval_seconds, "
	    "last_polled_at = NULL, grant_id = NULL, approved_at = NULL, "
	    "used_at = NULL WHERE d.expires_at <= now()", 7 },
	[STMT_DEVICE_FIND] = { "device_find",
	    "SELECT client_id, scope, expires_at > now(), "
	    "approved_at IS NOT NULL FROM oidc_device_codes "
	    "WHERE user_code = $1", 1 },
	/* Approves a pending, unexpired code once, creating its grant. */
	[STMT_DEVICE_APPROVE] = { "device_approve",
	    "WITH d AS (SELECT * FROM oidc_device_codes WHERE user_code = $1 "
	    "AND approved_at IS NULL AND expires_at > now() FOR UPDATE), "
	    "g AS (INSERT INTO oidc_grants (id, client_id, user_id, scope, "
	    "nonce, auth_time, amr) SELECT $2::uuid, d.client_id, $3::uuid, "
	    "d.scope, d.nonce, to_timestamp($4::bigint), $5 FROM d "
	    "RETURNING id) UPDATE oidc_device_codes o SET grant_id = g.id, "
	    "approved_at = now() FROM g WHERE o.user_code = $1", 5 },
	/* One poll: locks the code, stamps the poll, uses an approved code
	 * up when the poll is not too early, and says whether this call
	 * did (fresh). One second of slack for the client's timer. */
	[STMT_DEVICE_POLL] = { "device_poll",
	    "WITH d AS (SELECT *, coalesce(last_polled_at > now() - "
	    "make_interval(secs => interval_seconds - 1), false) AS early "
	    "FROM oidc_device_codes WHERE device_code_hash = $1 FOR UPDATE), "
	    "u AS (UPDATE oidc_device_codes o SET last_polled_at = now(), "
	    "used_at = CASE WHEN NOT d.early AND d.approved_at IS NOT NULL "
	    "AND d.used_at IS NULL AND d.expires_at > now() THEN now() "
	    "ELSE o.used_at END FROM d WHERE o.device_code_hash = $1 "
	    "RETURNING o.used_at) "
	    "SELECT d.client_id, coalesce(d.grant_id::text, ''), "
	    "coalesce(g.user_id::text, ''), d.scope, coalesce(d.nonce, ''), "
	    "coalesce(extract(epoch FROM g.auth_time)::bigint, 0), "
	    "coalesce(g.amr, ''), d.expires_at > now(), "
	    "d.approved_at IS NOT NULL, d.used_at IS NOT NULL, d.early, "
	    "d.used_at IS NULL AND (SELECT used_at FROM u) IS NOT NULL, "
	    "coalesce(g.revoked_at IS NULL, false) "
	    "FROM d LEFT JOIN oidc_grants g ON g.id = d.grant_id", 1 },
	/* oidc_par.c: pushed authorization requests (RFC 9126). */
	[STMT_PAR_SAVE] = { "par_save",
	    "INSERT INTO oidc_par_requests (request_uri_hash, client_id, "
	    "parameters, expires_at) VALUES ($1, $2, $3::jsonb, "
	    "now() + make_interval(secs => $4::int))", 4 },
	/* Uses a live request up; no row: unknown, expired, used, or
	 * pushed by another client. */
	[STMT_PAR_TAKE] = { "par_take",
	    "UPDATE oidc_par_requests SET used_at = now() "
	    "WHERE request_uri_hash = $1 AND client_id = $2 "
	    "AND used_at IS NULL AND expires_at > now() "
	    "RETURNING parameters", 2 },
	/* files.c: stored objects (images, spec §5.5). Content travels as
	 * text-format bytea ("\\x" hex) both ways. */
	[STMT_FILE_GET] = { "file_get",
	    "SELECT content, content_type FROM storage WHERE path = $1", 1 },
	[STMT_FILE_PUT] = { "file_put",
	    "INSERT INTO storage (path, content, content_type) "
	    "VALUES ($1, $2::bytea, $3) ON CONFLICT (path) DO UPDATE SET "
	    "content = EXCLUDED.content, content_type = EXCLUDED.content_type, "
	    "updated_at = now()", 3 },
	[STMT_FILE_DELETE] = { "file_delete",
	    "DELETE FROM storage WHERE path = $1", 1 },
	[STMT_FILE_GET_PREFIX] = { "file_get_prefix",
	    "SELECT content, content_type FROM storage "
	    "WHERE starts_with(path, $1) ORDER BY updated_at DESC, path "
	    "LIMIT 1", 1 },
	/* Stores $2 and drops any other object under prefix $1 (the same
	 * image with another extension). */
	[STMT_FILE_PUT_PREFIX] = { "file_put_prefix",
	    "WITH d AS (DELETE FROM storage WHERE starts_with(path, $1) "
	    "AND path <> $2) "
	    "INSERT INTO storage (path, content, content_type) "
	    "VALUES ($2, $3::bytea, $4) ON CONFLICT (path) DO UPDATE SET "
	    "content = EXCLUDED.content, content_type = EXCLUDED.content_type, "
	    "updated_at = now()", 4 },
	[STMT_FILE_DELETE_PREFIX] = { "file_delete_prefix",
	    "DELETE FROM storage WHERE starts_with(path, $1)", 1 },
	/* The user row is share-locked so that a concurrent delete (whose
	 * trigger removes the picture) cannot leave an orphan behind. */
	[STMT_FILE_PUT_USER_PICTURE] = { "file_put_user_picture",
	    "WITH u AS (SELECT id FROM users WHERE id = $1::uuid "
	    "FOR KEY SHARE) "
	    "INSERT INTO storage (path, content, content_type) "
	    "SELECT 'profile-pictures/' || u.id::text || '.png', $2::bytea, "
	    "'image/png' FROM u ON CONFLICT (path) DO UPDATE SET "
	    "content = EXCLUDED.content, content_type = EXCLUDED.content_type, "
	    "updated_at = now()", 2 },
	[STMT_FILE_USER_NAMES] = { "file_user_names",
	    "SELECT coalesce(first_name, ''), coalesce(last_name, ''), "
	    "username FROM users WHERE id = $1::uuid", 1 },
	/* $2: 'true' for the dark logo. */
	[STMT_FILE_CLIENT_LOGO_GET] = { "file_client_logo_get",
	    "SELECT s.content, s.content_type FROM oidc_clients c "
	    "JOIN storage s ON s.path = pocketid_client_logo_path(c.id, "
	    "$2::boolean, CASE WHEN $2::boolean THEN c.dark_image_type "
	    "ELSE c.image_type END) WHERE c.id = $1", 2 },
	/* Sets the logo's extension on the client row and stores the bytes
	 * at the matching path, dropping the object of an old extension;
	 * no row when the client does not exist. */
	[STMT_FILE_CLIENT_LOGO_PUT] = { "file_client_logo_put",
	    "WITH old AS (SELECT id, CASE WHEN $2::boolean THEN "
	    "dark_image_type ELSE image_type END AS t FROM oidc_clients "
	    "WHERE id = $1 FOR UPDATE), "
	    "upd AS (UPDATE oidc_clients c SET image_type = CASE WHEN "
	    "$2::boolean THEN c.image_type ELSE $3::text END, dark_image_type = "
	    "CASE WHEN $2::boolean THEN $3::text ELSE c.dark_image_type END "
	    "FROM old WHERE c.id = old.id RETURNING c.id), "
	    "del AS (DELETE FROM storage s USING old WHERE s.path = "
	    "pocketid_client_logo_path(old.id, $2::boolean, old.t) "
	    "AND old.t IS DISTINCT FROM $3::text) "
	    "INSERT INTO storage (path, content, content_type) "
	    "SELECT pocketid_client_logo_path(upd.id, $2::boolean, $3::text), "
	    "$4::bytea, $5 FROM upd ON CONFLICT (path) DO UPDATE SET "
	    "content = EXCLUDED.content, content_type = EXCLUDED.content_type, "
	    "updated_at = now() RETURNING 1", 5 },
	/* One row (true) when the client had that logo and it is gone. */
	[STMT_FILE_CLIENT_LOGO_DELETE] = { "file_client_logo_delete",
	    "WITH old AS (SELECT id, CASE WHEN $2::boolean THEN "
	    "dark_image_type ELSE image_type END AS t FROM oidc_clients "
	    "WHERE id = $1 FOR UPDATE), "
	    "upd AS (UPDATE oidc_clients c SET image_type = CASE WHEN "
	    "$2::boolean THEN c.image_type ELSE NULL END, dark_image_type = "
	    "CASE WHEN $2::boolean THEN NULL ELSE c.dark_image_type END "
	    "FROM old WHERE c.id = old.id AND coalesce(old.t, '') <> '' "
	    "RETURNING c.id), "
	    "del AS (DELETE FROM storage s USING old WHERE s.path = "
	    "pocketid_client_logo_path(old.id, $2::boolean, old.t) "
	    "RETURNING 1) "
	    "SELECT true FROM upd", 2 },
	/* apis.c: OAuth APIs (spec §1.8, §2.11). */
	[STMT_LIST_APIS] = { "list_apis", SQL_LIST("a",
	    "SELECT a.* FROM apis a WHERE true" SQL_LIST_NO_FILTERS
	    " AND ($1::text IS NULL OR a.name ILIKE $1 OR a.audience ILIKE $1)",
	    LIST_APIS_SORT(SQL_LIST_SORT) "a.id", SQL_API_DTO), 6 },
	/* Unique violation on the audience: PERR_CONFLICT. */
	[STMT_API_CREATE] = { "api_create",
	    "WITH a AS (INSERT INTO apis (id, name, audience) VALUES "
	    "($1::uuid, $2, $3) RETURNING *) SELECT " SQL_API_DTO " FROM a", 3 },
	[STMT_API_GET] = { "api_get",
	    "SELECT " SQL_API_DTO " FROM apis a WHERE a.id = $1::uuid", 1 },
	[STMT_API_RENAME] = { "api_rename",
	    "WITH a AS (UPDATE apis SET name = $2, updated_at = now() "
	    "WHERE id = $1::uuid RETURNING *) SELECT " SQL_API_DTO " FROM a", 2 },
	[STMT_API_DELETE] = { "api_delete",
	    "DELETE FROM apis WHERE id = $1::uuid", 1 },
	/*
	 * Replaces the permissions by key: $2 a jsonb array of {key, name,
	 * description}. Kept keys keep their id and grants; new ones are
	 * created in the array's order. The three sets are disjoint.
	 */
	[STMT_API_PERMISSIONS_SET] = { "api_permissions_set",
	    "WITH w AS (SELECT e ->> 'key' AS key, e ->> 'name' AS name, "
	    "e ->> 'description' AS description, o FROM jsonb_array_elements("
	    "$2::jsonb) WITH ORDINALITY AS x(e, o)), "
	    "d AS (DELETE FROM api_permissions p WHERE p.api_id = $1::uuid "
	    "AND p.key NOT IN (SELECT key FROM w)), "
	    "u AS (UPDATE api_permissions p SET name = w.name, "
	    "description = w.description FROM w WHERE p.api_id = $1::uuid "
	    "AND p.key = w.key) "
	    "INSERT INTO api_permissions (id, api_id, key, name, description, "
	    "created_at) SELECT gen_random_uuid(), $1::uuid, w.key, w.name, "
	    "w.description, now() + w.o * interval '1 microsecond' FROM w "
	    "WHERE NOT EXISTS (SELECT 1 FROM api_permissions p WHERE "
	    "p.api_id = $1::uuid AND p.key = w.key)", 2 },
	/* How many of the ids ($2, jsonb) are not permissions of API $1. */
	[STMT_API_PERMISSIONS_FOREIGN] = { "api_permissions_foreign",
	    "SELECT count(*) FROM " SQL_IDS_OF("$2::jsonb") " i WHERE "
	    "NOT EXISTS (SELECT 1 FROM api_permissions p WHERE p.id = i.id "
	    "AND p.api_id = $1::uuid)", 2 },
	/* $2 allow CIMD clients, $3 the permissions they may have. */
	[STMT_API_CIMD_SET] = { "api_cimd_set",
	    "WITH a AS (UPDATE apis SET allow_cimd_clients = $2::boolean, "
	    "updated_at = now() WHERE id = $1::uuid RETURNING id) "
	    "UPDATE api_permissions p SET allowed_for_cimd_clients = "
	    "(p.id IN (SELECT id FROM " SQL_IDS_OF("$3::jsonb") " i)) "
	    "FROM a WHERE p.api_id = a.id", 3 },
	/* GET /api/apis/:id/clients: scope $7 = the API. */
	[STMT_LIST_API_CLIENTS] = { "list_api_clients", SQL_LIST("c",
	    "SELECT c.* FROM oidc_clients c, apis a WHERE a.id = $7::uuid "
	    "AND " SQL_API_GRANTED SQL_LIST_NO_FILTERS
	    " AND ($1::text IS NULL OR c.name ILIKE $1)",
	    LIST_API_CLIENTS_SORT(SQL_LIST_SORT) "c.id",
	    "(SELECT json_build_object('client', " SQL_API_CLIENT_DTO ", "
	    SQL_API_GRANT_FIELDS ") FROM apis a WHERE a.id = $7::uuid)"), 7 },
	/* GET /api/apis/:id/assignable-clients: standard clients without a
	 * grant on API $7. */
	[STMT_LIST_API_ASSIGNABLE_CLIENTS] = { "list_api_assignable_clients",
	    SQL_LIST("c",
	    "SELECT c.* FROM oidc_clients c, apis a WHERE a.id = $7::uuid "
	    "AND c.client_type = 'standard' AND NOT " SQL_API_GRANTED
	    SQL_LIST_NO_FILTERS " AND ($1::text IS NULL OR c.name ILIKE $1)",
	    LIST_API_CLIENTS_SORT(SQL_LIST_SORT) "c.id",
	    SQL_API_CLIENT_DTO), 7 },
	/*
	 * The grant of client $2 on API $1: access per subject type ($3
	 * user, $4 client) and the permission ids of each ($5, $6 jsonb,
	 * ignored without the access). Rows no longer wanted go, wanted
	 * ones are added: the sets are disjoint.
	 */
	[STMT_API_GRANT_SET] = { "api_grant_set",
	    "WITH s AS (SELECT * FROM (VALUES ('user', $3::boolean), "
	    "('client', $4::boolean)) v(subject, wanted)), "
	    "w AS (SELECT 'user' AS subject, i.id FROM " SQL_IDS_OF("$5::jsonb")
	    " i WHERE $3::boolean UNION SELECT 'client', i.id FROM "
	    SQL_IDS_OF("$6::jsonb") " i WHERE $4::boolean), "
	    "d1 AS (DELETE FROM oidc_clients_allowed_apis g USING s "
	    "WHERE g.api_id = $1::uuid AND g.oidc_client_id = $2 AND "
	    "g.subject_type = s.subject AND NOT s.wanted), "
	    "i1 AS (INSERT INTO oidc_clients_allowed_apis (oidc_client_id, "
	    "api_id, subject_type) SELECT $2, $1::uuid, s.subject FROM s "
	    "WHERE s.wanted ON CONFLICT DO NOTHING), "
	    "d2 AS (DELETE FROM oidc_clients_allowed_api_permissions gp "
	    "USING api_permissions p WHERE gp.api_permission_id = p.id AND "
	    "p.api_id = $1::uuid AND gp.oidc_client_id = $2 AND NOT EXISTS "
	    "(SELECT 1 FROM w WHERE w.subject = gp.subject_type AND "
	    "w.id = gp.api_permission_id)) "
	    "INSERT INTO oidc_clients_allowed_api_permissions (oidc_client_id, "
	    "api_permission_id, subject_type) SELECT $2, w.id, w.subject "
	    "FROM w ON CONFLICT DO NOTHING", 6 },
	[STMT_API_GRANT_GET] = { "api_grant_get",
	    "SELECT json_build_object('client', " SQL_API_CLIENT_DTO ", "
	    SQL_API_GRANT_FIELDS ") FROM apis a, oidc_clients c "
	    "WHERE a.id = $1::uuid AND c.id = $2", 2 },
	[STMT_API_GRANT_DELETE] = { "api_grant_delete",
	    "WITH d AS (DELETE FROM oidc_clients_allowed_api_permissions gp "
	    "USING api_permissions p WHERE gp.api_permission_id = p.id AND "
	    "p.api_id = $1::uuid AND gp.oidc_client_id = $2) "
	    "DELETE FROM oidc_clients_allowed_apis WHERE api_id = $1::uuid "
	    "AND oidc_client_id = $2", 2 },
	/* GET /api/api-access/:clientId/apis; no row: no such client. */
	[STMT_API_ACCESS_APIS] = { "api_access_apis",
	    "SELECT coalesce((SELECT json_agg(json_build_object('api', "
	    SQL_API_DTO ", " SQL_API_GRANT_FIELDS ") ORDER BY lower(a.name), "
	    "a.id) FROM apis a WHERE " SQL_API_GRANTED "), '[]'::json) "
	    "FROM oidc_clients c WHERE c.id = $1", 1 },
	/* GET /api/api-access/:clientId/assignable-apis: scope $7. */
	[STMT_LIST_API_ASSIGNABLE_APIS] = { "list_api_assignable_apis",
	    SQL_LIST("a",
	    "SELECT a.* FROM apis a, oidc_clients c WHERE c.id = $7 AND NOT "
	    SQL_API_GRANTED SQL_LIST_NO_FILTERS
	    " AND ($1::text IS NULL OR a.name ILIKE $1 OR a.audience ILIKE $1)",
	    LIST_APIS_SORT(SQL_LIST_SORT) "a.id", SQL_API_DTO), 7 },
	/*
	 * Spec §2.11: the API of audience $1 as client $2 may use it for
	 * subject type $3: whether it has access and the permission keys
	 * granted (space-separated, keys hold no spaces). A CIMD client
	 * reaches APIs that allow CIMD clients, user-delegated only, with
	 * the permissions flagged for them. No row: no such API.
	 */
	[STMT_API_RESOLVE] = { "api_resolve",
	    "SELECT a.id, CASE WHEN c.client_type = 'cimd' THEN "
	    "a.allow_cimd_clients AND $3 = 'user' ELSE " SQL_API_HAS_ACCESS_P
	    " END, coalesce((SELECT string_agg(p.key, ' ' ORDER BY p.key) "
	    "FROM api_permissions p WHERE p.api_id = a.id AND CASE WHEN "
	    "c.client_type = 'cimd' THEN a.allow_cimd_clients AND $3 = 'user' "
	    "AND p.allowed_for_cimd_clients ELSE EXISTS (SELECT 1 FROM "
	    "oidc_clients_allowed_api_permissions gp WHERE "
	    "gp.api_permission_id = p.id AND gp.oidc_client_id = c.id AND "
	    "gp.subject_type = $3) END), '') "
	    "FROM apis a LEFT JOIN oidc_clients c ON c.id = $2 "
	    "WHERE a.audience = $1", 3 },
	/* Whether any of the keys ($2, space-separated) is an API
	 * permission client $1 was granted (or may use as CIMD client). */
	[STMT_API_CLIENT_HAS_KEYS] = { "api_client_has_keys",
	    "SELECT EXISTS (SELECT 1 FROM api_permissions p JOIN apis a ON "
	    "a.id = p.api_id JOIN oidc_clients c ON c.id = $1 WHERE p.key = "
	    "ANY (string_to_array($2, ' ')) AND (EXISTS (SELECT 1 FROM "
	    "oidc_clients_allowed_api_permissions gp WHERE "
	    "gp.api_permission_id = p.id AND gp.oidc_client_id = c.id) OR ("
	    SQL_API_IS_CIMD_GRANTED " AND p.allowed_for_cimd_clients)))", 2 },
	/* scopeInfo (spec §1.1): the permissions $2 of the API $1. */
	[STMT_API_SCOPE_INFO] = { "api_scope_info",
	    "SELECT coalesce(json_agg(jsonb_strip_nulls(jsonb_build_object("
	    "'key', p.key, 'name', p.name, 'description', p.description)) "
	    "ORDER BY p.created_at, p.key), '[]'::json) FROM api_permissions p "
	    "JOIN apis a ON a.id = p.api_id WHERE a.audience = $1 AND "
	    "p.key = ANY (string_to_array($2, ' '))", 2 },
	[STMT_API_GRANT_RESOURCE_SET] = { "api_grant_resource_set",
	    "UPDATE oidc_grants SET resource = $2 WHERE id = $1::uuid", 2 },
	[STMT_API_GRANT_RESOURCE_GET] = { "api_grant_resource_get",
	    "SELECT coalesce(resource, '') FROM oidc_grants "
	    "WHERE id = $1::uuid", 1 },
	[STMT_API_DEVICE_RESOURCE_SET] = { "api_device_resource_set",
	    "UPDATE oidc_device_codes SET resource = $2 "
	    "WHERE device_code_hash = $1", 2 },
	/* By user code; the grant it was approved into gets it too. */
	[STMT_API_DEVICE_RESOURCE_GET] = { "api_device_resource_get",
	    "SELECT coalesce(resource, '') FROM oidc_device_codes "
	    "WHERE user_code = $1", 1 },
	[STMT_API_DEVICE_RESOURCE_TO_GRANT] = { "api_device_resource_to_grant",
	    "UPDATE oidc_grants g SET resource = d.resource FROM "
	    "oidc_device_codes d WHERE d.user_code = $1 AND g.id = d.grant_id",
	    1 },
	/* oidc.c (performance): one round trip for all the rows a token
	 * response records: the access token and, when $8 is not NULL, the
	 * refresh token of the same grant. */
	[STMT_OIDC_TOKENS_ISSUE] = { "oidc_tokens_issue",
	    "WITH a AS (INSERT INTO oidc_access_tokens (jti, grant_id, "
	    "client_id, subject, scope, audience, expires_at) VALUES ($1::uuid, "
	    "$2::uuid, $3, $4, $5, $6::jsonb, to_timestamp($7::bigint))) "
	    "INSERT INTO oidc_refresh_tokens (token_hash, grant_id, scope, "
	    "id_token_jti, expires_at) SELECT $8::text, $2::uuid, $5, $9::uuid, "
	    "now() + make_interval(mins => $10::int) WHERE $8::text IS NOT NULL", 10 },
	/* The access token's row (as oidc_access_find) with, for a user's
	 * token granted openid, the claims of its scopes and whether the user
	 * is enabled: userinfo in one round trip. */
	[STMT_OIDC_ACCESS_USERINFO] = { "oidc_access_userinfo",
	    "SELECT a.client_id, a.subject, a.scope, "
	    "extract(epoch FROM a.created_at)::bigint, "
	    "extract(epoch FROM a.expires_at)::bigint, a.audience::text, "
	    "coalesce(a.grant_id::text, ''), "
	    "CASE WHEN 'openid' = ANY (k.k) THEN "
	    SQL_USER_CLAIMS("us.id", "'profile' = ANY (k.k)",
	    "'email' = ANY (k.k)", "'groups' = ANY (k.k)", "$2::text")
	    "::text END, coalesce(NOT us.disabled, false) "
	    "FROM oidc_access_tokens a "
	    "CROSS JOIN LATERAL string_to_array(a.scope, ' ') AS k(k) "
	    "LEFT JOIN users us ON us.id = CASE WHEN a.subject ~ "
	    "'^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$' "
	    "THEN a.subject::uuid END "
	    "WHERE a.jti = $1::uuid AND a.expires_at > now()", 2 },
	/* cimd.c: client metadata documents (spec §2.12). No row: unknown
	 * client; else its type, whether its metadata has expired and the
	 * grant types its document declared. */
	[STMT_CIMD_STATE] = { "cimd_state",
	    "SELECT client_type, coalesce(metadata_expires_at <= now(), true), "
	    "coalesce(metadata_grant_types, '[]')::text "
	    "FROM oidc_clients WHERE id = $1", 1 },
	/* Creates or refreshes a metadata-document client, never touching a
	 * registered ('standard') one: no row then. A change of redirect
	 * URIs, logout URIs or grant types drops every consent for it
	 * (spec §2.9). $6: seconds until the metadata expires. */
	[STMT_CIMD_UPSERT] = { "cimd_upsert",
	    "WITH old AS (SELECT callback_urls, logout_callback_urls, "
	    "metadata_grant_types FROM oidc_clients WHERE id = $1 "
	    "AND client_type = 'cimd'), "
	    "up AS (INSERT INTO oidc_clients AS c (id, name, callback_urls, "
	    "logout_callback_urls, is_public, pkce_enabled, client_type, "
	    "metadata_expires_at, metadata_grant_types) VALUES ($1, $2, "
	    "$3::jsonb, $4::jsonb, true, true, 'cimd', "
	    "now() + make_interval(secs => $6::int), $5::jsonb) "
	    "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
	    "callback_urls = EXCLUDED.callback_urls, "
	    "logout_callback_urls = EXCLUDED.logout_callback_urls, "
	    "is_public = true, pkce_enabled = true, "
	    "metadata_expires_at = EXCLUDED.metadata_expires_at, "
	    "metadata_grant_types = EXCLUDED.metadata_grant_types "
	    "WHERE c.client_type = 'cimd' RETURNING c.id), "
	    "gone AS (DELETE FROM user_authorized_oidc_clients a USING old "
	    "WHERE a.client_id = $1 AND EXISTS (SELECT 1 FROM up) AND "
	    "(old.callback_urls <> $3::jsonb OR "
	    "old.logout_callback_urls <> $4::jsonb OR "
	    "old.metadata_grant_types IS DISTINCT FROM $5::jsonb)) "
	    "SELECT count(*) FROM up", 6 },
	/* PUT on a metadata-document client (spec §1.7): only description,
	 * re-authentication, PAR, skip consent, launch URL, group
	 * restriction and token lifetimes; the rest is the document's. */
	[STMT_CIMD_ADMIN_UPDATE] = { "cimd_admin_update",
	    "WITH u AS (UPDATE oidc_clients c SET description = $2, "
	    "requires_reauthentication = $3::boolean, "
	    "requires_pushed_authorization_requests = $4::boolean, "
	    "skip_consent = $5::boolean, launch_url = $6, "
	    "is_group_restricted = $7::boolean, "
	    "access_token_duration_minutes = $8::bigint, "
	    "refresh_token_duration_minutes = $9::bigint "
	    "WHERE c.id = $1 AND c.client_type = 'cimd' RETURNING c.*), "
	    "d AS (DELETE FROM oidc_clients_allowed_user_groups a USING u "
	    "WHERE a.oidc_client_id = u.id AND NOT u.is_group_restricted) "
	    "SELECT " SQL_OIDC_CLIENT_GROUPS_DTO("c.is_group_restricted")
	    " FROM u c", 9 },
	/* list.c: the users and groups lists when a search is given. */
	[STMT_LIST_USERS_SEARCH] = { "list_users_search",
	    SQL_LIST_USERS(SQL_LIST_USERS_SEARCHED), 6 },
	[STMT_LIST_USER_GROUPS_SEARCH] = { "list_user_groups_search",
	    SQL_LIST_USER_GROUPS(SQL_LIST_USER_GROUPS_SEARCHED), 6 },
};

const struct channel_def db_channels[DB_CHANNEL_COUNT] = {
	[DB_CHANNEL_SIGNING_KEYS] = { "pocketid_signing_keys",
	    STMT_KEYS_LISTEN, STMT_KEYS_NOTIFY },
};
