/*
 * sign: one sign and one verify over (scheme, hash) for RSA PKCS#1 v1.5,
 * RSA-PSS, ECDSA and Ed25519, and the R||S <-> DER conversions of ECDSA
 * signatures. Callers (JOSE, WebAuthn) choose scheme and hash from their
 * own algorithm tables; this file only refuses combinations that do not fit
 * the key.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "crypto/internal.h"

/* True when scheme and hash fit each other and the key. */
static bool
scheme_fits(const EVP_PKEY *key, enum crypto_sig_scheme scheme,
    enum crypto_hash hash)
{
	switch (scheme) {
	case CRYPTO_SIG_RSA_PKCS1:
	case CRYPTO_SIG_RSA_PSS:
		return EVP_PKEY_is_a(key, "RSA") &&
		    crypto_hash_md(hash) != NULL;
	case CRYPTO_SIG_ECDSA:
		return EVP_PKEY_is_a(key, "EC") && crypto_hash_md(hash) != NULL;
	case CRYPTO_SIG_EDDSA:
		return EVP_PKEY_is_a(key, "ED25519") &&
		    hash == CRYPTO_HASH_NONE;
	case CRYPTO_SIG_NONE:
		break;
	}
	return false;
}

/* Sets up mctx for signing or verifying with key. */
static int
sig_init(EVP_MD_CTX *mctx, EVP_PKEY *key, enum crypto_sig_scheme scheme,
    enum crypto_hash hash, bool signing)
{
	EVP_PKEY_CTX *pctx = NULL;
	const EVP_MD *md = crypto_hash_md(hash);
	int ok;

	if (signing)
		ok = EVP_DigestSignInit(mctx, &pctx, md, NULL, key);
	else
		ok = EVP_DigestVerifyInit(mctx, &pctx, md, NULL, key);
	if (ok != 1)
		return PERR_CRYPTO;
	switch (scheme) {
	case CRYPTO_SIG_RSA_PKCS1:
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING);
		break;
	case CRYPTO_SIG_RSA_PSS:
		/* RFC 7518 §3.5: MGF1 with the same hash, salt = hash size. */
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx,
		    RSA_PKCS1_PSS_PADDING) == 1 &&
		    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1 &&
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
		    RSA_PSS_SALTLEN_DIGEST) == 1;
		break;
	default:
		ok = 1;
		break;
	}
	return ok == 1 ? PERR_OK : PERR_CRYPTO;
}

int
crypto_sign(EVP_PKEY *key, enum crypto_sig_scheme scheme,
    enum crypto_hash hash, const void *msg, size_t msg_len, uint8_t **sig,
    size_t *sig_len)
{
	EVP_MD_CTX *mctx = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	int err;

	*sig = NULL;
	*sig_len = 0;
	if (key == NULL || !scheme_fits(key, scheme, hash))
		return PERR_INVALID;
	if (msg_len > CRYPTO_SIGN_MSG_MAX)
		return PERR_TOO_LARGE;
	if ((mctx = EVP_MD_CTX_new()) == NULL)
		return PERR_NOMEM;
	if ((err = sig_init(mctx, key, scheme, hash, true)) != PERR_OK)
		goto out;
	err = PERR_CRYPTO;
	if (EVP_DigestSign(mctx, NULL, &len, msg, msg_len) != 1)
		goto out;
	if ((buf = malloc(len)) == NULL) {
		err = PERR_NOMEM;
		goto out;
	}
	if (EVP_DigestSign(mctx, buf, &len, msg, msg_len) != 1)
		goto out;
	*sig = buf;
	*sig_len = len;
	buf = NULL;
	err = PERR_OK;
out:
	free(buf);
	EVP_MD_CTX_free(mctx);
	if (err == PERR_CRYPTO) {
		/* A public-only key is the caller's mistake, not OpenSSL's. */
		ERR_clear_error();
	}
	return err;
}

int
crypto_verify(EVP_PKEY *key, enum crypto_sig_scheme scheme,
    enum crypto_hash hash, const void *msg, size_t msg_len,
    const uint8_t *sig, size_t sig_len)
{
	EVP_MD_CTX *mctx = NULL;
	int err;

	if (key == NULL || !scheme_fits(key, scheme, hash))
		return PERR_INVALID;
	if (msg_len > CRYPTO_SIGN_MSG_MAX)
		return PERR_TOO_LARGE;
	if (sig_len == 0 || sig == NULL)
		return PERR_VERIFY;
	if ((mctx = EVP_MD_CTX_new()) == NULL)
		return PERR_NOMEM;
	if ((err = sig_init(mctx, key, scheme, hash, false)) != PERR_OK)
		goto out;
	/* 1 is valid; 0 is a bad signature; < 0 a malformed one. */
	if (EVP_DigestVerify(mctx, sig, sig_len, msg, msg_len) == 1)
		err = PERR_OK;
	else
		err = PERR_VERIFY;
out:
	EVP_MD_CTX_free(mctx);
	ERR_clear_error();
	return err;
}

/* ---- ECDSA signature encodings ------------------------------------------ */

int
crypto_ecdsa_raw_to_der(enum crypto_curve curve, const uint8_t *raw,
    size_t raw_len, uint8_t **der, size_t *der_len)
{
	size_t clen = crypto_curve_coord_len(curve);
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;
	unsigned char *buf = NULL;
	int len, err = PERR_NOMEM;

	*der = NULL;
	*der_len = 0;
	if (clen == 0)
		return PERR_UNSUPPORTED;
	/* RFC 7518 §3.4: exactly two full-length integers, nothing else. */
	if (raw == NULL || raw_len != 2 * clen)
		return PERR_INVALID;
	if ((es = ECDSA_SIG_new()) == NULL ||
	    (r = BN_bin2bn(raw, (int)clen, NULL)) == NULL ||
	    (s = BN_bin2bn(raw + clen, (int)clen, NULL)) == NULL)
		goto out;
	if (ECDSA_SIG_set0(es, r, s) != 1)
		goto out;
	r = s = NULL;	/* owned by es now */
	if ((len = i2d_ECDSA_SIG(es, &buf)) <= 0) {
		err = PERR_CRYPTO;
		goto out;
	}
	/* Hand over memory from malloc(), not from OPENSSL_malloc(). */
	if ((*der = malloc((size_t)len)) == NULL)
		goto out;
	memcpy(*der, buf, (size_t)len);
	*der_len = (size_t)len;
	err = PERR_OK;
out:
	OPENSSL_free(buf);
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	return err;
}

int
crypto_ecdsa_der_to_raw(enum crypto_curve curve, const uint8_t *der,
    size_t der_len, uint8_t **raw, size_t *raw_len)
{
	size_t clen = crypto_curve_coord_len(curve);
	const unsigned char *p = der;
	unsigned char *again = NULL;
	const BIGNUM *r, *s;
	ECDSA_SIG *es = NULL;
	uint8_t *buf = NULL;
	int len, err = PERR_INVALID;

	*raw = NULL;
	*raw_len = 0;
	if (clen == 0)
		return PERR_UNSUPPORTED;
	/* A DER signature of this curve is at most ~2 * clen + 9 bytes. */
	if (der == NULL || der_len == 0 || der_len > 2 * clen + 16)
		return PERR_INVALID;
	if ((es = d2i_ECDSA_SIG(NULL, &p, (long)der_len)) == NULL)
		goto out;
	if ((size_t)(p - der) != der_len)
		goto out;
	/* Canonical DER only: re-encoding must give the same bytes. */
	if ((len = i2d_ECDSA_SIG(es, &again)) <= 0 ||
	    (size_t)len != der_len || memcmp(again, der, der_len) != 0)
		goto out;
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_is_negative(r) || BN_is_negative(s) ||
	    (size_t)BN_num_bytes(r) > clen || (size_t)BN_num_bytes(s) > clen)
		goto out;
	if ((buf = malloc(2 * clen)) == NULL) {
		err = PERR_NOMEM;
		goto out;
	}
	if (BN_bn2binpad(r, buf, (int)clen) < 0 ||
	    BN_bn2binpad(s, buf + clen, (int)clen) < 0) {
		err = PERR_CRYPTO;
		goto out;
	}
	*raw = buf;
	*raw_len = 2 * clen;
	buf = NULL;
	err = PERR_OK;
out:
	free(buf);
	OPENSSL_free(again);
	ECDSA_SIG_free(es);
	ERR_clear_error();
	return err;
}
