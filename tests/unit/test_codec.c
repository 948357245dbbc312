/* Unit tests for src/codec: base64url, base64, hex and the JSON front end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"

/* RFC 4648 §10 test vectors. */
static const struct {
	const char *plain, *std, *url;
} rfc4648[] = {
	{ "", "", "" },
	{ "f", "Zg==", "Zg" },
	{ "fo", "Zm8=", "Zm8" },
	{ "foo", "Zm9v", "Zm9v" },
	{ "foob", "Zm9vYg==", "Zm9vYg" },
	{ "fooba", "Zm9vYmE=", "Zm9vYmE" },
	{ "foobar", "Zm9vYmFy", "Zm9vYmFy" },
};

static void
test_rfc4648_vectors_round_trip(void **state)
{
	size_t i, n;
	uint8_t *bytes;
	char *text;

	(void)state;
	for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		const char *p = rfc4648[i].plain;

		text = b64_encode((const uint8_t *)p, strlen(p), NULL);
		assert_string_equal(text, rfc4648[i].std);
		free(text);
		text = b64url_encode((const uint8_t *)p, strlen(p), NULL);
		assert_string_equal(text, rfc4648[i].url);
		free(text);
		assert_int_equal(b64_decode(rfc4648[i].std,
		    strlen(rfc4648[i].std), &bytes, &n), PERR_OK);
		assert_int_equal(n, strlen(p));
		assert_memory_equal(bytes, p, n);
		free(bytes);
		assert_int_equal(b64url_decode(rfc4648[i].url,
		    strlen(rfc4648[i].url), &bytes, &n), PERR_OK);
		assert_int_equal(n, strlen(p));
		assert_memory_equal(bytes, p, n);
		free(bytes);
	}
}

static void
test_url_alphabet_differs_from_std(void **state)
{
	static const uint8_t bytes[] = { 0xfb, 0xff, 0xbf };
	uint8_t *out;
	char *text;
	size_t n;

	(void)state;
	text = b64url_encode(bytes, 3, NULL);
	assert_string_equal(text, "-_-_");
	free(text);
	assert_int_equal(b64url_decode("+/+/", 4, &out, &n), PERR_INVALID);
	assert_int_equal(b64_decode("-_-_", 4, &out, &n), PERR_INVALID);
}

static void
test_strict_decoding_rejects_lax_forms(void **state)
{
	static const char *const bad_url[] = {
		"Zg==",	 /* padding */
		"Zh",	 /* non-zero trailing bits */
		"Z",	 /* impossible length */
		"Zm9v ", /* stray blank */
		"Zm\n9v",
	};
	static const char *const bad_std[] = { "Zg", "Zg=", "Zh==", "Z===",
		"Zm9v\n", "Zg=a" };
	uint8_t *out;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad_url) / sizeof(bad_url[0]); i++)
		assert_int_equal(b64url_decode(bad_url[i], strlen(bad_url[i]),
		    &out, &n), PERR_INVALID);
	for (i = 0; i < sizeof(bad_std) / sizeof(bad_std[0]); i++)
		assert_int_equal(b64_decode(bad_std[i], strlen(bad_std[i]),
		    &out, &n), PERR_INVALID);
	assert_int_equal(b64url_decode("Zm\0v", 4, &out, &n), PERR_INVALID);
}

static void
test_every_truncation_is_handled(void **state)
{
	static const char text[] = "eyJhbGciOiJFUzI1NiJ9";
	uint8_t *out;
	size_t len, n;
	int err;

	(void)state;
	for (len = 0; len <= strlen(text); len++) {
		err = b64url_decode(text, len, &out, &n);
		if (err == PERR_OK) {
			assert_true(n <= len);
			free(out);
		} else {
			assert_int_equal(err, PERR_INVALID);
		}
	}
}

static void
test_hex_encode(void **state)
{
	static const uint8_t bytes[] = { 0x00, 0xab, 0x7f };
	char *text;

	(void)state;
	text = hex_encode(bytes, 3);
	assert_string_equal(text, "00ab7f");
	free(text);
}

static void
test_json_front_end(void **state)
{
	struct json_object *obj = NULL;
	char deep[200];
	size_t i;

	(void)state;
	assert_int_equal(ojson_parse("{\"a\":[1,2]}", 11, &obj), PERR_OK);
	assert_true(json_object_is_type(obj, json_type_object));
	json_object_put(obj);
	assert_int_equal(ojson_parse("{\"a\":1} ", 8, &obj), PERR_OK);
	json_object_put(obj);
	assert_int_equal(ojson_parse("{\"a\":1}x", 8, &obj), PERR_INVALID);
	assert_int_equal(ojson_parse("{\"a\":1}{}", 9, &obj), PERR_INVALID);
	assert_int_equal(ojson_parse("{\"a\":\0}", 7, &obj), PERR_INVALID);
	assert_int_equal(ojson_parse("\"\xff\"", 3, &obj), PERR_INVALID);
	assert_int_equal(ojson_parse("", 0, &obj), PERR_INVALID);
	assert_int_equal(ojson_parse("{'a':1}", 7, &obj), PERR_INVALID);
	for (i = 0; i < 100; i++)
		deep[i] = '[';
	for (i = 100; i < 200; i++)
		deep[i] = ']';
	assert_int_equal(ojson_parse(deep, 200, &obj), PERR_INVALID);
	assert_null(obj);
}

static int
ttl_of(const char *json, int64_t *out)
{
	struct json_object *v = json_tokener_parse(json);
	int rc = ojson_ttl_seconds(v, 31 * 24 * 3600, out);

	json_object_put(v);
	return rc;
}

static void
test_ttl(void **state)
{
	static const struct {
		const char *json;
		int rc;
		int64_t seconds;
	} cases[] = {
		{ "900", PERR_OK, 900 }, { "0", PERR_OK, 0 },
		{ "null", PERR_OK, 0 }, { "\"15m\"", PERR_OK, 900 },
		{ "\"1h30m\"", PERR_OK, 5400 }, { "\"1.5h\"", PERR_OK, 5400 },
		{ "\"2s\"", PERR_OK, 2 }, { "\"0\"", PERR_OK, 0 },
		{ "\"744h\"", PERR_OK, 31 * 24 * 3600 },
		{ "\"2000ms\"", PERR_OK, 2 }, { "90.5", PERR_OK, 90 },
		{ "\"1s\"", PERR_INVALID, 0 }, { "1", PERR_INVALID, 0 },
		{ "\"745h\"", PERR_INVALID, 0 }, { "2678401", PERR_INVALID, 0 },
		{ "-5", PERR_INVALID, 0 }, { "\"-5m\"", PERR_INVALID, 0 },
		{ "\"5d\"", PERR_INVALID, 0 }, { "\"m\"", PERR_INVALID, 0 },
		{ "\"\"", PERR_INVALID, 0 }, { "\"15\"", PERR_INVALID, 0 },
		{ "\"1h 5m\"", PERR_INVALID, 0 }, { "true", PERR_INVALID, 0 },
		{ "[60]", PERR_INVALID, 0 }, { "\".m\"", PERR_INVALID, 0 },
		{ "\"99999999999999999999h\"", PERR_INVALID, 0 },
	};
	int64_t s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = -1;
		assert_int_equal(ttl_of(cases[i].json, &s), cases[i].rc);
		if (cases[i].rc == PERR_OK)
			assert_int_equal(s, cases[i].seconds);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ttl),
		cmocka_unit_test(test_rfc4648_vectors_round_trip),
		cmocka_unit_test(test_url_alphabet_differs_from_std),
		cmocka_unit_test(test_strict_decoding_rejects_lax_forms),
		cmocka_unit_test(test_every_truncation_is_handled),
		cmocka_unit_test(test_hex_encode),
		cmocka_unit_test(test_json_front_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
