/*
 * cimd: OAuth Client ID Metadata Documents (spec §2.12; draft-ietf-oauth-
 * client-id-metadata-document). A client_id that is an https URL on the
 * admin's allowlist (cimdUrlAllowlist, callback-pattern syntax) is its
 * own registration: the JSON document at that URL is fetched through
 * src/net's SSRF guard, checked here, and stored as a 'cimd' client row
 * until its metadata expires. Only public clients (auth method "none",
 * PKCE) are accepted, as Pocket ID does: no key material is kept.
 * The document parser is pure (oidc_cimd_doc_parse) and fuzzed; fetching,
 * the allowlist and the store live in oidc_cimd_resolve.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "conf/conf.h"
#include "net/net.h"
#include "auth/auth.h"
#include "admin/admin.h"
#include "store/store.h"
#include "oidc/oidc_client.h"

#define GRANT_CODE "authorization_code"
#define GRANT_DEVICE "urn:ietf:params:oauth:grant-type:device_code"
#define GRANT_REFRESH "refresh_token"
#define ALLOWLIST_MAX 256

void
oidc_cimd_doc_clear(struct oidc_cimd_doc *d)
{
	if (d == NULL)
		return;
	free(d->name);
	free(d->redirect_uris_json);
	free(d->logout_uris_json);
	free(d->grant_types_json);
	memset(d, 0, sizeof(*d));
}

bool
oidc_cimd_is_url(const char *id)
{
	return id != NULL && strncasecmp(id, "https://", 8) == 0;
}

/* Whether the path segment seg[0..n) is "." or "..", raw or %2e. */
static bool
is_dot_segment(const char *seg, size_t n)
{
	size_t dots = 0, i = 0;

	while (i < n) {
		if (seg[i] == '.') {
			i++;
		} else if (n - i >= 3 && seg[i] == '%' && seg[i + 1] == '2' &&
		    (seg[i + 2] == 'e' || seg[i + 2] == 'E')) {
			i += 3;
		} else {
			return false;
		}
		dots++;
	}
	return dots == 1 || dots == 2;
}

int
oidc_cimd_url_check(const char *id, const char **why)
{
	const char *auth, *path, *p, *seg;
	size_t len;

	*why = "The client_id is not an https URL";
	if (!oidc_cimd_is_url(id) || (len = strlen(id)) > NET_URL_MAX)
		return PERR_INVALID;
	for (p = id; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f) {
			*why = "The client_id URL holds a space, a control or a "
			    "non-ASCII character";
			return PERR_INVALID;
		}
	}
	auth = id + 8;
	path = strchr(auth, '/');
	*why = "The client_id URL must have a host and a path";
	if (path == NULL || path == auth)
		return PERR_INVALID;
	*why = "The client_id URL must not hold a user name or password";
	if (memchr(auth, '@', (size_t)(path - auth)) != NULL)
		return PERR_INVALID;
	*why = "The client_id URL must not hold a query or a fragment";
	if (strchr(auth, '?') != NULL || strchr(auth, '#') != NULL)
		return PERR_INVALID;
	*why = "The client_id URL must not hold \".\" or \"..\" path segments";
	for (seg = path + 1; ; seg = p + 1) {
		p = strchr(seg, '/');
		if (p == NULL)
			p = seg + strlen(seg);
		if (is_dot_segment(seg, (size_t)(p - seg)))
			return PERR_INVALID;
		if (*p == '\0')
			break;
	}
	*why = NULL;
	return PERR_OK;
}

static struct json_object *
field(struct json_object *obj, const char *name)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(obj, name, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

/* An optional array of strings: NULL when absent, *bad when not one. */
static struct json_object *
string_array(struct json_object *obj, const char *name, bool *bad)
{
	struct json_object *a = field(obj, name);
	size_t i, n;

	*bad = false;
	if (a == NULL)
		return NULL;
	if (!json_object_is_type(a, json_type_array)) {
		*bad = true;
		return NULL;
	}
	n = json_object_array_length(a);
	for (i = 0; i < n; i++)
		if (!json_object_is_type(json_object_array_get_idx(a, i),
		    json_type_string))
			*bad = true;
	return *bad ? NULL : a;
}

static bool
array_has(struct json_object *a, const char *s)
{
	size_t i, n = a != NULL ? json_object_array_length(a) : 0;

	for (i = 0; i < n; i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(a,
		    i)), s) == 0)
			return true;
	return false;
}

/* The array as JSON text (or "[]" when NULL); NULL when out of memory. */
static char *
array_json(struct json_object *a)
{
	return str_dup(a != NULL ? json_object_to_json_string_ext(a,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "[]");
}

/* grant_types: known ones only, one that starts a flow; default code. */
static int
check_grants(struct json_object *doc, struct json_object **grants,
    bool *has_code, const char **why)
{
	struct json_object *a;
	const char *g;
	size_t i, n;
	bool bad, initiating = false;

	*has_code = false;
	*grants = NULL;
	*why = "The document's grant_types is not an array of strings";
	if ((a = string_array(doc, "grant_types", &bad)) == NULL && bad)
		return PERR_INVALID;
	if (a == NULL || json_object_array_length(a) == 0) {
		*has_code = true;
		return PERR_OK;	/* RFC 7591 §2: authorization_code */
	}
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		g = json_object_get_string(json_object_array_get_idx(a, i));
		if (strcmp(g, GRANT_CODE) == 0)
			*has_code = initiating = true;
		else if (strcmp(g, GRANT_DEVICE) == 0)
			initiating = true;
		else if (strcmp(g, GRANT_REFRESH) != 0) {
			*why = "The document's grant_types may only hold "
			    "authorization_code, device_code and refresh_token";
			return PERR_INVALID;
		}
	}
	*why = "The document's grant_types must include authorization_code "
	    "or device_code";
	if (!initiating)
		return PERR_INVALID;
	*grants = a;
	return PERR_OK;
}

/* Redirect URIs a document declares (spec §2.12, §2.8). */
static int
check_uris(struct json_object *doc, const char *name, bool required,
    struct json_object **out, const char **why)
{
	struct json_object *a;
	const char *u, *pwhy;
	size_t i, n;
	bool bad;

	*out = NULL;
	*why = "The document's redirect URIs are not an array of strings";
	if ((a = string_array(doc, name, &bad)) == NULL && bad)
		return PERR_INVALID;
	n = a != NULL ? json_object_array_length(a) : 0;
	*why = "The document must list redirect_uris for authorization_code";
	if (required && n == 0)
		return PERR_INVALID;
	*why = "The document lists too many redirect URIs";
	if (n > OIDC_CLIENT_CALLBACK_URLS_MAX)
		return PERR_TOO_LARGE;
	for (i = 0; i < n; i++) {
		u = json_object_get_string(json_object_array_get_idx(a, i));
		*why = "A redirect URI of the document is too long";
		if (strlen(u) > OIDC_REDIRECT_URI_MAX)
			return PERR_TOO_LARGE;
		*why = "A redirect URI of the document contains a wildcard";
		if (strchr(u, '*') != NULL)
			return PERR_INVALID;
		*why = "A redirect URI of the document contains a fragment";
		if (strchr(u, '#') != NULL)
			return PERR_INVALID;
		*why = "A redirect URI of the document is not an absolute URI "
		    "or uses the javascript: or data: scheme";
		if (!oidc_redirect_is_valid_pattern(u, &pwhy) ||
		    strcmp(u, "*") == 0)
			return PERR_INVALID;
	}
	*out = a;
	return PERR_OK;
}

/* client_name, else the URL's host (with its port, as Go's URL.Host). */
static char *
client_name(struct json_object *doc, const char *id, const char **why,
    int *rc)
{
	struct json_object *v = field(doc, "client_name");
	const char *host = id + 8, *end;
	size_t len;

	*rc = PERR_INVALID;
	*why = "The document's client_name is not a string of at most 255 "
	    "bytes";
	if (v != NULL && (!json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) > OIDC_CIMD_NAME_MAX))
		return NULL;
	*rc = PERR_NOMEM;
	if (v != NULL && json_object_get_string_len(v) > 0)
		return str_dup(json_object_get_string(v));
	end = strchr(host, '/');
	len = end != NULL ? (size_t)(end - host) : strlen(host);
	return str_ndup(host, len > OIDC_CIMD_NAME_MAX ? OIDC_CIMD_NAME_MAX :
	    len);
}

/* The rules that need no array walking: identity, secrets, methods. */
static int
check_identity(struct json_object *doc, const char *id, const char **why)
{
	struct json_object *v, *a;
	size_t i, n;
	bool bad;

	*why = "The client_id in the metadata document differs from its URL";
	v = field(doc, "client_id");
	if (v == NULL || !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), id) != 0)
		return PERR_INVALID;
	*why = "A client metadata document must not contain a client secret";
	if (field(doc, "client_secret") != NULL ||
	    field(doc, "client_secret_expires_at") != NULL)
		return PERR_INVALID;
	*why = "Client metadata documents must set token_endpoint_auth_method "
	    "to none (public clients with PKCE only)";
	v = field(doc, "token_endpoint_auth_method");
	if (v == NULL || !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "none") != 0)
		return PERR_INVALID;
	*why = "The document's response_types may only hold code";
	a = string_array(doc, "response_types", &bad);
	if (bad)
		return PERR_INVALID;
	n = a != NULL ? json_object_array_length(a) : 0;
	for (i = 0; i < n; i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(a,
		    i)), "code") != 0)
			return PERR_INVALID;
	return PERR_OK;
}

int
oidc_cimd_doc_parse(const char *id, const char *body, size_t len,
    struct oidc_cimd_doc *out, const char **why)
{
	struct json_object *doc = NULL, *grants, *redirects, *logouts;
	bool has_code;
	int rc;

	memset(out, 0, sizeof(*out));
	*why = "The client metadata document is too large";
	if (len > OIDC_CIMD_DOC_MAX)
		return PERR_TOO_LARGE;
	if ((rc = oidc_cimd_url_check(id, why)) != PERR_OK)
		return rc;
	*why = "The client metadata document is not a JSON object";
	if ((rc = ojson_parse(body, len, &doc)) != PERR_OK)
		return rc == PERR_NOMEM ? rc : PERR_INVALID;
	rc = PERR_INVALID;
	if (!json_object_is_type(doc, json_type_object) ||
	    (rc = check_identity(doc, id, why)) != PERR_OK ||
	    (rc = check_grants(doc, &grants, &has_code, why)) != PERR_OK ||
	    (rc = check_uris(doc, "redirect_uris", has_code, &redirects,
	    why)) != PERR_OK ||
	    (rc = check_uris(doc, "post_logout_redirect_uris", false,
	    &logouts, why)) != PERR_OK)
		goto out;
	if ((out->name = client_name(doc, id, why, &rc)) == NULL)
		goto out;
	rc = PERR_NOMEM;
	if ((out->redirect_uris_json = array_json(redirects)) == NULL ||
	    (out->logout_uris_json = array_json(logouts)) == NULL ||
	    (out->grant_types_json = grants != NULL ? array_json(grants) :
	    str_dup("[\"" GRANT_CODE "\"]")) == NULL)
		goto out;
	rc = PERR_OK;
	*why = NULL;
out:
	if (rc != PERR_OK)
		oidc_cimd_doc_clear(out);
	json_object_put(doc);
	return rc;
}

/* Whether id matches a pattern of the cimdUrlAllowlist setting. */
static bool
is_allowlisted(struct app_call *call, const char *id)
{
	struct json_object *list = NULL, *v;
	char *text = auth_app_setting(call, "cimdUrlAllowlist");
	size_t i, n;
	bool ok = false;

	if (text == NULL || ojson_parse(text, strlen(text), &list) !=
	    PERR_OK || !json_object_is_type(list, json_type_array))
		goto out;
	n = json_object_array_length(list);
	for (i = 0; i < n && i < ALLOWLIST_MAX && !ok; i++) {
		v = json_object_array_get_idx(list, i);
		ok = json_object_is_type(v, json_type_string) &&
		    json_object_get_string_len(v) > 0 &&
		    oidc_redirect_matches(json_object_get_string(v), id);
	}
out:
	json_object_put(list);
	free(text);
	return ok;
}

/* Seconds the stored metadata stays valid, from the answer's max-age. */
static int64_t
metadata_ttl(int64_t max_age)
{
	if (max_age < 0)
		return OIDC_CIMD_TTL_DEFAULT_S;
	if (max_age < OIDC_CIMD_TTL_MIN_S)
		return OIDC_CIMD_TTL_MIN_S;
	return max_age > OIDC_CIMD_TTL_MAX_S ? OIDC_CIMD_TTL_MAX_S : max_age;
}

/* Fetches, validates and stores the document of id. */
static int
fetch_and_store(struct app_call *call, const char *id, const char **why)
{
	struct net_get opt = { .user_agent = NET_UA_CIMD,
	    .max_bytes = OIDC_CIMD_DOC_MAX,
	    .timeout_s = OIDC_CIMD_FETCH_TIMEOUT_S,
	    .blocked_extra = &call->app->settings->local_ipv6_ranges };
	struct net_reply reply = { 0 };
	struct oidc_cimd_doc doc = { 0 };
	int rc;

	rc = net_https_get(id, &opt, &reply, why);
	if (rc == PERR_FORBIDDEN)
		*why = "The client metadata document URL points to a loopback, "
		    "private, link-local or otherwise non-public address, "
		    "which is never fetched";
	else if (rc == PERR_NOT_FOUND)
		*why = "The host of the client metadata document URL does not "
		    "resolve";
	if (rc != PERR_OK)
		goto out;
	if ((rc = oidc_cimd_doc_parse(id, reply.body, reply.len, &doc,
	    why)) != PERR_OK)
		goto out;
	rc = store_cimd_upsert(call->app->db, id, doc.name,
	    doc.redirect_uris_json, doc.logout_uris_json,
	    doc.grant_types_json, metadata_ttl(reply.max_age));
	if (rc == PERR_CONFLICT)
		*why = "A registered client already has this client_id";
	if (rc == PERR_OK)
		log_info("client metadata document %s fetched and stored", id);
out:
	if (rc != PERR_OK && rc != PERR_NOMEM && rc != PERR_DB &&
	    rc != PERR_DB_UNAVAILABLE) {
		log_warn("client metadata document %s refused: %s", id,
		    *why != NULL ? *why : "?");
		rc = PERR_VERIFY;
	}
	oidc_cimd_doc_clear(&doc);
	net_reply_clear(&reply);
	return rc;
}

int
oidc_cimd_resolve(struct app_call *call, const char *id, bool force,
    const char **why)
{
	bool is_cimd = false, expired = true;
	int rc;

	*why = NULL;
	if (!oidc_cimd_is_url(id))
		return PERR_NOT_FOUND;
	rc = store_cimd_state(call->app->db, id, &is_cimd, &expired,
	    NULL);
	if (rc == PERR_OK && !is_cimd)
		return PERR_OK;		/* a registered client wins */
	if (rc != PERR_OK && rc != PERR_NOT_FOUND)
		return rc;
	if (oidc_cimd_url_check(id, why) != PERR_OK)
		return PERR_VERIFY;
	*why = "The client_id is not in the metadata document allowlist";
	if (!is_allowlisted(call, id))
		return PERR_VERIFY;
	if (rc == PERR_OK && !expired && !force) {
		*why = NULL;
		return PERR_OK;
	}
	return fetch_and_store(call, id, why);
}

int
oidc_cimd_grant_allowed(struct db *db, const char *id, const char *grant,
    const char **why)
{
	struct json_object *list = NULL;
	char *grants = NULL;
	bool is_cimd = false, expired = false, found = false;
	int rc;

	*why = NULL;
	rc = store_cimd_state(db, id, &is_cimd, &expired, &grants);
	if (rc == PERR_NOT_FOUND || (rc == PERR_OK && !is_cimd))
		return PERR_OK;
	if (rc != PERR_OK)
		return rc;
	if (ojson_parse(grants, strlen(grants), &list) == PERR_OK &&
	    json_object_is_type(list, json_type_array))
		found = array_has(list, grant);
	json_object_put(list);
	free(grants);
	*why = "The client's metadata document does not declare this grant "
	    "type";
	return found ? PERR_OK : PERR_VERIFY;
}

int64_t
oidc_client_refresh_minutes(struct db *db, const struct oidc_client *c)
{
	const char *why;

	if (oidc_cimd_is_url(c->id) && oidc_cimd_grant_allowed(db, c->id,
	    "refresh_token", &why) != PERR_OK)
		return 0;
	return c->refresh_token_minutes;
}

int
oidc_client_lookup(struct app_call *call, const char *id,
    struct oidc_client **out, const char **why)
{
	int rc;

	*out = NULL;
	*why = NULL;
	if (oidc_cimd_is_url(id) &&
	    ((rc = oidc_cimd_resolve(call, id, false, why)) != PERR_OK ||
	    (rc = oidc_cimd_grant_allowed(call->app->db, id, GRANT_CODE,
	    why)) != PERR_OK))
		return rc;
	return oidc_client_load(call->app->db, id, out);
}

void
oidc_client_refresh(struct app_call *call)
{
	char *id = oidc_client_id_param(call, "id"), *json = NULL;
	const char *why = NULL;
	bool is_cimd = false, expired = false;
	int rc = id == NULL ? PERR_NOT_FOUND :
	    store_cimd_state(call->app->db, id, &is_cimd, &expired,
	    NULL);

	if (rc == PERR_NOT_FOUND) {
		oidc_client_not_found(call);
		goto out;
	}
	if (rc == PERR_OK && !is_cimd) {
		admin_error(call, 400, "not_cimd_client", "The client is not a "
		    "client ID metadata document client", NULL, NULL);
		goto out;
	}
	if (rc == PERR_OK)
		rc = oidc_cimd_resolve(call, id, true, &why);
	if (rc == PERR_VERIFY) {
		admin_error(call, 400, "cimd_refresh_failed", why, NULL, NULL);
		goto out;
	}
	if (rc == PERR_OK)
		rc = store_client_dto(call->app->db, id, &json);
	oidc_client_respond(call, rc, json);
out:
	free(id);
	free(json);
}
