/*
 * jose-bench: signs and verifies a typical ID token through src/jose for a
 * fixed time per algorithm and prints operations per second. Verification
 * is the whole jwt_verify path (split, base64url, header checks, signature,
 * claims parse and iss/aud/exp checks), as a relying party or our own
 * userinfo path would run it. Not part of `make check`: numbers go in the
 * README, never into assertions.
 *
 * usage: jose-bench [-t seconds] [alg ...]     (default: 2 s, every alg)
 * output: one line per alg: "<alg> <sign/s> <verify/s> <token bytes>"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "jose/jose.h"

#define NOW 1760000000

/* A Pocket ID HEAD ID token's claims (spec §2.4) for a typical user. */
static const char claims[] =
    "{\"iss\":\"https://id.example.com\","
    "\"sub\":\"3f1c2b7e-8d4a-4f6b-9c0e-5a7d2e1b4c9f\","
    "\"aud\":[\"7c9e4d2a-1b3f-4e8d-a6c5-0f2e9b8d7a61\"],"
    "\"exp\":1760003600,\"iat\":1760000000,"
    "\"jti\":\"b2d4f6a8-1c3e-4a5b-8d7f-9e0a1b2c3d4e\","
    "\"rat\":1759999990,\"auth_time\":1759999990,"
    "\"nonce\":\"n-0S6_WzA2Mj\",\"at_hash\":\"77QmUPtjPfzWtF2AnpK9RQ\","
    "\"amr\":[\"phr\"],\"type\":\"id-token\","
    "\"name\":\"Ada Lovelace\",\"given_name\":\"Ada\","
    "\"family_name\":\"Lovelace\",\"preferred_username\":\"ada\","
    "\"email\":\"ada@example.com\",\"email_verified\":true,"
    "\"picture\":"
    "\"https://id.example.com/api/users/3f1c2b7e/profile-picture.png\","
    "\"groups\":[\"admins\",\"engineering\"]}";

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
bench_sign(const struct jwk *key, double seconds)
{
	double start = now_s(), elapsed;
	unsigned long n = 0;
	size_t len;
	char *tok;
	int i;

	do {
		for (i = 0; i < 8; i++, n++) {
			if (jws_sign(key, "JWT", claims, sizeof(claims) - 1,
			    &tok, &len) != PERR_OK) {
				fprintf(stderr, "jose-bench: sign failed\n");
				exit(1);
			}
			free(tok);
		}
	} while ((elapsed = now_s() - start) < seconds);
	return (double)n / elapsed;
}

static double
bench_verify(const struct jwk *pub, const char *tok, size_t len,
    double seconds)
{
	struct jwt_expect e;
	double start = now_s(), elapsed;
	unsigned long n = 0;
	int i;

	memset(&e, 0, sizeof(e));
	e.now = NOW;
	e.skew = 30;
	e.iss = "https://id.example.com";
	e.aud = "7c9e4d2a-1b3f-4e8d-a6c5-0f2e9b8d7a61";
	e.typ = "JWT";
	e.exp_required = true;
	do {
		for (i = 0; i < 8; i++, n++) {
			if (jwt_verify(tok, len, pub, &e, NULL, NULL) !=
			    PERR_OK) {
				fprintf(stderr, "jose-bench: verify failed\n");
				exit(1);
			}
		}
	} while ((elapsed = now_s() - start) < seconds);
	return (double)n / elapsed;
}

static void
run(const struct jose_alg_info *a, double seconds)
{
	struct jwk *key = NULL, *pub = NULL;
	char *tok, *json;
	size_t len, jlen;

	if (jwk_generate(a->alg, 2048, "bench", &key) != PERR_OK ||
	    jwk_to_json(key, false, &json, &jlen) != PERR_OK ||
	    jwk_parse(json, jlen, &pub, NULL) != PERR_OK ||
	    jws_sign(key, "JWT", claims, sizeof(claims) - 1, &tok, &len) !=
	    PERR_OK) {
		fprintf(stderr, "jose-bench: cannot set up %s\n", a->name);
		exit(1);
	}
	printf("%-6s %10.0f %10.0f %6zu\n", a->name, bench_sign(key, seconds),
	    bench_verify(pub, tok, len, seconds), len);
	fflush(stdout);
	free(tok);
	free(json);
	jwk_free(pub);
	jwk_free(key);
}

int
main(int argc, char **argv)
{
	static const enum jose_alg all[] = { JOSE_ALG_RS256, JOSE_ALG_RS384,
	    JOSE_ALG_RS512, JOSE_ALG_PS256, JOSE_ALG_PS384, JOSE_ALG_PS512,
	    JOSE_ALG_ES256, JOSE_ALG_ES384, JOSE_ALG_ES512, JOSE_ALG_EDDSA };
	const struct jose_alg_info *a;
	double seconds = 2.0;
	int i = 1;
	size_t k;

	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		seconds = strtod(argv[2], NULL);
		if (!(seconds > 0 && seconds <= 60)) {
			fprintf(stderr, "jose-bench: -t takes 0 < s <= 60\n");
			return 2;
		}
		i = 3;
	}
	printf("# alg     sign/s   verify/s  bytes   (%.1f s each)\n",
	    seconds);
	if (i == argc) {
		for (k = 0; k < sizeof(all) / sizeof(all[0]); k++)
			run(jose_alg_get(all[k]), seconds);
		return 0;
	}
	for (; i < argc; i++) {
		if ((a = jose_alg_by_name(argv[i])) == NULL) {
			fprintf(stderr, "jose-bench: unknown alg %s\n",
			    argv[i]);
			return 2;
		}
		run(a, seconds);
	}
	return 0;
}
