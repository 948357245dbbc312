/*
 * apikey: a user's own API keys (spec §1.13). The token is 32 characters
 * drawn uniformly from [A-Za-z0-9] (Pocket ID's format, about 190 bits),
 * shown once in the response to create or renew, and stored only as its
 * SHA-256 hex, which is how auth/caller.c finds it in X-API-Key. Create
 * and renew need a browser session (the route table says so); list and
 * delete accept an API key too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "admin/admin.h"
#include "admin/admin_config.h"

#define NAME_MIN 3
#define NAME_MAX_CHARS 50
#define DESCRIPTION_MAX_CHARS 1000

static const char alphanumerics[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

int
apikey_token_new(char out[APIKEY_TOKEN_LEN + 1])
{
	return crypto_random_string(alphanumerics, APIKEY_TOKEN_LEN, out);
}

static bool
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int
number(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int
days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* "Z", "z" or "+HH:MM" / "-HH:MM" and nothing after it. */
static bool
is_offset(const char *s)
{
	if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0')
		return true;
	return (s[0] == '+' || s[0] == '-') && digits(s + 1, 2) &&
	    s[3] == ':' && digits(s + 4, 2) && s[6] == '\0' &&
	    number(s + 1, 2) <= 23 && number(s + 4, 2) <= 59;
}

bool
apikey_time_is_rfc3339(const char *s)
{
	size_t frac = 0;
	int year, month, day;

	/* YYYY-MM-DDTHH:MM:SS */
	if (strlen(s) < 20 || !digits(s, 4) || s[4] != '-' ||
	    !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2) ||
	    (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' ||
	    !digits(s + 17, 2))
		return false;
	year = number(s, 4);
	month = number(s + 5, 2);
	day = number(s + 8, 2);
	if (year < 1 || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month) || number(s + 11, 2) > 23 ||
	    number(s + 14, 2) > 59 || number(s + 17, 2) > 59)
		return false;
	s += 19;
	if (*s == '.') {
		while (s[1 + frac] >= '0' && s[1 + frac] <= '9')
			frac++;
		if (frac < 1 || frac > 9)
			return false;
		s += 1 + frac;
	}
	return is_offset(s);
}

/*
 * An optional string member: *out NULL when absent or null. False when it
 * has another type or an embedded NUL (the caller answers 400).
 */
static bool
member_string(struct json_object *obj, const char *name, const char **out)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, name, &v) || v == NULL)
		return true;
	if (!json_object_is_type(v, json_type_string))
		return false;
	*out = json_object_get_string(v);
	return strlen(*out) == (size_t)json_object_get_string_len(v);
}

static void
bad_body(struct app_call *call, const char *why)
{
	http_response_error(call->res, call->req, 400, "invalid_request_body",
	    why);
}

/*
 * The expiresAt member: present, RFC 3339 and in the future. On false the
 * response is set.
 */
static bool
parse_expiry(struct app_call *call, struct json_object *body,
    const char **expires_at)
{
	bool future = false;
	int rc;

	if (!member_string(body, "expiresAt", expires_at)) {
		bad_body(call, "expiresAt must be an RFC 3339 date-time");
		return false;
	}
	if (*expires_at == NULL || (*expires_at)[0] == '\0') {
		admin_invalid_field(call, "expiresAt", "required",
		    "is required");
		return false;
	}
	if (!apikey_time_is_rfc3339(*expires_at)) {
		bad_body(call, "expiresAt must be an RFC 3339 date-time");
		return false;
	}
	if ((rc = store_time_is_future(call->app->db, *expires_at,
	    &future)) != PERR_OK) {
		admin_fail(call, rc);
		return false;
	}
	if (!future) {
		http_response_error(call->res, call->req, 400,
		    "invalid_api_key_expiration",
		    "API key expiration time must be in the future");
		return false;
	}
	return true;
}

/*
 * name (3 to 50 characters) and description (optional), NFC-normalised
 * (spec §0.4) into text[0] and text[1], which the caller frees; k points
 * at them. On false the response is set.
 */
static bool
parse_create(struct app_call *call, struct json_object *body,
    struct store_api_key_new *k, char *text[2])
{
	const char *name = NULL, *description = NULL;
	size_t n;
	int rc;

	if (!member_string(body, "name", &name) ||
	    !member_string(body, "description", &description)) {
		bad_body(call, "name and description must be strings");
		return false;
	}
	if ((name != NULL && (text[0] = str_dup(name)) == NULL) ||
	    (description != NULL && (text[1] = str_dup(description)) == NULL))
		rc = PERR_NOMEM;
	else
		rc = store_nfc(call->app->db, text, 2);
	if (rc != PERR_OK) {
		admin_fail(call, rc);
		return false;
	}
	k->name = text[0];
	k->description = text[1];
	n = k->name != NULL ? admin_utf8_chars(k->name) : 0;
	if (n == 0) {
		admin_invalid_field(call, "name", "required", "is required");
		return false;
	}
	if (n < NAME_MIN || n > NAME_MAX_CHARS) {
		admin_invalid_field(call, "name",
		    n < NAME_MIN ? "too_short" : "too_long", n < NAME_MIN ?
		    "must be at least 3 characters long" :
		    "must be at most 50 characters long");
		return false;
	}
	if (k->description != NULL &&
	    admin_utf8_chars(k->description) > DESCRIPTION_MAX_CHARS) {
		admin_invalid_field(call, "description", "too_long",
		    "must be at most 1000 characters long");
		return false;
	}
	return parse_expiry(call, body, &k->expires_at);
}

/* {"apiKey": dto, "token": token} with status. */
static void
respond_key(struct app_call *call, int status, const char *dto,
    const char *token)
{
	struct wbuf w;

	wbuf_init(&w);
	wbuf_puts(&w, "{\"apiKey\":");
	wbuf_puts(&w, dto);
	wbuf_puts(&w, ",\"token\":");
	wbuf_put_json_string(&w, token, strlen(token));
	wbuf_putc(&w, '}');
	if (wbuf_error(&w) != PERR_OK)
		admin_fail(call, PERR_NOMEM);
	else
		http_response_json(call->res, status, (const char *)w.data);
	wbuf_free(&w);
}

/* A fresh token and its hash; false (response set) on failure. */
static bool
new_token(struct app_call *call, char token[APIKEY_TOKEN_LEN + 1],
    char hash[65])
{
	int rc;

	if ((rc = apikey_token_new(token)) == PERR_OK)
		rc = auth_token_hash(token, hash);
	if (rc != PERR_OK)
		admin_fail(call, rc);
	return rc == PERR_OK;
}

void
apikey_list(struct app_call *call)
{
	const char *scope[1] = { call->caller.user_id };

	admin_list_respond(call, &store_list_api_keys, scope);
}

void
apikey_create(struct app_call *call)
{
	struct store_api_key_new k = { 0 };
	struct json_object *body = NULL;
	char token[APIKEY_TOKEN_LEN + 1], hash[65];
	char *dto = NULL, *text[2] = { NULL, NULL };
	int rc;

	token[0] = '\0';
	if (!admin_body_object(call, &body))
		return;
	if (!parse_create(call, body, &k, text) ||
	    !new_token(call, token, hash))
		goto out;
	k.user_id = call->caller.user_id;
	k.key_hash = hash;
	if ((rc = store_api_key_create(call->app->db, &k, &dto)) != PERR_OK)
		admin_fail(call, rc);
	else
		respond_key(call, 201, dto, token);
out:
	OPENSSL_cleanse(token, sizeof(token));
	free(text[0]);
	free(text[1]);
	free(dto);
	json_object_put(body);
}

/* The :id of the route, when it is a UUID; else answers 404. */
static const char *
key_id(struct app_call *call)
{
	const char *id = http_route_param(call->req, "id");

	if (id != NULL && str_is_uuid(id))
		return id;
	http_response_error(call->res, call->req, 404, "api_key_not_found",
	    "API key not found");
	return NULL;
}

void
apikey_renew(struct app_call *call)
{
	struct json_object *body = NULL;
	char token[APIKEY_TOKEN_LEN + 1], hash[65];
	const char *id, *expires_at = NULL;
	char *dto = NULL;
	int rc;

	token[0] = '\0';
	if ((id = key_id(call)) == NULL || !admin_body_object(call, &body))
		return;
	if (!parse_expiry(call, body, &expires_at) ||
	    !new_token(call, token, hash))
		goto out;
	rc = store_api_key_renew(call->app->db, id, call->caller.user_id,
	    hash, expires_at, &dto);
	if (rc == PERR_NOT_FOUND)
		http_response_error(call->res, call->req, 404,
		    "api_key_not_found", "API key not found");
	else if (rc == PERR_CONFLICT)
		http_response_error(call->res, call->req, 409,
		    "api_key_not_expired", "API key is not expired yet");
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		respond_key(call, 200, dto, token);
out:
	OPENSSL_cleanse(token, sizeof(token));
	free(dto);
	json_object_put(body);
}

void
apikey_delete(struct app_call *call)
{
	const char *id;
	int rc;

	if ((id = key_id(call)) == NULL)
		return;
	rc = store_api_key_delete(call->app->db, id, call->caller.user_id);
	if (rc == PERR_NOT_FOUND)
		http_response_error(call->res, call->req, 404,
		    "api_key_not_found", "API key not found");
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_no_content(call->res, 204);
}
