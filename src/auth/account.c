/*
 * account: the signed-in user's own view: GET /api/users/me, sign-out,
 * their browser sessions (ours, beyond Pocket ID: list and end them), and
 * the first-admin setup (spec §1.4) that creates the first account.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "auth/auth.h"

#define USERNAME_MAX 50
#define NAME_MAX_CHARS 50
#define EMAIL_MAX 255

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
	char *json = NULL;
	int rc = store_session_list(call->app->db, call->caller.user_id,
	    current, &json);

	http_response_result(call->res, call->req, rc, 200, json);
	free(json);
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

void
auth_setup_status(struct app_call *call)
{
	int64_t n = 0;
	int rc = store_user_count_real(call->app->db, &n);

	if (rc != PERR_OK)
		http_response_perr(call->res, call->req, rc, NULL);
	else if (n > 0)
		http_response_error(call->res, call->req, 404,
		    "setup_not_available", "The initial setup is already done");
	else
		http_response_no_content(call->res, 204);
}

/* spec §0.4: ^[a-zA-Z0-9]([a-zA-Z0-9_.@-]*[a-zA-Z0-9])?$, 1-50 chars. */
static bool
is_valid_username(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > USERNAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool alnum = isascii(c) && isalnum(c);

		if ((i == 0 || i == n - 1) ? !alnum :
		    !(alnum || c == '_' || c == '.' || c == '@' || c == '-'))
			return false;
	}
	return true;
}

/* A plain check: one @, something on each side, a dot after it. */
static bool
is_valid_email(const char *s)
{
	const char *at = strchr(s, '@');

	return strlen(s) <= EMAIL_MAX && at != NULL && at != s &&
	    strchr(at + 1, '@') == NULL && strchr(at + 1, '.') != NULL &&
	    strchr(s, ' ') == NULL && at[1] != '.' &&
	    s[strlen(s) - 1] != '.';
}

/* Optional string member; NULL when absent, null or empty. */
static const char *
member_string(struct json_object *obj, const char *name)
{
	struct json_object *v;
	const char *s;

	if (!json_object_object_get_ex(obj, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	return s[0] != '\0' ? s : NULL;
}

/* Validates the setup body into u; on false the response is set. */
static bool
parse_setup_body(struct app_call *call, struct json_object *body,
    struct store_user_new *u, char *display, size_t display_len)
{
	u->username = member_string(body, "username");
	u->email = member_string(body, "email");
	u->first_name = member_string(body, "firstName");
	u->last_name = member_string(body, "lastName");
	if (u->username == NULL || !is_valid_username(u->username)) {
		http_response_validation(call->res, call->req, "username",
		    u->username == NULL ? "required" : "invalid_format",
		    "Username must be 1 to 50 letters, digits or _ . @ -, "
		    "starting and ending with a letter or digit");
		return false;
	}
	if (u->email != NULL && !is_valid_email(u->email)) {
		http_response_validation(call->res, call->req, "email",
		    "invalid_format", "Email is not a valid email address");
		return false;
	}
	if ((u->first_name != NULL && strlen(u->first_name) > NAME_MAX_CHARS) ||
	    (u->last_name != NULL && strlen(u->last_name) > NAME_MAX_CHARS)) {
		http_response_validation(call->res, call->req, u->first_name !=
		    NULL && strlen(u->first_name) > NAME_MAX_CHARS ?
		    "firstName" : "lastName", "too_long",
		    "Names can be at most 50 characters long");
		return false;
	}
	snprintf(display, display_len, "%s%s%s",
	    u->first_name != NULL ? u->first_name : "",
	    u->first_name != NULL && u->last_name != NULL ? " " : "",
	    u->last_name != NULL ? u->last_name : "");
	u->display_name = display[0] != '\0' ? display : u->username;
	return true;
}

void
auth_setup_create(struct app_call *call)
{
	struct store_user_new u = { 0 };
	struct json_object *body = NULL;
	char id[STORE_ID_LEN + 1], display[2 * NAME_MAX_CHARS + 2];
	const char *why = NULL;
	int rc;

	if (http_request_json(call->req, &body, &why) != PERR_OK) {
		http_response_error(call->res, call->req, 400,
		    "invalid_request_body", why);
		return;
	}
	if (!parse_setup_body(call, body, &u, display, sizeof(display)))
		goto out;
	if ((rc = crypto_uuid_v4(id)) != PERR_OK)
		goto fail;
	u.id = id;
	u.is_admin = true;
	rc = store_user_create_first(call->app->db, &u);
	if (rc == PERR_CONFLICT) {
		http_response_error(call->res, call->req, 409,
		    "setup_already_completed",
		    "The initial setup is already done");
		goto out;
	}
	/* The new admin signs in with a login-code-strength session and is
	 * sent on to add a passkey. */
	if (rc != PERR_OK || (rc = auth_session_start(call, id, "otp")) !=
	    PERR_OK)
		goto fail;
	respond_user(call, id, 200);
	goto out;
fail:
	http_response_perr(call->res, call->req, rc, NULL);
out:
	json_object_put(body);
}
