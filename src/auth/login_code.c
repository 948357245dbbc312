/*
 * login_code: one-time access tokens ("login codes", spec §1.4): made by
 * an admin or the CLI, exchanged once for a session with amr "otp". Codes
 * are stored only as the SHA-256 of their normalised form and consumed in
 * one statement, so no two workers accept the same code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "auth/auth.h"

#define CODE_SHORT_LEN 6
#define CODE_LONG_LEN 12
#define CODE_SHORT_TTL_MAX_S (15 * 60)
#define CODE_DEFAULT_TTL_S (15 * 60)
#define CODE_TTL_MAX_S (31 * 24 * 3600)

/* Pocket ID's alphabet: no i, l, o, I, L, O. */
static const char code_alphabet[] =
    "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ0123456789";

bool
auth_login_code_normalise(char *code)
{
	size_t n = strlen(code), i;

	if (n != CODE_SHORT_LEN && n != CODE_LONG_LEN)
		return false;
	for (i = 0; i < n; i++) {
		if (code[i] == 'I' || code[i] == 'i')
			code[i] = '1';
		else if (code[i] == 'O' || code[i] == 'o')
			code[i] = '0';
		if (strchr(code_alphabet, code[i]) == NULL)
			return false;
	}
	return true;
}

int
auth_login_code_create(struct db *db, const char *user_id,
    int64_t ttl_seconds, const char *device_token, char **code)
{
	char text[CODE_LONG_LEN + 1], hash[65], device_hash[65];
	size_t n = ttl_seconds <= CODE_SHORT_TTL_MAX_S ? CODE_SHORT_LEN :
	    CODE_LONG_LEN;
	int rc;

	*code = NULL;
	if ((rc = crypto_random_string(code_alphabet, n, text)) != PERR_OK ||
	    (rc = auth_token_hash(text, hash)) != PERR_OK ||
	    (device_token != NULL &&
	    (rc = auth_token_hash(device_token, device_hash)) != PERR_OK))
		return rc;
	rc = store_login_code_create(db, hash, user_id, ttl_seconds,
	    device_token != NULL ? device_hash : NULL);
	if (rc == PERR_OK && (*code = str_dup(text)) == NULL)
		rc = PERR_NOMEM;
	OPENSSL_cleanse(text, sizeof(text));
	return rc;
}

/* spec §0.4: no TTL or 0 means the default of 15 minutes. */
static int
parse_ttl(struct json_object *v, int64_t *out)
{
	if (ojson_ttl_seconds(v, CODE_TTL_MAX_S, out) != PERR_OK)
		return PERR_INVALID;
	if (*out == 0)
		*out = CODE_DEFAULT_TTL_S;
	return PERR_OK;
}

void
auth_login_code_admin_create(struct app_call *call)
{
	const char *user_id = http_route_param(call->req, "id");
	struct json_object *body = NULL, *ttl_value = NULL;
	char *code = NULL, *dto = NULL;
	const char *why = NULL;
	int64_t ttl = CODE_DEFAULT_TTL_S;
	struct wbuf w;
	int rc;

	wbuf_init(&w);
	if (call->req->body_len > 0) {
		if (http_request_json(call->req, &body, &why) != PERR_OK) {
			http_response_error(call->res, call->req, 400,
			    "invalid_request_body", why);
			goto out;
		}
		json_object_object_get_ex(body, "ttl", &ttl_value);
	}
	if (parse_ttl(ttl_value, &ttl) != PERR_OK) {
		http_response_validation(call->res, call->req, "ttl",
		    "invalid_value", "The lifetime must be more than 1 second "
		    "and at most 31 days, e.g. 900 or \"15m\"");
		goto out;
	}
	rc = str_is_uuid(user_id) ? store_user_dto(call->app->db, user_id,
	    &dto) : PERR_NOT_FOUND;
	if (rc == PERR_OK)
		rc = auth_login_code_create(call->app->db, user_id, ttl, NULL,
		    &code);
	if (rc == PERR_NOT_FOUND) {
		http_response_error(call->res, call->req, 404,
		    "user_not_found", "User not found");
		goto out;
	}
	if (rc != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
		goto out;
	}
	wbuf_printf(&w, "{\"token\":\"%s\"}", code);
	http_response_json(call->res, 201, (const char *)w.data);
out:
	wbuf_free(&w);
	str_free_secret(code);
	free(dto);
	json_object_put(body);
}

static void
code_refused(struct app_call *call)
{
	http_response_error(call->res, call->req, 401,
	    "token_invalid_or_expired", "The login code is invalid or has "
	    "expired");
}

void
auth_login_code_exchange(struct app_call *call)
{
	const char *given = http_route_param(call->req, "token");
	char user_id[STORE_ID_LEN + 1], hash[65], device_hash[65];
	char *code = NULL, *bound = NULL, *device = NULL, *dto = NULL;
	bool disabled = false;
	int rc;

	if (given == NULL || (code = str_dup(given)) == NULL ||
	    !auth_login_code_normalise(code)) {
		code_refused(call);
		goto out;
	}
	if ((rc = auth_token_hash(code, hash)) == PERR_OK)
		rc = store_login_code_take(call->app->db, hash, user_id,
		    &bound);
	if (rc == PERR_NOT_FOUND) {
		code_refused(call);
		goto out;
	}
	if (rc != PERR_OK)
		goto fail;
	/* A code requested by email only works in the browser that asked. */
	if (bound[0] != '\0') {
		device = http_cookie_get(call->req, auth_cookie_name(call,
		    "device_token"));
		if (device == NULL || auth_token_hash(device, device_hash) !=
		    PERR_OK || strcmp(device_hash, bound) != 0) {
			http_response_error(call->res, call->req, 401,
			    "device_code_invalid", "This login code was "
			    "requested from another browser");
			goto out;
		}
	}
	if ((rc = store_user_is_disabled(call->app->db, user_id,
	    &disabled)) != PERR_OK)
		goto fail;
	if (disabled) {
		http_response_error(call->res, call->req, 403,
		    "user_disabled", "This account has been disabled");
		goto out;
	}
	if ((rc = auth_session_start(call, user_id, "otp")) != PERR_OK ||
	    (rc = store_user_dto(call->app->db, user_id, &dto)) != PERR_OK)
		goto fail;
	auth_audit(call, "TOKEN_SIGN_IN", user_id, NULL);
	http_response_json(call->res, 200, dto);
	goto out;
fail:
	http_response_perr(call->res, call->req, rc, NULL);
out:
	str_free_secret(code);
	str_free_secret(device);
	free(bound);
	free(dto);
}
