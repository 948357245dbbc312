/*
 * ceremony: the relying-party checks the registration (§7.1) and the
 * assertion (§7.2) ceremonies share: client data against the policy, and
 * the authenticatorData flags. Step numbers are WebAuthn Level 3's, first
 * for registration, then for assertion.
 */
#include <string.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "webauthn/wa_int.h"

static bool
in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] != NULL && strcmp(s, list[i]) == 0)
			return true;
	return false;
}

int
wa_check_policy(const struct webauthn_policy *policy,
    struct webauthn_status *st)
{
	if (policy == NULL || policy->challenge == NULL ||
	    policy->challenge_len == 0 || policy->origins == NULL ||
	    policy->origins_len == 0 || policy->rp_id == NULL ||
	    (policy->algs == NULL && policy->algs_len != 0) ||
	    (policy->trust_anchors == NULL && policy->trust_anchors_len != 0))
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_INTERNAL,
		    "the policy lacks a challenge, an origin or the RP ID");
	return PERR_OK;
}

/* §7.1 steps 10-11, §7.2 steps 13-14. */
static int
check_cross_origin(const struct webauthn_policy *policy,
    const struct webauthn_client_data *cd, struct webauthn_status *st)
{
	/* crossOrigin true: the RP must expect to run in such an iframe. */
	if (cd->cross_origin && !policy->cross_origin_allowed)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_CROSS_ORIGIN,
		    "the ceremony ran in a cross-origin iframe");
	if (cd->top_origin == NULL)
		return PERR_OK;
	/* topOrigin present: the same expectation, and a known top page. */
	if (!policy->cross_origin_allowed)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_CROSS_ORIGIN,
		    "the ceremony ran in a cross-origin iframe");
	if (!in_list(cd->top_origin, policy->top_origins,
	    policy->top_origins_len))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_TOP_ORIGIN,
		    "the ceremony ran inside a page the RP does not expect");
	return PERR_OK;
}

static int
check_members(const struct webauthn_policy *policy,
    const struct webauthn_client_data *cd, enum webauthn_cd_type want,
    struct webauthn_status *st)
{
	/* §7.1 step 7, §7.2 step 10: webauthn.create / webauthn.get. */
	if (cd->type != want)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_TYPE,
		    "clientDataJSON has the wrong type");
	/* §7.1 step 8, §7.2 step 11: the challenge we issued. */
	if (cd->challenge_len != policy->challenge_len ||
	    !crypto_memeq(cd->challenge, policy->challenge,
	    policy->challenge_len))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_CHALLENGE,
		    "clientDataJSON carries another challenge");
	/* §7.1 step 9, §7.2 step 12: an expected origin, exactly. */
	if (!in_list(cd->origin, policy->origins, policy->origins_len))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ORIGIN,
		    "the browser's origin is not the one the RP expects");
	return check_cross_origin(policy, cd, st);
}

int
wa_check_client_data(const struct webauthn_policy *policy,
    const uint8_t *json, size_t len, enum webauthn_cd_type want,
    uint8_t hash[32], struct webauthn_status *st)
{
	struct webauthn_client_data cd;
	int err;

	/* §7.1 steps 5-6, §7.2 steps 8-9: UTF-8 decode, parse JSON. */
	if ((err = webauthn_client_data_parse(json, len, &cd)) != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_MALFORMED,
		    "clientDataJSON is malformed");
	err = check_members(policy, &cd, want, st);
	webauthn_client_data_free(&cd);
	if (err != PERR_OK)
		return err;
	/* §7.1 step 12, §7.2 step 20: hash = SHA-256(clientDataJSON). */
	if ((err = crypto_hash(CRYPTO_HASH_SHA256, json, len, hash)) !=
	    PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_INTERNAL,
		    "hashing failed");
	return PERR_OK;
}

int
wa_check_auth_data(const struct webauthn_policy *policy,
    const struct webauthn_auth_data *ad, bool up_optional,
    struct webauthn_status *st)
{
	uint8_t rp_id_hash[32];
	int err;

	/* §7.1 step 14, §7.2 step 15: rpIdHash = SHA-256(RP ID). */
	if ((err = crypto_hash(CRYPTO_HASH_SHA256, policy->rp_id,
	    strlen(policy->rp_id), rp_id_hash)) != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_INTERNAL,
		    "hashing failed");
	if (!crypto_memeq(ad->rp_id_hash, rp_id_hash, sizeof(rp_id_hash)))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_RP_ID,
		    "the credential belongs to another RP ID");
	/* §7.1 step 15, §7.2 step 16: the user was present. */
	if (!up_optional && !(ad->flags & WEBAUTHN_FLAG_UP))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_USER_PRESENCE,
		    "the authenticator did not see the user");
	/* §7.1 step 16, §7.2 step 17: verified when the RP requires it. */
	if (policy->user_verification_required &&
	    !(ad->flags & WEBAUTHN_FLAG_UV))
		return wa_fail(st, PERR_VERIFY,
		    WEBAUTHN_FAIL_USER_VERIFICATION,
		    "the authenticator did not verify the user");
	/* §7.1 step 17, §7.2 step 18: no backup state without eligibility. */
	if ((ad->flags & WEBAUTHN_FLAG_BS) && !(ad->flags & WEBAUTHN_FLAG_BE))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_BACKUP_FLAGS,
		    "backup state set without backup eligibility");
	return PERR_OK;
}
