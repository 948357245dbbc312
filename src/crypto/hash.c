/*
 * hash: message digests, HMAC, HMAC-SHA3-256 and HKDF-SHA256, plus the
 * constant-time comparison and the wipe-then-free that go with secrets.
 * One-shot functions only; every intermediate key buffer is wiped.
 */
#include <limits.h>
#include <stdlib.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "crypto/internal.h"

/* HKDF-SHA256 can expand to at most 255 blocks of 32 bytes (RFC 5869). */
#define HKDF_SHA256_OUT_MAX (255u * 32u)

const EVP_MD *
crypto_hash_md(enum crypto_hash h)
{
	switch (h) {
	case CRYPTO_HASH_SHA1:
		return EVP_sha1();
	case CRYPTO_HASH_SHA256:
		return EVP_sha256();
	case CRYPTO_HASH_SHA384:
		return EVP_sha384();
	case CRYPTO_HASH_SHA512:
		return EVP_sha512();
	case CRYPTO_HASH_NONE:
		break;
	}
	return NULL;
}

size_t
crypto_hash_len(enum crypto_hash h)
{
	switch (h) {
	case CRYPTO_HASH_SHA1:
		return 20;
	case CRYPTO_HASH_SHA256:
		return 32;
	case CRYPTO_HASH_SHA384:
		return 48;
	case CRYPTO_HASH_SHA512:
		return 64;
	case CRYPTO_HASH_NONE:
		break;
	}
	return 0;
}

int
crypto_hash(enum crypto_hash h, const void *data, size_t len, uint8_t *out)
{
	const EVP_MD *md = crypto_hash_md(h);
	unsigned int outl = 0;

	if (md == NULL)
		return PERR_UNSUPPORTED;
	if (EVP_Digest(data, len, out, &outl, md, NULL) != 1)
		return PERR_CRYPTO;
	return PERR_OK;
}

/* HMAC() rejects a NULL key even when its length is zero. */
static int
hmac_md(const EVP_MD *md, const uint8_t *key, size_t key_len,
    const void *data, size_t len, uint8_t *out)
{
	static const uint8_t empty[1];
	unsigned int outl = 0;

	if (key_len > INT_MAX)
		return PERR_TOO_LARGE;
	if (key == NULL || key_len == 0)
		key = empty;
	if (data == NULL)
		data = empty;
	if (HMAC(md, key, (int)key_len, data, len, out, &outl) == NULL)
		return PERR_CRYPTO;
	return PERR_OK;
}

int
crypto_hmac(enum crypto_hash h, const uint8_t *key, size_t key_len,
    const void *data, size_t len, uint8_t *out)
{
	const EVP_MD *md = crypto_hash_md(h);

	if (md == NULL)
		return PERR_UNSUPPORTED;
	return hmac_md(md, key, key_len, data, len, out);
}

int
crypto_hmac_sha3_256(const uint8_t *key, size_t key_len, const void *data,
    size_t len, uint8_t out[CRYPTO_SHA3_256_LEN])
{
	return hmac_md(EVP_sha3_256(), key, key_len, data, len, out);
}

int
crypto_hkdf_sha256(const uint8_t *ikm, size_t ikm_len, const uint8_t *salt,
    size_t salt_len, const void *info, size_t info_len, uint8_t *out,
    size_t out_len)
{
	static const uint8_t empty[1];
	OSSL_PARAM params[5], *p = params;
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *kctx = NULL;
	int err = PERR_CRYPTO;

	if (out_len == 0 || out_len > HKDF_SHA256_OUT_MAX)
		return PERR_INVALID;
	if ((kdf = EVP_KDF_fetch(NULL, "HKDF", NULL)) == NULL)
		return PERR_CRYPTO;
	if ((kctx = EVP_KDF_CTX_new(kdf)) == NULL)
		goto out;
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
	    (char *)(uintptr_t)"SHA256", 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    (void *)(uintptr_t)(ikm != NULL ? ikm : empty), ikm_len);
	if (salt != NULL && salt_len > 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
		    (void *)(uintptr_t)salt, salt_len);
	if (info != NULL && info_len > 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
		    (void *)(uintptr_t)info, info_len);
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(kctx, out, out_len, params) == 1)
		err = PERR_OK;
out:
	EVP_KDF_CTX_free(kctx);	/* cleanses its copy of the key */
	EVP_KDF_free(kdf);
	return err;
}

bool
crypto_memeq(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

void
crypto_secret_free(void *p, size_t n)
{
	if (p == NULL)
		return;
	OPENSSL_cleanse(p, n);
	free(p);
}
