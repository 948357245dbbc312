/*
 * att_apple: the "apple" anonymous attestation statement format (WebAuthn
 * L3 §8.8). Apple's anonymisation CA certifies the credential key and puts
 * a nonce binding authenticatorData and the client data into the
 * certificate.
 */
#include <string.h>

#include <openssl/x509.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "webauthn/wa_int.h"

/* Apple's nonce extension. */
#define OID_APPLE_NONCE "1.2.840.113635.100.8.2"
#define NONCE_LEN 32u

/* The extension is SEQUENCE { [1] EXPLICIT OCTET STRING nonce }. */
static int
read_nonce(X509 *cert, const uint8_t **nonce)
{
	const uint8_t *value;
	size_t len;
	struct rbuf r, seq, tagged;
	struct wa_der d;
	int err;

	if ((err = wa_x509_ext(cert, OID_APPLE_NONCE, &value, &len, NULL)) !=
	    PERR_OK)
		return err;
	rbuf_init(&r, value, len);
	if (wa_der_expect(&r, WA_DER_SEQUENCE, &d) != PERR_OK ||
	    rbuf_left(&r) != 0)
		return PERR_INVALID;
	rbuf_init(&seq, d.value, d.len);
	if (wa_der_expect(&seq, WA_DER_CLASS_CONTEXT | WA_DER_CONSTRUCTED | 1,
	    &d) != PERR_OK || rbuf_left(&seq) != 0)
		return PERR_INVALID;
	rbuf_init(&tagged, d.value, d.len);
	if (wa_der_expect(&tagged, WA_DER_OCTET_STRING, &d) != PERR_OK ||
	    rbuf_left(&tagged) != 0 || d.len != NONCE_LEN)
		return PERR_INVALID;
	*nonce = d.value;
	return PERR_OK;
}

int
wa_att_apple(const struct wa_att_input *in, struct wa_att_result *res,
    struct webauthn_status *st)
{
	uint8_t nonce[CRYPTO_HASH_MAX_LEN];
	const uint8_t *cert_nonce;
	size_t nonce_len;
	X509 *cred_cert;
	int err;

	/* §8.8 step 1: syntax (x5c is the only member). */
	if ((err = wa_x5c_load(in->ao, in->now, &res->path, st)) != PERR_OK)
		return err;
	cred_cert = sk_X509_value(res->path, 0);
	/* §8.8 steps 2-3: nonce = SHA-256(authenticatorData || cdh). */
	if ((err = wa_att_to_be_signed_hash(in, CRYPTO_HASH_SHA256, nonce,
	    &nonce_len)) != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_INTERNAL,
		    "hashing failed");
	/* §8.8 step 4: it equals the nonce extension of credCert. */
	if (read_nonce(cred_cert, &cert_nonce) != PERR_OK)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_CERTIFICATE,
		    "apple certificate lacks a well-formed nonce extension");
	if (!crypto_memeq(nonce, cert_nonce, NONCE_LEN))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "apple attestation nonce does not match");
	/* §8.8 step 5: the credential key is credCert's subject key. */
	if (!wa_x509_key_equals(cred_cert, in->cred_pkey))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "apple certificate key is not the credential key");
	/* §8.8 step 6. */
	res->type = WEBAUTHN_ATT_ANONCA;
	return PERR_OK;
}
