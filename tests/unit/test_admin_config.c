/*
 * Unit tests for the pure parts of admin_config.h and auth_ip_location:
 * the application-setting rules, the User-Agent "device" string (with
 * truncation at every byte offset), RFC 3339 date-times, API-key tokens,
 * and the internal-network classification of the audit log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "http/http.h"
#include "conf/conf.h"
#include "auth/auth.h"
#include "admin/admin_config.h"

static bool
valid(const char *key, const char *value)
{
	const char *code = NULL, *message = NULL;
	bool ok = config_value_is_valid(key, value, &code, &message);

	if (!ok) {
		assert_non_null(code);
		assert_non_null(message);
	}
	return ok;
}

static const char *
code_of(const char *key, const char *value)
{
	const char *code = NULL, *message = NULL;

	assert_false(config_value_is_valid(key, value, &code, &message));
	return code;
}

static void
test_every_setting_has_a_rule_and_a_valid_default(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < app_setting_defs_len; i++) {
		const struct app_setting_def *d = &app_setting_defs[i];

		/* The default of every key passes its own rule. */
		if (!valid(d->key, d->def))
			fail_msg("default of %s is refused", d->key);
	}
	assert_string_equal(code_of("noSuchSetting", "x"), "invalid_value");
}

static void
test_booleans_integers_and_enumerations(void **state)
{
	(void)state;
	assert_true(valid("emailsVerified", "true"));
	assert_true(valid("emailsVerified", "false"));
	assert_string_equal(code_of("emailsVerified", "TRUE"),
	    "invalid_format");
	assert_string_equal(code_of("emailsVerified", "1"), "invalid_format");
	assert_string_equal(code_of("emailsVerified", ""), "required");

	assert_true(valid("sessionDuration", "1"));
	assert_true(valid("sessionDuration", "527040"));
	assert_string_equal(code_of("sessionDuration", "0"), "invalid_value");
	assert_string_equal(code_of("sessionDuration", "-5"), "invalid_value");
	assert_string_equal(code_of("sessionDuration", "527041"),
	    "invalid_value");
	assert_string_equal(code_of("sessionDuration", "60m"),
	    "invalid_format");
	assert_string_equal(code_of("sessionDuration", " 60"),
	    "invalid_format");

	assert_true(valid("smtpPort", ""));
	assert_true(valid("smtpPort", "587"));
	assert_string_equal(code_of("smtpPort", "0"), "invalid_value");
	assert_string_equal(code_of("smtpPort", "65536"), "invalid_value");
	assert_string_equal(code_of("smtpPort", "smtp"), "invalid_value");

	assert_true(valid("allowUserSignups", "withToken"));
	assert_string_equal(code_of("allowUserSignups", "withtoken"),
	    "invalid_value");
	assert_true(valid("smtpTls", "starttls"));
	assert_string_equal(code_of("smtpTls", "ssl"), "invalid_value");
	assert_true(valid("webauthnUserVerification", "preferred"));
	assert_string_equal(code_of("webauthnUserVerification",
	    "discouraged"), "invalid_value");
	assert_true(valid("webauthnAuthenticatorAttachment",
	    "cross-platform"));
	assert_string_equal(code_of("webauthnAuthenticatorAttachment", ""),
	    "required");
}

static void
test_text_settings(void **state)
{
	char long_value[CONFIG_VALUE_MAX + 2];

	(void)state;
	assert_true(valid("appName", "Pocket ID"));
	/* 30 characters, more bytes: characters count. */
	assert_true(valid("appName",
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"));
	assert_string_equal(code_of("appName",
	    "1234567890123456789012345678901"), "too_long");
	assert_string_equal(code_of("appName", ""), "required");
	assert_string_equal(code_of("homePageUrl", ""), "required");
	assert_true(valid("accentColor", ""));

	assert_true(valid("smtpFrom", ""));
	assert_true(valid("smtpFrom", "id@example.com"));
	assert_string_equal(code_of("smtpFrom", "id"), "invalid_format");
	assert_string_equal(code_of("smtpFrom", "id@example"),
	    "invalid_format");
	assert_string_equal(code_of("smtpFrom", "a b@example.com"),
	    "invalid_format");

	assert_true(valid("ldapUrl", "ldaps://ldap.example.com"));
	assert_true(valid("ldapUrl", "LDAP://ldap"));
	assert_string_equal(code_of("ldapUrl", "http://ldap"),
	    "invalid_format");
	assert_string_equal(code_of("ldapUrl", "ldap://"), "invalid_format");

	memset(long_value, 'a', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	assert_string_equal(code_of("smtpHost", long_value), "too_long");
}

static void
test_json_settings(void **state)
{
	(void)state;
	assert_true(valid("signupDefaultUserGroupIDs", "[]"));
	assert_true(valid("signupDefaultUserGroupIDs", "[\"a\",\"b\"]"));
	assert_true(valid("signupDefaultUserGroupIDs", ""));
	assert_false(valid("signupDefaultUserGroupIDs", "null"));
	assert_false(valid("signupDefaultUserGroupIDs", "[1]"));
	assert_false(valid("signupDefaultUserGroupIDs", "{}"));
	assert_false(valid("signupDefaultUserGroupIDs", "[\"a\""));
	assert_false(valid("signupDefaultUserGroupIDs", "[] x"));

	assert_true(valid("signupDefaultCustomClaims",
	    "[{\"key\":\"dept\",\"value\":\"it\"}]"));
	assert_false(valid("signupDefaultCustomClaims", "[{\"key\":\"d\"}]"));
	assert_false(valid("signupDefaultCustomClaims",
	    "[{\"key\":\"d\",\"value\":1}]"));
	assert_false(valid("signupDefaultCustomClaims", "[null]"));
	assert_string_equal(code_of("signupDefaultCustomClaims", "[\"x\"]"),
	    "invalid_format");

	assert_true(valid("cimdUrlAllowlist", "[]"));
	assert_true(valid("cimdUrlAllowlist",
	    "[\"*\",\"https://*.example.com/*\",\"*://x\"]"));
	assert_false(valid("cimdUrlAllowlist", "[\"javascript:alert(1)\"]"));
	assert_false(valid("cimdUrlAllowlist", "[\"DATA:text/html,x\"]"));
	assert_false(valid("cimdUrlAllowlist", "[\"no-scheme\"]"));
	assert_false(valid("cimdUrlAllowlist", "[\"1http://x\"]"));
}

static void
check_device(const char *ua, const char *want)
{
	char *device = NULL;

	assert_int_equal(http_user_agent_device(ua, strlen(ua),
	    &device), PERR_OK);
	if (strcmp(device, want) != 0)
		fail_msg("\"%s\"\n gave \"%s\"\n want \"%s\"", ua, device,
		    want);
	free(device);
}

static void
test_device_of_common_browsers(void **state)
{
	(void)state;
	check_device("Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
	    "Safari/537.36", "Chrome on Windows 10.0");
	check_device("Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
	    "Safari/537.36 Edg/120.0.2210.91", "Edge on Windows 10.0");
	check_device("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) "
	    "Gecko/20100101 Firefox/121.0", "Firefox on Windows 10.0");
	check_device("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
	    "Safari/605.1.15", "Safari on macOS 10.15.7");
	check_device("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
	    "Mobile/15E148 Safari/604.1", "Safari on iOS 17.1");
	check_device("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 "
	    "Mobile/15E148 Safari/604.1", "Chrome on iOS 16.6");
	check_device("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) "
	    "Gecko/20100101 Firefox/121.0", "Firefox on Linux x86_64");
	check_device("Mozilla/5.0 (Linux; Android 14; Pixel 8) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
	    "Mobile Safari/537.36", "Chrome on Android 14");
	check_device("Mozilla/5.0 (Linux; Android 13; SM-S918B) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) "
	    "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
	    "Samsung Browser on Android 13");
	check_device("Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
	    "Safari/537.36 OPR/106.0.0.0", "Opera on Windows 10.0");
	check_device("Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 "
	    "YaBrowser/23.11.0.0 Safari/537.36", "YaBrowser on Windows 10.0");
	check_device("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
	    "Safari/537.36", "Chrome on ChromeOS x86_64");
	check_device("Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; "
	    "Trident/6.0)", "Internet Explorer on Windows 6.2");
	check_device("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
	    "Headless Chrome on Linux x86_64");
}

static void
test_device_of_odd_agents(void **state)
{
	char *device = NULL;

	(void)state;
	check_device("curl/8.5.0", "curl on  ");
	check_device("node", "node on  ");
	check_device("", " on  ");
	check_device("123", "123 on  ");
	check_device("Mozilla/5.0 (compatible; Googlebot/2.1; "
	    "+http://www.google.com/bot.html)", "Googlebot on  ");
	/* Nothing to go by: the agent names itself, as in Pocket ID. */
	check_device("((((;;;;////))))", "((((;;;;////)))) on  ");
	/* Control and non-ASCII bytes never reach the JSON. */
	check_device("Br\x01owser/1 (Windows NT 10.0)",
	    "Br?owser on Windows 10.0");
	check_device("\xc3\xa9t\xc3\xa9/1", "?" "?t?" "? on  ");
	assert_int_equal(http_user_agent_device(NULL, 5, &device),
	    PERR_OK);
	assert_string_equal(device, " on  ");
	free(device);
}

/* Every prefix of an agent parses, to valid UTF-8 with " on " in it. */
static void
test_device_truncated_at_every_offset(void **state)
{
	static const char *const agents[] = {
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) "
		"AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
		"Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (compatible; Googlebot/2.1; "
		"+http://www.google.com/bot.html)",
		"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 "
		"[FBAN/FBIOS;FBAV/1] Chrome/120.0.0.0 Safari/537.36",
	};
	char *copy, *device;
	size_t a, n, len;

	(void)state;
	for (a = 0; a < sizeof(agents) / sizeof(agents[0]); a++) {
		len = strlen(agents[a]);
		for (n = 0; n <= len; n++) {
			copy = malloc(n > 0 ? n : 1);
			assert_non_null(copy);
			memcpy(copy, agents[a], n);
			device = NULL;
			assert_int_equal(http_user_agent_device(copy, n,
			    &device), PERR_OK);
			assert_true(str_is_utf8(device, strlen(device)));
			assert_non_null(strstr(device, " on "));
			free(device);
			free(copy);
		}
	}
}

static void
test_device_reads_at_most_the_limit(void **state)
{
	char *ua = malloc(HTTP_UA_MAX * 2 + 1), *device = NULL;

	(void)state;
	assert_non_null(ua);
	memset(ua, 'x', HTTP_UA_MAX * 2);
	ua[HTTP_UA_MAX * 2] = '\0';
	assert_int_equal(http_user_agent_device(ua, HTTP_UA_MAX * 2,
	    &device), PERR_OK);
	assert_int_equal(strlen(device), HTTP_UA_MAX + 4 + 1);
	free(device);
	free(ua);
}

static void
test_rfc3339(void **state)
{
	(void)state;
	assert_true(apikey_time_is_rfc3339("2030-01-02T03:04:05Z"));
	assert_true(apikey_time_is_rfc3339("2030-01-02T03:04:05.123Z"));
	assert_true(apikey_time_is_rfc3339("2030-01-02T03:04:05.123456789Z"));
	assert_true(apikey_time_is_rfc3339("2030-01-02t03:04:05z"));
	assert_true(apikey_time_is_rfc3339("2030-01-02T03:04:05+05:30"));
	assert_true(apikey_time_is_rfc3339("2030-01-02T03:04:05-08:00"));
	assert_true(apikey_time_is_rfc3339("2028-02-29T00:00:00Z"));
	assert_false(apikey_time_is_rfc3339("2030-02-29T00:00:00Z"));
	assert_false(apikey_time_is_rfc3339("2100-02-29T00:00:00Z"));
	assert_true(apikey_time_is_rfc3339("2000-02-29T00:00:00Z"));
	assert_false(apikey_time_is_rfc3339("2030-01-02"));
	assert_false(apikey_time_is_rfc3339("2030-01-02T03:04:05"));
	assert_false(apikey_time_is_rfc3339("2030-01-02 03:04:05Z"));
	assert_false(apikey_time_is_rfc3339("2030-13-02T03:04:05Z"));
	assert_false(apikey_time_is_rfc3339("2030-00-02T03:04:05Z"));
	assert_false(apikey_time_is_rfc3339("2030-01-32T03:04:05Z"));
	assert_false(apikey_time_is_rfc3339("2030-01-02T24:00:00Z"));
	assert_false(apikey_time_is_rfc3339("2030-01-02T03:60:00Z"));
	assert_false(apikey_time_is_rfc3339("2030-01-02T03:04:60Z"));
	assert_false(apikey_time_is_rfc3339("2030-01-02T03:04:05.Z"));
	assert_false(apikey_time_is_rfc3339("2030-01-02T03:04:05.1234567890Z"));
	assert_false(apikey_time_is_rfc3339("2030-01-02T03:04:05+0530"));
	assert_false(apikey_time_is_rfc3339("2030-01-02T03:04:05+24:00"));
	assert_false(apikey_time_is_rfc3339("2030-01-02T03:04:05Zjunk"));
	assert_false(apikey_time_is_rfc3339("0000-01-02T03:04:05Z"));
	assert_false(apikey_time_is_rfc3339("tomorrow"));
	assert_false(apikey_time_is_rfc3339(""));
	assert_false(apikey_time_is_rfc3339("+12030-01-02T03:04:05Z"));
}

static void
test_rfc3339_truncated_at_every_offset(void **state)
{
	static const char full[] = "2030-01-02T03:04:05.5+05:30";
	char prefix[sizeof(full)];
	size_t n;

	(void)state;
	assert_true(apikey_time_is_rfc3339(full));
	for (n = 0; n < sizeof(full) - 1; n++) {
		memcpy(prefix, full, n);
		prefix[n] = '\0';
		/* No prefix is a date-time: the offset is mandatory. */
		assert_false(apikey_time_is_rfc3339(prefix));
	}
}

static void
test_api_key_tokens(void **state)
{
	char a[APIKEY_TOKEN_LEN + 1], b[APIKEY_TOKEN_LEN + 1];
	size_t i;

	(void)state;
	assert_int_equal(apikey_token_new(a), PERR_OK);
	assert_int_equal(apikey_token_new(b), PERR_OK);
	assert_int_equal(strlen(a), APIKEY_TOKEN_LEN);
	assert_string_not_equal(a, b);
	for (i = 0; i < APIKEY_TOKEN_LEN; i++)
		assert_true((a[i] >= 'A' && a[i] <= 'Z') ||
		    (a[i] >= 'a' && a[i] <= 'z') ||
		    (a[i] >= '0' && a[i] <= '9'));
}

static void
check_location(const struct cidr_list *local, const char *ip,
    const char *want_city)
{
	const char *country = "x", *city = "x";

	auth_ip_location(local, ip, &country, &city);
	if (want_city == NULL) {
		if (country != NULL || city != NULL)
			fail_msg("%s placed in %s", ip, city);
		return;
	}
	if (country == NULL || city == NULL)
		fail_msg("%s not placed, want %s", ip, want_city);
	assert_string_equal(country, "Internal Network");
	if (strcmp(city, want_city) != 0)
		fail_msg("%s in %s, want %s", ip, city, want_city);
}

static void
test_internal_network_classification(void **state)
{
	struct cidr_list local = { 0 };
	const char *bad = NULL;
	size_t bad_len = 0;

	(void)state;
	check_location(NULL, "10.1.2.3", "LAN");
	check_location(NULL, "172.16.0.1", "LAN");
	check_location(NULL, "172.31.255.255", "LAN");
	check_location(NULL, "172.32.0.1", NULL);
	check_location(NULL, "192.168.1.1", "LAN");
	check_location(NULL, "169.254.10.10", "LAN");
	check_location(NULL, "100.64.0.1", "Tailscale");
	check_location(NULL, "100.127.255.254", "Tailscale");
	check_location(NULL, "100.128.0.1", NULL);
	check_location(NULL, "100.63.255.255", NULL);
	check_location(NULL, "127.0.0.1", "localhost");
	check_location(NULL, "127.9.9.9", "localhost");
	check_location(NULL, "::1", "localhost");
	check_location(NULL, "::ffff:127.0.0.1", "localhost");
	check_location(NULL, "::ffff:192.168.0.7", "LAN");
	check_location(NULL, "::ffff:100.100.1.1", "Tailscale");
	check_location(NULL, "fd00::1", "LAN");
	check_location(NULL, "fe80::1", "LAN");
	check_location(NULL, "8.8.8.8", NULL);
	check_location(NULL, "2001:db8::1", NULL);
	check_location(NULL, "", NULL);
	check_location(NULL, NULL, NULL);
	check_location(NULL, "not an ip", NULL);
	check_location(NULL, "10.0.0.1/8", NULL);

	/* LOCAL_IPV6_RANGES: public IPv6 ranges the admin calls local. */
	assert_int_equal(cidr_list_parse("2001:db8:1::/48, 2a01:4f8::/32",
	    true, &local, &bad, &bad_len), PERR_OK);
	check_location(&local, "2001:db8:1::42", "LAN");
	check_location(&local, "2a01:4f8:c0c:1::1", "LAN");
	check_location(&local, "2001:db8:2::1", NULL);
	check_location(&local, "8.8.8.8", NULL);
	check_location(&local, "127.0.0.1", "localhost");
	cidr_list_free(&local);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_every_setting_has_a_rule_and_a_valid_default),
		cmocka_unit_test(test_booleans_integers_and_enumerations),
		cmocka_unit_test(test_text_settings),
		cmocka_unit_test(test_json_settings),
		cmocka_unit_test(test_device_of_common_browsers),
		cmocka_unit_test(test_device_of_odd_agents),
		cmocka_unit_test(test_device_truncated_at_every_offset),
		cmocka_unit_test(test_device_reads_at_most_the_limit),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_rfc3339_truncated_at_every_offset),
		cmocka_unit_test(test_api_key_tokens),
		cmocka_unit_test(test_internal_network_classification),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
