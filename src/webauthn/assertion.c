/*
 * assertion: the authentication ceremony, WebAuthn Level 3 §7.2 steps 8
 * to 22, against a stored credential record. Steps 5-7 (allowCredentials,
 * finding the user and the record by rawId and userHandle) come before and
 * belong to the caller; step 24 (update the record) comes after, with the
 * result we return. Extension outputs (step 23) are ignored.
 */
#include <string.h>

#include "common/common.h"
#include "webauthn/wa_int.h"

/* §7.2 step 19: BE of a known record does not change. */
static int
check_backup(const struct webauthn_credential *cred,
    const struct webauthn_auth_data *ad, struct webauthn_status *st)
{
	bool be = (ad->flags & WEBAUTHN_FLAG_BE) != 0;

	if (cred->has_backup_eligible && cred->backup_eligible != be)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_BACKUP_FLAGS,
		    "backup eligibility differs from the registered one");
	return PERR_OK;
}

/* §7.2 step 21: sig over authData || hash with the stored key. */
static int
check_signature(const struct webauthn_credential *cred,
    const struct webauthn_assert_response *resp, const uint8_t hash[32],
    struct webauthn_status *st)
{
	struct webauthn_cose_key key;
	EVP_PKEY *pkey = NULL;
	int err;

	if ((err = webauthn_cose_key_parse(cred->public_key,
	    cred->public_key_len, &key)) != PERR_OK ||
	    (err = wa_cose_key_to_pkey(&key, &pkey)) != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_INTERNAL,
		    "the stored public key is not usable");
	err = wa_verify_sig2(pkey, key.alg, resp->authenticator_data,
	    resp->authenticator_data_len, hash, 32, resp->signature,
	    resp->signature_len);
	EVP_PKEY_free(pkey);
	if (err != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_SIGNATURE,
		    "the assertion signature does not verify");
	return PERR_OK;
}

int
webauthn_assertion_verify(const struct webauthn_policy *policy,
    const struct webauthn_credential *cred,
    const struct webauthn_assert_response *resp,
    struct webauthn_assertion *out, struct webauthn_status *st)
{
	struct webauthn_auth_data ad;
	uint8_t hash[32];
	int err;

	memset(out, 0, sizeof(*out));
	wa_fail(st, PERR_OK, WEBAUTHN_FAIL_NONE, NULL);
	if ((err = wa_check_policy(policy, st)) != PERR_OK)
		return err;
	if (cred == NULL || cred->public_key == NULL || resp == NULL)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_INTERNAL,
		    "no credential record or response");
	/* Steps 8-14 and 20: clientDataJSON, then its hash. */
	if ((err = wa_check_client_data(policy, resp->client_data_json,
	    resp->client_data_json_len, WEBAUTHN_CD_GET, hash, st)) !=
	    PERR_OK)
		return err;
	if ((err = webauthn_auth_data_parse(resp->authenticator_data,
	    resp->authenticator_data_len, &ad)) != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_MALFORMED,
		    "authenticatorData is malformed");
	/* Steps 15-18: rpIdHash, UP (always), UV, BE/BS. */
	if ((err = wa_check_auth_data(policy, &ad, false, st)) != PERR_OK ||
	    (err = check_backup(cred, &ad, st)) != PERR_OK)
		return err;
	/* Step 21. */
	if ((err = check_signature(cred, resp, hash, st)) != PERR_OK)
		return err;
	/*
	 * Step 22: when either counter is non-zero it must grow; if it does
	 * not, that is a signal (not proof) of a cloned authenticator. We
	 * report it and let the caller log, audit and decide.
	 */
	out->sign_count = ad.sign_count;
	out->counter_regressed = (ad.sign_count != 0 || cred->sign_count != 0)
	    && ad.sign_count <= cred->sign_count;
	out->flags = ad.flags;
	out->user_verified = (ad.flags & WEBAUTHN_FLAG_UV) != 0;
	out->backup_eligible = (ad.flags & WEBAUTHN_FLAG_BE) != 0;
	out->backup_state = (ad.flags & WEBAUTHN_FLAG_BS) != 0;
	return PERR_OK;
}
