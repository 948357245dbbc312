/*
 * Helpers shared by the webauthn unit tests: a tiny CBOR writer, hex input
 * and builders for COSE keys and authenticatorData. Test code only.
 */
#ifndef POCKETID_WEBAUTHN_TEST_UTIL_H
#define POCKETID_WEBAUTHN_TEST_UTIL_H

#include <stdio.h>
#include <string.h>

#include "common/common.h"
#include "crypto/crypto.h"

/* ---- a tiny CBOR writer for building inputs ------------------------------ */

static inline void
cb_head(struct wbuf *w, unsigned major, uint64_t n)
{
	uint8_t b[9];
	size_t len = 1;

	if (n < 24) {
		b[0] = (uint8_t)(major << 5 | n);
	} else if (n <= 0xff) {
		b[0] = (uint8_t)(major << 5 | 24);
		b[1] = (uint8_t)n;
		len = 2;
	} else if (n <= 0xffff) {
		b[0] = (uint8_t)(major << 5 | 25);
		b[1] = (uint8_t)(n >> 8);
		b[2] = (uint8_t)n;
		len = 3;
	} else {
		b[0] = (uint8_t)(major << 5 | 26);
		b[1] = (uint8_t)(n >> 24);
		b[2] = (uint8_t)(n >> 16);
		b[3] = (uint8_t)(n >> 8);
		b[4] = (uint8_t)n;
		len = 5;
	}
	wbuf_put(w, b, len);
}

static inline void
cb_int(struct wbuf *w, int64_t v)
{
	if (v >= 0)
		cb_head(w, 0, (uint64_t)v);
	else
		cb_head(w, 1, (uint64_t)(-1 - v));
}

static inline void
cb_bytes(struct wbuf *w, const void *p, size_t n)
{
	cb_head(w, 2, n);
	wbuf_put(w, p, n);
}

static inline void
cb_text(struct wbuf *w, const char *s)
{
	cb_head(w, 3, strlen(s));
	wbuf_puts(w, s);
}

static inline size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t i, n = strlen(hex) / 2;
	unsigned v;

	assert_true(n <= cap);
	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

/* An ES256 COSE key with the given (not necessarily valid) coordinates. */
static inline void
cose_ec2(struct wbuf *w, int64_t alg, int64_t crv, const uint8_t *x,
    const uint8_t *y, size_t n)
{
	cb_head(w, 5, 5);
	cb_int(w, 1);
	cb_int(w, 2);
	cb_int(w, 3);
	cb_int(w, alg);
	cb_int(w, -1);
	cb_int(w, crv);
	cb_int(w, -2);
	cb_bytes(w, x, n);
	cb_int(w, -3);
	cb_bytes(w, y, n);
}

/* rpIdHash || flags || counter [|| attested data] [|| extensions]. */
static inline void
auth_data(struct wbuf *w, const char *rp_id, uint8_t flags, uint32_t count,
    const uint8_t *cred_id, size_t cred_id_len, const uint8_t *cose,
    size_t cose_len, const uint8_t *ext, size_t ext_len)
{
	uint8_t hash[32], be[4] = { (uint8_t)(count >> 24),
		(uint8_t)(count >> 16), (uint8_t)(count >> 8), (uint8_t)count };
	static const uint8_t aaguid[16] = { 0xaa, 1, 2, 3, 4, 5, 6, 7, 8, 9,
		10, 11, 12, 13, 14, 0xbb };
	uint8_t len[2] = { (uint8_t)(cred_id_len >> 8), (uint8_t)cred_id_len };

	assert_int_equal(crypto_hash(CRYPTO_HASH_SHA256, rp_id, strlen(rp_id),
	    hash), PERR_OK);
	wbuf_put(w, hash, 32);
	wbuf_put(w, &flags, 1);
	wbuf_put(w, be, 4);
	if (cose != NULL) {
		wbuf_put(w, aaguid, 16);
		wbuf_put(w, len, 2);
		wbuf_put(w, cred_id, cred_id_len);
		wbuf_put(w, cose, cose_len);
	}
	if (ext != NULL)
		wbuf_put(w, ext, ext_len);
}

#endif
