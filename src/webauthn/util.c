/*
 * util: the small things every file of src/webauthn shares: failure
 * reporting, names for enums, and the one lenient base64url decoder.
 */
#include <stddef.h>

#include "common/common.h"
#include "codec/codec.h"
#include "webauthn/wa_int.h"

int
wa_fail(struct webauthn_status *st, int err, enum webauthn_fail fail,
    const char *why)
{
	if (st != NULL) {
		st->fail = fail;
		st->why = why;
	}
	return err;
}

const char *
webauthn_fail_str(enum webauthn_fail f)
{
	static const char *const names[] = {
		[WEBAUTHN_FAIL_NONE] = "none",
		[WEBAUTHN_FAIL_MALFORMED] = "malformed",
		[WEBAUTHN_FAIL_TYPE] = "type",
		[WEBAUTHN_FAIL_CHALLENGE] = "challenge",
		[WEBAUTHN_FAIL_ORIGIN] = "origin",
		[WEBAUTHN_FAIL_CROSS_ORIGIN] = "cross-origin",
		[WEBAUTHN_FAIL_TOP_ORIGIN] = "top-origin",
		[WEBAUTHN_FAIL_RP_ID] = "rp-id",
		[WEBAUTHN_FAIL_USER_PRESENCE] = "user-presence",
		[WEBAUTHN_FAIL_USER_VERIFICATION] = "user-verification",
		[WEBAUTHN_FAIL_BACKUP_FLAGS] = "backup-flags",
		[WEBAUTHN_FAIL_ALGORITHM] = "algorithm",
		[WEBAUTHN_FAIL_CREDENTIAL_DATA] = "credential-data",
		[WEBAUTHN_FAIL_FORMAT] = "format",
		[WEBAUTHN_FAIL_ATTESTATION] = "attestation",
		[WEBAUTHN_FAIL_CERTIFICATE] = "certificate",
		[WEBAUTHN_FAIL_TRUST] = "trust",
		[WEBAUTHN_FAIL_SIGNATURE] = "signature",
		[WEBAUTHN_FAIL_INTERNAL] = "internal",
	};

	if ((size_t)f >= sizeof(names) / sizeof(names[0]) || names[f] == NULL)
		return "unknown";
	return names[f];
}

const char *
webauthn_att_type_str(enum webauthn_att_type t)
{
	switch (t) {
	case WEBAUTHN_ATT_SELF:
		return "self";
	case WEBAUTHN_ATT_BASIC:
		return "basic";
	case WEBAUTHN_ATT_ATTCA:
		return "attca";
	case WEBAUTHN_ATT_ANONCA:
		return "anonca";
	default:
		return "none";
	}
}

/*
 * Browsers never pad, but some libraries and captured fixtures do, and
 * go-webauthn (what Pocket ID runs) trims '=' before decoding. We accept
 * exactly the canonical padding (total length a multiple of four, one or
 * two '='), then decode strictly.
 */
int
wa_b64url_decode_lenient(const char *text, size_t len, uint8_t **out,
    size_t *out_len)
{
	size_t pad = 0;

	while (pad < len && pad < 3 && text[len - 1 - pad] == '=')
		pad++;
	if (pad > 0 && (pad > 2 || len % 4 != 0))
		return PERR_INVALID;
	return b64url_decode(text, len - pad, out, out_len);
}
