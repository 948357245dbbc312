/*
 * signup: the first-admin setup, self-service signup and signup tokens
 * (spec §1.4). Setup creates the first account, as admin, only while there
 * is none. Signup is open (allowUserSignups "open") or by token (which
 * works whatever the setting says); a token's uses are taken inside the
 * signup's own transaction, so a limit of 5 admits exactly 5 people
 * however many try at once. Tokens are random, shown once, and stored as
 * SHA-256. Both read the body with the admin user rules (user_body.c).
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "http/http.h"
#include "admin/admin.h"

#define SIGNUP_TOKEN_LEN 16
#define SIGNUP_USAGE_LIMIT_MAX 100

static const char token_alphabet[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

void
admin_signup_tokens_list(struct app_call *call)
{
	admin_list_respond(call, &store_list_signup_tokens, NULL);
}

/* Reads {ttl*, usageLimit*, userGroupIds}; on false it is answered. */
static bool
read_token_body(struct app_call *call, int64_t *ttl, int64_t *limit,
    char **groups)
{
	struct json_object *body = NULL, *m;
	struct admin_invalid v;

	*groups = NULL;
	*ttl = *limit = 0;
	if (!admin_body_object(call, &body))
		return false;
	admin_invalid_init(&v);
	if (!json_object_object_get_ex(body, "ttl", &m) ||
	    json_object_is_type(m, json_type_null))
		admin_invalid_add(&v, "ttl", "required", "is required");
	else if (ojson_ttl_seconds(m, ADMIN_TTL_MAX_S, ttl) != PERR_OK ||
	    *ttl == 0)
		admin_invalid_add(&v, "ttl", "invalid_value",
		    "must be more than 1 second and at most 31 days");
	if (!json_object_object_get_ex(body, "usageLimit", &m) ||
	    json_object_is_type(m, json_type_null))
		admin_invalid_add(&v, "usageLimit", "required", "is required");
	else if (!json_object_is_type(m, json_type_int) ||
	    (*limit = json_object_get_int64(m)) < 1 ||
	    *limit > SIGNUP_USAGE_LIMIT_MAX)
		admin_invalid_add(&v, "usageLimit", "invalid_value",
		    "must be a whole number from 1 to 100");
	(void)admin_json_ids(body, "userGroupIds", groups, NULL, &v);
	json_object_put(body);
	if (admin_invalid_respond(call, &v)) {
		free(*groups);
		*groups = NULL;
		return false;
	}
	return true;
}

void
admin_signup_token_create(struct app_call *call)
{
	char id[STORE_ID_LEN + 1], token[SIGNUP_TOKEN_LEN + 1], hash[65];
	char *groups = NULL, *json = NULL;
	int64_t ttl, limit;
	int rc;

	if (!read_token_body(call, &ttl, &limit, &groups))
		return;
	if ((rc = crypto_uuid_v4(id)) == PERR_OK &&
	    (rc = crypto_random_string(token_alphabet, SIGNUP_TOKEN_LEN,
	    token)) == PERR_OK &&
	    (rc = auth_token_hash(token, hash)) == PERR_OK)
		rc = store_signup_token_create(call->app->db, id, hash, token,
		    ttl, limit, groups, &json);
	if (rc == PERR_NOT_FOUND)
		admin_not_found(call, "User group");
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_json(call->res, 201, json);
	OPENSSL_cleanse(token, sizeof(token));
	str_free_secret(json);
	free(groups);
}

void
admin_signup_token_delete(struct app_call *call)
{
	const char *id;
	int rc;

	/* spec §1.4: 204 for unknown ids as well. */
	if (admin_path_uuid(call, "id", &id) &&
	    (rc = store_signup_token_delete(call->app->db, id)) != PERR_OK) {
		admin_fail(call, rc);
		return;
	}
	http_response_no_content(call->res, 204);
}

/* spec §8: ACCOUNT_CREATED. The token is a secret: its id is logged. */
static void
audit_created(struct app_call *call, const char *user_id,
    const char *token_id)
{
	struct wbuf w;

	wbuf_init(&w);
	if (token_id[0] != '\0') {
		wbuf_puts(&w, "{\"signupTokenId\":");
		wbuf_put_json_string(&w, token_id, strlen(token_id));
		wbuf_putc(&w, '}');
	} else {
		wbuf_puts(&w, "{\"method\":\"open_signup\"}");
	}
	if (wbuf_error(&w) == PERR_OK)
		auth_audit(call, "ACCOUNT_CREATED", user_id,
		    (const char *)w.data);
	wbuf_free(&w);
}

/* Whether this signup may go on; answers 403 when not. */
static bool
signup_allowed(struct app_call *call, const struct admin_user_body *b)
{
	char *mode;
	bool open;

	if (b->token != NULL && b->token[0] != '\0')
		return true;
	mode = auth_app_setting(call, "allowUserSignups");
	open = mode != NULL && strcmp(mode, "open") == 0;
	free(mode);
	if (!open)
		http_response_error(call->res, call->req, 403,
		    "open_signup_disabled", "Open user signup is not enabled");
	return open;
}

/* Creates the user; on success *id holds it. False: answered. */
static bool
signup_create(struct app_call *call, struct admin_user_body *b,
    char id[STORE_ID_LEN + 1], char token_id[STORE_ID_LEN + 1])
{
	struct store_user_input u;
	const char *conflict = NULL;
	char hash[65], *groups = NULL, *claims = NULL;
	bool with_token = b->token != NULL && b->token[0] != '\0';
	int rc;

	admin_user_body_input(b, &u);
	u.id = id;
	u.email_verified = admin_setting_is_true(call, "emailsVerified");
	if ((rc = crypto_uuid_v4(id)) != PERR_OK ||
	    (with_token && (rc = auth_token_hash(b->token, hash)) != PERR_OK))
		goto fail;
	groups = admin_default_groups(call);
	claims = admin_default_claims(call);
	rc = store_signup(call->app->db, with_token ? hash : NULL, &u, groups,
	    claims, &conflict, token_id);
	free(groups);
	free(claims);
	if (rc == PERR_OK)
		return true;
	if (rc == PERR_EXPIRED) {
		http_response_error(call->res, call->req, 401,
		    "token_invalid_or_expired", "Token is invalid or expired");
		return false;
	}
fail:
	admin_user_write_failed(call, rc, conflict);
	return false;
}

void
admin_signup(struct app_call *call)
{
	struct admin_user_body b;
	char id[STORE_ID_LEN + 1], token_id[STORE_ID_LEN + 1] = "";
	int rc;

	memset(&b, 0, sizeof(b));
	if (!admin_user_body_request(call, &b, true) || !signup_allowed(call, &b) ||
	    !signup_create(call, &b, id, token_id))
		goto out;
	/* spec §1.4: signed in at once, with no amr. */
	if ((rc = auth_session_start(call, id, NULL)) != PERR_OK) {
		admin_fail(call, rc);
		goto out;
	}
	audit_created(call, id, token_id);
	admin_respond_user(call, id, 201);
out:
	admin_user_body_clear(&b);
}

void
admin_setup_status(struct app_call *call)
{
	int64_t n = 0;
	int rc = store_user_count_real(call->app->db, &n);

	if (rc != PERR_OK)
		admin_fail(call, rc);
	else if (n > 0)
		http_response_error(call->res, call->req, 404,
		    "setup_not_available", "Setup already completed");
	else
		http_response_no_content(call->res, 204);
}

void
admin_setup_create(struct app_call *call)
{
	struct admin_user_body b;
	struct store_user_input u;
	char id[STORE_ID_LEN + 1];
	int rc;

	memset(&b, 0, sizeof(b));
	if (!admin_user_body_request(call, &b, true))
		goto out;
	admin_user_body_input(&b, &u);
	u.id = id;
	u.is_admin = true;
	if ((rc = crypto_uuid_v4(id)) == PERR_OK)
		rc = store_user_create_first(call->app->db, &u);
	if (rc == PERR_CONFLICT) {
		http_response_error(call->res, call->req, 409,
		    "setup_already_completed", "Setup already completed");
		goto out;
	}
	/* The new admin signs in with a login-code-strength session and is
	 * sent on to add a passkey. */
	if (rc == PERR_OK)
		rc = auth_session_start(call, id, "otp");
	if (rc == PERR_OK)
		admin_respond_user(call, id, 200);
	else
		admin_fail(call, rc);
out:
	admin_user_body_clear(&b);
}
