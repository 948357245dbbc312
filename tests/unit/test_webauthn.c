/*
 * Unit tests for the parsers of src/webauthn, on input built here: the
 * bounded CBOR walk and the DER reader, clientDataJSON, authenticatorData,
 * COSE keys, attestationObject and the response JSON, each on good input,
 * on every strictness rule, and truncated at every byte offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "webauthn/webauthn.h"
#include "webauthn/wa_int.h"
#include "webauthn_test_util.h"

#define RP_ID "login.example.com"

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

/* ---- the bounded CBOR walk ----------------------------------------------- */

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
	assert_int_equal(cbor_hex("6100"), PERR_INVALID); /* NUL in text */
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
test_cbor_limits_checked_before_allocating(void **state)
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
		"9a000000020102",
		/* {"x5c": [h'010203' with a 16-bit length], "a": null} */
		"a2" "6378356381" "590003010203" "6161f6" };
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

/* ---- the DER reader ------------------------------------------------------ */

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

/* ---- clientDataJSON ------------------------------------------------------ */

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

/* ---- COSE keys ----------------------------------------------------------- */

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

/* ---- attestationObject and the response JSON -------------------------- */

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
		cmocka_unit_test(test_cbor_limits_checked_before_allocating),
		cmocka_unit_test(test_cbor_truncated_at_every_offset),
		cmocka_unit_test(test_der_reader),
		cmocka_unit_test(test_client_data_parse),
		cmocka_unit_test(test_client_data_strictness),
		cmocka_unit_test(test_auth_data_parse),
		cmocka_unit_test(test_auth_data_strictness),
		cmocka_unit_test(test_cose_key_consistency),
		cmocka_unit_test(test_att_object_strictness),
		cmocka_unit_test(test_reg_response_parse),
		cmocka_unit_test(test_assert_response_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
