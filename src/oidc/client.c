/*
 * client: OAuth clients as the protocol code uses them (oidc_client.h):
 * loading one, authenticating it at the token-type endpoints (RFC 6749
 * §2.3, spec §2.5), group restriction (§2.10) and stored consent (§2.9).
 * The store hands a client over as one JSON object; it is decoded here,
 * once, into struct oidc_client, and json-c stays in this file.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "http/http.h"
#include "auth/auth.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/oidc_client.h"

/* The JSON the store builds for one client (tens of URLs at most). */
#define CLIENT_JSON_MAX (256u * 1024u)
#define CLIENT_ID_LOOKUP_MAX 2048
#define CONSENT_KEY_MAX 1024

static const char assertion_jwt_bearer[] =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

void
oidc_client_free(struct oidc_client *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->id);
	free(c->name);
	free(c->launch_url);
	for (i = 0; i < c->n_callback_urls; i++)
		free(c->callback_urls[i]);
	free(c->callback_urls);
	for (i = 0; i < c->n_logout_callback_urls; i++)
		free(c->logout_callback_urls[i]);
	free(c->logout_callback_urls);
	free(c);
}

static struct json_object *
member(struct json_object *obj, const char *name, enum json_type type)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, name, &v) ||
	    !json_object_is_type(v, type))
		return NULL;
	return v;
}

static int
copy_string(struct json_object *obj, const char *name, bool nullable,
    char **out)
{
	struct json_object *v = member(obj, name, json_type_string);

	*out = NULL;
	if (v == NULL)
		return nullable ? PERR_OK : PERR_INTERNAL;
	return (*out = str_dup(json_object_get_string(v))) != NULL ?
	    PERR_OK : PERR_NOMEM;
}

static int
copy_strings(struct json_object *obj, const char *name, char ***out,
    size_t *n_out)
{
	struct json_object *a = member(obj, name, json_type_array), *v;
	size_t n, i;

	*out = NULL;
	*n_out = 0;
	if (a == NULL)
		return PERR_INTERNAL;
	if ((n = json_object_array_length(a)) == 0)
		return PERR_OK;
	if ((*out = calloc(n, sizeof(char *))) == NULL)
		return PERR_NOMEM;
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string))
			return PERR_INTERNAL;
		if (((*out)[i] = str_dup(json_object_get_string(v))) == NULL)
			return PERR_NOMEM;
		(*n_out)++;
	}
	return PERR_OK;
}

static bool
get_bool(struct json_object *obj, const char *name)
{
	struct json_object *v = member(obj, name, json_type_boolean);

	return v != NULL && json_object_get_boolean(v);
}

static int64_t
get_int(struct json_object *obj, const char *name)
{
	struct json_object *v = member(obj, name, json_type_int);

	return v != NULL ? json_object_get_int64(v) : 0;
}

/*
 * Whether secret matches one of the active secrets the store listed,
 * newest first. Every SHA-256 hash is compared (no early exit); bcrypt,
 * slow by design, only when none of those matched.
 */
static bool
secret_matches(struct json_object *secrets, const char *secret)
{
	struct json_object *s, *alg, *hash;
	size_t i, n = json_object_array_length(secrets);
	bool ok = false, bcrypt_pass;

	for (bcrypt_pass = false; ; bcrypt_pass = true) {
		for (i = 0; i < n; i++) {
			s = json_object_array_get_idx(secrets, i);
			alg = member(s, "alg", json_type_string);
			hash = member(s, "hash", json_type_string);
			if (alg == NULL || hash == NULL ||
			    (strcmp(json_object_get_string(alg), "bcrypt") ==
			    0) != bcrypt_pass)
				continue;
			ok |= oidc_client_secret_verify(secret,
			    json_object_get_string(alg),
			    json_object_get_string(hash));
			if (ok && bcrypt_pass)
				return true;
		}
		if (ok || bcrypt_pass)
			return ok;
	}
}

/*
 * Decodes the store's JSON into *out. When secret is not NULL it is also
 * checked against the client's active secrets (*secret_ok).
 */
static int
client_decode(const char *json, const char *secret, struct oidc_client **out,
    bool *secret_ok)
{
	struct json_object *obj = NULL, *secrets;
	struct oidc_client *c = NULL;
	size_t len = strlen(json);
	int rc;

	*out = NULL;
	if (len > CLIENT_JSON_MAX)
		return PERR_TOO_LARGE;
	if ((rc = ojson_parse(json, len, &obj)) != PERR_OK)
		return rc == PERR_NOMEM ? rc : PERR_INTERNAL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	if ((rc = copy_string(obj, "id", false, &c->id)) != PERR_OK ||
	    (rc = copy_string(obj, "name", false, &c->name)) != PERR_OK ||
	    (rc = copy_string(obj, "launch_url", true, &c->launch_url)) !=
	    PERR_OK ||
	    (rc = copy_strings(obj, "callback_urls", &c->callback_urls,
	    &c->n_callback_urls)) != PERR_OK ||
	    (rc = copy_strings(obj, "logout_callback_urls",
	    &c->logout_callback_urls, &c->n_logout_callback_urls)) != PERR_OK)
		goto out;
	c->is_public = get_bool(obj, "is_public");
	c->pkce_enabled = get_bool(obj, "pkce_enabled");
	c->requires_reauthentication = get_bool(obj,
	    "requires_reauthentication");
	c->requires_par = get_bool(obj, "requires_par");
	c->skip_consent = get_bool(obj, "skip_consent");
	c->is_group_restricted = get_bool(obj, "is_group_restricted");
	c->access_token_minutes = get_int(obj, "access_token_minutes");
	c->refresh_token_minutes = get_int(obj, "refresh_token_minutes");
	if (secret != NULL) {
		secrets = member(obj, "secrets", json_type_array);
		*secret_ok = secrets != NULL && secret_matches(secrets, secret);
	}
	*out = c;
	c = NULL;
out:
	oidc_client_free(c);
	json_object_put(obj);
	return rc;
}

int
oidc_client_from_json(const char *json, struct oidc_client **out)
{
	return client_decode(json, NULL, out, NULL);
}

int
oidc_client_load(struct db *db, const char *id, struct oidc_client **out)
{
	char *json = NULL;
	int rc;

	*out = NULL;
	if (strlen(id) > CLIENT_ID_LOOKUP_MAX)
		return PERR_NOT_FOUND;
	if ((rc = store_client_load(db, id, false, &json)) == PERR_OK)
		rc = client_decode(json, NULL, out, NULL);
	free(json);
	return rc;
}

int
oidc_client_meta_json(struct db *db, const char *id, char **json)
{
	*json = NULL;
	if (strlen(id) > CLIENT_ID_LOOKUP_MAX)
		return PERR_NOT_FOUND;
	return store_client_meta(db, id, json);
}

/* Where the client's id and secret came from, once read. */
struct client_credentials {
	char *id;			/* NULL only with an assertion */
	char *secret;			/* NULL: none sent */
	char *assertion;		/* RFC 7523 client_assertion */
	bool via_basic;
};

static void
credentials_clear(struct client_credentials *cr)
{
	free(cr->id);
	str_free_secret(cr->secret);
	str_free_secret(cr->assertion);
	memset(cr, 0, sizeof(*cr));
}

/*
 * "Authorization: Basic base64(urlencode(id) ":" urlencode(secret))"
 * (RFC 6749 §2.3.1). *present false: no Basic header at all.
 */
static int
read_basic(const struct http_request *req, struct client_credentials *cr,
    bool *present, const char **why)
{
	const char *h = http_param(req, "HTTP_AUTHORIZATION");
	uint8_t *raw = NULL;
	size_t raw_len = 0;
	char *colon;
	int rc, err;

	*present = false;
	if (h == NULL || strncasecmp(h, "Basic ", 6) != 0)
		return PERR_OK;
	*present = true;
	for (h += 6; *h == ' '; h++)
		;
	*why = "The Authorization header does not hold valid Basic "
	    "credentials";
	if (b64_decode(h, strlen(h), &raw, &raw_len) != PERR_OK ||
	    memchr(raw, '\0', raw_len) != NULL ||
	    (colon = strchr((char *)raw, ':')) == NULL) {
		rc = PERR_VERIFY;
		goto out;
	}
	*why = "The client id or secret in the Authorization header is not "
	    "form-urlencoded";
	rc = PERR_INVALID;
	cr->id = http_percent_decode((char *)raw, (size_t)(colon -
	    (char *)raw), true, &err);
	if (cr->id == NULL)
		goto out;
	cr->secret = http_percent_decode(colon + 1, strlen(colon + 1), true,
	    &err);
	if (cr->secret == NULL)
		goto out;
	cr->via_basic = true;
	rc = PERR_OK;
out:
	if (raw != NULL)
		crypto_secret_free(raw, raw_len + 1);
	return rc;
}

/* The form's credentials, refusing two methods in one request. */
static int
read_credentials(const struct http_request *req,
    struct client_credentials *cr, const char **why)
{
	char *form_id = NULL, *form_secret = NULL, *atype = NULL,
	    *assertion = NULL;
	bool basic;
	int rc, e1, e2, e3, e4;

	memset(cr, 0, sizeof(*cr));
	form_id = http_form_get(req, "client_id", &e1);
	form_secret = http_form_get(req, "client_secret", &e2);
	atype = http_form_get(req, "client_assertion_type", &e3);
	assertion = http_form_get(req, "client_assertion", &e4);
	*why = "The request body is not a valid form";
	rc = PERR_INVALID;
	if (e1 != PERR_OK || e2 != PERR_OK || e3 != PERR_OK || e4 != PERR_OK)
		goto out;
	if ((rc = read_basic(req, cr, &basic, why)) != PERR_OK)
		goto out;
	rc = PERR_INVALID;
	*why = "The client used more than one authentication method";
	if ((basic && (form_secret != NULL || assertion != NULL)) ||
	    (form_secret != NULL && assertion != NULL))
		goto out;
	if (basic) {
		*why = "The client_id differs from the one in the "
		    "Authorization header";
		if (form_id != NULL && strcmp(form_id, cr->id) != 0)
			goto out;
		rc = PERR_OK;
		goto out;
	}
	if (atype != NULL || assertion != NULL) {
		*why = "The client_assertion_type is not supported";
		if (atype == NULL || strcmp(atype, assertion_jwt_bearer) != 0)
			goto out;
		*why = "The client_assertion is missing";
		if (assertion == NULL || assertion[0] == '\0')
			goto out;
		/* client_id is optional: the assertion's sub names it. */
		cr->id = form_id != NULL && form_id[0] != '\0' ? form_id :
		    NULL;
		if (cr->id != NULL)
			form_id = NULL;
		cr->assertion = assertion;
		assertion = NULL;
		rc = PERR_OK;
		goto out;
	}
	/* RFC 6749 §5.2: no client authentication at all is invalid_client. */
	*why = "The client did not authenticate: no client_id, Basic "
	    "credentials or client_assertion";
	if (form_id == NULL || form_id[0] == '\0') {
		rc = PERR_VERIFY;
		goto out;
	}
	cr->id = form_id;
	cr->secret = form_secret;
	form_id = form_secret = NULL;
	rc = PERR_OK;
out:
	free(form_id);
	str_free_secret(form_secret);
	free(atype);
	str_free_secret(assertion);
	if (rc != PERR_OK)
		credentials_clear(cr);
	return rc;
}

/*
 * A metadata-document client (cimd.c) is resolved, and refreshed when its
 * metadata expired, here: the one place PAR, device authorization, the
 * token endpoint and introspection look clients up. It is also held to
 * the grant types its document declared: the form's grant_type at the
 * token endpoint, the device grant at device authorization, the code
 * grant at PAR.
 */
static int
cimd_prepare(struct app_call *call, const char *id, const char **why)
{
	static const char device_path[] = "/device/authorize";
	static const char par_path[] = "/par";
	const char *path = call->req->path != NULL ? call->req->path : "",
	    *want = NULL;
	char *grant = NULL;
	size_t n = strlen(path);
	int rc, err;

	if ((rc = oidc_cimd_resolve(call, id, false, why)) != PERR_OK)
		return rc;
	grant = http_form_get(call->req, "grant_type", &err);
	if (grant != NULL)
		want = grant;
	else if (n >= sizeof(device_path) - 1 && strcmp(path + n -
	    (sizeof(device_path) - 1), device_path) == 0)
		want = OIDC_GRANT_DEVICE_CODE;
	else if (n >= sizeof(par_path) - 1 && strcmp(path + n -
	    (sizeof(par_path) - 1), par_path) == 0)
		want = "authorization_code";
	rc = want != NULL ? oidc_cimd_grant_allowed(call->app->db, id, want,
	    why) : PERR_OK;
	free(grant);
	return rc;
}

int
oidc_client_authenticate(struct app_call *call, struct oidc_client **out,
    const char **why)
{
	struct client_credentials cr;
	struct oidc_client *c = NULL;
	char *json = NULL;
	bool secret_ok = false;
	int rc;

	*out = NULL;
	if ((rc = read_credentials(call->req, &cr, why)) != PERR_OK)
		return rc;
	if (cr.assertion != NULL) {
		rc = oidc_client_authenticate_assertion(call, cr.id,
		    cr.assertion, out, why);
		goto out;
	}
	*why = "The client is unknown or its credentials are wrong";
	if (strlen(cr.id) > CLIENT_ID_LOOKUP_MAX) {
		rc = PERR_VERIFY;
		goto out;
	}
	if (oidc_cimd_is_url(cr.id) &&
	    (rc = cimd_prepare(call, cr.id, why)) != PERR_OK)
		goto out;
	*why = "The client is unknown or its credentials are wrong";
	rc = store_client_load(call->app->db, cr.id, true, &json);
	if (rc == PERR_NOT_FOUND)
		rc = PERR_VERIFY;
	if (rc != PERR_OK)
		goto out;
	if (cr.secret != NULL && cr.secret[0] != '\0' &&
	    strlen(cr.secret) <= OIDC_CLIENT_SECRET_MAX_LEN)
		rc = client_decode(json, cr.secret, &c, &secret_ok);
	else
		rc = client_decode(json, NULL, &c, NULL);
	if (rc != PERR_OK)
		goto out;
	/* "none": a public client names itself; PKCE protects its codes. */
	if (!c->is_public && !secret_ok) {
		*why = cr.secret == NULL || cr.secret[0] == '\0' ?
		    "The client must authenticate with its secret" :
		    "The client is unknown or its credentials are wrong";
		rc = PERR_VERIFY;
		goto out;
	}
	*out = c;
	c = NULL;
	*why = NULL;
out:
	oidc_client_free(c);
	free(json);
	credentials_clear(&cr);
	return rc;
}

int
oidc_client_allows_user(struct db *db, const struct oidc_client *c,
    const char *user_id, bool *allowed)
{
	*allowed = false;
	if (!c->is_group_restricted) {
		*allowed = true;
		return PERR_OK;
	}
	if (!str_is_uuid(user_id))
		return PERR_OK;
	return store_client_in_allowed_group(db, c->id, user_id, allowed);
}

/* keys as a JSON array of strings, into *json (caller frees). */
static int
keys_json(const char *const *keys, size_t n, char **json)
{
	struct wbuf w;
	size_t i, len;

	*json = NULL;
	if (n > OIDC_CONSENT_KEYS_MAX)
		return PERR_TOO_LARGE;
	wbuf_init(&w);
	wbuf_putc(&w, '[');
	for (i = 0; i < n; i++) {
		len = strlen(keys[i]);
		if (len > CONSENT_KEY_MAX || !str_is_utf8(keys[i], len)) {
			wbuf_free(&w);
			return len > CONSENT_KEY_MAX ? PERR_TOO_LARGE :
			    PERR_INVALID;
		}
		if (i > 0)
			wbuf_putc(&w, ',');
		wbuf_put_json_string(&w, keys[i], len);
	}
	wbuf_putc(&w, ']');
	if (wbuf_error(&w) != PERR_OK) {
		wbuf_free(&w);
		return PERR_NOMEM;
	}
	*json = wbuf_steal(&w, NULL);
	return PERR_OK;
}

int
oidc_consent_covers(struct db *db, const char *user_id,
    const char *client_id, const char *const *keys, size_t n, bool *covered,
    bool *exists)
{
	char *json = NULL;
	int rc;

	*covered = *exists = false;
	if ((rc = keys_json(keys, n, &json)) != PERR_OK)
		return rc;
	rc = store_consent_covers(db, user_id, client_id, json, covered,
	    exists);
	free(json);
	return rc;
}

int
oidc_consent_merge(struct db *db, const char *user_id,
    const char *client_id, const char *const *keys, size_t n, bool *was_new)
{
	char *json = NULL;
	int rc;

	*was_new = false;
	if ((rc = keys_json(keys, n, &json)) != PERR_OK)
		return rc;
	rc = store_consent_merge(db, user_id, client_id, json, was_new);
	free(json);
	return rc;
}

bool
oidc_client_from_request(struct app_call *call, struct oidc_client **out)
{
	const char *why = NULL;
	int rc = oidc_client_authenticate(call, out, &why);

	if (rc == PERR_OK)
		return true;
	if (rc == PERR_VERIFY)
		oidc_error(call, 401, "invalid_client", why);
	else
		oidc_error(call, 400, "invalid_request", why);
	return false;
}
