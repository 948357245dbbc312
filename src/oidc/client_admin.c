/*
 * client_admin: the admin routes of spec §1.7 for clients themselves:
 * list, create, read, public metadata, update, delete and the allowed
 * user groups. Secrets are client_secret.c's; consent and "my apps" are
 * client_user.c's. Bodies are validated here into a store_client_write;
 * the store builds the DTOs.
 *
 * logoUrl/darkLogoUrl are fetched (src/images/logo_url.c) before the
 * client is written, so a logo that fails leaves it unchanged; uploads of
 * logos are src/images'. Names are not NFC-normalised.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "conf/conf.h"
#include "images/images.h"
#include "crypto/crypto.h"
#include "http/http.h"
#include "auth/auth.h"
#include "admin/admin.h"
#include "store/store.h"
#include "oidc/oidc_client.h"

#define CLIENT_ID_PARAM_MAX 4096
#define CLIENT_ID_MIN 2			/* spec §0.4 client-ID rule */
#define CLIENT_ID_MAX 128
#define CLIENT_NAME_MAX 50		/* characters */
#define CLIENT_DESCRIPTION_MAX 150	/* characters */
#define LAUNCH_URL_MAX 2048
#define FEDERATED_IDENTITIES_MAX 20
#define FEDERATED_FIELD_MAX 2048
#define ALLOWED_GROUPS_MAX 1000
#define TOKEN_MINUTES_MAX (365 * 24 * 60)
#define ACCESS_TOKEN_MINUTES_DEFAULT 60
#define REFRESH_TOKEN_MINUTES_DEFAULT (30 * 24 * 60)

char *
oidc_client_id_param(struct app_call *call, const char *name)
{
	const char *v = http_route_param(call->req, name);
	uint8_t *raw = NULL;
	size_t n = 0;

	if (v == NULL || v[0] == '\0' || strlen(v) > CLIENT_ID_PARAM_MAX)
		return NULL;
	if (v[0] != '~')
		return str_dup(v);
	if (b64url_decode(v + 1, strlen(v + 1), &raw, &n) != PERR_OK)
		return NULL;
	if (n == 0 || memchr(raw, '\0', n) != NULL ||
	    !str_is_utf8((const char *)raw, n)) {
		free(raw);
		return NULL;
	}
	return (char *)raw;
}

void
oidc_client_not_found(struct app_call *call)
{
	admin_error(call, 404, "not_found", "OIDC client not found",
	    "resource", "OIDC client");
}

/* The parsed create/update body; the json strings are owned. */
struct client_body {
	struct store_client_write w;
	char *callback_json, *logout_json, *credentials_json;
	const char *logo_url[2];	/* logoUrl, darkLogoUrl; NULL: none */
	char id[STORE_ID_LEN + 1];
	bool bad_type;		/* answer invalid_request_body */
};

static void
client_body_clear(struct client_body *b)
{
	free(b->callback_json);
	free(b->logout_json);
	free(b->credentials_json);
}

/* A member that is absent or null is NULL; of another type than
 * wanted, NULL and b->bad_type. */
static struct json_object *
get_typed(struct client_body *b, struct json_object *obj, const char *name,
    enum json_type type)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, name, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	if (!json_object_is_type(v, type)) {
		b->bad_type = true;
		return NULL;
	}
	return v;
}

static bool
get_flag(struct client_body *b, struct json_object *obj, const char *name)
{
	struct json_object *v = get_typed(b, obj, name, json_type_boolean);

	return v != NULL && json_object_get_boolean(v);
}

static const char *
get_text(struct client_body *b, struct json_object *obj, const char *name)
{
	struct json_object *v = get_typed(b, obj, name, json_type_string);

	return v != NULL ? json_object_get_string(v) : NULL;
}

/* spec §0.4: ^[a-zA-Z0-9._-]+$, 2 to 128 characters. */
static bool
is_valid_client_id(const char *s)
{
	size_t n = strlen(s), i;

	if (n < CLIENT_ID_MIN || n > CLIENT_ID_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* A launch URL is a link people click: http(s) only, no blanks. */
static bool
is_valid_launch_url(const char *s)
{
	size_t n = strlen(s), i, skip;

	if (n > LAUNCH_URL_MAX)
		return false;
	if (strncasecmp(s, "https://", 8) == 0)
		skip = 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		skip = 7;
	else
		return false;
	if (s[skip] == '\0' || s[skip] == '/' || s[skip] == '?' ||
	    s[skip] == '#')
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f ||
		    s[i] == '\\')
			return false;
	return str_is_utf8(s, n);
}

/* callbackURLs / logoutCallbackURLs into a JSON array of patterns. */
static void
parse_urls(struct client_body *b, struct json_object *obj, const char *name,
    struct admin_invalid *inv, char **json)
{
	struct json_object *a = get_typed(b, obj, name, json_type_array), *v;
	struct wbuf w;
	const char *why, *s;
	size_t i, n = a != NULL ? json_object_array_length(a) : 0;
	bool bad = false;

	if (n > OIDC_CLIENT_CALLBACK_URLS_MAX) {
		admin_invalid_add(inv, name, "too_long",
		    "must hold at most 100 URLs");
		n = 0;
	}
	wbuf_init(&w);
	wbuf_putc(&w, '[');
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string)) {
			b->bad_type = true;
			break;
		}
		s = json_object_get_string(v);
		if (!bad && !oidc_redirect_is_valid_pattern(s, &why)) {
			admin_invalid_add(inv, name, "invalid_format", why);
			bad = true;
		}
		if (i > 0)
			wbuf_putc(&w, ',');
		wbuf_put_json_string(&w, s, strlen(s));
	}
	wbuf_putc(&w, ']');
	*json = wbuf_error(&w) == PERR_OK ? wbuf_steal(&w, NULL) : NULL;
	wbuf_free(&w);
}

static void
put_member(struct wbuf *w, const char *key, const char *value)
{
	wbuf_putc(w, ',');
	wbuf_put_json_string(w, key, strlen(key));
	wbuf_putc(w, ':');
	wbuf_put_json_string(w, value, strlen(value));
}

/* One federated identity; false when it is not usable. */
static bool
put_identity(struct client_body *b, struct json_object *fi, struct wbuf *w)
{
	static const char *const optional[] = { "subject", "audience",
		"jwks" };
	const char *issuer, *s;
	size_t i;

	if (!json_object_is_type(fi, json_type_object)) {
		b->bad_type = true;
		return false;
	}
	issuer = get_text(b, fi, "issuer");
	if (issuer == NULL || issuer[0] == '\0' ||
	    strlen(issuer) > FEDERATED_FIELD_MAX)
		return false;
	wbuf_puts(w, "{\"issuer\":");
	wbuf_put_json_string(w, issuer, strlen(issuer));
	for (i = 0; i < sizeof(optional) / sizeof(optional[0]); i++) {
		s = get_text(b, fi, optional[i]);
		if (s != NULL && strlen(s) > FEDERATED_FIELD_MAX)
			return false;
		if (s != NULL && s[0] != '\0')
			put_member(w, optional[i], s);
	}
	wbuf_printf(w, ",\"replayProtection\":%s}",
	    get_flag(b, fi, "replayProtection") ? "true" : "false");
	return true;
}

/* credentials.federatedIdentities (secrets in the body are ignored). */
static void
parse_credentials(struct client_body *b, struct json_object *obj,
    struct admin_invalid *inv)
{
	struct json_object *cred = get_typed(b, obj, "credentials",
	    json_type_object), *list = NULL;
	struct wbuf w;
	size_t i, n;

	if (cred != NULL)
		list = get_typed(b, cred, "federatedIdentities",
		    json_type_array);
	n = list != NULL ? json_object_array_length(list) : 0;
	wbuf_init(&w);
	wbuf_puts(&w, "{\"federatedIdentities\":[");
	if (n > FEDERATED_IDENTITIES_MAX) {
		admin_invalid_add(inv, "credentials.federatedIdentities",
		    "too_long", "must hold at most 20 identities");
		n = 0;
	}
	for (i = 0; i < n; i++) {
		if (i > 0)
			wbuf_putc(&w, ',');
		if (!put_identity(b, json_object_array_get_idx(list, i), &w)) {
			if (!b->bad_type)
				admin_invalid_add(inv,
				    "credentials.federatedIdentities",
				    "invalid_value", "each identity needs an "
				    "issuer; values are at most 2048 bytes");
			break;
		}
	}
	wbuf_puts(&w, "]}");
	b->credentials_json = wbuf_error(&w) == PERR_OK ?
	    wbuf_steal(&w, NULL) : NULL;
	wbuf_free(&w);
}

/* A token lifetime in minutes: 0 or absent is the default. */
static int64_t
parse_minutes(struct client_body *b, struct json_object *obj,
    const char *name, int64_t def, struct admin_invalid *inv)
{
	struct json_object *v = get_typed(b, obj, name, json_type_int);
	int64_t m;

	if (v == NULL)
		return def;
	m = json_object_get_int64(v);
	if (m == 0)
		return def;
	if (m < 1 || m > TOKEN_MINUTES_MAX) {
		admin_invalid_add(inv, name, "invalid_value",
		    "must be between 1 minute and 365 days");
		return def;
	}
	return m;
}

static void
parse_texts(struct client_body *b, struct json_object *obj,
    struct admin_invalid *inv)
{
	struct store_client_write *w = &b->w;
	const char *logo;

	w->name = get_text(b, obj, "name");
	if (w->name == NULL || w->name[0] == '\0')
		admin_invalid_add(inv, "name", "required", "is required");
	else if (admin_utf8_chars(w->name) > CLIENT_NAME_MAX)
		admin_invalid_add(inv, "name", "too_long",
		    "must be at most 50 characters long");
	w->description = get_text(b, obj, "description");
	if (w->description == NULL)
		w->description = "";
	else if (admin_utf8_chars(w->description) > CLIENT_DESCRIPTION_MAX)
		admin_invalid_add(inv, "description", "too_long",
		    "must be at most 150 characters long");
	w->launch_url = get_text(b, obj, "launchURL");
	if (w->launch_url != NULL && w->launch_url[0] == '\0')
		w->launch_url = NULL;
	if (w->launch_url != NULL && !is_valid_launch_url(w->launch_url))
		admin_invalid_add(inv, "launchURL", "invalid_format",
		    "must be an http or https URL");
	if ((logo = get_text(b, obj, "logoUrl")) != NULL && logo[0] != '\0')
		b->logo_url[0] = logo;
	if ((logo = get_text(b, obj, "darkLogoUrl")) != NULL &&
	    logo[0] != '\0')
		b->logo_url[1] = logo;
}

/*
 * Fetches the logos the body names (spec §1.7). False: answered, 422
 * with the spec's code, and nothing was written.
 */
static bool
logos_fetch(struct app_call *call, const struct client_body *b,
    struct image_logo logos[2])
{
	const char *code = NULL, *why = NULL;
	int i, rc;

	for (i = 0; i < 2; i++) {
		if (b->logo_url[i] == NULL)
			continue;
		rc = image_logo_fetch(b->logo_url[i],
		    &call->app->settings->local_ipv6_ranges, &logos[i], &code,
		    &why);
		if (rc == PERR_NOMEM) {
			admin_fail(call, rc);
			return false;
		}
		if (rc != PERR_OK) {
			http_response_error(call->res, call->req, 422, code,
			    why);
			return false;
		}
	}
	return true;
}

/* Stores the fetched logos of client id and reads its DTO again. */
static int
logos_store(struct app_call *call, const char *id,
    const struct image_logo logos[2], char **json)
{
	int i, rc = PERR_OK;

	for (i = 0; i < 2 && rc == PERR_OK; i++)
		if (logos[i].bytes != NULL)
			rc = store_file_client_logo_put(call->app->db, id,
			    i == 1, image_type_ext(logos[i].type),
			    logos[i].bytes, logos[i].len,
			    image_type_mime(logos[i].type));
	if (rc != PERR_OK ||
	    (logos[0].bytes == NULL && logos[1].bytes == NULL))
		return rc;
	free(*json);
	*json = NULL;
	return store_client_dto(call->app->db, id, json);
}

/*
 * The body of POST (with_id) and PUT /api/oidc/clients into b. On false
 * the answer (400) is already sent.
 */
static bool
parse_client_body(struct app_call *call, struct json_object *obj,
    bool with_id, struct client_body *b)
{
	struct store_client_write *w = &b->w;
	struct admin_invalid inv;
	const char *id;
	bool pkce;

	memset(b, 0, sizeof(*b));
	admin_invalid_init(&inv);
	parse_texts(b, obj, &inv);
	if (with_id && (id = get_text(b, obj, "id")) != NULL &&
	    id[0] != '\0') {
		if (!is_valid_client_id(id))
			admin_invalid_add(&inv, "id", "invalid_format",
			    "must be 2 to 128 letters, digits or . _ -");
		w->id = id;
	}
	parse_urls(b, obj, "callbackURLs", &inv, &b->callback_json);
	parse_urls(b, obj, "logoutCallbackURLs", &inv, &b->logout_json);
	parse_credentials(b, obj, &inv);
	w->is_public = get_flag(b, obj, "isPublic");
	pkce = get_flag(b, obj, "pkceEnabled");
	/* PKCE is what protects a public client's codes. */
	w->pkce_enabled = w->is_public || pkce;
	w->pkce_enabled_requested = pkce;
	w->requires_reauthentication = get_flag(b, obj,
	    "requiresReauthentication");
	w->requires_par = get_flag(b, obj,
	    "requiresPushedAuthorizationRequests");
	w->skip_consent = get_flag(b, obj, "skipConsent");
	w->is_group_restricted = get_flag(b, obj, "isGroupRestricted");
	w->access_token_minutes = parse_minutes(b, obj,
	    "accessTokenDurationMinutes", ACCESS_TOKEN_MINUTES_DEFAULT, &inv);
	w->refresh_token_minutes = parse_minutes(b, obj,
	    "refreshTokenDurationMinutes", REFRESH_TOKEN_MINUTES_DEFAULT,
	    &inv);
	w->callback_urls_json = b->callback_json;
	w->logout_callback_urls_json = b->logout_json;
	w->credentials_json = b->credentials_json;
	if (b->bad_type) {
		wbuf_free(&inv.fields);		/* drop what was collected */
		http_response_error(call->res, call->req, 400,
		    "invalid_request_body", "Request body is invalid");
		return false;
	}
	if (admin_invalid_respond(call, &inv))
		return false;
	if (b->callback_json == NULL || b->logout_json == NULL ||
	    b->credentials_json == NULL) {
		admin_fail(call, PERR_NOMEM);
		return false;
	}
	return true;
}

void
oidc_client_list(struct app_call *call)
{
	admin_list_respond(call, &store_list_oidc_clients, NULL);
}

void
oidc_client_create(struct app_call *call)
{
	struct json_object *body = NULL;
	struct image_logo logos[2] = { { 0 }, { 0 } };
	struct client_body b;
	char *json = NULL;
	int rc;

	if (!admin_body_object(call, &body))
		return;
	if (!parse_client_body(call, body, true, &b))
		goto out;
	if (b.w.id == NULL) {
		if ((rc = crypto_uuid_v4(b.id)) != PERR_OK) {
			admin_fail(call, rc);
			goto out;
		}
		b.w.id = b.id;
	}
	b.w.created_by = call->caller.user_id;
	if (!logos_fetch(call, &b, logos))
		goto out;
	rc = store_client_create(call->app->db, &b.w, &json);
	if (rc == PERR_OK)
		rc = logos_store(call, b.w.id, logos, &json);
	if (rc == PERR_CONFLICT)
		http_response_error(call->res, call->req, 409,
		    "client_id_already_exists", "Client ID is already in use");
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_json(call->res, 201, json);
out:
	image_logo_clear(&logos[0]);
	image_logo_clear(&logos[1]);
	client_body_clear(&b);
	free(json);
	json_object_put(body);
}

void
oidc_client_respond(struct app_call *call, int rc, const char *json)
{
	if (rc == PERR_NOT_FOUND)
		oidc_client_not_found(call);
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_json(call->res, 200, json);
}

void
oidc_client_get(struct app_call *call)
{
	char *id = oidc_client_id_param(call, "id"), *json = NULL;
	int rc = id == NULL ? PERR_NOT_FOUND :
	    store_client_dto(call->app->db, id, &json);

	oidc_client_respond(call, rc, json);
	free(id);
	free(json);
}

void
oidc_client_meta(struct app_call *call)
{
	char *id = oidc_client_id_param(call, "id"), *json = NULL;
	int rc = id == NULL ? PERR_NOT_FOUND :
	    oidc_client_meta_json(call->app->db, id, &json);

	oidc_client_respond(call, rc, json);
	free(id);
	free(json);
}

void
oidc_client_update(struct app_call *call)
{
	struct json_object *body = NULL;
	struct image_logo logos[2] = { { 0 }, { 0 } };
	struct client_body b;
	char *id = oidc_client_id_param(call, "id"), *json = NULL;
	bool is_cimd = false, expired;
	int rc;

	memset(&b, 0, sizeof(b));
	if (id == NULL) {
		oidc_client_not_found(call);
		return;
	}
	if (!admin_body_object(call, &body) ||
	    !parse_client_body(call, body, false, &b))
		goto out;
	b.w.id = id;
	/* A metadata-document client's other fields are its document's
	 * (spec §1.7, §2.12): only the admin's own settings change. */
	rc = store_cimd_state(call->app->db, id, &is_cimd, &expired, NULL);
	if (rc == PERR_OK && !is_cimd && !logos_fetch(call, &b, logos))
		goto out;
	if (rc == PERR_OK && is_cimd)
		rc = store_cimd_admin_update(call->app->db, &b.w, &json);
	else if (rc == PERR_OK && (rc = store_client_update(call->app->db,
	    &b.w, &json)) == PERR_OK)
		rc = logos_store(call, id, logos, &json);
	oidc_client_respond(call, rc, json);
out:
	image_logo_clear(&logos[0]);
	image_logo_clear(&logos[1]);
	client_body_clear(&b);
	free(id);
	free(json);
	json_object_put(body);
}

void
oidc_client_delete(struct app_call *call)
{
	char *id = oidc_client_id_param(call, "id");
	int rc = id == NULL ? PERR_NOT_FOUND :
	    store_client_delete(call->app->db, id);

	/* Its logos go with the row (a trigger of sql/0009_images.sql). */
	if (rc == PERR_NOT_FOUND)
		oidc_client_not_found(call);
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_no_content(call->res, 204);
	free(id);
}

/* {userGroupIds: [uuid...]} as a JSON array of ids; on NULL the 400 is
 * sent (or memory ran out: *rc). */
static char *
parse_group_ids(struct app_call *call, struct json_object *body, int *rc)
{
	struct json_object *a, *v;
	struct wbuf w;
	size_t i, n;
	char *out = NULL;

	*rc = PERR_OK;
	if (!json_object_object_get_ex(body, "userGroupIds", &a) ||
	    json_object_is_type(a, json_type_null)) {
		admin_invalid_field(call, "userGroupIds", "required",
		    "is required");
		return NULL;
	}
	if (!json_object_is_type(a, json_type_array)) {
		http_response_error(call->res, call->req, 400,
		    "invalid_request_body", "Request body is invalid");
		return NULL;
	}
	if ((n = json_object_array_length(a)) > ALLOWED_GROUPS_MAX) {
		admin_invalid_field(call, "userGroupIds", "too_long",
		    "must hold at most 1000 ids");
		return NULL;
	}
	wbuf_init(&w);
	wbuf_putc(&w, '[');
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string) ||
		    !str_is_uuid(json_object_get_string(v))) {
			admin_invalid_field(call, "userGroupIds",
			    "invalid_format", "must be user group ids");
			wbuf_free(&w);
			return NULL;
		}
		if (i > 0)
			wbuf_putc(&w, ',');
		wbuf_put_json_string(&w, json_object_get_string(v), 36);
	}
	wbuf_putc(&w, ']');
	if (wbuf_error(&w) == PERR_OK)
		out = wbuf_steal(&w, NULL);
	else
		*rc = PERR_NOMEM;
	wbuf_free(&w);
	return out;
}

void
oidc_client_set_allowed_groups(struct app_call *call)
{
	struct json_object *body = NULL;
	char *id = oidc_client_id_param(call, "id"), *ids = NULL, *json = NULL;
	int rc;

	if (id == NULL) {
		oidc_client_not_found(call);
		return;
	}
	if (!admin_body_object(call, &body))
		goto out;
	if ((ids = parse_group_ids(call, body, &rc)) == NULL) {
		if (rc != PERR_OK)
			admin_fail(call, rc);
		goto out;
	}
	/* XXX(SCIM issue): Pocket ID schedules a SCIM sync here. */
	rc = store_client_set_groups(call->app->db, id, ids, &json);
	oidc_client_respond(call, rc, json);
out:
	free(id);
	free(ids);
	free(json);
	json_object_put(body);
}
