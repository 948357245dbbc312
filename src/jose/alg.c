/*
 * alg: the one table of JWS algorithms we sign and verify with. Every other
 * file asks this table what an "alg" means; nothing else spells an
 * algorithm name. HMAC and "none" are deliberately absent.
 */
#include <string.h>

#include "common/common.h"
#include "jose/jose.h"

static const struct jose_alg_info algs[] = {
	{ JOSE_ALG_RS256, "RS256", CRYPTO_KEY_RSA, CRYPTO_CURVE_NONE,
	  CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA256, 0, CRYPTO_HASH_SHA256 },
	{ JOSE_ALG_RS384, "RS384", CRYPTO_KEY_RSA, CRYPTO_CURVE_NONE,
	  CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA384, 0, CRYPTO_HASH_SHA384 },
	{ JOSE_ALG_RS512, "RS512", CRYPTO_KEY_RSA, CRYPTO_CURVE_NONE,
	  CRYPTO_SIG_RSA_PKCS1, CRYPTO_HASH_SHA512, 0, CRYPTO_HASH_SHA512 },
	{ JOSE_ALG_PS256, "PS256", CRYPTO_KEY_RSA, CRYPTO_CURVE_NONE,
	  CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA256, 0, CRYPTO_HASH_SHA256 },
	{ JOSE_ALG_PS384, "PS384", CRYPTO_KEY_RSA, CRYPTO_CURVE_NONE,
	  CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA384, 0, CRYPTO_HASH_SHA384 },
	{ JOSE_ALG_PS512, "PS512", CRYPTO_KEY_RSA, CRYPTO_CURVE_NONE,
	  CRYPTO_SIG_RSA_PSS, CRYPTO_HASH_SHA512, 0, CRYPTO_HASH_SHA512 },
	{ JOSE_ALG_ES256, "ES256", CRYPTO_KEY_EC, CRYPTO_CURVE_P256,
	  CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA256, 64, CRYPTO_HASH_SHA256 },
	{ JOSE_ALG_ES384, "ES384", CRYPTO_KEY_EC, CRYPTO_CURVE_P384,
	  CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA384, 96, CRYPTO_HASH_SHA384 },
	{ JOSE_ALG_ES512, "ES512", CRYPTO_KEY_EC, CRYPTO_CURVE_P521,
	  CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA512, 132, CRYPTO_HASH_SHA512 },
	{ JOSE_ALG_EDDSA, "EdDSA", CRYPTO_KEY_ED25519, CRYPTO_CURVE_NONE,
	  CRYPTO_SIG_EDDSA, CRYPTO_HASH_NONE, 64, CRYPTO_HASH_SHA512 },
};
#define NALGS (sizeof(algs) / sizeof(algs[0]))

const struct jose_alg_info *
jose_alg_by_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NALGS; i++)
		if (strcmp(algs[i].name, name) == 0)
			return &algs[i];
	return NULL;
}

const struct jose_alg_info *
jose_alg_get(enum jose_alg alg)
{
	size_t i;

	for (i = 0; i < NALGS; i++)
		if (algs[i].alg == alg)
			return &algs[i];
	return NULL;
}
