/*
 * groups: user groups (spec §1.6) and their members. Groups that come
 * from LDAP cannot be changed or deleted while LDAP is enabled.
 * The clients a group may use are set here too (the same links, seen
 * from the group; the client side is src/oidc/client_admin.c).
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "http/http.h"
#include "admin/admin.h"

#define GROUP_FRIENDLY_NAME_MIN 2
#define GROUP_FRIENDLY_NAME_MAX 50
#define GROUP_NAME_MIN 2
#define GROUP_NAME_MAX 255

static void
group_not_found(struct app_call *call)
{
	admin_not_found(call, "User group");
}

static void
answer(struct app_call *call, int rc, int status, const char *json)
{
	if (rc == PERR_NOT_FOUND)
		group_not_found(call);
	else if (rc == PERR_CONFLICT)
		admin_already_in_use(call, "name");
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_json(call->res, status, json);
}

void
admin_groups_list(struct app_call *call)
{
	admin_list_respond(call, &store_list_user_groups, NULL);
}

void
admin_group_get(struct app_call *call)
{
	const char *id;
	char *json = NULL;
	int rc;

	if (!admin_path_uuid(call, "id", &id)) {
		group_not_found(call);
		return;
	}
	rc = store_group_dto(call->app->db, id, &json);
	answer(call, rc, 200, json);
	free(json);
}

static void
check_length(struct admin_invalid *v, const char *field, const char *s,
    size_t min, size_t max, const char *message)
{
	size_t n = s != NULL ? admin_utf8_chars(s) : 0;

	if (n == 0)
		admin_invalid_add(v, field, "required", "is required");
	else if (n < min)
		admin_invalid_add(v, field, "too_short", message);
	else if (n > max)
		admin_invalid_add(v, field, "too_long", message);
}

/* {friendlyName, name}, NFC-normalised and checked; false: answered. */
static bool
read_group_body(struct app_call *call, char **friendly, char **name)
{
	struct json_object *body = NULL;
	struct admin_invalid v;
	char *strings[2];
	int rc;

	*friendly = *name = NULL;
	if (!admin_body_object(call, &body))
		return false;
	admin_invalid_init(&v);
	(void)admin_json_string(body, "friendlyName", friendly, &v);
	(void)admin_json_string(body, "name", name, &v);
	json_object_put(body);
	if (admin_invalid_respond(call, &v))
		return false;
	admin_invalid_init(&v);
	strings[0] = *friendly;
	strings[1] = *name;
	rc = store_nfc(call->app->db, strings, 2);
	*friendly = strings[0];
	*name = strings[1];
	if (rc != PERR_OK) {
		wbuf_free(&v.fields);
		admin_fail(call, rc);
		return false;
	}
	check_length(&v, "friendlyName", *friendly, GROUP_FRIENDLY_NAME_MIN,
	    GROUP_FRIENDLY_NAME_MAX, "must be 2 to 50 characters long");
	check_length(&v, "name", *name, GROUP_NAME_MIN, GROUP_NAME_MAX,
	    "must be 2 to 255 characters long");
	return !admin_invalid_respond(call, &v);
}

void
admin_group_create(struct app_call *call)
{
	char id[STORE_ID_LEN + 1], *friendly = NULL, *name = NULL;
	char *json = NULL;
	int rc;

	if (!read_group_body(call, &friendly, &name))
		goto out;
	if ((rc = crypto_uuid_v4(id)) == PERR_OK)
		rc = store_group_create(call->app->db, id, friendly, name,
		    &json);
	answer(call, rc, 201, json);
out:
	free(friendly);
	free(name);
	free(json);
}

/* false (answered) when the group is missing or managed by LDAP. */
static bool
may_change(struct app_call *call, const char *id)
{
	char *ldap = NULL;
	int rc = store_group_ldap_id(call->app->db, id, &ldap);

	if (rc != PERR_OK) {
		answer(call, rc, 0, NULL);
		return false;
	}
	if (ldap != NULL && admin_setting_is_true(call, "ldapEnabled")) {
		free(ldap);
		http_response_error(call->res, call->req, 403,
		    "ldap_user_group_update",
		    "LDAP user groups can't be updated");
		return false;
	}
	free(ldap);
	return true;
}

void
admin_group_update(struct app_call *call)
{
	char *friendly = NULL, *name = NULL, *json = NULL;
	const char *id;
	int rc;

	if (!admin_path_uuid(call, "id", &id)) {
		group_not_found(call);
		return;
	}
	if (!may_change(call, id) || !read_group_body(call, &friendly, &name))
		goto out;
	rc = store_group_update(call->app->db, id, friendly, name, &json);
	answer(call, rc, 200, json);
out:
	free(friendly);
	free(name);
	free(json);
}

void
admin_group_delete(struct app_call *call)
{
	const char *id;
	int rc;

	if (!admin_path_uuid(call, "id", &id)) {
		group_not_found(call);
		return;
	}
	if (!may_change(call, id))
		return;
	if ((rc = store_group_delete(call->app->db, id)) != PERR_OK)
		answer(call, rc, 0, NULL);
	else
		http_response_no_content(call->res, 204);
}

void
admin_group_users_set(struct app_call *call)
{
	struct json_object *body = NULL, *ids;
	struct admin_invalid v;
	const char *id, *missing = NULL;
	char *list = NULL, *json = NULL;
	int rc;

	if (!admin_path_uuid(call, "id", &id)) {
		group_not_found(call);
		return;
	}
	if (!may_change(call, id) || !admin_body_object(call, &body))
		return;
	admin_invalid_init(&v);
	if (!json_object_object_get_ex(body, "userIds", &ids) ||
	    json_object_is_type(ids, json_type_null))
		admin_invalid_add(&v, "userIds", "required", "is required");
	else
		(void)admin_json_ids(body, "userIds", &list, NULL, &v);
	json_object_put(body);
	if (admin_invalid_respond(call, &v))
		goto out;
	rc = store_group_users_set(call->app->db, id, list, &missing, &json);
	if (rc == PERR_NOT_FOUND && missing != NULL &&
	    strcmp(missing, "User") == 0)
		admin_user_not_found(call);
	else
		answer(call, rc, 200, json);
out:
	free(list);
	free(json);
}

/* oidcClientIds: an array of client ids (strings), as JSON text. */
static char *
client_ids_json(struct json_object *body)
{
	struct json_object *arr, *item;
	size_t i, n;

	if (!json_object_object_get_ex(body, "oidcClientIds", &arr) ||
	    !json_object_is_type(arr, json_type_array) ||
	    (n = json_object_array_length(arr)) > ADMIN_IDS_MAX)
		return NULL;
	for (i = 0; i < n; i++) {
		item = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(item, json_type_string) ||
		    json_object_get_string_len(item) == 0)
			return NULL;
	}
	return str_dup(json_object_to_json_string_ext(arr,
	    JSON_C_TO_STRING_PLAIN));
}

void
admin_group_clients_set(struct app_call *call)
{
	struct json_object *body = NULL;
	const char *id, *missing = NULL;
	char *list = NULL, *json = NULL;
	int rc;

	if (!admin_path_uuid(call, "id", &id)) {
		group_not_found(call);
		return;
	}
	if (!may_change(call, id) || !admin_body_object(call, &body))
		return;
	list = client_ids_json(body);
	json_object_put(body);
	if (list == NULL) {
		http_response_validation(call->res, call->req, "oidcClientIds",
		    "required", "oidcClientIds must be an array of client ids");
		return;
	}
	rc = store_group_clients_set(call->app->db, id, list, &missing, &json);
	if (rc == PERR_NOT_FOUND && missing != NULL &&
	    strcmp(missing, "OIDC client") == 0)
		http_response_error(call->res, call->req, 404, "not_found",
		    "OIDC client not found");
	else if (rc == PERR_NOT_FOUND)
		group_not_found(call);
	else
		answer(call, rc, 200, json);
	free(list);
	free(json);
}
