/*
 * att_packed: the "packed" attestation statement format (WebAuthn L3
 * §8.2): either an attestation certificate chain (x5c, Basic/AttCA) or a
 * self-signature by the credential key (Self).
 */
#include <string.h>

#include <openssl/objects.h>
#include <openssl/x509.h>

#include "common/common.h"
#include "webauthn/wa_int.h"

#define OU_ATTESTATION "Authenticator Attestation"

/* The single value of attribute nid in name, or NULL. */
static const ASN1_STRING *
name_value(const X509_NAME *name, int nid)
{
	int idx = X509_NAME_get_index_by_NID(name, nid, -1);

	if (idx < 0)
		return NULL;
	return X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
}

/* §8.2.1: version 3, subject C, O, OU and CN, and not a CA. */
static int
check_cert(X509 *cert, const struct webauthn_auth_data *ad,
    struct webauthn_status *st)
{
	const X509_NAME *subject = X509_get_subject_name(cert);
	const ASN1_STRING *ou;
	int err;

	if (X509_get_version(cert) != X509_VERSION_3)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_CERTIFICATE,
		    "attestation certificate is not X.509 version 3");
	ou = name_value(subject, NID_organizationalUnitName);
	if (name_value(subject, NID_countryName) == NULL ||
	    name_value(subject, NID_organizationName) == NULL ||
	    name_value(subject, NID_commonName) == NULL || ou == NULL ||
	    (size_t)ASN1_STRING_length(ou) != strlen(OU_ATTESTATION) ||
	    memcmp(ASN1_STRING_get0_data(ou), OU_ATTESTATION,
	    strlen(OU_ATTESTATION)) != 0)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_CERTIFICATE,
		    "attestation certificate subject lacks C, O, OU or CN");
	if (wa_x509_is_ca(cert))
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_CERTIFICATE,
		    "attestation certificate is a CA");
	/* If id-fido-gen-ce-aaguid is present it must match authData. */
	if ((err = wa_x509_check_aaguid(cert, ad->aaguid)) != PERR_OK)
		return wa_fail(st, err == PERR_NOMEM ? err : PERR_VERIFY,
		    WEBAUTHN_FAIL_ATTESTATION,
		    "certificate AAGUID extension does not match authData");
	return PERR_OK;
}

/* §8.2 step 2: x5c is present. */
static int
verify_x5c(const struct wa_att_input *in, struct wa_att_result *res,
    struct webauthn_status *st)
{
	const struct webauthn_att_object *ao = in->ao;
	X509 *leaf;
	int err;

	if ((err = wa_x5c_load(ao, in->now, &res->path, st)) != PERR_OK)
		return err;
	leaf = sk_X509_value(res->path, 0);
	/* sig over authenticatorData || clientDataHash with the leaf key. */
	err = wa_verify_sig2(X509_get0_pubkey(leaf), ao->alg, ao->auth_data,
	    ao->auth_data_len, in->client_data_hash, 32, ao->sig,
	    ao->sig_len);
	if (err != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_ATTESTATION,
		    "packed attestation signature does not verify");
	if ((err = check_cert(leaf, in->ad, st)) != PERR_OK)
		return err;
	/*
	 * Telling Basic from AttCA needs knowledge of the CA (metadata) we
	 * do not have; "uncertainty" is reported as Basic.
	 */
	res->type = WEBAUTHN_ATT_BASIC;
	return PERR_OK;
}

/* §8.2 step 3: no x5c, self attestation. */
static int
verify_self(const struct wa_att_input *in, struct wa_att_result *res,
    struct webauthn_status *st)
{
	const struct webauthn_att_object *ao = in->ao;
	int err;

	/* alg must be the credential key's algorithm. */
	if (ao->alg != in->cred_key->alg)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "self attestation alg differs from the credential key");
	err = wa_verify_sig2(in->cred_pkey, ao->alg, ao->auth_data,
	    ao->auth_data_len, in->client_data_hash, 32, ao->sig,
	    ao->sig_len);
	if (err != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_ATTESTATION,
		    "self attestation signature does not verify");
	res->type = WEBAUTHN_ATT_SELF;
	return PERR_OK;
}

int
wa_att_packed(const struct wa_att_input *in, struct wa_att_result *res,
    struct webauthn_status *st)
{
	unsigned int need = WEBAUTHN_STMT_ALG | WEBAUTHN_STMT_SIG;

	/* §8.2 step 1: attStmt conforms to the packed syntax. */
	if ((in->ao->present & need) != need)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "packed attestation lacks alg or sig");
	if (in->ao->present & WEBAUTHN_STMT_X5C)
		return verify_x5c(in, res, st);
	return verify_self(in, res, st);
}
