/*
 * Unit tests for the client files of src/oidc: secret generation and
 * verification (SHA-256 and imported bcrypt hashes), and how
 * oidc_client_authenticate reads credentials (RFC 6749 §2.3). The
 * database is one that cannot be reached, so a request that gets as far
 * as looking the client up answers PERR_DB_UNAVAILABLE, and one refused
 * before that answers PERR_INVALID or PERR_VERIFY. The paths past the
 * lookup run against PostgreSQL in tests/e2e/oidc-clients.test.mjs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "auth/auth.h"
#include "http/http.h"
#include "store/store.h"
#include "oidc/oidc_client.h"

static void
test_secret_generate(void **state)
{
	char a[OIDC_CLIENT_SECRET_GEN_LEN + 1];
	char b[OIDC_CLIENT_SECRET_GEN_LEN + 1];
	size_t i;

	(void)state;
	assert_int_equal(oidc_client_secret_generate(a), PERR_OK);
	assert_int_equal(oidc_client_secret_generate(b), PERR_OK);
	assert_int_equal(strlen(a), 32);
	assert_string_not_equal(a, b);
	for (i = 0; i < 32; i++)
		assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789", a[i]));
}

static void
test_secret_verify_sha256(void **state)
{
	/* SHA-256("w2mUeZISmEvIDMEDvpY0PnxQIpj1m3zY") */
	char hash[65];

	(void)state;
	assert_int_equal(auth_token_hash("w2mUeZISmEvIDMEDvpY0PnxQIpj1m3zY",
	    hash), PERR_OK);
	assert_true(oidc_client_secret_verify(
	    "w2mUeZISmEvIDMEDvpY0PnxQIpj1m3zY", "sha256", hash));
	assert_false(oidc_client_secret_verify(
	    "w2mUeZISmEvIDMEDvpY0PnxQIpj1m3zX", "sha256", hash));
	assert_false(oidc_client_secret_verify("", "sha256", hash));
	/* A truncated or foreign hash never matches. */
	hash[63] = '\0';
	assert_false(oidc_client_secret_verify(
	    "w2mUeZISmEvIDMEDvpY0PnxQIpj1m3zY", "sha256", hash));
	assert_false(oidc_client_secret_verify("x", "md5",
	    "9dd4e461268c8034f5c8564e155c67a6"));
	/* The known answer for "abc" (FIPS 180-2). */
	assert_true(oidc_client_secret_verify("abc", "sha256",
	    "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad"));
}

static void
test_secret_verify_bcrypt(void **state)
{
	(void)state;
	/* Openwall crypt_blowfish's test vectors. */
	assert_true(oidc_client_secret_verify("U*U", "bcrypt",
	    "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
	assert_true(oidc_client_secret_verify("", "bcrypt",
	    "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"));
	assert_false(oidc_client_secret_verify("U*V", "bcrypt",
	    "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
	/* Other crypt schemes, and an alg/hash mismatch, are refused. */
	assert_false(oidc_client_secret_verify("U*U", "bcrypt",
	    "$1$saltsalt$abcdefghijklmnopqrstuv"));
	assert_false(oidc_client_secret_verify("U*U", "sha256",
	    "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
	assert_false(oidc_client_secret_verify("U*U", "bcrypt", "$2a$05$x"));
}

/* A request built from "NAME=value" strings, as FastCGI hands them. */
struct fake {
	char *params[8];
	struct http_request req;
	struct http_response res;
	struct app_ctx app;
	struct app_call call;
};

static int
run_auth(struct db *db, const char *authorization, const char *body,
    const char **why)
{
	struct fake f;
	struct oidc_client *c = NULL;
	const char *init_why;
	size_t n = 0;
	int rc;

	memset(&f, 0, sizeof(f));
	f.params[n++] = str_dup("REQUEST_METHOD=POST");
	f.params[n++] = str_dup("REQUEST_URI=/api/oidc/token");
	f.params[n++] = str_dup(
	    "CONTENT_TYPE=application/x-www-form-urlencoded");
	if (authorization != NULL) {
		f.params[n] = malloc(strlen(authorization) + 20);
		assert_non_null(f.params[n]);
		snprintf(f.params[n], strlen(authorization) + 20,
		    "HTTP_AUTHORIZATION=%s", authorization);
		n++;
	}
	assert_int_equal(http_request_init(&f.req, f.params, NULL, NULL,
	    &init_why), PERR_OK);
	f.req.body = (uint8_t *)str_dup(body);
	f.req.body_len = strlen(body);
	http_response_init(&f.res);
	f.app.db = db;
	f.call.req = &f.req;
	f.call.res = &f.res;
	f.call.app = &f.app;
	*why = NULL;
	rc = oidc_client_authenticate(&f.call, &c, why);
	if (rc != PERR_OK)
		assert_null(c);
	oidc_client_free(c);
	http_response_clear(&f.res);
	http_request_clear(&f.req);
	while (n > 0)
		free(f.params[--n]);
	return rc;
}

static void
test_authenticate_reads_credentials(void **state)
{
	struct db *db = NULL;
	const char *why;

	(void)state;
	assert_int_equal(db_new("host=/nonexistent/pocket-id-test "
	    "dbname=none connect_timeout=1", &db), PERR_OK);

	/* These reach the client lookup (and so the unreachable database). */
	assert_int_equal(run_auth(db, NULL, "client_id=abc&client_secret=s",
	    &why), PERR_DB_UNAVAILABLE);
	assert_int_equal(run_auth(db, NULL, "grant_type=x&client_id=abc",
	    &why), PERR_DB_UNAVAILABLE);
	/* Basic "abc:s3cret", and "a b:x+y" URL-decoded (RFC 6749 §2.3.1). */
	assert_int_equal(run_auth(db, "Basic YWJjOnMzY3JldA==",
	    "grant_type=x", &why), PERR_DB_UNAVAILABLE);
	assert_int_equal(run_auth(db, "basic  YSUyMGI6eCt5", "", &why),
	    PERR_DB_UNAVAILABLE);
	/* The same client_id in the form as in Basic is fine. */
	assert_int_equal(run_auth(db, "Basic YWJjOnMzY3JldA==",
	    "client_id=abc", &why), PERR_DB_UNAVAILABLE);
	/* A Bearer header is not client authentication: the form counts. */
	assert_int_equal(run_auth(db, "Bearer xyz", "client_id=abc", &why),
	    PERR_DB_UNAVAILABLE);

	/* Refused before any lookup. No client authentication at all (or
	 * an empty client_id) is invalid_client, RFC 6749 §5.2. */
	assert_int_equal(run_auth(db, NULL, "grant_type=x", &why),
	    PERR_VERIFY);
	assert_non_null(why);
	assert_int_equal(run_auth(db, NULL, "client_id=&client_secret=s",
	    &why), PERR_VERIFY);
	assert_int_equal(run_auth(db, "Basic YWJjOnMzY3JldA==",
	    "client_id=abc&client_secret=s3cret", &why), PERR_INVALID);
	assert_string_equal(why,
	    "The client used more than one authentication method");
	assert_int_equal(run_auth(db, "Basic YWJjOnMzY3JldA==",
	    "client_id=other", &why), PERR_INVALID);
	assert_int_equal(run_auth(db, NULL, "client_id=abc&client_secret=s&"
	    "client_assertion=x.y.z&client_assertion_type=urn%3Aietf%3A"
	    "params%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer", &why),
	    PERR_INVALID);
	assert_int_equal(run_auth(db, NULL, "client_id=abc&"
	    "client_assertion=x.y.z&client_assertion_type=other", &why),
	    PERR_INVALID);
	assert_int_equal(run_auth(db, NULL, "client_id=abc&client_secret=%zz",
	    &why), PERR_INVALID);
	/* Basic "%zz:x": not form-urlencoded. */
	assert_int_equal(run_auth(db, "Basic JXp6Ong=", "", &why),
	    PERR_INVALID);
	/* Malformed Basic credentials: no colon, bad base64. */
	assert_int_equal(run_auth(db, "Basic YWJj", "client_id=abc", &why),
	    PERR_VERIFY);
	assert_int_equal(run_auth(db, "Basic !!!", "client_id=abc", &why),
	    PERR_VERIFY);
	/* An RFC 7523 assertion that is not a JWT: invalid_client, before
	 * any lookup. */
	assert_int_equal(run_auth(db, NULL, "client_id=abc&"
	    "client_assertion=x.y.z&client_assertion_type=urn%3Aietf%3A"
	    "params%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer", &why),
	    PERR_VERIFY);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secret_generate),
		cmocka_unit_test(test_secret_verify_sha256),
		cmocka_unit_test(test_secret_verify_bcrypt),
		cmocka_unit_test(test_authenticate_reads_credentials),
	};

	log_configure(LOG_ERROR, false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
