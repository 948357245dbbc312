/*
 * Unit tests for src/crypto: known answers typed in from the public
 * documents (FIPS 180 examples, RFC 4231, RFC 5869, the NIST HMAC-SHA3
 * sample, the GCM specification's AES-256 test cases), the spec §4.3
 * derivations recomputed by hand, key import/export, generation, and
 * sign/verify round trips with tampering.
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

/* ---- helpers ------------------------------------------------------------ */

static size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t i, n = strlen(hex) / 2;
	unsigned v;

	assert_true(n <= cap);
	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void
assert_hex(const uint8_t *got, size_t len, const char *want)
{
	char *h = hex_encode(got, len);

	assert_non_null(h);
	assert_string_equal(h, want);
	free(h);
}

static struct crypto_bytes
b64u(const char *text)
{
	struct crypto_bytes b;

	assert_int_equal(b64url_decode(text, strlen(text), &b.p, &b.len),
	    PERR_OK);
	return b;
}

/* ---- hashes, MACs, KDF -------------------------------------------------- */

static void
test_hash_known_answers(void **state)
{
	uint8_t out[CRYPTO_HASH_MAX_LEN];

	(void)state;
	/* FIPS 180-4 examples, message "abc". */
	assert_int_equal(crypto_hash(CRYPTO_HASH_SHA1, "abc", 3, out), PERR_OK);
	assert_hex(out, 20, "a9993e364706816aba3e25717850c26c9cd0d89d");
	assert_int_equal(crypto_hash(CRYPTO_HASH_SHA256, "abc", 3, out),
	    PERR_OK);
	assert_hex(out, 32, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(crypto_hash(CRYPTO_HASH_SHA384, "abc", 3, out),
	    PERR_OK);
	assert_hex(out, 48, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
	    "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
	assert_int_equal(crypto_hash(CRYPTO_HASH_SHA512, "abc", 3, out),
	    PERR_OK);
	assert_hex(out, 64, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea2"
	    "0a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
	    "454d4423643ce80e2a9ac94fa54ca49f");
	assert_int_equal(crypto_hash(CRYPTO_HASH_NONE, "abc", 3, out),
	    PERR_UNSUPPORTED);
	assert_int_equal(crypto_hash_len(CRYPTO_HASH_SHA384), 48);
	assert_int_equal(crypto_hash_len(CRYPTO_HASH_NONE), 0);
}

static void
test_hmac_rfc4231(void **state)
{
	uint8_t key[131], out[CRYPTO_HASH_MAX_LEN];
	static const char big[] =
	    "Test Using Larger Than Block-Size Key - Hash Key First";

	(void)state;
	/* Test case 1. */
	memset(key, 0x0b, 20);
	assert_int_equal(crypto_hmac(CRYPTO_HASH_SHA256, key, 20, "Hi There",
	    8, out), PERR_OK);
	assert_hex(out, 32, "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7");
	assert_int_equal(crypto_hmac(CRYPTO_HASH_SHA384, key, 20, "Hi There",
	    8, out), PERR_OK);
	assert_hex(out, 48, "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec6"
	    "82aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6");
	assert_int_equal(crypto_hmac(CRYPTO_HASH_SHA512, key, 20, "Hi There",
	    8, out), PERR_OK);
	assert_hex(out, 64, "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec278"
	    "7ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4"
	    "be9d914eeb61f1702e696c203a126854");
	/* Test case 2: a key shorter than the output. */
	assert_int_equal(crypto_hmac(CRYPTO_HASH_SHA256,
	    (const uint8_t *)"Jefe", 4, "what do ya want for nothing?", 28,
	    out), PERR_OK);
	assert_hex(out, 32, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	assert_int_equal(crypto_hmac(CRYPTO_HASH_SHA512,
	    (const uint8_t *)"Jefe", 4, "what do ya want for nothing?", 28,
	    out), PERR_OK);
	assert_hex(out, 64, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd6"
	    "10270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fd"
	    "caeab1a34d4a6b4b636e070a38bce737");
	/* Test case 6: a key longer than the block is hashed first. */
	memset(key, 0xaa, sizeof(key));
	assert_int_equal(crypto_hmac(CRYPTO_HASH_SHA256, key, sizeof(key),
	    big, strlen(big), out), PERR_OK);
	assert_hex(out, 32, "60e431591ee0b67f0d8a26aacbf5b77f"
	    "8e0bc6213728c5140546040f0ee37f54");
	assert_int_equal(crypto_hmac(CRYPTO_HASH_NONE, key, 4, "x", 1, out),
	    PERR_UNSUPPORTED);
}

static void
test_hmac_sha3_256_nist_sample(void **state)
{
	static const char msg[] = "Sample message for keylen<blocklen";
	uint8_t key[32], out[CRYPTO_SHA3_256_LEN];
	size_t i;

	(void)state;
	/* NIST CSRC "HMAC_SHA3-256" example values, sample #1. */
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	assert_int_equal(crypto_hmac_sha3_256(key, sizeof(key), msg,
	    strlen(msg), out), PERR_OK);
	assert_hex(out, sizeof(out), "4fe8e202c4f058e8dddc23d8c34e4673"
	    "43e23555e24fc2f025d598f558f67205");
}

static void
test_hkdf_rfc5869(void **state)
{
	uint8_t ikm[22], salt[13], info[10], okm[42];
	size_t i;

	(void)state;
	memset(ikm, 0x0b, sizeof(ikm));
	for (i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)i;
	for (i = 0; i < sizeof(info); i++)
		info[i] = (uint8_t)(0xf0 + i);
	/* Test case 1. */
	assert_int_equal(crypto_hkdf_sha256(ikm, sizeof(ikm), salt,
	    sizeof(salt), info, sizeof(info), okm, sizeof(okm)), PERR_OK);
	assert_hex(okm, sizeof(okm), "3cb25f25faacd57a90434f64d0362f2a"
	    "2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
	/* Test case 3: no salt, no info. */
	assert_int_equal(crypto_hkdf_sha256(ikm, sizeof(ikm), NULL, 0, NULL,
	    0, okm, sizeof(okm)), PERR_OK);
	assert_hex(okm, sizeof(okm), "8da4e775a563c18f715f802a063c5a31"
	    "b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
	assert_int_equal(crypto_hkdf_sha256(ikm, sizeof(ikm), NULL, 0, NULL,
	    0, okm, 0), PERR_INVALID);
}

static void
test_memeq_and_secret_free(void **state)
{
	uint8_t *p;

	(void)state;
	assert_true(crypto_memeq("abcd", "abcd", 4));
	assert_false(crypto_memeq("abcd", "abce", 4));
	assert_true(crypto_memeq("a", "b", 0));
	p = malloc(8);
	assert_non_null(p);
	memset(p, 0x55, 8);
	crypto_secret_free(p, 8);
	crypto_secret_free(NULL, 3);
}

/* ---- random ------------------------------------------------------------- */

static void
test_random_tokens_and_uuids(void **state)
{
	char *a = NULL, *b = NULL, uuid[CRYPTO_UUID_TEXT_LEN + 1];
	uint8_t buf[32], zero[32] = { 0 };
	uint8_t *raw;
	size_t n;
	static const uint8_t ff[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};

	(void)state;
	assert_int_equal(crypto_random(buf, sizeof(buf)), PERR_OK);
	assert_false(crypto_memeq(buf, zero, sizeof(buf)));
	assert_int_equal(crypto_random(buf, CRYPTO_RANDOM_MAX + 1),
	    PERR_INVALID);
	assert_int_equal(crypto_random_token(32, &a), PERR_OK);
	assert_int_equal(crypto_random_token(32, &b), PERR_OK);
	assert_int_equal(strlen(a), 43);
	assert_string_not_equal(a, b);
	assert_int_equal(b64url_decode(a, strlen(a), &raw, &n), PERR_OK);
	assert_int_equal(n, 32);
	free(raw);
	str_free_secret(a);
	str_free_secret(b);
	assert_int_equal(crypto_random_token(0, &a), PERR_INVALID);
	assert_null(a);

	crypto_uuid_v4_format(zero, uuid);
	assert_string_equal(uuid, "00000000-0000-4000-8000-000000000000");
	crypto_uuid_v4_format(ff, uuid);
	assert_string_equal(uuid, "ffffffff-ffff-4fff-bfff-ffffffffffff");
	assert_int_equal(crypto_uuid_v4(uuid), PERR_OK);
	assert_int_equal(strlen(uuid), 36);
	assert_int_equal(uuid[14], '4');
	assert_true(strchr("89ab", uuid[19]) != NULL);
}

/* ---- AES-256-GCM -------------------------------------------------------- */

/* "The Galois/Counter Mode of Operation (GCM)", McGrew and Viega,
 * test cases 13 to 16 (AES-256). */
static const struct gcm_case {
	const char *key, *iv, *plain, *aad, *cipher, *tag;
} gcm_cases[] = {
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", "", "", "",
	  "530f8afbc74536b9a963b4f1c4cb738b" },
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", "00000000000000000000000000000000", "",
	  "cea7403d4d606b6e074ec5d3baf39d18",
	  "d0d1c8a799996bf0265b98b5d48ab919" },
	{ "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	  "cafebabefacedbaddecaf888",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
	  "",
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	  "b094dac5d93471bdec1a502270e3cc6c" },
	{ "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	  "cafebabefacedbaddecaf888",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

static void
test_gcm_known_answers(void **state)
{
	uint8_t key[32], iv[12], plain[64], aad[20], *out, *back;
	size_t i, pl, al, out_len, back_len;
	char want[512];

	(void)state;
	for (i = 0; i < sizeof(gcm_cases) / sizeof(gcm_cases[0]); i++) {
		const struct gcm_case *c = &gcm_cases[i];

		unhex(c->key, key, sizeof(key));
		unhex(c->iv, iv, sizeof(iv));
		pl = unhex(c->plain, plain, sizeof(plain));
		al = unhex(c->aad, aad, sizeof(aad));
		assert_int_equal(crypto_gcm_seal(key, iv, aad, al, plain, pl,
		    &out, &out_len), PERR_OK);
		assert_int_equal(out_len, pl + CRYPTO_GCM_OVERHEAD);
		snprintf(want, sizeof(want), "%s%s%s", c->iv, c->cipher,
		    c->tag);
		assert_hex(out, out_len, want);
		assert_int_equal(crypto_gcm_open(key, aad, al, out, out_len,
		    &back, &back_len), PERR_OK);
		assert_int_equal(back_len, pl);
		assert_memory_equal(back, plain, pl);
		crypto_secret_free(back, back_len);
		free(out);
	}
}

static void
test_gcm_rejects_tampering_and_truncation(void **state)
{
	static const char secret[] = "{\"kty\":\"OKP\",\"d\":\"...\"}";
	uint8_t key[32], other[32], *sealed, *back = NULL;
	size_t i, len, back_len;

	(void)state;
	memset(key, 7, sizeof(key));
	memset(other, 8, sizeof(other));
	assert_int_equal(crypto_gcm_seal_random(key, "aad", 3, secret,
	    strlen(secret), &sealed, &len), PERR_OK);
	/* Every single bit flip, anywhere, is refused. */
	for (i = 0; i < len * 8; i++) {
		sealed[i / 8] ^= (uint8_t)(1u << (i % 8));
		assert_int_equal(crypto_gcm_open(key, "aad", 3, sealed, len,
		    &back, &back_len), PERR_WRONG_KEY);
		assert_null(back);
		sealed[i / 8] ^= (uint8_t)(1u << (i % 8));
	}
	for (i = 0; i < len; i++) {
		int err = crypto_gcm_open(key, "aad", 3, sealed, i, &back,
		    &back_len);

		assert_int_equal(err, i < CRYPTO_GCM_OVERHEAD ?
		    PERR_TRUNCATED : PERR_WRONG_KEY);
	}
	assert_int_equal(crypto_gcm_open(other, "aad", 3, sealed, len, &back,
	    &back_len), PERR_WRONG_KEY);
	assert_int_equal(crypto_gcm_open(key, "aae", 3, sealed, len, &back,
	    &back_len), PERR_WRONG_KEY);
	assert_int_equal(crypto_gcm_open(key, NULL, 0, sealed, len, &back,
	    &back_len), PERR_WRONG_KEY);
	assert_int_equal(crypto_gcm_open(key, "aad", 3, sealed, len, &back,
	    &back_len), PERR_OK);
	assert_string_equal((char *)back, secret);
	crypto_secret_free(back, back_len);
	free(sealed);
}

/* ---- spec §4.3 derivations ---------------------------------------------- */

/* HMAC (RFC 2104) over SHA3-256 written out, block size 136 bytes. */
static void
hmac_sha3_by_hand(const uint8_t *key, size_t key_len, const char *msg,
    uint8_t out[32])
{
	uint8_t k[136] = { 0 }, pad[136], inner[32];
	unsigned int n = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t i;

	assert_true(key_len <= sizeof(k));
	memcpy(k, key, key_len);
	for (i = 0; i < sizeof(k); i++)
		pad[i] = k[i] ^ 0x36;
	assert_int_equal(EVP_DigestInit_ex(ctx, EVP_sha3_256(), NULL), 1);
	EVP_DigestUpdate(ctx, pad, sizeof(pad));
	EVP_DigestUpdate(ctx, msg, strlen(msg));
	EVP_DigestFinal_ex(ctx, inner, &n);
	for (i = 0; i < sizeof(k); i++)
		pad[i] = k[i] ^ 0x5c;
	EVP_DigestInit_ex(ctx, EVP_sha3_256(), NULL);
	EVP_DigestUpdate(ctx, pad, sizeof(pad));
	EVP_DigestUpdate(ctx, inner, sizeof(inner));
	EVP_DigestFinal_ex(ctx, out, &n);
	EVP_MD_CTX_free(ctx);
}

static void
test_spec_jwk_kek_derivation(void **state)
{
	static const char enc_key[] = "0123456789abcdef0123456789abcdef";
	static const char instance[] = "7f6d2f5e-3c1b-4a8e-9d0c-1b2a3c4d5e6f";
	static const char jwk[] = "{\"kty\":\"EC\",\"crv\":\"P-256\"}";
	uint8_t kek[32], want[32], *sealed, *back;
	size_t len, back_len;
	char msg[128];

	(void)state;
	/* KEK = HMAC-SHA3-256(ENCRYPTION_KEY, "pocketid/<id>/jwk-kek"). */
	snprintf(msg, sizeof(msg), "pocketid/%s/jwk-kek", instance);
	assert_int_equal(crypto_hmac_sha3_256((const uint8_t *)enc_key,
	    strlen(enc_key), msg, strlen(msg), kek), PERR_OK);
	hmac_sha3_by_hand((const uint8_t *)enc_key, strlen(enc_key), msg,
	    want);
	assert_memory_equal(kek, want, 32);
	/* Fixed answer, recomputed with Python's hmac + hashlib.sha3_256. */
	assert_hex(kek, 32, "3129004ceda4d3a576c62a9de6cb7af3"
	    "03b520f1c1bd9668f050fca0cccc6587");
	/* Sealed the Pocket ID way: nonce || GCM(JWK JSON), no AAD. */
	assert_int_equal(crypto_gcm_seal_random(kek, NULL, 0, jwk,
	    strlen(jwk), &sealed, &len), PERR_OK);
	assert_int_equal(crypto_gcm_open(kek, NULL, 0, sealed, len, &back,
	    &back_len), PERR_OK);
	assert_string_equal((char *)back, jwk);
	crypto_secret_free(back, back_len);
	free(sealed);
}

static void
test_spec_encrypted_string_derivation(void **state)
{
	static const char enc_key[] = "0123456789abcdef0123456789abcdef";
	static const char info[] = "pocketid/encrypted_string";
	static const char token[] = "scim-bearer-token";
	uint8_t key[32], prk[32], t1[32], zero[32] = { 0 }, *sealed, *back;
	uint8_t block[sizeof(info)];
	size_t len, back_len;

	(void)state;
	assert_int_equal(crypto_hkdf_sha256((const uint8_t *)enc_key,
	    strlen(enc_key), NULL, 0, info, strlen(info), key, sizeof(key)),
	    PERR_OK);
	/* RFC 5869 by hand: PRK = HMAC(zeros, IKM); T(1) = HMAC(PRK,
	 * info || 0x01); 32 bytes = T(1). */
	assert_int_equal(crypto_hmac(CRYPTO_HASH_SHA256, zero, sizeof(zero),
	    enc_key, strlen(enc_key), prk), PERR_OK);
	memcpy(block, info, strlen(info));
	block[strlen(info)] = 0x01;
	assert_int_equal(crypto_hmac(CRYPTO_HASH_SHA256, prk, sizeof(prk),
	    block, sizeof(block), t1), PERR_OK);
	assert_memory_equal(key, t1, 32);
	/* Fixed answer, recomputed with Python's hmac module. */
	assert_hex(key, 32, "2292dfe07001d74a353f0c6aebe4f6f5"
	    "575161f3e676ccefeab316c7daad071d");
	assert_int_equal(crypto_gcm_seal_random(key, "encrypted_string", 16,
	    token, strlen(token), &sealed, &len), PERR_OK);
	assert_int_equal(crypto_gcm_open(key, NULL, 0, sealed, len, &back,
	    &back_len), PERR_WRONG_KEY);
	assert_int_equal(crypto_gcm_open(key, "encrypted_string", 16, sealed,
	    len, &back, &back_len), PERR_OK);
	assert_string_equal((char *)back, token);
	crypto_secret_free(back, back_len);
	free(sealed);
}

/* ---- keys --------------------------------------------------------------- */

/* RFC 7515 A.3 (P-256) and A.2 (RSA) keys, RFC 8037 A.1 (Ed25519). */
static const char a3_x[] = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
static const char a3_y[] = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
static const char a3_d[] = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
static const char a2_n[] =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qP"
    "CJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47s"
    "oMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2"
    "R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoud"
    "F8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
static const char a2_d[] =
    "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgv"
    "fTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f"
    "3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQl"
    "BjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuh"
    "LhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";
static const char ed_x[] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
static const char ed_d[] = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";

static void
test_pkey_from_ec_checks_the_point(void **state)
{
	struct crypto_bytes x = b64u(a3_x), y = b64u(a3_y);
	struct crypto_key_info info;
	EVP_PKEY *pk = NULL;

	(void)state;
	assert_int_equal(crypto_pkey_from_ec(CRYPTO_CURVE_P256, x.p, x.len,
	    y.p, y.len, &pk), PERR_OK);
	assert_int_equal(crypto_pkey_info(pk, &info), PERR_OK);
	assert_int_equal(info.type, CRYPTO_KEY_EC);
	assert_int_equal(info.curve, CRYPTO_CURVE_P256);
	assert_int_equal(info.bits, 256);
	assert_false(info.has_private);
	EVP_PKEY_free(pk);
	/* Wrong curve for the coordinate length, short coordinates. */
	assert_int_equal(crypto_pkey_from_ec(CRYPTO_CURVE_P384, x.p, x.len,
	    y.p, y.len, &pk), PERR_INVALID);
	assert_int_equal(crypto_pkey_from_ec(CRYPTO_CURVE_P256, x.p + 1,
	    x.len - 1, y.p, y.len, &pk), PERR_INVALID);
	assert_int_equal(crypto_pkey_from_ec(CRYPTO_CURVE_NONE, x.p, x.len,
	    y.p, y.len, &pk), PERR_UNSUPPORTED);
	/* Off the curve. */
	y.p[31] ^= 1;
	assert_int_equal(crypto_pkey_from_ec(CRYPTO_CURVE_P256, x.p, x.len,
	    y.p, y.len, &pk), PERR_INVALID);
	assert_null(pk);
	/* Coordinates not below p. */
	memset(x.p, 0xff, x.len);
	assert_int_equal(crypto_pkey_from_ec(CRYPTO_CURVE_P256, x.p, x.len,
	    y.p, y.len, &pk), PERR_INVALID);
	free(x.p);
	free(y.p);
}

static void
test_pkey_from_rsa_checks_sizes(void **state)
{
	struct crypto_bytes n = b64u(a2_n);
	static const uint8_t e[] = { 1, 0, 1 }, e_even[] = { 1, 0, 0 };
	static const uint8_t e0[] = { 0, 1, 0, 1 }, e1[] = { 1 };
	struct crypto_key_info info;
	EVP_PKEY *pk = NULL;
	uint8_t *padded;

	(void)state;
	assert_int_equal(crypto_pkey_from_rsa(n.p, n.len, e, 3, &pk), PERR_OK);
	assert_int_equal(crypto_pkey_info(pk, &info), PERR_OK);
	assert_int_equal(info.type, CRYPTO_KEY_RSA);
	assert_int_equal(info.bits, 2048);
	EVP_PKEY_free(pk);
	assert_int_equal(crypto_pkey_from_rsa(n.p, n.len, e_even, 3, &pk),
	    PERR_INVALID);
	assert_int_equal(crypto_pkey_from_rsa(n.p, n.len, e0, 4, &pk),
	    PERR_INVALID);
	assert_int_equal(crypto_pkey_from_rsa(n.p, n.len, e1, 1, &pk),
	    PERR_INVALID);
	/* 1024-bit modulus: too small. */
	assert_int_equal(crypto_pkey_from_rsa(n.p, 128, e, 3, &pk),
	    PERR_UNSUPPORTED);
	/* A leading zero byte is not a minimal encoding. */
	padded = calloc(1, n.len + 1);
	assert_non_null(padded);
	memcpy(padded + 1, n.p, n.len);
	assert_int_equal(crypto_pkey_from_rsa(padded, n.len + 1, e, 3, &pk),
	    PERR_INVALID);
	assert_null(pk);
	free(padded);
	free(n.p);
}

static void
test_pkey_import_private_must_match(void **state)
{
	struct crypto_key_parts k, back;
	struct crypto_key_info info;
	EVP_PKEY *pk = NULL;

	(void)state;
	/* EC: a d that belongs to another point is refused. */
	memset(&k, 0, sizeof(k));
	k.type = CRYPTO_KEY_EC;
	k.curve = CRYPTO_CURVE_P256;
	k.x = b64u(a3_x);
	k.y = b64u(a3_y);
	k.d = b64u(a3_d);
	assert_int_equal(crypto_pkey_import(&k, &pk), PERR_OK);
	assert_int_equal(crypto_pkey_info(pk, &info), PERR_OK);
	assert_true(info.has_private);
	assert_int_equal(crypto_pkey_export(pk, true, &back), PERR_OK);
	assert_int_equal(back.d.len, 32);
	assert_memory_equal(back.d.p, k.d.p, 32);
	assert_memory_equal(back.x.p, k.x.p, 32);
	assert_memory_equal(back.y.p, k.y.p, 32);
	crypto_key_parts_clear(&back);
	EVP_PKEY_free(pk);
	k.d.p[5] ^= 0x40;
	assert_int_equal(crypto_pkey_import(&k, &pk), PERR_INVALID);
	assert_null(pk);
	crypto_key_parts_clear(&k);

	/* Ed25519: x must be derived from d. */
	k.type = CRYPTO_KEY_ED25519;
	k.x = b64u(ed_x);
	k.d = b64u(ed_d);
	assert_int_equal(crypto_pkey_import(&k, &pk), PERR_OK);
	assert_int_equal(crypto_pkey_export(pk, true, &back), PERR_OK);
	assert_memory_equal(back.x.p, k.x.p, 32);
	assert_memory_equal(back.d.p, k.d.p, 32);
	crypto_key_parts_clear(&back);
	EVP_PKEY_free(pk);
	k.x.p[0] ^= 1;
	assert_int_equal(crypto_pkey_import(&k, &pk), PERR_INVALID);
	crypto_key_parts_clear(&k);

	/* RSA with d only (no CRT members) is proved by a test signature. */
	k.type = CRYPTO_KEY_RSA;
	k.n = b64u(a2_n);
	k.e = b64u("AQAB");
	k.d = b64u(a2_d);
	assert_int_equal(crypto_pkey_import(&k, &pk), PERR_OK);
	EVP_PKEY_free(pk);
	k.d.p[100] ^= 1;
	assert_int_equal(crypto_pkey_import(&k, &pk), PERR_INVALID);
	/* Some CRT members but not all. */
	k.d.p[100] ^= 1;
	k.p = b64u("AQAB");
	assert_int_equal(crypto_pkey_import(&k, &pk), PERR_INVALID);
	crypto_key_parts_clear(&k);
}

/* Every scheme and hash we use, on generated keys. */
static const struct sig_case {
	enum crypto_key_type type;
	unsigned bits;
	enum crypto_curve curve;
	enum crypto_sig_scheme scheme;
	enum crypto_hash hash;
} sig_cases[] = {
	{ CRYPTO_KEY_RSA, 2048, 0, CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA256 },
	{ CRYPTO_KEY_RSA, 2048, 0, CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA384 },
	{ CRYPTO_KEY_RSA, 2048, 0, CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA512 },
	{ CRYPTO_KEY_RSA, 2048, 0, CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA1 },
	{ CRYPTO_KEY_RSA, 2048, 0, CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA256 },
	{ CRYPTO_KEY_RSA, 2048, 0, CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA384 },
	{ CRYPTO_KEY_RSA, 2048, 0, CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA512 },
	{ CRYPTO_KEY_EC, 0, CRYPTO_CURVE_P256, CRYPTO_SIG_ECDSA,
	  CRYPTO_HASH_SHA256 },
	{ CRYPTO_KEY_EC, 0, CRYPTO_CURVE_P384, CRYPTO_SIG_ECDSA,
	  CRYPTO_HASH_SHA384 },
	{ CRYPTO_KEY_EC, 0, CRYPTO_CURVE_P521, CRYPTO_SIG_ECDSA,
	  CRYPTO_HASH_SHA512 },
	{ CRYPTO_KEY_ED25519, 0, 0, CRYPTO_SIG_EDDSA, CRYPTO_HASH_NONE },
};

static EVP_PKEY *
generate(const struct sig_case *c)
{
	EVP_PKEY *pk = NULL;

	switch (c->type) {
	case CRYPTO_KEY_RSA:
		assert_int_equal(crypto_pkey_generate_rsa(c->bits, &pk),
		    PERR_OK);
		break;
	case CRYPTO_KEY_EC:
		assert_int_equal(crypto_pkey_generate_ec(c->curve, &pk),
		    PERR_OK);
		break;
	default:
		assert_int_equal(crypto_pkey_generate_ed25519(&pk), PERR_OK);
		break;
	}
	return pk;
}

/* Public half of pk through export + import, as a relying party sees it. */
static EVP_PKEY *
public_half(EVP_PKEY *pk)
{
	struct crypto_key_parts parts;
	EVP_PKEY *pub = NULL;

	assert_int_equal(crypto_pkey_export(pk, false, &parts), PERR_OK);
	assert_null(parts.d.p);
	assert_int_equal(crypto_pkey_import(&parts, &pub), PERR_OK);
	crypto_key_parts_clear(&parts);
	return pub;
}

static void
test_sign_verify_round_trips_and_tampering(void **state)
{
	static const char msg[] = "header.payload";
	uint8_t *sig, *raw, *der;
	size_t i, j, len, raw_len, der_len;
	EVP_PKEY *pk, *pub, *other;
	struct crypto_key_info info;

	(void)state;
	for (i = 0; i < sizeof(sig_cases) / sizeof(sig_cases[0]); i++) {
		const struct sig_case *c = &sig_cases[i];

		pk = generate(c);
		pub = public_half(pk);
		other = generate(c);
		assert_int_equal(crypto_pkey_info(pub, &info), PERR_OK);
		assert_false(info.has_private);
		assert_int_equal(crypto_sign(pk, c->scheme, c->hash, msg,
		    strlen(msg), &sig, &len), PERR_OK);
		assert_int_equal(crypto_verify(pub, c->scheme, c->hash, msg,
		    strlen(msg), sig, len), PERR_OK);
		/* Other message, other key, truncated, flipped. */
		assert_int_equal(crypto_verify(pub, c->scheme, c->hash, msg,
		    strlen(msg) - 1, sig, len), PERR_VERIFY);
		assert_int_equal(crypto_verify(other, c->scheme, c->hash, msg,
		    strlen(msg), sig, len), PERR_VERIFY);
		assert_int_equal(crypto_verify(pub, c->scheme, c->hash, msg,
		    strlen(msg), sig, len - 1), PERR_VERIFY);
		for (j = 0; j < len; j += 7) {
			sig[j] ^= 0x01;
			assert_int_equal(crypto_verify(pub, c->scheme, c->hash,
			    msg, strlen(msg), sig, len), PERR_VERIFY);
			sig[j] ^= 0x01;
		}
		/* A public key cannot sign; a wrong scheme is refused. */
		free(sig);
		assert_int_equal(crypto_sign(pub, c->scheme, c->hash, msg,
		    strlen(msg), &sig, &len), PERR_CRYPTO);
		assert_null(sig);
		assert_int_equal(crypto_verify(pub,
		    c->scheme == CRYPTO_SIG_ECDSA ? CRYPTO_SIG_RSA_PKCS1 :
		    CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA256, msg, strlen(msg),
		    (const uint8_t *)"x", 1), PERR_INVALID);
		if (c->scheme == CRYPTO_SIG_ECDSA) {
			/* DER -> raw -> DER is the identity. */
			assert_int_equal(crypto_sign(pk, c->scheme, c->hash,
			    msg, strlen(msg), &sig, &len), PERR_OK);
			assert_int_equal(crypto_ecdsa_der_to_raw(c->curve, sig,
			    len, &raw, &raw_len), PERR_OK);
			assert_int_equal(raw_len,
			    2 * crypto_curve_coord_len(c->curve));
			assert_int_equal(crypto_ecdsa_raw_to_der(c->curve, raw,
			    raw_len, &der, &der_len), PERR_OK);
			assert_int_equal(der_len, len);
			assert_memory_equal(der, sig, len);
			free(raw);
			free(der);
			free(sig);
		}
		EVP_PKEY_free(pk);
		EVP_PKEY_free(pub);
		EVP_PKEY_free(other);
	}
	assert_int_equal(crypto_pkey_generate_rsa(1024, &pk), PERR_UNSUPPORTED);
	assert_int_equal(crypto_pkey_generate_ec(CRYPTO_CURVE_NONE, &pk),
	    PERR_UNSUPPORTED);
}

static void
test_pss_and_pkcs1_are_not_interchangeable(void **state)
{
	EVP_PKEY *pk = NULL;
	uint8_t *sig;
	size_t len;

	(void)state;
	assert_int_equal(crypto_pkey_generate_rsa(2048, &pk), PERR_OK);
	assert_int_equal(crypto_sign(pk, CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA256,
	    "m", 1, &sig, &len), PERR_OK);
	assert_int_equal(crypto_verify(pk, CRYPTO_SIG_RSA_PKCS1,
	    CRYPTO_HASH_SHA256, "m", 1, sig, len), PERR_VERIFY);
	assert_int_equal(crypto_verify(pk, CRYPTO_SIG_RSA_PSS,
	    CRYPTO_HASH_SHA384, "m", 1, sig, len), PERR_VERIFY);
	free(sig);
	assert_int_equal(crypto_sign(pk, CRYPTO_SIG_EDDSA, CRYPTO_HASH_NONE,
	    "m", 1, &sig, &len), PERR_INVALID);
	EVP_PKEY_free(pk);
}

static void
test_ecdsa_conversions_are_strict(void **state)
{
	uint8_t raw[64], *der, *out, bad[80];
	size_t i, der_len, out_len;

	(void)state;
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)(i + 1);
	raw[32] = 0x80;	/* S needs a leading zero in DER */
	assert_int_equal(crypto_ecdsa_raw_to_der(CRYPTO_CURVE_P256, raw, 63,
	    &der, &der_len), PERR_INVALID);
	assert_int_equal(crypto_ecdsa_raw_to_der(CRYPTO_CURVE_P384, raw, 64,
	    &der, &der_len), PERR_INVALID);
	assert_int_equal(crypto_ecdsa_raw_to_der(CRYPTO_CURVE_P256, raw, 64,
	    &der, &der_len), PERR_OK);
	assert_int_equal(der_len, 2 + 2 + 32 + 2 + 33);
	/* Truncated at every offset, and with a trailing byte. */
	for (i = 0; i < der_len; i++) {
		assert_int_equal(crypto_ecdsa_der_to_raw(CRYPTO_CURVE_P256,
		    der, i, &out, &out_len), PERR_INVALID);
		assert_null(out);
	}
	memcpy(bad, der, der_len);
	bad[der_len] = 0;
	assert_int_equal(crypto_ecdsa_der_to_raw(CRYPTO_CURVE_P256, bad,
	    der_len + 1, &out, &out_len), PERR_INVALID);
	/* R padded with a needless zero byte: BER, not DER. */
	bad[0] = 0x30;
	bad[1] = (uint8_t)(der[1] + 1);
	bad[2] = 0x02;
	bad[3] = 33;
	bad[4] = 0;
	memcpy(bad + 5, der + 4, der_len - 4);
	assert_int_equal(crypto_ecdsa_der_to_raw(CRYPTO_CURVE_P256, bad,
	    der_len + 1, &out, &out_len), PERR_INVALID);
	/* R larger than the curve allows. */
	assert_int_equal(crypto_ecdsa_der_to_raw(CRYPTO_CURVE_P256, der,
	    der_len, &out, &out_len), PERR_OK);
	assert_memory_equal(out, raw, 64);
	free(out);
	free(der);
	memset(raw, 0x7f, sizeof(raw));
	assert_int_equal(crypto_ecdsa_raw_to_der(CRYPTO_CURVE_P256, raw, 64,
	    &der, &der_len), PERR_OK);
	assert_int_equal(crypto_ecdsa_der_to_raw(CRYPTO_CURVE_P256, der,
	    der_len, &out, &out_len), PERR_OK);
	free(out);
	free(der);
	/* A P-384-sized R||S is not a P-256 signature. */
	{
		uint8_t big[96];

		memset(big, 0x7f, sizeof(big));
		assert_int_equal(crypto_ecdsa_raw_to_der(CRYPTO_CURVE_P384,
		    big, 96, &der, &der_len), PERR_OK);
		assert_int_equal(crypto_ecdsa_der_to_raw(CRYPTO_CURVE_P256,
		    der, der_len, &out, &out_len), PERR_INVALID);
		free(der);
	}
}

static void
test_random_string_uses_only_the_alphabet(void **state)
{
	static const char alphabet[] = "abc123";
	char out[257];
	size_t i;

	(void)state;
	assert_int_equal(crypto_random_string(alphabet, 256, out), PERR_OK);
	assert_int_equal(strlen(out), 256);
	for (i = 0; i < 256; i++)
		assert_non_null(strchr(alphabet, out[i]));
	assert_int_equal(crypto_random_string("a", 4, out), PERR_INVALID);
	assert_int_equal(crypto_random_string(alphabet, 0, out), PERR_OK);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_string_uses_only_the_alphabet),
		cmocka_unit_test(test_hash_known_answers),
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_hmac_sha3_256_nist_sample),
		cmocka_unit_test(test_hkdf_rfc5869),
		cmocka_unit_test(test_memeq_and_secret_free),
		cmocka_unit_test(test_random_tokens_and_uuids),
		cmocka_unit_test(test_gcm_known_answers),
		cmocka_unit_test(test_gcm_rejects_tampering_and_truncation),
		cmocka_unit_test(test_spec_jwk_kek_derivation),
		cmocka_unit_test(test_spec_encrypted_string_derivation),
		cmocka_unit_test(test_pkey_from_ec_checks_the_point),
		cmocka_unit_test(test_pkey_from_rsa_checks_sizes),
		cmocka_unit_test(test_pkey_import_private_must_match),
		cmocka_unit_test(test_sign_verify_round_trips_and_tampering),
		cmocka_unit_test(test_pss_and_pkcs1_are_not_interchangeable),
		cmocka_unit_test(test_ecdsa_conversions_are_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
