/*
 * libFuzzer target: JWS compact parsing, verification against fixed public
 * keys (RFC 7515 A.2 RSA, A.3 P-256, RFC 8037 Ed25519, one per key type),
 * and the JWT claims parser and checks on whatever payload comes out. No
 * input may crash, and none may verify: we hold no private key, so a
 * successful verification would be a forgery.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "jose/jose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const key_json[] = {
	("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"ofgWCuLjybRlzo0tZWJjNiuSfb4p4f"
	"Akd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-y"
	"RT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf6"
	"3kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY"
	"4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2"
	"ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ\"}"),
	("{\"kty\":\"EC\",\"crv\":\"P-256\","
	"\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
	"\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}"),
	("{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
	"\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}"),
};
#define NKEYS (sizeof(key_json) / sizeof(key_json[0]))

static struct jwk *keys[NKEYS];

static void
load_keys(void)
{
	size_t i;

	if (keys[0] != NULL)
		return;
	for (i = 0; i < NKEYS; i++)
		if (jwk_parse(key_json[i], strlen(key_json[i]), &keys[i],
		    NULL) != PERR_OK)
			abort();
}

/* The signed RFC examples are the only inputs allowed to verify. */
static bool
is_known_good(const uint8_t *data, size_t size)
{
	static const char *const prefixes[] = {
		("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkz"
		"ODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."),
		("eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkz"
		"ODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."),
		"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.",
	};
	size_t i, n;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (size > n && memcmp(data, prefixes[i], n) == 0)
			return true;
	}
	return false;
}

static void
exercise_claims(const struct jws *jws)
{
	struct jwt_claims *c = NULL;
	struct jwt_expect e;
	const uint8_t *p;
	size_t i, len;
	int64_t v;

	p = jws_payload(jws, &len);
	if (jwt_claims_parse(p, len, &c, NULL) != PERR_OK)
		return;
	memset(&e, 0, sizeof(e));
	e.now = 1300819000;
	e.skew = 60;
	e.iss = "joe";
	e.aud = "client";
	(void)jwt_claims_check(c, &e, NULL);
	(void)jwt_claims_string(c, "sub");
	(void)jwt_claims_int64(c, "exp", &v);
	for (i = 0; i < jwt_claims_aud_count(c); i++)
		if (jwt_claims_aud(c, i) == NULL)
			abort();
	jwt_claims_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jws *jws = NULL;
	const char *why = NULL;
	size_t i;

	load_keys();
	if (jws_parse((const char *)data, size, &jws, &why) != PERR_OK) {
		if (why == NULL)
			abort();	/* every refusal explains itself */
		return 0;
	}
	(void)jws_kid(jws);
	(void)jws_typ(jws);
	(void)jws_header_string(jws, "cty");
	for (i = 0; i < NKEYS; i++)
		if (jws_verify(jws, keys[i], NULL) == PERR_OK &&
		    !is_known_good(data, size))
			abort();
	exercise_claims(jws);
	jws_free(jws);
	return 0;
}
