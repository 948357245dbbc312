/*
 * api_admin: the admin routes of spec §1.8 for OAuth APIs: the APIs,
 * their permissions, which permissions CIMD clients may have, and the
 * grants of clients per subject type. Bodies are validated here (spec
 * §0.3, §0.4); the store builds the DTOs. Resolution at the protocol
 * endpoints is resource.c's.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "conf/conf.h"
#include "http/http.h"
#include "auth/auth.h"
#include "admin/admin.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/oidc_client.h"
#include "oidc/api.h"

#define API_NAME_MAX 50			/* characters */
#define PERMISSION_KEY_MAX 128		/* bytes */
#define PERMISSION_NAME_MAX 50		/* characters */
#define PERMISSION_DESCRIPTION_MAX 200	/* characters */
#define PERMISSIONS_MAX 100
#define RESERVED_MESSAGE \
	"Resource is reserved by Pocket ID and cannot be used for a custom API"

/* Standard scopes and the claims they carry (spec §2.3): an API cannot
 * take these names for its permissions. */
static const char *const reserved_keys[] = {
	"openid", "profile", "email", "groups", "offline_access", "sub",
	"iss", "aud", "exp", "iat", "nbf", "jti", "nonce", "auth_time", "amr",
	"acr", "azp", "at_hash", "given_name", "family_name", "name",
	"display_name", "email_verified", "preferred_username", "picture",
	"client_id", "scope", "scp",
};

static void
api_not_found(struct app_call *call)
{
	admin_error(call, 404, "not_found", "API not found", "resource",
	    "API");
}

/* The API's DTO, or the error, as the answer. */
static void
answer(struct app_call *call, int rc, int status, const char *json)
{
	if (rc == PERR_NOT_FOUND)
		api_not_found(call);
	else if (rc == PERR_CONFLICT)
		admin_error(call, 409, "already_in_use",
		    "Resource is already in use", "property", "resource");
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_json(call->res, status, json);
}

/* The :id of the route, an existing API; false when answered (404). */
static bool
load_api(struct app_call *call, const char **id, char **json)
{
	int rc;

	*json = NULL;
	if (!admin_path_uuid(call, "id", id)) {
		api_not_found(call);
		return false;
	}
	if ((rc = store_api_get(call->app->db, *id, json)) != PERR_OK) {
		answer(call, rc, 0, NULL);
		return false;
	}
	return true;
}

void
oidc_api_list(struct app_call *call)
{
	admin_list_respond(call, &store_list_apis, NULL);
}

void
oidc_api_get(struct app_call *call)
{
	const char *id;
	char *json = NULL;

	if (load_api(call, &id, &json))
		http_response_json(call->res, 200, json);
	free(json);
}

/* name: 1 to API_NAME_MAX characters. */
static void
check_name(struct admin_invalid *v, const char *field, const char *s,
    size_t max)
{
	size_t n = s != NULL ? admin_utf8_chars(s) : 0;

	if (n == 0)
		admin_invalid_add(v, field, "required", "is required");
	else if (n > max)
		admin_invalid_add(v, field, "too_long", "is too long");
}

/* The issuer is ours: an API cannot take it (spec §1.8). */
static bool
is_issuer(struct app_call *call, const char *resource)
{
	const char *iss = call->app->settings->app_url;
	size_t n = strlen(iss);

	while (n > 0 && iss[n - 1] == '/')
		n--;
	return strlen(resource) == n && strncmp(resource, iss, n) == 0;
}

/* 400 for the issuer as resource: its message is what the UI shows. */
static void
reserved_resource(struct app_call *call)
{
	struct wbuf w;

	wbuf_init(&w);
	wbuf_puts(&w, "{\"error\":\"" RESERVED_MESSAGE "\",\"code\":"
	    "\"validation_failed\",\"details\":{\"fields\":[{\"field\":"
	    "\"resource\",\"code\":\"reserved\",\"message\":\""
	    RESERVED_MESSAGE "\"}]},\"request_id\":");
	wbuf_put_json_string(&w, call->req->request_id,
	    strlen(call->req->request_id));
	wbuf_putc(&w, '}');
	if (wbuf_error(&w) == PERR_OK)
		http_response_json(call->res, 400, (const char *)w.data);
	else
		admin_fail(call, PERR_NOMEM);
	wbuf_free(&w);
}

void
oidc_api_create(struct app_call *call)
{
	struct json_object *body = NULL;
	struct admin_invalid v;
	char id[STORE_ID_LEN + 1], *name = NULL, *resource = NULL;
	char *norm = NULL, *json = NULL;
	int rc;

	if (!admin_body_object(call, &body))
		return;
	admin_invalid_init(&v);
	if (admin_json_string(body, "name", &name, &v))
		check_name(&v, "name", name, API_NAME_MAX);
	if (admin_json_string(body, "resource", &resource, &v)) {
		if (resource == NULL || resource[0] == '\0')
			admin_invalid_add(&v, "resource", "required",
			    "is required");
		else if (strlen(resource) > OIDC_RESOURCE_MAX)
			admin_invalid_add(&v, "resource", "too_long",
			    "is too long");
		else if (oidc_resource_normalize(resource, &norm) != PERR_OK)
			admin_invalid_add(&v, "resource", "invalid_format",
			    "must be an absolute URI without a fragment");
	}
	if (admin_invalid_respond(call, &v))
		goto out;
	if (is_issuer(call, norm)) {
		reserved_resource(call);
		goto out;
	}
	if ((rc = crypto_uuid_v4(id)) == PERR_OK)
		rc = store_api_create(call->app->db, id, name, norm, &json);
	answer(call, rc, 201, json);
out:
	json_object_put(body);
	free(name);
	free(resource);
	free(norm);
	free(json);
}

void
oidc_api_update(struct app_call *call)
{
	struct json_object *body = NULL;
	struct admin_invalid v;
	const char *id;
	char *name = NULL, *json = NULL;
	int rc;

	if (!admin_path_uuid(call, "id", &id)) {
		api_not_found(call);
		return;
	}
	if (!admin_body_object(call, &body))
		return;
	/* The resource is immutable (spec §1.8): only the name changes. */
	admin_invalid_init(&v);
	if (admin_json_string(body, "name", &name, &v))
		check_name(&v, "name", name, API_NAME_MAX);
	if (!admin_invalid_respond(call, &v)) {
		rc = store_api_rename(call->app->db, id, name, &json);
		answer(call, rc, 200, json);
	}
	json_object_put(body);
	free(name);
	free(json);
}

void
oidc_api_delete(struct app_call *call)
{
	const char *id;
	int rc;

	if (!admin_path_uuid(call, "id", &id)) {
		api_not_found(call);
		return;
	}
	/* Grants go with it; issued JWTs stay valid until they expire. */
	if ((rc = store_api_delete(call->app->db, id)) != PERR_OK)
		answer(call, rc, 0, NULL);
	else
		http_response_no_content(call->res, 204);
}

/* RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E. */
static bool
is_scope_token(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > PERMISSION_KEY_MAX)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e ||
		    s[i] == '"' || s[i] == '\\')
			return false;
	return true;
}

static bool
is_reserved_key(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(reserved_keys) / sizeof(reserved_keys[0]); i++)
		if (strcmp(reserved_keys[i], key) == 0)
			return true;
	return false;
}

/* A string member, "" when absent; NULL when of another type. */
static const char *
member_text(struct json_object *obj, const char *name)
{
	struct json_object *m;

	if (!json_object_object_get_ex(obj, name, &m) ||
	    json_object_is_type(m, json_type_null))
		return "";
	return json_object_is_type(m, json_type_string) ?
	    json_object_get_string(m) : NULL;
}

/* One permission of the array: complaints go to v under the member's
 * name (key, name, description); a clean copy goes to out. */
static void
check_permission(struct json_object *item, struct json_object *out,
    struct admin_invalid *v)
{
	const char *key, *name, *description;
	struct json_object *clean;

	if (!json_object_is_type(item, json_type_object)) {
		admin_invalid_add(v, "permissions", "invalid_format",
		    "must be a list of objects");
		return;
	}
	key = member_text(item, "key");
	name = member_text(item, "name");
	description = member_text(item, "description");
	if (key == NULL || !is_scope_token(key))
		admin_invalid_add(v, "key", key != NULL && key[0] == '\0' ?
		    "required" : "invalid_format", key != NULL &&
		    key[0] == '\0' ? "is required" :
		    "must be 1 to 128 scope-token characters");
	else if (is_reserved_key(key))
		admin_invalid_add(v, "key", "reserved",
		    "is reserved for a standard scope or claim");
	if (name == NULL)
		admin_invalid_add(v, "name", "invalid_format",
		    "must be a string");
	else
		check_name(v, "name", name, PERMISSION_NAME_MAX);
	if (description == NULL)
		admin_invalid_add(v, "description", "invalid_format",
		    "must be a string");
	else if (admin_utf8_chars(description) > PERMISSION_DESCRIPTION_MAX)
		admin_invalid_add(v, "description", "too_long",
		    "is too long");
	if (key == NULL || name == NULL || description == NULL)
		return;
	clean = json_object_new_object();
	json_object_object_add(clean, "key", json_object_new_string(key));
	json_object_object_add(clean, "name", json_object_new_string(name));
	json_object_object_add(clean, "description", description[0] != '\0' ?
	    json_object_new_string(description) : NULL);
	json_object_array_add(out, clean);
}

/* Keys appearing twice. */
static void
check_duplicates(struct json_object *clean, struct admin_invalid *v)
{
	size_t n = json_object_array_length(clean), i, j;
	struct json_object *a, *b, *ka, *kb;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			a = json_object_array_get_idx(clean, i);
			b = json_object_array_get_idx(clean, j);
			if (json_object_object_get_ex(a, "key", &ka) &&
			    json_object_object_get_ex(b, "key", &kb) &&
			    strcmp(json_object_get_string(ka),
			    json_object_get_string(kb)) == 0) {
				admin_invalid_add(v, "key", "duplicate",
				    "must be unique");
				return;
			}
		}
}

void
oidc_api_permissions_set(struct app_call *call)
{
	struct json_object *body = NULL, *list, *clean = NULL;
	struct admin_invalid v;
	const char *id;
	char *json = NULL;
	size_t n, i;
	int rc;

	if (!load_api(call, &id, &json) || !admin_body_object(call, &body))
		goto out;
	free(json);
	json = NULL;
	admin_invalid_init(&v);
	clean = json_object_new_array();
	if (!json_object_object_get_ex(body, "permissions", &list) ||
	    !json_object_is_type(list, json_type_array))
		admin_invalid_add(&v, "permissions", "required",
		    "must be a list");
	else if ((n = json_object_array_length(list)) > PERMISSIONS_MAX)
		admin_invalid_add(&v, "permissions", "too_long",
		    "has too many entries");
	else {
		for (i = 0; i < n; i++)
			check_permission(json_object_array_get_idx(list, i),
			    clean, &v);
		check_duplicates(clean, &v);
	}
	if (admin_invalid_respond(call, &v))
		goto out;
	/* Full replacement matched by key: kept keys keep their grants. */
	if ((rc = store_api_permissions_set(call->app->db, id,
	    json_object_to_json_string_ext(clean, JSON_C_TO_STRING_PLAIN))) ==
	    PERR_OK)
		rc = store_api_get(call->app->db, id, &json);
	answer(call, rc, 200, json);
out:
	json_object_put(body);
	json_object_put(clean);
	free(json);
}

/* ids (JSON text) are all permissions of API id; false when answered. */
static bool
are_own_permissions(struct app_call *call, const char *id,
    const char *ids, const char *field)
{
	long long foreign = 0;
	int rc;

	if (ids == NULL)
		return true;
	if ((rc = store_api_permissions_foreign(call->app->db, id, ids,
	    &foreign)) != PERR_OK) {
		admin_fail(call, rc);
		return false;
	}
	if (foreign > 0) {
		admin_invalid_field(call, field, "invalid_value",
		    "must be permissions of this API");
		return false;
	}
	return true;
}

void
oidc_api_cimd_set(struct app_call *call)
{
	struct json_object *body = NULL;
	struct admin_invalid v;
	const char *id;
	char *json = NULL, *ids = NULL;
	bool enabled = false;
	int rc;

	if (!load_api(call, &id, &json) || !admin_body_object(call, &body))
		goto out;
	free(json);
	json = NULL;
	admin_invalid_init(&v);
	(void)admin_json_bool(body, "enabled", &enabled, NULL, &v);
	(void)admin_json_ids(body, "permissionIds", &ids, NULL, &v);
	if (admin_invalid_respond(call, &v) ||
	    !are_own_permissions(call, id, ids, "permissionIds"))
		goto out;
	if ((rc = store_api_cimd_set(call->app->db, id, enabled,
	    ids != NULL ? ids : "[]")) == PERR_OK)
		rc = store_api_get(call->app->db, id, &json);
	answer(call, rc, 200, json);
out:
	json_object_put(body);
	free(json);
	free(ids);
}

static void
list_for_api(struct app_call *call, const struct store_list_def *def)
{
	const char *id, *scope[1];
	char *json = NULL;

	if (load_api(call, &id, &json)) {
		scope[0] = id;
		admin_list_respond(call, def, scope);
	}
	free(json);
}

void
oidc_api_clients_list(struct app_call *call)
{
	list_for_api(call, &store_list_api_clients);
}

void
oidc_api_assignable_clients(struct app_call *call)
{
	list_for_api(call, &store_list_api_assignable_clients);
}

/* The :clientId of the route, an existing client; NULL when answered. */
static struct oidc_client *
load_client(struct app_call *call)
{
	struct oidc_client *c = NULL;
	char *client_id = oidc_client_id_param(call, "clientId");
	int rc = client_id == NULL ? PERR_NOT_FOUND :
	    oidc_client_load(call->app->db, client_id, &c);

	free(client_id);
	if (rc == PERR_NOT_FOUND)
		oidc_client_not_found(call);
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	return rc == PERR_OK ? c : NULL;
}

struct grant_body {
	bool user_access, client_access;
	char *user_ids, *client_ids;
};

static bool
read_grant(struct app_call *call, const struct oidc_client *c,
    const char *api_id, struct grant_body *g)
{
	struct json_object *body = NULL;
	struct admin_invalid v;
	bool ok = false;

	memset(g, 0, sizeof(*g));
	if (!admin_body_object(call, &body))
		return false;
	admin_invalid_init(&v);
	(void)admin_json_bool(body, "userDelegatedAccess", &g->user_access,
	    NULL, &v);
	(void)admin_json_bool(body, "clientAccess", &g->client_access, NULL,
	    &v);
	(void)admin_json_ids(body, "userDelegatedPermissionIds", &g->user_ids,
	    NULL, &v);
	(void)admin_json_ids(body, "clientPermissionIds", &g->client_ids,
	    NULL, &v);
	/* Spec §1.8: M2M access needs a client that can keep a secret. */
	if (g->client_access && c->is_public)
		admin_invalid_add(&v, "clientAccess", "invalid_value",
		    "is only available for confidential clients");
	if (!admin_invalid_respond(call, &v) &&
	    are_own_permissions(call, api_id, g->user_ids,
	    "userDelegatedPermissionIds") &&
	    are_own_permissions(call, api_id, g->client_ids,
	    "clientPermissionIds"))
		ok = true;
	json_object_put(body);
	return ok;
}

void
oidc_api_client_grant_set(struct app_call *call)
{
	struct oidc_client *c = NULL;
	struct grant_body g = { 0 };
	const char *id;
	char *json = NULL;
	int rc;

	if (!load_api(call, &id, &json) || (c = load_client(call)) == NULL ||
	    !read_grant(call, c, id, &g))
		goto out;
	free(json);
	json = NULL;
	if ((rc = store_api_grant_set(call->app->db, id, c->id,
	    g.user_access, g.client_access, g.user_ids, g.client_ids)) ==
	    PERR_OK)
		rc = store_api_grant_get(call->app->db, id, c->id, &json);
	answer(call, rc, 200, json);
out:
	oidc_client_free(c);
	free(g.user_ids);
	free(g.client_ids);
	free(json);
}

void
oidc_api_client_grant_delete(struct app_call *call)
{
	struct oidc_client *c = NULL;
	const char *id;
	char *json = NULL;
	int rc;

	if (load_api(call, &id, &json) && (c = load_client(call)) != NULL) {
		if ((rc = store_api_grant_delete(call->app->db, id, c->id)) !=
		    PERR_OK)
			admin_fail(call, rc);
		else
			http_response_no_content(call->res, 204);
	}
	oidc_client_free(c);
	free(json);
}

void
oidc_api_access_apis(struct app_call *call)
{
	struct oidc_client *c = load_client(call);
	char *json = NULL;
	int rc;

	if (c == NULL)
		return;
	if ((rc = store_api_access_apis(call->app->db, c->id, &json)) ==
	    PERR_OK)
		http_response_json(call->res, 200, json);
	else
		admin_fail(call, rc);
	oidc_client_free(c);
	free(json);
}

void
oidc_api_access_assignable(struct app_call *call)
{
	struct oidc_client *c = load_client(call);
	const char *scope[1];

	if (c == NULL)
		return;
	scope[0] = c->id;
	admin_list_respond(call, &store_list_api_assignable_apis, scope);
	oidc_client_free(c);
}
