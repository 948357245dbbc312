/*
 * userinfo: GET|POST /api/oidc/userinfo (OIDC Core §5.3, spec §1.1): the
 * claims of the scopes granted to the presented access token.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "conf/conf.h"
#include "store/store.h"
#include "oidc/oidc.h"

/* RFC 6750 §3: 401 with a WWW-Authenticate challenge. */
static void
unauthorized(struct app_call *call, const char *description)
{
	struct wbuf w;

	wbuf_init(&w);
	wbuf_printf(&w, "Bearer error=\"invalid_token\", "
	    "error_description=\"%s\"", description);
	http_response_header(call->res, "WWW-Authenticate",
	    (const char *)w.data);
	wbuf_free(&w);
	oidc_error(call, 401, "request_unauthorized", description);
}

/* RFC 6750 §2.1, else §2.2: the header, or a form-encoded POST body's
 * access_token (OpenID conformance oidcc-userinfo-post-body). */
static char *
presented_token(struct app_call *call)
{
	char *token = oidc_bearer_token(call);
	int err = PERR_OK;

	if (token == NULL && strcmp(call->req->method, "POST") == 0) {
		token = http_form_get(call->req, "access_token", &err);
		if (err != PERR_OK || (token != NULL && token[0] == '\0')) {
			str_free_secret(token);
			token = NULL;
		}
	}
	return token;
}

/* Whether the stored audience (a JSON string or array) names want. */
static bool
audience_has(const char *audience_json, const char *want)
{
	struct json_object *aud = NULL, *item;
	bool found = false;
	size_t i, n;

	if (ojson_parse(audience_json, strlen(audience_json), &aud) != PERR_OK)
		return false;
	if (json_object_is_type(aud, json_type_string)) {
		found = strcmp(json_object_get_string(aud), want) == 0;
	} else if (json_object_is_type(aud, json_type_array)) {
		n = json_object_array_length(aud);
		for (i = 0; i < n && !found; i++) {
			item = json_object_array_get_idx(aud, i);
			found = json_object_is_type(item, json_type_string) &&
			    strcmp(json_object_get_string(item), want) == 0;
		}
	}
	json_object_put(aud);
	return found;
}

void
oidc_userinfo(struct app_call *call)
{
	struct store_access row = { 0 };
	const char *why = "the access token is missing";
	char *token = presented_token(call), *claims = NULL;
	unsigned scopes;
	bool enabled = false;

	http_response_header(call->res, "Access-Control-Allow-Origin", "*");
	/* One round trip: the token's row with its user's claims. */
	if (token == NULL || oidc_access_token_userinfo(call, token, &row,
	    &claims, &enabled, &why) != PERR_OK) {
		unauthorized(call, why);
		goto out;
	}
	scopes = oidc_scope_parse(row.scope);
	if (!(scopes & OIDC_SCOPE_OPENID) || !str_is_uuid(row.subject) ||
	    !audience_has(row.audience, call->app->settings->app_url)) {
		oidc_error(call, 403, "access_denied", "This token was not "
		    "granted the openid scope");
		goto out;
	}
	if (!enabled || claims == NULL) {
		unauthorized(call, "the user no longer exists or is disabled");
		goto out;
	}
	http_response_header(call->res, "Cache-Control", "no-store");
	http_response_json(call->res, 200, claims);
out:
	store_oidc_access_clear(&row);
	free(claims);
	str_free_secret(token);
}
