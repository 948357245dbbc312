/*
 * Unit tests for the pure parts of src/oidc/device.c: user codes are
 * "E" + 7 characters without I, L or O, drawn without bias, and a typed
 * code is normalised (trimmed, upper-cased, I -> 1, O -> 0) or refused.
 * The flow itself runs against PostgreSQL in
 * tests/e2e/oidc-device.test.mjs.
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

#define ALPHABET "ABCDEFGHJKMNPQRSTUVWXYZ0123456789"
#define DRAWS 2000

static void
test_user_code_make(void **state)
{
	char code[OIDC_USER_CODE_LEN + 1], again[OIDC_USER_CODE_LEN + 1];
	unsigned seen[256] = { 0 };
	size_t i, j;

	(void)state;
	for (i = 0; i < DRAWS; i++) {
		assert_int_equal(oidc_device_user_code_make(code), PERR_OK);
		assert_int_equal(strlen(code), OIDC_USER_CODE_LEN);
		assert_int_equal(code[0], 'E');
		for (j = 1; j < OIDC_USER_CODE_LEN; j++) {
			assert_non_null(strchr(ALPHABET, code[j]));
			seen[(unsigned char)code[j]]++;
		}
		/* A generated code is already in normal form. */
		assert_true(oidc_device_user_code_normalize(code, again));
		assert_string_equal(code, again);
	}
	/* 14 000 draws over 33 symbols: every symbol shows up. */
	for (i = 0; i < strlen(ALPHABET); i++)
		assert_true(seen[(unsigned char)ALPHABET[i]] > 0);
}

static void
test_user_code_normalize(void **state)
{
	static const struct {
		const char *in, *out;	/* out NULL: refused */
	} cases[] = {
		{ "EABC2345", "EABC2345" },
		{ "eabc2345", "EABC2345" },
		{ "  eAbC2345\t\n", "EABC2345" },
		{ "EOIoi234", "E0101234" },
		{ "EABC234", NULL },		/* too short */
		{ "EABC23456", NULL },		/* too long */
		{ "EABL2345", NULL },		/* L is not in the alphabet */
		{ "EAB-2345", NULL },
		{ "EAB 2345", NULL },		/* inner space */
		{ "", NULL },
		{ "        ", NULL },
		{ "EABC234\xc3\xa9", NULL },	/* non-ASCII */
	};
	char out[OIDC_USER_CODE_LEN + 1];
	size_t i;

	(void)state;
	assert_false(oidc_device_user_code_normalize(NULL, out));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].out == NULL) {
			assert_false(oidc_device_user_code_normalize(
			    cases[i].in, out));
		} else {
			assert_true(oidc_device_user_code_normalize(
			    cases[i].in, out));
			assert_string_equal(out, cases[i].out);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_code_make),
		cmocka_unit_test(test_user_code_normalize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
