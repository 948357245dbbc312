/*
 * Unit tests for the pure parts of src/oidc/cimd.c (spec §2.12): the
 * client identifier URL rules, and every validation rule of a metadata
 * document, each refused with its own sentence; a document cut at every
 * byte offset is refused without a crash or leak. Fetching and storing
 * run end to end in tests/e2e/oidc-cimd.test.mjs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "oidc/oidc_client.h"

#define URL "https://app.example.com/oauth/client.json"
#define GOOD "{\"client_id\":\"" URL "\",\"client_name\":\"App\"," \
	"\"redirect_uris\":[\"https://app.example.com/cb\"," \
	"\"http://127.0.0.1/cb\"]," \
	"\"post_logout_redirect_uris\":[\"https://app.example.com/\"]," \
	"\"grant_types\":[\"authorization_code\",\"refresh_token\"]," \
	"\"response_types\":[\"code\"]," \
	"\"token_endpoint_auth_method\":\"none\"}"

static void
test_url_rules(void **state)
{
	static const char *const good[] = {
		URL, "https://a.example/c", "HTTPS://a.example:8443/x/y",
		"https://a.example/...", "https://a.example/.x",
	};
	static const char *const bad[] = {
		"http://a.example/c", "https://a.example", "https:///c",
		"https://u@a.example/c", "https://u:p@a.example/c",
		"https://a.example/c?x=1", "https://a.example/c#f",
		"https://a.example/./c", "https://a.example/a/../c",
		"https://a.example/%2e%2E/c", "https://a.example/c/.",
		"https://a.example/c d", "https://a.example/c\x7f", "client-1",
		"",
	};
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(oidc_cimd_url_check(good[i], &why), PERR_OK);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_int_equal(oidc_cimd_url_check(bad[i], &why),
		    PERR_INVALID);
		assert_non_null(why);
	}
	assert_true(oidc_cimd_is_url(URL));
	assert_false(oidc_cimd_is_url("my-app"));
	assert_false(oidc_cimd_is_url(NULL));
}

static int
parse(const char *url, const char *body, struct oidc_cimd_doc *d,
    const char **why)
{
	return oidc_cimd_doc_parse(url, body, strlen(body), d, why);
}

static void
test_good_document(void **state)
{
	struct oidc_cimd_doc d;
	const char *why = "x";

	(void)state;
	assert_int_equal(parse(URL, GOOD, &d, &why), PERR_OK);
	assert_null(why);
	assert_string_equal(d.name, "App");
	assert_string_equal(d.redirect_uris_json,
	    "[\"https://app.example.com/cb\",\"http://127.0.0.1/cb\"]");
	assert_string_equal(d.logout_uris_json,
	    "[\"https://app.example.com/\"]");
	assert_string_equal(d.grant_types_json,
	    "[\"authorization_code\",\"refresh_token\"]");
	oidc_cimd_doc_clear(&d);
	/* Defaults: code grant, no logout URIs, the host as the name. */
	assert_int_equal(parse("https://a.example:8443/c",
	    "{\"client_id\":\"https://a.example:8443/c\","
	    "\"redirect_uris\":[\"https://a.example/cb\"],"
	    "\"token_endpoint_auth_method\":\"none\"}", &d, &why), PERR_OK);
	assert_string_equal(d.name, "a.example:8443");
	assert_string_equal(d.grant_types_json, "[\"authorization_code\"]");
	assert_string_equal(d.logout_uris_json, "[]");
	oidc_cimd_doc_clear(&d);
	/* A device-only client needs no redirect URI. */
	assert_int_equal(parse("https://tv.example/c",
	    "{\"client_id\":\"https://tv.example/c\",\"grant_types\":"
	    "[\"urn:ietf:params:oauth:grant-type:device_code\"],"
	    "\"token_endpoint_auth_method\":\"none\"}", &d, &why), PERR_OK);
	assert_string_equal(d.redirect_uris_json, "[]");
	oidc_cimd_doc_clear(&d);
}

#define BASE "\"client_id\":\"" URL "\""
#define CB "\"redirect_uris\":[\"https://app.example.com/cb\"]"
#define NONE "\"token_endpoint_auth_method\":\"none\""

static void
test_rules(void **state)
{
	static const struct {
		const char *body, *why_has;
	} cases[] = {
		{ "[]", "JSON object" },
		{ "{", "JSON object" },
		{ "{" CB "," NONE "}", "client_id" },
		{ "{\"client_id\":\"https://other.example/c\"," CB "," NONE "}",
		  "client_id" },
		{ "{" BASE "," CB "}", "token_endpoint_auth_method" },
		{ "{" BASE "," CB ",\"token_endpoint_auth_method\":"
		  "\"client_secret_basic\"}", "token_endpoint_auth_method" },
		{ "{" BASE "," CB ",\"token_endpoint_auth_method\":"
		  "\"private_key_jwt\"}", "token_endpoint_auth_method" },
		{ "{" BASE "," CB "," NONE ",\"client_secret\":\"s\"}",
		  "secret" },
		{ "{" BASE "," CB "," NONE ",\"grant_types\":[\"implicit\"]}",
		  "grant_types" },
		{ "{" BASE "," CB "," NONE ",\"grant_types\":"
		  "[\"client_credentials\"]}", "grant_types" },
		{ "{" BASE "," CB "," NONE ",\"grant_types\":"
		  "[\"refresh_token\"]}", "authorization_code or device_code" },
		{ "{" BASE "," CB "," NONE ",\"grant_types\":\"x\"}",
		  "grant_types" },
		{ "{" BASE "," CB "," NONE ",\"response_types\":[\"token\"]}",
		  "response_types" },
		{ "{" BASE "," CB "," NONE ",\"response_types\":"
		  "[\"code id_token\"]}", "response_types" },
		{ "{" BASE "," NONE "}", "redirect_uris" },
		{ "{" BASE "," NONE ",\"redirect_uris\":[]}", "redirect_uris" },
		{ "{" BASE "," NONE ",\"redirect_uris\":"
		  "[\"https://*.example.com/cb\"]}", "wildcard" },
		{ "{" BASE "," NONE ",\"redirect_uris\":[\"*\"]}", "wildcard" },
		{ "{" BASE "," NONE ",\"redirect_uris\":[\"/cb\"]}",
		  "absolute" },
		{ "{" BASE "," NONE ",\"redirect_uris\":"
		  "[\"javascript:alert(1)\"]}", "javascript" },
		{ "{" BASE "," NONE ",\"redirect_uris\":"
		  "[\"data:text/html,x\"]}", "javascript" },
		{ "{" BASE "," NONE ",\"redirect_uris\":"
		  "[\"https://a.example/cb#f\"]}", "fragment" },
		{ "{" BASE "," NONE ",\"redirect_uris\":[1]}", "array" },
		{ "{" BASE "," NONE "," CB ",\"post_logout_redirect_uris\":"
		  "[\"https://a.example/**\"]}", "wildcard" },
		{ "{" BASE "," NONE "," CB ",\"client_name\":7}",
		  "client_name" },
	};
	struct oidc_cimd_doc d;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		if (parse(URL, cases[i].body, &d, &why) == PERR_OK)
			fail_msg("accepted: %s", cases[i].body);
		assert_non_null(why);
		if (strstr(why, cases[i].why_has) == NULL)
			fail_msg("%s: %s", cases[i].body, why);
		assert_null(d.name);
	}
	/* A document for a URL that breaks the URL rules. */
	assert_int_equal(parse("https://a.example/c?x", "{}", &d, &why),
	    PERR_INVALID);
}

static void
test_truncation(void **state)
{
	static const char body[] = GOOD;
	struct oidc_cimd_doc d;
	const char *why;
	char *cut;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(body) - 1; i++) {
		cut = str_ndup(body, i);
		assert_non_null(cut);
		assert_int_not_equal(oidc_cimd_doc_parse(URL, cut, i, &d,
		    &why), PERR_OK);
		assert_non_null(why);
		free(cut);
	}
	assert_int_equal(oidc_cimd_doc_parse(URL, body, sizeof(body) - 1,
	    &d, &why), PERR_OK);
	oidc_cimd_doc_clear(&d);
}

static void
test_too_large(void **state)
{
	struct oidc_cimd_doc d;
	const char *why;
	char *big = malloc(OIDC_CIMD_DOC_MAX + 2);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', OIDC_CIMD_DOC_MAX + 1);
	big[OIDC_CIMD_DOC_MAX + 1] = '\0';
	assert_int_equal(oidc_cimd_doc_parse(URL, big, OIDC_CIMD_DOC_MAX + 1,
	    &d, &why), PERR_TOO_LARGE);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_rules),
		cmocka_unit_test(test_good_document),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_too_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
