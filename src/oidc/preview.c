/*
 * preview: GET /api/oidc/clients/:id/preview/:userId?scopes=a%20b (spec
 * §1.7), admin only. Shows what an authorization of that user for that
 * client with those scopes would hand out: the ID token and access token
 * payloads from the token endpoint's own claim code (mint.c), and the
 * userinfo document from the userinfo endpoint's (store_oidc_user_claims).
 * Nothing is signed or recorded.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/common.h"
#include "http/http.h"
#include "auth/auth.h"
#include "admin/admin.h"
#include "conf/conf.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/oidc_client.h"

/* Loads what the route names, or answers 400/404 and returns false. */
static bool
load_subjects(struct app_call *call, struct oidc_client **c,
    const char **user_id, char **scopes)
{
	char *client_id = oidc_client_id_param(call, "id");
	int err = PERR_OK, rc;

	*c = NULL;
	*scopes = NULL;
	rc = client_id == NULL ? PERR_NOT_FOUND :
	    oidc_client_load(call->app->db, client_id, c);
	free(client_id);
	if (rc == PERR_NOT_FOUND) {
		oidc_client_not_found(call);
		return false;
	}
	if (rc != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
		return false;
	}
	if (!admin_path_uuid(call, "userId", user_id)) {
		admin_user_not_found(call);
		return false;
	}
	*scopes = http_query_get(call->req, "scopes", &err);
	if (err != PERR_OK || *scopes == NULL || (*scopes)[0] == '\0') {
		http_response_validation(call->res, call->req, "scopes",
		    "required", "scopes is required");
		return false;
	}
	return true;
}

/* {"idToken":...,"accessToken":...,"userInfo":...} */
static void
respond(struct app_call *call, const char *id_token, const char *access,
    const char *userinfo)
{
	struct wbuf w;

	wbuf_init(&w);
	wbuf_printf(&w, "{\"idToken\":%s,\"accessToken\":%s,\"userInfo\":%s}",
	    id_token, access, userinfo);
	if (wbuf_error(&w) == PERR_OK)
		http_response_json(call->res, 200, (const char *)w.data);
	else
		http_response_perr(call->res, call->req, PERR_NOMEM, NULL);
	wbuf_free(&w);
}

void
oidc_client_preview(struct app_call *call)
{
	struct oidc_issue is = { 0 };
	struct oidc_client *c = NULL;
	const char *user_id = NULL;
	char *scopes = NULL, *userinfo = NULL, *id_token = NULL;
	char *access = NULL;
	bool disabled = false, allowed = false;
	int rc;

	if (!load_subjects(call, &c, &user_id, &scopes))
		goto out;
	is.scope_bits = oidc_scope_parse(scopes);
	rc = store_oidc_user_claims(call->app->db, user_id,
	    is.scope_bits & OIDC_SCOPE_PROFILE, is.scope_bits &
	    OIDC_SCOPE_EMAIL, is.scope_bits & OIDC_SCOPE_GROUPS,
	    call->app->settings->app_url, &userinfo, &disabled);
	if (rc == PERR_NOT_FOUND) {
		admin_user_not_found(call);
		goto out;
	}
	if (rc == PERR_OK && (rc = oidc_client_allows_user(call->app->db, c,
	    user_id, &allowed)) == PERR_OK && !allowed) {
		http_response_error(call->res, call->req, 403,
		    "oidc_access_denied",
		    "You're not allowed to access this service");
		goto out;
	}
	is.client_id = c->id;
	is.user_id = user_id;
	is.auth_time = (int64_t)time(NULL);
	is.access_minutes = c->access_token_minutes;
	if (rc == PERR_OK)
		rc = oidc_token_payloads(call, &is, is.auth_time, &id_token,
		    &access);
	if (rc != PERR_OK)
		http_response_perr(call->res, call->req, rc, NULL);
	else
		respond(call, id_token, access, userinfo);
out:
	oidc_client_free(c);
	free(scopes);
	free(userinfo);
	free(id_token);
	free(access);
}
