/*
 * Unit tests for src/jose JWS and JWT: the RFC 7515 / 7520 / 8037 vectors
 * read in place, sign/verify round trips for every algorithm, and every
 * tampering we know of (byte changes, truncation at every offset, wrong
 * kid, wrong alg, alg none, HS256 keyed with the public key, crit, JWE)
 * refused; JWT claim checks at their boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "jose/jose.h"
#include "test_jose_util.h"

static const enum jose_alg all_algs[] = {
	JOSE_ALG_RS256, JOSE_ALG_RS384, JOSE_ALG_RS512, JOSE_ALG_PS256,
	JOSE_ALG_PS384, JOSE_ALG_PS512, JOSE_ALG_ES256, JOSE_ALG_ES384,
	JOSE_ALG_ES512, JOSE_ALG_EDDSA,
};
#define NALGS (sizeof(all_algs) / sizeof(all_algs[0]))

/* One generated key per algorithm, shared by the tests (RSA is slow). */
static struct jwk *keys[NALGS];

static int
setup_keys(void **state)
{
	char kid[16];
	size_t i;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		snprintf(kid, sizeof(kid), "kid-%zu", i);
		if (jwk_generate(all_algs[i], 0, kid, &keys[i]) != PERR_OK)
			return -1;
	}
	return 0;
}

static int
teardown_keys(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NALGS; i++)
		jwk_free(keys[i]);
	return 0;
}

/* The public half of key, through its JSON, as a relying party has it. */
static struct jwk *
public_of(const struct jwk *key)
{
	struct jwk *pub = NULL;
	char *json;
	size_t len;

	assert_int_equal(jwk_to_json(key, false, &json, &len), PERR_OK);
	assert_null(strstr(json, "\"d\""));
	assert_int_equal(jwk_parse(json, len, &pub, NULL), PERR_OK);
	free(json);
	assert_false(pub->info.has_private);
	return pub;
}

/* PERR_OK when compact parses and verifies with key. */
static int
check(const char *compact, size_t len, const struct jwk *key)
{
	struct jws *jws = NULL;
	int err;

	if ((err = jws_parse(compact, len, &jws, NULL)) == PERR_OK)
		err = jws_verify(jws, key, NULL);
	jws_free(jws);
	return err;
}

/* Signs header_json.payload by hand with key as alg a, for tokens our
 * signer would never produce. Caller frees. */
static char *
hand_signed(const struct jwk *key, const struct jose_alg_info *a,
    const char *header_json, const char *payload)
{
	char *h, *p, *s, *out;
	uint8_t *sig, *raw;
	size_t sig_len, raw_len, n;
	struct wbuf w;

	h = b64url_encode((const uint8_t *)header_json, strlen(header_json),
	    NULL);
	p = b64url_encode((const uint8_t *)payload, strlen(payload), NULL);
	wbuf_init(&w);
	wbuf_printf(&w, "%s.%s", h, p);
	assert_int_equal(crypto_sign(key->pkey, a->scheme, a->hash, w.data,
	    w.len, &sig, &sig_len), PERR_OK);
	if (a->scheme == CRYPTO_SIG_ECDSA) {
		assert_int_equal(crypto_ecdsa_der_to_raw(a->curve, sig,
		    sig_len, &raw, &raw_len), PERR_OK);
		free(sig);
		sig = raw;
		sig_len = raw_len;
	}
	s = b64url_encode(sig, sig_len, NULL);
	wbuf_printf(&w, ".%s", s);
	out = wbuf_steal(&w, &n);
	free(h);
	free(p);
	free(s);
	free(sig);
	return out;
}

/* Every prefix, and every single-character substitution (with another
 * base64url character, so decoding succeeds and the check that fails is
 * the one that matters), must be refused. */
static void
assert_tamper_proof(const char *tok, const struct jwk *key)
{
	size_t i, len = strlen(tok);
	char *copy = str_dup(tok);

	assert_int_equal(check(tok, len, key), PERR_OK);
	for (i = 0; i < len; i++)
		assert_int_not_equal(check(tok, i, key), PERR_OK);
	for (i = 0; i < len; i++) {
		if (copy[i] == '.')
			continue;
		copy[i] = copy[i] == 'A' ? 'Q' : 'A';
		assert_int_not_equal(check(copy, len, key), PERR_OK);
		copy[i] = tok[i];
	}
	free(copy);
}

/* ---- vectors ----------------------------------------------------------------- */

static void
jws_vector(const char *name, struct json_object *v)
{
	const char *alg = vstr(v, "alg"), *tok = vstr(v, "jws_compact");
	const char *expect = vstr(v, "expect"), *why = NULL;
	const char *priv_json = vjson(v, "jwk");
	struct json_object *rnd;
	struct jwk *priv = NULL, *pub = NULL;
	struct jws *jws = NULL;
	const uint8_t *payload;
	size_t payload_len, out_len;
	char *out;
	int err;

	printf("# %s (%s, expect %s)\n", name, alg, expect);
	if (strcmp(alg, "none") == 0 || strncmp(alg, "HS", 2) == 0) {
		/* We never accept these, whatever the vector's verdict. */
		assert_int_equal(jwk_parse(priv_json, strlen(priv_json),
		    &priv, &why), PERR_UNSUPPORTED);
		assert_int_equal(jws_parse(tok, strlen(tok), &jws, &why),
		    PERR_UNSUPPORTED);
		assert_non_null(why);
		return;
	}
	assert_string_equal(expect, "valid");
	assert_int_equal(jwk_parse(priv_json, strlen(priv_json), &priv, &why),
	    PERR_OK);
	pub = public_of(priv);
	assert_int_equal(check(tok, strlen(tok), pub), PERR_OK);
	assert_int_equal(check(tok, strlen(tok), priv), PERR_OK);
	/* The public JWK as published verifies too. */
	jwk_free(pub);
	assert_int_equal(jwk_parse(vjson(v, "jwk_public"),
	    strlen(vjson(v, "jwk_public")), &pub, NULL), PERR_OK);
	assert_tamper_proof(tok, pub);
	/* Pinned to another algorithm, the same key refuses the token. */
	pub->alg = jose_alg_by_name(alg)->alg == JOSE_ALG_RS256 ?
	    JOSE_ALG_RS384 : JOSE_ALG_RS256;
	assert_int_equal(check(tok, strlen(tok), pub), PERR_VERIFY);
	/* Deterministic algorithms: signing again gives the same bytes. */
	assert_true(json_object_object_get_ex(v, "signature_randomized", &rnd));
	if (!json_object_get_boolean(rnd)) {
		assert_int_equal(jws_parse(tok, strlen(tok), &jws, NULL),
		    PERR_OK);
		payload = jws_payload(jws, &payload_len);
		priv->alg = jose_alg_by_name(alg)->alg;
		err = jws_sign(priv, NULL, payload, payload_len, &out,
		    &out_len);
		assert_int_equal(err, PERR_OK);
		assert_string_equal(out, tok);
		free(out);
		jws_free(jws);
	}
	jwk_free(priv);
	jwk_free(pub);
}

static void
test_rfc_jws_vectors(void **state)
{
	char *dir = vectors_dir("jose-jws");

	(void)state;
	if (dir == NULL)
		skip();
	assert_int_equal(for_each_vector(dir, jws_vector), 8);
	free(dir);
}

/* ---- round trips --------------------------------------------------------------- */

static const char claims[] = "{\"iss\":\"https://id.example\",\"sub\":\"u1\","
    "\"aud\":[\"client\"],\"iat\":1700000000,\"exp\":1700003600,"
    "\"nonce\":\"n-0S6_WzA2Mj\",\"type\":\"id-token\"}";

static void
test_round_trip_every_alg(void **state)
{
	const struct jose_alg_info *a;
	struct jwk *pub;
	struct jws *jws;
	char *tok;
	size_t i, len, plen;
	const uint8_t *p;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		a = jose_alg_get(all_algs[i]);
		assert_int_equal(jws_sign(keys[i], "JWT", claims,
		    strlen(claims), &tok, &len), PERR_OK);
		assert_int_equal(strlen(tok), len);
		pub = public_of(keys[i]);
		assert_int_equal(pub->alg, a->alg);
		assert_int_equal(jws_parse(tok, len, &jws, NULL), PERR_OK);
		assert_ptr_equal(jws_alg(jws), a);
		assert_string_equal(jws_kid(jws), keys[i]->kid);
		assert_string_equal(jws_typ(jws), "JWT");
		p = jws_payload(jws, &plen);
		assert_int_equal(plen, strlen(claims));
		assert_memory_equal(p, claims, plen);
		assert_int_equal(jws_verify(jws, pub, NULL), PERR_OK);
		assert_int_equal(jws_verify(jws, keys[i], NULL), PERR_OK);
		jws_free(jws);
		assert_tamper_proof(tok, pub);
		jwk_free(pub);
		free(tok);
	}
}

static void
test_wrong_key_kid_and_alg_refused(void **state)
{
	struct jwk *pub, *other;
	const char *why;
	char *tok;
	size_t i, len;
	enum jose_alg saved;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		assert_int_equal(jws_sign(keys[i], "JWT", claims,
		    strlen(claims), &tok, &len), PERR_OK);
		/* Every other key refuses it. */
		other = public_of(keys[(i + 1) % NALGS]);
		free(other->kid);
		other->kid = str_dup(keys[i]->kid);
		assert_int_equal(check(tok, len, other), PERR_VERIFY);
		jwk_free(other);
		/* The right key under another kid refuses it. */
		pub = public_of(keys[i]);
		free(pub->kid);
		pub->kid = str_dup("someone-else");
		assert_int_equal(check(tok, len, pub), PERR_VERIFY);
		/* A key without kid accepts it (kid is a hint, not a need). */
		free(pub->kid);
		pub->kid = NULL;
		assert_int_equal(check(tok, len, pub), PERR_OK);
		/* A key marked for encryption refuses it. */
		pub->use = JWK_USE_OTHER;
		assert_int_equal(check(tok, len, pub), PERR_VERIFY);
		jwk_free(pub);
		free(tok);
	}
	/* RSA: the same key signing with a sibling algorithm is refused by
	 * the key pinned to its own. */
	for (i = 0; i < 6; i++) {
		pub = public_of(keys[i]);
		saved = keys[i]->alg;
		keys[i]->alg = all_algs[(i + 3) % 6];
		assert_int_equal(jws_sign(keys[i], NULL, "x", 1, &tok, &len),
		    PERR_OK);
		keys[i]->alg = saved;
		why = NULL;
		{
			struct jws *jws;

			assert_int_equal(jws_parse(tok, len, &jws, NULL),
			    PERR_OK);
			assert_int_equal(jws_verify(jws, pub, &why),
			    PERR_VERIFY);
			assert_string_equal(why,
			    "JWS alg differs from the key's alg");
			/* Without an alg the RSA key accepts RSA algs. */
			pub->alg = JOSE_ALG_UNKNOWN;
			assert_int_equal(jws_verify(jws, pub, NULL), PERR_OK);
			jws_free(jws);
		}
		jwk_free(pub);
		free(tok);
	}
}

static void
test_none_and_hmac_never_accepted(void **state)
{
	const struct jwk *rsa = keys[0];
	char *pub_json, *h, *p, *s, tok[4096];
	uint8_t mac[32];
	const char *why;
	struct jws *jws;
	size_t len, i;
	struct crypto_key_parts parts;
	static const char *const unsecured[] = {
		"{\"alg\":\"none\"}", "{\"alg\":\"None\"}", "{\"alg\":\"NONE\"}",
		"{\"alg\":\"\"}", "{\"typ\":\"JWT\"}", "{\"alg\":null}",
		"{\"alg\":[\"RS256\"]}", "{\"alg\":\"RS256 \"}",
	};

	(void)state;
	p = b64url_encode((const uint8_t *)claims, strlen(claims), NULL);
	for (i = 0; i < sizeof(unsecured) / sizeof(unsecured[0]); i++) {
		h = b64url_encode((const uint8_t *)unsecured[i],
		    strlen(unsecured[i]), NULL);
		/* Empty signature and a made-up one. */
		snprintf(tok, sizeof(tok), "%s.%s.", h, p);
		assert_int_not_equal(jws_parse(tok, strlen(tok), &jws, NULL),
		    PERR_OK);
		snprintf(tok, sizeof(tok), "%s.%s.AAAA", h, p);
		assert_int_not_equal(jws_parse(tok, strlen(tok), &jws, &why),
		    PERR_OK);
		assert_int_not_equal(check(tok, strlen(tok), rsa), PERR_OK);
		free(h);
	}
	/* HS256 keyed with the public key (JSON text, and the raw modulus):
	 * the classic algorithm-confusion forgery. */
	assert_int_equal(jwk_to_json(rsa, false, &pub_json, &len), PERR_OK);
	assert_int_equal(crypto_pkey_export(rsa->pkey, false, &parts), PERR_OK);
	h = b64url_encode((const uint8_t *)"{\"alg\":\"HS256\",\"kid\":\"kid-0\"}",
	    29, NULL);
	for (i = 0; i < 2; i++) {
		snprintf(tok, sizeof(tok), "%s.%s", h, p);
		if (i == 0)
			crypto_hmac(CRYPTO_HASH_SHA256, (uint8_t *)pub_json, len,
			    tok, strlen(tok), mac);
		else
			crypto_hmac(CRYPTO_HASH_SHA256, parts.n.p, parts.n.len,
			    tok, strlen(tok), mac);
		s = b64url_encode(mac, sizeof(mac), NULL);
		snprintf(tok, sizeof(tok), "%s.%s.%s", h, p, s);
		free(s);
		why = NULL;
		assert_int_equal(jws_parse(tok, strlen(tok), &jws, &why),
		    PERR_UNSUPPORTED);
		assert_string_equal(why, "HMAC JWS algorithms are not accepted");
		assert_int_not_equal(check(tok, strlen(tok), rsa), PERR_OK);
	}
	crypto_key_parts_clear(&parts);
	free(h);
	free(p);
	free(pub_json);
}

static void
test_header_rules(void **state)
{
	const struct jwk *es = keys[6];
	const struct jose_alg_info *a = jose_alg_get(JOSE_ALG_ES256);
	static const struct {
		const char *header;
		int err;
	} cases[] = {
		{ "{\"alg\":\"ES256\",\"crit\":[\"exp\"],\"exp\":1}",
		  PERR_UNSUPPORTED },
		{ "{\"alg\":\"ES256\",\"crit\":[]}", PERR_INVALID },
		{ "{\"alg\":\"ES256\",\"crit\":\"exp\"}", PERR_INVALID },
		{ "{\"alg\":\"ES256\",\"crit\":[1]}", PERR_INVALID },
		{ "{\"alg\":\"ES256\",\"b64\":false,\"crit\":[\"b64\"]}",
		  PERR_UNSUPPORTED },
		{ "{\"alg\":\"ES256\",\"enc\":\"A128GCM\"}", PERR_UNSUPPORTED },
		{ "{\"alg\":\"ES256\",\"zip\":\"DEF\"}", PERR_UNSUPPORTED },
		{ "{\"alg\":\"ES256\",\"kid\":7}", PERR_INVALID },
		{ "{\"alg\":\"ES256\",\"kid\":\"a\\u0000b\"}", PERR_INVALID },
		{ "{\"alg\":\"ES256\",\"typ\":[\"JWT\"]}", PERR_INVALID },
		{ "{\"alg\":\"ES256K\"}", PERR_UNSUPPORTED },
		{ "{\"alg\":\"es256\"}", PERR_UNSUPPORTED },
		{ "[\"alg\",\"ES256\"]", PERR_INVALID },
		{ "{\"alg\":\"ES256\"} ", PERR_OK },
		{ "{\"alg\":\"ES256\",\"b64\":true}", PERR_OK },
		{ "{\"alg\":\"ES256\",\"jku\":\"https://evil\",\"x5u\":\"x\"}",
		  PERR_OK },
	};
	struct jws *jws;
	char *tok;
	size_t i;
	int err;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tok = hand_signed(es, a, cases[i].header, claims);
		err = jws_parse(tok, strlen(tok), &jws, NULL);
		assert_int_equal(err, cases[i].err);
		if (err == PERR_OK) {
			assert_int_equal(jws_verify(jws, es, NULL), PERR_OK);
			jws_free(jws);
		}
		free(tok);
	}
}

static void
test_structure_and_limits(void **state)
{
	static const char *const bad[] = {
		"", ".", "..", "...", "a.b", "a.b.c.d", "a.b.c.d.e",
		"eyJhbGciOiJFUzI1NiJ9..", "eyJhbGciOiJFUzI1NiJ9.e30",
		"eyJhbGciOiJFUzI1NiJ9.e30.AAAA=",
		"eyJhbGciOiJFUzI1NiJ9=.e30.AAAA",
		"eyJhbGciOiJFUzI1NiJ9.e30 .AAAA",
		"eyJhbGciOiJFUzI1NiJ9.e30.AA+A",
		" eyJhbGciOiJFUzI1NiJ9.e30.AAAA",
	};
	struct jws *jws;
	char *big;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(jws_parse(bad[i], strlen(bad[i]), &jws, NULL),
		    PERR_INVALID);
	/* The token ends at len: a NUL or trailing bytes inside do not count. */
	assert_int_equal(jws_parse("eyJhbGciOiJFUzI1NiJ9.e30.AA\0A", 29, &jws,
	    NULL), PERR_INVALID);
	big = malloc(JOSE_JWS_MAX_LEN + 2);
	assert_non_null(big);
	memset(big, 'A', JOSE_JWS_MAX_LEN + 1);
	big[10] = '.';
	big[20] = '.';
	assert_int_equal(jws_parse(big, JOSE_JWS_MAX_LEN + 1, &jws, NULL),
	    PERR_TOO_LARGE);
	big[10] = 'A';
	big[20] = 'A';
	big[JOSE_JWS_HEADER_MAX_LEN + 1] = '.';
	big[JOSE_JWS_HEADER_MAX_LEN + 10] = '.';
	assert_int_equal(jws_parse(big, JOSE_JWS_HEADER_MAX_LEN + 30, &jws,
	    NULL), PERR_TOO_LARGE);
	/* One character less is within the limit (and then not JSON). */
	assert_int_equal(jws_parse(big + 1, JOSE_JWS_HEADER_MAX_LEN + 29, &jws,
	    NULL), PERR_INVALID);
	free(big);
	/* ECDSA signatures of the wrong length never reach DER conversion. */
	{
		char *tok = hand_signed(keys[6], jose_alg_get(JOSE_ALG_ES256),
		    "{\"alg\":\"ES256\"}", "{}");
		char *fake;
		const char *why = NULL;
		uint8_t der[72];
		size_t n;

		/* Replace the signature with a 72-byte DER-looking blob. */
		memset(der, 0x30, sizeof(der));
		fake = b64url_encode(der, sizeof(der), &n);
		*strrchr(tok, '.') = '\0';
		{
			struct wbuf w;
			size_t tl;
			char *t2;

			wbuf_init(&w);
			wbuf_printf(&w, "%s.%s", tok, fake);
			t2 = wbuf_steal(&w, &tl);
			assert_int_equal(jws_parse(t2, tl, &jws, NULL),
			    PERR_OK);
			assert_int_equal(jws_verify(jws, keys[6], &why),
			    PERR_VERIFY);
			assert_string_equal(why,
			    "JWS signature has the wrong length");
			jws_free(jws);
			free(t2);
		}
		free(fake);
		free(tok);
	}
	/* Signing a public key or a keyless-alg RSA key is refused. */
	{
		struct jwk *pub = public_of(keys[0]);
		char *tok;
		size_t n;

		assert_int_equal(jws_sign(pub, NULL, "x", 1, &tok, &n),
		    PERR_INVALID);
		jwk_free(pub);
	}
}

/* ---- JWT claims ------------------------------------------------------------------ */

static int
verify_claims(const char *payload, const struct jwt_expect *e,
    const char *typ, const char **why)
{
	char *tok;
	size_t len;
	int err;

	assert_int_equal(jws_sign(keys[6], typ, payload, strlen(payload),
	    &tok, &len), PERR_OK);
	err = jwt_verify(tok, len, keys[6], e, NULL, why);
	free(tok);
	return err;
}

static void
test_jwt_times_with_skew(void **state)
{
	struct jwt_expect e;
	const char *why = NULL;
	char p[256];

	(void)state;
	memset(&e, 0, sizeof(e));
	e.now = 1000000;
	e.skew = 0;
	snprintf(p, sizeof(p), "{\"exp\":%d}", 1000000);
	assert_int_equal(verify_claims(p, &e, NULL, &why), PERR_EXPIRED);
	assert_string_equal(why, "JWT has expired");
	snprintf(p, sizeof(p), "{\"exp\":%d}", 1000001);
	assert_int_equal(verify_claims(p, &e, NULL, NULL), PERR_OK);
	e.skew = 30;
	snprintf(p, sizeof(p), "{\"exp\":%d}", 1000000 - 29);
	assert_int_equal(verify_claims(p, &e, NULL, NULL), PERR_OK);
	snprintf(p, sizeof(p), "{\"exp\":%d}", 1000000 - 30);
	assert_int_equal(verify_claims(p, &e, NULL, NULL), PERR_EXPIRED);
	snprintf(p, sizeof(p), "{\"nbf\":%d}", 1000000 + 30);
	assert_int_equal(verify_claims(p, &e, NULL, NULL), PERR_OK);
	snprintf(p, sizeof(p), "{\"nbf\":%d}", 1000000 + 31);
	assert_int_equal(verify_claims(p, &e, NULL, NULL), PERR_EXPIRED);
	snprintf(p, sizeof(p), "{\"iat\":%d}", 1000000 + 30);
	assert_int_equal(verify_claims(p, &e, NULL, NULL), PERR_OK);
	snprintf(p, sizeof(p), "{\"iat\":%d}", 1000000 + 31);
	assert_int_equal(verify_claims(p, &e, NULL, NULL), PERR_EXPIRED);
	/* Fractional NumericDates are allowed. */
	assert_int_equal(verify_claims("{\"exp\":1000100.5}", &e, NULL, NULL),
	    PERR_OK);
	/* Required claims. */
	e.exp_required = true;
	assert_int_equal(verify_claims("{}", &e, NULL, &why), PERR_VERIFY);
	assert_string_equal(why, "JWT has no exp");
	e.exp_required = false;
	e.iat_required = true;
	assert_int_equal(verify_claims("{}", &e, NULL, NULL), PERR_VERIFY);
	e.iat_required = false;
	/* Bad dates. */
	assert_int_equal(verify_claims("{\"exp\":\"2000000\"}", &e, NULL,
	    NULL), PERR_INVALID);
	assert_int_equal(verify_claims("{\"exp\":-1}", &e, NULL, NULL),
	    PERR_INVALID);
	assert_int_equal(verify_claims("{\"exp\":1e300}", &e, NULL, NULL),
	    PERR_INVALID);
	assert_int_equal(verify_claims("{\"exp\":99999999999999999999}", &e,
	    NULL, NULL), PERR_INVALID);
	assert_int_equal(verify_claims("{\"nbf\":true}", &e, NULL, NULL),
	    PERR_INVALID);
	/* Claims must be an object. */
	assert_int_equal(verify_claims("[1]", &e, NULL, NULL), PERR_INVALID);
	assert_int_equal(verify_claims("", &e, NULL, NULL), PERR_INVALID);
	/* Bad expectations. */
	e.skew = -1;
	assert_int_equal(verify_claims("{}", &e, NULL, NULL), PERR_INVALID);
}

static void
test_jwt_iss_aud_typ(void **state)
{
	struct jwt_expect e;
	struct jwt_claims *c = NULL;
	const char *why = NULL;
	char *tok;
	size_t len;
	int64_t v;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.now = 1700000100;
	e.skew = 30;
	e.iss = "https://id.example";
	e.aud = "client";
	e.typ = "JWT";
	e.exp_required = true;
	assert_int_equal(jws_sign(keys[6], "JWT", claims, strlen(claims), &tok,
	    &len), PERR_OK);
	assert_int_equal(jwt_verify(tok, len, keys[6], &e, &c, &why), PERR_OK);
	assert_string_equal(jwt_claims_string(c, "sub"), "u1");
	assert_string_equal(jwt_claims_string(c, "nonce"), "n-0S6_WzA2Mj");
	assert_null(jwt_claims_string(c, "exp"));
	assert_null(jwt_claims_string(c, "missing"));
	assert_int_equal(jwt_claims_int64(c, "exp", &v), PERR_OK);
	assert_int_equal(v, 1700003600);
	assert_int_equal(jwt_claims_int64(c, "nope", &v), PERR_NOT_FOUND);
	assert_int_equal(jwt_claims_int64(c, "sub", &v), PERR_INVALID);
	assert_int_equal(jwt_claims_aud_count(c), 1);
	assert_string_equal(jwt_claims_aud(c, 0), "client");
	assert_null(jwt_claims_aud(c, 1));
	jwt_claims_free(c);
	e.iss = "https://id.example/";
	assert_int_equal(jwt_verify(tok, len, keys[6], &e, &c, &why),
	    PERR_VERIFY);
	assert_null(c);
	e.iss = "https://id.example";
	e.aud = "other";
	assert_int_equal(jwt_verify(tok, len, keys[6], &e, NULL, &why),
	    PERR_VERIFY);
	assert_string_equal(why, "JWT aud does not include us");
	e.aud = "client";
	e.typ = "at+jwt";
	assert_int_equal(jwt_verify(tok, len, keys[6], &e, NULL, &why),
	    PERR_VERIFY);
	e.now = 1700003600 + 30;
	e.typ = NULL;
	assert_int_equal(jwt_verify(tok, len, keys[6], &e, NULL, &why),
	    PERR_EXPIRED);
	free(tok);

	memset(&e, 0, sizeof(e));
	e.now = 1;
	e.aud = "b";
	assert_int_equal(verify_claims("{\"aud\":\"b\"}", &e, NULL, NULL),
	    PERR_OK);
	assert_int_equal(verify_claims("{\"aud\":[\"a\",\"b\"]}", &e, NULL,
	    NULL), PERR_OK);
	assert_int_equal(verify_claims("{\"aud\":[]}", &e, NULL, NULL),
	    PERR_VERIFY);
	assert_int_equal(verify_claims("{}", &e, NULL, NULL), PERR_VERIFY);
	assert_int_equal(verify_claims("{\"aud\":[\"a\",2]}", &e, NULL, NULL),
	    PERR_INVALID);
	assert_int_equal(verify_claims("{\"aud\":{\"b\":1}}", &e, NULL, NULL),
	    PERR_INVALID);
	assert_int_equal(verify_claims("{\"aud\":\"b\",\"iss\":5}", &e, NULL,
	    NULL), PERR_INVALID);
	/* typ: case-insensitive, "application/" optional, may be required. */
	e.typ = "at+jwt";
	assert_int_equal(verify_claims("{\"aud\":\"b\"}", &e,
	    "application/AT+JWT", NULL), PERR_OK);
	assert_int_equal(verify_claims("{\"aud\":\"b\"}", &e, "at+jwt", NULL),
	    PERR_OK);
	assert_int_equal(verify_claims("{\"aud\":\"b\"}", &e, NULL, NULL),
	    PERR_OK);
	e.typ_required = true;
	assert_int_equal(verify_claims("{\"aud\":\"b\"}", &e, NULL, &why),
	    PERR_VERIFY);
	assert_string_equal(why, "JWT typ is missing");
	assert_int_equal(verify_claims("{\"aud\":\"b\"}", &e, "JWT", NULL),
	    PERR_VERIFY);
}

static void
test_jwt_verify_set_picks_by_kid(void **state)
{
	struct jwks set;
	struct jwk *ks[3];
	struct jwt_expect e;
	const char *why = NULL;
	char *tok;
	size_t len, i;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.now = 1;
	for (i = 0; i < 3; i++)
		ks[i] = public_of(keys[6 + i]);
	set.keys = ks;
	set.n = 3;
	assert_int_equal(jws_sign(keys[7], "JWT", "{}", 2, &tok, &len),
	    PERR_OK);
	assert_int_equal(jwt_verify_set(tok, len, &set, &e, NULL, &why),
	    PERR_OK);
	free(tok);
	/* Unknown kid. */
	assert_int_equal(jws_sign(keys[0], "JWT", "{}", 2, &tok, &len),
	    PERR_OK);
	assert_int_equal(jwt_verify_set(tok, len, &set, &e, NULL, &why),
	    PERR_VERIFY);
	assert_string_equal(why, "no key with the JWS kid");
	free(tok);
	/* No kid: every key is tried. */
	{
		char *kid = keys[8]->kid;

		keys[8]->kid = NULL;
		assert_int_equal(jws_sign(keys[8], NULL, "{}", 2, &tok, &len),
		    PERR_OK);
		keys[8]->kid = kid;
	}
	assert_int_equal(jwt_verify_set(tok, len, &set, &e, NULL, NULL),
	    PERR_OK);
	set.n = 2;
	assert_int_equal(jwt_verify_set(tok, len, &set, &e, NULL, &why),
	    PERR_VERIFY);
	free(tok);
	for (i = 0; i < 3; i++)
		jwk_free(ks[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc_jws_vectors),
		cmocka_unit_test(test_round_trip_every_alg),
		cmocka_unit_test(test_wrong_key_kid_and_alg_refused),
		cmocka_unit_test(test_none_and_hmac_never_accepted),
		cmocka_unit_test(test_header_rules),
		cmocka_unit_test(test_structure_and_limits),
		cmocka_unit_test(test_jwt_times_with_skew),
		cmocka_unit_test(test_jwt_iss_aud_typ),
		cmocka_unit_test(test_jwt_verify_set_picks_by_kid),
	};

	return cmocka_run_group_tests(tests, setup_keys, teardown_keys);
}
