/*
 * audit: the audit-log routes (spec §1.12): a user's own events, all
 * events for admins with the spec's filters, and the two lists the admin
 * UI fills its filter menus from. Rows are written by auth_audit; the
 * "device" of each row is derived here from its user agent, at read time
 * (src/http/user_agent.c).
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "http/http.h"
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
		rc = http_json_devices(page, "data", "device", "device",
		    &json);
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
