/*
 * account: the signed-in user's own view: GET /api/users/me, sign-out,
 * and their browser sessions (ours, beyond Pocket ID: list and end them).
 * The first-admin setup is signup's (src/admin/signup.c).
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/store.h"
#include "auth/auth.h"

/* Answers with the UserDto of user_id and status. */
static void
respond_user(struct app_call *call, const char *user_id, int status)
{
	char *json = NULL;
	int rc = store_user_dto(call->app->db, user_id, &json);

	http_response_result(call->res, call->req, rc, status, json);
	free(json);
}

void
auth_me(struct app_call *call)
{
	respond_user(call, call->caller.user_id, 200);
}

void
auth_logout(struct app_call *call)
{
	if (call->caller.via == AUTH_VIA_SESSION)
		(void)store_session_delete(call->app->db,
		    call->caller.session.id);
	http_response_cookie(call->res, auth_cookie_name(call, "access_token"),
	    "", "/", 0);
	http_response_no_content(call->res, 204);
}

void
auth_sessions_list(struct app_call *call)
{
	const char *current = call->caller.via == AUTH_VIA_SESSION ?
	    call->caller.session.id : STORE_STATIC_API_USER_ID;
	char *json = NULL, *with_devices = NULL;
	int rc = store_session_list(call->app->db, call->caller.user_id,
	    current, &json);

	/* "Chrome on Linux" next to the raw user agent (spec §0.6 device). */
	if (rc == PERR_OK)
		rc = http_json_devices(json, NULL, "userAgent", "device",
		    &with_devices);
	http_response_result(call->res, call->req, rc, 200, with_devices);
	free(json);
	free(with_devices);
}

void
auth_session_delete(struct app_call *call)
{
	const char *id = http_route_param(call->req, "id");
	int rc;

	if (id == NULL || !str_is_uuid(id)) {
		http_response_error(call->res, call->req, 404, "not_found",
		    "Session not found");
		return;
	}
	rc = store_session_delete_own(call->app->db, id,
	    call->caller.user_id);
	if (rc == PERR_NOT_FOUND)
		http_response_error(call->res, call->req, 404, "not_found",
		    "Session not found");
	else if (rc != PERR_OK)
		http_response_perr(call->res, call->req, rc, NULL);
	else
		http_response_no_content(call->res, 204);
}

void
auth_sessions_delete_others(struct app_call *call)
{
	int rc = store_session_delete_others(call->app->db,
	    call->caller.user_id, call->caller.session.id);

	if (rc != PERR_OK)
		http_response_perr(call->res, call->req, rc, NULL);
	else
		http_response_no_content(call->res, 204);
}
