/* Unit tests for src/http/multipart.c: the strict multipart/form-data
 * reader of uploads (RFC 7578). */
#include "config.h"	/* _GNU_SOURCE: memmem */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "http/http.h"

#define BOUNDARY "----pocketidXyZ"

/* What node's fetch sends for a FormData with a name field and a file. */
static const char form[] =
	"------pocketidXyZ\r\n"
	"Content-Disposition: form-data; name=\"note\"\r\n"
	"\r\n"
	"hello\r\n"
	"------pocketidXyZ\r\n"
	"Content-Disposition: form-data; name=\"file\"; "
	"filename=\"a \\\"b\\\".png\"\r\n"
	"Content-Type: image/png\r\n"
	"\r\n"
	"\x89PNG\r\n\x1a\n\0\0--x\r\n"
	"\r\n"
	"------pocketidXyZ--\r\n"
	"epilogue";

static int
find(const char *body, size_t len, struct http_multipart_part *part)
{
	const char *why = NULL;
	int rc = http_multipart_find((const uint8_t *)body, len, BOUNDARY,
	    "file", part, &why);

	if (rc != PERR_OK)
		assert_non_null(why);
	return rc;
}

static void
test_finds_the_file_part(void **state)
{
	struct http_multipart_part part;
	static const char content[] = "\x89PNG\r\n\x1a\n\0\0--x\r\n";

	(void)state;
	assert_int_equal(find(form, sizeof(form) - 1, &part), PERR_OK);
	assert_int_equal(part.len, sizeof(content) - 1);
	assert_memory_equal(part.data, content, part.len);
	assert_string_equal(part.filename, "a \"b\".png");
	assert_true(part.has_filename);
	assert_string_equal(part.content_type, "image/png");
	http_multipart_part_clear(&part);
}

static void
test_truncation_at_every_offset_fails_cleanly(void **state)
{
	struct http_multipart_part part;
	/* The close delimiter ends at this offset; the epilogue is free. */
	size_t end = (size_t)((const char *)memmem(form, sizeof(form) - 1,
	    "------pocketidXyZ--", 19) - form) + 19;
	size_t n;
	uint8_t *copy;

	(void)state;
	for (n = 0; n < end; n++) {
		/* A heap copy of exactly n bytes, so ASan sees overreads. */
		copy = malloc(n > 0 ? n : 1);
		assert_non_null(copy);
		memcpy(copy, form, n);
		assert_int_not_equal(find((const char *)copy, n, &part),
		    PERR_OK);
		assert_null(part.filename);
		free(copy);
	}
	for (n = end; n <= sizeof(form) - 1; n++) {
		assert_int_equal(find(form, n, &part), PERR_OK);
		http_multipart_part_clear(&part);
	}
}

static void
expect(const char *body, int want)
{
	struct http_multipart_part part;

	assert_int_equal(find(body, strlen(body), &part), want);
	if (want == PERR_OK)
		http_multipart_part_clear(&part);
}

static void
test_strictness(void **state)
{
	(void)state;
	/* No such field. */
	expect("------pocketidXyZ\r\nContent-Disposition: form-data; "
	    "name=\"other\"\r\n\r\nx\r\n------pocketidXyZ--", PERR_NOT_FOUND);
	/* The field twice. */
	expect("------pocketidXyZ\r\nContent-Disposition: form-data; "
	    "name=file\r\n\r\nx\r\n------pocketidXyZ\r\n"
	    "Content-Disposition: form-data; name=file\r\n\r\ny\r\n"
	    "------pocketidXyZ--", PERR_INVALID);
	/* A preamble. */
	expect("junk\r\n------pocketidXyZ\r\nContent-Disposition: form-data; "
	    "name=file\r\n\r\nx\r\n------pocketidXyZ--", PERR_INVALID);
	/* No Content-Disposition / not form-data / no name. */
	expect("------pocketidXyZ\r\nContent-Type: a/b\r\n\r\nx\r\n"
	    "------pocketidXyZ--", PERR_INVALID);
	expect("------pocketidXyZ\r\nContent-Disposition: attachment; "
	    "name=file\r\n\r\nx\r\n------pocketidXyZ--", PERR_INVALID);
	expect("------pocketidXyZ\r\nContent-Disposition: form-data; "
	    "filename=a.png\r\n\r\nx\r\n------pocketidXyZ--", PERR_INVALID);
	/* Bare LF line ends. */
	expect("------pocketidXyZ\nContent-Disposition: form-data; "
	    "name=file\n\nx\n------pocketidXyZ--", PERR_INVALID);
	/* Transfer encodings are refused. */
	expect("------pocketidXyZ\r\nContent-Disposition: form-data; "
	    "name=file\r\nContent-Transfer-Encoding: base64\r\n\r\nx\r\n"
	    "------pocketidXyZ--", PERR_UNSUPPORTED);
	/* An unterminated quoted string. */
	expect("------pocketidXyZ\r\nContent-Disposition: form-data; "
	    "name=\"file\r\n\r\nx\r\n------pocketidXyZ--", PERR_INVALID);
	/* A minimal good one, with an empty file. */
	expect("------pocketidXyZ\r\nContent-Disposition: form-data; "
	    "name=file\r\n\r\n\r\n------pocketidXyZ--", PERR_OK);
}

static void
test_limits(void **state)
{
	struct wbuf w;
	size_t i;

	(void)state;
	/* Too many parts. */
	wbuf_init(&w);
	for (i = 0; i <= HTTP_MULTIPART_PARTS_MAX; i++)
		wbuf_puts(&w, "------pocketidXyZ\r\nContent-Disposition: "
		    "form-data; name=x\r\n\r\nv\r\n");
	wbuf_puts(&w, "------pocketidXyZ--");
	expect((const char *)w.data, PERR_TOO_LARGE);
	wbuf_reset(&w);
	/* A header line over its limit. */
	wbuf_puts(&w, "------pocketidXyZ\r\nContent-Disposition: form-data; "
	    "name=file\r\nX-Long: ");
	for (i = 0; i < HTTP_MULTIPART_HEADER_LINE_MAX; i++)
		wbuf_putc(&w, 'a');
	wbuf_puts(&w, "\r\n\r\nx\r\n------pocketidXyZ--");
	expect((const char *)w.data, PERR_TOO_LARGE);
	wbuf_reset(&w);
	/* Too many header lines. */
	wbuf_puts(&w, "------pocketidXyZ\r\nContent-Disposition: form-data; "
	    "name=file\r\n");
	for (i = 0; i < HTTP_MULTIPART_HEADERS_MAX; i++)
		wbuf_puts(&w, "X-A: b\r\n");
	wbuf_puts(&w, "\r\nx\r\n------pocketidXyZ--");
	expect((const char *)w.data, PERR_TOO_LARGE);
	wbuf_free(&w);
}

static void
test_boundary_from_content_type(void **state)
{
	char *b = NULL;

	(void)state;
	assert_int_equal(http_multipart_boundary("multipart/form-data; "
	    "boundary=----WebKitFormBoundaryAbc123", &b), PERR_OK);
	assert_string_equal(b, "----WebKitFormBoundaryAbc123");
	free(b);
	assert_int_equal(http_multipart_boundary("Multipart/Form-Data;"
	    "charset=utf-8; BOUNDARY=\"a b:c\"", &b), PERR_OK);
	assert_string_equal(b, "a b:c");
	free(b);
	assert_int_not_equal(http_multipart_boundary("multipart/mixed; "
	    "boundary=x", &b), PERR_OK);
	assert_int_not_equal(http_multipart_boundary("multipart/form-data",
	    &b), PERR_OK);
	assert_int_not_equal(http_multipart_boundary("multipart/form-data; "
	    "boundary=\"ends with space \"", &b), PERR_OK);
	assert_int_not_equal(http_multipart_boundary("multipart/form-data; "
	    "boundary=a; boundary=b", &b), PERR_OK);
	assert_int_not_equal(http_multipart_boundary("multipart/form-data; "
	    "boundary=\"12345678901234567890123456789012345678901234567890"
	    "123456789012345678901\"", &b), PERR_OK);
	assert_int_not_equal(http_multipart_boundary(NULL, &b), PERR_OK);
	assert_null(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds_the_file_part),
		cmocka_unit_test(test_truncation_at_every_offset_fails_cleanly),
		cmocka_unit_test(test_strictness),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_boundary_from_content_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
