/*
 * cose: COSE_Key credential public keys (RFC 9052 §7, RFC 9053 §2 and §7,
 * RFC 8230 for RSA) and the table of COSE algorithms we verify. A key is
 * decoded into struct webauthn_cose_key and checked for consistency; turning
 * it into an OpenSSL key and verifying signatures is in sig.c.
 */
#include <string.h>

#include <cbor.h>

#include "common/common.h"
#include "webauthn/wa_int.h"

/* COSE_Key labels (RFC 9052 §7.1, RFC 9053 §7.1-7.2, RFC 8230 §4). */
#define COSE_KTY 1
#define COSE_KID 2
#define COSE_ALG 3
#define COSE_CRV (-1) /* EC2, OKP */
#define COSE_X (-2)   /* EC2, OKP */
#define COSE_Y (-3)   /* EC2 */
#define COSE_N (-1)   /* RSA */
#define COSE_E (-2)   /* RSA */

#define EC2 WEBAUTHN_KTY_EC2
#define RSA WEBAUTHN_KTY_RSA
static const struct wa_alg algs[] = {
	{ WEBAUTHN_ALG_ES256, EC2, WEBAUTHN_CRV_P256, CRYPTO_CURVE_P256,
	    CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA256 },
	{ WEBAUTHN_ALG_ES384, EC2, WEBAUTHN_CRV_P384, CRYPTO_CURVE_P384,
	    CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA384 },
	{ WEBAUTHN_ALG_ES512, EC2, WEBAUTHN_CRV_P521, CRYPTO_CURVE_P521,
	    CRYPTO_SIG_ECDSA, CRYPTO_HASH_SHA512 },
	{ WEBAUTHN_ALG_EDDSA, WEBAUTHN_KTY_OKP, WEBAUTHN_CRV_ED25519,
	    CRYPTO_CURVE_NONE, CRYPTO_SIG_EDDSA, CRYPTO_HASH_NONE },
	{ WEBAUTHN_ALG_RS256, RSA, 0, CRYPTO_CURVE_NONE, CRYPTO_SIG_RSA_PKCS1,
	    CRYPTO_HASH_SHA256 },
	{ WEBAUTHN_ALG_RS384, RSA, 0, CRYPTO_CURVE_NONE, CRYPTO_SIG_RSA_PKCS1,
	    CRYPTO_HASH_SHA384 },
	{ WEBAUTHN_ALG_RS512, RSA, 0, CRYPTO_CURVE_NONE, CRYPTO_SIG_RSA_PKCS1,
	    CRYPTO_HASH_SHA512 },
	{ WEBAUTHN_ALG_PS256, RSA, 0, CRYPTO_CURVE_NONE, CRYPTO_SIG_RSA_PSS,
	    CRYPTO_HASH_SHA256 },
	{ WEBAUTHN_ALG_PS384, RSA, 0, CRYPTO_CURVE_NONE, CRYPTO_SIG_RSA_PSS,
	    CRYPTO_HASH_SHA384 },
	{ WEBAUTHN_ALG_PS512, RSA, 0, CRYPTO_CURVE_NONE, CRYPTO_SIG_RSA_PSS,
	    CRYPTO_HASH_SHA512 },
	/* SHA-1: TPM attestation keys and the credentials they certify. */
	{ WEBAUTHN_ALG_RS1, RSA, 0, CRYPTO_CURVE_NONE, CRYPTO_SIG_RSA_PKCS1,
	    CRYPTO_HASH_SHA1 },
};
#undef EC2
#undef RSA

const int32_t webauthn_default_algs[10] = {
	WEBAUTHN_ALG_ES256, WEBAUTHN_ALG_ES384, WEBAUTHN_ALG_ES512,
	WEBAUTHN_ALG_RS256, WEBAUTHN_ALG_RS384, WEBAUTHN_ALG_RS512,
	WEBAUTHN_ALG_PS256, WEBAUTHN_ALG_PS384, WEBAUTHN_ALG_PS512,
	WEBAUTHN_ALG_EDDSA,
};

const struct wa_alg *
wa_alg_find(int32_t alg)
{
	size_t i;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (algs[i].alg == alg)
			return &algs[i];
	return NULL;
}

/* The exact coordinate length of a curve, 0 for an unknown curve. */
static size_t
coord_len(int32_t crv)
{
	switch (crv) {
	case WEBAUTHN_CRV_P256:
	case WEBAUTHN_CRV_ED25519:
		return 32;
	case WEBAUTHN_CRV_P384:
		return 48;
	case WEBAUTHN_CRV_P521:
		return 66;
	default:
		return 0;
	}
}

static int
get_int32(const cbor_item_t *map, int64_t label, bool required,
    int32_t *out)
{
	const cbor_item_t *v = wa_cbor_map_get_int(map, label);
	int64_t i;

	if (v == NULL)
		return required ? PERR_INVALID : PERR_OK;
	if (wa_cbor_int(v, &i) != PERR_OK || i < INT32_MIN || i > INT32_MAX)
		return PERR_INVALID;
	*out = (int32_t)i;
	return PERR_OK;
}

/* A byte-string member of length in [min, max]; copied to out. */
static int
get_bytes(const cbor_item_t *map, int64_t label, size_t min, size_t max,
    uint8_t *out, size_t *out_len)
{
	const cbor_item_t *v = wa_cbor_map_get_int(map, label);
	size_t n;

	if (v == NULL || !cbor_isa_bytestring(v))
		return PERR_INVALID;
	n = cbor_bytestring_length(v);
	if (n > max)
		return PERR_TOO_LARGE;
	if (n < min)
		return PERR_INVALID;
	if (n > 0)
		memcpy(out, cbor_bytestring_handle(v), n);
	*out_len = n;
	return PERR_OK;
}

/*
 * Only the labels the key type defines may appear (no private "d", no
 * key_ops, nothing unknown); kid is tolerated and ignored.
 */
static int
check_labels(const cbor_item_t *map, int32_t kty)
{
	struct cbor_pair *p = cbor_map_handle(map);
	size_t i, n = cbor_map_size(map);
	int64_t label, lowest;

	lowest = kty == WEBAUTHN_KTY_EC2 ? COSE_Y : COSE_X;
	for (i = 0; i < n; i++) {
		if (wa_cbor_int(p[i].key, &label) != PERR_OK)
			return PERR_INVALID;
		if (label != COSE_KTY && label != COSE_KID &&
		    label != COSE_ALG && (label > -1 || label < lowest))
			return PERR_INVALID;
	}
	if (wa_cbor_map_get_int(map, COSE_KID) != NULL &&
	    !cbor_isa_bytestring(wa_cbor_map_get_int(map, COSE_KID)))
		return PERR_INVALID;
	return PERR_OK;
}

static int
parse_ec(const cbor_item_t *map, struct webauthn_cose_key *k)
{
	size_t n = coord_len(k->crv), ylen;
	int err;

	if ((err = get_bytes(map, COSE_X, n, n, k->x, &k->coord_len)) !=
	    PERR_OK)
		return err;
	if (k->kty == WEBAUTHN_KTY_OKP)
		return PERR_OK;
	/* WebAuthn keys are uncompressed: y is bytes, never a sign bit. */
	if ((err = get_bytes(map, COSE_Y, n, n, k->y, &ylen)) != PERR_OK)
		return err;
	return PERR_OK;
}

/* RSA: n without leading zero octets, within the size limits; e. */
static int
parse_rsa(const cbor_item_t *map, struct webauthn_cose_key *k)
{
	const cbor_item_t *n = wa_cbor_map_get_int(map, COSE_N);
	const uint8_t *p;
	size_t len;
	int err;

	if ((err = get_bytes(map, COSE_E, 1, WEBAUTHN_RSA_E_MAX, k->e,
	    &k->e_len)) != PERR_OK)
		return err;
	if (n == NULL || !cbor_isa_bytestring(n))
		return PERR_INVALID;
	p = cbor_bytestring_handle(n);
	len = cbor_bytestring_length(n);
	while (len > 0 && *p == 0) {
		p++;
		len--;
	}
	if (len > WEBAUTHN_RSA_N_MAX)
		return PERR_TOO_LARGE;
	if (len < WEBAUTHN_RSA_N_MIN)
		return PERR_UNSUPPORTED;
	memcpy(k->n, p, len);
	k->n_len = len;
	return PERR_OK;
}

static int
parse_key(const cbor_item_t *map, struct webauthn_cose_key *k)
{
	const struct wa_alg *a;
	int err;

	if (!cbor_isa_map(map))
		return PERR_INVALID;
	if ((err = get_int32(map, COSE_KTY, true, &k->kty)) != PERR_OK ||
	    (err = get_int32(map, COSE_ALG, true, &k->alg)) != PERR_OK)
		return err;
	if (k->kty != WEBAUTHN_KTY_OKP && k->kty != WEBAUTHN_KTY_EC2 &&
	    k->kty != WEBAUTHN_KTY_RSA)
		return PERR_UNSUPPORTED;
	if ((err = check_labels(map, k->kty)) != PERR_OK)
		return err;
	if ((a = wa_alg_find(k->alg)) == NULL)
		return PERR_UNSUPPORTED;
	/* The algorithm fixes the key type and, for curves, the curve. */
	if (a->kty != k->kty)
		return PERR_INVALID;
	if (k->kty == WEBAUTHN_KTY_RSA)
		return parse_rsa(map, k);
	if ((err = get_int32(map, COSE_CRV, true, &k->crv)) != PERR_OK)
		return err;
	if (k->crv != a->crv)
		return coord_len(k->crv) == 0 ? PERR_UNSUPPORTED : PERR_INVALID;
	return parse_ec(map, k);
}

int
webauthn_cose_key_parse(const uint8_t *data, size_t len,
    struct webauthn_cose_key *out)
{
	cbor_item_t *item = NULL;
	int err;

	memset(out, 0, sizeof(*out));
	if ((err = wa_cbor_decode(data, len, &item)) != PERR_OK)
		return err;
	err = parse_key(item, out);
	cbor_decref(&item);
	if (err != PERR_OK)
		memset(out, 0, sizeof(*out));
	return err;
}
