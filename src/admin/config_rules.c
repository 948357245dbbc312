/*
 * config_rules: what each application setting (spec §4.2) may hold, as
 * one table keyed like app_setting_defs[] (auth/appcfg.c, which has the
 * defaults and environment names). Pure: no I/O, no clock. Pocket ID
 * HEAD's rules (dto.AppConfigUpdateDto) are the floor; where it accepts
 * nonsense that breaks a feature later (a session of -5 minutes, an SMTP
 * port of "abc", an LDAP URL without ldap://), we refuse it here, at the
 * moment an admin can still fix it.
 */
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "common/common.h"
#include "oidc/oidc_client.h"
#include "codec/codec.h"
#include "admin/admin.h"
#include "admin/admin_config.h"

#define SESSION_MINUTES_MAX (60 * 24 * 366)	/* as auth/caller.c */

enum config_kind {
	K_TEXT,		/* anything */
	K_BOOL,		/* "true" | "false" */
	K_MINUTES,	/* 1 .. SESSION_MINUTES_MAX */
	K_PORT,		/* 1 .. 65535 */
	K_ENUM,		/* one of allowed[] */
	K_APP_NAME,	/* 1 .. CONFIG_APP_NAME_MAX characters */
	K_EMAIL,
	K_LDAP_URL,	/* ldap:// or ldaps:// */
	K_JSON_STRINGS,	/* JSON array of strings */
	K_JSON_CLAIMS,	/* JSON array of {key: string, value: string} */
	K_URL_PATTERNS,	/* JSON array of redirect-URL patterns */
};

struct config_rule {
	const char *key;
	enum config_kind kind;
	bool required;		/* "" refused (HEAD: "required") */
	const char *const *allowed;
};

static const char *const signups[] = { "disabled", "withToken", "open",
	NULL };
static const char *const tls_modes[] = { "none", "starttls", "tls", NULL };
static const char *const uv_modes[] = { "required", "preferred", NULL };
static const char *const attachments[] = { "any", "platform",
	"cross-platform", NULL };

#define REQ true
#define OPT false

static const struct config_rule rules[] = {
	{ "appName", K_APP_NAME, REQ, NULL },
	{ "sessionDuration", K_MINUTES, REQ, NULL },
	{ "homePageUrl", K_TEXT, REQ, NULL },
	{ "emailsVerified", K_BOOL, REQ, NULL },
	{ "accentColor", K_TEXT, OPT, NULL },
	{ "disableAnimations", K_BOOL, REQ, NULL },
	{ "allowOwnAccountEdit", K_BOOL, REQ, NULL },
	{ "allowUserSignups", K_ENUM, REQ, signups },
	{ "signupDefaultUserGroupIDs", K_JSON_STRINGS, OPT, NULL },
	{ "signupDefaultCustomClaims", K_JSON_CLAIMS, OPT, NULL },
	{ "requireUserEmail", K_BOOL, REQ, NULL },
	{ "smtpHost", K_TEXT, OPT, NULL },
	{ "smtpPort", K_PORT, OPT, NULL },
	{ "smtpFrom", K_EMAIL, OPT, NULL },
	{ "smtpUser", K_TEXT, OPT, NULL },
	{ "smtpPassword", K_TEXT, OPT, NULL },
	{ "smtpTls", K_ENUM, REQ, tls_modes },
	{ "smtpSkipCertVerify", K_BOOL, REQ, NULL },
	{ "emailLoginNotificationEnabled", K_BOOL, REQ, NULL },
	{ "emailOneTimeAccessAsUnauthenticatedEnabled", K_BOOL, REQ, NULL },
	{ "emailOneTimeAccessAsAdminEnabled", K_BOOL, REQ, NULL },
	{ "emailApiKeyExpirationEnabled", K_BOOL, REQ, NULL },
	{ "emailVerificationEnabled", K_BOOL, REQ, NULL },
	{ "ldapEnabled", K_BOOL, REQ, NULL },
	{ "ldapUrl", K_LDAP_URL, OPT, NULL },
	{ "ldapBindDn", K_TEXT, OPT, NULL },
	{ "ldapBindPassword", K_TEXT, OPT, NULL },
	{ "ldapBase", K_TEXT, OPT, NULL },
	{ "ldapUserSearchFilter", K_TEXT, OPT, NULL },
	{ "ldapUserGroupSearchFilter", K_TEXT, OPT, NULL },
	{ "ldapSkipCertVerify", K_BOOL, REQ, NULL },
	{ "ldapAttributeUserUniqueIdentifier", K_TEXT, OPT, NULL },
	{ "ldapAttributeUserUsername", K_TEXT, OPT, NULL },
	{ "ldapAttributeUserEmail", K_TEXT, OPT, NULL },
	{ "ldapAttributeUserFirstName", K_TEXT, OPT, NULL },
	{ "ldapAttributeUserLastName", K_TEXT, OPT, NULL },
	{ "ldapAttributeUserDisplayName", K_TEXT, OPT, NULL },
	{ "ldapAttributeUserProfilePicture", K_TEXT, OPT, NULL },
	{ "ldapAttributeGroupMember", K_TEXT, OPT, NULL },
	{ "ldapAttributeGroupUniqueIdentifier", K_TEXT, OPT, NULL },
	{ "ldapAttributeGroupName", K_TEXT, OPT, NULL },
	{ "ldapAdminGroupName", K_TEXT, OPT, NULL },
	{ "ldapSoftDeleteUsers", K_BOOL, REQ, NULL },
	{ "webauthnUserVerification", K_ENUM, REQ, uv_modes },
	{ "webauthnAllowSyncedPasskeys", K_BOOL, REQ, NULL },
	{ "webauthnAuthenticatorAttachment", K_ENUM, REQ, attachments },
	{ "cimdUrlAllowlist", K_URL_PATTERNS, OPT, NULL },
};

static const struct config_rule *
rule_find(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(rules[i].key, key) == 0)
			return &rules[i];
	return NULL;
}

static bool
fail(const char **code, const char **message, const char *c, const char *m)
{
	*code = c;
	*message = m;
	return false;
}

static bool
is_one_of(const char *value, const char *const *allowed)
{
	for (; *allowed != NULL; allowed++)
		if (strcmp(value, *allowed) == 0)
			return true;
	return false;
}

/* cimdUrlAllowlist holds redirect-style patterns (spec §2.8, §2.12). */
static bool
is_url_pattern(const char *p)
{
	const char *why = NULL;

	return oidc_redirect_is_valid_pattern(p, &why);
}

static bool
is_string_member(struct json_object *obj, const char *name)
{
	struct json_object *v;

	return json_object_object_get_ex(obj, name, &v) &&
	    json_object_is_type(v, json_type_string);
}

/* Whether item i of a JSON-array setting has the shape kind wants. */
static bool
is_json_item(enum config_kind kind, struct json_object *item)
{
	switch (kind) {
	case K_JSON_STRINGS:
		return json_object_is_type(item, json_type_string);
	case K_JSON_CLAIMS:
		return json_object_is_type(item, json_type_object) &&
		    is_string_member(item, "key") &&
		    is_string_member(item, "value");
	case K_URL_PATTERNS:
		return json_object_is_type(item, json_type_string) &&
		    is_url_pattern(json_object_get_string(item));
	default:
		return false;
	}
}

static bool
is_json_array_of(enum config_kind kind, const char *value)
{
	struct json_object *array = NULL;
	size_t i, n;
	bool ok = false;

	if (ojson_parse(value, strlen(value), &array) != PERR_OK)
		return false;
	if (!json_object_is_type(array, json_type_array))
		goto out;
	n = json_object_array_length(array);
	if (n > CONFIG_JSON_ITEMS_MAX)
		goto out;
	for (i = 0; i < n; i++)
		if (!is_json_item(kind, json_object_array_get_idx(array, i)))
			goto out;
	ok = true;
out:
	json_object_put(array);
	return ok;
}

static const char *
json_message(enum config_kind kind)
{
	switch (kind) {
	case K_JSON_CLAIMS:
		return "must be a JSON array of objects with string \"key\" "
		    "and \"value\" properties";
	case K_URL_PATTERNS:
		return "must be a JSON array of valid callback URL patterns";
	default:
		return "must be a JSON array of strings";
	}
}

static bool
check_kind(const struct config_rule *r, const char *value,
    const char **code, const char **message)
{
	int64_t n;

	switch (r->kind) {
	case K_TEXT:
		return true;
	case K_BOOL:
		if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0)
			return true;
		return fail(code, message, "invalid_format",
		    "must be either true or false");
	case K_MINUTES:
		if (str_to_int64(value, INT64_MIN, INT64_MAX, &n) != PERR_OK)
			return fail(code, message, "invalid_format",
			    "must be an integer");
		if (n < 1 || n > SESSION_MINUTES_MAX)
			return fail(code, message, "invalid_value",
			    "must be between 1 and 527040 minutes");
		return true;
	case K_PORT:
		if (str_to_int64(value, 1, 65535, &n) == PERR_OK)
			return true;
		return fail(code, message, "invalid_value",
		    "must be a port number from 1 to 65535");
	case K_ENUM:
		if (is_one_of(value, r->allowed))
			return true;
		return fail(code, message, "invalid_value",
		    "is not one of the allowed values");
	case K_APP_NAME:
		if (admin_utf8_chars(value) <= CONFIG_APP_NAME_MAX)
			return true;
		return fail(code, message, "too_long",
		    "must be at most 30 characters long");
	case K_EMAIL:
		if (admin_is_valid_email(value))
			return true;
		return fail(code, message, "invalid_format",
		    "must be a valid email address");
	case K_LDAP_URL:
		if ((strncasecmp(value, "ldap://", 7) == 0 &&
		    value[7] != '\0') || (strncasecmp(value, "ldaps://", 8) == 0 &&
		    value[8] != '\0'))
			return true;
		return fail(code, message, "invalid_format",
		    "must be an ldap:// or ldaps:// URL");
	case K_JSON_STRINGS:
	case K_JSON_CLAIMS:
	case K_URL_PATTERNS:
		if (is_json_array_of(r->kind, value))
			return true;
		return fail(code, message, "invalid_format",
		    json_message(r->kind));
	}
	return fail(code, message, "invalid_value", "is invalid");
}

bool
config_value_is_valid(const char *key, const char *value, const char **code,
    const char **message)
{
	const struct config_rule *r = rule_find(key);

	if (r == NULL)
		return fail(code, message, "invalid_value",
		    "is not an application setting");
	if (strlen(value) > CONFIG_VALUE_MAX)
		return fail(code, message, "too_long", "is too long");
	if (value[0] == '\0')
		return r->required ? fail(code, message, "required",
		    "is required") : true;
	return check_kind(r, value, code, message);
}
