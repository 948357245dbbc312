/*
 * sig: COSE keys and algorithms on top of src/crypto. It turns a parsed
 * COSE key into an OpenSSL key and verifies a signature under a COSE
 * algorithm, after checking that the key is of the kind (and curve) the
 * algorithm names; the primitives themselves are crypto's.
 */
#include "common/common.h"
#include "crypto/crypto.h"
#include "webauthn/wa_int.h"

int
wa_cose_key_to_pkey(const struct webauthn_cose_key *key, EVP_PKEY **out)
{
	const struct wa_alg *a = wa_alg_find(key->alg);

	*out = NULL;
	if (a == NULL)
		return PERR_UNSUPPORTED;
	switch (key->kty) {
	case WEBAUTHN_KTY_RSA:
		return crypto_pkey_from_rsa(key->n, key->n_len, key->e,
		    key->e_len, out);
	case WEBAUTHN_KTY_EC2:
		return crypto_pkey_from_ec(a->curve, key->x, key->coord_len,
		    key->y, key->coord_len, out);
	case WEBAUTHN_KTY_OKP:
		return crypto_pkey_from_ed25519(key->x, key->coord_len, out);
	default:
		return PERR_UNSUPPORTED;
	}
}

/* Whether pkey is the kind of key the algorithm signs with. */
static bool
key_fits(EVP_PKEY *pkey, const struct wa_alg *a)
{
	struct crypto_key_info info;

	if (crypto_pkey_info(pkey, &info) != PERR_OK)
		return false;
	switch (a->scheme) {
	case CRYPTO_SIG_ECDSA:
		return info.type == CRYPTO_KEY_EC && info.curve == a->curve;
	case CRYPTO_SIG_EDDSA:
		return info.type == CRYPTO_KEY_ED25519;
	default:
		return info.type == CRYPTO_KEY_RSA;
	}
}

int
wa_verify_sig(EVP_PKEY *pkey, int32_t alg, const uint8_t *msg,
    size_t msg_len, const uint8_t *sig, size_t sig_len)
{
	const struct wa_alg *a = wa_alg_find(alg);
	int err;

	if (a == NULL)
		return PERR_UNSUPPORTED;
	if (pkey == NULL || !key_fits(pkey, a))
		return PERR_VERIFY;
	err = crypto_verify(pkey, a->scheme, a->hash, msg, msg_len, sig,
	    sig_len);
	/* A key/algorithm mismatch is a failed verification to our callers. */
	return err == PERR_INVALID ? PERR_VERIFY : err;
}

int
wa_verify_sig2(EVP_PKEY *pkey, int32_t alg, const uint8_t *a, size_t a_len,
    const uint8_t *b, size_t b_len, const uint8_t *sig, size_t sig_len)
{
	struct wbuf msg;
	int err;

	wbuf_init(&msg);
	wbuf_put(&msg, a, a_len);
	wbuf_put(&msg, b, b_len);
	if ((err = wbuf_error(&msg)) == PERR_OK)
		err = wa_verify_sig(pkey, alg, msg.data, msg.len, sig, sig_len);
	wbuf_free(&msg);
	return err;
}
