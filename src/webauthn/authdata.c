/*
 * authdata: authenticatorData (WebAuthn L3 §6.1), read through a bounded
 * cursor. It splits the bytes into their fields and checks the framing
 * (lengths, exactly one CBOR item for the key and for the extensions, no
 * trailing bytes); what the flags and values must be is for the ceremonies.
 */
#include <string.h>

#include "common/common.h"
#include "webauthn/wa_int.h"

#define RP_ID_HASH_LEN 32u
#define AAGUID_LEN 16u

/* One CBOR item at the cursor: its bytes, checked by the bounded scan. */
static int
read_cbor_item(struct rbuf *r, const uint8_t **out, size_t *out_len)
{
	size_t n;
	int err;

	if (rbuf_left(r) == 0)
		return PERR_TRUNCATED;
	if ((err = wa_cbor_item_len(r->data + r->off, rbuf_left(r), &n)) !=
	    PERR_OK)
		return err;
	*out_len = n;
	return rbuf_bytes(r, n, out);
}

/* §6.5.1: aaguid, credentialIdLength, credentialId, credentialPublicKey. */
static int
read_attested(struct rbuf *r, struct webauthn_auth_data *ad)
{
	uint16_t id_len;
	int err;

	if ((err = rbuf_bytes(r, AAGUID_LEN, &ad->aaguid)) != PERR_OK ||
	    (err = rbuf_u16be(r, &id_len)) != PERR_OK)
		return err;
	if (id_len > WEBAUTHN_CREDENTIAL_ID_MAX)
		return PERR_TOO_LARGE;
	if (id_len == 0)
		return PERR_INVALID;
	ad->credential_id_len = id_len;
	if ((err = rbuf_bytes(r, id_len, &ad->credential_id)) != PERR_OK)
		return err;
	ad->has_attested_credential = true;
	return read_cbor_item(r, &ad->public_key, &ad->public_key_len);
}

int
webauthn_auth_data_parse(const uint8_t *data, size_t len,
    struct webauthn_auth_data *out)
{
	struct rbuf r;
	int err;

	memset(out, 0, sizeof(*out));
	if (len > WEBAUTHN_AUTH_DATA_MAX)
		return PERR_TOO_LARGE;
	rbuf_init(&r, data, len);
	if ((err = rbuf_bytes(&r, RP_ID_HASH_LEN, &out->rp_id_hash)) !=
	    PERR_OK || (err = rbuf_u8(&r, &out->flags)) != PERR_OK ||
	    (err = rbuf_u32be(&r, &out->sign_count)) != PERR_OK)
		goto fail;
	if ((out->flags & WEBAUTHN_FLAG_AT) &&
	    (err = read_attested(&r, out)) != PERR_OK)
		goto fail;
	if (out->flags & WEBAUTHN_FLAG_ED) {
		if ((err = read_cbor_item(&r, &out->extensions,
		    &out->extensions_len)) != PERR_OK)
			goto fail;
		/* Extension outputs are a CBOR map (§9). */
		if ((out->extensions[0] >> 5) != 5) {
			err = PERR_INVALID;
			goto fail;
		}
	}
	/* Nothing may follow the fields the flags announce. */
	if (rbuf_left(&r) != 0) {
		err = PERR_INVALID;
		goto fail;
	}
	return PERR_OK;
fail:
	memset(out, 0, sizeof(*out));
	return err;
}
