/*
 * appcfg: the application settings of spec §4.2: one table of every key
 * with its environment name, default, and whether it is public or
 * sensitive; and reading one value. Writing and validating them is the
 * admin API's (src/admin), which uses this same table.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "conf/conf.h"
#include "store/store.h"
#include "auth/auth.h"

const struct app_setting_def app_setting_defs[] = {
	{ "appName", "APP_NAME", "Pocket ID", true, false },
	{ "sessionDuration", "SESSION_DURATION", "60", false, false },
	{ "homePageUrl", "HOME_PAGE_URL", "/settings/account", true, false },
	{ "emailsVerified", "EMAILS_VERIFIED", "false", false, false },
	{ "accentColor", "ACCENT_COLOR", "default", true, false },
	{ "disableAnimations", "DISABLE_ANIMATIONS", "false", true, false },
	{ "allowOwnAccountEdit", "ALLOW_OWN_ACCOUNT_EDIT", "true", true, false },
	{ "allowUserSignups", "ALLOW_USER_SIGNUPS", "disabled", true, false },
	{ "signupDefaultUserGroupIDs", "SIGNUP_DEFAULT_USER_GROUP_IDS", "[]", false, false },
	{ "signupDefaultCustomClaims", "SIGNUP_DEFAULT_CUSTOM_CLAIMS", "[]", false, false },
	{ "requireUserEmail", "REQUIRE_USER_EMAIL", "true", true, false },
	{ "smtpHost", "SMTP_HOST", "", false, false },
	{ "smtpPort", "SMTP_PORT", "", false, false },
	{ "smtpFrom", "SMTP_FROM", "", false, false },
	{ "smtpUser", "SMTP_USER", "", false, false },
	{ "smtpPassword", "SMTP_PASSWORD", "", false, true },
	{ "smtpTls", "SMTP_TLS", "none", false, false },
	{ "smtpSkipCertVerify", "SMTP_SKIP_CERT_VERIFY", "false", false, false },
	{ "emailLoginNotificationEnabled", "EMAIL_LOGIN_NOTIFICATION_ENABLED", "false", false, false },
	{ "emailOneTimeAccessAsUnauthenticatedEnabled", "EMAIL_ONE_TIME_ACCESS_AS_UNAUTHENTICATED_ENABLED", "false", true, false },
	{ "emailOneTimeAccessAsAdminEnabled", "EMAIL_ONE_TIME_ACCESS_AS_ADMIN_ENABLED", "false", true, false },
	{ "emailApiKeyExpirationEnabled", "EMAIL_API_KEY_EXPIRATION_ENABLED", "false", false, false },
	{ "emailVerificationEnabled", "EMAIL_VERIFICATION_ENABLED", "false", true, false },
	{ "ldapEnabled", "LDAP_ENABLED", "false", true, false },
	{ "ldapUrl", "LDAP_URL", "", false, false },
	{ "ldapBindDn", "LDAP_BIND_DN", "", false, false },
	{ "ldapBindPassword", "LDAP_BIND_PASSWORD", "", false, true },
	{ "ldapBase", "LDAP_BASE", "", false, false },
	{ "ldapUserSearchFilter", "LDAP_USER_SEARCH_FILTER", "(objectClass=person)", false, false },
	{ "ldapUserGroupSearchFilter", "LDAP_USER_GROUP_SEARCH_FILTER", "(objectClass=groupOfNames)", false, false },
	{ "ldapSkipCertVerify", "LDAP_SKIP_CERT_VERIFY", "false", false, false },
	{ "ldapAttributeUserUniqueIdentifier", "LDAP_ATTRIBUTE_USER_UNIQUE_IDENTIFIER", "", false, false },
	{ "ldapAttributeUserUsername", "LDAP_ATTRIBUTE_USER_USERNAME", "", false, false },
	{ "ldapAttributeUserEmail", "LDAP_ATTRIBUTE_USER_EMAIL", "", false, false },
	{ "ldapAttributeUserFirstName", "LDAP_ATTRIBUTE_USER_FIRST_NAME", "", false, false },
	{ "ldapAttributeUserLastName", "LDAP_ATTRIBUTE_USER_LAST_NAME", "", false, false },
	{ "ldapAttributeUserDisplayName", "LDAP_ATTRIBUTE_USER_DISPLAY_NAME", "cn", false, false },
	{ "ldapAttributeUserProfilePicture", "LDAP_ATTRIBUTE_USER_PROFILE_PICTURE", "", false, false },
	{ "ldapAttributeGroupMember", "LDAP_ATTRIBUTE_GROUP_MEMBER", "member", false, false },
	{ "ldapAttributeGroupUniqueIdentifier", "LDAP_ATTRIBUTE_GROUP_UNIQUE_IDENTIFIER", "", false, false },
	{ "ldapAttributeGroupName", "LDAP_ATTRIBUTE_GROUP_NAME", "", false, false },
	{ "ldapAdminGroupName", "LDAP_ADMIN_GROUP_NAME", "", false, false },
	{ "ldapSoftDeleteUsers", "LDAP_SOFT_DELETE_USERS", "true", false, false },
	{ "webauthnUserVerification", "WEBAUTHN_USER_VERIFICATION", "required", false, false },
	{ "webauthnAllowSyncedPasskeys", "WEBAUTHN_ALLOW_SYNCED_PASSKEYS", "true", false, false },
	{ "webauthnAuthenticatorAttachment", "WEBAUTHN_AUTHENTICATOR_ATTACHMENT", "any", false, false },
	{ "cimdUrlAllowlist", "CIMD_URL_ALLOWLIST", "[]", false, false },
};
const size_t app_setting_defs_len =
    sizeof(app_setting_defs) / sizeof(app_setting_defs[0]);

const struct app_setting_def *
app_setting_find(const char *key)
{
	size_t i;

	for (i = 0; i < app_setting_defs_len; i++)
		if (strcmp(app_setting_defs[i].key, key) == 0)
			return &app_setting_defs[i];
	return NULL;
}

char *
auth_app_setting(struct app_call *call, const char *key)
{
	const struct app_setting_def *def = app_setting_find(key);
	const char *text;
	char *stored = NULL;
	int rc;

	if (def == NULL) {
		log_error("unknown application setting %s", key);
		return str_dup("");
	}
	if (call->app->settings->ui_config_disabled) {
		text = conf_text(call->app->settings, def->env);
		return str_dup(text != NULL ? text : def->def);
	}
	rc = store_app_config_get(call->app->db, key, &stored);
	if (rc == PERR_OK && stored[0] != '\0')
		return stored;
	free(stored);
	/* Unreadable settings fall back to the default, which is safe. */
	return str_dup(def->def);
}
