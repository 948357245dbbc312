/*
 * discovery: the provider metadata of spec §2.1, served at both
 * /.well-known/openid-configuration and /.well-known/oauth-authorization-
 * server. Built from APP_URL, INTERNAL_APP_URL, the signing key's alg and
 * whether client metadata documents are allowed (cimdUrlAllowlist).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "conf/conf.h"
#include "jose/jose.h"
#include "keys/keys.h"
#include "oidc/oidc.h"

/* spec §2.1: CIMD is announced iff the URL allowlist has an entry. */
static bool
cimd_allowed(struct app_call *call)
{
	char *list = auth_app_setting(call, "cimdUrlAllowlist");
	struct json_object *v = NULL;
	bool any;

	any = list != NULL && ojson_parse(list, strlen(list), &v) == PERR_OK &&
	    json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) > 0;
	json_object_put(v);
	free(list);
	return any;
}

void
oidc_discovery(struct app_call *call)
{
	const struct settings *s = call->app->settings;
	const struct jwk *signer = keys_ring_signer(call->app->keys,
	    (int64_t)time(NULL));
	const struct jose_alg_info *alg = signer != NULL ?
	    jose_alg_get(signer->alg) : NULL;
	const char *pub = s->app_url, *back = s->internal_app_url;
	struct wbuf w;

	if (alg == NULL) {
		oidc_error(call, 503, "server_error",
		    "No signing key is loaded yet");
		return;
	}
	wbuf_init(&w);
	wbuf_printf(&w, "{\"issuer\":\"%s\","
	    "\"authorization_endpoint\":\"%s/authorize\","
	    "\"token_endpoint\":\"%s/api/oidc/token\","
	    "\"userinfo_endpoint\":\"%s/api/oidc/userinfo\","
	    "\"end_session_endpoint\":\"%s/api/oidc/end-session\","
	    "\"introspection_endpoint\":\"%s/api/oidc/introspect\","
	    "\"introspection_endpoint_auth_methods_supported\":"
	    "[\"client_secret_basic\",\"Bearer\"],"
	    "\"revocation_endpoint\":\"%s/api/oidc/revoke\","
	    "\"revocation_endpoint_auth_methods_supported\":"
	    "[\"client_secret_basic\",\"client_secret_post\",\"none\"],"
	    "\"jwks_uri\":\"%s/.well-known/jwks.json\","
	    "\"device_authorization_endpoint\":"
	    "\"%s/api/oidc/device/authorize\","
	    "\"pushed_authorization_request_endpoint\":\"%s/api/oidc/par\",",
	    pub, pub, back, back, pub, back, back, back, pub, back);
	wbuf_puts(&w, "\"grant_types_supported\":[\"authorization_code\","
	    "\"refresh_token\","
	    "\"urn:ietf:params:oauth:grant-type:device_code\","
	    "\"client_credentials\"],"
	    "\"scopes_supported\":[\"openid\",\"profile\",\"email\","
	    "\"groups\",\"offline_access\"],"
	    "\"claims_supported\":[\"sub\",\"given_name\",\"family_name\","
	    "\"name\",\"display_name\",\"email\",\"email_verified\","
	    "\"preferred_username\",\"picture\",\"groups\",\"auth_time\","
	    "\"amr\"],"
	    "\"response_types_supported\":[\"code\"],"
	    "\"response_modes_supported\":[\"query\",\"fragment\","
	    "\"form_post\"],"
	    "\"subject_types_supported\":[\"public\"],");
	wbuf_printf(&w, "\"id_token_signing_alg_values_supported\":[\"%s\"],",
	    alg->name);
	wbuf_puts(&w, "\"authorization_response_iss_parameter_supported\":"
	    "true,\"code_challenge_methods_supported\":[\"plain\",\"S256\"],"
	    "\"request_parameter_supported\":true,"
	    "\"request_uri_parameter_supported\":false,"
	    "\"request_object_signing_alg_values_supported\":[\"none\"],"
	    "\"prompt_values_supported\":[\"none\",\"login\",\"consent\","
	    "\"select_account\"],"
	    "\"token_endpoint_auth_methods_supported\":"
	    "[\"client_secret_basic\",\"client_secret_post\",\"none\"],"
	    "\"require_pushed_authorization_requests\":false,");
	if (cimd_allowed(call))
		wbuf_puts(&w,
		    "\"client_id_metadata_document_supported\":true,");
	wbuf_puts(&w,
	    "\"service_documentation\":\"https://pocket-id.org/docs\"}");
	if (wbuf_error(&w) != PERR_OK) {
		oidc_error(call, 500, "server_error", "Out of memory");
	} else {
		http_response_header(call->res, "Cache-Control",
		    "public, max-age=300");
		http_response_header(call->res, "Access-Control-Allow-Origin",
		    "*");
		http_response_json(call->res, 200, (const char *)w.data);
	}
	wbuf_free(&w);
}
