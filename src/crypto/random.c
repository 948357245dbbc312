/*
 * random: the one door to the operating system's random generator
 * (OpenSSL's DRBG), and the bearer tokens and UUIDs drawn from it. Nothing
 * else in the tree calls RAND_bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"

int
crypto_random(void *out, size_t n)
{
	if (n > CRYPTO_RANDOM_MAX)
		return PERR_INVALID;
	if (n == 0)
		return PERR_OK;
	if (RAND_bytes(out, (int)n) != 1)
		return PERR_CRYPTO;
	return PERR_OK;
}

int
crypto_random_token(size_t nbytes, char **out)
{
	uint8_t *raw = NULL;
	int err;

	*out = NULL;
	if (nbytes == 0 || nbytes > CRYPTO_RANDOM_MAX)
		return PERR_INVALID;
	if ((raw = malloc(nbytes)) == NULL)
		return PERR_NOMEM;
	if ((err = crypto_random(raw, nbytes)) != PERR_OK)
		goto out;
	if ((*out = b64url_encode(raw, nbytes, NULL)) == NULL)
		err = PERR_NOMEM;
out:
	crypto_secret_free(raw, nbytes);
	return err;
}

void
crypto_uuid_v4_format(const uint8_t rnd[16], char out[CRYPTO_UUID_TEXT_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;
	uint8_t b;

	for (i = 0; i < 16; i++) {
		b = rnd[i];
		if (i == 6)	/* RFC 9562 §5.4: version 4 */
			b = (uint8_t)((b & 0x0f) | 0x40);
		if (i == 8)	/* variant 10xx */
			b = (uint8_t)((b & 0x3f) | 0x80);
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b >> 4];
		out[o++] = hex[b & 0x0f];
	}
	out[o] = '\0';
}

int
crypto_uuid_v4(char out[CRYPTO_UUID_TEXT_LEN + 1])
{
	uint8_t rnd[16];
	int err;

	if ((err = crypto_random(rnd, sizeof(rnd))) != PERR_OK)
		return err;
	crypto_uuid_v4_format(rnd, out);
	OPENSSL_cleanse(rnd, sizeof(rnd));
	return PERR_OK;
}

int
crypto_random_string(const char *alphabet, size_t n, char *out)
{
	size_t k = strlen(alphabet), got = 0, i;
	unsigned limit;
	uint8_t rnd[64];
	int rc = PERR_OK;

	if (k < 2 || k > 256)
		return PERR_INVALID;
	/* The largest multiple of k that fits a byte: bytes above it would
	 * make the first characters likelier. */
	limit = 256u - 256u % (unsigned)k;
	while (got < n) {
		if ((rc = crypto_random(rnd, sizeof(rnd))) != PERR_OK)
			break;
		for (i = 0; i < sizeof(rnd) && got < n; i++)
			if (rnd[i] < limit)
				out[got++] = alphabet[rnd[i] % k];
	}
	out[got] = '\0';
	OPENSSL_cleanse(rnd, sizeof(rnd));
	return rc;
}
