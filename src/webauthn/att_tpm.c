/*
 * att_tpm: the "tpm" attestation statement format (WebAuthn L3 §8.3). The
 * TPM certifies the credential key (pubArea, a TPMT_PUBLIC) with its
 * attestation identity key: certInfo is the TPMS_ATTEST it signed, x5c
 * the AIK certificate chain. The two TPM structures are read with bounded
 * cursors following TPM 2.0 Library Part 2.
 */
#include <ctype.h>
#include <string.h>

#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "webauthn/wa_int.h"

/* TPM 2.0 Part 2 constants. */
#define TPM_GENERATED_VALUE 0xff544347u
#define TPM_ST_ATTEST_CERTIFY 0x8017u
#define TPM_ALG_RSA 0x0001u
#define TPM_ALG_SHA1 0x0004u
#define TPM_ALG_SHA256 0x000bu
#define TPM_ALG_SHA384 0x000cu
#define TPM_ALG_SHA512 0x000du
#define TPM_ALG_NULL 0x0010u
#define TPM_ALG_ECDAA 0x001au
#define TPM_ALG_ECC 0x0023u
#define TPM_ECC_NIST_P256 0x0003u
#define TPM_ECC_NIST_P384 0x0004u
#define TPM_ECC_NIST_P521 0x0005u
#define TPM_RSA_DEFAULT_EXPONENT 65537u
/* TPMS_CLOCK_INFO: clock (8), resetCount (4), restartCount (4), safe. */
#define TPMS_CLOCK_INFO_LEN 17u
#define TPM_FIRMWARE_VERSION_LEN 8u

/* TCG OIDs (EK profile §3.2.9, and the AIK certificate EKU). */
#define OID_TCG_AT_MANUFACTURER "2.23.133.2.1"
#define OID_TCG_AT_MODEL "2.23.133.2.2"
#define OID_TCG_AT_VERSION "2.23.133.2.3"
#define OID_TCG_KP_AIK_CERTIFICATE "2.23.133.8.3"

/* The parts of a TPMT_PUBLIC we compare with the credential key. */
struct tpm_public {
	uint16_t type;
	uint16_t name_alg;
	uint32_t exponent; /* RSA */
	uint16_t curve;	   /* ECC */
	const uint8_t *n, *x, *y;
	size_t n_len, x_len, y_len;
};

/* The parts of a TPMS_ATTEST we check. */
struct tpm_attest {
	const uint8_t *extra_data, *name;
	size_t extra_data_len, name_len;
};

/* A TPM2B: a 16-bit size, then that many bytes. */
static int
read_tpm2b(struct rbuf *r, const uint8_t **p, size_t *len)
{
	uint16_t n;
	int err;

	if ((err = rbuf_u16be(r, &n)) != PERR_OK)
		return err;
	*len = n;
	return rbuf_bytes(r, n, p);
}

/* An algorithm selector followed by details unless it is TPM_ALG_NULL. */
static int
read_alg_with_details(struct rbuf *r, size_t details_len)
{
	const uint8_t *skip;
	uint16_t alg;
	int err;

	if ((err = rbuf_u16be(r, &alg)) != PERR_OK)
		return err;
	if (alg == TPM_ALG_NULL)
		return PERR_OK;
	/* ECDAA carries a count besides the hash: not a WebAuthn key. */
	if (alg == TPM_ALG_ECDAA)
		return PERR_UNSUPPORTED;
	return rbuf_bytes(r, details_len, &skip);
}

/*
 * TPMT_PUBLIC: type, nameAlg, objectAttributes, authPolicy, parameters
 * (TPMS_RSA_PARMS or TPMS_ECC_PARMS) and unique.
 */
static int
parse_pub_area(const uint8_t *data, size_t len, struct tpm_public *p)
{
	struct rbuf r;
	const uint8_t *policy;
	uint32_t attributes;
	uint16_t key_bits;
	size_t policy_len;
	int err;

	rbuf_init(&r, data, len);
	if ((err = rbuf_u16be(&r, &p->type)) != PERR_OK ||
	    (err = rbuf_u16be(&r, &p->name_alg)) != PERR_OK ||
	    (err = rbuf_u32be(&r, &attributes)) != PERR_OK ||
	    (err = read_tpm2b(&r, &policy, &policy_len)) != PERR_OK ||
	    /* symmetric: TPMT_SYM_DEF_OBJECT (keyBits, mode) */
	    (err = read_alg_with_details(&r, 4)) != PERR_OK ||
	    /* scheme: TPMT_RSA_SCHEME / TPMT_ECC_SCHEME (hashAlg) */
	    (err = read_alg_with_details(&r, 2)) != PERR_OK)
		return err;
	if (p->type == TPM_ALG_RSA) {
		if ((err = rbuf_u16be(&r, &key_bits)) != PERR_OK ||
		    (err = rbuf_u32be(&r, &p->exponent)) != PERR_OK ||
		    (err = read_tpm2b(&r, &p->n, &p->n_len)) != PERR_OK)
			return err;
	} else if (p->type == TPM_ALG_ECC) {
		if ((err = rbuf_u16be(&r, &p->curve)) != PERR_OK ||
		    /* kdf: TPMT_KDF_SCHEME (hashAlg) */
		    (err = read_alg_with_details(&r, 2)) != PERR_OK ||
		    (err = read_tpm2b(&r, &p->x, &p->x_len)) != PERR_OK ||
		    (err = read_tpm2b(&r, &p->y, &p->y_len)) != PERR_OK)
			return err;
	} else {
		return PERR_UNSUPPORTED;
	}
	return rbuf_left(&r) == 0 ? PERR_OK : PERR_INVALID;
}

/*
 * TPMS_ATTEST: magic, type, qualifiedSigner, extraData, clockInfo,
 * firmwareVersion, then TPMS_CERTIFY_INFO (name, qualifiedName).
 */
static int
parse_cert_info(const uint8_t *data, size_t len, struct tpm_attest *a,
    struct webauthn_status *st)
{
	struct rbuf r;
	const uint8_t *skip;
	uint32_t magic;
	uint16_t type;
	size_t skip_len;

	rbuf_init(&r, data, len);
	if (rbuf_u32be(&r, &magic) != PERR_OK ||
	    rbuf_u16be(&r, &type) != PERR_OK ||
	    read_tpm2b(&r, &skip, &skip_len) != PERR_OK ||
	    read_tpm2b(&r, &a->extra_data, &a->extra_data_len) != PERR_OK ||
	    rbuf_bytes(&r, TPMS_CLOCK_INFO_LEN, &skip) != PERR_OK ||
	    rbuf_bytes(&r, TPM_FIRMWARE_VERSION_LEN, &skip) != PERR_OK ||
	    read_tpm2b(&r, &a->name, &a->name_len) != PERR_OK ||
	    read_tpm2b(&r, &skip, &skip_len) != PERR_OK || rbuf_left(&r) != 0)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "tpm certInfo is not a TPMS_ATTEST");
	/* §8.3: magic is TPM_GENERATED_VALUE, type TPM_ST_ATTEST_CERTIFY. */
	if (magic != TPM_GENERATED_VALUE || type != TPM_ST_ATTEST_CERTIFY)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "tpm certInfo is not a TPM-generated certification");
	return PERR_OK;
}

static enum crypto_hash
tpm_hash(uint16_t alg)
{
	switch (alg) {
	case TPM_ALG_SHA1:
		return CRYPTO_HASH_SHA1;
	case TPM_ALG_SHA256:
		return CRYPTO_HASH_SHA256;
	case TPM_ALG_SHA384:
		return CRYPTO_HASH_SHA384;
	case TPM_ALG_SHA512:
		return CRYPTO_HASH_SHA512;
	default:
		return CRYPTO_HASH_NONE;
	}
}

/* Equality of two big-endian unsigned integers of any length. */
static bool
uint_equal(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	while (a_len > 0 && *a == 0) {
		a++;
		a_len--;
	}
	while (b_len > 0 && *b == 0) {
		b++;
		b_len--;
	}
	return a_len == b_len && (a_len == 0 || memcmp(a, b, a_len) == 0);
}

/* §8.3: pubArea's parameters and unique are the credential public key. */
static bool
pub_area_matches(const struct tpm_public *p, const struct webauthn_cose_key *k)
{
	uint32_t e = p->exponent ? p->exponent : TPM_RSA_DEFAULT_EXPONENT;
	uint8_t e_be[4] = { (uint8_t)(e >> 24), (uint8_t)(e >> 16),
		(uint8_t)(e >> 8), (uint8_t)e };
	int32_t crv;

	if (p->type == TPM_ALG_RSA)
		return k->kty == WEBAUTHN_KTY_RSA &&
		    uint_equal(p->n, p->n_len, k->n, k->n_len) &&
		    uint_equal(e_be, sizeof(e_be), k->e, k->e_len);
	switch (p->curve) {
	case TPM_ECC_NIST_P256:
		crv = WEBAUTHN_CRV_P256;
		break;
	case TPM_ECC_NIST_P384:
		crv = WEBAUTHN_CRV_P384;
		break;
	case TPM_ECC_NIST_P521:
		crv = WEBAUTHN_CRV_P521;
		break;
	default:
		return false;
	}
	return k->kty == WEBAUTHN_KTY_EC2 && k->crv == crv &&
	    uint_equal(p->x, p->x_len, k->x, k->coord_len) &&
	    uint_equal(p->y, p->y_len, k->y, k->coord_len);
}

/* One attribute of the SAN directoryName: present and non-empty. */
static const ASN1_STRING *
dirname_value(const X509_NAME *name, const char *oid)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	const ASN1_STRING *v = NULL;
	int idx;

	if (obj == NULL)
		return NULL;
	idx = X509_NAME_get_index_by_OBJ(name, obj, -1);
	if (idx >= 0)
		v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
	ASN1_OBJECT_free(obj);
	return v != NULL && ASN1_STRING_length(v) > 0 ? v : NULL;
}

/* TPM manufacturer ids are "id:" and eight hex digits (EK profile). */
static bool
is_manufacturer_id(const ASN1_STRING *v)
{
	const unsigned char *s = ASN1_STRING_get0_data(v);
	int i;

	if (ASN1_STRING_length(v) != 11 || memcmp(s, "id:", 3) != 0)
		return false;
	for (i = 3; i < 11; i++)
		if (!isxdigit(s[i]))
			return false;
	return true;
}

/*
 * The SAN holds a directoryName with the TPM manufacturer, model and
 * version. Whether they share one RDN or sit in three (both are seen in
 * the field) does not matter. The manufacturer is not checked against
 * TCG's vendor list: it tells us nothing a trust anchor would not.
 */
static bool
has_tpm_san(X509 *cert)
{
	GENERAL_NAMES *names;
	const GENERAL_NAME *gn;
	const ASN1_STRING *manufacturer;
	bool ok = false;
	int i;

	names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	for (i = 0; names != NULL && i < sk_GENERAL_NAME_num(names); i++) {
		gn = sk_GENERAL_NAME_value(names, i);
		if (gn->type != GEN_DIRNAME)
			continue;
		manufacturer = dirname_value(gn->d.directoryName,
		    OID_TCG_AT_MANUFACTURER);
		if (manufacturer != NULL && is_manufacturer_id(manufacturer) &&
		    dirname_value(gn->d.directoryName, OID_TCG_AT_MODEL) &&
		    dirname_value(gn->d.directoryName, OID_TCG_AT_VERSION))
			ok = true;
	}
	GENERAL_NAMES_free(names);
	return ok;
}

static bool
has_aik_eku(X509 *cert)
{
	EXTENDED_KEY_USAGE *eku;
	ASN1_OBJECT *aik;
	bool ok = false;
	int i;

	if ((aik = OBJ_txt2obj(OID_TCG_KP_AIK_CERTIFICATE, 1)) == NULL)
		return false;
	eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
	for (i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku); i++)
		if (OBJ_cmp(sk_ASN1_OBJECT_value(eku, i), aik) == 0)
			ok = true;
	EXTENDED_KEY_USAGE_free(eku);
	ASN1_OBJECT_free(aik);
	return ok;
}

/* §8.3.1: the AIK certificate requirements, and the AAGUID extension. */
static int
check_aik_cert(X509 *cert, const struct webauthn_auth_data *ad,
    struct webauthn_status *st)
{
	if (X509_get_version(cert) != X509_VERSION_3)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_CERTIFICATE,
		    "AIK certificate is not X.509 version 3");
	if (X509_NAME_entry_count(X509_get_subject_name(cert)) != 0)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_CERTIFICATE,
		    "AIK certificate subject is not empty");
	if (!has_tpm_san(cert))
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_CERTIFICATE,
		    "AIK certificate lacks the TPM subjectAltName");
	if (!has_aik_eku(cert))
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_CERTIFICATE,
		    "AIK certificate lacks the tcg-kp-AIKCertificate usage");
	if (wa_x509_is_ca(cert))
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_CERTIFICATE,
		    "AIK certificate is a CA");
	if (wa_x509_check_aaguid(cert, ad->aaguid) != PERR_OK)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "AIK certificate AAGUID extension does not match authData");
	return PERR_OK;
}

/* Name = nameAlg || H_nameAlg(pubArea) (TPMv2 Part 1 §16). */
static bool
name_matches(const struct tpm_attest *a, const struct tpm_public *p,
    const struct webauthn_att_object *ao)
{
	uint8_t digest[CRYPTO_HASH_MAX_LEN];
	enum crypto_hash h = tpm_hash(p->name_alg);
	size_t n = crypto_hash_len(h);

	if (n == 0 || a->name_len != 2 + n ||
	    crypto_hash(h, ao->pub_area, ao->pub_area_len, digest) != PERR_OK)
		return false;
	return a->name[0] == (uint8_t)(p->name_alg >> 8) &&
	    a->name[1] == (uint8_t)p->name_alg &&
	    memcmp(a->name + 2, digest, n) == 0;
}

/* §8.3 "Validate that certInfo is valid" (magic and type in parsing). */
static int
check_cert_info(const struct wa_att_input *in, const struct tpm_public *p,
    struct webauthn_status *st)
{
	const struct webauthn_att_object *ao = in->ao;
	const struct wa_alg *alg = wa_alg_find(ao->alg);
	uint8_t digest[CRYPTO_HASH_MAX_LEN];
	struct tpm_attest a;
	size_t n;
	int err;

	if ((err = parse_cert_info(ao->cert_info, ao->cert_info_len, &a, st)) !=
	    PERR_OK)
		return err;
	/* extraData is the hash of attToBeSigned under alg's hash. */
	if (alg == NULL || alg->hash == CRYPTO_HASH_NONE)
		return wa_fail(st, PERR_UNSUPPORTED, WEBAUTHN_FAIL_ATTESTATION,
		    "tpm attestation alg has no hash");
	if ((err = wa_att_to_be_signed_hash(in, alg->hash, digest, &n)) !=
	    PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_INTERNAL,
		    "hashing failed");
	if (a.extra_data_len != n || !crypto_memeq(a.extra_data, digest, n))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "tpm extraData is not the hash of attToBeSigned");
	/* attested.name is a valid Name for pubArea. */
	if (!name_matches(&a, p, ao))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "tpm certified name is not pubArea's");
	return PERR_OK;
}

int
wa_att_tpm(const struct wa_att_input *in, struct wa_att_result *res,
    struct webauthn_status *st)
{
	const struct webauthn_att_object *ao = in->ao;
	unsigned int need = WEBAUTHN_STMT_VER | WEBAUTHN_STMT_ALG |
	    WEBAUTHN_STMT_X5C | WEBAUTHN_STMT_SIG | WEBAUTHN_STMT_CERT_INFO |
	    WEBAUTHN_STMT_PUB_AREA;
	struct tpm_public pub;
	X509 *aik;
	int err;

	/* §8.3: attStmt conforms to the syntax (ver "2.0", all members). */
	if ((ao->present & need) != need || strcmp(ao->ver, "2.0") != 0)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "tpm attestation is not version 2.0 with all members");
	/* The key in pubArea is identical to credentialPublicKey. */
	memset(&pub, 0, sizeof(pub));
	if ((err = parse_pub_area(ao->pub_area, ao->pub_area_len, &pub)) !=
	    PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_ATTESTATION,
		    "tpm pubArea is not a supported TPMT_PUBLIC");
	if (!pub_area_matches(&pub, in->cred_key))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "tpm pubArea is not the credential public key");
	/* Integrity of certInfo: x5c, aikCert requirements, AAGUID, sig. */
	if ((err = wa_x5c_load(ao, in->now, &res->path, st)) != PERR_OK)
		return err;
	aik = sk_X509_value(res->path, 0);
	if ((err = check_aik_cert(aik, in->ad, st)) != PERR_OK)
		return err;
	if ((err = wa_verify_sig(X509_get0_pubkey(aik), ao->alg,
	    ao->cert_info, ao->cert_info_len, ao->sig, ao->sig_len)) !=
	    PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_ATTESTATION,
		    "tpm certInfo signature does not verify");
	if ((err = check_cert_info(in, &pub, st)) != PERR_OK)
		return err;
	res->type = WEBAUTHN_ATT_ATTCA;
	return PERR_OK;
}
