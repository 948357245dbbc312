/*
 * jwk: one JSON Web Key to and from struct jwk (RFC 7517, RFC 7518 §6,
 * RFC 8037 §2), thumbprints (RFC 7638), generation. The component checks
 * (lengths, curve membership, private half matching public half) live in
 * src/crypto so that COSE keys get the same ones.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "jose/jose.h"
#include "jose/internal.h"

/* Longest base64url member: an 8192-bit modulus is 1366 characters. */
#define JWK_MEMBER_MAX_LEN 1400u

int
jose_fail(const char **why, int err, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return err;
}

int
jose_json_string(struct json_object *obj, const char *name, size_t max,
    const char **out, size_t *out_len)
{
	struct json_object *v;
	const char *s;
	size_t n;

	*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	if (!json_object_object_get_ex(obj, name, &v))
		return PERR_NOT_FOUND;
	if (!json_object_is_type(v, json_type_string))
		return PERR_INVALID;
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (n > max || strlen(s) != n)
		return PERR_INVALID;
	*out = s;
	if (out_len != NULL)
		*out_len = n;
	return PERR_OK;
}

bool
jose_alg_fits_key(const struct jose_alg_info *alg,
    const struct crypto_key_info *info)
{
	if (alg == NULL || alg->kty != info->type)
		return false;
	return alg->kty != CRYPTO_KEY_EC || alg->curve == info->curve;
}

const struct jose_alg_info *
jose_key_alg(const struct jwk *key)
{
	switch (key->info.type) {
	case CRYPTO_KEY_EC:
		if (key->alg != JOSE_ALG_UNKNOWN)
			break;
		switch (key->info.curve) {
		case CRYPTO_CURVE_P256:
			return jose_alg_get(JOSE_ALG_ES256);
		case CRYPTO_CURVE_P384:
			return jose_alg_get(JOSE_ALG_ES384);
		case CRYPTO_CURVE_P521:
			return jose_alg_get(JOSE_ALG_ES512);
		case CRYPTO_CURVE_NONE:
			break;
		}
		return NULL;
	case CRYPTO_KEY_ED25519:
		if (key->alg == JOSE_ALG_UNKNOWN)
			return jose_alg_get(JOSE_ALG_EDDSA);
		break;
	default:
		break;
	}
	return jose_alg_get(key->alg);
}

/* ---- parsing ---------------------------------------------------------------- */

/* Decodes base64url member name into b. Absent: PERR_NOT_FOUND. */
static int
member_bytes(struct json_object *obj, const char *name,
    struct crypto_bytes *b, const char **why)
{
	const char *s;
	size_t n;
	int err;

	err = jose_json_string(obj, name, JWK_MEMBER_MAX_LEN, &s, &n);
	if (err == PERR_NOT_FOUND)
		return err;
	if (err != PERR_OK)
		return jose_fail(why, PERR_INVALID,
		    "a JWK member is not a string of bounded length");
	if (n == 0 || b64url_decode(s, n, &b->p, &b->len) != PERR_OK)
		return jose_fail(why, PERR_INVALID,
		    "a JWK member is not strict base64url");
	return PERR_OK;
}

/* Reads the members of names[] into the fields of parts; required[] says
 * which must be present. */
struct member_row {
	const char *name;
	size_t offset;		/* of the struct crypto_bytes in parts */
	bool required;
};

#define PART(f) offsetof(struct crypto_key_parts, f)

static const struct member_row rsa_members[] = {
	{ "n", PART(n), true }, { "e", PART(e), true },
	{ "d", PART(d), false }, { "p", PART(p), false },
	{ "q", PART(q), false }, { "dp", PART(dp), false },
	{ "dq", PART(dq), false }, { "qi", PART(qi), false },
};
static const struct member_row ec_members[] = {
	{ "x", PART(x), true }, { "y", PART(y), true },
	{ "d", PART(d), false },
};
static const struct member_row okp_members[] = {
	{ "x", PART(x), true }, { "d", PART(d), false },
};

static int
read_members(struct json_object *obj, const struct member_row *rows,
    size_t nrows, struct crypto_key_parts *parts, const char **why)
{
	struct crypto_bytes *b;
	size_t i;
	int err;

	for (i = 0; i < nrows; i++) {
		b = (struct crypto_bytes *)(void *)((char *)parts +
		    rows[i].offset);
		err = member_bytes(obj, rows[i].name, b, why);
		if (err == PERR_NOT_FOUND && !rows[i].required)
			continue;
		if (err == PERR_NOT_FOUND)
			return jose_fail(why, PERR_INVALID,
			    "a required JWK member is missing");
		if (err != PERR_OK)
			return err;
	}
	return PERR_OK;
}

/* kty and crv into parts->type, parts->curve. */
static int
read_type(struct json_object *obj, struct crypto_key_parts *parts,
    const struct member_row **rows, size_t *nrows, const char **why)
{
	const char *kty = NULL, *crv = NULL;
	int err;

	if (jose_json_string(obj, "kty", 16, &kty, NULL) != PERR_OK)
		return jose_fail(why, PERR_INVALID, "JWK kty missing or bad");
	err = jose_json_string(obj, "crv", 16, &crv, NULL);
	if (err == PERR_INVALID)
		return jose_fail(why, PERR_INVALID, "JWK crv is not a string");
	if (strcmp(kty, "RSA") == 0) {
		if (json_object_object_get_ex(obj, "oth", NULL))
			return jose_fail(why, PERR_UNSUPPORTED,
			    "multi-prime RSA keys are not supported");
		parts->type = CRYPTO_KEY_RSA;
		*rows = rsa_members;
		*nrows = sizeof(rsa_members) / sizeof(rsa_members[0]);
		return PERR_OK;
	}
	if (crv == NULL && (strcmp(kty, "EC") == 0 || strcmp(kty, "OKP") == 0))
		return jose_fail(why, PERR_INVALID, "JWK crv missing");
	if (strcmp(kty, "EC") == 0) {
		parts->type = CRYPTO_KEY_EC;
		if (strcmp(crv, "P-256") == 0)
			parts->curve = CRYPTO_CURVE_P256;
		else if (strcmp(crv, "P-384") == 0)
			parts->curve = CRYPTO_CURVE_P384;
		else if (strcmp(crv, "P-521") == 0)
			parts->curve = CRYPTO_CURVE_P521;
		else
			return jose_fail(why, PERR_UNSUPPORTED,
			    "unsupported EC curve");
		*rows = ec_members;
		*nrows = sizeof(ec_members) / sizeof(ec_members[0]);
		return PERR_OK;
	}
	if (strcmp(kty, "OKP") == 0) {
		if (strcmp(crv, "Ed25519") != 0)
			return jose_fail(why, PERR_UNSUPPORTED,
			    "unsupported OKP curve");
		parts->type = CRYPTO_KEY_ED25519;
		*rows = okp_members;
		*nrows = sizeof(okp_members) / sizeof(okp_members[0]);
		return PERR_OK;
	}
	return jose_fail(why, PERR_UNSUPPORTED, "unsupported JWK kty");
}

/* kid, alg, use. */
static int
read_params(struct json_object *obj, struct jwk *key, const char **why)
{
	const char *s = NULL;
	const struct jose_alg_info *alg;
	int err;

	err = jose_json_string(obj, "kid", JOSE_KID_MAX_LEN, &s, NULL);
	if (err == PERR_INVALID)
		return jose_fail(why, err, "JWK kid is not a short string");
	if (err == PERR_OK && (key->kid = str_dup(s)) == NULL)
		return PERR_NOMEM;
	err = jose_json_string(obj, "alg", 16, &s, NULL);
	if (err == PERR_INVALID)
		return jose_fail(why, err, "JWK alg is not a short string");
	if (err == PERR_OK) {
		if ((alg = jose_alg_by_name(s)) == NULL)
			return jose_fail(why, PERR_UNSUPPORTED,
			    "JWK alg is not a supported signature algorithm");
		if (!jose_alg_fits_key(alg, &key->info))
			return jose_fail(why, PERR_INVALID,
			    "JWK alg does not fit the key type or curve");
		key->alg = alg->alg;
	}
	err = jose_json_string(obj, "use", 16, &s, NULL);
	if (err == PERR_INVALID)
		return jose_fail(why, err, "JWK use is not a short string");
	if (err == PERR_OK)
		key->use = strcmp(s, "sig") == 0 ? JWK_USE_SIG : JWK_USE_OTHER;
	return PERR_OK;
}

int
jwk_from_object(struct json_object *obj, struct jwk **out, const char **why)
{
	struct crypto_key_parts parts;
	const struct member_row *rows = NULL;
	struct jwk *key = NULL;
	size_t nrows = 0;
	int err;

	*out = NULL;
	memset(&parts, 0, sizeof(parts));
	if (!json_object_is_type(obj, json_type_object))
		return jose_fail(why, PERR_INVALID, "a JWK is not an object");
	if ((err = read_type(obj, &parts, &rows, &nrows, why)) != PERR_OK ||
	    (err = read_members(obj, rows, nrows, &parts, why)) != PERR_OK)
		goto out;
	if ((key = calloc(1, sizeof(*key))) == NULL) {
		err = PERR_NOMEM;
		goto out;
	}
	err = crypto_pkey_import(&parts, &key->pkey);
	if (err == PERR_OK)
		err = crypto_pkey_info(key->pkey, &key->info);
	if (err != PERR_OK) {
		jose_fail(why, err, err == PERR_INVALID ?
		    "JWK members do not form a valid key" :
		    err == PERR_UNSUPPORTED ? "JWK key size is not supported" :
		    "JWK could not be built");
		goto out;
	}
	if ((err = read_params(obj, key, why)) != PERR_OK)
		goto out;
	*out = key;
	key = NULL;
out:
	crypto_key_parts_clear(&parts);
	jwk_free(key);
	return err;
}

int
jwk_parse(const char *json, size_t len, struct jwk **out, const char **why)
{
	struct json_object *obj = NULL;
	int err;

	*out = NULL;
	if (len > JOSE_JWK_MAX_LEN)
		return jose_fail(why, PERR_TOO_LARGE, "JWK too large");
	if ((err = ojson_parse(json, len, &obj)) != PERR_OK)
		return jose_fail(why, err == PERR_NOMEM ? err : PERR_INVALID,
		    "JWK is not valid JSON");
	err = jwk_from_object(obj, out, why);
	json_object_put(obj);
	return err;
}

void
jwk_free(struct jwk *key)
{
	if (key == NULL)
		return;
	EVP_PKEY_free(key->pkey);
	free(key->kid);
	free(key);
}

/* ---- building ---------------------------------------------------------------- */

int
jwk_from_pkey(EVP_PKEY *pkey, enum jose_alg alg, const char *kid,
    struct jwk **out)
{
	const struct jose_alg_info *info = NULL;
	struct crypto_key_info ki;
	struct jwk *key;
	int err;

	*out = NULL;
	if ((err = crypto_pkey_info(pkey, &ki)) != PERR_OK)
		return err;
	if (ki.type == CRYPTO_KEY_RSA && (ki.bits < CRYPTO_RSA_BITS_MIN ||
	    ki.bits > CRYPTO_RSA_BITS_MAX))
		return PERR_UNSUPPORTED;
	if (alg != JOSE_ALG_UNKNOWN &&
	    ((info = jose_alg_get(alg)) == NULL || !jose_alg_fits_key(info,
	    &ki)))
		return PERR_INVALID;
	if (kid != NULL && strlen(kid) > JOSE_KID_MAX_LEN)
		return PERR_INVALID;
	if ((key = calloc(1, sizeof(*key))) == NULL)
		return PERR_NOMEM;
	if (kid != NULL && (key->kid = str_dup(kid)) == NULL) {
		free(key);
		return PERR_NOMEM;
	}
	key->alg = alg;
	key->use = JWK_USE_SIG;
	key->info = ki;
	key->pkey = pkey;
	*out = key;
	return PERR_OK;
}

int
jwk_generate(enum jose_alg alg, unsigned rsa_bits, const char *kid,
    struct jwk **out)
{
	const struct jose_alg_info *info = jose_alg_get(alg);
	EVP_PKEY *pkey = NULL;
	char *own_kid = NULL;
	int err;

	*out = NULL;
	if (info == NULL)
		return PERR_UNSUPPORTED;
	switch (info->kty) {
	case CRYPTO_KEY_RSA:
		err = crypto_pkey_generate_rsa(rsa_bits ? rsa_bits : 2048,
		    &pkey);
		break;
	case CRYPTO_KEY_EC:
		err = crypto_pkey_generate_ec(info->curve, &pkey);
		break;
	default:
		err = crypto_pkey_generate_ed25519(&pkey);
		break;
	}
	if (err != PERR_OK)
		return err;
	/* Spec §2.6: kid = 8 random bytes, base64url. */
	if (kid == NULL && (err = crypto_random_token(8, &own_kid)) != PERR_OK)
		goto out;
	if ((err = jwk_from_pkey(pkey, alg, kid ? kid : own_kid, out)) ==
	    PERR_OK)
		pkey = NULL;
out:
	EVP_PKEY_free(pkey);
	free(own_kid);
	return err;
}

/* ---- serialising ---------------------------------------------------------------- */

/* One member to write: a plain string or bytes to encode. */
struct out_member {
	const char *name;
	const char *text;		/* or */
	const struct crypto_bytes *bytes;
};

static int
out_member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct out_member *)a)->name,
	    ((const struct out_member *)b)->name);
}

/* Writes members as one JSON object, sorted by name (RFC 7638 order). */
static int
emit_object(struct out_member *m, size_t n, char **out, size_t *out_len)
{
	struct wbuf w;
	char *enc;
	size_t i, len;
	int err;

	qsort(m, n, sizeof(*m), out_member_cmp);
	wbuf_init(&w);
	wbuf_putc(&w, '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			wbuf_putc(&w, ',');
		wbuf_put_json_string(&w, m[i].name, strlen(m[i].name));
		wbuf_putc(&w, ':');
		if (m[i].text != NULL) {
			wbuf_put_json_string(&w, m[i].text,
			    strlen(m[i].text));
			continue;
		}
		enc = b64url_encode(m[i].bytes->p, m[i].bytes->len, &len);
		if (enc == NULL) {
			wbuf_free(&w);
			return PERR_NOMEM;
		}
		wbuf_putc(&w, '"');	/* the alphabet needs no escaping */
		wbuf_put(&w, enc, len);
		wbuf_putc(&w, '"');
		str_free_secret(enc);
	}
	wbuf_putc(&w, '}');
	if ((err = wbuf_error(&w)) != PERR_OK) {
		wbuf_free(&w);
		return err;
	}
	*out = wbuf_steal(&w, &len);
	if (out_len != NULL)
		*out_len = len;
	return PERR_OK;
}

#define MAX_MEMBERS 16

static void
add(struct out_member *m, size_t *n, const char *name, const char *text,
    const struct crypto_bytes *bytes)
{
	if (*n >= MAX_MEMBERS || (text == NULL &&
	    (bytes == NULL || bytes->p == NULL)))
		return;
	m[*n].name = name;
	m[*n].text = text;
	m[*n].bytes = bytes;
	(*n)++;
}

/* The members RFC 7638 requires for the key type (the public key). */
static void
add_required(struct out_member *m, size_t *n,
    const struct crypto_key_parts *p)
{
	switch (p->type) {
	case CRYPTO_KEY_RSA:
		add(m, n, "kty", "RSA", NULL);
		add(m, n, "n", NULL, &p->n);
		add(m, n, "e", NULL, &p->e);
		break;
	case CRYPTO_KEY_EC:
		add(m, n, "kty", "EC", NULL);
		add(m, n, "crv", crypto_curve_name(p->curve), NULL);
		add(m, n, "x", NULL, &p->x);
		add(m, n, "y", NULL, &p->y);
		break;
	default:
		add(m, n, "kty", "OKP", NULL);
		add(m, n, "crv", "Ed25519", NULL);
		add(m, n, "x", NULL, &p->x);
		break;
	}
}

int
jwk_to_json(const struct jwk *key, bool with_private, char **out,
    size_t *out_len)
{
	struct out_member m[MAX_MEMBERS];
	struct crypto_key_parts p;
	const struct jose_alg_info *alg = jose_alg_get(key->alg);
	size_t n = 0;
	int err;

	*out = NULL;
	if ((err = crypto_pkey_export(key->pkey, with_private, &p)) != PERR_OK)
		return err;
	add_required(m, &n, &p);
	if (alg != NULL)
		add(m, &n, "alg", alg->name, NULL);
	if (key->kid != NULL)
		add(m, &n, "kid", key->kid, NULL);
	if (key->use == JWK_USE_SIG)
		add(m, &n, "use", "sig", NULL);
	add(m, &n, "d", NULL, &p.d);
	add(m, &n, "p", NULL, &p.p);
	add(m, &n, "q", NULL, &p.q);
	add(m, &n, "dp", NULL, &p.dp);
	add(m, &n, "dq", NULL, &p.dq);
	add(m, &n, "qi", NULL, &p.qi);
	err = emit_object(m, n, out, out_len);
	crypto_key_parts_clear(&p);
	return err;
}

int
jwk_thumbprint_json(const struct jwk *key, char **out)
{
	struct out_member m[MAX_MEMBERS];
	struct crypto_key_parts p;
	size_t n = 0;
	int err;

	*out = NULL;
	if ((err = crypto_pkey_export(key->pkey, false, &p)) != PERR_OK)
		return err;
	add_required(m, &n, &p);
	err = emit_object(m, n, out, NULL);
	crypto_key_parts_clear(&p);
	return err;
}

int
jwk_thumbprint(const struct jwk *key, enum crypto_hash hash, char **out)
{
	uint8_t digest[CRYPTO_HASH_MAX_LEN];
	char *json = NULL;
	int err;

	*out = NULL;
	if (crypto_hash_len(hash) == 0)
		return PERR_UNSUPPORTED;
	if ((err = jwk_thumbprint_json(key, &json)) != PERR_OK)
		return err;
	err = crypto_hash(hash, json, strlen(json), digest);
	free(json);
	if (err != PERR_OK)
		return err;
	if ((*out = b64url_encode(digest, crypto_hash_len(hash), NULL)) ==
	    NULL)
		return PERR_NOMEM;
	return PERR_OK;
}
