/* Unit tests for src/common: bounded reader, writer, strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"

static void
test_rbuf_reads_and_stops_at_end(void **state)
{
	static const uint8_t bytes[] = { 1, 0x02, 0x03, 4, 5, 6, 7 };
	struct rbuf r;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	(void)state;
	rbuf_init(&r, bytes, sizeof(bytes));
	assert_int_equal(rbuf_u8(&r, &u8), PERR_OK);
	assert_int_equal(u8, 1);
	assert_int_equal(rbuf_u16be(&r, &u16), PERR_OK);
	assert_int_equal(u16, 0x0203);
	assert_int_equal(rbuf_u32be(&r, &u32), PERR_OK);
	assert_int_equal(u32, 0x04050607);
	assert_int_equal(rbuf_left(&r), 0);
	assert_int_equal(rbuf_u8(&r, &u8), PERR_TRUNCATED);
}

static void
test_rbuf_failed_read_keeps_cursor(void **state)
{
	static const uint8_t bytes[] = { 9, 8, 7 };
	const uint8_t *p;
	struct rbuf r;
	uint32_t u32;

	(void)state;
	rbuf_init(&r, bytes, sizeof(bytes));
	assert_int_equal(rbuf_u32be(&r, &u32), PERR_TRUNCATED);
	assert_int_equal(r.off, 0);
	assert_int_equal(rbuf_bytes(&r, 4, &p), PERR_TRUNCATED);
	assert_int_equal(rbuf_bytes(&r, 3, &p), PERR_OK);
	assert_ptr_equal(p, bytes);
}

static void
test_wbuf_builds_text_and_json(void **state)
{
	struct wbuf w;
	char *s;
	size_t n;

	(void)state;
	wbuf_init(&w);
	wbuf_puts(&w, "a=");
	wbuf_printf(&w, "%d;", 42);
	wbuf_put_json_string(&w, "q\"\\\n\x01", 5);
	assert_int_equal(wbuf_error(&w), PERR_OK);
	s = wbuf_steal(&w, &n);
	assert_string_equal(s, "a=42;\"q\\\"\\\\\\n\\u0001\"");
	assert_int_equal(n, strlen(s));
	assert_null(w.data);
	free(s);
	wbuf_free(&w);
}

static void
test_wbuf_steal_of_nothing_is_an_empty_string(void **state)
{
	struct wbuf w;
	char *s;

	(void)state;
	wbuf_init(&w);
	s = wbuf_steal(&w, NULL);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void
test_str_to_int64_is_strict(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(str_to_int64("17", 0, 100, &v), PERR_OK);
	assert_int_equal(v, 17);
	assert_int_equal(str_to_int64("-3", -5, 5, &v), PERR_OK);
	assert_int_equal(v, -3);
	assert_int_equal(str_to_int64("101", 0, 100, &v), PERR_INVALID);
	assert_int_equal(str_to_int64(" 1", 0, 100, &v), PERR_INVALID);
	assert_int_equal(str_to_int64("1x", 0, 100, &v), PERR_INVALID);
	assert_int_equal(str_to_int64("", 0, 100, &v), PERR_INVALID);
	assert_int_equal(str_to_int64("99999999999999999999", 0,
	    INT64_MAX, &v), PERR_INVALID);
}

static void
test_str_is_utf8(void **state)
{
	(void)state;
	assert_true(str_is_utf8("plain", 5));
	assert_true(str_is_utf8("\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", 9));
	assert_false(str_is_utf8("a\0b", 3));
	assert_false(str_is_utf8("\xc0\xaf", 2));	  /* overlong */
	assert_false(str_is_utf8("\xed\xa0\x80", 3));	  /* surrogate */
	assert_false(str_is_utf8("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(str_is_utf8("\xe4\xb8", 2));	  /* truncated */
	assert_false(str_is_utf8("\x80", 1));
}

static void
test_perr_str_names_every_code(void **state)
{
	int e;

	(void)state;
	for (e = PERR_WRONG_KEY; e <= PERR_OK; e++)
		assert_string_not_equal(perr_str(e), "unknown error");
	assert_string_equal(perr_str(-9999), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rbuf_reads_and_stops_at_end),
		cmocka_unit_test(test_rbuf_failed_read_keeps_cursor),
		cmocka_unit_test(test_wbuf_builds_text_and_json),
		cmocka_unit_test(test_wbuf_steal_of_nothing_is_an_empty_string),
		cmocka_unit_test(test_str_to_int64_is_strict),
		cmocka_unit_test(test_str_is_utf8),
		cmocka_unit_test(test_perr_str_names_every_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
