/*
 * Unit tests for src/keys that need no PostgreSQL: Pocket ID's derivations
 * and sealed formats against known answers computed independently, the
 * key check value, tampering and truncation, the normalisation of stored
 * JWKs, and the keyring's choice of signer and JWKS over time. The
 * database side (bootstrap, rotations, LISTEN/NOTIFY) is covered by
 * tests/e2e/keys.test.mjs.
 *
 * The known answers were computed with Python (hashlib, hmac and the
 * "cryptography" package's HKDF and AESGCM), not with this code:
 *   ek  = b"pocket-id test vector encryption key"
 *   iid = "5b1e4a9c-7d3f-4c2a-9e8b-0f1d2c3b4a59"
 *   kek = HMAC-SHA3-256(ek, "pocketid/" + iid + "/jwk-kek")
 *   sk  = HKDF-SHA256(ek, salt=None, info="pocketid/encrypted_string")
 *   sealed_jwk = b64(n1 + AESGCM(kek).encrypt(n1, JWK_JSON, None)),
 *                n1 = bytes 00..0b
 *   sealed_str = b64(n2 + AESGCM(sk).encrypt(n2, "s3cret SMTP password",
 *                "encrypted_string")), n2 = bytes a0..ab
 *   check      = b64(n3 + AESGCM(sk).encrypt(n3, KEYS_CHECK_PLAIN,
 *                "pocketid/encryption-key-check")), n3 = bytes 50..5b
 * JWK_JSON is RFC 7515 A.3's P-256 key with kid, alg and use, ending in
 * a newline as Go's json.Encoder (Pocket ID) writes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "jose/jose.h"
#include "keys/internal.h"

#define VEC_EK "pocket-id test vector encryption key"
#define VEC_IID "5b1e4a9c-7d3f-4c2a-9e8b-0f1d2c3b4a59"
#define VEC_KEK \
	"e4e12de673b2286117676e20cdc0b0cbb521f5ca4d9db7a3f573d6f84a6c54bc"
#define VEC_SK \
	"206143192b8ac506f7f4152a9849213725644e0f23ad8edb50143e3a0322580b"
#define VEC_JWK \
	"{\"alg\":\"ES256\",\"crv\":\"P-256\"," \
	"\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\"," \
	"\"kid\":\"vec-kid-1\",\"kty\":\"EC\",\"use\":\"sig\"," \
	"\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\"," \
	"\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}\n"
#define VEC_SEALED_JWK \
	"AAECAwQFBgcICQoLoL1wbfsYksMVVxfw4LlRtJ+xLHYTvWr04BycJaO4zh4Uja0tnn" \
	"ov1hKFVhJdTUCc0nZSFTnsCTyYZVSOoQpr0j+OIH6RNNCWLHnndz+ZHa29Ovbq2OVq" \
	"a0PnAIsR6/bPxKKyPL2P6Pf62Q9zxvXB/ZfHDkqvLhfnJzCbODiqeSm2uxubB4uP2z" \
	"ut+Z2mszNaoPsP+6APHaQPKYKbi0vbTW0ddiD0pbVR7IqnZhPjBodQGuWBYOsvAAfW" \
	"4lyxaD0QEPY7cuFCYqq9QOBTdZzxp1HkZIhy0NGtuUfm0NIn8DdUPboDgr4wd1Sdm9" \
	"8V"
#define VEC_STRING "s3cret SMTP password"
#define VEC_SEALED_STRING \
	"oKGio6Slpqeoqaqrmf+5YOKLjUtD8PxEYmNqkRkiwgT6WEFo+zYR5yY3K+k0eRl7"
#define VEC_CHECK \
	"UFFSU1RVVldYWVpbaJ9m279O++EMmSs5icv6FfXS/BwSNJrO+Z9ZIxZurx8lY7hnTbpq" \
	"Br/I9ptPw5jxi3i/O7Caic37Os4PvC7b"

static const uint8_t *
ek(void)
{
	return (const uint8_t *)VEC_EK;
}

static void
derive(struct keys_master *m, const char *key, const char *iid)
{
	assert_int_equal(keys_master_derive((const uint8_t *)key, strlen(key),
	    iid, m), PERR_OK);
}

static void
assert_hex(const uint8_t *bytes, size_t n, const char *hex)
{
	char *got = hex_encode(bytes, n);

	assert_non_null(got);
	assert_string_equal(got, hex);
	free(got);
}

static void
nonce_from(uint8_t first, uint8_t nonce[CRYPTO_GCM_NONCE_LEN])
{
	size_t i;

	for (i = 0; i < CRYPTO_GCM_NONCE_LEN; i++)
		nonce[i] = (uint8_t)(first + i);
}

static void
test_derivations(void **state)
{
	struct keys_master m;

	(void)state;
	derive(&m, VEC_EK, VEC_IID);
	assert_true(m.has_jwk_kek);
	assert_hex(m.jwk_kek, sizeof(m.jwk_kek), VEC_KEK);
	assert_hex(m.string_key, sizeof(m.string_key), VEC_SK);
	/* Without an instance id: the string key only. */
	derive(&m, VEC_EK, NULL);
	assert_false(m.has_jwk_kek);
	assert_hex(m.string_key, sizeof(m.string_key), VEC_SK);
	keys_master_wipe(&m);
	/* ENCRYPTION_KEY shorter than 16 bytes, empty instance id. */
	assert_int_equal(keys_master_derive((const uint8_t *)"short", 5, NULL,
	    &m), PERR_INVALID);
	assert_int_equal(keys_master_derive(NULL, 0, NULL, &m), PERR_INVALID);
	assert_int_equal(keys_master_derive(ek(), strlen(VEC_EK), "", &m),
	    PERR_INVALID);
}

static void
test_pocket_id_jwk_opens(void **state)
{
	struct keys_master m;
	uint8_t nonce[CRYPTO_GCM_NONCE_LEN];
	struct jwk *key = NULL;
	char *json = NULL, *sealed = NULL;
	size_t len = 0;

	(void)state;
	derive(&m, VEC_EK, VEC_IID);
	assert_int_equal(keys_open_jwk(&m, VEC_SEALED_JWK, &json, &len),
	    PERR_OK);
	assert_int_equal(len, strlen(VEC_JWK));
	assert_memory_equal(json, VEC_JWK, len);
	crypto_secret_free(json, len);
	/* Our sealing with the same nonce gives the same bytes. */
	nonce_from(0, nonce);
	assert_int_equal(keys_seal_raw(m.jwk_kek, nonce, NULL, VEC_JWK,
	    strlen(VEC_JWK), &sealed), PERR_OK);
	assert_string_equal(sealed, VEC_SEALED_JWK);
	free(sealed);
	/* And it parses as a signing key. */
	assert_int_equal(keys_open_key(&m, VEC_SEALED_JWK, &key), PERR_OK);
	assert_string_equal(key->kid, "vec-kid-1");
	assert_int_equal(key->alg, JOSE_ALG_ES256);
	assert_true(key->info.has_private);
	jwk_free(key);
	keys_master_wipe(&m);
}

static void
test_jwk_wrong_key_or_instance(void **state)
{
	struct keys_master m;
	char *json = NULL;
	size_t len = 0;

	(void)state;
	derive(&m, "another key of twenty bytes", VEC_IID);
	assert_int_equal(keys_open_jwk(&m, VEC_SEALED_JWK, &json, &len),
	    PERR_WRONG_KEY);
	assert_null(json);
	derive(&m, VEC_EK, "5b1e4a9c-7d3f-4c2a-9e8b-0f1d2c3b4a5a");
	assert_int_equal(keys_open_jwk(&m, VEC_SEALED_JWK, &json, &len),
	    PERR_WRONG_KEY);
	/* No KEK without an instance id. */
	derive(&m, VEC_EK, NULL);
	assert_int_equal(keys_open_jwk(&m, VEC_SEALED_JWK, &json, &len),
	    PERR_INVALID);
	assert_int_equal(keys_seal_jwk(&m, "{}", 2, &json), PERR_INVALID);
	keys_master_wipe(&m);
}

static void
test_sealed_strings(void **state)
{
	struct keys_master m, other;
	uint8_t nonce[CRYPTO_GCM_NONCE_LEN];
	char *plain = NULL, *sealed = NULL;
	size_t len = 0;

	(void)state;
	derive(&m, VEC_EK, NULL);
	assert_int_equal(keys_open_string(&m, VEC_SEALED_STRING, &plain, &len),
	    PERR_OK);
	assert_int_equal(len, strlen(VEC_STRING));
	assert_string_equal(plain, VEC_STRING);
	crypto_secret_free(plain, len);
	nonce_from(0xa0, nonce);
	assert_int_equal(keys_seal_raw(m.string_key, nonce, KEYS_STRING_AAD,
	    VEC_STRING, strlen(VEC_STRING), &sealed), PERR_OK);
	assert_string_equal(sealed, VEC_SEALED_STRING);
	free(sealed);
	/* Round trip with a random nonce: two sealings differ. */
	assert_int_equal(keys_seal_string(&m, "abc", 3, &sealed), PERR_OK);
	assert_string_not_equal(sealed, VEC_SEALED_STRING);
	assert_int_equal(keys_open_string(&m, sealed, &plain, &len), PERR_OK);
	assert_string_equal(plain, "abc");
	crypto_secret_free(plain, len);
	derive(&other, "another key of twenty bytes", NULL);
	assert_int_equal(keys_open_string(&other, sealed, &plain, &len),
	    PERR_WRONG_KEY);
	free(sealed);
	/* Pocket ID keeps an empty secret as "". */
	assert_int_equal(keys_seal_string(&m, "", 0, &sealed), PERR_OK);
	assert_string_equal(sealed, "");
	assert_int_equal(keys_open_string(&m, sealed, &plain, &len), PERR_OK);
	assert_int_equal(len, 0);
	assert_string_equal(plain, "");
	crypto_secret_free(plain, len);
	free(sealed);
	/* The AAD separates uses: a JWK-style sealing does not open. */
	assert_int_equal(keys_seal_raw(m.string_key, NULL, NULL, "x", 1,
	    &sealed), PERR_OK);
	assert_int_equal(keys_open_string(&m, sealed, &plain, &len),
	    PERR_WRONG_KEY);
	free(sealed);
	keys_master_wipe(&m);
	keys_master_wipe(&other);
}

static void
test_check_value(void **state)
{
	struct keys_master m, other;
	uint8_t nonce[CRYPTO_GCM_NONCE_LEN];
	char *check = NULL, *sealed = NULL;

	(void)state;
	derive(&m, VEC_EK, VEC_IID);
	derive(&other, "another key of twenty bytes", VEC_IID);
	/* The format is pinned: an independently made value verifies. */
	assert_int_equal(keys_check_value_verify(&m, VEC_CHECK), PERR_OK);
	nonce_from(0x50, nonce);
	assert_int_equal(keys_seal_raw(m.string_key, nonce, KEYS_CHECK_AAD,
	    KEYS_CHECK_PLAIN, strlen(KEYS_CHECK_PLAIN), &sealed), PERR_OK);
	assert_string_equal(sealed, VEC_CHECK);
	free(sealed);
	assert_int_equal(keys_check_value_make(&m, &check), PERR_OK);
	assert_int_equal(keys_check_value_verify(&m, check), PERR_OK);
	/* A wrong ENCRYPTION_KEY is told apart from everything else. */
	assert_int_equal(keys_check_value_verify(&other, check),
	    PERR_WRONG_KEY);
	assert_int_equal(keys_check_value_verify(&other, VEC_CHECK),
	    PERR_WRONG_KEY);
	free(check);
	/* A stored secret is not a check value (other AAD). */
	assert_int_equal(keys_check_value_verify(&m, VEC_SEALED_STRING),
	    PERR_WRONG_KEY);
	/* Right key and AAD, other plaintext: damaged, not a wrong key. */
	assert_int_equal(keys_seal_raw(m.string_key, NULL, KEYS_CHECK_AAD,
	    "something else", 14, &sealed), PERR_OK);
	assert_int_equal(keys_check_value_verify(&m, sealed), PERR_INVALID);
	free(sealed);
	assert_int_equal(keys_check_value_verify(&m, "not base64!"),
	    PERR_INVALID);
	assert_int_equal(keys_check_value_verify(&m, ""), PERR_INVALID);
	keys_master_wipe(&m);
	keys_master_wipe(&other);
}

/* Every flipped bit of the sealed bytes is refused as a wrong key. */
static void
test_tampering(void **state)
{
	struct keys_master m;
	uint8_t *raw = NULL;
	char *text, *json = NULL;
	size_t raw_len = 0, i, len = 0;

	(void)state;
	derive(&m, VEC_EK, VEC_IID);
	assert_int_equal(b64_decode(VEC_SEALED_JWK, strlen(VEC_SEALED_JWK),
	    &raw, &raw_len), PERR_OK);
	for (i = 0; i < raw_len; i++) {
		raw[i] ^= 0x01;
		text = b64_encode(raw, raw_len, NULL);
		assert_non_null(text);
		assert_int_equal(keys_open_jwk(&m, text, &json, &len),
		    PERR_WRONG_KEY);
		assert_null(json);
		free(text);
		raw[i] ^= 0x01;
	}
	free(raw);
	keys_master_wipe(&m);
}

/* Truncation of the text at every offset: a clean error, never a crash. */
static void
test_truncation(void **state)
{
	const char *full = VEC_SEALED_JWK;
	struct keys_master m;
	char *cut, *json = NULL;
	size_t n, len = 0;
	int err;

	(void)state;
	derive(&m, VEC_EK, VEC_IID);
	for (n = 0; n < strlen(full); n++) {
		cut = str_ndup(full, n);
		assert_non_null(cut);
		err = keys_open_jwk(&m, cut, &json, &len);
		assert_true(err == PERR_INVALID || err == PERR_WRONG_KEY);
		assert_null(json);
		err = keys_open_string(&m, cut, &json, &len);
		if (n == 0) {
			assert_int_equal(err, PERR_OK);
			crypto_secret_free(json, len);
			json = NULL;
		} else {
			assert_true(err == PERR_INVALID ||
			    err == PERR_WRONG_KEY);
		}
		free(cut);
	}
	keys_master_wipe(&m);
}

static void
test_jwk_normalisation(void **state)
{
	static const char bare[] =
	    "{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\","
	    "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
	    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";
	static const char public_only[] =
	    "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"p\",\"alg\":\"ES256\","
	    "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
	    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";
	static const char for_encryption[] =
	    "{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"enc\",\"kid\":\"e\","
	    "\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\","
	    "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
	    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";
	struct jwk *key = NULL;
	char *thumb = NULL, *json = NULL;
	size_t len;

	(void)state;
	assert_int_equal(keys_jwk_from_json(bare, strlen(bare), &key),
	    PERR_OK);
	assert_int_equal(key->alg, JOSE_ALG_ES256);
	assert_int_equal(key->use, JWK_USE_SIG);
	assert_true(key->info.has_private);
	/* RFC 7638 §3.1-style thumbprint of the key as its kid. */
	assert_int_equal(jwk_thumbprint(key, CRYPTO_HASH_SHA256, &thumb),
	    PERR_OK);
	assert_string_equal(key->kid, thumb);
	/* And it serialises with every member a JWKS entry needs. */
	assert_int_equal(jwk_to_json(key, false, &json, &len), PERR_OK);
	assert_non_null(strstr(json, "\"use\":\"sig\""));
	assert_non_null(strstr(json, "\"alg\":\"ES256\""));
	assert_null(strstr(json, "\"d\""));
	free(json);
	free(thumb);
	jwk_free(key);
	assert_int_equal(keys_jwk_from_json(public_only, strlen(public_only),
	    &key), PERR_INVALID);
	assert_null(key);
	assert_int_equal(keys_jwk_from_json(for_encryption,
	    strlen(for_encryption), &key), PERR_INVALID);
	assert_int_equal(keys_jwk_from_json("{", 1, &key), PERR_INVALID);
}

/* ---- keyring ----------------------------------------------------------- */

static struct ring_key
ring_key(const char *kid, int64_t signs_from, int64_t verify_until)
{
	struct ring_key k;

	memset(&k, 0, sizeof(k));
	assert_int_equal(jwk_generate(JOSE_ALG_ES256, 0, kid, &k.jwk),
	    PERR_OK);
	k.signs_from = signs_from;
	k.is_retired = verify_until != 0;
	k.verify_until = verify_until;
	return k;
}

/*
 * A signed at 1000 and was retired at 2000 (verifies until 5000), B signed
 * from 2000 until 3000 (verifies until 9000), C signs from 3000.
 */
static struct keyring *
three_key_ring(void)
{
	struct keyring *kr = NULL;
	struct ring_key *keys = calloc(3, sizeof(*keys));

	assert_non_null(keys);
	assert_int_equal(keys_ring_new(ek(), strlen(VEC_EK), &kr), PERR_OK);
	keys[0] = ring_key("A", 1000, 5000);
	keys[1] = ring_key("B", 2000, 9000);
	keys[2] = ring_key("C", 3000, 0);
	assert_int_equal(keys_ring_set(kr, keys, 3), PERR_OK);
	return kr;
}

/* The kids of the JWKS at now, in order, as "A,B,...". */
static void
jwks_kids(struct keyring *kr, int64_t now, char *out, size_t size)
{
	struct jwks *set = NULL;
	const char *json = NULL;
	size_t len = 0, i;

	assert_int_equal(keys_ring_jwks(kr, now, &json, &len), PERR_OK);
	assert_int_equal(strlen(json), len);
	assert_null(strstr(json, "\"d\""));	/* public members only */
	assert_int_equal(jwks_parse(json, len, &set, NULL), PERR_OK);
	out[0] = '\0';
	for (i = 0; i < set->n; i++) {
		assert_int_equal(set->keys[i]->use, JWK_USE_SIG);
		assert_int_equal(set->keys[i]->alg, JOSE_ALG_ES256);
		if (i > 0)
			strncat(out, ",", size - strlen(out) - 1);
		strncat(out, set->keys[i]->kid, size - strlen(out) - 1);
	}
	jwks_free(set);
}

static void
test_ring_signer_and_jwks_over_time(void **state)
{
	struct keyring *kr = three_key_ring();
	char kids[64];

	(void)state;
	/* Before C's time: the pre-published key is in the JWKS, unused. */
	assert_string_equal(keys_ring_signer(kr, 1500)->kid, "A");
	jwks_kids(kr, 1500, kids, sizeof(kids));
	assert_string_equal(kids, "A,C,B");
	assert_string_equal(keys_ring_signer(kr, 2500)->kid, "B");
	jwks_kids(kr, 2500, kids, sizeof(kids));
	assert_string_equal(kids, "B,C,A");
	assert_string_equal(keys_ring_signer(kr, 3000)->kid, "C");
	jwks_kids(kr, 4999, kids, sizeof(kids));
	assert_string_equal(kids, "C,B,A");
	/* A's tokens have expired: it drops out, by the clock alone. */
	jwks_kids(kr, 5000, kids, sizeof(kids));
	assert_string_equal(kids, "C,B");
	jwks_kids(kr, 9000, kids, sizeof(kids));
	assert_string_equal(kids, "C");
	/* A clock that runs behind the database: the oldest signs. */
	assert_string_equal(keys_ring_signer(kr, 10)->kid, "A");
	assert_true(keys_ring_is_ready(kr, 10));
	keys_ring_free(kr);
}

static void
test_ring_sign_and_verify_overlap(void **state)
{
	struct keyring *kr = three_key_ring();
	struct jwt_expect expect;
	struct jwt_claims *claims = NULL;
	struct jws *jws = NULL;
	const char *why = NULL;
	char *by_a = NULL, *by_c = NULL;
	size_t len = 0;

	(void)state;
	memset(&expect, 0, sizeof(expect));
	assert_int_equal(keys_sign_jwt(kr, 1500, "JWT", "{\"sub\":\"u1\"}",
	    12, &by_a, &len), PERR_OK);
	assert_int_equal(strlen(by_a), len);
	assert_int_equal(jws_parse(by_a, len, &jws, NULL), PERR_OK);
	assert_string_equal(jws_kid(jws), "A");
	assert_string_equal(jws_typ(jws), "JWT");
	jws_free(jws);
	assert_int_equal(keys_sign_jwt(kr, 3500, NULL, "{\"sub\":\"u2\"}",
	    12, &by_c, &len), PERR_OK);
	/* After the rotations A's token still verifies... */
	expect.now = 4000;
	assert_int_equal(keys_verify_jwt(kr, by_a, strlen(by_a), &expect,
	    &claims, &why), PERR_OK);
	assert_string_equal(jwt_claims_string(claims, "sub"), "u1");
	jwt_claims_free(claims);
	assert_int_equal(keys_verify_jwt(kr, by_c, strlen(by_c), &expect,
	    NULL, &why), PERR_OK);
	/* ... until A is no longer published. */
	expect.now = 5000;
	assert_int_equal(keys_verify_jwt(kr, by_a, strlen(by_a), &expect,
	    NULL, &why), PERR_VERIFY);
	assert_int_equal(keys_verify_jwt(kr, by_c, strlen(by_c), &expect,
	    NULL, &why), PERR_OK);
	/* A tampered signature fails even with a known kid. */
	by_c[strlen(by_c) - 2] = by_c[strlen(by_c) - 2] == 'A' ? 'B' : 'A';
	assert_int_equal(keys_verify_jwt(kr, by_c, strlen(by_c), &expect,
	    NULL, &why), PERR_VERIFY);
	free(by_a);
	free(by_c);
	keys_ring_free(kr);
}

static void
test_ring_foreign_tokens(void **state)
{
	struct keyring *kr = three_key_ring();
	struct jwt_expect expect;
	struct jwk *stranger = NULL, *nameless = NULL;
	char *tok = NULL;
	const char *why = NULL;
	size_t len;

	(void)state;
	memset(&expect, 0, sizeof(expect));
	expect.now = 4000;
	/* A key we do not hold, with a kid we do: the signature fails. */
	assert_int_equal(jwk_generate(JOSE_ALG_ES256, 0, "C", &stranger),
	    PERR_OK);
	assert_int_equal(jws_sign(stranger, "JWT", "{}", 2, &tok, &len),
	    PERR_OK);
	assert_int_equal(keys_verify_jwt(kr, tok, len, &expect, NULL, &why),
	    PERR_VERIFY);
	free(tok);
	jwk_free(stranger);
	/* An unknown kid, and no kid at all. */
	assert_int_equal(jwk_generate(JOSE_ALG_ES256, 0, "Z", &stranger),
	    PERR_OK);
	assert_int_equal(jws_sign(stranger, "JWT", "{}", 2, &tok, &len),
	    PERR_OK);
	assert_int_equal(keys_verify_jwt(kr, tok, len, &expect, NULL, &why),
	    PERR_VERIFY);
	assert_non_null(why);
	free(tok);
	EVP_PKEY_up_ref(stranger->pkey);
	assert_int_equal(jwk_from_pkey(stranger->pkey, JOSE_ALG_ES256, NULL,
	    &nameless), PERR_OK);
	assert_int_equal(jws_sign(nameless, "JWT", "{}", 2, &tok, &len),
	    PERR_OK);
	assert_int_equal(keys_verify_jwt(kr, tok, len, &expect, NULL, &why),
	    PERR_VERIFY);
	free(tok);
	jwk_free(nameless);
	jwk_free(stranger);
	assert_int_equal(keys_verify_jwt(kr, "a.b", 3, &expect, NULL, &why),
	    PERR_INVALID);
	keys_ring_free(kr);
}

static void
test_ring_empty(void **state)
{
	struct keyring *kr = NULL;
	const char *json = NULL;
	char *tok = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(keys_ring_new((const uint8_t *)"short", 5, &kr),
	    PERR_INVALID);
	assert_null(kr);
	assert_int_equal(keys_ring_new(ek(), strlen(VEC_EK), &kr), PERR_OK);
	assert_false(keys_ring_is_ready(kr, 100));
	assert_null(keys_ring_signer(kr, 100));
	assert_int_equal(keys_ring_jwks(kr, 100, &json, &len),
	    PERR_NOT_FOUND);
	assert_int_equal(keys_sign_jwt(kr, 100, "JWT", "{}", 2, &tok, &len),
	    PERR_NOT_FOUND);
	assert_null(tok);
	/* The string key is there from the start for stored secrets. */
	assert_hex(keys_ring_master(kr)->string_key, CRYPTO_GCM_KEY_LEN,
	    VEC_SK);
	keys_ring_free(kr);
	keys_ring_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derivations),
		cmocka_unit_test(test_pocket_id_jwk_opens),
		cmocka_unit_test(test_jwk_wrong_key_or_instance),
		cmocka_unit_test(test_sealed_strings),
		cmocka_unit_test(test_check_value),
		cmocka_unit_test(test_tampering),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_jwk_normalisation),
		cmocka_unit_test(test_ring_signer_and_jwks_over_time),
		cmocka_unit_test(test_ring_sign_and_verify_overlap),
		cmocka_unit_test(test_ring_foreign_tokens),
		cmocka_unit_test(test_ring_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
