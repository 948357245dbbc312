/*
 * auth: who is calling, and the ways people sign in: browser sessions
 * (opaque tokens, hashed in PostgreSQL), API keys, passkey ceremonies,
 * first-admin setup, login codes and re-authentication. It also defines
 * what every handler receives (struct app_call), because deciding who
 * the caller is comes first in every call. It never builds SQL (store/)
 * and never verifies WebAuthn itself (webauthn/).
 */
#ifndef POCKETID_AUTH_H
#define POCKETID_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"
#include "store/store.h"

struct keyring;
struct settings;

/*
 * What a worker hands every handler: settings, its database link, and its
 * signing keys (src/keys: sign and verify tokens, the JWKS), refreshed
 * before each request.
 */
struct geo_db;

struct app_ctx {
	const struct settings *settings;
	struct db *db;
	struct keyring *keys;
	struct geo_db *geo;	/* GEOLITE_DB_PATH, or NULL (admin_config.h) */
};

/* How the caller proved who they are (spec §0.2). */
enum auth_via {
	AUTH_VIA_NONE = 0,
	AUTH_VIA_SESSION,	/* session cookie or Bearer session token */
	AUTH_VIA_API_KEY,	/* X-API-Key of a user */
	AUTH_VIA_STATIC_KEY,	/* STATIC_API_KEY: the synthetic admin */
};

struct auth_caller {
	enum auth_via via;
	char user_id[STORE_ID_LEN + 1];
	bool is_admin;
	struct store_session session;	/* when via == AUTH_VIA_SESSION */
};

/* One request in flight. */
struct app_call {
	struct http_request *req;
	struct http_response *res;
	struct app_ctx *app;
	struct auth_caller caller;
};

/* Who may call a route (spec §0.2). */
enum auth_need {
	AUTH_PUBLIC,
	AUTH_OPTIONAL_USER,	/* session if present, else anonymous */
	AUTH_USER,		/* session or API key */
	AUTH_USER_NO_API_KEY,	/* session only */
	AUTH_ADMIN,		/* session or API key of an admin */
};

/*
 * Decides whether the caller may call a route that needs need, filling
 * call->caller. On false the error response (401/403 with Pocket ID's
 * codes) is already in call->res. Also enforces that cookie-authenticated
 * state changes come from APP_URL's origin.
 */
bool auth_gate(struct app_call *call, enum auth_need need);

/*
 * Starts a browser session for user_id (amr "phr", "otp" or NULL) and
 * sets its cookie on the response. Lifetime: the sessionDuration setting.
 */
int auth_session_start(struct app_call *call, const char *user_id,
    const char *amr);

/* The names of our cookies: __Host-/__Secure- prefixed on https. */
const char *auth_cookie_name(const struct app_call *call, const char *base);

/* The application settings of spec §4.2, one row each. */
struct app_setting_def {
	const char *key;	/* camelCase, as in the API */
	const char *env;	/* its name when UI_CONFIG_DISABLED */
	const char *def;	/* default, as text */
	bool is_public;		/* in the unauthenticated list */
	bool is_sensitive;	/* a password: sealed at rest, redacted */
};
extern const struct app_setting_def app_setting_defs[];
extern const size_t app_setting_defs_len;
const struct app_setting_def *app_setting_find(const char *key);

/*
 * An application setting (spec §4.2) by key: the environment when
 * UI_CONFIG_DISABLED, else the stored value, else the default. A new
 * string the caller frees; NULL only when out of memory.
 */
char *auth_app_setting(struct app_call *call, const char *key);

/* Writes an audit event (spec §8) for user_id with the caller's IP and
 * user agent and where that IP is (auth_ip_location); data_json may be
 * NULL. Failures are logged, not returned. */
void auth_audit(struct app_call *call, const char *event,
    const char *user_id, const char *data_json);

struct cidr_list;
/*
 * Where ip (text, as in client_ip) is, for the audit log (spec §8): on
 * the internal network *country is "Internal Network" and *city "LAN"
 * (private and link-local ranges, and local_ipv6 = LOCAL_IPV6_RANGES),
 * "Tailscale" (100.64.0.0/10) or "localhost" (loopback). Anywhere else,
 * or for a malformed address, both are NULL. Pure; static strings.
 */
void auth_ip_location(const struct cidr_list *local_ipv6, const char *ip,
    const char **country, const char **city);

/*
 * Login codes (spec §1.4): creates one for user_id valid ttl_seconds (6
 * characters up to 15 minutes, else 12) and returns it in *code (caller
 * frees). Used by the admin route and the CLI.
 */
int auth_login_code_create(struct db *db, const char *user_id,
    int64_t ttl_seconds, const char *device_token, char **code);
/* Normalises a code as Pocket ID does (I/i -> 1, O/o -> 0) in place;
 * false when its length is not 6 or 12 or it has other characters. */
bool auth_login_code_normalise(char *code);

/* The SHA-256 of a bearer secret as lower-case hex (65 bytes). */
int auth_token_hash(const char *token, char hex[65]);

/* Handlers (routes.c lists them). */
void auth_me(struct app_call *call);
void auth_logout(struct app_call *call);
void auth_sessions_list(struct app_call *call);
void auth_session_delete(struct app_call *call);
void auth_sessions_delete_others(struct app_call *call);
void auth_passkey_register_start(struct app_call *call);
void auth_passkey_register_finish(struct app_call *call);
void auth_passkey_login_start(struct app_call *call);
void auth_passkey_login_finish(struct app_call *call);
void auth_passkey_reauthenticate(struct app_call *call);
void auth_passkey_list(struct app_call *call);
void auth_passkey_rename(struct app_call *call);
void auth_passkey_delete(struct app_call *call);
void auth_login_code_admin_create(struct app_call *call);
void auth_login_code_exchange(struct app_call *call);

#endif
