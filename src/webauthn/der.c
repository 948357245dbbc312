/*
 * der: a minimal DER reader over struct rbuf, for the few attestation
 * certificate extensions OpenSSL has no type for (the Android key
 * description, Apple's nonce, the FIDO AAGUID). It reads one TLV at a time
 * and leaves interpretation to the caller. Definite, minimally encoded
 * lengths only, as DER requires.
 */
#include "common/common.h"
#include "webauthn/wa_int.h"

/* Tag numbers above this are not used by anything we parse. */
#define DER_TAG_MAX 0xffffu

static int
read_tag(struct rbuf *r, struct wa_der *out)
{
	uint8_t b;
	uint32_t tag = 0;
	unsigned int n = 0;
	int err;

	if ((err = rbuf_u8(r, &b)) != PERR_OK)
		return err;
	out->cls = b & 0xc0u;
	out->constructed = (b & WA_DER_CONSTRUCTED) != 0;
	if ((b & 0x1fu) != 0x1fu) {
		out->tag = b & 0x1fu;
		return PERR_OK;
	}
	/* High tag number form: base-128, no leading 0x80, then >= 31. */
	do {
		if ((err = rbuf_u8(r, &b)) != PERR_OK)
			return err;
		if ((n == 0 && b == 0x80u) || ++n > 3)
			return PERR_INVALID;
		tag = (tag << 7) | (b & 0x7fu);
	} while (b & 0x80u);
	if (tag < 31 || tag > DER_TAG_MAX)
		return PERR_INVALID;
	out->tag = tag;
	return PERR_OK;
}

static int
read_len(struct rbuf *r, size_t *out)
{
	uint8_t b;
	size_t len = 0;
	unsigned int i, n;
	int err;

	if ((err = rbuf_u8(r, &b)) != PERR_OK)
		return err;
	if (b < 0x80u) {
		*out = b;
		return PERR_OK;
	}
	n = b & 0x7fu;
	/* 0x80 is BER's indefinite length; more than 4 octets is absurd. */
	if (n == 0 || n > 4)
		return PERR_INVALID;
	for (i = 0; i < n; i++) {
		if ((err = rbuf_u8(r, &b)) != PERR_OK)
			return err;
		if (i == 0 && b == 0)
			return PERR_INVALID; /* not minimal */
		len = (len << 8) | b;
	}
	if (len < 0x80u)
		return PERR_INVALID; /* short form was required */
	*out = len;
	return PERR_OK;
}

int
wa_der_read(struct rbuf *r, struct wa_der *out)
{
	size_t start = r->off;
	int err;

	if ((err = read_tag(r, out)) != PERR_OK ||
	    (err = read_len(r, &out->len)) != PERR_OK ||
	    (err = rbuf_bytes(r, out->len, &out->value)) != PERR_OK) {
		r->off = start;
		return err;
	}
	return PERR_OK;
}

int
wa_der_expect(struct rbuf *r, uint8_t identifier, struct wa_der *out)
{
	size_t start = r->off;
	uint8_t id;
	int err;

	if ((err = wa_der_read(r, out)) != PERR_OK)
		return err;
	id = (uint8_t)(out->cls | (out->constructed ? WA_DER_CONSTRUCTED : 0) |
	    (out->tag < 31 ? out->tag : 0x1fu));
	if (out->tag >= 31 || id != identifier) {
		r->off = start;
		return PERR_INVALID;
	}
	return PERR_OK;
}

int
wa_der_small_int(const struct wa_der *d, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (d->len == 0 || d->len > 8)
		return PERR_INVALID;
	/* Negative values have no meaning in the fields we read. */
	if (d->value[0] & 0x80u)
		return PERR_INVALID;
	if (d->len > 1 && d->value[0] == 0 && !(d->value[1] & 0x80u))
		return PERR_INVALID; /* not minimal */
	for (i = 0; i < d->len; i++)
		v = (int64_t)(((uint64_t)v << 8) | d->value[i]);
	*out = v;
	return PERR_OK;
}
