/*
 * Unit tests for the pure parts of src/oidc/resource.c: resource URIs
 * are normalised (trailing '/' removed) or refused (not absolute, a
 * fragment, javascript:/data:, blanks, too long), the extra scope tokens
 * are the non-standard ones without repeats, and consent keys follow
 * spec §2.9. Every prefix of every input is fed too (truncation). The
 * resolution against grants runs in tests/e2e/oidc-apis.test.mjs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "oidc/oidc.h"
#include "oidc/api.h"

static void
test_normalize(void **state)
{
	static const struct {
		const char *in, *out;	/* out NULL: refused */
	} cases[] = {
		{ "https://api.orders.test", "https://api.orders.test" },
		{ "https://api.orders.test/", "https://api.orders.test" },
		{ "https://api.orders.test///", "https://api.orders.test" },
		{ "https://a.test/v1/", "https://a.test/v1" },
		{ "urn:example:orders", "urn:example:orders" },
		{ "api://PocketID", "api://PocketID" },
		{ "https://a.test/#x", NULL },
		{ "https://a.test#", NULL },
		{ "api.test/x", NULL },
		{ "://x", NULL },
		{ "1http://x", NULL },
		{ "https:", NULL },
		{ "https:/", NULL },
		{ "JavaScript:alert(1)", NULL },
		{ "data:text/plain,x", NULL },
		{ "https://a b.test", NULL },
		{ "https://a.test/\x7f", NULL },
		{ "", NULL },
	};
	char *out, long_uri[OIDC_RESOURCE_MAX + 2];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = NULL;
		if (cases[i].out == NULL) {
			assert_int_equal(oidc_resource_normalize(cases[i].in,
			    &out), PERR_INVALID);
			assert_null(out);
			continue;
		}
		assert_int_equal(oidc_resource_normalize(cases[i].in, &out),
		    PERR_OK);
		assert_string_equal(out, cases[i].out);
		free(out);
	}
	assert_int_equal(oidc_resource_normalize(NULL, &out), PERR_INVALID);
	memset(long_uri, 'a', sizeof(long_uri) - 1);
	memcpy(long_uri, "https://", 8);
	long_uri[sizeof(long_uri) - 1] = '\0';
	assert_int_equal(oidc_resource_normalize(long_uri, &out),
	    PERR_INVALID);
	long_uri[OIDC_RESOURCE_MAX] = '\0';
	assert_int_equal(oidc_resource_normalize(long_uri, &out), PERR_OK);
	free(out);
}

/* Every prefix: no crash, and an accepted one is already normal. */
static void
test_normalize_truncated(void **state)
{
	const char *in = "https://api.orders.test/v1//";
	char *prefix, *out, *again;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i <= strlen(in); i++) {
		prefix = str_ndup(in, i);
		assert_non_null(prefix);
		out = NULL;
		rc = oidc_resource_normalize(prefix, &out);
		if (rc == PERR_OK) {
			assert_int_equal(oidc_resource_normalize(out, &again),
			    PERR_OK);
			assert_string_equal(out, again);
			assert_true(out[strlen(out) - 1] != '/');
			free(again);
		} else {
			assert_int_equal(rc, PERR_INVALID);
		}
		free(out);
		free(prefix);
	}
}

static void
test_scope_extra(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "openid email read:orders", "read:orders" },
		{ "read:orders  openid write:orders read:orders",
		  "read:orders write:orders" },
		{ "openid profile email groups offline_access", "" },
		{ "", "" },
		{ "   ", "" },
		{ "openidx", "openidx" },
	};
	char *out;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = oidc_scope_extra(cases[i].in);
		assert_non_null(out);
		assert_string_equal(out, cases[i].out);
		free(out);
	}
	out = oidc_scope_extra(NULL);
	assert_string_equal(out, "");
	free(out);
}

static void
test_scope_extra_truncated(void **state)
{
	const char *in = "openid read:orders write:orders email";
	char *prefix, *out;
	size_t i;

	(void)state;
	for (i = 0; i <= strlen(in); i++) {
		prefix = str_ndup(in, i);
		out = oidc_scope_extra(prefix);
		assert_non_null(out);
		assert_true(strlen(out) <= i);
		free(out);
		free(prefix);
	}
}

static void
test_target_scope(void **state)
{
	char *s;

	(void)state;
	s = oidc_target_scope(OIDC_SCOPE_OPENID | OIDC_SCOPE_EMAIL,
	    "read:orders");
	assert_string_equal(s, "openid email read:orders");
	free(s);
	s = oidc_target_scope(0, "write:orders");
	assert_string_equal(s, "write:orders");
	free(s);
	s = oidc_target_scope(OIDC_SCOPE_OPENID, NULL);
	assert_string_equal(s, "openid");
	free(s);
}

static void
test_consent_keys(void **state)
{
	char **keys = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(oidc_consent_keys("openid read:orders", "https://o",
	    &keys, &n), PERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(keys[0], "openid");
	assert_string_equal(keys[1], "https://o\x1fread:orders");
	oidc_consent_keys_free(keys, n);
	/* An API without permissions. */
	assert_int_equal(oidc_consent_keys(NULL, "https://o", &keys, &n),
	    PERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(keys[0], "https://o\x1f");
	oidc_consent_keys_free(keys, n);
	/* Without a resource, extras are not consent keys. */
	assert_int_equal(oidc_consent_keys("email bogus", NULL, &keys, &n),
	    PERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(keys[0], "email");
	oidc_consent_keys_free(keys, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_normalize_truncated),
		cmocka_unit_test(test_scope_extra),
		cmocka_unit_test(test_scope_extra_truncated),
		cmocka_unit_test(test_target_scope),
		cmocka_unit_test(test_consent_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
