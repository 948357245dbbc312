/*
 * client_user: a signed-in user's view of clients (spec §1.7, §2.9):
 * the apps they authorized (and the admin's view of another user's), the
 * revocation of one, and "my apps" — every client they may use. The
 * tokens of a revoked app are ended by oidc_tokens_revoke_for, which the
 * token code implements.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "http/http.h"
#include "auth/auth.h"
#include "admin/admin.h"
#include "store/store.h"
#include "oidc/oidc_client.h"

void
oidc_user_authorized_clients(struct app_call *call)
{
	const char *scope[1] = { call->caller.user_id };

	admin_list_respond(call, &store_list_oidc_authorized, scope);
}

void
oidc_user_authorized_clients_of(struct app_call *call)
{
	const char *id = http_route_param(call->req, "id");
	const char *scope[1] = { id };
	bool disabled;
	int rc = id != NULL && str_is_uuid(id) ?
	    store_user_is_disabled(call->app->db, id, &disabled) :
	    PERR_NOT_FOUND;

	if (rc == PERR_NOT_FOUND)
		http_response_error(call->res, call->req, 404,
		    "user_not_found", "User not found");
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		admin_list_respond(call, &store_list_oidc_authorized, scope);
}

void
oidc_user_authorized_client_revoke(struct app_call *call)
{
	char *client_id = oidc_client_id_param(call, "clientId");
	struct db *db = call->app->db;
	int rc;

	if (client_id == NULL) {
		rc = PERR_NOT_FOUND;
		goto answer;
	}
	/* The consent and the tokens go together or not at all. */
	if ((rc = db_begin(db)) != PERR_OK)
		goto answer;
	if ((rc = store_consent_delete(db, call->caller.user_id,
	    client_id)) != PERR_OK ||
	    (rc = oidc_tokens_revoke_for(db, call->caller.user_id,
	    client_id)) != PERR_OK) {
		(void)db_rollback(db);
		goto answer;
	}
	rc = db_commit(db);
answer:
	if (rc == PERR_NOT_FOUND)
		admin_error(call, 404, "not_found",
		    "Client authorization not found", "resource",
		    "Client authorization");
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_no_content(call->res, 204);
	free(client_id);
}

void
oidc_user_accessible_clients(struct app_call *call)
{
	const char *scope[1] = { call->caller.user_id };

	admin_list_respond(call, &store_list_oidc_accessible, scope);
}
