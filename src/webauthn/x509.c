/*
 * x509: what the attestation formats need from certificates: parsing the
 * x5c array, validity at the caller's `now`, chain building up to the
 * policy's trust anchors (OpenSSL X509_STORE), extension lookup by OID and
 * the few checks several formats share. The time is always an argument:
 * nothing here reads the clock.
 */
#include <string.h>
#include <time.h>

#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/common.h"
#include "webauthn/wa_int.h"

/* id-fido-gen-ce-aaguid (§8.2.1). */
#define OID_FIDO_AAGUID "1.3.6.1.4.1.45724.1.1.4"

int
wa_x509_parse(const uint8_t *der, size_t len, X509 **out)
{
	const unsigned char *p = der;
	X509 *cert;

	*out = NULL;
	if (len == 0 || len > WEBAUTHN_CERT_MAX)
		return PERR_INVALID;
	if ((cert = d2i_X509(NULL, &p, (long)len)) == NULL)
		return PERR_INVALID;
	if (p != der + len) {
		X509_free(cert);
		return PERR_INVALID; /* trailing bytes */
	}
	*out = cert;
	return PERR_OK;
}

/* notBefore <= now < notAfter. */
static bool
is_valid_at(X509 *cert, int64_t now)
{
	time_t t = (time_t)now;

	return X509_cmp_time(X509_get0_notBefore(cert), &t) < 0 &&
	    X509_cmp_time(X509_get0_notAfter(cert), &t) > 0;
}

int
wa_x5c_load(const struct webauthn_att_object *ao, int64_t now,
    STACK_OF(X509) **out, struct webauthn_status *st)
{
	STACK_OF(X509) *chain = NULL;
	X509 *cert = NULL;
	size_t i;
	int err = PERR_OK;

	*out = NULL;
	if (ao->x5c_len == 0)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "x5c is missing");
	if ((chain = sk_X509_new_null()) == NULL)
		return wa_fail(st, PERR_NOMEM, WEBAUTHN_FAIL_INTERNAL,
		    "out of memory");
	for (i = 0; i < ao->x5c_len; i++) {
		if ((err = wa_x509_parse(ao->x5c[i].der, ao->x5c[i].len,
		    &cert)) != PERR_OK) {
			err = wa_fail(st, err, WEBAUTHN_FAIL_CERTIFICATE,
			    "x5c holds a malformed certificate");
			goto out;
		}
		if (!sk_X509_push(chain, cert)) {
			X509_free(cert);
			err = wa_fail(st, PERR_NOMEM, WEBAUTHN_FAIL_INTERNAL,
			    "out of memory");
			goto out;
		}
		if (!is_valid_at(cert, now)) {
			err = wa_fail(st, PERR_EXPIRED,
			    WEBAUTHN_FAIL_CERTIFICATE,
			    "an attestation certificate is not valid now");
			goto out;
		}
	}
	*out = chain;
	chain = NULL;
out:
	sk_X509_pop_free(chain, X509_free);
	return err;
}

static int
load_anchors(X509_STORE *store, const struct webauthn_bytes *anchors,
    size_t n)
{
	X509 *cert;
	size_t i;
	int err, ok;

	for (i = 0; i < n; i++) {
		if ((err = wa_x509_parse(anchors[i].data, anchors[i].len,
		    &cert)) != PERR_OK)
			return err;
		ok = X509_STORE_add_cert(store, cert);
		X509_free(cert);
		if (!ok)
			return PERR_CRYPTO;
	}
	return PERR_OK;
}

int
wa_x5c_chain_verify(STACK_OF(X509) *x5c,
    const struct webauthn_bytes *anchors, size_t anchors_len, int64_t now)
{
	X509_STORE *store = NULL;
	X509_STORE_CTX *ctx = NULL;
	STACK_OF(X509) *untrusted = NULL;
	X509_VERIFY_PARAM *param;
	int err = PERR_NOMEM, i;

	if (sk_X509_num(x5c) < 1 || anchors_len == 0)
		return PERR_VERIFY;
	if ((store = X509_STORE_new()) == NULL ||
	    (ctx = X509_STORE_CTX_new()) == NULL ||
	    (untrusted = sk_X509_new_null()) == NULL)
		goto out;
	if ((err = load_anchors(store, anchors, anchors_len)) != PERR_OK)
		goto out;
	err = PERR_NOMEM;
	for (i = 1; i < sk_X509_num(x5c); i++)
		if (!sk_X509_push(untrusted, sk_X509_value(x5c, i)))
			goto out;
	if (!X509_STORE_CTX_init(ctx, store, sk_X509_value(x5c, 0),
	    untrusted))
		goto out;
	param = X509_STORE_CTX_get0_param(ctx);
	/*
	 * §7.1 step 24: the attestation key either chains up to an
	 * acceptable root or is itself acceptable, so any anchor may end
	 * the chain. Validity is judged at the caller's time.
	 */
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
	X509_VERIFY_PARAM_set_time(param, (time_t)now);
	err = X509_verify_cert(ctx) == 1 ? PERR_OK : PERR_VERIFY;
out:
	sk_X509_free(untrusted); /* the certificates belong to x5c */
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return err;
}

int
wa_x509_ext(X509 *cert, const char *oid, const uint8_t **value, size_t *len,
    bool *critical)
{
	ASN1_OBJECT *obj;
	X509_EXTENSION *ext;
	ASN1_OCTET_STRING *data;
	int idx, again;

	if ((obj = OBJ_txt2obj(oid, 1)) == NULL)
		return PERR_NOMEM;
	idx = X509_get_ext_by_OBJ(cert, obj, -1);
	again = idx < 0 ? -1 : X509_get_ext_by_OBJ(cert, obj, idx);
	ASN1_OBJECT_free(obj);
	if (idx < 0)
		return PERR_NOT_FOUND;
	/* RFC 5280 §4.2: an extension appears at most once. */
	if (again >= 0)
		return PERR_INVALID;
	ext = X509_get_ext(cert, idx);
	data = X509_EXTENSION_get_data(ext);
	*value = ASN1_STRING_get0_data(data);
	*len = (size_t)ASN1_STRING_length(data);
	if (critical != NULL)
		*critical = X509_EXTENSION_get_critical(ext) > 0;
	return PERR_OK;
}

int
wa_x509_check_aaguid(X509 *cert, const uint8_t aaguid[16])
{
	const uint8_t *value;
	size_t len;
	bool critical;
	struct rbuf r;
	struct wa_der d;
	int err;

	err = wa_x509_ext(cert, OID_FIDO_AAGUID, &value, &len, &critical);
	if (err == PERR_NOT_FOUND)
		return PERR_OK;
	if (err != PERR_OK)
		return err;
	/* §8.2.1: a non-critical OCTET STRING of the 16-byte AAGUID. */
	if (critical)
		return PERR_INVALID;
	rbuf_init(&r, value, len);
	if (wa_der_expect(&r, WA_DER_OCTET_STRING, &d) != PERR_OK ||
	    rbuf_left(&r) != 0 || d.len != 16)
		return PERR_INVALID;
	return memcmp(d.value, aaguid, 16) == 0 ? PERR_OK : PERR_VERIFY;
}

bool
wa_x509_is_ca(X509 *cert)
{
	return (X509_get_extension_flags(cert) & EXFLAG_CA) != 0;
}

bool
wa_x509_key_equals(X509 *cert, EVP_PKEY *pkey)
{
	EVP_PKEY *cert_key = X509_get0_pubkey(cert);

	return cert_key != NULL && EVP_PKEY_eq(cert_key, pkey) == 1;
}
