/*
 * store internals: shared by the files of src/store/ and by its unit tests,
 * never included from another module. This is the only header that names
 * libpq types: PGresult and PGconn do not leave src/store/.
 */
#ifndef POCKETID_STORE_INTERNAL_H
#define POCKETID_STORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "store/store.h"

/*
 * The prepared-statement table. Every SQL statement the service runs is a
 * row here (migration files aside): an entity file that needs a statement
 * adds an enum value and a row in statements.c. Rows are prepared lazily,
 * per connection, on first use, and again after a reconnect.
 */
enum stmt {
	STMT_PING,
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_KV_GET,
	STMT_KV_SET,
	STMT_MIG_TRY_LOCK,
	STMT_MIG_LOCK,
	STMT_MIG_UNLOCK,
	STMT_MIG_ENSURE_TABLE,
	STMT_MIG_LIST,
	STMT_MIG_RECORD,
	/* users, sessions, passkeys: user.c, session.c, passkey.c */
	STMT_USER_COUNT_REAL,
	STMT_USER_LOCK_TABLE,
	STMT_USER_DTO,
	STMT_USER_FIND_LOGIN,
	STMT_USER_ENSURE_STATIC,
	STMT_USER_DISABLED,
	STMT_SESSION_INSERT,
	STMT_SESSION_FIND,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DELETE,
	STMT_SESSION_DELETE_OWN,
	STMT_SESSION_DELETE_OTHERS,
	STMT_SESSION_LIST,
	STMT_WA_SESSION_INSERT,
	STMT_WA_SESSION_TAKE,
	STMT_CRED_INSERT,
	STMT_CRED_FIND,
	STMT_CRED_USED,
	STMT_CRED_LIST,
	STMT_CRED_DTO,
	STMT_CRED_RENAME,
	STMT_CRED_DELETE,
	STMT_CRED_EXCLUDE,
	STMT_OTP_INSERT,
	STMT_OTP_TAKE,
	STMT_REAUTH_INSERT,
	STMT_REAUTH_TAKE,
	STMT_API_KEY_USE,
	STMT_AUDIT_INSERT,
	STMT_APP_CONFIG_GET,
	/* oidc.c: interactions, grants, codes, tokens */
	STMT_OIDC_INTERACTION_SAVE,
	STMT_OIDC_INTERACTION_GET,
	STMT_OIDC_INTERACTION_DELETE,
	STMT_OIDC_CODE_ISSUE,
	STMT_OIDC_CODE_TAKE,
	STMT_OIDC_GRANT_REVOKE,
	STMT_OIDC_REFRESH_TAKE,
	STMT_OIDC_REFRESH_REVOKE_BY_JTI,
	STMT_OIDC_ACCESS_FIND,
	STMT_OIDC_ACCESS_DELETE,
	STMT_OIDC_USER_CLAIMS,
	STMT_OIDC_REVOKE_USER_CLIENT,
	STMT_OIDC_REFRESH_PEEK,
	/* list.c and the admin entity files (users_admin.c, groups.c,
	 * claims.c, signup.c): list endpoints (spec §0.5) and admin CRUD */
	STMT_LIST_USERS,
	STMT_LIST_USER_GROUPS,
	STMT_LIST_SIGNUP_TOKENS,
	STMT_NFC,
	STMT_USER_GET,
	STMT_USER_CONFLICT,
	STMT_USER_INSERT_FULL,
	STMT_USER_UPDATE,
	STMT_USER_SET_LOCALE,
	STMT_USER_TOUCH,
	STMT_USER_END_SESSIONS,
	STMT_USER_DELETE,
	STMT_USER_GROUPS_MISSING,
	STMT_USER_GROUPS_CLEAR,
	STMT_USER_GROUPS_ADD,
	STMT_USER_GROUPS_DTO,
	STMT_USER_CLAIMS_CLEAR,
	STMT_USER_CLAIMS_ADD,
	STMT_USER_CLAIMS_JSON,
	STMT_GROUP_LDAP_ID,
	STMT_GROUP_INSERT,
	STMT_GROUP_UPDATE,
	STMT_GROUP_DELETE,
	STMT_GROUP_DTO,
	STMT_GROUP_TOUCH,
	STMT_GROUP_USERS_MISSING,
	STMT_GROUP_USERS_CLEAR,
	STMT_GROUP_USERS_ADD,
	STMT_GROUP_CLIENTS_MISSING,
	STMT_GROUP_CLIENTS_CLEAR,
	STMT_GROUP_CLIENTS_ADD,
	STMT_GROUP_CLAIMS_CLEAR,
	STMT_GROUP_CLAIMS_ADD,
	STMT_GROUP_CLAIMS_JSON,
	STMT_CLAIMS_SUGGESTIONS,
	STMT_SIGNUP_TOKEN_INSERT,
	STMT_SIGNUP_TOKEN_GROUPS_ADD,
	STMT_SIGNUP_TOKEN_DTO,
	STMT_SIGNUP_TOKEN_DELETE,
	STMT_SIGNUP_TOKEN_TAKE,
	/* signing keys and LISTEN/NOTIFY (signing_keys.c, notify.c) */
	STMT_KEYS_LOCK,
	STMT_KEYS_INSTANCE_ID,
	STMT_KEYS_LIST,
	STMT_KEYS_ADD,
	STMT_KEYS_RETIRE_NEWEST,
	STMT_KEYS_RESEAL,
	STMT_KEYS_PURGE,
	STMT_KEYS_LISTEN,
	STMT_KEYS_NOTIFY,
	/* client.c: OIDC clients, their secrets, allowed groups, consent */
	STMT_CLIENT_INSERT,
	STMT_CLIENT_UPDATE,
	STMT_CLIENT_DTO,
	STMT_CLIENT_META,
	STMT_CLIENT_DELETE,
	STMT_CLIENT_LOCK,
	STMT_CLIENT_SECRET_COUNT,
	STMT_CLIENT_GROUPS_CLEAR,
	STMT_CLIENT_GROUPS_ADD,
	STMT_CLIENT_DTO_PLAIN,
	STMT_CLIENT_LOAD,
	STMT_CLIENT_SECRETS_LIST,
	STMT_CLIENT_SECRET_INSERT,
	STMT_CLIENT_SECRET_DELETE,
	STMT_CLIENT_ALLOWS_USER,
	STMT_CONSENT_GET,
	STMT_CONSENT_MERGE,
	STMT_CONSENT_DELETE,
	STMT_LIST_OIDC_CLIENTS,
	STMT_LIST_OIDC_AUTHORIZED,
	STMT_LIST_OIDC_ACCESSIBLE,
	/* admin-config: config.c, apikey.c, audit_read.c */
	STMT_APP_CONFIG_LIST,
	STMT_APP_CONFIG_LOCK,
	STMT_APP_CONFIG_CLEAR,
	STMT_APP_CONFIG_INSERT_ALL,
	STMT_API_KEY_INSERT,
	STMT_API_KEY_RENEW,
	STMT_API_KEY_EXISTS,
	STMT_API_KEY_DELETE,
	STMT_API_KEY_FUTURE,
	STMT_AUDIT_CLIENT_NAMES,
	STMT_AUDIT_USERS,
	STMT_AUDIT_PURGE_LOCK,
	STMT_AUDIT_PURGE,
	STMT_LIST_API_KEYS,
	STMT_LIST_AUDIT_OWN,
	STMT_LIST_AUDIT_ALL,
	STMT_FEDERATED_JWKS_GET,
	STMT_FEDERATED_JWKS_PUT,
	STMT_JTI_USE,
	STMT_CLIENT_LONGEST_ACCESS,
	STMT_APP_CONFIG_SET,
	STMT_HOUSEKEEPING,
	/* oidc_device.c */
	STMT_DEVICE_ISSUE,
	STMT_DEVICE_FIND,
	STMT_DEVICE_APPROVE,
	STMT_DEVICE_POLL,
	/* oidc_par.c */
	STMT_PAR_SAVE,
	STMT_PAR_TAKE,
	/* images: files.c (stored objects, spec §5.5) */
	STMT_FILE_GET,
	STMT_FILE_PUT,
	STMT_FILE_DELETE,
	STMT_FILE_GET_PREFIX,
	STMT_FILE_PUT_PREFIX,
	STMT_FILE_DELETE_PREFIX,
	STMT_FILE_PUT_USER_PICTURE,
	STMT_FILE_USER_NAMES,
	STMT_FILE_CLIENT_LOGO_GET,
	STMT_FILE_CLIENT_LOGO_PUT,
	STMT_FILE_CLIENT_LOGO_DELETE,
	/* apis.c: OAuth APIs, their permissions and client grants */
	STMT_LIST_APIS,
	STMT_API_CREATE,
	STMT_API_GET,
	STMT_API_RENAME,
	STMT_API_DELETE,
	STMT_API_PERMISSIONS_SET,
	STMT_API_PERMISSIONS_FOREIGN,
	STMT_API_CIMD_SET,
	STMT_LIST_API_CLIENTS,
	STMT_LIST_API_ASSIGNABLE_CLIENTS,
	STMT_API_GRANT_SET,
	STMT_API_GRANT_GET,
	STMT_API_GRANT_DELETE,
	STMT_API_ACCESS_APIS,
	STMT_LIST_API_ASSIGNABLE_APIS,
	STMT_API_RESOLVE,
	STMT_API_CLIENT_HAS_KEYS,
	STMT_API_SCOPE_INFO,
	STMT_API_GRANT_RESOURCE_SET,
	STMT_API_GRANT_RESOURCE_GET,
	STMT_API_DEVICE_RESOURCE_SET,
	STMT_API_DEVICE_RESOURCE_GET,
	STMT_API_DEVICE_RESOURCE_TO_GRANT,
	/* oidc.c: the folded statements of the token and userinfo paths */
	STMT_OIDC_TOKENS_ISSUE,
	STMT_OIDC_ACCESS_USERINFO,
	/* cimd.c (OAuth Client ID Metadata Documents) */
	STMT_CIMD_STATE,
	STMT_CIMD_UPSERT,
	STMT_CIMD_ADMIN_UPDATE,
	/* list.c: the same lists with a search (see store_list_def) */
	STMT_LIST_USERS_SEARCH,
	STMT_LIST_USER_GROUPS_SEARCH,
	STMT_COUNT
};

struct stmt_def {
	const char *name;	/* server-side prepared statement name */
	const char *sql;	/* parameters are $1..$nparams, all text */
	int nparams;
};

extern const struct stmt_def db_statements[STMT_COUNT];

/*
 * The UserDto of spec §0.6 as one SQL expression over a users row named u,
 * so every statement that returns users returns the same shape.
 */
#define SQL_CLAIMS_OF(col, id) \
	"coalesce((SELECT json_agg(json_build_object('key', c.key, " \
	"'value', c.value) ORDER BY c.key) FROM custom_claims c " \
	"WHERE c." col " = " id "), '[]'::json)"
/* UserGroupMinimalDto (spec §0.6) over a user_groups row named g. */
#define SQL_USER_GROUP_MIN_DTO \
	"json_build_object('id', g.id, 'friendlyName', g.friendly_name, " \
	"'name', g.name, " \
	"'customClaims', " SQL_CLAIMS_OF("user_group_id", "g.id") ", " \
	"'userCount', (SELECT count(*) FROM user_groups_users x " \
	"WHERE x.user_group_id = g.id), 'ldapId', g.ldap_id, " \
	"'createdAt', g.created_at)"
#define SQL_USER_DTO \
	"json_build_object('id', u.id, 'username', u.username, " \
	"'email', u.email, 'emailVerified', u.email_verified, " \
	"'firstName', coalesce(u.first_name, ''), " \
	"'lastName', coalesce(u.last_name, ''), " \
	"'displayName', u.display_name, 'isAdmin', u.is_admin, " \
	"'locale', u.locale, " \
	"'customClaims', " SQL_CLAIMS_OF("user_id", "u.id") ", " \
	"'userGroups', coalesce((SELECT json_agg(" SQL_USER_GROUP_MIN_DTO \
	" ORDER BY g.name) FROM user_groups g " \
	"JOIN user_groups_users ug ON ug.user_group_id = g.id " \
	"WHERE ug.user_id = u.id), '[]'::json), " \
	"'ldapId', u.ldap_id, 'disabled', u.disabled)"

/* UserGroupDto (spec §0.6) over a user_groups row named g. */
#define SQL_USER_GROUP_DTO \
	"json_build_object('id', g.id, 'friendlyName', g.friendly_name, " \
	"'name', g.name, " \
	"'customClaims', " SQL_CLAIMS_OF("user_group_id", "g.id") ", " \
	"'ldapId', g.ldap_id, 'createdAt', g.created_at, " \
	"'users', coalesce((SELECT json_agg(" SQL_USER_DTO \
	" ORDER BY u.username) FROM users u JOIN user_groups_users m " \
	"ON m.user_id = u.id WHERE m.user_group_id = g.id), '[]'::json), " \
	"'allowedOidcClients', coalesce((SELECT json_agg(" \
	SQL_OIDC_CLIENT_META_DTO " ORDER BY c.name) FROM oidc_clients c " \
	"JOIN oidc_clients_allowed_user_groups a ON a.oidc_client_id = c.id " \
	"WHERE a.user_group_id = g.id), '[]'::json))"

/* The distinct UUIDs of a jsonb array of strings, as rows of id. */
#define SQL_IDS_OF(param) \
	"(SELECT DISTINCT jsonb_array_elements_text(" param ")::uuid AS id)"

/*
 * A signup token (spec §1.4) over a signup_tokens row named t. Only the
 * SHA-256 of a token is stored, so token_expr is the token itself when
 * it was just made and NULL in lists.
 */
#define SQL_SIGNUP_TOKEN_DTO(token_expr) \
	"json_build_object('id', t.id, 'token', " token_expr ", " \
	"'expiresAt', t.expires_at, 'usageLimit', t.usage_limit, " \
	"'usageCount', t.usage_count, 'userGroups', coalesce((SELECT " \
	"json_agg(" SQL_USER_GROUP_MIN_DTO " ORDER BY g.name) " \
	"FROM user_groups g JOIN signup_tokens_user_groups sg " \
	"ON sg.user_group_id = g.id WHERE sg.signup_token_id = t.id), " \
	"'[]'::json), 'createdAt', t.created_at)"

/* bytea as base64url text (PostgreSQL's base64 wraps lines and pads). */
#define SQL_B64URL(expr) \
	"translate(encode(" expr ", 'base64'), E'+/=\\n', '-_')"

/* WebauthnCredentialDto (spec §0.6) over a webauthn_credentials row w. */
#define SQL_CREDENTIAL_DTO \
	"json_build_object('id', w.id, 'name', w.name, " \
	"'credentialID', " SQL_B64URL("w.credential_id") ", " \
	"'attestationType', w.attestation_type, 'transport', w.transport, " \
	"'backupEligible', w.backup_eligible, " \
	"'backupState', w.backup_state, 'createdAt', w.created_at, " \
	"'lastUsedAt', w.last_used_at, 'aaguid', w.aaguid)"

/* ApiKeyDto (spec §0.6) over an api_keys row k. */
#define SQL_API_KEY_DTO \
	"json_build_object('id', k.id, 'name', k.name, " \
	"'description', k.description, 'expiresAt', k.expires_at, " \
	"'lastUsedAt', k.last_used_at, 'createdAt', k.created_at, " \
	"'expirationEmailSent', k.expiration_email_sent)"

/*
 * List statements (spec §0.5). One statement per list endpoint, built by
 * SQL_LIST at compile time, so a request picks values, never SQL. All of
 * them take the same parameters:
 *   $1 search pattern for ILIKE, already escaped and wrapped in %...%
 *      (NULL: no search), $2 filters, a jsonb object mapping a field
 *      name to the array of accepted values ('{}': none), $3 the sort
 *      field's JSON name, $4 'asc' or 'desc', $5 page size, $6 the page
 *      wanted (clamped here to [1, last page]), $7... the endpoint's scope
 *      (an owner's id, say: store_list_def.n_scope of them).
 * and answer one row with one column, the response:
 *   {"data": [...], "pagination": {"totalPages", "totalItems",
 *    "currentPage", "itemsPerPage"}}.
 *
 * An endpoint's sortable and filterable columns are X-macro lists
 * X(json name, SQL expression, enum store_list_type): the same list
 * expands into the statement's ORDER BY / WHERE (SQL_LIST_SORT,
 * SQL_LIST_FILTER) and into the store_list_def the query parser checks
 * requests against (STORE_LIST_COLUMN), so the two cannot disagree.
 *
 *   alias  the row alias used by rows, order and dto ("u")
 *   rows   "SELECT u.* FROM users u WHERE ..." with SQL_LIST_FILTERS,
 *          a search condition on $1 (or SQL_LIST_NO_SEARCH) and its scope
 *   order  LIST_X(SQL_LIST_SORT) followed by a unique column ("u.id")
 *   dto    the JSON of one row over alias
 */
#define SQL_LIST(alias, rows, order, dto) \
	"WITH f AS (" rows "), " \
	"n AS (SELECT count(*) AS total, $5::bigint AS size FROM f), " \
	"p AS (SELECT total, size, greatest(1, (total + size - 1) / size) " \
	"AS pages, least(greatest($6::bigint, 1), greatest(1, " \
	"(total + size - 1) / size)) AS page FROM n), " \
	"s AS (SELECT " alias ".* FROM f " alias " ORDER BY " order \
	" LIMIT $5::bigint OFFSET (SELECT (page - 1) * size FROM p)) " \
	"SELECT json_build_object('data', coalesce((SELECT json_agg(" dto \
	" ORDER BY " order ") FROM s " alias "), '[]'::json), " \
	"'pagination', json_build_object('totalPages', p.pages, " \
	"'totalItems', p.total, 'currentPage', p.page, " \
	"'itemsPerPage', p.size)) FROM p"
/* One sortable column: two keys, one per direction; inactive ones are
 * NULL for every row and so do not change the order. */
#define SQL_LIST_SORT(name, expr, type) \
	"CASE WHEN $3 = '" name "' AND $4 = 'asc' THEN " expr " END, " \
	"CASE WHEN $3 = '" name "' AND $4 = 'desc' THEN " expr " END DESC, "
/* One filterable column: "column IN (values)" when the field is given. */
#define SQL_LIST_FILTER(name, expr, type) \
	" AND (NOT ($2::jsonb ? '" name "') OR " \
	"($2::jsonb -> '" name "') @> to_jsonb(" expr "))"
/* Endpoints without search or filters still name $1 and $2. */
#define SQL_LIST_NO_SEARCH " AND $1::text IS NULL"
#define SQL_LIST_NO_FILTERS " AND $2::jsonb IS NOT NULL"
/* A row of a store_list_def's column array. */
#define STORE_LIST_COLUMN(name, expr, type) { name, type },

/* Users (spec §1.5); search: email, first, last and user name. */
#define LIST_USERS_SORT(X) \
	X("username", "u.username", STORE_LIST_TEXT) \
	X("email", "lower(u.email)", STORE_LIST_TEXT) \
	X("emailVerified", "u.email_verified", STORE_LIST_BOOL) \
	X("firstName", "lower(u.first_name)", STORE_LIST_TEXT) \
	X("lastName", "lower(u.last_name)", STORE_LIST_TEXT) \
	X("displayName", "lower(u.display_name)", STORE_LIST_TEXT) \
	X("isAdmin", "u.is_admin", STORE_LIST_BOOL) \
	X("disabled", "u.disabled", STORE_LIST_BOOL) \
	X("createdAt", "u.created_at", STORE_LIST_TEXT)
#define LIST_USERS_FILTER(X) \
	X("emailVerified", "u.email_verified", STORE_LIST_BOOL) \
	X("isAdmin", "u.is_admin", STORE_LIST_BOOL) \
	X("disabled", "u.disabled", STORE_LIST_BOOL)

/* User groups (spec §1.6); search: name and friendly name. */
#define LIST_USER_GROUPS_SORT(X) \
	X("friendlyName", "lower(g.friendly_name)", STORE_LIST_TEXT) \
	X("name", "g.name", STORE_LIST_TEXT) \
	X("createdAt", "g.created_at", STORE_LIST_TEXT) \
	X("userCount", "g.user_count", STORE_LIST_INT)
#define LIST_USER_GROUPS_FILTER(X)

/*
 * The rows of the users and user-groups lists, with search a condition on
 * $1. Each list has two statements (store_list_def.stmt_search): one
 * without a search (search "$1::text IS NULL", the ILIKEs unreachable)
 * and one that always searches, whose generic plan can use the trigram
 * indexes of sql/0012_list_indexes.sql; a single statement with
 * "$1 IS NULL OR ..." gets a cached generic plan that scans every row.
 * The static API key's synthetic user is not a person and is not listed.
 */
#define SQL_LIST_USERS_SEARCHED \
	"(u.username::text ILIKE $1 OR u.email ILIKE $1 " \
	"OR u.first_name ILIKE $1 OR u.last_name ILIKE $1)"
#define SQL_LIST_USERS(search) SQL_LIST("u", \
	"SELECT u.* FROM users u " \
	"WHERE u.id <> '00000000-0000-0000-0000-000000000000'" \
	LIST_USERS_FILTER(SQL_LIST_FILTER) " AND " search, \
	LIST_USERS_SORT(SQL_LIST_SORT) "u.id", SQL_USER_DTO)
#define SQL_LIST_USER_GROUPS_SEARCHED \
	"(g.name ILIKE $1 OR g.friendly_name ILIKE $1)"
#define SQL_LIST_USER_GROUPS(search) SQL_LIST("g", \
	"SELECT g.*, (SELECT count(*) FROM user_groups_users x " \
	"WHERE x.user_group_id = g.id) AS user_count " \
	"FROM user_groups g WHERE true" SQL_LIST_NO_FILTERS " AND " search, \
	LIST_USER_GROUPS_SORT(SQL_LIST_SORT) "g.id", SQL_USER_GROUP_MIN_DTO)

/* Signup tokens (spec §1.4); the expired ones are not listed. */
#define LIST_SIGNUP_TOKENS_SORT(X) \
	X("createdAt", "t.created_at", STORE_LIST_TEXT) \
	X("expiresAt", "t.expires_at", STORE_LIST_TEXT) \
	X("usageLimit", "t.usage_limit", STORE_LIST_INT) \
	X("usageCount", "t.usage_count", STORE_LIST_INT)
#define LIST_SIGNUP_TOKENS_FILTER(X)

/* A user's API keys (spec §1.13); scope $7: the owner. */
#define LIST_API_KEYS_SORT(X) \
	X("name", "lower(k.name)", STORE_LIST_TEXT) \
	X("expiresAt", "k.expires_at", STORE_LIST_TEXT) \
	X("lastUsedAt", "k.last_used_at", STORE_LIST_TEXT) \
	X("createdAt", "k.created_at", STORE_LIST_TEXT)
#define LIST_API_KEYS_FILTER(X)

/*
 * The audit log (spec §1.12): the own list (scope $7: the user) and the
 * admin list. filters[location] is "internal" for the internal network
 * and "external" for everything else (Pocket ID maps "external" to a
 * country nobody has, so its filter finds nothing).
 */
#define LIST_AUDIT_SORT(X) \
	X("event", "a.event", STORE_LIST_TEXT) \
	X("ipAddress", "a.ip_address", STORE_LIST_TEXT) \
	X("country", "a.country", STORE_LIST_TEXT) \
	X("city", "a.city", STORE_LIST_TEXT) \
	X("userAgent", "a.user_agent", STORE_LIST_TEXT) \
	X("createdAt", "a.created_at", STORE_LIST_TEXT)
#define LIST_AUDIT_OWN_FILTER(X) \
	X("event", "a.event", STORE_LIST_TEXT) \
	X("userID", "a.user_id::text", STORE_LIST_TEXT)
#define LIST_AUDIT_ALL_FILTER(X) \
	LIST_AUDIT_OWN_FILTER(X) \
	X("clientName", "a.data->>'clientName'", STORE_LIST_TEXT) \
	X("location", "CASE WHEN a.country = 'Internal Network' " \
	    "THEN 'internal' ELSE 'external' END", STORE_LIST_TEXT)
/*
 * AuditLogDto (spec §0.6) over an audit_logs row a that has a username
 * column. "device" holds the user agent (its first 1024 characters, all
 * that http/user_agent.c reads): the admin module replaces it with the
 * device string, which needs a parser SQL does not have.
 */
#define SQL_AUDIT_LOG_DTO \
	"json_build_object('id', a.id, 'createdAt', a.created_at, " \
	"'event', a.event, 'ipAddress', coalesce(host(a.ip_address), ''), " \
	"'country', coalesce(a.country, ''), 'city', coalesce(a.city, ''), " \
	"'device', left(coalesce(a.user_agent, ''), 1024), " \
	"'userID', coalesce(a.user_id::text, ''), " \
	"'username', coalesce(a.username, ''), " \
	"'actorUsername', coalesce(a.data->>'actorUsername', ''), " \
	"'data', a.data)"

/*
 * OIDC clients (store/client.c). The DTOs of spec §0.6 over an
 * oidc_clients row named c, as jsonb so that parts can be joined with ||.
 * Secrets are rows of oidc_client_secrets (see sql/0006), shown in
 * credentials.secrets; federatedIdentities is left out when empty and
 * pkceSupported when false, as Pocket ID's omitempty does.
 */
/* images (files.c): whether the logo's bytes are in storage (sql/0009). */
#define SQL_OIDC_CLIENT_HAS_LOGO(dark, ext) \
	"EXISTS (SELECT 1 FROM storage st WHERE st.path = " \
	"pocketid_client_logo_path(c.id, " dark ", " ext "))"
#define SQL_OIDC_CLIENT_META_DTO \
	"jsonb_build_object('id', c.id, 'name', c.name, " \
	"'description', c.description, " \
	"'hasLogo', " SQL_OIDC_CLIENT_HAS_LOGO("false", "c.image_type") ", " \
	"'hasDarkLogo', " SQL_OIDC_CLIENT_HAS_LOGO("true", \
	"c.dark_image_type") ", " \
	"'launchURL', c.launch_url, " \
	"'requiresReauthentication', c.requires_reauthentication, " \
	"'clientType', c.client_type)"
#define SQL_OIDC_SECRET_DTO \
	"jsonb_build_object('id', s.id, 'prefix', s.prefix, " \
	"'createdAt', s.created_at, 'expiresAt', s.expires_at, " \
	"'isActive', s.expires_at IS NULL OR s.expires_at > now())"
#define SQL_OIDC_CLIENT_DTO \
	"(" SQL_OIDC_CLIENT_META_DTO " || jsonb_build_object(" \
	"'callbackURLs', c.callback_urls, " \
	"'logoutCallbackURLs', c.logout_callback_urls, " \
	"'isPublic', c.is_public, 'pkceEnabled', c.pkce_enabled, " \
	"'requiresPushedAuthorizationRequests', " \
	"c.requires_pushed_authorization_requests, " \
	"'skipConsent', c.skip_consent, " \
	"'credentials', CASE WHEN jsonb_array_length(coalesce(" \
	"c.credentials -> 'federatedIdentities', '[]')) > 0 THEN " \
	"jsonb_build_object('federatedIdentities', " \
	"c.credentials -> 'federatedIdentities') ELSE '{}'::jsonb END || " \
	"jsonb_build_object('secrets', coalesce((SELECT jsonb_agg(" \
	SQL_OIDC_SECRET_DTO " ORDER BY s.created_at, s.id) " \
	"FROM oidc_client_secrets s WHERE s.client_id = c.id), " \
	"'[]'::jsonb)), " \
	"'isGroupRestricted', c.is_group_restricted, " \
	"'accessTokenDurationMinutes', c.access_token_duration_minutes, " \
	"'refreshTokenDurationMinutes', c.refresh_token_duration_minutes) " \
	"|| CASE WHEN c.pkce_supported THEN '{\"pkceSupported\": true}'" \
	"::jsonb ELSE '{}'::jsonb END)"
/* ... plus allowedUserGroups, [UserGroupMinimalDto] (when cond holds). */
#define SQL_OIDC_CLIENT_GROUPS_DTO(cond) \
	"(" SQL_OIDC_CLIENT_DTO " || jsonb_build_object('allowedUserGroups', " \
	"CASE WHEN " cond " THEN coalesce((SELECT jsonb_agg((" \
	SQL_USER_GROUP_MIN_DTO ")::jsonb ORDER BY g.name) FROM user_groups g " \
	"JOIN oidc_clients_allowed_user_groups a ON a.user_group_id = g.id " \
	"WHERE a.oidc_client_id = c.id), '[]'::jsonb) ELSE '[]'::jsonb END))"

/* GET /api/oidc/clients: search on the name. */
#define LIST_OIDC_CLIENTS_SORT(X) \
	X("name", "c.name", STORE_LIST_TEXT) \
	X("createdAt", "c.created_at", STORE_LIST_TEXT) \
	X("pkceEnabled", "c.pkce_enabled", STORE_LIST_BOOL) \
	X("requiresReauthentication", "c.requires_reauthentication", \
	    STORE_LIST_BOOL) \
	X("requiresPushedAuthorizationRequests", \
	    "c.requires_pushed_authorization_requests", STORE_LIST_BOOL) \
	X("skipConsent", "c.skip_consent", STORE_LIST_BOOL) \
	X("isGroupRestricted", "c.is_group_restricted", STORE_LIST_BOOL) \
	X("pkceSupported", "c.pkce_supported", STORE_LIST_BOOL) \
	X("clientType", "c.client_type", STORE_LIST_TEXT) \
	X("allowedUserGroupsCount", "c.allowed_user_groups_count", \
	    STORE_LIST_INT)
#define LIST_OIDC_CLIENTS_FILTER(X) \
	X("pkceEnabled", "c.pkce_enabled", STORE_LIST_BOOL) \
	X("requiresReauthentication", "c.requires_reauthentication", \
	    STORE_LIST_BOOL) \
	X("requiresPushedAuthorizationRequests", \
	    "c.requires_pushed_authorization_requests", STORE_LIST_BOOL) \
	X("skipConsent", "c.skip_consent", STORE_LIST_BOOL) \
	X("isGroupRestricted", "c.is_group_restricted", STORE_LIST_BOOL) \
	X("pkceSupported", "c.pkce_supported", STORE_LIST_BOOL) \
	X("clientType", "c.client_type", STORE_LIST_TEXT)

/* A client has a launch URL (the filters[hasLaunchURL] of the user's
 * lists). */
#define SQL_OIDC_HAS_LAUNCH_URL "(coalesce(c.launch_url, '') <> '')"

/* GET /api/oidc/users/me/authorized-clients: scope $7 = the user. */
#define LIST_OIDC_AUTHORIZED_SORT(X) \
	X("lastUsedAt", "a.last_used_at", STORE_LIST_TEXT)
#define LIST_OIDC_AUTHORIZED_FILTER(X) \
	X("hasLaunchURL", SQL_OIDC_HAS_LAUNCH_URL, STORE_LIST_BOOL)

/* GET /api/oidc/users/me/clients ("my apps"): scope $7 = the user.
 * Never-used clients sort last in both directions, as in Pocket ID. */
#define LIST_OIDC_ACCESSIBLE_SORT(X) \
	X("lastUsedAt", "c.last_used_at", STORE_LIST_TEXT) \
	X("name", "c.name", STORE_LIST_TEXT) \
	X("createdAt", "c.created_at", STORE_LIST_TEXT)
#define LIST_OIDC_ACCESSIBLE_FILTER(X) \
	X("hasLaunchURL", SQL_OIDC_HAS_LAUNCH_URL, STORE_LIST_BOOL)
#define SQL_LIST_SORT_NULLS_LAST(name, expr, type) \
	"CASE WHEN $3 = '" name "' AND $4 = 'asc' THEN " expr " END " \
	"NULLS LAST, CASE WHEN $3 = '" name "' AND $4 = 'desc' THEN " expr \
	" END DESC NULLS LAST, "

/*
 * OAuth APIs (spec §1.8; apis.c). ApiDto over an apis row named a;
 * permissions in creation order, description omitted when NULL.
 */
#define SQL_API_DTO \
	"json_build_object('id', a.id, 'name', a.name, " \
	"'resource', a.audience, 'createdAt', a.created_at, " \
	"'permissions', coalesce((SELECT json_agg(jsonb_strip_nulls(" \
	"jsonb_build_object('id', p.id, 'key', p.key, 'name', p.name, " \
	"'description', p.description, " \
	"'allowedForCimdClients', p.allowed_for_cimd_clients)) " \
	"ORDER BY p.created_at, p.key) FROM api_permissions p " \
	"WHERE p.api_id = a.id), '[]'::json), " \
	"'allowCimdClients', a.allow_cimd_clients)"
/* The client as the grant rows show it, over an oidc_clients row c. */
#define SQL_API_CLIENT_DTO \
	"json_build_object('id', c.id, 'name', c.name, " \
	"'clientType', c.client_type, 'isPublic', c.is_public, " \
	"'hasLogo', " SQL_OIDC_CLIENT_HAS_LOGO("false", "c.image_type") ", " \
	"'hasDarkLogo', " SQL_OIDC_CLIENT_HAS_LOGO("true", \
	"c.dark_image_type") ")"
/* The permission ids of client c on API a for a subject type. */
#define SQL_API_GRANT_IDS(subject) \
	"coalesce((SELECT json_agg(p.id ORDER BY p.created_at, p.key) " \
	"FROM api_permissions p JOIN oidc_clients_allowed_api_permissions gp " \
	"ON gp.api_permission_id = p.id WHERE p.api_id = a.id AND " \
	"gp.oidc_client_id = c.id AND gp.subject_type = '" subject "'), " \
	"'[]'::json)"
#define SQL_API_HAS_ACCESS(subject) \
	"EXISTS (SELECT 1 FROM oidc_clients_allowed_apis g WHERE " \
	"g.api_id = a.id AND g.oidc_client_id = c.id AND " \
	"g.subject_type = '" subject "')"
/* ... for the subject type bound as $3. */
#define SQL_API_HAS_ACCESS_P \
	"EXISTS (SELECT 1 FROM oidc_clients_allowed_apis g WHERE " \
	"g.api_id = a.id AND g.oidc_client_id = c.id AND " \
	"g.subject_type = $3)"
#define SQL_API_IS_CIMD_GRANTED \
	"(c.client_type = 'cimd' AND a.allow_cimd_clients)"
/* The grant fields of client c on API a (spec §1.8). */
#define SQL_API_GRANT_FIELDS \
	"'userDelegatedAccess', " SQL_API_HAS_ACCESS("user") ", " \
	"'clientAccess', " SQL_API_HAS_ACCESS("client") ", " \
	"'userDelegatedPermissionIds', " SQL_API_GRANT_IDS("user") ", " \
	"'clientPermissionIds', " SQL_API_GRANT_IDS("client") ", " \
	"'cimdGrantedAccess', " SQL_API_IS_CIMD_GRANTED ", " \
	"'cimdGrantedPermissionIds', CASE WHEN " SQL_API_IS_CIMD_GRANTED \
	" THEN coalesce((SELECT json_agg(p.id ORDER BY p.created_at, p.key) " \
	"FROM api_permissions p WHERE p.api_id = a.id AND " \
	"p.allowed_for_cimd_clients), '[]'::json) ELSE '[]'::json END"
/* Client c has some grant on API a (or reaches it as a CIMD client). */
#define SQL_API_GRANTED \
	"(EXISTS (SELECT 1 FROM oidc_clients_allowed_apis g WHERE " \
	"g.api_id = a.id AND g.oidc_client_id = c.id) OR " \
	SQL_API_IS_CIMD_GRANTED ")"
/* GET /api/apis and the assignable APIs: search on name and resource. */
#define LIST_APIS_SORT(X) \
	X("name", "lower(a.name)", STORE_LIST_TEXT) \
	X("resource", "a.audience", STORE_LIST_TEXT) \
	X("audience", "a.audience", STORE_LIST_TEXT) \
	X("createdAt", "a.created_at", STORE_LIST_TEXT)
/* The clients of an API and the assignable ones: search on the name. */
#define LIST_API_CLIENTS_SORT(X) \
	X("name", "lower(c.name)", STORE_LIST_TEXT) \
	X("createdAt", "c.created_at", STORE_LIST_TEXT)

/*
 * Runs statement id and copies the first column of its first row into a
 * new string (*out, caller frees). PERR_NOT_FOUND when there is no row.
 */
int db_exec_text(struct db *db, enum stmt id, const char *const *params,
    char **out);

/* Runs statement id; returns the number of rows it touched, or an error. */
int db_exec_affected(struct db *db, enum stmt id, const char *const *params);

/*
 * LISTEN/NOTIFY channels: the name PostgreSQL sees and the statements that
 * subscribe and send (rows of db_statements). Fixed identifiers only.
 */
struct channel_def {
	const char *name;
	enum stmt listen;
	enum stmt notify;
};

extern const struct channel_def db_channels[DB_CHANNEL_COUNT];

/*
 * Runs statement id with its nparams text parameters (params[i] == NULL
 * binds SQL NULL; params may be NULL when nparams is 0), preparing it first
 * if this connection has not yet. On PERR_OK and res != NULL, *res holds
 * the result, which the caller releases with PQclear before returning.
 * Errors: PERR_DB_UNAVAILABLE (connection lost or server shutting down;
 * the next call reconnects), PERR_CONFLICT (unique violation),
 * PERR_INVALID (data exception), PERR_DB (anything else), PERR_NOMEM.
 * The server's message is kept for db_error_message().
 */
int db_exec(struct db *db, enum stmt id, const char *const *params,
    PGresult **res);

/*
 * Runs one statement of a migration file, without parameters, through the
 * extended protocol (which also refuses a second statement in the text).
 * Same errors as db_exec. On failure *position (may be NULL) receives the
 * server's 1-based character offset of the error within sql, or 0.
 */
int db_exec_script(struct db *db, const char *sql, int *position);

/* True between db_begin and db_commit or db_rollback. */
bool db_in_transaction(const struct db *db);

/* SQLSTATE (five characters) to enum perr; the one mapping table. */
int db_sqlstate_to_perr(const char *sqlstate);

/*
 * The splitter: cuts SQL text into statements the way PostgreSQL's lexer
 * would, honouring '...' and E'...' strings, "..." identifiers, $tag$
 * dollar quotes, -- and nested block comments. Empty statements are
 * dropped; statement text excludes leading comments and the final ';'.
 */
#define SQL_SPLIT_INPUT_MAX MIGRATION_FILE_MAX
#define SQL_SPLIT_STATEMENTS_MAX 4096

struct sql_stmt {
	size_t off;		/* first byte of the statement in the text */
	size_t len;		/* bytes, without the terminating ';' */
	unsigned line;		/* 1-based line of its first byte */
};

/*
 * Splits len bytes of text. On success *out (caller frees) holds *n_out
 * statements. Errors: PERR_INVALID (unterminated quote or comment, NUL
 * byte, transaction control, BEGIN ATOMIC), PERR_TOO_LARGE (input or
 * statement count over the limits above), PERR_NOMEM. On failure *why
 * gets a static reason and *err_line the line it concerns.
 */
int sql_split(const char *text, size_t len, struct sql_stmt **out,
    size_t *n_out, unsigned *err_line, const char **why);

/*
 * Parses a migration file name "NNNN_name.sql" (four digits, version >= 1,
 * name of [a-z0-9_], at most MIGRATION_NAME_MAX bytes in all).
 * Returns the version, or 0 when the name does not have that shape.
 */
int migration_file_version(const char *file);

/*
 * Checks that a set is usable: valid names, versions matching the names,
 * strictly increasing. PERR_INVALID with *why otherwise.
 */
int migration_set_check(const struct migration_set *set, const char **why);

#endif
