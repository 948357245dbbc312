/*
 * caller: works out who is calling (spec §0.2) and whether they may call
 * the route: a session token from our cookie or an Authorization header,
 * else an X-API-Key (a user's key or STATIC_API_KEY). Also starts browser
 * sessions, names our cookies, hashes bearer secrets and writes audit
 * events, the small things every sign-in path shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/common.h"
#include "codec/codec.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "auth/auth.h"
#include "admin/admin_config.h"

#define SESSION_TOKEN_BYTES 32
#define SESSION_TOUCH_AFTER_S 300
#define SESSION_MINUTES_MAX (60 * 24 * 366)
#define STATIC_API_USERNAME_PREFIX "static-api-user-"

/* Cookie names: https gets the __Host-/__Secure- prefixes (spec §3.5, §3.7). */
static const struct {
	const char *base;
	const char *https_name;
} cookie_names[] = {
	{ "access_token", "__Host-access_token" },
	{ "session", "__Host-session" },
	{ "reauthentication_token", "__Secure-reauthentication_token" },
	{ "device_token", "__Secure-device_token" },
};

const char *
auth_cookie_name(const struct app_call *call, const char *base)
{
	bool https = str_has_prefix(call->app->settings->app_url, "https:");
	size_t i;

	for (i = 0; i < sizeof(cookie_names) / sizeof(cookie_names[0]); i++)
		if (strcmp(cookie_names[i].base, base) == 0)
			return https ? cookie_names[i].https_name :
			    cookie_names[i].base;
	return base;
}

int
auth_token_hash(const char *token, char hex[65])
{
	uint8_t digest[32];
	char *text;
	int rc;

	if ((rc = crypto_hash(CRYPTO_HASH_SHA256, token, strlen(token),
	    digest)) != PERR_OK)
		return rc;
	if ((text = hex_encode(digest, sizeof(digest))) == NULL)
		return PERR_NOMEM;
	memcpy(hex, text, 65);
	free(text);
	return PERR_OK;
}

/* The session token: our cookie, else the second word of Authorization. */
static char *
find_session_token(const struct app_call *call, bool *from_cookie)
{
	const char *header = http_param(call->req, "HTTP_AUTHORIZATION");
	const char *space;
	char *token;

	*from_cookie = true;
	if ((token = http_cookie_get(call->req,
	    auth_cookie_name(call, "access_token"))) != NULL)
		return token;
	*from_cookie = false;
	if (header == NULL || (space = strchr(header, ' ')) == NULL)
		return NULL;
	while (*space == ' ')
		space++;
	if (*space == '\0' || strlen(space) > 512)
		return NULL;
	return str_dup(space);
}

/* Looks the session up; PERR_NOT_FOUND when there is none. */
static int
resolve_session(struct app_call *call, bool *from_cookie)
{
	struct auth_caller *c = &call->caller;
	char hash[65], *token;
	int rc;

	if ((token = find_session_token(call, from_cookie)) == NULL)
		return PERR_NOT_FOUND;
	rc = auth_token_hash(token, hash);
	str_free_secret(token);
	if (rc == PERR_OK)
		rc = store_session_find(call->app->db, hash, &c->session);
	if (rc != PERR_OK)
		return rc;
	c->via = AUTH_VIA_SESSION;
	memcpy(c->user_id, c->session.user_id, sizeof(c->user_id));
	c->is_admin = c->session.is_admin;
	if (c->session.idle_seconds > SESSION_TOUCH_AFTER_S)
		(void)store_session_touch(call->app->db, c->session.id,
		    call->req->client_ip, http_param(call->req,
		    "HTTP_USER_AGENT"));
	return c->session.disabled ? PERR_FORBIDDEN : PERR_OK;
}

static bool
is_static_api_key(const struct app_call *call, const char *key)
{
	const struct conf_secret *expected =
	    &call->app->settings->static_api_key;
	size_t n = strlen(key);

	return expected->len > 0 && n == expected->len &&
	    CRYPTO_memcmp(key, expected->data, n) == 0;
}

/* The synthetic admin of STATIC_API_KEY, created on first use. */
static int
resolve_static_key(struct app_call *call)
{
	char username[sizeof(STATIC_API_USERNAME_PREFIX) + 8];
	uint8_t rnd[3];
	char *hex;
	int rc;

	if ((rc = crypto_random(rnd, sizeof(rnd))) != PERR_OK ||
	    (hex = hex_encode(rnd, sizeof(rnd))) == NULL)
		return rc != PERR_OK ? rc : PERR_NOMEM;
	snprintf(username, sizeof(username), "%s%s",
	    STATIC_API_USERNAME_PREFIX, hex);
	free(hex);
	if ((rc = store_user_ensure_static(call->app->db, username)) !=
	    PERR_OK)
		return rc;
	call->caller.via = AUTH_VIA_STATIC_KEY;
	memcpy(call->caller.user_id, STORE_STATIC_API_USER_ID,
	    sizeof(STORE_STATIC_API_USER_ID));
	call->caller.is_admin = true;
	return PERR_OK;
}

static int
resolve_api_key(struct app_call *call, const char *key)
{
	struct store_api_key_user user;
	char hash[65];
	int rc;

	if (is_static_api_key(call, key))
		return resolve_static_key(call);
	if ((rc = auth_token_hash(key, hash)) != PERR_OK ||
	    (rc = store_api_key_use(call->app->db, hash, &user)) != PERR_OK)
		return rc;
	call->caller.via = AUTH_VIA_API_KEY;
	memcpy(call->caller.user_id, user.user_id, sizeof(user.user_id));
	call->caller.is_admin = user.is_admin;
	return user.disabled ? PERR_FORBIDDEN : PERR_OK;
}

/*
 * DESIGN §6: a cookie-authenticated state change must come from APP_URL's
 * origin. Browsers send Origin on every such request; a mismatch is most
 * often a wrong APP_URL, so the message says so.
 */
static bool
is_same_origin(const struct app_call *call)
{
	const char *origin = http_param(call->req, "HTTP_ORIGIN");
	const char *method = call->req->method;

	if (strcmp(method, "GET") == 0 || origin == NULL)
		return true;
	if (strcmp(origin, call->app->settings->app_url) == 0)
		return true;
	log_warn("refused a %s from origin %s: APP_URL is %s; if that is "
	    "how people reach pocket-id, set APP_URL to it", method, origin,
	    call->app->settings->app_url);
	return false;
}

static bool
deny(struct app_call *call, int status, const char *code, const char *msg)
{
	http_response_error(call->res, call->req, status, code, msg);
	return false;
}

bool
auth_gate(struct app_call *call, enum auth_need need)
{
	const char *api_key = http_param(call->req, "HTTP_X_API_KEY");
	bool from_cookie = false;
	int rc;

	memset(&call->caller, 0, sizeof(call->caller));
	if (need == AUTH_PUBLIC)
		return true;
	if (api_key != NULL && need == AUTH_USER_NO_API_KEY)
		return deny(call, 403, "api_key_auth_not_allowed",
		    "API keys cannot be used for this action");
	rc = resolve_session(call, &from_cookie);
	if (rc == PERR_NOT_FOUND && api_key != NULL) {
		from_cookie = false;
		if ((rc = resolve_api_key(call, api_key)) == PERR_NOT_FOUND)
			return deny(call, 401, "invalid_api_key",
			    "Invalid or expired API key");
	}
	if (rc == PERR_FORBIDDEN)
		return deny(call, 403, "user_disabled",
		    "This account has been disabled");
	if (rc == PERR_NOT_FOUND) {
		memset(&call->caller, 0, sizeof(call->caller));
		if (need == AUTH_OPTIONAL_USER)
			return true;
		return deny(call, 401, "not_signed_in",
		    "You are not signed in");
	}
	if (rc != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
		return false;
	}
	if (from_cookie && !is_same_origin(call))
		return deny(call, 403, "forbidden", "This request came from "
		    "another origin than APP_URL");
	if (need == AUTH_ADMIN && !call->caller.is_admin)
		return deny(call, 403, "forbidden",
		    "You don't have permission to access this resource");
	return true;
}

static int64_t
session_minutes(struct app_call *call)
{
	char *text = auth_app_setting(call, "sessionDuration");
	int64_t minutes = 60;

	if (text == NULL || str_to_int64(text, 1, SESSION_MINUTES_MAX,
	    &minutes) != PERR_OK)
		minutes = 60;
	free(text);
	return minutes;
}

int
auth_session_start(struct app_call *call, const char *user_id,
    const char *amr)
{
	char hash[65], id[STORE_ID_LEN + 1];
	int64_t ttl = session_minutes(call) * 60;
	char *token = NULL;
	int rc;

	if ((rc = crypto_random_token(SESSION_TOKEN_BYTES, &token)) !=
	    PERR_OK)
		return rc;
	if ((rc = auth_token_hash(token, hash)) == PERR_OK &&
	    (rc = store_session_create(call->app->db, hash, user_id, amr, ttl,
	    call->req->client_ip, http_param(call->req, "HTTP_USER_AGENT"),
	    id)) == PERR_OK)
		http_response_cookie(call->res,
		    auth_cookie_name(call, "access_token"), token, "/", ttl);
	str_free_secret(token);
	return rc;
}

void
auth_audit(struct app_call *call, const char *event, const char *user_id,
    const char *data_json)
{
	const char *country = NULL, *city = NULL;
	char *geo_country = NULL, *geo_city = NULL;
	int rc;

	auth_ip_location(&call->app->settings->local_ipv6_ranges,
	    call->req->client_ip, &country, &city);
	/* The internal network is named above; the rest by GeoLite2. */
	if (country == NULL) {
		geo_db_lookup(call->app->geo, call->req->client_ip,
		    &geo_country, &geo_city);
		country = geo_country;
		city = geo_city;
	}
	rc = store_audit_add(call->app->db, event, user_id,
	    call->req->client_ip, http_param(call->req, "HTTP_USER_AGENT"),
	    data_json, country, city);
	free(geo_country);
	free(geo_city);

	if (rc != PERR_OK)
		log_error("could not write audit event %s: %s", event,
		    perr_str(rc));
}
