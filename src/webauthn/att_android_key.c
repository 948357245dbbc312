/*
 * att_android_key: the "android-key" attestation statement format
 * (WebAuthn L3 §8.4), Android Keystore key attestation. The credential key
 * is certified by the Keystore, whose key description extension carries the
 * attestation challenge and the key's authorisations.
 */
#include <string.h>

#include <openssl/x509.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "webauthn/wa_int.h"

/* Android key attestation extension (§8.4.1) and its schema's values. */
#define OID_ANDROID_KEY "1.3.6.1.4.1.11129.2.1.17"
#define TAG_PURPOSE 1u
#define TAG_ALL_APPLICATIONS 600u
#define TAG_ORIGIN 702u
#define KM_PURPOSE_SIGN 2
#define KM_ORIGIN_GENERATED 0

/* What we need from the two authorization lists, combined. */
struct auths {
	bool all_applications;
	bool has_origin;
	bool origin_not_generated;
	bool has_purpose;
	bool purpose_not_sign;
};

/* purpose: [1] EXPLICIT SET OF INTEGER. */
static int
read_purpose(const struct wa_der *tagged, struct auths *a)
{
	struct rbuf r, set;
	struct wa_der d;
	int64_t v;

	rbuf_init(&r, tagged->value, tagged->len);
	if (wa_der_expect(&r, WA_DER_SET, &d) != PERR_OK || rbuf_left(&r))
		return PERR_INVALID;
	rbuf_init(&set, d.value, d.len);
	while (rbuf_left(&set) > 0) {
		if (wa_der_expect(&set, WA_DER_INTEGER, &d) != PERR_OK ||
		    wa_der_small_int(&d, &v) != PERR_OK)
			return PERR_INVALID;
		a->has_purpose = true;
		if (v != KM_PURPOSE_SIGN)
			a->purpose_not_sign = true;
	}
	return PERR_OK;
}

/* origin: [702] EXPLICIT INTEGER. */
static int
read_origin(const struct wa_der *tagged, struct auths *a)
{
	struct rbuf r;
	struct wa_der d;
	int64_t v;

	rbuf_init(&r, tagged->value, tagged->len);
	if (wa_der_expect(&r, WA_DER_INTEGER, &d) != PERR_OK ||
	    rbuf_left(&r) || wa_der_small_int(&d, &v) != PERR_OK)
		return PERR_INVALID;
	a->has_origin = true;
	if (v != KM_ORIGIN_GENERATED)
		a->origin_not_generated = true;
	return PERR_OK;
}

/* AuthorizationList: SEQUENCE of context-tagged explicit fields. */
static int
read_auth_list(const struct wa_der *list, struct auths *a)
{
	struct rbuf r;
	struct wa_der d;
	int err;

	rbuf_init(&r, list->value, list->len);
	while (rbuf_left(&r) > 0) {
		if ((err = wa_der_read(&r, &d)) != PERR_OK)
			return err;
		if (d.cls != WA_DER_CLASS_CONTEXT || !d.constructed)
			return PERR_INVALID;
		if (d.tag == TAG_PURPOSE)
			err = read_purpose(&d, a);
		else if (d.tag == TAG_ORIGIN)
			err = read_origin(&d, a);
		else if (d.tag == TAG_ALL_APPLICATIONS)
			a->all_applications = true;
		if (err != PERR_OK)
			return err;
	}
	return PERR_OK;
}

/*
 * KeyDescription ::= SEQUENCE { attestationVersion INTEGER,
 * attestationSecurityLevel ENUMERATED, keymasterVersion INTEGER,
 * keymasterSecurityLevel ENUMERATED, attestationChallenge OCTET STRING,
 * uniqueId OCTET STRING, softwareEnforced AuthorizationList,
 * teeEnforced AuthorizationList, ... }
 */
static int
read_key_description(X509 *cert, const uint8_t **challenge,
    size_t *challenge_len, struct auths *a)
{
	static const uint8_t head[] = { WA_DER_INTEGER, WA_DER_ENUMERATED,
		WA_DER_INTEGER, WA_DER_ENUMERATED, WA_DER_OCTET_STRING,
		WA_DER_OCTET_STRING, WA_DER_SEQUENCE, WA_DER_SEQUENCE };
	struct wa_der d, fields[sizeof(head)];
	const uint8_t *value;
	struct rbuf r, seq;
	size_t i, len;
	int err;

	if ((err = wa_x509_ext(cert, OID_ANDROID_KEY, &value, &len, NULL)) !=
	    PERR_OK)
		return err;
	rbuf_init(&r, value, len);
	if (wa_der_expect(&r, WA_DER_SEQUENCE, &d) != PERR_OK ||
	    rbuf_left(&r) != 0)
		return PERR_INVALID;
	rbuf_init(&seq, d.value, d.len);
	/* Later schema versions may append fields; they are not needed. */
	for (i = 0; i < sizeof(head); i++)
		if (wa_der_expect(&seq, head[i], &fields[i]) != PERR_OK)
			return PERR_INVALID;
	*challenge = fields[4].value;
	*challenge_len = fields[4].len;
	if ((err = read_auth_list(&fields[6], a)) != PERR_OK)
		return err;
	return read_auth_list(&fields[7], a);
}

/* §8.4 step 5, using the union of both lists (we accept software keys). */
static int
check_auths(const struct auths *a, struct webauthn_status *st)
{
	if (a->all_applications)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "android key is valid for all applications");
	if (!a->has_origin || a->origin_not_generated)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "android key origin is not KM_ORIGIN_GENERATED");
	if (!a->has_purpose || a->purpose_not_sign)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "android key purpose is not KM_PURPOSE_SIGN");
	return PERR_OK;
}

int
wa_att_android_key(const struct wa_att_input *in, struct wa_att_result *res,
    struct webauthn_status *st)
{
	const struct webauthn_att_object *ao = in->ao;
	unsigned int need = WEBAUTHN_STMT_ALG | WEBAUTHN_STMT_SIG |
	    WEBAUTHN_STMT_X5C;
	struct auths a;
	const uint8_t *challenge;
	size_t challenge_len;
	X509 *leaf;
	int err;

	/* §8.4 step 1: syntax. */
	if ((ao->present & need) != need)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "android-key attestation lacks alg, sig or x5c");
	if ((err = wa_x5c_load(ao, in->now, &res->path, st)) != PERR_OK)
		return err;
	leaf = sk_X509_value(res->path, 0);
	/* §8.4 step 2: sig over authenticatorData || cdh, leaf key, alg. */
	if ((err = wa_verify_sig2(X509_get0_pubkey(leaf), ao->alg,
	    ao->auth_data, ao->auth_data_len, in->client_data_hash, 32,
	    ao->sig, ao->sig_len)) != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_ATTESTATION,
		    "android-key attestation signature does not verify");
	/* §8.4 step 3: the leaf certifies the credential key. */
	if (!wa_x509_key_equals(leaf, in->cred_pkey))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "android-key certificate key is not the credential key");
	memset(&a, 0, sizeof(a));
	if (read_key_description(leaf, &challenge, &challenge_len, &a) !=
	    PERR_OK)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_CERTIFICATE,
		    "android-key certificate lacks a valid key description");
	/* §8.4 step 4: attestationChallenge == clientDataHash. */
	if (challenge_len != 32 ||
	    !crypto_memeq(challenge, in->client_data_hash, 32))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "android-key attestation challenge does not match");
	if ((err = check_auths(&a, st)) != PERR_OK)
		return err;
	/* §8.4 step 6. */
	res->type = WEBAUTHN_ATT_BASIC;
	return PERR_OK;
}
