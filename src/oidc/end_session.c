/*
 * end_session: GET|POST /api/oidc/end-session (OIDC RP-Initiated Logout,
 * spec §1.1): with a valid ID token hint of a client the user consented
 * to, revokes that login's grant, ends the browser session and returns to
 * a registered logout URL; anything doubtful ends on our own /logout
 * page instead (no open redirect).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "conf/conf.h"
#include "jose/jose.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/oidc_client.h"

struct logout_request {
	char *hint, *client_id, *redirect, *state;
};

static char *
param(struct app_call *call, const char *name)
{
	int err;

	if (strcmp(call->req->method, "POST") == 0)
		return http_form_get(call->req, name, &err);
	return http_query_get(call->req, name, &err);
}

/* The URL to end at; NULL means our own /logout page. */
static char *
logout_target(struct app_call *call, const struct logout_request *lr)
{
	struct jwt_claims *claims = NULL;
	struct oidc_client *c = NULL;
	const char *sub, *jti, *aud;
	bool covered = false, exists = false;
	char *target = NULL;
	size_t i;

	if (oidc_id_token_verify(call, lr->hint, &claims) != PERR_OK)
		goto out;
	sub = jwt_claims_string(claims, "sub");
	jti = jwt_claims_string(claims, "jti");
	aud = jwt_claims_aud_count(claims) > 0 ? jwt_claims_aud(claims, 0) :
	    NULL;
	if (sub == NULL || jti == NULL || aud == NULL || !str_is_uuid(sub) ||
	    !str_is_uuid(jti) ||
	    (lr->client_id != NULL && strcmp(lr->client_id, aud) != 0) ||
	    (call->caller.via == AUTH_VIA_SESSION &&
	    strcmp(call->caller.user_id, sub) != 0) ||
	    oidc_client_load(call->app->db, aud, &c) != PERR_OK ||
	    oidc_consent_covers(call->app->db, sub, c->id, NULL, 0, &covered,
	    &exists) != PERR_OK || !exists)
		goto out;
	(void)store_oidc_revoke_by_id_token(call->app->db, jti, sub);
	if (lr->redirect == NULL && c->n_logout_callback_urls > 0)
		target = str_dup(c->logout_callback_urls[0]);
	for (i = 0; lr->redirect != NULL && target == NULL &&
	    i < c->n_logout_callback_urls; i++)
		if (oidc_redirect_matches(c->logout_callback_urls[i],
		    lr->redirect))
			target = str_dup(lr->redirect);
out:
	jwt_claims_free(claims);
	oidc_client_free(c);
	return target;
}

void
oidc_end_session(struct app_call *call)
{
	struct logout_request lr = { param(call, "id_token_hint"),
		param(call, "client_id"), param(call, "post_logout_redirect_uri"),
		param(call, "state") };
	char *target = lr.hint != NULL ? logout_target(call, &lr) : NULL;
	struct wbuf url;

	http_response_header(call->res, "Access-Control-Allow-Origin", "*");
	wbuf_init(&url);
	if (target == NULL) {
		/* The SPA asks "Sign out?" there. */
		wbuf_printf(&url, "%s/logout", call->app->settings->app_url);
	} else {
		if (call->caller.via == AUTH_VIA_SESSION)
			(void)store_session_delete(call->app->db,
			    call->caller.session.id);
		http_response_cookie(call->res, auth_cookie_name(call,
		    "access_token"), "", "/", 0);
		wbuf_puts(&url, target);
		if (lr.state != NULL) {
			wbuf_putc(&url, strchr(target, '?') != NULL ? '&' :
			    '?');
			wbuf_puts(&url, "state=");
			http_url_encode(&url, lr.state);
		}
	}
	http_response_header(call->res, "Location", (const char *)url.data);
	http_response_no_content(call->res, 302);
	wbuf_free(&url);
	free(target);
	free(lr.hint);
	free(lr.client_id);
	free(lr.redirect);
	free(lr.state);
}
