/*
 * seal: the derivations from ENCRYPTION_KEY and the sealed formats of spec
 * §4.3 (Pocket ID's, so data moves both ways), the key check value, and
 * the normalisation of a stored private JWK. Pure: no I/O, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "jose/jose.h"
#include "keys/internal.h"

const char keys_wrong_key_help[] =
    "ENCRYPTION_KEY does not open the secrets stored in this database: it "
    "is not the key they were sealed with. Either set ENCRYPTION_KEY (or "
    "ENCRYPTION_KEY_FILE) back to the key used before; or, to change the "
    "key on purpose, run \"pocket-id encryption-key-rotate --new-key-file "
    "FILE\" with ENCRYPTION_KEY still set to the previous key, then start "
    "with the new key.";

int
keys_master_derive(const uint8_t *ek, size_t ek_len, const char *instance_id,
    struct keys_master *out)
{
	struct wbuf seed;
	size_t id_len;
	int err;

	memset(out, 0, sizeof(*out));
	if (ek == NULL || ek_len < KEYS_ENCRYPTION_KEY_MIN ||
	    ek_len > KEYS_ENCRYPTION_KEY_MAX)
		return PERR_INVALID;
	err = crypto_hkdf_sha256(ek, ek_len, NULL, 0, KEYS_STRING_INFO,
	    strlen(KEYS_STRING_INFO), out->string_key, sizeof(out->string_key));
	if (err != PERR_OK || instance_id == NULL)
		goto out;
	id_len = strlen(instance_id);
	if (id_len == 0 || id_len > KEYS_INSTANCE_ID_MAX) {
		err = PERR_INVALID;
		goto out;
	}
	/* Spec §4.3: HMAC-SHA3-256(ENCRYPTION_KEY,
	 * "pocketid/<instance_id>/jwk-kek"). */
	wbuf_init(&seed);
	wbuf_puts(&seed, KEYS_KEK_SEED_PREFIX);
	wbuf_puts(&seed, instance_id);
	wbuf_puts(&seed, KEYS_KEK_SEED_SUFFIX);
	if ((err = wbuf_error(&seed)) == PERR_OK)
		err = crypto_hmac_sha3_256(ek, ek_len, seed.data, seed.len,
		    out->jwk_kek);
	wbuf_free(&seed);
	out->has_jwk_kek = err == PERR_OK;
out:
	if (err != PERR_OK)
		keys_master_wipe(out);
	return err;
}

void
keys_master_wipe(struct keys_master *m)
{
	if (m != NULL)
		OPENSSL_cleanse(m, sizeof(*m));
}

int
keys_seal_raw(const uint8_t key[CRYPTO_GCM_KEY_LEN], const uint8_t *nonce,
    const char *aad, const void *plain, size_t len, char **out)
{
	size_t aad_len = aad != NULL ? strlen(aad) : 0, sealed_len = 0;
	uint8_t *sealed = NULL;
	int err;

	*out = NULL;
	if (len > KEYS_PLAIN_MAX)
		return PERR_TOO_LARGE;
	if (nonce != NULL)
		err = crypto_gcm_seal(key, nonce, aad, aad_len, plain, len,
		    &sealed, &sealed_len);
	else
		err = crypto_gcm_seal_random(key, aad, aad_len, plain, len,
		    &sealed, &sealed_len);
	if (err != PERR_OK)
		return err;
	if ((*out = b64_encode(sealed, sealed_len, NULL)) == NULL)
		err = PERR_NOMEM;
	free(sealed);
	return err;
}

int
keys_open_raw(const uint8_t key[CRYPTO_GCM_KEY_LEN], const char *aad,
    const char *sealed, char **plain, size_t *len)
{
	size_t text_len = strlen(sealed), raw_len = 0;
	uint8_t *raw = NULL, *opened = NULL;
	int err;

	*plain = NULL;
	*len = 0;
	if (text_len > KEYS_SEALED_MAX)
		return PERR_TOO_LARGE;
	if ((err = b64_decode(sealed, text_len, &raw, &raw_len)) != PERR_OK)
		return err == PERR_NOMEM ? err : PERR_INVALID;
	err = crypto_gcm_open(key, aad, aad != NULL ? strlen(aad) : 0, raw,
	    raw_len, &opened, len);
	free(raw);
	if (err == PERR_TRUNCATED)
		err = PERR_INVALID;
	if (err == PERR_OK)
		*plain = (char *)opened;
	return err;
}

int
keys_seal_jwk(const struct keys_master *m, const char *json, size_t len,
    char **out)
{
	*out = NULL;
	if (!m->has_jwk_kek)
		return PERR_INVALID;
	/* Spec §4.3: no AAD for the signing key. */
	return keys_seal_raw(m->jwk_kek, NULL, NULL, json, len, out);
}

int
keys_open_jwk(const struct keys_master *m, const char *sealed, char **json,
    size_t *len)
{
	*json = NULL;
	*len = 0;
	if (!m->has_jwk_kek)
		return PERR_INVALID;
	return keys_open_raw(m->jwk_kek, NULL, sealed, json, len);
}

int
keys_seal_string(const struct keys_master *m, const char *plain, size_t len,
    char **out)
{
	*out = NULL;
	/* Pocket ID stores an empty secret as "", unsealed. */
	if (len == 0)
		return (*out = str_dup("")) != NULL ? PERR_OK : PERR_NOMEM;
	return keys_seal_raw(m->string_key, NULL, KEYS_STRING_AAD, plain, len,
	    out);
}

int
keys_open_string(const struct keys_master *m, const char *sealed,
    char **plain, size_t *len)
{
	*plain = NULL;
	*len = 0;
	if (*sealed == '\0') {
		if ((*plain = calloc(1, 1)) == NULL)
			return PERR_NOMEM;
		return PERR_OK;
	}
	return keys_open_raw(m->string_key, KEYS_STRING_AAD, sealed, plain,
	    len);
}

int
keys_check_value_make(const struct keys_master *m, char **out)
{
	return keys_seal_raw(m->string_key, NULL, KEYS_CHECK_AAD,
	    KEYS_CHECK_PLAIN, strlen(KEYS_CHECK_PLAIN), out);
}

int
keys_check_value_verify(const struct keys_master *m, const char *value)
{
	char *plain = NULL;
	size_t len = 0;
	int err;

	err = keys_open_raw(m->string_key, KEYS_CHECK_AAD, value, &plain,
	    &len);
	if (err != PERR_OK)
		return err;
	if (len != strlen(KEYS_CHECK_PLAIN) ||
	    memcmp(plain, KEYS_CHECK_PLAIN, len) != 0)
		err = PERR_INVALID;
	crypto_secret_free(plain, len);
	return err;
}

/* The algorithm Pocket ID assumes for a key without "alg". */
static enum jose_alg
default_alg(const struct crypto_key_info *info)
{
	switch (info->type) {
	case CRYPTO_KEY_RSA:
		return JOSE_ALG_RS256;
	case CRYPTO_KEY_EC:
		return info->curve == CRYPTO_CURVE_P384 ? JOSE_ALG_ES384 :
		    info->curve == CRYPTO_CURVE_P521 ? JOSE_ALG_ES512 :
		    JOSE_ALG_ES256;
	case CRYPTO_KEY_ED25519:
		return JOSE_ALG_EDDSA;
	default:
		return JOSE_ALG_UNKNOWN;
	}
}

int
keys_jwk_from_json(const char *json, size_t len, struct jwk **out)
{
	struct jwk *key = NULL, *fixed = NULL;
	enum jose_alg alg;
	char *kid = NULL;
	int err;

	*out = NULL;
	if ((err = jwk_parse(json, len, &key, NULL)) != PERR_OK)
		return err;
	if (!key->info.has_private || key->use == JWK_USE_OTHER) {
		err = PERR_INVALID;
		goto out;
	}
	if (key->kid != NULL && key->alg != JOSE_ALG_UNKNOWN &&
	    key->use == JWK_USE_SIG) {
		*out = key;
		return PERR_OK;
	}
	/* Re-wrap the same key with the members it lacks. */
	alg = key->alg != JOSE_ALG_UNKNOWN ? key->alg :
	    default_alg(&key->info);
	if (key->kid == NULL &&
	    (err = jwk_thumbprint(key, CRYPTO_HASH_SHA256, &kid)) != PERR_OK)
		goto out;
	if (EVP_PKEY_up_ref(key->pkey) != 1) {
		err = PERR_CRYPTO;
		goto out;
	}
	err = jwk_from_pkey(key->pkey, alg, kid != NULL ? kid : key->kid,
	    &fixed);
	if (err != PERR_OK) {
		EVP_PKEY_free(key->pkey);
		goto out;
	}
	*out = fixed;
out:
	jwk_free(key);
	free(kid);
	return err;
}

int
keys_seal_key(const struct keys_master *m, const struct jwk *key,
    char **out)
{
	char *json = NULL;
	size_t len = 0;
	int err;

	*out = NULL;
	if ((err = jwk_to_json(key, true, &json, &len)) != PERR_OK)
		return err;
	err = keys_seal_jwk(m, json, len, out);
	crypto_secret_free(json, len);
	return err;
}

int
keys_open_key(const struct keys_master *m, const char *sealed,
    struct jwk **out)
{
	char *json = NULL;
	size_t len = 0;
	int err;

	*out = NULL;
	if ((err = keys_open_jwk(m, sealed, &json, &len)) != PERR_OK)
		return err;
	err = keys_jwk_from_json(json, len, out);
	crypto_secret_free(json, len);
	return err;
}
