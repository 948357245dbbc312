/*
 * jws: JWS compact serialisation (RFC 7515 §7.1) — parse, verify, sign.
 * The verifier trusts nothing in the header to choose a key or an
 * algorithm: the caller supplies the key and the key pins the algorithm
 * (RFC 8725 §3.1). Signatures are checked over the header.payload text
 * exactly as received.
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

struct jws {
	const struct jose_alg_info *alg;
	struct json_object *header;
	const char *kid, *typ;		/* inside header, or NULL */
	uint8_t *payload;
	size_t payload_len;
	size_t signing_input_len;	/* header.payload, a prefix of text */
	char *text;
	uint8_t *sig;
	size_t sig_len;
};

void
jws_free(struct jws *jws)
{
	if (jws == NULL)
		return;
	json_object_put(jws->header);
	free(jws->payload);
	free(jws->text);
	free(jws->sig);
	free(jws);
}

/* ---- parsing ------------------------------------------------------------- */

/* One base64url part of the compact form: where it starts and its length. */
struct part {
	const char *p;
	size_t len;
};

/* Splits text at its two dots with a bounded cursor; more or fewer dots
 * is not a compact JWS (a JWE has four). */
static int
split(const char *text, size_t len, struct part parts[3])
{
	struct rbuf r;
	size_t i = 0, start = 0;
	uint8_t c;

	rbuf_init(&r, text, len);
	while (rbuf_u8(&r, &c) == PERR_OK) {
		if (c != '.')
			continue;
		if (i == 2)
			return PERR_INVALID;
		parts[i].p = text + start;
		parts[i].len = r.off - 1 - start;
		start = r.off;
		i++;
	}
	if (i != 2)
		return PERR_INVALID;
	parts[2].p = text + start;
	parts[2].len = len - start;
	return PERR_OK;
}

/*
 * RFC 7515 §4.1.11: we implement no extension, so a "crit" that names any
 * parameter is refused; a malformed one is invalid.
 */
static int
check_crit(struct json_object *hdr, const char **why)
{
	struct json_object *crit, *name;
	size_t i, n;

	if (!json_object_object_get_ex(hdr, "crit", &crit))
		return PERR_OK;
	if (!json_object_is_type(crit, json_type_array) ||
	    (n = json_object_array_length(crit)) == 0)
		return jose_fail(why, PERR_INVALID,
		    "JWS crit is not a non-empty array");
	for (i = 0; i < n; i++) {
		name = json_object_array_get_idx(crit, i);
		if (!json_object_is_type(name, json_type_string))
			return jose_fail(why, PERR_INVALID,
			    "JWS crit holds a non-string");
	}
	return jose_fail(why, PERR_UNSUPPORTED,
	    "JWS crit names an extension we do not implement");
}

static int
check_alg(struct jws *jws, const char **why)
{
	const char *name;

	if (jose_json_string(jws->header, "alg", 32, &name, NULL) != PERR_OK)
		return jose_fail(why, PERR_INVALID,
		    "JWS header has no alg string");
	if (strcmp(name, "none") == 0)
		return jose_fail(why, PERR_UNSUPPORTED,
		    "unsecured JWS (alg none) is never accepted");
	if (strncmp(name, "HS", 2) == 0)
		return jose_fail(why, PERR_UNSUPPORTED,
		    "HMAC JWS algorithms are not accepted");
	if ((jws->alg = jose_alg_by_name(name)) == NULL)
		return jose_fail(why, PERR_UNSUPPORTED,
		    "JWS alg is not supported");
	return PERR_OK;
}

static int
check_header(struct jws *jws, const char **why)
{
	struct json_object *hdr = jws->header, *b64;
	int err;

	if (!json_object_is_type(hdr, json_type_object))
		return jose_fail(why, PERR_INVALID,
		    "JWS header is not a JSON object");
	if ((err = check_alg(jws, why)) != PERR_OK)
		return err;
	if (json_object_object_get_ex(hdr, "enc", NULL))
		return jose_fail(why, PERR_UNSUPPORTED,
		    "JWE tokens are not accepted");
	if (json_object_object_get_ex(hdr, "zip", NULL))
		return jose_fail(why, PERR_UNSUPPORTED,
		    "compressed JWS payloads are not accepted");
	/* RFC 7797: an unencoded payload is an extension we do not do. */
	if (json_object_object_get_ex(hdr, "b64", &b64) &&
	    !(json_object_is_type(b64, json_type_boolean) &&
	    json_object_get_boolean(b64)))
		return jose_fail(why, PERR_UNSUPPORTED,
		    "unencoded JWS payloads are not accepted");
	if ((err = check_crit(hdr, why)) != PERR_OK)
		return err;
	if (jose_json_string(hdr, "kid", JOSE_KID_MAX_LEN, &jws->kid, NULL) ==
	    PERR_INVALID)
		return jose_fail(why, PERR_INVALID,
		    "JWS kid is not a short string");
	if (jose_json_string(hdr, "typ", JOSE_TYP_MAX_LEN, &jws->typ, NULL) ==
	    PERR_INVALID)
		return jose_fail(why, PERR_INVALID,
		    "JWS typ is not a short string");
	return PERR_OK;
}

/* The header first, so that a token refused for its alg says so. */
static int
decode_header(struct jws *jws, const struct part *part, const char **why)
{
	uint8_t *hdr = NULL;
	size_t hdr_len = 0;
	int err;

	if (part->len == 0)
		return jose_fail(why, PERR_INVALID, "JWS header is empty");
	if (part->len > JOSE_JWS_HEADER_MAX_LEN)
		return jose_fail(why, PERR_TOO_LARGE, "JWS header too large");
	if (b64url_decode(part->p, part->len, &hdr, &hdr_len) != PERR_OK)
		return jose_fail(why, PERR_INVALID,
		    "JWS header is not strict base64url");
	err = ojson_parse((const char *)hdr, hdr_len, &jws->header);
	free(hdr);
	if (err != PERR_OK)
		return jose_fail(why, err == PERR_NOMEM ? err : PERR_INVALID,
		    "JWS header is not valid JSON");
	return check_header(jws, why);
}

static int
decode_body(struct jws *jws, const struct part parts[3], const char **why)
{
	if (parts[2].len == 0)
		return jose_fail(why, PERR_INVALID, "JWS signature is empty");
	if (b64url_decode(parts[1].p, parts[1].len, &jws->payload,
	    &jws->payload_len) != PERR_OK ||
	    b64url_decode(parts[2].p, parts[2].len, &jws->sig,
	    &jws->sig_len) != PERR_OK)
		return jose_fail(why, PERR_INVALID,
		    "JWS payload or signature is not strict base64url");
	return PERR_OK;
}

int
jws_parse(const char *compact, size_t len, struct jws **out, const char **why)
{
	struct part parts[3];
	struct jws *jws = NULL;
	int err;

	*out = NULL;
	if (len > JOSE_JWS_MAX_LEN)
		return jose_fail(why, PERR_TOO_LARGE, "JWS too large");
	if (compact == NULL || split(compact, len, parts) != PERR_OK)
		return jose_fail(why, PERR_INVALID,
		    "not a compact JWS (three dot-separated parts)");
	if ((jws = calloc(1, sizeof(*jws))) == NULL)
		return PERR_NOMEM;
	if ((err = decode_header(jws, &parts[0], why)) != PERR_OK ||
	    (err = decode_body(jws, parts, why)) != PERR_OK)
		goto out;
	jws->signing_input_len = parts[0].len + 1 + parts[1].len;
	if ((jws->text = str_ndup(compact, jws->signing_input_len)) == NULL) {
		err = PERR_NOMEM;
		goto out;
	}
	*out = jws;
	jws = NULL;
out:
	jws_free(jws);
	return err;
}

const struct jose_alg_info *
jws_alg(const struct jws *jws)
{
	return jws->alg;
}

const char *
jws_kid(const struct jws *jws)
{
	return jws->kid;
}

const char *
jws_typ(const struct jws *jws)
{
	return jws->typ;
}

const uint8_t *
jws_payload(const struct jws *jws, size_t *len)
{
	if (len != NULL)
		*len = jws->payload_len;
	return jws->payload;
}

const char *
jws_header_string(const struct jws *jws, const char *name)
{
	const char *s = NULL;

	if (jose_json_string(jws->header, name, JOSE_JWS_HEADER_MAX_LEN, &s,
	    NULL) != PERR_OK)
		return NULL;
	return s;
}

/* ---- verifying ------------------------------------------------------------- */

/* RFC 8725 §3.1: the key, not the token, decides the algorithm. */
static int
check_key(const struct jws *jws, const struct jwk *key, const char **why)
{
	if (key == NULL || key->pkey == NULL)
		return jose_fail(why, PERR_VERIFY, "no key to verify with");
	if (key->use == JWK_USE_OTHER)
		return jose_fail(why, PERR_VERIFY,
		    "the key is not for signatures");
	if (key->alg != JOSE_ALG_UNKNOWN && key->alg != jws->alg->alg)
		return jose_fail(why, PERR_VERIFY,
		    "JWS alg differs from the key's alg");
	if (!jose_alg_fits_key(jws->alg, &key->info))
		return jose_fail(why, PERR_VERIFY,
		    "JWS alg does not fit the key");
	if (jws->kid != NULL && key->kid != NULL &&
	    strcmp(jws->kid, key->kid) != 0)
		return jose_fail(why, PERR_VERIFY,
		    "JWS kid differs from the key's kid");
	return PERR_OK;
}

int
jws_verify(const struct jws *jws, const struct jwk *key, const char **why)
{
	const struct jose_alg_info *a = jws->alg;
	uint8_t *der = NULL;
	const uint8_t *sig = jws->sig;
	size_t want, sig_len = jws->sig_len;
	int err;

	if ((err = check_key(jws, key, why)) != PERR_OK)
		return err;
	want = a->sig_len != 0 ? a->sig_len :
	    (size_t)EVP_PKEY_get_size(key->pkey);
	if (jws->sig_len != want)
		return jose_fail(why, PERR_VERIFY,
		    "JWS signature has the wrong length");
	if (a->scheme == CRYPTO_SIG_ECDSA) {
		err = crypto_ecdsa_raw_to_der(a->curve, jws->sig, jws->sig_len,
		    &der, &sig_len);
		if (err == PERR_NOMEM)
			return err;
		if (err != PERR_OK)
			return jose_fail(why, PERR_VERIFY,
			    "JWS signature is not R || S");
		sig = der;
	}
	err = crypto_verify(key->pkey, a->scheme, a->hash, jws->text,
	    jws->signing_input_len, sig, sig_len);
	free(der);
	if (err == PERR_NOMEM)
		return err;
	if (err != PERR_OK)
		return jose_fail(why, PERR_VERIFY,
		    "JWS signature does not verify");
	return PERR_OK;
}

/* ---- signing ------------------------------------------------------------- */

static int
header_b64(const struct jose_alg_info *a, const struct jwk *key,
    const char *typ, char **out, size_t *out_len)
{
	struct wbuf w;
	int err;

	wbuf_init(&w);
	wbuf_puts(&w, "{\"alg\":");
	wbuf_put_json_string(&w, a->name, strlen(a->name));
	if (key->kid != NULL) {
		wbuf_puts(&w, ",\"kid\":");
		wbuf_put_json_string(&w, key->kid, strlen(key->kid));
	}
	if (typ != NULL) {
		wbuf_puts(&w, ",\"typ\":");
		wbuf_put_json_string(&w, typ, strlen(typ));
	}
	wbuf_putc(&w, '}');
	if ((err = wbuf_error(&w)) == PERR_OK &&
	    (*out = b64url_encode(w.data, w.len, out_len)) == NULL)
		err = PERR_NOMEM;
	wbuf_free(&w);
	return err;
}

/* The signature in JWS form: R || S for ECDSA. */
static int
sign_raw(const struct jose_alg_info *a, const struct jwk *key,
    const struct wbuf *input, uint8_t **sig, size_t *sig_len)
{
	uint8_t *der = NULL;
	size_t der_len = 0;
	int err;

	if (a->scheme != CRYPTO_SIG_ECDSA)
		return crypto_sign(key->pkey, a->scheme, a->hash, input->data,
		    input->len, sig, sig_len);
	if ((err = crypto_sign(key->pkey, a->scheme, a->hash, input->data,
	    input->len, &der, &der_len)) != PERR_OK)
		return err;
	err = crypto_ecdsa_der_to_raw(a->curve, der, der_len, sig, sig_len);
	free(der);
	return err;
}

int
jws_sign(const struct jwk *key, const char *typ, const void *payload,
    size_t payload_len, char **out, size_t *out_len)
{
	const struct jose_alg_info *a = jose_key_alg(key);
	char *part = NULL;
	uint8_t *sig = NULL;
	size_t len = 0, sig_len = 0;
	struct wbuf w;
	int err;

	*out = NULL;
	if (a == NULL || !key->info.has_private || key->use == JWK_USE_OTHER)
		return PERR_INVALID;
	if (payload_len > JOSE_JWS_MAX_LEN)
		return PERR_TOO_LARGE;
	wbuf_init(&w);
	if ((err = header_b64(a, key, typ, &part, &len)) != PERR_OK)
		goto out;
	wbuf_put(&w, part, len);
	wbuf_putc(&w, '.');
	free(part);
	if ((part = b64url_encode(payload, payload_len, &len)) == NULL) {
		err = PERR_NOMEM;
		goto out;
	}
	wbuf_put(&w, part, len);
	free(part);
	part = NULL;
	if ((err = wbuf_error(&w)) != PERR_OK ||
	    (err = sign_raw(a, key, &w, &sig, &sig_len)) != PERR_OK)
		goto out;
	if ((part = b64url_encode(sig, sig_len, &len)) == NULL) {
		err = PERR_NOMEM;
		goto out;
	}
	wbuf_putc(&w, '.');
	wbuf_put(&w, part, len);
	if ((err = wbuf_error(&w)) != PERR_OK)
		goto out;
	if (w.len > JOSE_JWS_MAX_LEN) {
		err = PERR_TOO_LARGE;
		goto out;
	}
	*out = wbuf_steal(&w, out_len);
out:
	free(part);
	free(sig);
	wbuf_free(&w);
	return err;
}
