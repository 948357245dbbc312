/*
 * gcm: AES-256-GCM sealing of secrets at rest. The sealed form is
 * nonce(12) || ciphertext || tag(16), the layout Pocket ID uses (spec §4.3),
 * so values sealed by either implementation open in the other. The key
 * derivations live with the caller; this file only seals and opens.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/common.h"
#include "crypto/crypto.h"

/* Runs the cipher over n bytes, in INT_MAX-sized steps never needed here
 * because CRYPTO_GCM_PLAIN_MAX is far below INT_MAX. */
static int
gcm_update(EVP_CIPHER_CTX *ctx, uint8_t *out, const void *in, size_t n)
{
	int outl = 0;

	if (n == 0)
		return PERR_OK;
	if (EVP_CipherUpdate(ctx, out, &outl, in, (int)n) != 1 ||
	    (size_t)outl != n)
		return PERR_CRYPTO;
	return PERR_OK;
}

static int
gcm_aad(EVP_CIPHER_CTX *ctx, const void *aad, size_t aad_len)
{
	int outl = 0;

	if (aad_len == 0)
		return PERR_OK;
	if (aad_len > INT_MAX ||
	    EVP_CipherUpdate(ctx, NULL, &outl, aad, (int)aad_len) != 1)
		return PERR_CRYPTO;
	return PERR_OK;
}

int
crypto_gcm_seal(const uint8_t key[CRYPTO_GCM_KEY_LEN],
    const uint8_t nonce[CRYPTO_GCM_NONCE_LEN], const void *aad,
    size_t aad_len, const void *plain, size_t plain_len, uint8_t **out,
    size_t *out_len)
{
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t *buf = NULL;
	size_t total;
	int outl = 0, err = PERR_CRYPTO;

	*out = NULL;
	*out_len = 0;
	if (plain_len > CRYPTO_GCM_PLAIN_MAX || aad_len > CRYPTO_GCM_PLAIN_MAX)
		return PERR_TOO_LARGE;
	total = plain_len + CRYPTO_GCM_OVERHEAD;
	if ((buf = malloc(total)) == NULL)
		return PERR_NOMEM;
	memcpy(buf, nonce, CRYPTO_GCM_NONCE_LEN);
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL) {
		err = PERR_NOMEM;
		goto out;
	}
	/* The default IV length of GCM in OpenSSL is 12 bytes. */
	if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) != 1)
		goto out;
	if ((err = gcm_aad(ctx, aad, aad_len)) != PERR_OK ||
	    (err = gcm_update(ctx, buf + CRYPTO_GCM_NONCE_LEN, plain,
	    plain_len)) != PERR_OK)
		goto out;
	err = PERR_CRYPTO;
	if (EVP_EncryptFinal_ex(ctx, buf + CRYPTO_GCM_NONCE_LEN + plain_len,
	    &outl) != 1 || outl != 0)
		goto out;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, CRYPTO_GCM_TAG_LEN,
	    buf + CRYPTO_GCM_NONCE_LEN + plain_len) != 1)
		goto out;
	*out = buf;
	*out_len = total;
	buf = NULL;
	err = PERR_OK;
out:
	EVP_CIPHER_CTX_free(ctx);
	free(buf);	/* ciphertext only: nothing secret */
	return err;
}

int
crypto_gcm_seal_random(const uint8_t key[CRYPTO_GCM_KEY_LEN],
    const void *aad, size_t aad_len, const void *plain, size_t plain_len,
    uint8_t **out, size_t *out_len)
{
	uint8_t nonce[CRYPTO_GCM_NONCE_LEN];
	int err;

	*out = NULL;
	*out_len = 0;
	if ((err = crypto_random(nonce, sizeof(nonce))) != PERR_OK)
		return err;
	return crypto_gcm_seal(key, nonce, aad, aad_len, plain, plain_len,
	    out, out_len);
}

int
crypto_gcm_open(const uint8_t key[CRYPTO_GCM_KEY_LEN], const void *aad,
    size_t aad_len, const uint8_t *sealed, size_t sealed_len, uint8_t **out,
    size_t *out_len)
{
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t *plain = NULL, tag[CRYPTO_GCM_TAG_LEN];
	size_t n = 0;
	int outl = 0, err = PERR_CRYPTO;

	*out = NULL;
	*out_len = 0;
	if (sealed_len < CRYPTO_GCM_OVERHEAD)
		return PERR_TRUNCATED;
	n = sealed_len - CRYPTO_GCM_OVERHEAD;
	if (n > CRYPTO_GCM_PLAIN_MAX || aad_len > CRYPTO_GCM_PLAIN_MAX)
		return PERR_TOO_LARGE;
	if ((plain = malloc(n + 1)) == NULL)
		return PERR_NOMEM;
	memcpy(tag, sealed + CRYPTO_GCM_NONCE_LEN + n, sizeof(tag));
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL) {
		err = PERR_NOMEM;
		goto out;
	}
	if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, sealed) != 1)
		goto out;
	if ((err = gcm_aad(ctx, aad, aad_len)) != PERR_OK ||
	    (err = gcm_update(ctx, plain, sealed + CRYPTO_GCM_NONCE_LEN,
	    n)) != PERR_OK)
		goto out;
	err = PERR_CRYPTO;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, sizeof(tag),
	    tag) != 1)
		goto out;
	if (EVP_DecryptFinal_ex(ctx, plain + n, &outl) != 1) {
		err = PERR_WRONG_KEY;
		goto out;
	}
	plain[n] = '\0';
	*out = plain;
	*out_len = n;
	plain = NULL;
	err = PERR_OK;
out:
	EVP_CIPHER_CTX_free(ctx);
	crypto_secret_free(plain, n + 1);
	return err;
}
