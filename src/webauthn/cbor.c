/*
 * cbor: the only door between untrusted CBOR and libcbor. A bounded walk
 * over the raw bytes (struct rbuf) checks lengths, depth, item counts and
 * the subset of CBOR WebAuthn uses before libcbor allocates anything; after
 * decoding, maps with two equal keys are refused. libcbor items never leave
 * src/webauthn. CTAP2's canonical form (shortest encodings, sorted keys) is
 * not required: not every authenticator in the field follows it, and no
 * decision here depends on how a value was encoded.
 */
#include <string.h>

#include <cbor.h>

#include "common/common.h"
#include "webauthn/wa_int.h"

enum { MT_UINT, MT_NEGINT, MT_BYTES, MT_TEXT, MT_ARRAY, MT_MAP, MT_TAG,
	MT_SIMPLE };

/* Simple values accepted (RFC 8949 §3.3): false, true, null. */
#define SIMPLE_FALSE 20u
#define SIMPLE_TRUE 21u
#define SIMPLE_NULL 22u

struct scan {
	size_t items;
};

/* Reads the initial byte and its argument (RFC 8949 §3). */
static int
read_head(struct rbuf *r, unsigned int *major, unsigned int *info,
    uint64_t *arg)
{
	uint8_t ib, b8;
	uint16_t b16;
	uint32_t b32, lo;
	int err;

	if ((err = rbuf_u8(r, &ib)) != PERR_OK)
		return err;
	*major = ib >> 5;
	*info = ib & 0x1fu;
	if (*info < 24) {
		*arg = *info;
		return PERR_OK;
	}
	switch (*info) {
	case 24:
		err = rbuf_u8(r, &b8);
		*arg = b8;
		return err;
	case 25:
		err = rbuf_u16be(r, &b16);
		*arg = b16;
		return err;
	case 26:
		err = rbuf_u32be(r, &b32);
		*arg = b32;
		return err;
	case 27:
		if ((err = rbuf_u32be(r, &b32)) != PERR_OK ||
		    (err = rbuf_u32be(r, &lo)) != PERR_OK)
			return err;
		*arg = ((uint64_t)b32 << 32) | lo;
		return PERR_OK;
	default:
		/* 28-30 are reserved; 31 is an indefinite length or "break". */
		return PERR_INVALID;
	}
}

static int scan_item(struct rbuf *r, unsigned int depth, struct scan *s,
    bool is_key);

static int
scan_string(struct rbuf *r, unsigned int major, uint64_t arg)
{
	const uint8_t *p;

	if (arg > rbuf_left(r))
		return PERR_TRUNCATED;
	(void)rbuf_bytes(r, (size_t)arg, &p);
	if (major == MT_TEXT && !str_is_utf8((const char *)p, (size_t)arg))
		return PERR_INVALID;
	return PERR_OK;
}

static int
scan_container(struct rbuf *r, unsigned int major, uint64_t arg,
    unsigned int depth, struct scan *s)
{
	uint64_t i;
	int err;

	if (depth >= WEBAUTHN_CBOR_DEPTH_MAX)
		return PERR_TOO_LARGE;
	if (major == MT_MAP && arg > WEBAUTHN_CBOR_MAP_MAX)
		return PERR_TOO_LARGE;
	/* Every member takes at least one byte: a longer claim is a lie. */
	if (arg > rbuf_left(r) || (major == MT_MAP && arg * 2 > rbuf_left(r)))
		return PERR_TRUNCATED;
	for (i = 0; i < arg; i++) {
		if (major == MT_MAP &&
		    (err = scan_item(r, depth + 1, s, true)) != PERR_OK)
			return err;
		if ((err = scan_item(r, depth + 1, s, false)) != PERR_OK)
			return err;
	}
	return PERR_OK;
}

static int
scan_item(struct rbuf *r, unsigned int depth, struct scan *s, bool is_key)
{
	unsigned int major, info;
	uint64_t arg;
	int err;

	if ((err = read_head(r, &major, &info, &arg)) != PERR_OK)
		return err;
	if (++s->items > WEBAUTHN_CBOR_ITEMS_MAX)
		return PERR_TOO_LARGE;
	/* Map keys in WebAuthn and COSE are integers or text, nothing else. */
	if (is_key && major != MT_UINT && major != MT_NEGINT &&
	    major != MT_TEXT)
		return PERR_INVALID;
	switch (major) {
	case MT_UINT:
	case MT_NEGINT:
		return PERR_OK;
	case MT_BYTES:
	case MT_TEXT:
		return scan_string(r, major, arg);
	case MT_ARRAY:
	case MT_MAP:
		return scan_container(r, major, arg, depth, s);
	case MT_TAG:
		return PERR_INVALID;
	default:
		/* Floats, undefined and other simple values: no use here. */
		if (info != SIMPLE_FALSE && info != SIMPLE_TRUE &&
		    info != SIMPLE_NULL)
			return PERR_INVALID;
		return PERR_OK;
	}
}

int
wa_cbor_item_len(const uint8_t *data, size_t len, size_t *item_len)
{
	struct rbuf r;
	struct scan s = { 0 };
	int err;

	rbuf_init(&r, data, len);
	if ((err = scan_item(&r, 0, &s, false)) != PERR_OK)
		return err;
	*item_len = r.off;
	return PERR_OK;
}

/* Equality of two map keys; the scan admitted only integers and text. */
static bool
key_equal(const cbor_item_t *a, const cbor_item_t *b)
{
	if (cbor_typeof(a) != cbor_typeof(b))
		return false;
	if (cbor_isa_uint(a) || cbor_isa_negint(a))
		return cbor_get_int(a) == cbor_get_int(b);
	if (cbor_isa_string(a))
		return cbor_string_length(a) == cbor_string_length(b) &&
		    memcmp(cbor_string_handle(a), cbor_string_handle(b),
		    cbor_string_length(a)) == 0;
	return false;
}

/* Refuses a map with two equal keys anywhere in the tree. */
static int
check_no_duplicates(const cbor_item_t *item, unsigned int depth)
{
	size_t i, j, n;
	int err;

	if (depth > WEBAUTHN_CBOR_DEPTH_MAX)
		return PERR_TOO_LARGE;
	if (cbor_isa_array(item)) {
		cbor_item_t **v = cbor_array_handle(item);

		n = cbor_array_size(item);
		for (i = 0; i < n; i++)
			if ((err = check_no_duplicates(v[i], depth + 1)) !=
			    PERR_OK)
				return err;
	} else if (cbor_isa_map(item)) {
		struct cbor_pair *p = cbor_map_handle(item);

		n = cbor_map_size(item);
		for (i = 0; i < n; i++) {
			for (j = i + 1; j < n; j++)
				if (key_equal(p[i].key, p[j].key))
					return PERR_INVALID;
			if ((err = check_no_duplicates(p[i].value,
			    depth + 1)) != PERR_OK)
				return err;
		}
	}
	return PERR_OK;
}

int
wa_cbor_decode(const uint8_t *data, size_t len, cbor_item_t **out)
{
	struct cbor_load_result res;
	cbor_item_t *item = NULL;
	size_t item_len;
	int err;

	*out = NULL;
	if ((err = wa_cbor_item_len(data, len, &item_len)) != PERR_OK)
		return err;
	if (item_len != len)
		return PERR_INVALID; /* trailing bytes */
	item = cbor_load(data, len, &res);
	if (item == NULL)
		return res.error.code == CBOR_ERR_MEMERROR ? PERR_NOMEM :
		    PERR_INVALID;
	if (res.error.code != CBOR_ERR_NONE || res.read != len) {
		err = PERR_INVALID;
		goto out;
	}
	if ((err = check_no_duplicates(item, 0)) != PERR_OK)
		goto out;
	*out = item;
	item = NULL;
out:
	if (item != NULL)
		cbor_decref(&item);
	return err;
}

int
wa_cbor_int(const cbor_item_t *item, int64_t *out)
{
	uint64_t v;

	if (!cbor_isa_uint(item) && !cbor_isa_negint(item))
		return PERR_INVALID;
	v = cbor_get_int(item);
	if (v > (uint64_t)INT64_MAX)
		return PERR_INVALID;
	/* A negative integer encodes -1 - v. */
	*out = cbor_isa_uint(item) ? (int64_t)v : -1 - (int64_t)v;
	return PERR_OK;
}

cbor_item_t *
wa_cbor_map_get_int(const cbor_item_t *map, int64_t key)
{
	struct cbor_pair *p;
	size_t i, n;
	int64_t k;

	if (!cbor_isa_map(map))
		return NULL;
	p = cbor_map_handle(map);
	n = cbor_map_size(map);
	for (i = 0; i < n; i++)
		if (wa_cbor_int(p[i].key, &k) == PERR_OK && k == key)
			return p[i].value;
	return NULL;
}

cbor_item_t *
wa_cbor_map_get_text(const cbor_item_t *map, const char *key)
{
	struct cbor_pair *p;
	size_t i, n, klen = strlen(key);

	if (!cbor_isa_map(map))
		return NULL;
	p = cbor_map_handle(map);
	n = cbor_map_size(map);
	for (i = 0; i < n; i++)
		if (cbor_isa_string(p[i].key) &&
		    cbor_string_length(p[i].key) == klen &&
		    memcmp(cbor_string_handle(p[i].key), key, klen) == 0)
			return p[i].value;
	return NULL;
}
