/*
 * audit: the audit-log routes (spec §1.12): a user's own events, all
 * events for admins with the spec's filters, and the two lists the admin
 * UI fills its filter menus from. Rows are written by auth_audit; the
 * "device" of each row is derived here from its user agent, at read time
 * (audit_device.c).
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/store.h"
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
