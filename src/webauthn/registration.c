/*
 * registration: the registration ceremony, WebAuthn Level 3 §7.1 steps 5
 * to 25, on a parsed RegistrationResponseJSON. Steps 1-4 happen in the
 * browser and the caller; 26 (credential ID not yet registered) and 27-29
 * (store the record) are the caller's, with the result we return.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "common/common.h"
#include "webauthn/wa_int.h"

/* Everything the ceremony allocates, released in one place. */
struct reg_state {
	struct webauthn_att_object ao;
	struct webauthn_auth_data ad;
	struct webauthn_cose_key key;
	EVP_PKEY *pkey;
	struct wa_att_result att;
	uint8_t client_data_hash[32];
};

static bool
alg_allowed(const struct webauthn_policy *policy, int32_t alg)
{
	const int32_t *algs = policy->algs;
	size_t i, n = policy->algs_len;

	if (algs == NULL) {
		algs = webauthn_default_algs;
		n = sizeof(webauthn_default_algs) /
		    sizeof(webauthn_default_algs[0]);
	}
	for (i = 0; i < n; i++)
		if (algs[i] == alg)
			return true;
	return false;
}

/* §7.1 step 13 and the attested credential data it must carry. */
static int
decode_object(const struct webauthn_reg_response *resp, struct reg_state *s,
    struct webauthn_status *st)
{
	int err;

	/* Step 13: CBOR-decode attestationObject: fmt, authData, attStmt. */
	if ((err = webauthn_att_object_parse(resp->attestation_object,
	    resp->attestation_object_len, &s->ao)) != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_MALFORMED,
		    "attestationObject is malformed");
	if ((err = webauthn_auth_data_parse(s->ao.auth_data,
	    s->ao.auth_data_len, &s->ad)) != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_MALFORMED,
		    "authenticatorData is malformed");
	/* A registration carries attested credential data (AT, §6.5.1). */
	if (!s->ad.has_attested_credential)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_CREDENTIAL_DATA,
		    "authenticatorData has no attested credential data");
	if ((err = webauthn_cose_key_parse(s->ad.public_key,
	    s->ad.public_key_len, &s->key)) != PERR_OK)
		return wa_fail(st, err, err == PERR_UNSUPPORTED ?
		    WEBAUTHN_FAIL_ALGORITHM : WEBAUTHN_FAIL_MALFORMED,
		    "the credential public key is malformed or unsupported");
	if ((err = wa_cose_key_to_pkey(&s->key, &s->pkey)) != PERR_OK)
		return wa_fail(st, err, err == PERR_UNSUPPORTED ?
		    WEBAUTHN_FAIL_ALGORITHM : WEBAUTHN_FAIL_MALFORMED,
		    "the credential public key is not a valid key");
	return PERR_OK;
}

/* §7.1 steps 21-22: pick the format's verifier and run it. */
static int
verify_statement(const struct webauthn_policy *policy, struct reg_state *s,
    struct webauthn_status *st)
{
	struct wa_att_input in;
	wa_att_verify_fn verify;
	unsigned int allowed = 0;

	/* Step 21: case-sensitive match on fmt; unknown formats fail. */
	if ((verify = wa_att_lookup(s->ao.fmt, &allowed)) == NULL)
		return wa_fail(st, PERR_UNSUPPORTED, WEBAUTHN_FAIL_FORMAT,
		    "unknown attestation statement format");
	if (s->ao.present & ~allowed)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "attStmt has members its format does not define");
	/* Step 22: the format's verification procedure. */
	in.ao = &s->ao;
	in.ad = &s->ad;
	in.cred_key = &s->key;
	in.cred_pkey = s->pkey;
	in.client_data_hash = s->client_data_hash;
	in.now = policy->now;
	return verify(&in, &s->att, st);
}

static int
copy_out(const uint8_t *p, size_t n, uint8_t **out, size_t *out_len)
{
	if ((*out = malloc(n > 0 ? n : 1)) == NULL)
		return PERR_NOMEM;
	if (n > 0)
		memcpy(*out, p, n);
	*out_len = n;
	return PERR_OK;
}

static int
copy_path(STACK_OF(X509) *path, struct webauthn_registration *reg)
{
	unsigned char *der;
	int i, n;

	for (i = 0; path != NULL && i < sk_X509_num(path) &&
	    (size_t)i < WEBAUTHN_X5C_MAX; i++) {
		der = NULL;
		if ((n = i2d_X509(sk_X509_value(path, i), &der)) <= 0)
			return PERR_NOMEM;
		reg->trust_path[i].der = der;
		reg->trust_path[i].len = (size_t)n;
		reg->trust_path_len = (size_t)i + 1;
	}
	return PERR_OK;
}

/* §7.1 step 27's record, as far as this module knows it. */
static int
build_result(const struct webauthn_reg_response *resp,
    const struct reg_state *s, bool trusted,
    struct webauthn_registration **out)
{
	struct webauthn_registration *reg;
	size_t i;
	int err;

	if ((reg = calloc(1, sizeof(*reg))) == NULL)
		return PERR_NOMEM;
	if ((err = copy_out(s->ad.credential_id, s->ad.credential_id_len,
	    &reg->credential_id, &reg->credential_id_len)) != PERR_OK ||
	    (err = copy_out(s->ad.public_key, s->ad.public_key_len,
	    &reg->public_key, &reg->public_key_len)) != PERR_OK ||
	    (err = copy_path(s->att.path, reg)) != PERR_OK)
		goto fail;
	for (i = 0; i < resp->transports_len; i++) {
		if ((reg->transports[i] = str_dup(resp->transports[i])) ==
		    NULL) {
			err = PERR_NOMEM;
			goto fail;
		}
		reg->transports_len = i + 1;
	}
	reg->alg = s->key.alg;
	reg->sign_count = s->ad.sign_count;
	memcpy(reg->aaguid, s->ad.aaguid, sizeof(reg->aaguid));
	reg->flags = s->ad.flags;
	reg->user_verified = (s->ad.flags & WEBAUTHN_FLAG_UV) != 0;
	reg->backup_eligible = (s->ad.flags & WEBAUTHN_FLAG_BE) != 0;
	reg->backup_state = (s->ad.flags & WEBAUTHN_FLAG_BS) != 0;
	memcpy(reg->fmt, s->ao.fmt, sizeof(reg->fmt));
	reg->att_type = s->att.type;
	reg->att_trusted = trusted;
	*out = reg;
	return PERR_OK;
fail:
	webauthn_registration_free(reg);
	return err;
}

static int
run(const struct webauthn_policy *policy,
    const struct webauthn_reg_response *resp, struct reg_state *s,
    bool *trusted, struct webauthn_status *st)
{
	int err;

	/* Steps 5-12: clientDataJSON, then hash it. */
	if ((err = wa_check_client_data(policy, resp->client_data_json,
	    resp->client_data_json_len, WEBAUTHN_CD_CREATE,
	    s->client_data_hash, st)) != PERR_OK)
		return err;
	/* Step 13. */
	if ((err = decode_object(resp, s, st)) != PERR_OK)
		return err;
	/* Steps 14-17: rpIdHash, UP, UV, BE/BS. Steps 18-19 (what BE and
	 * BS mean for policy) are the caller's, from the result. */
	if ((err = wa_check_auth_data(policy, &s->ad,
	    policy->user_presence_optional, st)) != PERR_OK)
		return err;
	/* Step 20: the key's alg is one of the offered pubKeyCredParams. */
	if (!alg_allowed(policy, s->key.alg))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ALGORITHM,
		    "the credential algorithm was not offered");
	/* Steps 21-22. */
	if ((err = verify_statement(policy, s, st)) != PERR_OK)
		return err;
	/* Steps 23-24: with trust anchors, an x5c path must reach one.
	 * None and Self attestation are acceptable under our policy. */
	*trusted = false;
	if (s->att.path != NULL && policy->trust_anchors_len > 0) {
		err = wa_x5c_chain_verify(s->att.path, policy->trust_anchors,
		    policy->trust_anchors_len, policy->now);
		if (err == PERR_VERIFY)
			return wa_fail(st, err, WEBAUTHN_FAIL_TRUST,
			    "the attestation does not chain to a trusted root");
		if (err != PERR_OK)
			return wa_fail(st, err, WEBAUTHN_FAIL_INTERNAL,
			    "a trust anchor is not a DER certificate");
		*trusted = true;
	}
	/* Step 25: credentialId is at most 1023 bytes. */
	if (s->ad.credential_id_len > WEBAUTHN_CREDENTIAL_ID_MAX)
		return wa_fail(st, PERR_TOO_LARGE,
		    WEBAUTHN_FAIL_CREDENTIAL_DATA, "credential ID too long");
	return PERR_OK;
}

int
webauthn_registration_verify(const struct webauthn_policy *policy,
    const struct webauthn_reg_response *resp,
    struct webauthn_registration **out, struct webauthn_status *st)
{
	struct reg_state s;
	bool trusted = false;
	int err;

	*out = NULL;
	wa_fail(st, PERR_OK, WEBAUTHN_FAIL_NONE, NULL);
	if ((err = wa_check_policy(policy, st)) != PERR_OK)
		return err;
	if (resp == NULL)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_MALFORMED,
		    "no response");
	memset(&s, 0, sizeof(s));
	if ((err = run(policy, resp, &s, &trusted, st)) == PERR_OK &&
	    (err = build_result(resp, &s, trusted, out)) != PERR_OK)
		wa_fail(st, err, WEBAUTHN_FAIL_INTERNAL, "out of memory");
	sk_X509_pop_free(s.att.path, X509_free);
	EVP_PKEY_free(s.pkey);
	webauthn_att_object_free(&s.ao);
	return err;
}

void
webauthn_registration_free(struct webauthn_registration *reg)
{
	size_t i;

	if (reg == NULL)
		return;
	free(reg->credential_id);
	free(reg->public_key);
	for (i = 0; i < reg->trust_path_len; i++)
		OPENSSL_free(reg->trust_path[i].der);
	for (i = 0; i < reg->transports_len; i++)
		free(reg->transports[i]);
	free(reg);
}
