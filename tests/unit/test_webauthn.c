/*
 * Unit tests for src/webauthn that need no outside data: the bounded CBOR
 * walk and the DER reader, each parser (clientDataJSON, authenticatorData,
 * COSE keys, attestationObject, the response JSON) on good input, on
 * every strictness rule, and truncated at every byte offset; then both
 * ceremonies end to end with a software authenticator (ES256, Ed25519,
 * RSA-PSS), one test per check, and single-bit flips of a whole assertion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "webauthn/webauthn.h"
#include "webauthn/wa_int.h"

#define RP_ID "login.example.com"
#define ORIGIN "https://login.example.com"
#define NOW 1750000000 /* 2025-06-15 */

/* ---- a tiny CBOR writer for building inputs ----------------------------- */

static void
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

static void
cb_int(struct wbuf *w, int64_t v)
{
	if (v >= 0)
		cb_head(w, 0, (uint64_t)v);
	else
		cb_head(w, 1, (uint64_t)(-1 - v));
}

static void
cb_bytes(struct wbuf *w, const void *p, size_t n)
{
	cb_head(w, 2, n);
	wbuf_put(w, p, n);
}

static void
cb_text(struct wbuf *w, const char *s)
{
	cb_head(w, 3, strlen(s));
	wbuf_puts(w, s);
}

static size_t
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

static int
cbor_hex(const char *hex)
{
	uint8_t buf[4096];
	size_t n = unhex(hex, buf, sizeof(buf));
	cbor_item_t *item = NULL;
	int err = wa_cbor_decode(buf, n, &item);

	if (item != NULL)
		cbor_decref(&item);
	return err;
}

/* ---- the bounded CBOR walk --------------------------------------------- */

static void
test_cbor_accepts_the_webauthn_subset(void **state)
{
	(void)state;
	assert_int_equal(cbor_hex("a2010203" "26"), PERR_OK);
	assert_int_equal(cbor_hex("a30102032620f5"), PERR_OK); /* true */
	assert_int_equal(cbor_hex("a2616100616201"), PERR_OK);
	/* 1 and -2 share an argument but are different keys. */
	assert_int_equal(cbor_hex("a2010021" "00"), PERR_OK);
	assert_int_equal(cbor_hex("83f4f5f6"), PERR_OK); /* false true null */
}

static void
test_cbor_refuses_what_webauthn_never_uses(void **state)
{
	(void)state;
	assert_int_equal(cbor_hex("5f4100ff"), PERR_INVALID); /* indefinite */
	assert_int_equal(cbor_hex("bf0102ff"), PERR_INVALID);
	assert_int_equal(cbor_hex("9f01ff"), PERR_INVALID);
	assert_int_equal(cbor_hex("c100"), PERR_INVALID);	/* tag */
	assert_int_equal(cbor_hex("f90000"), PERR_INVALID); /* half float */
	assert_int_equal(cbor_hex("fb0000000000000000"), PERR_INVALID);
	assert_int_equal(cbor_hex("f7"), PERR_INVALID);	/* undefined */
	assert_int_equal(cbor_hex("f820"), PERR_INVALID);	/* simple 32 */
	assert_int_equal(cbor_hex("1c"), PERR_INVALID);	/* reserved */
	assert_int_equal(cbor_hex("ff"), PERR_INVALID);	/* lone break */
	assert_int_equal(cbor_hex("62c328"), PERR_INVALID); /* bad UTF-8 */
	assert_int_equal(cbor_hex("6100"), PERR_INVALID);	/* NUL in text */
	assert_int_equal(cbor_hex("a1410000"), PERR_INVALID); /* bytes key */
	assert_int_equal(cbor_hex("a1f500"), PERR_INVALID);   /* bool key */
	assert_int_equal(cbor_hex("a18000"), PERR_INVALID);   /* array key */
	assert_int_equal(cbor_hex("a000"), PERR_INVALID);	/* trailing */
}

static void
test_cbor_refuses_duplicate_keys_anywhere(void **state)
{
	(void)state;
	assert_int_equal(cbor_hex("a201010102"), PERR_INVALID);
	assert_int_equal(cbor_hex("a22000" "2001"), PERR_INVALID);
	assert_int_equal(cbor_hex("a2616100616101"), PERR_INVALID);
	assert_int_equal(cbor_hex("81a201010102"), PERR_INVALID);
	assert_int_equal(cbor_hex("a101a201010102"), PERR_INVALID);
}

static void
test_cbor_limits_are_checked_before_allocating(void **state)
{
	char hex[8192];
	size_t i;

	(void)state;
	/* Lengths that promise more than the input holds. */
	assert_int_equal(cbor_hex("9bffffffffffffffff"), PERR_TRUNCATED);
	assert_int_equal(cbor_hex("9a7fffffff00"), PERR_TRUNCATED);
	assert_int_equal(cbor_hex("5affffffff00"), PERR_TRUNCATED);
	assert_int_equal(cbor_hex("7bffffffffffffffff"), PERR_TRUNCATED);
	assert_int_equal(cbor_hex("b818" "0000"), PERR_TRUNCATED);
	/* Nesting: 16 levels pass, 17 do not. */
	hex[0] = '\0';
	for (i = 0; i < 15; i++)
		strcat(hex, "81");
	strcat(hex, "80");
	assert_int_equal(cbor_hex(hex), PERR_OK);
	memmove(hex + 2, hex, strlen(hex) + 1);
	memcpy(hex, "81", 2);
	assert_int_equal(cbor_hex(hex), PERR_TOO_LARGE);
	/* Items: an array of WEBAUTHN_CBOR_ITEMS_MAX zeros is one too many. */
	snprintf(hex, sizeof(hex), "9908%02x", 0);
	for (i = 0; i < WEBAUTHN_CBOR_ITEMS_MAX; i++)
		strcat(hex, "00");
	assert_int_equal(cbor_hex(hex), PERR_TOO_LARGE);
	/* Maps: at most WEBAUTHN_CBOR_MAP_MAX pairs. */
	snprintf(hex, sizeof(hex), "b8%02x", WEBAUTHN_CBOR_MAP_MAX + 1);
	for (i = 0; i <= WEBAUTHN_CBOR_MAP_MAX; i++)
		snprintf(hex + strlen(hex), 7, "18%02x00", (unsigned)i);
	assert_int_equal(cbor_hex(hex), PERR_TOO_LARGE);
}

static void
test_cbor_truncated_at_every_offset(void **state)
{
	static const char *const samples[] = { "83f4f5f6", "a2616100616201",
		"9a000000020102", "a2" "6378356381" "5900030102" "03" "6161f6" };
	uint8_t buf[512], xy[32];
	cbor_item_t *item;
	struct wbuf w;
	size_t i, cut, n;

	(void)state;
	memset(xy, 0x33, sizeof(xy));
	wbuf_init(&w);
	cb_head(&w, 5, 5);
	cb_int(&w, 1);
	cb_int(&w, 2);
	cb_int(&w, 3);
	cb_int(&w, -7);
	cb_int(&w, -1);
	cb_int(&w, 1);
	cb_int(&w, -2);
	cb_bytes(&w, xy, 32);
	cb_int(&w, -3);
	cb_bytes(&w, xy, 32);
	for (i = 0; i <= sizeof(samples) / sizeof(samples[0]); i++) {
		if (i < sizeof(samples) / sizeof(samples[0])) {
			n = unhex(samples[i], buf, sizeof(buf));
		} else {
			n = w.len;
			memcpy(buf, w.data, n);
		}
		item = NULL;
		assert_int_equal(wa_cbor_decode(buf, n, &item), PERR_OK);
		cbor_decref(&item);
		for (cut = 0; cut < n; cut++) {
			item = NULL;
			assert_int_not_equal(wa_cbor_decode(buf, cut, &item),
			    PERR_OK);
			assert_null(item);
		}
	}
	wbuf_free(&w);
}

/* ---- the DER reader ------------------------------------------------------- */

static int
der_hex(const char *hex, struct wa_der *d)
{
	static uint8_t buf[64];
	size_t n = unhex(hex, buf, sizeof(buf));
	struct rbuf r;
	int err;

	rbuf_init(&r, buf, n);
	if ((err = wa_der_read(&r, d)) == PERR_OK && rbuf_left(&r) != 0)
		return PERR_INVALID;
	return err;
}

static void
test_der_reader(void **state)
{
	struct wa_der d;
	int64_t v;

	(void)state;
	assert_int_equal(der_hex("0403010203", &d), PERR_OK);
	assert_int_equal(d.tag, WA_DER_OCTET_STRING);
	assert_int_equal(d.len, 3);
	/* [702] EXPLICIT INTEGER 0, high tag number form. */
	assert_int_equal(der_hex("bf853e03020100", &d), PERR_OK);
	assert_int_equal(d.tag, 702);
	assert_int_equal(d.cls, WA_DER_CLASS_CONTEXT);
	assert_true(d.constructed);
	assert_int_equal(der_hex("bf80853e03020100", &d), PERR_INVALID);
	assert_int_equal(der_hex("bf1e00", &d), PERR_INVALID); /* < 31 */
	assert_int_equal(der_hex("048103010203", &d), PERR_INVALID);
	assert_int_equal(der_hex("04820003010203", &d), PERR_INVALID);
	assert_int_equal(der_hex("0480", &d), PERR_INVALID); /* BER */
	assert_int_equal(der_hex("0485ffffffffff", &d), PERR_INVALID);
	assert_int_equal(der_hex("0404010203", &d), PERR_TRUNCATED);
	assert_int_equal(der_hex("04", &d), PERR_TRUNCATED);
	assert_int_equal(der_hex("020200ff", &d), PERR_OK);
	assert_int_equal(wa_der_small_int(&d, &v), PERR_OK);
	assert_int_equal(v, 255);
	assert_int_equal(der_hex("0202007f", &d), PERR_OK);
	assert_int_equal(wa_der_small_int(&d, &v), PERR_INVALID);
	assert_int_equal(der_hex("0201ff", &d), PERR_OK);
	assert_int_equal(wa_der_small_int(&d, &v), PERR_INVALID);
}

/* ---- clientDataJSON ----------------------------------------------------- */

static int
client_data(const char *json, struct webauthn_client_data *cd)
{
	return webauthn_client_data_parse((const uint8_t *)json, strlen(json),
	    cd);
}

static void
test_client_data_parse(void **state)
{
	static const char good[] =
	    "{\"type\":\"webauthn.get\",\"challenge\":\"AAEC\","
	    "\"origin\":\"https://a.example\",\"crossOrigin\":true,"
	    "\"topOrigin\":\"https://b.example\",\"other\":[1,{}]}";
	struct webauthn_client_data cd;
	char bom[sizeof(good) + 3] = "\xef\xbb\xbf";
	size_t cut;

	(void)state;
	assert_int_equal(client_data(good, &cd), PERR_OK);
	assert_int_equal(cd.type, WEBAUTHN_CD_GET);
	assert_int_equal(cd.challenge_len, 3);
	assert_memory_equal(cd.challenge, "\x00\x01\x02", 3);
	assert_string_equal(cd.origin, "https://a.example");
	assert_true(cd.cross_origin);
	assert_string_equal(cd.top_origin, "https://b.example");
	webauthn_client_data_free(&cd);
	/* §7.1 step 5: a leading byte order mark is stripped. */
	strcat(bom, good);
	assert_int_equal(client_data(bom, &cd), PERR_OK);
	webauthn_client_data_free(&cd);
	for (cut = 0; cut < strlen(good); cut++)
		assert_int_not_equal(webauthn_client_data_parse(
		    (const uint8_t *)good, cut, &cd), PERR_OK);
}

static void
test_client_data_strictness(void **state)
{
	static const char *const bad[] = {
		"[]",
		"{\"challenge\":\"AAEC\",\"origin\":\"o\"}",
		"{\"type\":\"webauthn.get\",\"origin\":\"o\"}",
		"{\"type\":\"webauthn.get\",\"challenge\":\"AAEC\"}",
		"{\"type\":1,\"challenge\":\"AAEC\",\"origin\":\"o\"}",
		"{\"type\":\"webauthn.get\",\"challenge\":\"AAE=\","
		"\"origin\":\"o\"}",
		"{\"type\":\"webauthn.get\",\"challenge\":\"AA+/\","
		"\"origin\":\"o\"}",
		"{\"type\":\"webauthn.get\",\"challenge\":\"AAEC\","
		"\"origin\":\"o\\u0000x\"}",
		"{\"type\":\"webauthn.get\",\"challenge\":\"AAEC\","
		"\"origin\":\"o\",\"crossOrigin\":\"true\"}",
		"{\"type\":\"webauthn.get\",\"challenge\":\"AAEC\","
		"\"origin\":\"o\",\"topOrigin\":null}",
		"{\"type\":\"webauthn.get\",\"challenge\":\"AAEC\","
		"\"origin\":\"o\"} x",
	};
	struct webauthn_client_data cd;
	uint8_t *big;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(client_data(bad[i], &cd), PERR_INVALID);
	/* An unknown type parses; the ceremony refuses it. */
	assert_int_equal(client_data("{\"type\":\"payment.get\","
	    "\"challenge\":\"AAEC\",\"origin\":\"o\"}", &cd), PERR_OK);
	assert_int_equal(cd.type, WEBAUTHN_CD_OTHER);
	webauthn_client_data_free(&cd);
	big = calloc(1, WEBAUTHN_CLIENT_DATA_MAX + 1);
	assert_non_null(big);
	assert_int_equal(webauthn_client_data_parse(big,
	    WEBAUTHN_CLIENT_DATA_MAX + 1, &cd), PERR_TOO_LARGE);
	free(big);
}

/* ---- authenticatorData ---------------------------------------------------- */

/* An ES256 COSE key with the given (not necessarily valid) coordinates. */
static void
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
static void
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

static void
test_auth_data_parse(void **state)
{
	static const uint8_t id[4] = { 9, 8, 7, 6 }, xy[32] = { 1 };
	static const uint8_t ext[] = { 0xa1, 0x6b, 'c', 'r', 'e', 'd', 'P',
		'r', 'o', 't', 'e', 'c', 't', 0x02 };
	struct webauthn_auth_data ad;
	struct wbuf cose, w;
	size_t cut;

	(void)state;
	wbuf_init(&cose);
	wbuf_init(&w);
	cose_ec2(&cose, -7, 1, xy, xy, 32);
	auth_data(&w, RP_ID, 0x45 | 0x80, 7, id, 4, cose.data, cose.len, ext,
	    sizeof(ext));
	assert_int_equal(webauthn_auth_data_parse(w.data, w.len, &ad),
	    PERR_OK);
	assert_int_equal(ad.flags, 0xc5);
	assert_int_equal(ad.sign_count, 7);
	assert_true(ad.has_attested_credential);
	assert_int_equal(ad.aaguid[0], 0xaa);
	assert_int_equal(ad.credential_id_len, 4);
	assert_memory_equal(ad.credential_id, id, 4);
	assert_int_equal(ad.public_key_len, cose.len);
	assert_memory_equal(ad.public_key, cose.data, cose.len);
	assert_int_equal(ad.extensions_len, sizeof(ext));
	for (cut = 0; cut < w.len; cut++)
		assert_int_not_equal(webauthn_auth_data_parse(w.data, cut,
		    &ad), PERR_OK);
	/* One byte more than the flags announce. */
	wbuf_putc(&w, 0);
	assert_int_equal(webauthn_auth_data_parse(w.data, w.len, &ad),
	    PERR_INVALID);
	wbuf_free(&w);
	wbuf_free(&cose);
}

static void
test_auth_data_strictness(void **state)
{
	static const uint8_t xy[32] = { 1 }, not_map[] = { 0x80 };
	uint8_t *id = calloc(1, WEBAUTHN_CREDENTIAL_ID_MAX + 1);
	struct webauthn_auth_data ad;
	struct wbuf cose, w;

	(void)state;
	assert_non_null(id);
	wbuf_init(&cose);
	cose_ec2(&cose, -7, 1, xy, xy, 32);
	/* The longest credential ID passes, one byte more does not. */
	wbuf_init(&w);
	auth_data(&w, RP_ID, 0x41, 0, id, WEBAUTHN_CREDENTIAL_ID_MAX,
	    cose.data, cose.len, NULL, 0);
	assert_int_equal(webauthn_auth_data_parse(w.data, w.len, &ad),
	    PERR_OK);
	wbuf_reset(&w);
	auth_data(&w, RP_ID, 0x41, 0, id, WEBAUTHN_CREDENTIAL_ID_MAX + 1,
	    cose.data, cose.len, NULL, 0);
	assert_int_equal(webauthn_auth_data_parse(w.data, w.len, &ad),
	    PERR_TOO_LARGE);
	wbuf_reset(&w);
	auth_data(&w, RP_ID, 0x41, 0, id, 0, cose.data, cose.len, NULL, 0);
	assert_int_equal(webauthn_auth_data_parse(w.data, w.len, &ad),
	    PERR_INVALID);
	/* ED with something other than a map. */
	wbuf_reset(&w);
	auth_data(&w, RP_ID, 0x81, 0, NULL, 0, NULL, 0, not_map, 1);
	assert_int_equal(webauthn_auth_data_parse(w.data, w.len, &ad),
	    PERR_INVALID);
	/* Attested data without AT. */
	wbuf_reset(&w);
	auth_data(&w, RP_ID, 0x01, 0, id, 4, cose.data, cose.len, NULL, 0);
	assert_int_equal(webauthn_auth_data_parse(w.data, w.len, &ad),
	    PERR_INVALID);
	/* A COSE key that is not one CBOR item. */
	wbuf_reset(&w);
	auth_data(&w, RP_ID, 0x41, 0, id, 4, (const uint8_t *)"\x5f", 1, NULL,
	    0);
	assert_int_equal(webauthn_auth_data_parse(w.data, w.len, &ad),
	    PERR_INVALID);
	wbuf_free(&w);
	wbuf_free(&cose);
	free(id);
}

/* ---- COSE keys ------------------------------------------------------------ */

/* A COSE key from a list of (label, kind, value) for the bad-key cases. */
struct label {
	int64_t label;
	char kind; /* 'i' integer, 'b' bytes of length n, 't' true */
	int64_t v;
};

static void
cose_from(struct wbuf *w, const struct label *l, size_t n)
{
	uint8_t bytes[600];
	size_t i;

	memset(bytes, 0x5a, sizeof(bytes));
	cb_head(w, 5, n);
	for (i = 0; i < n; i++) {
		cb_int(w, l[i].label);
		if (l[i].kind == 'i')
			cb_int(w, l[i].v);
		else if (l[i].kind == 'b')
			cb_bytes(w, bytes, (size_t)l[i].v);
		else
			wbuf_putc(w, (char)0xf5);
	}
}

static int
cose_parse_labels(const struct label *l, size_t n)
{
	struct webauthn_cose_key key;
	struct wbuf w;
	int err;

	wbuf_init(&w);
	cose_from(&w, l, n);
	err = webauthn_cose_key_parse(w.data, w.len, &key);
	wbuf_free(&w);
	return err;
}

#define COSE(...)                                                          \
	cose_parse_labels((const struct label[]){ __VA_ARGS__ },           \
	    sizeof((const struct label[]){ __VA_ARGS__ }) /                \
	    sizeof(struct label))

static void
test_cose_key_consistency(void **state)
{
	(void)state;
	/* Well-formed shapes of each key type. */
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -7 }, { -1, 'i', 1 },
	    { -2, 'b', 32 }, { -3, 'b', 32 }), PERR_OK);
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -35 }, { -1, 'i', 2 },
	    { -2, 'b', 48 }, { -3, 'b', 48 }), PERR_OK);
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -36 }, { -1, 'i', 3 },
	    { -2, 'b', 66 }, { -3, 'b', 66 }), PERR_OK);
	assert_int_equal(COSE({ 1, 'i', 1 }, { 3, 'i', -8 }, { -1, 'i', 6 },
	    { -2, 'b', 32 }), PERR_OK);
	assert_int_equal(COSE({ 1, 'i', 3 }, { 3, 'i', -257 },
	    { -1, 'b', 256 }, { -2, 'b', 3 }), PERR_OK);
	assert_int_equal(COSE({ 1, 'i', 3 }, { 3, 'i', -37 }, { 2, 'b', 4 },
	    { -1, 'b', 256 }, { -2, 'b', 3 }), PERR_OK); /* with kid */
	/* Algorithm and key type or curve disagree. */
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -257 }, { -1, 'i', 1 },
	    { -2, 'b', 32 }, { -3, 'b', 32 }), PERR_INVALID);
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -7 }, { -1, 'i', 2 },
	    { -2, 'b', 48 }, { -3, 'b', 48 }), PERR_INVALID);
	assert_int_equal(COSE({ 1, 'i', 1 }, { 3, 'i', -8 }, { -1, 'i', 7 },
	    { -2, 'b', 57 }), PERR_UNSUPPORTED); /* Ed448 */
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -9 }, { -1, 'i', 1 },
	    { -2, 'b', 32 }, { -3, 'b', 32 }), PERR_UNSUPPORTED);
	assert_int_equal(COSE({ 1, 'i', 4 }, { 3, 'i', -7 }), PERR_UNSUPPORTED);
	/* Coordinates of the wrong size, compressed or missing y. */
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -7 }, { -1, 'i', 1 },
	    { -2, 'b', 31 }, { -3, 'b', 32 }), PERR_INVALID);
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -7 }, { -1, 'i', 1 },
	    { -2, 'b', 32 }, { -3, 't', 0 }), PERR_INVALID);
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -7 }, { -1, 'i', 1 },
	    { -2, 'b', 32 }), PERR_INVALID);
	/* Missing alg, private or unknown members, wrong member types. */
	assert_int_equal(COSE({ 1, 'i', 2 }, { -1, 'i', 1 }, { -2, 'b', 32 },
	    { -3, 'b', 32 }), PERR_INVALID);
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -7 }, { -1, 'i', 1 },
	    { -2, 'b', 32 }, { -3, 'b', 32 }, { -4, 'b', 32 }), PERR_INVALID);
	assert_int_equal(COSE({ 1, 'i', 1 }, { 3, 'i', -8 }, { -1, 'i', 6 },
	    { -2, 'b', 32 }, { -4, 'b', 32 }), PERR_INVALID);
	assert_int_equal(COSE({ 1, 'i', 3 }, { 3, 'i', -257 },
	    { -1, 'b', 256 }, { -2, 'b', 3 }, { -3, 'b', 256 }), PERR_INVALID);
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -7 }, { 4, 'i', 1 },
	    { -1, 'i', 1 }, { -2, 'b', 32 }, { -3, 'b', 32 }), PERR_INVALID);
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -7 }, { 2, 'i', 1 },
	    { -1, 'i', 1 }, { -2, 'b', 32 }, { -3, 'b', 32 }), PERR_INVALID);
	assert_int_equal(COSE({ 1, 'b', 1 }, { 3, 'i', -7 }), PERR_INVALID);
	assert_int_equal(COSE({ 1, 'i', 2 }, { 3, 'i', -7 }, { 3, 'i', -7 },
	    { -1, 'i', 1 }, { -2, 'b', 32 }, { -3, 'b', 32 }), PERR_INVALID);
	/* RSA below 2048 bits, or with a 9-byte exponent. */
	assert_int_equal(COSE({ 1, 'i', 3 }, { 3, 'i', -257 },
	    { -1, 'b', 128 }, { -2, 'b', 3 }), PERR_UNSUPPORTED);
	assert_int_equal(COSE({ 1, 'i', 3 }, { 3, 'i', -257 },
	    { -1, 'b', 256 }, { -2, 'b', 9 }), PERR_TOO_LARGE);
}

/* ---- a software authenticator ------------------------------------------- */

struct soft {
	EVP_PKEY *key;
	int32_t alg;
	struct wbuf cose;
	uint8_t cred_id[16];
};

static void
soft_init(struct soft *a, int32_t alg)
{
	struct crypto_key_parts parts;

	memset(a, 0, sizeof(*a));
	memset(a->cred_id, 0xc1, sizeof(a->cred_id));
	a->alg = alg;
	wbuf_init(&a->cose);
	memset(&parts, 0, sizeof(parts));
	if (alg == WEBAUTHN_ALG_ES256)
		assert_int_equal(crypto_pkey_generate_ec(CRYPTO_CURVE_P256,
		    &a->key), PERR_OK);
	else if (alg == WEBAUTHN_ALG_EDDSA)
		assert_int_equal(crypto_pkey_generate_ed25519(&a->key),
		    PERR_OK);
	else
		assert_int_equal(crypto_pkey_generate_rsa(2048, &a->key),
		    PERR_OK);
	assert_int_equal(crypto_pkey_export(a->key, false, &parts), PERR_OK);
	if (alg == WEBAUTHN_ALG_ES256) {
		cose_ec2(&a->cose, alg, 1, parts.x.p, parts.y.p, 32);
	} else if (alg == WEBAUTHN_ALG_EDDSA) {
		cb_head(&a->cose, 5, 4);
		cb_int(&a->cose, 1);
		cb_int(&a->cose, 1);
		cb_int(&a->cose, 3);
		cb_int(&a->cose, alg);
		cb_int(&a->cose, -1);
		cb_int(&a->cose, 6);
		cb_int(&a->cose, -2);
		cb_bytes(&a->cose, parts.x.p, parts.x.len);
	} else {
		cb_head(&a->cose, 5, 4);
		cb_int(&a->cose, 1);
		cb_int(&a->cose, 3);
		cb_int(&a->cose, 3);
		cb_int(&a->cose, alg);
		cb_int(&a->cose, -1);
		cb_bytes(&a->cose, parts.n.p, parts.n.len);
		cb_int(&a->cose, -2);
		cb_bytes(&a->cose, parts.e.p, parts.e.len);
	}
	crypto_key_parts_clear(&parts);
	assert_int_equal(wbuf_error(&a->cose), PERR_OK);
}

static void
soft_free(struct soft *a)
{
	EVP_PKEY_free(a->key);
	wbuf_free(&a->cose);
}

/* Signs a || b as the credential's algorithm prescribes. */
static void
soft_sign(const struct soft *a, const uint8_t *p, size_t n, const uint8_t *q,
    size_t m, uint8_t **sig, size_t *sig_len)
{
	const struct wa_alg *alg = wa_alg_find(a->alg);
	struct wbuf msg;

	wbuf_init(&msg);
	wbuf_put(&msg, p, n);
	wbuf_put(&msg, q, m);
	assert_int_equal(crypto_sign(a->key, alg->scheme, alg->hash, msg.data,
	    msg.len, sig, sig_len), PERR_OK);
	wbuf_free(&msg);
}

static const uint8_t challenge[16] = { 'c', 'h', 'a', 'l', 'l', 'e', 'n',
	'g', 'e', '-', 'b', 'y', 't', 'e', 's', '!' };

static char *
client_json(const char *type, const char *origin, const char *extra)
{
	char *b64 = b64url_encode(challenge, sizeof(challenge), NULL);
	struct wbuf w;

	wbuf_init(&w);
	wbuf_printf(&w, "{\"type\":\"%s\",\"challenge\":\"%s\","
	    "\"origin\":\"%s\"%s}", type, b64, origin, extra);
	free(b64);
	return wbuf_steal(&w, NULL);
}

static void
policy_init(struct webauthn_policy *p)
{
	static const char *const origins[] = { ORIGIN };

	memset(p, 0, sizeof(*p));
	p->challenge = challenge;
	p->challenge_len = sizeof(challenge);
	p->origins = origins;
	p->origins_len = 1;
	p->rp_id = RP_ID;
	p->now = NOW;
}

/* What a registration test varies. */
struct reg_opts {
	const char *type, *origin, *extra, *fmt;
	uint8_t flags;
	bool self_attest, bad_sig, extra_member;
	int32_t stmt_alg;
};

static const struct reg_opts reg_default = { "webauthn.create", ORIGIN, "",
	"none", 0x45, false, false, false, 0 };

static struct webauthn_reg_response *
make_registration(const struct soft *a, const struct reg_opts *o)
{
	struct webauthn_reg_response *r = calloc(1, sizeof(*r));
	struct wbuf ad, obj;
	uint8_t cdh[32], *sig = NULL;
	size_t sig_len = 0;
	char *cd;

	assert_non_null(r);
	cd = client_json(o->type, o->origin, o->extra);
	r->client_data_json = (uint8_t *)cd;
	r->client_data_json_len = strlen(cd);
	assert_int_equal(crypto_hash(CRYPTO_HASH_SHA256, cd, strlen(cd), cdh),
	    PERR_OK);
	wbuf_init(&ad);
	auth_data(&ad, RP_ID, o->flags, 0, a->cred_id, sizeof(a->cred_id),
	    (o->flags & 0x40) ? a->cose.data : NULL, a->cose.len, NULL, 0);
	wbuf_init(&obj);
	cb_head(&obj, 5, 3);
	cb_text(&obj, "fmt");
	cb_text(&obj, o->fmt);
	cb_text(&obj, "attStmt");
	if (o->self_attest) {
		soft_sign(a, ad.data, ad.len, cdh, 32, &sig, &sig_len);
		if (o->bad_sig)
			sig[sig_len / 2] ^= 1;
		cb_head(&obj, 5, o->extra_member ? 3 : 2);
		cb_text(&obj, "alg");
		cb_int(&obj, o->stmt_alg ? o->stmt_alg : a->alg);
		cb_text(&obj, "sig");
		cb_bytes(&obj, sig, sig_len);
	} else {
		cb_head(&obj, 5, o->extra_member ? 1 : 0);
	}
	if (o->extra_member) {
		cb_text(&obj, "ver");
		cb_text(&obj, "2.0");
	}
	cb_text(&obj, "authData");
	cb_bytes(&obj, ad.data, ad.len);
	assert_int_equal(wbuf_error(&obj), PERR_OK);
	r->attestation_object = (uint8_t *)wbuf_steal(&obj,
	    &r->attestation_object_len);
	r->id = str_dup("id");
	r->transports[0] = str_dup("usb");
	r->transports[1] = str_dup("hybrid");
	r->transports_len = 2;
	free(sig);
	wbuf_free(&ad);
	return r;
}

/* Runs a registration and returns the failure it reports. */
static enum webauthn_fail
register_with(const struct soft *a, const struct reg_opts *o,
    const struct webauthn_policy *p)
{
	struct webauthn_reg_response *r = make_registration(a, o);
	struct webauthn_registration *reg = NULL;
	struct webauthn_status st;
	int err;

	err = webauthn_registration_verify(p, r, &reg, &st);
	assert_true((err == PERR_OK) == (st.fail == WEBAUTHN_FAIL_NONE));
	assert_true((err == PERR_OK) == (reg != NULL));
	webauthn_registration_free(reg);
	webauthn_reg_response_free(r);
	return st.fail;
}

static void
test_registration_none_and_self(void **state)
{
	struct webauthn_reg_response *r;
	struct webauthn_registration *reg = NULL;
	struct webauthn_policy p;
	struct webauthn_status st;
	struct reg_opts o = reg_default;
	struct soft a;

	(void)state;
	soft_init(&a, WEBAUTHN_ALG_ES256);
	policy_init(&p);
	r = make_registration(&a, &o);
	assert_int_equal(webauthn_registration_verify(&p, r, &reg, &st),
	    PERR_OK);
	assert_int_equal(reg->credential_id_len, sizeof(a.cred_id));
	assert_memory_equal(reg->credential_id, a.cred_id, sizeof(a.cred_id));
	assert_int_equal(reg->public_key_len, a.cose.len);
	assert_memory_equal(reg->public_key, a.cose.data, a.cose.len);
	assert_int_equal(reg->alg, WEBAUTHN_ALG_ES256);
	assert_int_equal(reg->aaguid[0], 0xaa);
	assert_true(reg->user_verified);
	assert_false(reg->backup_eligible);
	assert_string_equal(reg->fmt, "none");
	assert_int_equal(reg->att_type, WEBAUTHN_ATT_NONE);
	assert_false(reg->att_trusted);
	assert_int_equal(reg->trust_path_len, 0);
	assert_int_equal(reg->transports_len, 2);
	assert_string_equal(reg->transports[1], "hybrid");
	webauthn_registration_free(reg);
	webauthn_reg_response_free(r);
	/* Packed self attestation, and each way it can be wrong. */
	o.fmt = "packed";
	o.self_attest = true;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_NONE);
	o.bad_sig = true;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_ATTESTATION);
	o.bad_sig = false;
	o.stmt_alg = WEBAUTHN_ALG_ES384;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_ATTESTATION);
	o.stmt_alg = 0;
	o.extra_member = true; /* "ver" is not a packed member */
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_ATTESTATION);
	soft_free(&a);
}

static void
test_registration_each_check(void **state)
{
	static const int32_t eddsa_only[] = { WEBAUTHN_ALG_EDDSA };
	static const char *const tops[] = { "https://top.example" };
	struct webauthn_policy p;
	struct reg_opts o;
	struct soft a;

	(void)state;
	soft_init(&a, WEBAUTHN_ALG_ES256);
	policy_init(&p);
	o = reg_default;
	o.fmt = "None"; /* §7.1 step 21 is case-sensitive */
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_FORMAT);
	o = reg_default;
	o.extra_member = true; /* "none" has an empty statement */
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_ATTESTATION);
	o = reg_default;
	o.type = "webauthn.get";
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_TYPE);
	o = reg_default;
	o.origin = "https://login.example.com:8443";
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_ORIGIN);
	o = reg_default;
	o.flags = 0x44; /* UP clear */
	assert_int_equal(register_with(&a, &o, &p),
	    WEBAUTHN_FAIL_USER_PRESENCE);
	p.user_presence_optional = true;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_NONE);
	p.user_presence_optional = false;
	o.flags = 0x41; /* UV clear */
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_NONE);
	p.user_verification_required = true;
	assert_int_equal(register_with(&a, &o, &p),
	    WEBAUTHN_FAIL_USER_VERIFICATION);
	p.user_verification_required = false;
	o.flags = 0x55; /* BS without BE */
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_BACKUP_FLAGS);
	o.flags = 0x5d;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_NONE);
	o.flags = 0x05; /* no attested credential data */
	assert_int_equal(register_with(&a, &o, &p),
	    WEBAUTHN_FAIL_CREDENTIAL_DATA);
	o = reg_default;
	p.algs = eddsa_only;
	p.algs_len = 1;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_ALGORITHM);
	policy_init(&p);
	p.rp_id = "example.com";
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_RP_ID);
	policy_init(&p);
	p.challenge_len--;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_CHALLENGE);
	policy_init(&p);
	/* Cross-origin iframes: allowed only when expected, top page known. */
	o.extra = ",\"crossOrigin\":true";
	assert_int_equal(register_with(&a, &o, &p),
	    WEBAUTHN_FAIL_CROSS_ORIGIN);
	p.cross_origin_allowed = true;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_NONE);
	o.extra = ",\"crossOrigin\":true,\"topOrigin\":\"https://top.example\"";
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_TOP_ORIGIN);
	p.top_origins = tops;
	p.top_origins_len = 1;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_NONE);
	p.cross_origin_allowed = false;
	o.extra = ",\"topOrigin\":\"https://top.example\"";
	assert_int_equal(register_with(&a, &o, &p),
	    WEBAUTHN_FAIL_CROSS_ORIGIN);
	/* A policy without a challenge is the caller's bug. */
	policy_init(&p);
	p.challenge = NULL;
	assert_int_equal(register_with(&a, &reg_default, &p),
	    WEBAUTHN_FAIL_INTERNAL);
	soft_free(&a);
}

/* ---- assertions ---------------------------------------------------------- */

static struct webauthn_assert_response *
make_assertion(const struct soft *a, uint8_t flags, uint32_t count)
{
	struct webauthn_assert_response *r = calloc(1, sizeof(*r));
	uint8_t cdh[32];
	struct wbuf ad;
	char *cd;

	assert_non_null(r);
	cd = client_json("webauthn.get", ORIGIN, "");
	r->client_data_json = (uint8_t *)cd;
	r->client_data_json_len = strlen(cd);
	assert_int_equal(crypto_hash(CRYPTO_HASH_SHA256, cd, strlen(cd), cdh),
	    PERR_OK);
	wbuf_init(&ad);
	auth_data(&ad, RP_ID, flags, count, NULL, 0, NULL, 0, NULL, 0);
	soft_sign(a, ad.data, ad.len, cdh, 32, &r->signature,
	    &r->signature_len);
	r->authenticator_data = (uint8_t *)wbuf_steal(&ad,
	    &r->authenticator_data_len);
	r->raw_id = malloc(sizeof(a->cred_id));
	assert_non_null(r->raw_id);
	memcpy(r->raw_id, a->cred_id, sizeof(a->cred_id));
	r->raw_id_len = sizeof(a->cred_id);
	return r;
}

static int
assert_with(const struct webauthn_credential *rec,
    const struct webauthn_assert_response *r, struct webauthn_assertion *res,
    enum webauthn_fail *fail)
{
	struct webauthn_policy p;
	struct webauthn_status st;
	int err;

	policy_init(&p);
	err = webauthn_assertion_verify(&p, rec, r, res, &st);
	*fail = st.fail;
	return err;
}

static void
check_assertions_for(int32_t alg)
{
	struct webauthn_assert_response *r;
	struct webauthn_credential rec;
	struct webauthn_assertion res;
	enum webauthn_fail fail;
	struct soft a;

	soft_init(&a, alg);
	memset(&rec, 0, sizeof(rec));
	rec.public_key = a.cose.data;
	rec.public_key_len = a.cose.len;
	rec.sign_count = 41;
	r = make_assertion(&a, 0x05, 42);
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_OK);
	assert_int_equal(res.sign_count, 42);
	assert_false(res.counter_regressed);
	assert_true(res.user_verified);
	/* §7.2 step 22: not growing is flagged, not failed. */
	rec.sign_count = 42;
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_OK);
	assert_true(res.counter_regressed);
	/* §7.2 step 19: a known BE flag must not change. */
	rec.has_backup_eligible = true;
	rec.backup_eligible = true;
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_VERIFY);
	assert_int_equal(fail, WEBAUTHN_FAIL_BACKUP_FLAGS);
	rec.backup_eligible = false;
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_OK);
	webauthn_assert_response_free(r);
	/* Both counters zero: nothing to compare. */
	rec.sign_count = 0;
	r = make_assertion(&a, 0x01, 0);
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_OK);
	assert_false(res.counter_regressed);
	webauthn_assert_response_free(r);
	/* UP clear fails even though the signature is good. */
	r = make_assertion(&a, 0x04, 50);
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_VERIFY);
	assert_int_equal(fail, WEBAUTHN_FAIL_USER_PRESENCE);
	webauthn_assert_response_free(r);
	soft_free(&a);
}

static void
test_assertion_es256(void **state)
{
	(void)state;
	check_assertions_for(WEBAUTHN_ALG_ES256);
}

static void
test_assertion_eddsa(void **state)
{
	(void)state;
	check_assertions_for(WEBAUTHN_ALG_EDDSA);
}

static void
test_assertion_ps256(void **state)
{
	(void)state;
	check_assertions_for(WEBAUTHN_ALG_PS256);
}

/* Every single-bit change to a signed assertion is refused. */
static void
flip_all(const struct webauthn_credential *rec,
    struct webauthn_assert_response *r, uint8_t *buf, size_t len)
{
	struct webauthn_assertion res;
	enum webauthn_fail fail;
	size_t i;
	int bit;

	for (i = 0; i < len; i++)
		for (bit = 0; bit < 8; bit++) {
			buf[i] ^= (uint8_t)(1u << bit);
			assert_int_not_equal(assert_with(rec, r, &res,
			    &fail), PERR_OK);
			assert_int_not_equal(fail, WEBAUTHN_FAIL_NONE);
			buf[i] ^= (uint8_t)(1u << bit);
		}
}

static void
test_assertion_bit_flips(void **state)
{
	struct webauthn_assert_response *r;
	struct webauthn_credential rec;
	struct webauthn_assertion res;
	enum webauthn_fail fail;
	struct soft a;

	(void)state;
	soft_init(&a, WEBAUTHN_ALG_ES256);
	memset(&rec, 0, sizeof(rec));
	rec.public_key = a.cose.data;
	rec.public_key_len = a.cose.len;
	r = make_assertion(&a, 0x01, 1);
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_OK);
	flip_all(&rec, r, r->authenticator_data,
	    r->authenticator_data_len);
	flip_all(&rec, r, r->client_data_json, r->client_data_json_len);
	flip_all(&rec, r, r->signature, r->signature_len);
	/* And the stored key. */
	flip_all(&rec, r, a.cose.data, a.cose.len);
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_OK);
	webauthn_assert_response_free(r);
	soft_free(&a);
}

/* ---- attestationObject and the response JSON ----------------------------- */

static void
test_att_object_parse(void **state)
{
	struct webauthn_reg_response *r;
	struct webauthn_att_object ao;
	struct reg_opts o = reg_default;
	struct soft a;
	size_t cut;

	(void)state;
	soft_init(&a, WEBAUTHN_ALG_ES256);
	o.fmt = "packed";
	o.self_attest = true;
	r = make_registration(&a, &o);
	assert_int_equal(webauthn_att_object_parse(r->attestation_object,
	    r->attestation_object_len, &ao), PERR_OK);
	assert_string_equal(ao.fmt, "packed");
	assert_int_equal(ao.present, WEBAUTHN_STMT_ALG | WEBAUTHN_STMT_SIG);
	assert_int_equal(ao.alg, WEBAUTHN_ALG_ES256);
	webauthn_att_object_free(&ao);
	for (cut = 0; cut < r->attestation_object_len; cut++)
		assert_int_not_equal(webauthn_att_object_parse(
		    r->attestation_object, cut, &ao), PERR_OK);
	webauthn_reg_response_free(r);
	soft_free(&a);
}

static int
att_object_hex(const char *hex)
{
	uint8_t buf[256];
	size_t n = unhex(hex, buf, sizeof(buf));
	struct webauthn_att_object ao;
	int err = webauthn_att_object_parse(buf, n, &ao);

	webauthn_att_object_free(&ao);
	return err;
}

static void
test_att_object_strictness(void **state)
{
	/* {"fmt": F, "attStmt": S, "authData": h'00'} with F and S below. */
#define FMT_NONE "63666d74646e6f6e65"
	char hex[256];

	(void)state;
	assert_int_equal(att_object_hex("a3" FMT_NONE "6761747453746d74a0"
	    "686175746844617461" "4100"), PERR_OK);
	/* Trailing byte, fourth member, missing member. */
	assert_int_equal(att_object_hex("a3" FMT_NONE "6761747453746d74a0"
	    "686175746844617461" "410000"), PERR_INVALID);
	assert_int_equal(att_object_hex("a4" FMT_NONE "6761747453746d74a0"
	    "686175746844617461" "4100" "617800"), PERR_INVALID);
	assert_int_equal(att_object_hex("a2" FMT_NONE "6761747453746d74a0"),
	    PERR_INVALID);
	/* fmt: empty, with a space, 33 characters. */
	assert_int_equal(att_object_hex("a3" "63666d7460" "6761747453746d74a0"
	    "686175746844617461" "4100"), PERR_INVALID);
	assert_int_equal(att_object_hex("a3" "63666d74626120"
	    "6761747453746d74a0" "686175746844617461" "4100"), PERR_INVALID);
	strcpy(hex, "a3" "63666d74" "7821");
	while (strlen(hex) < 14 + 2 * 33)
		strcat(hex, "61");
	strcat(hex, "6761747453746d74a0" "686175746844617461" "4100");
	assert_int_equal(att_object_hex(hex), PERR_INVALID);
	hex[13] = '0'; /* 32 characters: the longest fmt */
	memmove(hex + 14, hex + 16, strlen(hex + 16) + 1);
	assert_int_equal(att_object_hex(hex), PERR_OK);
	/* attStmt: not a map, unknown member, alg not an integer. */
	assert_int_equal(att_object_hex("a3" FMT_NONE "6761747453746d7480"
	    "686175746844617461" "4100"), PERR_INVALID);
	assert_int_equal(att_object_hex("a3" FMT_NONE "6761747453746d74a1"
	    "6378797a00" "686175746844617461" "4100"), PERR_INVALID);
	assert_int_equal(att_object_hex("a3" FMT_NONE "6761747453746d74a1"
	    "63616c674100" "686175746844617461" "4100"), PERR_INVALID);
	/* x5c: empty array, a non-bytes entry. */
	assert_int_equal(att_object_hex("a3" FMT_NONE "6761747453746d74a1"
	    "6378356380" "686175746844617461" "4100"), PERR_INVALID);
	assert_int_equal(att_object_hex("a3" FMT_NONE "6761747453746d74a1"
	    "637835638100" "686175746844617461" "4100"), PERR_INVALID);
	/* authData not bytes; an empty object. */
	assert_int_equal(att_object_hex("a3" FMT_NONE "6761747453746d74a0"
	    "686175746844617461" "6100"), PERR_INVALID);
	assert_int_equal(att_object_hex(""), PERR_TRUNCATED);
#undef FMT_NONE
}

static void
test_reg_response_parse(void **state)
{
	struct webauthn_reg_response *r = NULL;
	const char *json;

	(void)state;
	json = "{\"id\":\"AQID\",\"rawId\":\"AQID\",\"type\":\"public-key\","
	    "\"response\":{\"clientDataJSON\":\"e30\","
	    "\"attestationObject\":\"oA==\",\"transports\":[\"usb\",\"nfc\"]},"
	    "\"authenticatorAttachment\":null,\"clientExtensionResults\":{}}";
	assert_int_equal(webauthn_reg_response_parse(json, strlen(json), &r),
	    PERR_OK);
	assert_string_equal(r->id, "AQID");
	assert_int_equal(r->client_data_json_len, 2);
	assert_int_equal(r->attestation_object_len, 1); /* padded: tolerated */
	assert_int_equal(r->transports_len, 2);
	assert_null(r->authenticator_attachment);
	webauthn_reg_response_free(r);
	/* Non-canonical padding, standard alphabet, id/rawId disagree, ... */
	json = "{\"id\":\"AQID\",\"type\":\"public-key\",\"response\":{"
	    "\"clientDataJSON\":\"e30==\",\"attestationObject\":\"oA\"}}";
	assert_int_equal(webauthn_reg_response_parse(json, strlen(json), &r),
	    PERR_INVALID);
	json = "{\"id\":\"AQID\",\"type\":\"public-key\",\"response\":{"
	    "\"clientDataJSON\":\"e30\",\"attestationObject\":\"o+/=\"}}";
	assert_int_equal(webauthn_reg_response_parse(json, strlen(json), &r),
	    PERR_INVALID);
	json = "{\"id\":\"AQID\",\"rawId\":\"AQIE\",\"type\":\"public-key\","
	    "\"response\":{\"clientDataJSON\":\"e30\","
	    "\"attestationObject\":\"oA\"}}";
	assert_int_equal(webauthn_reg_response_parse(json, strlen(json), &r),
	    PERR_INVALID);
	json = "{\"id\":\"AQID\",\"type\":\"password\",\"response\":{"
	    "\"clientDataJSON\":\"e30\",\"attestationObject\":\"oA\"}}";
	assert_int_equal(webauthn_reg_response_parse(json, strlen(json), &r),
	    PERR_INVALID);
	json = "{\"id\":\"AQID\",\"type\":\"public-key\",\"response\":{"
	    "\"clientDataJSON\":\"e30\",\"attestationObject\":\"oA\","
	    "\"transports\":[1]}}";
	assert_int_equal(webauthn_reg_response_parse(json, strlen(json), &r),
	    PERR_INVALID);
	json = "{\"id\":\"AQID\",\"type\":\"public-key\",\"response\":{"
	    "\"clientDataJSON\":\"e30\",\"attestationObject\":\"oA\","
	    "\"transports\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\","
	    "\"i\"]}}";
	assert_int_equal(webauthn_reg_response_parse(json, strlen(json), &r),
	    PERR_TOO_LARGE);
	json = "{\"type\":\"public-key\",\"response\":{"
	    "\"clientDataJSON\":\"e30\",\"attestationObject\":\"oA\"}}";
	assert_int_equal(webauthn_reg_response_parse(json, strlen(json), &r),
	    PERR_INVALID);
}

static void
test_assert_response_parse(void **state)
{
	struct webauthn_assert_response *r = NULL;
	const char *json;

	(void)state;
	json = "{\"id\":\"AQID\",\"rawId\":\"AQID\",\"type\":\"public-key\","
	    "\"response\":{\"clientDataJSON\":\"e30\","
	    "\"authenticatorData\":\"AA==\",\"signature\":\"AAA=\","
	    "\"userHandle\":\"dXNlcg\"}}";
	assert_int_equal(webauthn_assert_response_parse(json, strlen(json),
	    &r), PERR_OK);
	assert_int_equal(r->raw_id_len, 3);
	assert_int_equal(r->authenticator_data_len, 1);
	assert_int_equal(r->signature_len, 2);
	assert_int_equal(r->user_handle_len, 4);
	assert_memory_equal(r->user_handle, "user", 4);
	webauthn_assert_response_free(r);
	json = "{\"id\":\"AQID\",\"rawId\":\"AQID\",\"type\":\"public-key\","
	    "\"response\":{\"clientDataJSON\":\"e30\","
	    "\"authenticatorData\":\"AA\",\"signature\":\"AA\","
	    "\"userHandle\":null}}";
	assert_int_equal(webauthn_assert_response_parse(json, strlen(json),
	    &r), PERR_OK);
	assert_null(r->user_handle);
	webauthn_assert_response_free(r);
	/* id must be rawId; signature is required; rawId non-empty. */
	json = "{\"id\":\"AQIE\",\"rawId\":\"AQID\",\"type\":\"public-key\","
	    "\"response\":{\"clientDataJSON\":\"e30\","
	    "\"authenticatorData\":\"AA\",\"signature\":\"AA\"}}";
	assert_int_equal(webauthn_assert_response_parse(json, strlen(json),
	    &r), PERR_INVALID);
	json = "{\"rawId\":\"AQID\",\"type\":\"public-key\","
	    "\"response\":{\"clientDataJSON\":\"e30\","
	    "\"authenticatorData\":\"AA\"}}";
	assert_int_equal(webauthn_assert_response_parse(json, strlen(json),
	    &r), PERR_INVALID);
	json = "{\"rawId\":\"\",\"type\":\"public-key\","
	    "\"response\":{\"clientDataJSON\":\"e30\","
	    "\"authenticatorData\":\"AA\",\"signature\":\"AA\"}}";
	assert_int_equal(webauthn_assert_response_parse(json, strlen(json),
	    &r), PERR_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cbor_accepts_the_webauthn_subset),
		cmocka_unit_test(test_cbor_refuses_what_webauthn_never_uses),
		cmocka_unit_test(test_cbor_refuses_duplicate_keys_anywhere),
		cmocka_unit_test(test_cbor_limits_are_checked_before_allocating),
		cmocka_unit_test(test_cbor_truncated_at_every_offset),
		cmocka_unit_test(test_der_reader),
		cmocka_unit_test(test_client_data_parse),
		cmocka_unit_test(test_client_data_strictness),
		cmocka_unit_test(test_auth_data_parse),
		cmocka_unit_test(test_auth_data_strictness),
		cmocka_unit_test(test_cose_key_consistency),
		cmocka_unit_test(test_att_object_parse),
		cmocka_unit_test(test_att_object_strictness),
		cmocka_unit_test(test_reg_response_parse),
		cmocka_unit_test(test_assert_response_parse),
		cmocka_unit_test(test_registration_none_and_self),
		cmocka_unit_test(test_registration_each_check),
		cmocka_unit_test(test_assertion_es256),
		cmocka_unit_test(test_assertion_eddsa),
		cmocka_unit_test(test_assertion_ps256),
		cmocka_unit_test(test_assertion_bit_flips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
