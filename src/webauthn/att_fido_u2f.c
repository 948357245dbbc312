/*
 * att_fido_u2f: the "fido-u2f" attestation statement format (WebAuthn L3
 * §8.6), from FIDO U2F authenticators: the signature covers the raw U2F
 * registration message rebuilt from authenticatorData.
 */
#include <openssl/x509.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "webauthn/wa_int.h"

#define U2F_COORD_LEN 32u

/* True when pkey is an EC key on P-256. */
static bool
is_p256(EVP_PKEY *pkey)
{
	struct crypto_key_info info;

	return pkey != NULL && crypto_pkey_info(pkey, &info) == PERR_OK &&
	    info.type == CRYPTO_KEY_EC && info.curve == CRYPTO_CURVE_P256;
}

/*
 * §8.6 steps 3-5: 0x00 || rpIdHash || clientDataHash || credentialId ||
 * 0x04 || x || y.
 */
static int
verification_data(const struct wa_att_input *in, struct wbuf *w)
{
	static const uint8_t reserved = 0x00, uncompressed = 0x04;
	const struct webauthn_auth_data *ad = in->ad;

	wbuf_put(w, &reserved, 1);
	wbuf_put(w, ad->rp_id_hash, 32);
	wbuf_put(w, in->client_data_hash, 32);
	wbuf_put(w, ad->credential_id, ad->credential_id_len);
	wbuf_put(w, &uncompressed, 1);
	wbuf_put(w, in->cred_key->x, U2F_COORD_LEN);
	wbuf_put(w, in->cred_key->y, U2F_COORD_LEN);
	return wbuf_error(w);
}

int
wa_att_fido_u2f(const struct wa_att_input *in, struct wa_att_result *res,
    struct webauthn_status *st)
{
	const struct webauthn_att_object *ao = in->ao;
	unsigned int need = WEBAUTHN_STMT_SIG | WEBAUTHN_STMT_X5C;
	struct wbuf msg;
	int err;

	/* §8.6 step 1: syntax. */
	if ((ao->present & need) != need)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "fido-u2f attestation lacks sig or x5c");
	/* §8.6 step 2: exactly one certificate, with a P-256 key. */
	if (ao->x5c_len != 1)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "fido-u2f x5c must hold exactly one certificate");
	if ((err = wa_x5c_load(ao, in->now, &res->path, st)) != PERR_OK)
		return err;
	if (!is_p256(X509_get0_pubkey(sk_X509_value(res->path, 0))))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "fido-u2f attestation key is not EC P-256");
	/* §8.6 step 4: the credential key as raw X9.62, 32-byte x and y. */
	if (in->cred_key->kty != WEBAUTHN_KTY_EC2 ||
	    in->cred_key->crv != WEBAUTHN_CRV_P256 ||
	    in->cred_key->coord_len != U2F_COORD_LEN)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "fido-u2f credential key is not EC P-256");
	/* §8.6 steps 5-6: ECDSA P-256 SHA-256 over verificationData. */
	wbuf_init(&msg);
	if ((err = verification_data(in, &msg)) == PERR_OK)
		err = wa_verify_sig(X509_get0_pubkey(sk_X509_value(res->path,
		    0)), WEBAUTHN_ALG_ES256, msg.data, msg.len, ao->sig,
		    ao->sig_len);
	wbuf_free(&msg);
	if (err != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_ATTESTATION,
		    "fido-u2f attestation signature does not verify");
	/* §8.6 step 8: Basic or AttCA cannot be told apart; say Basic. */
	res->type = WEBAUTHN_ATT_BASIC;
	return PERR_OK;
}
