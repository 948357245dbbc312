/*
 * jwks: GET /.well-known/jwks.json, every public key currently valid for
 * verification (spec §2.6; ours keeps retired keys until the tokens they
 * signed have expired). Served from the worker's keyring: no database
 * round trip. Cache-Control: see KEYS_JWKS_MAX_AGE_S in src/keys/keys.h.
 */
#include <stdio.h>
#include <time.h>

#include "common/common.h"
#include "keys/keys.h"
#include "http/http.h"
#include "app/app.h"

void
app_jwks(struct app_call *call)
{
	char cache_control[64];
	const char *json = NULL;
	size_t len = 0;

	if (call->app->keys == NULL || keys_ring_jwks(call->app->keys,
	    (int64_t)time(NULL), &json, &len) != PERR_OK) {
		/* Not loaded yet: PostgreSQL was unreachable so far. */
		http_response_perr(call->res, call->req, PERR_DB_UNAVAILABLE,
		    NULL);
		return;
	}
	snprintf(cache_control, sizeof(cache_control), "public, max-age=%d",
	    KEYS_JWKS_MAX_AGE_S);
	http_response_header(call->res, "Cache-Control", cache_control);
	http_response_json(call->res, 200, json);
}
