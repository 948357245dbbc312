/*
 * app: the one route table and the dispatcher. It finds the route for a
 * request, lets auth decide whether the caller may call it, calls the
 * handler, and answers unknown paths with Pocket ID's 404. Handlers live
 * in their modules (auth/, oidc/, admin/); this module only wires them.
 */
#ifndef POCKETID_APP_H
#define POCKETID_APP_H

#include "http/http.h"
#include "auth/auth.h"

struct app_route {
	const char *method;
	const char *pattern;	/* "/api/users/:id" */
	enum auth_need auth;
	void (*handler)(struct app_call *call);
};

/* Routes the request and fills call->res. Never fails: errors are
 * responses. */
void app_dispatch(struct app_call *call);

/* Handlers defined in this module. */
void app_healthz(struct app_call *call);
void app_version_latest(struct app_call *call);
/* GET /.well-known/jwks.json, from the worker's keyring (app/jwks.c). */
void app_jwks(struct app_call *call);

#endif
