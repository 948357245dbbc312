/*
 * routes: the index of the whole HTTP surface. One row per route; the
 * dispatcher below walks the table. Keep it on a screen or two: handlers
 * belong in their own modules.
 */
#include <string.h>

#include "common/common.h"
#include "http/http.h"
#include "auth/auth.h"
#include "oidc/oidc.h"
#include "admin/admin.h"
#include "oidc/oidc_client.h"
#include "admin/admin_config.h"
#include "oidc/api.h"
#include "app/app.h"
#include "images/images.h"

#define PUBLIC AUTH_PUBLIC
#define USER AUTH_USER
#define SESSION AUTH_USER_NO_API_KEY
#define ADMIN AUTH_ADMIN
#define OPTIONAL AUTH_OPTIONAL_USER

static const struct app_route routes[] = {
	{ "GET", "/healthz", PUBLIC, app_healthz },
	{ "GET", "/api/version/latest", PUBLIC, app_version_latest },
	{ "GET", "/.well-known/jwks.json", PUBLIC, app_jwks },

	/* Signing in and the signed-in user (spec §1.3, §1.4, §1.5). */
	{ "GET", "/api/signup/setup", PUBLIC, admin_setup_status },
	{ "POST", "/api/signup/setup", PUBLIC, admin_setup_create },
	{ "GET", "/api/users/me", USER, auth_me },
	{ "GET", "/api/users/me/sessions", SESSION, auth_sessions_list },
	{ "DELETE", "/api/users/me/sessions", SESSION,
	  auth_sessions_delete_others },
	{ "DELETE", "/api/users/me/sessions/:id", SESSION,
	  auth_session_delete },
	{ "GET", "/api/webauthn/register/start", SESSION,
	  auth_passkey_register_start },
	{ "POST", "/api/webauthn/register/finish", SESSION,
	  auth_passkey_register_finish },
	{ "GET", "/api/webauthn/login/start", PUBLIC,
	  auth_passkey_login_start },
	{ "POST", "/api/webauthn/login/finish", PUBLIC,
	  auth_passkey_login_finish },
	{ "POST", "/api/webauthn/logout", USER, auth_logout },
	{ "POST", "/api/webauthn/reauthenticate", SESSION,
	  auth_passkey_reauthenticate },
	{ "GET", "/api/webauthn/credentials", USER, auth_passkey_list },
	{ "PATCH", "/api/webauthn/credentials/:id", USER,
	  auth_passkey_rename },
	{ "DELETE", "/api/webauthn/credentials/:id", USER,
	  auth_passkey_delete },
	{ "POST", "/api/users/:id/one-time-access-token", ADMIN,
	  auth_login_code_admin_create },
	{ "POST", "/api/one-time-access-token/:token", PUBLIC,
	  auth_login_code_exchange },

	/* The OpenID Connect provider (spec §1.1, §2). */
	{ "GET", "/.well-known/openid-configuration", PUBLIC, oidc_discovery },
	{ "GET", "/.well-known/oauth-authorization-server", PUBLIC,
	  oidc_discovery },
	{ "GET", "/authorize", OPTIONAL, oidc_authorize },
	{ "POST", "/authorize", OPTIONAL, oidc_authorize },
	{ "GET", "/api/oidc/interactions/:id", PUBLIC, oidc_interaction_get },
	{ "POST", "/api/oidc/interactions/:id/complete", SESSION,
	  oidc_interaction_complete },
	{ "POST", "/api/oidc/token", PUBLIC, oidc_token },
	{ "GET", "/api/oidc/userinfo", PUBLIC, oidc_userinfo },
	{ "POST", "/api/oidc/userinfo", PUBLIC, oidc_userinfo },
	{ "POST", "/api/oidc/introspect", PUBLIC, oidc_introspect },
	{ "POST", "/api/oidc/revoke", PUBLIC, oidc_revoke },
	{ "GET", "/api/oidc/end-session", OPTIONAL, oidc_end_session },
	{ "POST", "/api/oidc/end-session", OPTIONAL, oidc_end_session },
	/* Device authorization grant (RFC 8628): src/oidc/device.c. */
	{ "POST", "/api/oidc/device/authorize", PUBLIC, oidc_device_authorize },
	{ "POST", "/api/oidc/device/verify", SESSION, oidc_device_verify },
	{ "GET", "/api/oidc/device/info", SESSION, oidc_device_info },
	/* Pushed authorization requests (RFC 9126): src/oidc/par.c. */
	{ "POST", "/api/oidc/par", PUBLIC, oidc_par },
	/* Users, user groups, custom claims, signup (spec §1.4-§1.6, §1.9):
	 * src/admin. /api/users/me rows come before /api/users/:id. */
	{ "PUT", "/api/users/me", USER, admin_user_update_me },
	{ "GET", "/api/users", ADMIN, admin_users_list },
	{ "POST", "/api/users", ADMIN, admin_user_create },
	{ "GET", "/api/users/:id", ADMIN, admin_user_get },
	{ "PUT", "/api/users/:id", ADMIN, admin_user_update },
	{ "DELETE", "/api/users/:id", ADMIN, admin_user_delete },
	{ "GET", "/api/users/:id/groups", ADMIN, admin_user_groups_get },
	{ "PUT", "/api/users/:id/user-groups", ADMIN, admin_user_groups_set },
	{ "GET", "/api/users/:id/webauthn-credentials", ADMIN,
	  admin_user_passkeys_list },
	{ "DELETE", "/api/users/:id/webauthn-credentials/:credentialId", ADMIN,
	  admin_user_passkey_delete },
	{ "GET", "/api/user-groups", ADMIN, admin_groups_list },
	{ "POST", "/api/user-groups", ADMIN, admin_group_create },
	{ "GET", "/api/user-groups/:id", ADMIN, admin_group_get },
	{ "PUT", "/api/user-groups/:id", ADMIN, admin_group_update },
	{ "DELETE", "/api/user-groups/:id", ADMIN, admin_group_delete },
	{ "PUT", "/api/user-groups/:id/users", ADMIN, admin_group_users_set },
	{ "PUT", "/api/user-groups/:id/allowed-oidc-clients", ADMIN,
	  admin_group_clients_set },
	{ "GET", "/api/custom-claims/suggestions", ADMIN,
	  admin_claims_suggestions },
	{ "PUT", "/api/custom-claims/user/:userId", ADMIN,
	  admin_claims_user_set },
	{ "PUT", "/api/custom-claims/user-group/:userGroupId", ADMIN,
	  admin_claims_group_set },
	{ "POST", "/api/signup", PUBLIC, admin_signup },
	{ "GET", "/api/signup-tokens", ADMIN, admin_signup_tokens_list },
	{ "POST", "/api/signup-tokens", ADMIN, admin_signup_token_create },
	{ "DELETE", "/api/signup-tokens/:id", ADMIN,
	  admin_signup_token_delete },

	/* OIDC clients (spec §1.7): src/oidc/client_*.c. The "me" rows come
	 * before /api/oidc/users/:id. */
	{ "GET", "/api/oidc/clients", ADMIN, oidc_client_list },
	{ "POST", "/api/oidc/clients", ADMIN, oidc_client_create },
	{ "GET", "/api/oidc/clients/:id", ADMIN, oidc_client_get },
	{ "GET", "/api/oidc/clients/:id/meta", PUBLIC, oidc_client_meta },
	{ "PUT", "/api/oidc/clients/:id", ADMIN, oidc_client_update },
	{ "DELETE", "/api/oidc/clients/:id", ADMIN, oidc_client_delete },
	{ "PUT", "/api/oidc/clients/:id/allowed-user-groups", ADMIN,
	  oidc_client_set_allowed_groups },
	{ "GET", "/api/oidc/clients/:id/secrets", ADMIN,
	  oidc_client_secrets_list },
	{ "POST", "/api/oidc/clients/:id/secrets", ADMIN,
	  oidc_client_secret_create },
	{ "DELETE", "/api/oidc/clients/:id/secrets/:secretId", ADMIN,
	  oidc_client_secret_delete },
	{ "GET", "/api/oidc/users/me/authorized-clients", USER,
	  oidc_user_authorized_clients },
	{ "DELETE", "/api/oidc/users/me/authorized-clients/:clientId", USER,
	  oidc_user_authorized_client_revoke },
	{ "GET", "/api/oidc/users/me/clients", USER,
	  oidc_user_accessible_clients },
	{ "GET", "/api/oidc/users/:id/authorized-clients", ADMIN,
	  oidc_user_authorized_clients_of },
	/* API keys, settings, audit log, version (spec §1.10, §1.12, §1.13,
	 * §1.15): admin/admin_config.h. */
	{ "GET", "/api/api-keys", USER, apikey_list },
	{ "POST", "/api/api-keys", SESSION, apikey_create },
	{ "POST", "/api/api-keys/:id/renew", SESSION, apikey_renew },
	{ "DELETE", "/api/api-keys/:id", USER, apikey_delete },
	{ "GET", "/api/application-configuration", PUBLIC,
	  config_list_public },
	{ "GET", "/api/application-configuration/all", ADMIN,
	  config_list_all },
	{ "PUT", "/api/application-configuration", ADMIN, config_update },
	{ "POST", "/api/application-configuration/test-email", ADMIN,
	  config_test_email },
	{ "POST", "/api/application-configuration/sync-ldap", ADMIN,
	  config_sync_ldap },
	{ "GET", "/api/audit-logs", USER, audit_list_own },
	{ "GET", "/api/audit-logs/all", ADMIN, audit_list_all },
	{ "GET", "/api/audit-logs/filters/client-names", ADMIN,
	  audit_filter_client_names },
	{ "GET", "/api/audit-logs/filters/users", ADMIN, audit_filter_users },
	{ "GET", "/api/version/current", USER, version_current },

	/* Images (spec §1.5, §1.7, §1.11): src/images/handlers.c. The "me"
	 * and default-profile-picture rows come before the :id/:name ones. */
	{ "GET", "/api/application-images/default-profile-picture", ADMIN,
	  images_app_get },
	{ "GET", "/api/application-images/:name", PUBLIC, images_app_get },
	{ "PUT", "/api/application-images/:name", ADMIN, images_app_put },
	{ "DELETE", "/api/application-images/:name", ADMIN,
	  images_app_delete },
	{ "GET", "/api/oidc/clients/:id/logo", PUBLIC, images_client_logo_get },
	{ "POST", "/api/oidc/clients/:id/logo", ADMIN,
	  images_client_logo_put },
	{ "DELETE", "/api/oidc/clients/:id/logo", ADMIN,
	  images_client_logo_delete },
	{ "PUT", "/api/users/me/profile-picture", USER, images_profile_put_me },
	{ "DELETE", "/api/users/me/profile-picture", USER,
	  images_profile_delete_me },
	{ "GET", "/api/users/:id/profile-picture.png", PUBLIC,
	  images_profile_get },
	{ "PUT", "/api/users/:id/profile-picture", ADMIN, images_profile_put },
	{ "DELETE", "/api/users/:id/profile-picture", ADMIN,
	  images_profile_delete },

	/* apis: OAuth APIs and their client grants (spec §1.8). */
	{ "GET", "/api/apis", ADMIN, oidc_api_list },
	{ "POST", "/api/apis", ADMIN, oidc_api_create },
	{ "GET", "/api/apis/:id", ADMIN, oidc_api_get },
	{ "PUT", "/api/apis/:id", ADMIN, oidc_api_update },
	{ "DELETE", "/api/apis/:id", ADMIN, oidc_api_delete },
	{ "PUT", "/api/apis/:id/permissions", ADMIN,
	  oidc_api_permissions_set },
	{ "PUT", "/api/apis/:id/cimd-access", ADMIN, oidc_api_cimd_set },
	{ "GET", "/api/apis/:id/clients", ADMIN, oidc_api_clients_list },
	{ "GET", "/api/apis/:id/assignable-clients", ADMIN,
	  oidc_api_assignable_clients },
	{ "PUT", "/api/apis/:id/clients/:clientId", ADMIN,
	  oidc_api_client_grant_set },
	{ "DELETE", "/api/apis/:id/clients/:clientId", ADMIN,
	  oidc_api_client_grant_delete },
	{ "GET", "/api/api-access/:clientId/apis", ADMIN,
	  oidc_api_access_apis },
	{ "GET", "/api/api-access/:clientId/assignable-apis", ADMIN,
	  oidc_api_access_assignable },

	/* Client preview (spec §1.7): src/oidc/preview.c. */
	{ "GET", "/api/oidc/clients/:id/preview/:userId", ADMIN,
	  oidc_client_preview },
	/* Client ID Metadata Documents (spec §1.7, §2.12): src/oidc/cimd.c. */
	{ "POST", "/api/oidc/clients/:id/refresh", ADMIN, oidc_client_refresh },
};

/* Pocket ID answers every unknown path it is asked with this 404. */
static void
answer_not_found(struct app_call *call)
{
	http_response_error(call->res, call->req, 404, "not_found",
	    "API endpoint not found");
}

void
app_dispatch(struct app_call *call)
{
	const struct app_route *route;
	size_t i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		route = &routes[i];
		if (strcmp(route->method, call->req->method) != 0 ||
		    !http_route_match(call->req, route->pattern))
			continue;
		if (auth_gate(call, route->auth))
			route->handler(call);
		return;
	}
	answer_not_found(call);
}
