/*
 * interaction: the web UI's side of /authorize (spec §1.1):
 * GET /api/oidc/interactions/:id describes what the user still has to do;
 * POST .../complete takes one step (authenticate, select_account,
 * reauthenticate, consent) and answers with the rest, or with the URL
 * that resumes /authorize once nothing is left.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "common/common.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/authz.h"

/* An interaction with its request and client, loaded together. */
struct loaded {
	struct store_interaction row;
	struct authz_request req;
	struct oidc_client *client;
};

static void
loaded_clear(struct loaded *l)
{
	store_oidc_interaction_clear(&l->row);
	authz_request_clear(&l->req);
	oidc_client_free(l->client);
	memset(l, 0, sizeof(*l));
}

static bool
load(struct app_call *call, const char *id, struct loaded *l)
{
	memset(l, 0, sizeof(*l));
	if (str_is_uuid(id) && store_oidc_interaction_get(call->app->db, id,
	    &l->row) == PERR_OK && authz_request_from_json(l->row.parameters,
	    &l->req) == PERR_OK && oidc_client_load(call->app->db,
	    l->row.client_id, &l->client) == PERR_OK)
		return true;
	http_response_error(call->res, call->req, 404, "not_found",
	    "OIDC interaction not found or expired");
	loaded_clear(l);
	return false;
}

static void
respond_interaction(struct app_call *call, const char *id,
    const struct loaded *l, unsigned steps, bool wrapped)
{
	char *doc = authz_interaction_json(call, id, l->client, &l->req,
	    steps);
	struct wbuf w;

	if (doc == NULL) {
		http_response_perr(call->res, call->req, PERR_NOMEM, NULL);
		return;
	}
	wbuf_init(&w);
	wbuf_printf(&w, wrapped ? "{\"interaction\":%s}" : "%s", doc);
	http_response_json(call->res, 200, (const char *)w.data);
	wbuf_free(&w);
	free(doc);
}

void
oidc_interaction_get(struct app_call *call)
{
	const char *id = http_route_param(call->req, "id");
	struct loaded l;

	if (!load(call, id, &l))
		return;
	respond_interaction(call, id, &l, authz_steps_from_json(l.row.steps),
	    false);
	loaded_clear(&l);
}

/* reauthenticate: the cookie of spec §3.6 must be there and valid. */
static bool
take_reauth(struct app_call *call)
{
	char *token = http_cookie_get(call->req, auth_cookie_name(call,
	    "reauthentication_token"));
	char hash[65];
	int64_t age = 0;
	bool ok;

	if (token == NULL) {
		http_response_validation(call->res, call->req,
		    "reauthenticationToken", "required",
		    "Confirm with your passkey first");
		return false;
	}
	ok = auth_token_hash(token, hash) == PERR_OK &&
	    store_reauth_take(call->app->db, hash, call->caller.user_id,
	    &age) == PERR_OK;
	str_free_secret(token);
	if (!ok)
		http_response_error(call->res, call->req, 401,
		    "reauthentication_required",
		    "The confirmation has expired; confirm again");
	return ok;
}

/* Applies step to the interaction; false when the response is set. */
static bool
apply_step(struct app_call *call, struct loaded *l, unsigned step,
    unsigned *steps, int64_t *reauth_at)
{
	bool other_user = strcmp(l->row.user_id, call->caller.user_id) != 0;

	if (step == AUTHZ_AUTHENTICATE || step == AUTHZ_SELECT_ACCOUNT ||
	    other_user) {
		/* Bind to the caller and work out what they still need. */
		if (authz_steps_for_user(call, l->client, &l->req,
		    call->caller.user_id, call->caller.session.auth_time,
		    steps) != PERR_OK) {
			http_response_perr(call->res, call->req, PERR_DB, NULL);
			return false;
		}
		*steps &= ~(unsigned)AUTHZ_SELECT_ACCOUNT;
		*reauth_at = 0;
		if (step != AUTHZ_AUTHENTICATE && step != AUTHZ_SELECT_ACCOUNT)
			*steps &= ~step;
		return true;
	}
	*steps &= ~step;
	if (step == AUTHZ_REAUTHENTICATE) {
		if (!take_reauth(call))
			return false;
		*reauth_at = (int64_t)time(NULL);
	} else if (step == AUTHZ_CONSENT && authz_consent(call, l->client,
	    &l->req, call->caller.user_id, false) != PERR_OK) {
		http_response_perr(call->res, call->req, PERR_DB, NULL);
		return false;
	}
	return true;
}

static unsigned
step_from_body(struct app_call *call, const char **name)
{
	struct json_object *body = NULL, *v;
	const char *why = NULL;
	unsigned step = 0;
	unsigned all;

	*name = NULL;
	if (http_request_json(call->req, &body, &why) != PERR_OK) {
		http_response_error(call->res, call->req, 400,
		    "invalid_request_body", why);
		return 0;
	}
	if (json_object_object_get_ex(body, "step", &v) &&
	    json_object_is_type(v, json_type_string)) {
		for (all = AUTHZ_AUTHENTICATE; all <= AUTHZ_CONSENT; all <<= 1)
			if (strcmp(authz_step_name(all),
			    json_object_get_string(v)) == 0)
				step = all;
	}
	json_object_put(body);
	if (step == 0)
		http_response_validation(call->res, call->req, "step",
		    "invalid_value", "step must be authenticate, "
		    "select_account, reauthenticate or consent");
	return step;
}

void
oidc_interaction_complete(struct app_call *call)
{
	const char *id = http_route_param(call->req, "id"), *name;
	int64_t reauth_at;
	unsigned steps, step;
	struct loaded l;
	char *list = NULL, *params = NULL;
	struct wbuf w;

	if ((step = step_from_body(call, &name)) == 0 || !load(call, id, &l))
		return;
	steps = authz_steps_from_json(l.row.steps);
	reauth_at = l.row.reauthenticated_at;
	if ((steps & step) == 0 || (steps & (step - 1)) != 0) {
		http_response_validation(call->res, call->req, "step",
		    "invalid_value", "This is not the next step of the "
		    "sign-in request");
		goto out;
	}
	if (!apply_step(call, &l, step, &steps, &reauth_at))
		goto out;
	list = authz_steps_to_json(steps);
	params = authz_request_to_json(&l.req);
	if (list == NULL || params == NULL || store_oidc_interaction_save(
	    call->app->db, id, l.client->id, call->caller.user_id, params,
	    list, reauth_at) != PERR_OK) {
		http_response_perr(call->res, call->req, PERR_DB, NULL);
		goto out;
	}
	if (steps != 0) {
		respond_interaction(call, id, &l, steps, true);
		goto out;
	}
	wbuf_init(&w);
	wbuf_printf(&w, "{\"redirectUrl\":\"/authorize?interaction=%s\"}", id);
	http_response_json(call->res, 200, (const char *)w.data);
	wbuf_free(&w);
out:
	free(list);
	free(params);
	loaded_clear(&l);
}
