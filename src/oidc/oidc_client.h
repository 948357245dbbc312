/*
 * oidc_client: the OAuth clients as the protocol code sees them (spec
 * §1.7, §2.5, §2.8, §2.9, §2.10): loading a client, authenticating it at
 * the token-type endpoints, the redirect-URI pattern matcher, group
 * restriction and stored consent. The admin REST handlers of §1.7 live
 * beside it (client_admin.c, client_secret.c, client_user.c). Nothing here
 * builds SQL (store/client.c does) or knows OAuth error strings: callers
 * map the enum perr results at their edge.
 */
#ifndef POCKETID_OIDC_CLIENT_H
#define POCKETID_OIDC_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct app_call;

/* ---- redirect URIs (spec §2.8), pure --------------------------------- */

/* Longest redirect URI or pattern we look at, in bytes. */
#define OIDC_REDIRECT_URI_MAX 4096
/* Most query parameters one URI or pattern may carry. */
#define OIDC_REDIRECT_QUERY_PARAMS_MAX 64
/* Most callback (or logout callback) URLs one client may register. */
#define OIDC_CLIENT_CALLBACK_URLS_MAX 100

/*
 * Whether pattern may be registered as a callback URL (checked when a
 * client is saved): "*", or an absolute URI with a scheme (not javascript:
 * or data:) that parses under the pattern grammar below. On false *why (may
 * be NULL) is a static sentence.
 */
bool oidc_redirect_is_valid_pattern(const char *pattern, const char **why);

/*
 * Spec §2.8 for one registered pattern against a requested URI:
 *  - exact string equality, or the pattern "*", always matches;
 *  - fragments are cut off both sides first;
 *  - query: the same keys, the same number of values per key, and each
 *    value (percent-decoded) matching the pattern's value as a glob
 *    (Go path.Match: '*' and '?' never match '/', "[...]" classes with
 *    '^' negation and ranges, '\' escapes);
 *  - scheme and host compare without regard to ASCII case, userinfo,
 *    port and path byte for byte; a port equal to the scheme's default
 *    (http 80, https 443) counts as no port;
 *  - in scheme, userinfo, each host label and the port, '*' matches one
 *    or more characters of that part (never '.', ':', '@', '/');
 *    the host pattern "*.example.com" needs exactly one more label;
 *    a port of just '*' also matches no port;
 *  - in the path '*' matches one or more characters of one segment and
 *    "**" any run of characters, slashes included; a path with a "." or
 *    ".." segment (raw or percent-encoded) is never matched by a wildcard;
 *  - IPv6 literals compare as addresses ("[::1]" equals "[0:0::1]");
 *  - loopback (RFC 8252 §7.3): when uri is http to localhost or a
 *    loopback address, it also matches with its port removed.
 * A requested URI with a backslash, a control character or a space is
 * matched only by exact equality or "*" (browsers rewrite such URIs).
 */
bool oidc_redirect_matches(const char *pattern, const char *uri);

/*
 * Which redirect URI an authorization request uses. requested may be
 * NULL (no redirect_uri): then the one registered pattern is used, when
 * there is exactly one and it has no wildcard. Otherwise the requested
 * URI is used when some pattern matches it. allow_insecure is
 * ALLOW_INSECURE_CALLBACK_URLS: when false, an http URI whose host is not
 * localhost, *.localhost or a loopback address is refused.
 * On success *chosen is a heap copy (free()). Errors: PERR_INVALID
 * (requested is malformed, too long or has a fragment, RFC 6749 §3.1.2;
 * or it is missing and the registration does not name exactly one URI),
 * PERR_NOT_FOUND (no registered pattern matches), PERR_FORBIDDEN (an
 * insecure http URI while allow_insecure is false), PERR_NOMEM.
 */
int oidc_redirect_choose(const char *const *patterns, size_t n,
    const char *requested, bool allow_insecure, char **chosen);

/* ---- clients ---------------------------------------------------------- */

struct oidc_client {
	char *id, *name, *launch_url;	/* launch_url may be NULL */
	bool is_public, pkce_enabled, requires_reauthentication,
	    requires_par, skip_consent, is_group_restricted;
	char **callback_urls;
	size_t n_callback_urls;
	char **logout_callback_urls;
	size_t n_logout_callback_urls;
	int64_t access_token_minutes, refresh_token_minutes;
};

/* Loads client id. Errors: PERR_NOT_FOUND, database errors, PERR_NOMEM. */
int oidc_client_load(struct db *db, const char *id, struct oidc_client **out);
/* Frees c and everything it holds; accepts NULL. */
void oidc_client_free(struct oidc_client *c);

/* OidcClientMetaDataDto JSON of client id (for interactions/consent
 * screens); *json is the caller's. PERR_NOT_FOUND. */
int oidc_client_meta_json(struct db *db, const char *id, char **json);

/*
 * RFC 6749 §2.3 + spec §2.5: client_secret_basic (Authorization: Basic,
 * URL-decoded id and secret), client_secret_post (form client_id +
 * client_secret), none (public client, form client_id only). Compares the
 * secret against every active secret in constant time (SHA-256; bcrypt for
 * imported legacy hashes via crypt_r). On failure returns PERR_VERIFY
 * (-> 401 invalid_client) or PERR_INVALID (-> 400 invalid_request, e.g.
 * two methods at once); *why is a static sentence. Database errors pass
 * through. A public client is accepted by its client_id alone (a secret it
 * sends is ignored, as fosite does). A client_assertion of type
 * urn:ietf:params:oauth:client-assertion-type:jwt-bearer goes to
 * oidc_client_authenticate_assertion (client_id optional then). On
 * success *out is the caller's.
 */
int oidc_client_authenticate(struct app_call *call, struct oidc_client **out,
    const char **why);
/*
 * oidc_client_authenticate for an endpoint: on failure it answers (401
 * invalid_client for PERR_VERIFY, else 400 invalid_request) and returns
 * false.
 */
bool oidc_client_from_request(struct app_call *call, struct oidc_client **out);

/*
 * RFC 7523 §2.2 / §3 with the client's federated identities (spec §2.5):
 * the assertion's iss selects an identity; its JWKS (the identity's jwks
 * URL, else <iss>/.well-known/jwks.json) is fetched over HTTPS from a
 * public address only (src/net) and
 * cached in PostgreSQL for every worker (refreshed after
 * OIDC_FEDERATED_JWKS_FRESH_S, used up to OIDC_FEDERATED_JWKS_STALE_S
 * while the issuer cannot be reached, fetched again at once when no key
 * matches); the signature (alg from the key), iss, aud (the identity's
 * audience, else APP_URL), sub (the identity's subject, else the client
 * id) and exp (required, 30 s skew) are checked, and with
 * replayProtection the jti is single-use until exp. client_id NULL: the
 * assertion's sub. Results as oidc_client_authenticate (PERR_VERIFY for
 * every refusal). The introspection endpoint calls it directly for
 * "Authorization: Bearer <assertion>" with form client_id.
 */
#define OIDC_FEDERATED_JWKS_FRESH_S (15 * 60)
#define OIDC_FEDERATED_JWKS_STALE_S (24 * 3600)
#define OIDC_FEDERATED_FETCH_TIMEOUT_S 15
#define OIDC_ASSERTION_SKEW_S 30
int oidc_client_authenticate_assertion(struct app_call *call,
    const char *client_id, const char *assertion, struct oidc_client **out,
    const char **why);

/* Group restriction (§2.10): may user_id use this client? A restricted
 * client with no allowed group allows nobody. */
int oidc_client_allows_user(struct db *db, const struct oidc_client *c,
    const char *user_id, bool *allowed);

/*
 * Consent (§2.9). Keys are consent keys (scope names, "<aud>\x1f<perm>").
 * oidc_consent_covers: *exists says whether the user has a stored consent
 * for the client at all, *covered whether it holds every one of keys
 * (n == 0: covered when it exists).
 * oidc_consent_merge: adds keys to the stored set (creating it when
 * missing; *was_new then true) and sets last_used_at = now().
 * Errors: PERR_TOO_LARGE (more than OIDC_CONSENT_KEYS_MAX keys), database
 * errors, PERR_NOMEM.
 */
#define OIDC_CONSENT_KEYS_MAX 256
int oidc_consent_covers(struct db *db, const char *user_id,
    const char *client_id, const char *const *keys, size_t n, bool *covered,
    bool *exists);
int oidc_consent_merge(struct db *db, const char *user_id,
    const char *client_id, const char *const *keys, size_t n, bool *was_new);

/*
 * Revokes every token user_id holds for client_id (spec §2.9: revoking an
 * app in "my apps" ends its tokens). Implemented by the token code
 * (introspect.c). Called after the consent row is deleted,
 * inside that transaction: it must not begin one of its own.
 */
int oidc_tokens_revoke_for(struct db *db, const char *user_id,
    const char *client_id);

/* ---- client ID metadata documents (cimd.c, spec §2.12) --------------- */

/*
 * A client_id that is an https URL on the cimdUrlAllowlist setting names
 * its own metadata document: it is fetched (src/net: SSRF guard, user
 * agent NET_UA_CIMD), validated, and kept as a client_type 'cimd' row
 * until its metadata expires (the document's Cache-Control max-age
 * within [OIDC_CIMD_TTL_MIN_S, OIDC_CIMD_TTL_MAX_S], else
 * OIDC_CIMD_TTL_DEFAULT_S). A registered client with the same id wins.
 */
#define OIDC_CIMD_DOC_MAX (64 * 1024)
#define OIDC_CIMD_FETCH_TIMEOUT_S 15
#define OIDC_CIMD_TTL_DEFAULT_S 3600
#define OIDC_CIMD_TTL_MIN_S 300
#define OIDC_CIMD_TTL_MAX_S (24 * 3600)
#define OIDC_CIMD_NAME_MAX 255

/* A validated document: the strings the client row is made of. */
struct oidc_cimd_doc {
	char *name;			/* client_name, else the URL's host */
	char *redirect_uris_json;	/* JSON arrays of strings */
	char *logout_uris_json;
	char *grant_types_json;
};
void oidc_cimd_doc_clear(struct oidc_cimd_doc *d);

/* Whether id looks like a metadata-document URL (https://...). Pure. */
bool oidc_cimd_is_url(const char *id);

/*
 * The client identifier URL rules (draft-ietf-oauth-client-id-metadata-
 * document §3): https, a host, a path, no userinfo, query or fragment,
 * no "." or ".." segments, at most NET_URL_MAX bytes of printable ASCII.
 * PERR_INVALID with a static *why. Pure.
 */
int oidc_cimd_url_check(const char *id, const char **why);

/*
 * Parses and validates the document fetched from id (len bytes of body,
 * at most OIDC_CIMD_DOC_MAX): a JSON object whose client_id equals id,
 * with no client secret, token_endpoint_auth_method "none",
 * grant_types within authorization_code, device_code and refresh_token
 * (default authorization_code) including one of the first two,
 * response_types only "code", redirect_uris (required with
 * authorization_code) and post_logout_redirect_uris absolute, without a
 * wildcard, fragment or javascript:/data: scheme. On success *out is
 * filled (clear with oidc_cimd_doc_clear). PERR_INVALID/PERR_TOO_LARGE
 * with a static *why naming the rule; PERR_NOMEM. Pure.
 */
int oidc_cimd_doc_parse(const char *id, const char *body, size_t len,
    struct oidc_cimd_doc *out, const char **why);

/*
 * Makes sure the metadata-document client id is stored and current:
 * nothing to do for a registered client or for one whose metadata has
 * not expired (unless force); otherwise id must match cimdUrlAllowlist,
 * and the document is fetched, validated and stored. PERR_VERIFY with a
 * static *why for every refusal (-> invalid_client); database errors
 * and PERR_NOMEM pass through. PERR_NOT_FOUND when id is not a URL.
 */
int oidc_cimd_resolve(struct app_call *call, const char *id, bool force,
    const char **why);

/*
 * Whether the metadata-document client id declared grant (a grant_type
 * value) in its document; PERR_VERIFY with *why when not. Registered
 * clients and unknown ids pass (PERR_OK).
 */
#define OIDC_GRANT_DEVICE_CODE "urn:ietf:params:oauth:grant-type:device_code"
int oidc_cimd_grant_allowed(struct db *db, const char *id, const char *grant,
    const char **why);
/*
 * The refresh-token lifetime to issue to c, in minutes: 0 (none) for a
 * metadata-document client whose document did not declare refresh_token
 * (or when that cannot be read), else the client's setting.
 */
int64_t oidc_client_refresh_minutes(struct db *db,
    const struct oidc_client *c);

/*
 * The client lookup of /authorize: oidc_cimd_resolve for URL ids (which
 * must declare authorization_code), then oidc_client_load. PAR, device
 * authorization and the token endpoint resolve them the same way inside
 * oidc_client_authenticate. Errors as oidc_client_load, plus PERR_VERIFY with
 * *why when a metadata document is refused.
 */
int oidc_client_lookup(struct app_call *call, const char *id,
    struct oidc_client **out, const char **why);

/* POST /api/oidc/clients/:id/refresh (admin): fetches the document of a
 * metadata-document client again; 200 OidcClientDto + allowedUserGroups. */
void oidc_client_refresh(struct app_call *call);

/* ---- client secrets, pure helpers (client_secret.c) ------------------ */

#define OIDC_CLIENT_SECRET_GEN_LEN 32	/* generated: 32 alphanumerics */
#define OIDC_CLIENT_SECRET_MIN_LEN 16	/* declared secrets (v2.12) */
#define OIDC_CLIENT_SECRET_MAX_LEN 256
#define OIDC_CLIENT_SECRETS_MAX 20	/* per client, expired included */
#define OIDC_CLIENT_SECRET_PREFIX_LEN 4

/* A fresh secret of OIDC_CLIENT_SECRET_GEN_LEN characters [A-Za-z0-9]
 * (190 bits), NUL-terminated, into out. PERR_CRYPTO. */
int oidc_client_secret_generate(char out[OIDC_CLIENT_SECRET_GEN_LEN + 1]);

/*
 * Whether secret matches a stored hash: alg "sha256" (lower-case hex of
 * SHA-256, compared in constant time) or "bcrypt" ($2a$/$2b$/$2y$,
 * through crypt_r). Unknown algorithms never match.
 */
bool oidc_client_secret_verify(const char *secret, const char *alg,
    const char *hash);

/* ---- admin and account handlers (routes.c) --------------------------- */

/*
 * Shared by the handler files (client_*.c). The client id of route
 * parameter name, as given or as "~" + base64url(id) (so that URL client
 * ids fit a path segment, spec §1.7): a heap string, or NULL when it
 * cannot be a client id (answer 404) or memory ran out.
 */
char *oidc_client_id_param(struct app_call *call, const char *name);
/* 404 not_found "OIDC client not found", details.resource. */
void oidc_client_not_found(struct app_call *call);
/* Answers a lookup about a client: 200 json, 404 (oidc_client_not_found)
 * for PERR_NOT_FOUND, or the failure. */
void oidc_client_respond(struct app_call *call, int rc, const char *json);
/* A client from store_client_load's JSON (client.c). */
int oidc_client_from_json(const char *json, struct oidc_client **out);

void oidc_client_list(struct app_call *call);
void oidc_client_create(struct app_call *call);
void oidc_client_get(struct app_call *call);
void oidc_client_meta(struct app_call *call);
void oidc_client_update(struct app_call *call);
void oidc_client_delete(struct app_call *call);
void oidc_client_set_allowed_groups(struct app_call *call);
void oidc_client_secrets_list(struct app_call *call);
void oidc_client_secret_create(struct app_call *call);
void oidc_client_secret_delete(struct app_call *call);
void oidc_user_authorized_clients(struct app_call *call);
void oidc_user_authorized_clients_of(struct app_call *call);
void oidc_user_authorized_client_revoke(struct app_call *call);
void oidc_user_accessible_clients(struct app_call *call);

#endif
