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
#include "codec/codec.h"
#include "conf/conf.h"
#include "jose/jose.h"
#include "keys/keys.h"
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

/* The hint's iat, read before verification: ID tokens are accepted
 * after they expired (spec §1.1), so we verify "as of" their issue. */
static int64_t
unverified_iat(const char *token)
{
	const char *a = strchr(token, '.'), *b = a != NULL ?
	    strchr(a + 1, '.') : NULL;
	struct jwt_claims *claims = NULL;
	const char *why = NULL;
	uint8_t *payload = NULL;
	size_t len = 0;
	int64_t iat = 0;

	if (b != NULL && b64url_decode(a + 1, (size_t)(b - a - 1), &payload,
	    &len) == PERR_OK && jwt_claims_parse(payload, len, &claims,
	    &why) == PERR_OK)
		(void)jwt_claims_int64(claims, "iat", &iat);
	jwt_claims_free(claims);
	free(payload);
	return iat;
}

/* The URL to end at; NULL means our own /logout page. */
static char *
logout_target(struct app_call *call, const struct logout_request *lr)
{
	struct jwt_expect expect = { 0 };
	struct jwt_claims *claims = NULL;
	struct oidc_client *c = NULL;
	const char *why = NULL, *sub, *jti, *type, *aud;
	bool covered = false, exists = false;
	char *target = NULL;
	size_t i;

	expect.now = unverified_iat(lr->hint);
	expect.iss = call->app->settings->app_url;
	if (expect.now <= 0 || keys_verify_jwt(call->app->keys, lr->hint,
	    strlen(lr->hint), &expect, &claims, &why) != PERR_OK)
		goto out;
	sub = jwt_claims_string(claims, "sub");
	jti = jwt_claims_string(claims, "jti");
	type = jwt_claims_string(claims, "type");
	aud = jwt_claims_aud_count(claims) > 0 ? jwt_claims_aud(claims, 0) :
	    NULL;
	if (sub == NULL || jti == NULL || aud == NULL || type == NULL ||
	    strcmp(type, "id-token") != 0 || !str_is_uuid(sub) ||
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
