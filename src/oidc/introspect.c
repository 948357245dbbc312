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

static bool
authenticate(struct app_call *call, struct oidc_client **c, char **token)
{
	int err;

	*token = NULL;
	if (!oidc_client_from_request(call, c))
		return false;
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
