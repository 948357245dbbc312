/* Unit tests for src/http: request parsing, client IP, routes, responses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "http/http.h"

/*
 * FastCGI hands workers mutable "NAME=value" strings; tests build the same
 * from literals. Everything made here is freed after the group.
 */
#define TEST_ALLOCS_MAX 256
static void *test_allocs[TEST_ALLOCS_MAX];
static size_t test_n_allocs;

static void *
remember(void *p)
{
	assert_non_null(p);
	assert_true(test_n_allocs < TEST_ALLOCS_MAX);
	test_allocs[test_n_allocs++] = p;
	return p;
}

static char **
params_of(const char *first, ...)
{
	char **v = remember(calloc(33, sizeof(char *)));
	const char *s;
	size_t n = 0;
	va_list ap;

	va_start(ap, first);
	for (s = first; s != NULL && n < 32; s = va_arg(ap, const char *))
		v[n++] = remember(str_dup(s));
	va_end(ap);
	return v;
}

static int
free_test_allocs(void **state)
{
	(void)state;
	while (test_n_allocs > 0)
		free(test_allocs[--test_n_allocs]);
	return 0;
}

/* Trusts 10.0.0.0/8 only, for the X-Forwarded-For tests. */
static bool
trusts_ten_slash_eight(const void *ctx, const char *ip)
{
	(void)ctx;
	return strncmp(ip, "10.", 3) == 0;
}

static void
test_request_basic_fields(void **state)
{
	char **params = params_of(
		"REQUEST_METHOD=HEAD", "REQUEST_URI=/api/users/a%20b?x=1",
		"QUERY_STRING=x=1", "REMOTE_ADDR=192.0.2.7",
		"REQUEST_ID=0123abcd", NULL);
	struct http_request req;
	const char *why;

	(void)state;
	assert_int_equal(http_request_init(&req, params, NULL, NULL, &why),
	    PERR_OK);
	assert_string_equal(req.method, "GET");
	assert_true(req.is_head);
	assert_string_equal(req.path, "/api/users/a b");
	assert_string_equal(req.query, "x=1");
	assert_string_equal(req.request_id, "0123abcd");
	assert_string_equal(req.client_ip, "192.0.2.7");
	http_request_clear(&req);
}

static void
test_request_id_generated_when_absent_or_odd(void **state)
{
	char **params = params_of("REQUEST_METHOD=GET", "REQUEST_URI=/",
		"REQUEST_ID=<script>", NULL);
	struct http_request req;
	const char *why;

	(void)state;
	assert_int_equal(http_request_init(&req, params, NULL, NULL, &why),
	    PERR_OK);
	assert_int_equal(strlen(req.request_id), 32);
	assert_null(strchr(req.request_id, '<'));
	http_request_clear(&req);
}

static void
test_request_refuses_bad_bytes(void **state)
{
	char **bad_utf8 = params_of("REQUEST_METHOD=GET", "REQUEST_URI=/",
		"HTTP_X=\xff\xfe", NULL);
	char **nul_path = params_of("REQUEST_METHOD=GET", "REQUEST_URI=/a%00b",
		NULL);
	char **no_method = params_of("REQUEST_URI=/", NULL);
	char **bad_escape = params_of("REQUEST_METHOD=GET", "REQUEST_URI=/a%zz",
		NULL);
	struct http_request req;
	const char *why;

	(void)state;
	assert_int_equal(http_request_init(&req, bad_utf8, NULL, NULL, &why),
	    PERR_INVALID);
	assert_non_null(why);
	assert_int_not_equal(req.request_id[0], '\0');
	http_request_clear(&req);
	assert_int_equal(http_request_init(&req, nul_path, NULL, NULL, &why),
	    PERR_INVALID);
	http_request_clear(&req);
	assert_int_equal(http_request_init(&req, no_method, NULL, NULL, &why),
	    PERR_INVALID);
	http_request_clear(&req);
	assert_int_equal(http_request_init(&req, bad_escape, NULL, NULL,
	    &why), PERR_INVALID);
	http_request_clear(&req);
}

static void
test_request_refuses_oversized_path(void **state)
{
	char *uri = malloc(HTTP_PATH_MAX + 32);
	char *params[3];
	struct http_request req;
	const char *why;

	(void)state;
	memcpy(uri, "REQUEST_URI=/", 13);
	memset(uri + 13, 'a', HTTP_PATH_MAX + 10);
	uri[HTTP_PATH_MAX + 23] = '\0';
	remember(uri);
	params[0] = remember(str_dup("REQUEST_METHOD=GET"));
	params[1] = uri;
	params[2] = NULL;
	params[0] = remember(str_dup("REQUEST_METHOD=GET"));
	params[1] = uri;
	params[2] = NULL;
	assert_int_equal(http_request_init(&req, params, NULL, NULL, &why),
	    PERR_TOO_LARGE);
	http_request_clear(&req);
}

static void
test_client_ip_honours_trusted_proxies_only(void **state)
{
	char **direct = params_of("REQUEST_METHOD=GET", "REQUEST_URI=/",
		"REMOTE_ADDR=203.0.113.9",
		"HTTP_X_FORWARDED_FOR=198.51.100.1", NULL);
	char **proxied = params_of("REQUEST_METHOD=GET", "REQUEST_URI=/",
		"REMOTE_ADDR=10.0.0.2",
		"HTTP_X_FORWARDED_FOR=6.6.6.6, 198.51.100.1, 10.1.1.1", NULL);
	char **garbage = params_of("REQUEST_METHOD=GET", "REQUEST_URI=/",
		"REMOTE_ADDR=10.0.0.2", "HTTP_X_FORWARDED_FOR=not-an-ip",
		NULL);
	struct http_request req;
	const char *why;

	(void)state;
	assert_int_equal(http_request_init(&req, direct,
	    trusts_ten_slash_eight, NULL, &why), PERR_OK);
	assert_string_equal(req.client_ip, "203.0.113.9");
	http_request_clear(&req);
	/* Walk from the right, skipping trusted hops; the spoofed left-most
	 * entry is never reached. */
	assert_int_equal(http_request_init(&req, proxied,
	    trusts_ten_slash_eight, NULL, &why), PERR_OK);
	assert_string_equal(req.client_ip, "198.51.100.1");
	http_request_clear(&req);
	assert_int_equal(http_request_init(&req, garbage,
	    trusts_ten_slash_eight, NULL, &why), PERR_OK);
	assert_string_equal(req.client_ip, "10.0.0.2");
	http_request_clear(&req);
}

static void
test_route_match_and_params(void **state)
{
	char **params = params_of("REQUEST_METHOD=GET",
		"REQUEST_URI=/api/users/42/groups", NULL);
	struct http_request req;
	const char *why;

	(void)state;
	assert_int_equal(http_request_init(&req, params, NULL, NULL, &why),
	    PERR_OK);
	assert_false(http_route_match(&req, "/api/users/:id"));
	assert_false(http_route_match(&req, "/api/users/:id/groups/x"));
	assert_false(http_route_match(&req, "/api/user/:id/groups"));
	assert_true(http_route_match(&req, "/api/users/:id/groups"));
	assert_string_equal(http_route_param(&req, "id"), "42");
	assert_null(http_route_param(&req, "i"));
	assert_true(http_route_match(&req, "/api/:kind/:id/groups"));
	assert_string_equal(http_route_param(&req, "kind"), "users");
	assert_string_equal(http_route_param(&req, "id"), "42");
	http_request_clear(&req);
}

static void
test_query_get(void **state)
{
	char **params = params_of("REQUEST_METHOD=GET", "REQUEST_URI=/x",
		"QUERY_STRING=a=1&redirect_uri=https%3A%2F%2Fx.test%2Fcb"
		"&empty=&flag&sp=a+b&bad=%ff", NULL);
	struct http_request req;
	const char *why;
	char *v;
	int err;

	(void)state;
	assert_int_equal(http_request_init(&req, params, NULL, NULL, &why),
	    PERR_OK);
	v = http_query_get(&req, "redirect_uri", &err);
	assert_string_equal(v, "https://x.test/cb");
	free(v);
	v = http_query_get(&req, "empty", &err);
	assert_string_equal(v, "");
	free(v);
	v = http_query_get(&req, "flag", &err);
	assert_string_equal(v, "");
	free(v);
	v = http_query_get(&req, "sp", &err);
	assert_string_equal(v, "a b");
	free(v);
	assert_null(http_query_get(&req, "missing", &err));
	assert_int_equal(err, PERR_OK);
	assert_null(http_query_get(&req, "bad", &err));
	assert_int_equal(err, PERR_INVALID);
	http_request_clear(&req);
}

static void
test_duplicate_parameters_are_found(void **state)
{
	char **once = params_of("REQUEST_METHOD=GET", "REQUEST_URI=/x",
	    "QUERY_STRING=a=1&b=2&ab=3&c", NULL);
	char **twice = params_of("REQUEST_METHOD=GET", "REQUEST_URI=/x",
	    "QUERY_STRING=a=1&b=2&a=3", NULL);
	char **flag = params_of("REQUEST_METHOD=GET", "REQUEST_URI=/x",
	    "QUERY_STRING=x&y=1&x=", NULL);
	struct http_request req;
	const char *why;

	(void)state;
	assert_int_equal(http_request_init(&req, once, NULL, NULL, &why),
	    PERR_OK);
	assert_false(http_params_have_duplicates(&req));
	http_request_clear(&req);
	assert_int_equal(http_request_init(&req, twice, NULL, NULL, &why),
	    PERR_OK);
	assert_true(http_params_have_duplicates(&req));
	http_request_clear(&req);
	assert_int_equal(http_request_init(&req, flag, NULL, NULL, &why),
	    PERR_OK);
	assert_true(http_params_have_duplicates(&req));
	http_request_clear(&req);
}

static void
test_error_shape_and_render(void **state)
{
	char **params = params_of("REQUEST_METHOD=GET", "REQUEST_URI=/nope",
		"REQUEST_ID=abc123", NULL);
	struct http_request req;
	struct http_response res;
	struct wbuf out;
	const char *why;

	(void)state;
	assert_int_equal(http_request_init(&req, params, NULL, NULL, &why),
	    PERR_OK);
	http_response_init(&res);
	wbuf_init(&out);
	http_response_error(&res, &req, 404, "not_found",
	    "API endpoint not found");
	http_response_render(&res, &req, &out);
	assert_non_null(strstr((char *)out.data, "Status: 404 Not Found\r\n"));
	assert_non_null(strstr((char *)out.data, "X-Request-ID: abc123\r\n"));
	assert_non_null(strstr((char *)out.data,
	    "Cache-Control: private, no-store\r\n"));
	assert_non_null(strstr((char *)out.data, "\r\n\r\n{\"error\":\"API "
	    "endpoint not found\",\"code\":\"not_found\",\"request_id\":"
	    "\"abc123\"}"));
	wbuf_free(&out);
	http_response_clear(&res);
	http_request_clear(&req);
}

static void
test_head_has_no_body_but_length(void **state)
{
	char **params = params_of("REQUEST_METHOD=HEAD", "REQUEST_URI=/x", NULL);
	struct http_request req;
	struct http_response res;
	struct wbuf out;
	const char *why;

	(void)state;
	assert_int_equal(http_request_init(&req, params, NULL, NULL, &why),
	    PERR_OK);
	http_response_init(&res);
	wbuf_init(&out);
	http_response_header(&res, "Cache-Control", "public, max-age=60");
	http_response_json(&res, 200, "{\"a\":1}");
	http_response_render(&res, &req, &out);
	assert_non_null(strstr((char *)out.data, "Content-Length: 7\r\n"));
	assert_null(strstr((char *)out.data, "private, no-store"));
	assert_true(out.len >= 4);
	assert_memory_equal(out.data + out.len - 4, "\r\n\r\n", 4);
	wbuf_free(&out);
	http_response_clear(&res);
	http_request_clear(&req);
}

static void
test_header_injection_refused(void **state)
{
	struct http_response res;

	(void)state;
	http_response_init(&res);
	http_response_header(&res, "Location", "/x\r\nSet-Cookie: a=b");
	assert_int_equal(res.headers.len, 0);
	http_response_clear(&res);
}

static void
test_json_devices(void **state)
{
	static const char chrome[] = "Mozilla/5.0 (X11; Linux x86_64) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
	    "Safari/537.36";
	char in[256], *out = NULL, *want = NULL;

	(void)state;
	assert_int_equal(http_user_agent_device(chrome, strlen(chrome), &want),
	    PERR_OK);
	/* A bare array: the device is added next to the user agent. */
	snprintf(in, sizeof(in), "[{\"userAgent\":\"%s\"}]", chrome);
	assert_int_equal(http_json_devices(in, NULL, "userAgent", "device",
	    &out), PERR_OK);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "\"userAgent\""));
	free(out);
	/* A page: the member's rows, the field replaced in place. */
	assert_int_equal(http_json_devices("{\"data\":[{\"device\":\"\"}],"
	    "\"n\":1}", "data", "device", "device", &out), PERR_OK);
	assert_string_equal(out, "{\"data\":[{\"device\":\" on  \"}],"
	    "\"n\":1}");
	free(out);
	assert_int_equal(http_json_devices("[]", NULL, "a", "b", &out),
	    PERR_OK);
	assert_string_equal(out, "[]");
	free(out);
	/* Shapes it does not expect are internal errors, nothing written. */
	assert_int_equal(http_json_devices("{}", "data", "a", "b", &out),
	    PERR_INTERNAL);
	assert_null(out);
	assert_int_equal(http_json_devices("[{\"a\":1}]", NULL, "a", "b",
	    &out), PERR_INTERNAL);
	assert_null(out);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_basic_fields),
		cmocka_unit_test(test_request_id_generated_when_absent_or_odd),
		cmocka_unit_test(test_request_refuses_bad_bytes),
		cmocka_unit_test(test_request_refuses_oversized_path),
		cmocka_unit_test(test_client_ip_honours_trusted_proxies_only),
		cmocka_unit_test(test_route_match_and_params),
		cmocka_unit_test(test_query_get),
		cmocka_unit_test(test_duplicate_parameters_are_found),
		cmocka_unit_test(test_error_shape_and_render),
		cmocka_unit_test(test_head_has_no_body_but_length),
		cmocka_unit_test(test_header_injection_refused),
		cmocka_unit_test(test_json_devices),
	};
	log_configure(LOG_ERROR + 1, false);
	return cmocka_run_group_tests(tests, NULL, free_test_allocs);
}
