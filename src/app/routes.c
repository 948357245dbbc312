/*
 * routes: the index of the whole HTTP surface. One row per route; the
 * dispatcher below walks the table. Keep it on a screen or two: handlers
 * belong in their own modules.
 */
#include <string.h>

#include "common/common.h"
#include "http/http.h"
#include "app/app.h"

static const struct app_route routes[] = {
	{ "GET", "/healthz", APP_AUTH_PUBLIC, app_healthz },
	{ "GET", "/api/version/latest", APP_AUTH_PUBLIC, app_version_latest },
	{ "GET", "/.well-known/jwks.json", APP_AUTH_PUBLIC, app_jwks },
};

/* Pocket ID answers every unknown path it is asked with this 404. */
static void
answer_not_found(struct app_call *call)
{
	http_response_error(call->res, call->req, 404, "not_found",
	    "API endpoint not found");
}

void
app_dispatch(struct app_call *call)
{
	const struct app_route *route;
	size_t i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		route = &routes[i];
		if (strcmp(route->method, call->req->method) != 0 ||
		    !http_route_match(call->req, route->pattern))
			continue;
		if (route->auth != APP_AUTH_PUBLIC &&
		    route->auth != APP_AUTH_OPTIONAL_USER) {
			/* XXX(issue 4): sessions and API keys. Until they
			 * exist nobody is signed in. */
			http_response_error(call->res, call->req, 401,
			    "not_signed_in", "You are not signed in");
			return;
		}
		route->handler(call);
		return;
	}
	answer_not_found(call);
}
