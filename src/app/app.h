/*
 * app: the one route table and the dispatcher. It finds the route for a
 * request, applies the route's auth class, calls the handler, and answers
 * unknown API paths with Pocket ID's 404. Handlers live in their modules
 * (oidc/, auth/, admin/); this module only wires them.
 */
#ifndef POCKETID_APP_H
#define POCKETID_APP_H

#include "http/http.h"

struct db;
struct keyring;
struct settings;

/*
 * What a worker hands every handler: settings, its database link, and its
 * signing keys (src/keys: sign and verify tokens, the JWKS), refreshed
 * before each request.
 */
struct app_ctx {
	const struct settings *settings;
	struct db *db;
	struct keyring *keys;
};

/* One request in flight. */
struct app_call {
	struct http_request *req;
	struct http_response *res;
	struct app_ctx *app;
};

/* Who may call a route (spec §0.2). */
enum app_auth {
	APP_AUTH_PUBLIC,
	APP_AUTH_OPTIONAL_USER,	/* session if present, else anonymous */
	APP_AUTH_USER,		/* session or API key */
	APP_AUTH_USER_NO_API_KEY, /* session only */
	APP_AUTH_ADMIN,		/* session or API key of an admin */
};

struct app_route {
	const char *method;
	const char *pattern;	/* "/api/users/:id" */
	enum app_auth auth;
	void (*handler)(struct app_call *call);
};

/* Routes the request and fills call->res. Never fails: errors are
 * responses. */
void app_dispatch(struct app_call *call);

/* Handlers defined in this module. */
void app_healthz(struct app_call *call);
void app_version_latest(struct app_call *call);
void app_jwks(struct app_call *call);

#endif
