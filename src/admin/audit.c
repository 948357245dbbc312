/*
 * audit: the audit-log routes (spec §1.12): a user's own events, all
 * events for admins with the spec's filters, and the two lists the admin
 * UI fills its filter menus from. Rows are written by auth_audit; the
 * "device" of each row is derived here from its user agent, at read time
 * (audit_device.c).
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "store/store.h"
#include "admin/admin.h"
#include "admin/admin_config.h"

/* Answers 200 with the JSON a store function made, or its error. */
static void
respond_store_json(struct app_call *call, int rc, char *json)
{
	if (rc != PERR_OK)
		http_response_perr(call->res, call->req, rc, NULL);
	else
		http_response_json(call->res, 200, json);
	free(json);
}

void
audit_filter_client_names(struct app_call *call)
{
	char *json = NULL;
	int rc = store_audit_client_names(call->app->db, &json);

	respond_store_json(call, rc, json);
}

void
audit_filter_users(struct app_call *call)
{
	char *json = NULL;
	int rc = store_audit_users(call->app->db, &json);

	respond_store_json(call, rc, json);
}

/*
 * The store gives each row's user agent in "device"; replace it with the
 * device string. *out is the new page (caller frees).
 */
static int
derive_devices(const char *page, char **out)
{
	struct json_object *root = NULL, *data, *row, *ua, *device;
	const char *text;
	char *dev = NULL;
	size_t i, n;
	int rc;

	*out = NULL;
	if ((rc = ojson_parse(page, strlen(page), &root)) != PERR_OK)
		return rc;
	if (!json_object_object_get_ex(root, "data", &data) ||
	    !json_object_is_type(data, json_type_array)) {
		rc = PERR_INTERNAL;
		goto out;
	}
	n = json_object_array_length(data);
	for (i = 0; i < n; i++) {
		row = json_object_array_get_idx(data, i);
		if (!json_object_object_get_ex(row, "device", &ua) ||
		    !json_object_is_type(ua, json_type_string)) {
			rc = PERR_INTERNAL;
			goto out;
		}
		text = json_object_get_string(ua);
		if ((rc = audit_device_from_user_agent(text,
		    (size_t)json_object_get_string_len(ua), &dev)) != PERR_OK)
			goto out;
		device = json_object_new_string(dev);
		free(dev);
		if (device == NULL ||
		    json_object_object_add(row, "device", device) != 0) {
			json_object_put(device);
			rc = PERR_NOMEM;
			goto out;
		}
	}
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL || (*out = str_dup(text)) == NULL)
		rc = PERR_NOMEM;
out:
	json_object_put(root);
	return rc;
}

/* A page of def for the request's query, devices derived. */
static void
audit_list(struct app_call *call, const struct store_list_def *def,
    const char *const *scope)
{
	struct store_list_query q;
	struct admin_field_error e;
	char *page = NULL, *json = NULL;
	int rc;

	rc = admin_list_parse(call->req->query, def, &q, &e);
	if (rc == PERR_INVALID) {
		admin_invalid_field(call, e.field, e.code, e.message);
		return;
	}
	if (rc == PERR_OK &&
	    (rc = store_list_page(call->app->db, def, &q, scope, &page)) ==
	    PERR_OK)
		rc = derive_devices(page, &json);
	if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_json(call->res, 200, json);
	free(page);
	free(json);
	store_list_query_clear(&q);
}

void
audit_list_own(struct app_call *call)
{
	const char *scope[1] = { call->caller.user_id };

	audit_list(call, &store_list_audit_own, scope);
}

void
audit_list_all(struct app_call *call)
{
	audit_list(call, &store_list_audit_all, NULL);
}
