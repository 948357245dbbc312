/*
 * introspect, revoke: POST /api/oidc/introspect (RFC 7662, spec §1.1)
 * and POST /api/oidc/revoke (RFC 7009, beyond Pocket ID), and the
 * revocation of everything a user granted a client (revoking an app). Both
 * authenticate the client and only ever reveal or revoke tokens issued to
 * that client; anything else is simply "not active".
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "conf/conf.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/oidc_client.h"

/* A JWT has two dots; our refresh tokens have none. */
static bool
is_jwt(const char *token)
{
	const char *dot = strchr(token, '.');

	return dot != NULL && strchr(dot + 1, '.') != NULL;
}

/* Finds token (access or refresh) if it is live and the client's. */
static bool
find_own_token(struct app_call *call, const struct oidc_client *c,
    const char *token, struct store_access *row, bool *is_refresh)
{
	const char *why = NULL;
	char hash[65];
	int rc;

	*is_refresh = !is_jwt(token);
	if (!*is_refresh)
		rc = oidc_access_token_check(call, token, row, &why);
	else if ((rc = auth_token_hash(token, hash)) == PERR_OK)
		rc = store_oidc_refresh_peek(call->app->db, hash, row);
	return rc == PERR_OK && strcmp(row->client_id, c->id) == 0;
}

/* Whether the request carries any client authentication at all. */
static bool
has_credentials(struct app_call *call)
{
	static const char *const fields[] = { "client_id",
		"client_assertion", "client_secret" };
	char *v;
	size_t i;
	int err = PERR_OK;
	bool any = http_param(call->req, "HTTP_AUTHORIZATION") != NULL;

	for (i = 0; !any && i < sizeof(fields) / sizeof(fields[0]); i++) {
		v = http_form_get(call->req, fields[i], &err);
		any = v != NULL || err != PERR_OK;
		str_free_secret(v);
	}
	return any;
}

static bool
authenticate(struct app_call *call, struct oidc_client **c, char **token)
{
	const char *why = NULL;
	int err, rc;

	*token = NULL;
	if ((rc = oidc_client_authenticate(call, c, &why)) != PERR_OK) {
		/* RFC 7662 §2.3, RFC 6749 §5.2: no client authentication at
		 * all is invalid_client, 401 (spec §10.1 item 18). */
		if (rc == PERR_INVALID && !has_credentials(call))
			rc = PERR_VERIFY;
		oidc_error(call, rc == PERR_VERIFY ? 401 : 400, rc ==
		    PERR_VERIFY ? "invalid_client" : "invalid_request", why);
		return false;
	}
	if ((*token = http_form_get(call->req, "token", &err)) == NULL) {
		oidc_error(call, 400, "invalid_request",
		    "The token parameter is missing");
		return false;
	}
	return true;
}

void
oidc_introspect(struct app_call *call)
{
	struct store_access row = { 0 };
	struct oidc_client *c = NULL;
	const char *iss = call->app->settings->app_url;
	char *token = NULL;
	bool refresh = false;
	struct wbuf w;

	http_response_header(call->res, "Access-Control-Allow-Origin", "*");
	if (!authenticate(call, &c, &token))
		goto out;
	http_response_header(call->res, "Cache-Control", "no-store");
	if (!find_own_token(call, c, token, &row, &refresh)) {
		http_response_json(call->res, 200, "{\"active\":false}");
		goto out;
	}
	wbuf_init(&w);
	wbuf_puts(&w, "{\"active\":true,\"client_id\":");
	wbuf_put_json_string(&w, row.client_id, strlen(row.client_id));
	wbuf_puts(&w, ",\"scope\":");
	wbuf_put_json_string(&w, row.scope, strlen(row.scope));
	wbuf_printf(&w, ",\"exp\":%lld,\"iat\":%lld,\"sub\":",
	    (long long)row.expires_at, (long long)row.issued_at);
	wbuf_put_json_string(&w, row.subject, strlen(row.subject));
	wbuf_puts(&w, ",\"username\":");
	wbuf_put_json_string(&w, row.subject, strlen(row.subject));
	wbuf_printf(&w, ",\"aud\":%s,\"iss\":", refresh ? "[]" : row.audience);
	wbuf_put_json_string(&w, iss, strlen(iss));
	wbuf_printf(&w, ",\"token_type\":\"%s\"}", refresh ? "refresh_token" :
	    "access_token");
	http_response_json(call->res, 200, (const char *)w.data);
	wbuf_free(&w);
out:
	store_oidc_access_clear(&row);
	oidc_client_free(c);
	str_free_secret(token);
}

void
oidc_revoke(struct app_call *call)
{
	struct store_access row = { 0 };
	struct oidc_client *c = NULL;
	char *token = NULL;
	bool refresh = false;

	if (!authenticate(call, &c, &token))
		goto out;
	if (find_own_token(call, c, token, &row, &refresh)) {
		/* RFC 7009 §2.1: a refresh token takes its grant along. */
		if (refresh)
			(void)store_oidc_grant_revoke(call->app->db,
			    row.grant_id);
		else
			(void)store_oidc_access_delete(call->app->db, row.jti,
			    c->id);
	}
	/* RFC 7009 §2.2: 200 whether or not there was anything to revoke. */
	http_response_header(call->res, "Cache-Control", "no-store");
	http_response_no_content(call->res, 200);
out:
	store_oidc_access_clear(&row);
	oidc_client_free(c);
	str_free_secret(token);
}

int
oidc_tokens_revoke_for(struct db *db, const char *user_id,
    const char *client_id)
{
	return store_oidc_revoke_user_client(db, user_id, client_id);
}
