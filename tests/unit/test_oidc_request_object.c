/*
 * Unit tests for src/oidc/request_object.c: an unsigned request object's
 * parameters win over the front channel's (OIDC Core §6.1); signed,
 * malformed, expired or foreign-client objects are refused and leave the
 * request as it was; every truncation of a valid object is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "codec/codec.h"
#include "oidc/authz.h"

#define NOW 1800000000

/* header.payload. with both parts base64url-encoded (caller frees). */
static char *
compact(const char *header, const char *payload, const char *sig)
{
	char *h = b64url_encode((const uint8_t *)header, strlen(header), NULL);
	char *p = b64url_encode((const uint8_t *)payload, strlen(payload),
	    NULL);
	size_t n = strlen(h) + strlen(p) + strlen(sig) + 3;
	char *out = malloc(n);

	assert_non_null(out);
	snprintf(out, n, "%s.%s.%s", h, p, sig);
	free(h);
	free(p);
	return out;
}

static void
front(struct authz_request *a)
{
	memset(a, 0, sizeof(*a));
	a->client_id = str_dup("client-1");
	a->redirect_uri = str_dup("https://rp.example/query");
	a->state = str_dup("query-state");
	a->scope = str_dup("openid");
}

static void
test_parameters_win(void **state)
{
	struct authz_request a;
	const char *why = NULL;
	char *jwt = compact("{\"alg\":\"none\"}", "{\"client_id\":\"client-1\","
	    "\"redirect_uri\":\"https://rp.example/object\",\"scope\":"
	    "\"openid email\",\"max_age\":60,\"claims\":{\"userinfo\":{}},"
	    "\"nonce\":\"object-nonce\",\"exp\":1800000100}", "");

	(void)state;
	front(&a);
	assert_int_equal(authz_request_object_apply(jwt, strlen(jwt), NOW, &a,
	    &why), PERR_OK);
	assert_null(why);
	assert_string_equal(a.redirect_uri, "https://rp.example/object");
	assert_string_equal(a.scope, "openid email");
	assert_string_equal(a.max_age, "60");
	assert_string_equal(a.nonce, "object-nonce");
	/* What the object does not name stays. */
	assert_string_equal(a.state, "query-state");
	assert_string_equal(a.client_id, "client-1");
	authz_request_clear(&a);
	free(jwt);
}

static void
refused(const char *jwt, const char *needle)
{
	struct authz_request a;
	const char *why = NULL;

	front(&a);
	assert_int_equal(authz_request_object_apply(jwt, strlen(jwt), NOW, &a,
	    &why), PERR_INVALID);
	assert_non_null(why);
	if (needle != NULL)
		assert_non_null(strstr(why, needle));
	assert_string_equal(a.redirect_uri, "https://rp.example/query");
	assert_string_equal(a.state, "query-state");
	authz_request_clear(&a);
}

static void
test_refused(void **state)
{
	static const char *const bad[] = { "", ".", "..", "a.b.c", "a.b",
		"a.b.c.d", "eyJhbGciOiJub25lIn0..", "x" };
	char *jwt;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i], NULL);
	jwt = compact("{\"alg\":\"RS256\"}", "{\"state\":\"s\"}", "c2ln");
	refused(jwt, "unsigned");
	free(jwt);
	jwt = compact("{\"alg\":\"none\"}", "{\"state\":\"s\"}", "c2ln");
	refused(jwt, "unsigned");
	free(jwt);
	jwt = compact("{\"typ\":\"JWT\"}", "{\"state\":\"s\"}", "");
	refused(jwt, "malformed");
	free(jwt);
	jwt = compact("{\"alg\":\"none\"}", "[1,2]", "");
	refused(jwt, "malformed");
	free(jwt);
	jwt = compact("{\"alg\":\"none\"}", "{\"state\":\"s\",\"exp\":1}", "");
	refused(jwt, "expired");
	free(jwt);
	jwt = compact("{\"alg\":\"none\"}", "{\"nbf\":1900000000}", "");
	refused(jwt, "not valid yet");
	free(jwt);
	jwt = compact("{\"alg\":\"none\"}", "{\"client_id\":\"other\"}", "");
	refused(jwt, "client_id");
	free(jwt);
}

static void
test_truncations(void **state)
{
	struct authz_request a;
	const char *why;
	char *jwt = compact("{\"alg\":\"none\"}", "{\"state\":\"object\"}", "");
	size_t len = strlen(jwt), i;

	(void)state;
	/* Every proper prefix is refused (the longest lacks the final dot
	 * of the empty signature); only the whole object applies. */
	for (i = 0; i < len; i++) {
		front(&a);
		why = NULL;
		assert_int_equal(authz_request_object_apply(jwt, i, NOW, &a,
		    &why), PERR_INVALID);
		assert_string_equal(a.state, "query-state");
		authz_request_clear(&a);
	}
	front(&a);
	assert_int_equal(authz_request_object_apply(jwt, len, NOW, &a, &why),
	    PERR_OK);
	assert_string_equal(a.state, "object");
	authz_request_clear(&a);
	free(jwt);
}

static void
test_too_large(void **state)
{
	struct authz_request a;
	const char *why;
	size_t n = AUTHZ_REQUEST_OBJECT_MAX_LEN + 1;
	char *big = malloc(n + 1);

	(void)state;
	assert_non_null(big);
	memset(big, 'a', n);
	big[10] = '.';
	big[20] = '.';
	big[n] = '\0';
	front(&a);
	assert_int_equal(authz_request_object_apply(big, n, NOW, &a, &why),
	    PERR_INVALID);
	authz_request_clear(&a);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parameters_win),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_too_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
