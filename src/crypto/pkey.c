/*
 * pkey: keys to and from raw components, and key generation. JWK (src/jose)
 * and COSE (src/webauthn) both build keys here, so the checks on untrusted
 * components (sizes, leading zeros, point on the curve, private half
 * matching public half) exist once. OSSL_PARAM and EVP only.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "crypto/internal.h"

/* One row per curve we accept: our enum, JWK name, OpenSSL group names. */
static const struct curve_row {
	enum crypto_curve curve;
	const char *jwk_name;
	const char *group;	/* what EVP_PKEY_get_group_name says */
	size_t coord_len;
} curves[] = {
	{ CRYPTO_CURVE_P256, "P-256", "prime256v1", 32 },
	{ CRYPTO_CURVE_P384, "P-384", "secp384r1", 48 },
	{ CRYPTO_CURVE_P521, "P-521", "secp521r1", 66 },
};
#define NCURVES (sizeof(curves) / sizeof(curves[0]))

static const struct curve_row *
curve_row(enum crypto_curve c)
{
	size_t i;

	for (i = 0; i < NCURVES; i++)
		if (curves[i].curve == c)
			return &curves[i];
	return NULL;
}

size_t
crypto_curve_coord_len(enum crypto_curve c)
{
	const struct curve_row *row = curve_row(c);

	return row != NULL ? row->coord_len : 0;
}

const char *
crypto_curve_name(enum crypto_curve c)
{
	const struct curve_row *row = curve_row(c);

	return row != NULL ? row->jwk_name : NULL;
}

const char *
crypto_curve_group(enum crypto_curve c)
{
	const struct curve_row *row = curve_row(c);

	return row != NULL ? row->group : NULL;
}

/* ---- parts ---------------------------------------------------------------- */

static void
bytes_clear(struct crypto_bytes *b)
{
	crypto_secret_free(b->p, b->len);
	b->p = NULL;
	b->len = 0;
}

void
crypto_key_parts_clear(struct crypto_key_parts *parts)
{
	if (parts == NULL)
		return;
	bytes_clear(&parts->n);
	bytes_clear(&parts->e);
	bytes_clear(&parts->x);
	bytes_clear(&parts->y);
	bytes_clear(&parts->d);
	bytes_clear(&parts->p);
	bytes_clear(&parts->q);
	bytes_clear(&parts->dp);
	bytes_clear(&parts->dq);
	bytes_clear(&parts->qi);
	memset(parts, 0, sizeof(*parts));
}

static bool
has(const struct crypto_bytes *b)
{
	return b->p != NULL && b->len > 0;
}

/* ---- building keys from OSSL_PARAMs ----------------------------------------- */

/* Pushes b as a BIGNUM; secret values go to (cleared) secure memory. */
static int
push_bn(OSSL_PARAM_BLD *bld, const char *name, const struct crypto_bytes *b,
    bool secret, BIGNUM **keep)
{
	BIGNUM *bn;

	bn = secret ? BN_secure_new() : BN_new();
	if (bn == NULL)
		return PERR_NOMEM;
	if (BN_bin2bn(b->p, (int)b->len, bn) == NULL ||
	    OSSL_PARAM_BLD_push_BN(bld, name, bn) != 1) {
		BN_clear_free(bn);
		return PERR_CRYPTO;
	}
	/* The builder keeps a pointer until to_param: free afterwards. */
	*keep = bn;
	return PERR_OK;
}

#define MAX_BNS 8

struct bn_keep {
	BIGNUM *bn[MAX_BNS];
	size_t n;
};

static int
keep_push(OSSL_PARAM_BLD *bld, struct bn_keep *k, const char *name,
    const struct crypto_bytes *b, bool secret)
{
	if (k->n >= MAX_BNS)
		return PERR_INTERNAL;
	return push_bn(bld, name, b, secret, &k->bn[k->n++]);
}

static void
keep_free(struct bn_keep *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		BN_clear_free(k->bn[i]);
	k->n = 0;
}

/* EVP_PKEY_fromdata over what bld holds. */
static int
pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld, bool private,
    EVP_PKEY **out)
{
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int err = PERR_INVALID;

	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		return PERR_NOMEM;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) == NULL) {
		err = PERR_CRYPTO;
		goto out;
	}
	if (EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, out, private ? EVP_PKEY_KEYPAIR :
	    EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	err = PERR_OK;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);	/* clears the secure part */
	return err;
}

enum pkey_check { CHECK_PUBLIC_QUICK, CHECK_PAIRWISE };

static int
pkey_check(EVP_PKEY *pkey, enum pkey_check what)
{
	EVP_PKEY_CTX *ctx;
	int ok;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL)
		return PERR_NOMEM;
	if (what == CHECK_PUBLIC_QUICK)
		ok = EVP_PKEY_public_check_quick(ctx);
	else
		ok = EVP_PKEY_pairwise_check(ctx);
	EVP_PKEY_CTX_free(ctx);
	return ok == 1 ? PERR_OK : PERR_INVALID;
}

/* A private key whose factors we lack: prove it with a test signature. */
static int
pkey_sign_check(EVP_PKEY *pkey, enum crypto_sig_scheme scheme,
    enum crypto_hash hash)
{
	static const char msg[] = "pocket-id key consistency check";
	uint8_t *sig = NULL;
	size_t sig_len = 0;
	int err;

	err = crypto_sign(pkey, scheme, hash, msg, sizeof(msg) - 1, &sig,
	    &sig_len);
	if (err == PERR_OK)
		err = crypto_verify(pkey, scheme, hash, msg, sizeof(msg) - 1,
		    sig, sig_len);
	free(sig);
	if (err == PERR_VERIFY || err == PERR_CRYPTO)
		err = PERR_INVALID;
	return err;
}

/* ---- RSA -------------------------------------------------------------------- */

static int
rsa_public_ok(const struct crypto_bytes *n, const struct crypto_bytes *e)
{
	size_t bits;
	unsigned top;

	if (!has(n) || !has(e))
		return PERR_INVALID;
	/* RFC 7518 §6.3.1: minimal big-endian encodings. */
	if (n->p[0] == 0 || e->p[0] == 0)
		return PERR_INVALID;
	if (e->len > CRYPTO_RSA_E_MAX_LEN || (e->p[e->len - 1] & 1) == 0 ||
	    (e->len == 1 && e->p[0] < 3))
		return PERR_INVALID;
	if (n->len > CRYPTO_RSA_BITS_MAX / 8)
		return PERR_UNSUPPORTED;
	for (top = n->p[0], bits = (n->len - 1) * 8; top != 0; top >>= 1)
		bits++;
	if (bits < CRYPTO_RSA_BITS_MIN)
		return PERR_UNSUPPORTED;
	if ((n->p[n->len - 1] & 1) == 0)	/* a product of odd primes */
		return PERR_INVALID;
	return PERR_OK;
}

/*
 * The CRT members agree with n and d: n = p·q, dp = d mod (p-1),
 * dq = d mod (q-1), qi·q = 1 mod p. Cheap arithmetic instead of
 * EVP_PKEY_pairwise_check, whose primality tests cost tens of milliseconds
 * per key; d itself is then proved by a test signature.
 */
static int
rsa_crt_consistent(const struct crypto_key_parts *k)
{
	const struct crypto_bytes *in[] = { &k->n, &k->d, &k->p, &k->q,
	    &k->dp, &k->dq, &k->qi };
	BIGNUM *v[7] = { NULL }, *t = NULL, *u = NULL;
	BN_CTX *ctx = NULL;
	size_t i;
	int err = PERR_NOMEM;

	if ((ctx = BN_CTX_secure_new()) == NULL || (t = BN_secure_new()) ==
	    NULL || (u = BN_secure_new()) == NULL)
		goto out;
	for (i = 0; i < 7; i++)
		if ((v[i] = BN_secure_new()) == NULL ||
		    BN_bin2bn(in[i]->p, (int)in[i]->len, v[i]) == NULL)
			goto out;
	err = PERR_INVALID;
	/* v: 0 n, 1 d, 2 p, 3 q, 4 dp, 5 dq, 6 qi */
	if (BN_is_zero(v[2]) || BN_is_zero(v[3]) || BN_is_one(v[2]) ||
	    BN_is_one(v[3]))
		goto out;
	if (!BN_mul(t, v[2], v[3], ctx) || BN_cmp(t, v[0]) != 0)
		goto out;
	if (!BN_copy(u, v[2]) || !BN_sub_word(u, 1) ||
	    !BN_mod(t, v[1], u, ctx) || BN_cmp(t, v[4]) != 0)
		goto out;
	if (!BN_copy(u, v[3]) || !BN_sub_word(u, 1) ||
	    !BN_mod(t, v[1], u, ctx) || BN_cmp(t, v[5]) != 0)
		goto out;
	if (!BN_mod_mul(t, v[6], v[3], v[2], ctx) || !BN_is_one(t))
		goto out;
	err = PERR_OK;
out:
	for (i = 0; i < 7; i++)
		BN_clear_free(v[i]);
	BN_clear_free(t);
	BN_clear_free(u);
	BN_CTX_free(ctx);
	return err;
}

static int
import_rsa(const struct crypto_key_parts *k, EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = NULL;
	struct bn_keep keep = { .n = 0 };
	EVP_PKEY *pkey = NULL;
	bool private = has(&k->d);
	bool crt = has(&k->p) || has(&k->q) || has(&k->dp) || has(&k->dq) ||
	    has(&k->qi);
	int err;

	if ((err = rsa_public_ok(&k->n, &k->e)) != PERR_OK)
		return err;
	if (crt && !(private && has(&k->p) && has(&k->q) && has(&k->dp) &&
	    has(&k->dq) && has(&k->qi)))
		return PERR_INVALID;
	if (private && k->d.len > k->n.len)
		return PERR_INVALID;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		return PERR_NOMEM;
	if ((err = keep_push(bld, &keep, OSSL_PKEY_PARAM_RSA_N, &k->n,
	    false)) != PERR_OK ||
	    (err = keep_push(bld, &keep, OSSL_PKEY_PARAM_RSA_E, &k->e,
	    false)) != PERR_OK)
		goto out;
	if (private && (err = keep_push(bld, &keep, OSSL_PKEY_PARAM_RSA_D,
	    &k->d, true)) != PERR_OK)
		goto out;
	if (crt && ((err = keep_push(bld, &keep, OSSL_PKEY_PARAM_RSA_FACTOR1,
	    &k->p, true)) != PERR_OK ||
	    (err = keep_push(bld, &keep, OSSL_PKEY_PARAM_RSA_FACTOR2,
	    &k->q, true)) != PERR_OK ||
	    (err = keep_push(bld, &keep, OSSL_PKEY_PARAM_RSA_EXPONENT1,
	    &k->dp, true)) != PERR_OK ||
	    (err = keep_push(bld, &keep, OSSL_PKEY_PARAM_RSA_EXPONENT2,
	    &k->dq, true)) != PERR_OK ||
	    (err = keep_push(bld, &keep, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
	    &k->qi, true)) != PERR_OK))
		goto out;
	if ((err = pkey_fromdata("RSA", bld, private, &pkey)) != PERR_OK)
		goto out;
	if (private && crt)
		err = rsa_crt_consistent(k);
	if (private && err == PERR_OK)
		err = pkey_sign_check(pkey, CRYPTO_SIG_RSA_PKCS1,
		    CRYPTO_HASH_SHA256);
	if (err != PERR_OK)
		goto out;
	*out = pkey;
	pkey = NULL;
out:
	EVP_PKEY_free(pkey);
	OSSL_PARAM_BLD_free(bld);
	keep_free(&keep);
	ERR_clear_error();
	return err;
}

int
crypto_pkey_from_rsa(const uint8_t *n, size_t n_len, const uint8_t *e,
    size_t e_len, EVP_PKEY **out)
{
	struct crypto_key_parts k;

	*out = NULL;
	memset(&k, 0, sizeof(k));
	k.type = CRYPTO_KEY_RSA;
	k.n.p = (uint8_t *)(uintptr_t)n;
	k.n.len = n_len;
	k.e.p = (uint8_t *)(uintptr_t)e;
	k.e.len = e_len;
	return import_rsa(&k, out);
}

/* ---- EC ------------------------------------------------------------------------ */

static int
import_ec(const struct crypto_key_parts *k, EVP_PKEY **out)
{
	const struct curve_row *row = curve_row(k->curve);
	OSSL_PARAM_BLD *bld = NULL;
	struct bn_keep keep = { .n = 0 };
	EVP_PKEY *pkey = NULL;
	uint8_t point[1 + 2 * 66];
	bool private = has(&k->d);
	int err = PERR_NOMEM;

	if (row == NULL)
		return PERR_UNSUPPORTED;
	/* RFC 7518 §6.2.1.2, §6.2.2.1: full-length x, y and d. */
	if (k->x.len != row->coord_len || k->y.len != row->coord_len ||
	    !has(&k->x) || !has(&k->y))
		return PERR_INVALID;
	if (private && k->d.len != row->coord_len)
		return PERR_INVALID;
	point[0] = 0x04;	/* SEC 1 §2.3.3 uncompressed point */
	memcpy(point + 1, k->x.p, row->coord_len);
	memcpy(point + 1 + row->coord_len, k->y.p, row->coord_len);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		return PERR_NOMEM;
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    row->group, 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    point, 1 + 2 * row->coord_len) != 1)
		goto out;
	if (private && (err = keep_push(bld, &keep, OSSL_PKEY_PARAM_PRIV_KEY,
	    &k->d, true)) != PERR_OK)
		goto out;
	/* fromdata refuses a point that is not on the curve. */
	if ((err = pkey_fromdata("EC", bld, private, &pkey)) != PERR_OK)
		goto out;
	err = pkey_check(pkey, private ? CHECK_PAIRWISE : CHECK_PUBLIC_QUICK);
	if (err != PERR_OK)
		goto out;
	*out = pkey;
	pkey = NULL;
out:
	EVP_PKEY_free(pkey);
	OSSL_PARAM_BLD_free(bld);
	keep_free(&keep);
	ERR_clear_error();
	return err;
}

int
crypto_pkey_from_ec(enum crypto_curve curve, const uint8_t *x, size_t x_len,
    const uint8_t *y, size_t y_len, EVP_PKEY **out)
{
	struct crypto_key_parts k;

	*out = NULL;
	memset(&k, 0, sizeof(k));
	k.type = CRYPTO_KEY_EC;
	k.curve = curve;
	k.x.p = (uint8_t *)(uintptr_t)x;
	k.x.len = x_len;
	k.y.p = (uint8_t *)(uintptr_t)y;
	k.y.len = y_len;
	return import_ec(&k, out);
}

/* ---- Ed25519 ---------------------------------------------------------------------- */

static int
import_ed25519(const struct crypto_key_parts *k, EVP_PKEY **out)
{
	uint8_t pub[CRYPTO_ED25519_LEN];
	size_t pub_len = sizeof(pub);
	EVP_PKEY *pkey = NULL;
	int err = PERR_INVALID;

	if (k->x.len != CRYPTO_ED25519_LEN || !has(&k->x))
		return PERR_INVALID;
	if (!has(&k->d)) {
		pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL,
		    k->x.p, k->x.len);
		if (pkey == NULL)
			return PERR_CRYPTO;
		*out = pkey;
		return PERR_OK;
	}
	if (k->d.len != CRYPTO_ED25519_LEN)
		return PERR_INVALID;
	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, k->d.p,
	    k->d.len);
	if (pkey == NULL)
		return PERR_CRYPTO;
	/* RFC 8037 §2: x must be the public key derived from d. */
	if (EVP_PKEY_get_raw_public_key(pkey, pub, &pub_len) != 1 ||
	    pub_len != sizeof(pub) || !crypto_memeq(pub, k->x.p, sizeof(pub)))
		goto out;
	*out = pkey;
	pkey = NULL;
	err = PERR_OK;
out:
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	return err;
}

int
crypto_pkey_from_ed25519(const uint8_t *x, size_t x_len, EVP_PKEY **out)
{
	struct crypto_key_parts k;

	*out = NULL;
	memset(&k, 0, sizeof(k));
	k.type = CRYPTO_KEY_ED25519;
	k.x.p = (uint8_t *)(uintptr_t)x;
	k.x.len = x_len;
	return import_ed25519(&k, out);
}

int
crypto_pkey_import(const struct crypto_key_parts *parts, EVP_PKEY **out)
{
	*out = NULL;
	switch (parts->type) {
	case CRYPTO_KEY_RSA:
		return import_rsa(parts, out);
	case CRYPTO_KEY_EC:
		return import_ec(parts, out);
	case CRYPTO_KEY_ED25519:
		return import_ed25519(parts, out);
	case CRYPTO_KEY_NONE:
		break;
	}
	return PERR_UNSUPPORTED;
}

/* ---- export ------------------------------------------------------------------------- */

/* Copies a BIGNUM parameter of key, left-padded to pad bytes when pad > 0.
 * A missing parameter is not an error unless required. */
static int
export_bn(const EVP_PKEY *key, const char *name, size_t pad, bool required,
    struct crypto_bytes *b)
{
	BIGNUM *bn = NULL;
	size_t len;
	int err = PERR_OK;

	if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) {
		ERR_clear_error();
		return required ? PERR_CRYPTO : PERR_OK;
	}
	len = (size_t)BN_num_bytes(bn);
	if (pad > 0) {
		if (len > pad) {
			err = PERR_CRYPTO;
			goto out;
		}
		len = pad;
	}
	if (len == 0)
		len = 1;	/* a zero value is one zero byte */
	if ((b->p = malloc(len)) == NULL) {
		err = PERR_NOMEM;
		goto out;
	}
	b->len = len;
	if (BN_bn2binpad(bn, b->p, (int)len) < 0)
		err = PERR_CRYPTO;
out:
	BN_clear_free(bn);
	return err;
}

static int
export_raw(const EVP_PKEY *key, bool private, struct crypto_bytes *b)
{
	size_t len = CRYPTO_ED25519_LEN;
	int ok;

	if ((b->p = malloc(len)) == NULL)
		return PERR_NOMEM;
	b->len = len;
	ok = private ? EVP_PKEY_get_raw_private_key(key, b->p, &len) :
	    EVP_PKEY_get_raw_public_key(key, b->p, &len);
	if (ok != 1 || len != CRYPTO_ED25519_LEN) {
		ERR_clear_error();
		return PERR_CRYPTO;
	}
	return PERR_OK;
}

static int
export_rsa(const EVP_PKEY *key, bool with_private, struct crypto_key_parts *k)
{
	int err;

	if ((err = export_bn(key, OSSL_PKEY_PARAM_RSA_N, 0, true, &k->n)) ||
	    (err = export_bn(key, OSSL_PKEY_PARAM_RSA_E, 0, true, &k->e)))
		return err;
	if (!with_private)
		return PERR_OK;
	if ((err = export_bn(key, OSSL_PKEY_PARAM_RSA_D, 0, false, &k->d)) ||
	    !has(&k->d))
		return err;
	if ((err = export_bn(key, OSSL_PKEY_PARAM_RSA_FACTOR1, 0, false,
	    &k->p)) ||
	    (err = export_bn(key, OSSL_PKEY_PARAM_RSA_FACTOR2, 0, false,
	    &k->q)) ||
	    (err = export_bn(key, OSSL_PKEY_PARAM_RSA_EXPONENT1, 0, false,
	    &k->dp)) ||
	    (err = export_bn(key, OSSL_PKEY_PARAM_RSA_EXPONENT2, 0, false,
	    &k->dq)) ||
	    (err = export_bn(key, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, 0, false,
	    &k->qi)))
		return err;
	/* All CRT members or none (RFC 7518 §6.3.2). */
	if (!(has(&k->p) && has(&k->q) && has(&k->dp) && has(&k->dq) &&
	    has(&k->qi))) {
		bytes_clear(&k->p);
		bytes_clear(&k->q);
		bytes_clear(&k->dp);
		bytes_clear(&k->dq);
		bytes_clear(&k->qi);
	}
	return PERR_OK;
}

static int
export_ec(const EVP_PKEY *key, enum crypto_curve curve, bool with_private,
    struct crypto_key_parts *k)
{
	size_t clen = crypto_curve_coord_len(curve);
	int err;

	k->curve = curve;
	if ((err = export_bn(key, OSSL_PKEY_PARAM_EC_PUB_X, clen, true,
	    &k->x)) ||
	    (err = export_bn(key, OSSL_PKEY_PARAM_EC_PUB_Y, clen, true, &k->y)))
		return err;
	if (with_private)
		return export_bn(key, OSSL_PKEY_PARAM_PRIV_KEY, clen, false,
		    &k->d);
	return PERR_OK;
}

int
crypto_pkey_export(const EVP_PKEY *key, bool with_private,
    struct crypto_key_parts *parts)
{
	struct crypto_key_info info;
	int err;

	memset(parts, 0, sizeof(*parts));
	if ((err = crypto_pkey_info(key, &info)) != PERR_OK)
		return err;
	parts->type = info.type;
	switch (info.type) {
	case CRYPTO_KEY_RSA:
		err = export_rsa(key, with_private, parts);
		break;
	case CRYPTO_KEY_EC:
		err = export_ec(key, info.curve, with_private, parts);
		break;
	case CRYPTO_KEY_ED25519:
		err = export_raw(key, false, &parts->x);
		if (err == PERR_OK && with_private && info.has_private)
			err = export_raw(key, true, &parts->d);
		break;
	case CRYPTO_KEY_NONE:
		err = PERR_UNSUPPORTED;
		break;
	}
	if (err != PERR_OK)
		crypto_key_parts_clear(parts);
	return err;
}

/* ---- info ------------------------------------------------------------------------------ */

static enum crypto_curve
curve_of(const EVP_PKEY *key)
{
	char name[64];
	size_t i, len = 0;

	if (EVP_PKEY_get_group_name(key, name, sizeof(name), &len) != 1) {
		ERR_clear_error();
		return CRYPTO_CURVE_NONE;
	}
	for (i = 0; i < NCURVES; i++)
		if (strcmp(name, curves[i].group) == 0 ||
		    strcmp(name, curves[i].jwk_name) == 0)
			return curves[i].curve;
	return CRYPTO_CURVE_NONE;
}

static bool
has_bn_param(const EVP_PKEY *key, const char *name)
{
	BIGNUM *bn = NULL;
	bool ok;

	ok = EVP_PKEY_get_bn_param(key, name, &bn) == 1;
	BN_clear_free(bn);
	if (!ok)
		ERR_clear_error();
	return ok;
}

int
crypto_pkey_info(const EVP_PKEY *key, struct crypto_key_info *info)
{
	size_t len = 0;

	memset(info, 0, sizeof(*info));
	if (key == NULL)
		return PERR_INVALID;
	if (EVP_PKEY_is_a(key, "RSA")) {
		info->type = CRYPTO_KEY_RSA;
		info->has_private = has_bn_param(key, OSSL_PKEY_PARAM_RSA_D);
	} else if (EVP_PKEY_is_a(key, "EC")) {
		info->type = CRYPTO_KEY_EC;
		if ((info->curve = curve_of(key)) == CRYPTO_CURVE_NONE)
			return PERR_UNSUPPORTED;
		info->has_private = has_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY);
	} else if (EVP_PKEY_is_a(key, "ED25519")) {
		info->type = CRYPTO_KEY_ED25519;
		info->has_private =
		    EVP_PKEY_get_raw_private_key(key, NULL, &len) == 1;
		ERR_clear_error();
	} else {
		return PERR_UNSUPPORTED;
	}
	info->bits = (unsigned)EVP_PKEY_get_bits(key);
	return PERR_OK;
}

/* ---- generation ------------------------------------------------------------------------- */

int
crypto_pkey_generate_rsa(unsigned bits, EVP_PKEY **out)
{
	if (bits != 2048 && bits != 3072 && bits != 4096)
		return PERR_UNSUPPORTED;
	if ((*out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits)) == NULL)
		return PERR_CRYPTO;
	return PERR_OK;
}

int
crypto_pkey_generate_ec(enum crypto_curve curve, EVP_PKEY **out)
{
	const char *group = crypto_curve_group(curve);

	*out = NULL;
	if (group == NULL)
		return PERR_UNSUPPORTED;
	if ((*out = EVP_PKEY_Q_keygen(NULL, NULL, "EC", group)) == NULL)
		return PERR_CRYPTO;
	return PERR_OK;
}

int
crypto_pkey_generate_ed25519(EVP_PKEY **out)
{
	if ((*out = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) == NULL)
		return PERR_CRYPTO;
	return PERR_OK;
}
