/*
 * par: POST /api/oidc/par, pushed authorization requests (RFC 9126, spec
 * §1.1). An authenticated client posts what it would have put in the
 * /authorize URL and gets back a short-lived, single-use request_uri that
 * stands for it; /authorize then takes the request from the store, so
 * nothing of it travels through the browser. The redirect URI and PKCE
 * are checked at push time; the rest when /authorize runs.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/authz.h"

#define PAR_URI_BYTES 32

/* Why the pushed request a cannot be accepted from client c, or NULL. */
static const char *
push_refusal(struct app_call *call, const struct oidc_client *c,
    const struct authz_request *a)
{
	char *chosen = NULL;
	int rc;

	if (a->client_id != NULL && strcmp(a->client_id, c->id) != 0)
		return "client_id differs from the authenticated client";
	if (a->code_challenge == NULL && (c->is_public || c->pkce_enabled))
		return "This client requires PKCE (code_challenge)";
	rc = oidc_redirect_choose((const char *const *)c->callback_urls,
	    c->n_callback_urls, a->redirect_uri,
	    call->app->settings->allow_insecure_callback_urls, &chosen);
	free(chosen);
	if (rc != PERR_OK)
		return "The redirect_uri is not registered for this client";
	return NULL;
}

void
oidc_par(struct app_call *call)
{
	struct authz_request a = { 0 };
	struct oidc_client *c = NULL;
	const char *why = NULL;
	char *nested = NULL, *params = NULL, *random = NULL, *uri = NULL;
	char hash[65];
	struct wbuf w;
	int err = PERR_OK;

	if (!oidc_client_from_request(call, &c))
		goto out;
	if (authz_request_from_form(call, &a) != PERR_OK ||
	    (nested = http_form_get(call->req, "request_uri", &err)) != NULL ||
	    err != PERR_OK) {
		/* RFC 9126 §2.1: a pushed request cannot name another. */
		oidc_error(call, 400, "invalid_request", nested != NULL ?
		    "request_uri is not allowed in a pushed request" :
		    "A parameter is not encoded correctly");
		goto out;
	}
	if ((why = push_refusal(call, c, &a)) != NULL) {
		oidc_error(call, 400, "invalid_request", why);
		goto out;
	}
	if (a.client_id == NULL && (a.client_id = str_dup(c->id)) == NULL)
		goto fail;
	if ((params = authz_request_to_json(&a)) == NULL ||
	    crypto_random_token(PAR_URI_BYTES, &random) != PERR_OK)
		goto fail;
	wbuf_init(&w);
	wbuf_printf(&w, "%s%s", AUTHZ_PAR_URI_PREFIX, random);
	if ((uri = wbuf_steal(&w, NULL)) == NULL ||
	    auth_token_hash(uri, hash) != PERR_OK ||
	    store_oidc_par_save(call->app->db, hash, c->id, params,
	    AUTHZ_PAR_SECONDS) != PERR_OK)
		goto fail;
	wbuf_init(&w);
	wbuf_printf(&w, "{\"request_uri\":\"%s\",\"expires_in\":%d}", uri,
	    AUTHZ_PAR_SECONDS);
	http_response_header(call->res, "Cache-Control", "no-store");
	http_response_header(call->res, "Pragma", "no-cache");
	if (wbuf_error(&w) == PERR_OK)
		http_response_json(call->res, 201, (const char *)w.data);
	else
		oidc_error(call, 500, "server_error", NULL);
	wbuf_free(&w);
	goto out;
fail:
	oidc_error(call, 500, "server_error",
	    "The request could not be stored");
out:
	authz_request_clear(&a);
	oidc_client_free(c);
	free(nested);
	free(params);
	str_free_secret(random);
	free(uri);
}

int
authz_par_take(struct app_call *call, const char *request_uri,
    const char *client_id, struct authz_request *a)
{
	char hash[65], *params = NULL;
	int rc;

	if (client_id == NULL || strncmp(request_uri, AUTHZ_PAR_URI_PREFIX,
	    strlen(AUTHZ_PAR_URI_PREFIX)) != 0)
		return PERR_NOT_FOUND;
	if ((rc = auth_token_hash(request_uri, hash)) != PERR_OK ||
	    (rc = store_oidc_par_take(call->app->db, hash, client_id,
	    &params)) != PERR_OK)
		return rc;
	authz_request_clear(a);
	rc = authz_request_from_json(params, a);
	free(params);
	return rc;
}
