/*
 * att_none: the "none" attestation statement format (WebAuthn L3 §8.7).
 * The statement is an empty map (the table allows no members), and says
 * nothing about the authenticator.
 */
#include "common/common.h"
#include "webauthn/wa_int.h"

int
wa_att_none(const struct wa_att_input *in, struct wa_att_result *res,
    struct webauthn_status *st)
{
	(void)in;
	(void)st;
	/* §8.7 verification procedure: attestation type None, no path. */
	res->type = WEBAUTHN_ATT_NONE;
	return PERR_OK;
}
