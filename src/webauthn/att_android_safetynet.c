/*
 * att_android_safetynet: the "android-safetynet" attestation statement
 * format (WebAuthn L3 §8.5, deprecated). The statement is a SafetyNet
 * attestation JWS (compact serialization, RS256, certificate chain in the
 * x5c header) whose nonce binds authenticatorData and the client data.
 * Only what this format needs of JWS is here; it is not a JOSE library.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "webauthn/wa_int.h"

/* The SafetyNet service signs with a certificate for this host. */
#define SAFETYNET_HOST "attest.android.com"
/* timestampMs may lie this far in the future (clock skew) ... */
#define SAFETYNET_SKEW_MS (60 * 1000)
/* ... and this far in the past (the ceremony lasts at most a minute). */
#define SAFETYNET_MAX_AGE_MS (2 * 60 * 1000)
#define NONCE_LEN 32u

/* The three parts of a JWS in compact serialization. */
struct jws {
	const char *header, *payload, *sig;
	size_t header_len, payload_len, sig_len;
	size_t signed_len; /* header '.' payload */
};

static int
split_jws(const uint8_t *text, size_t len, struct jws *j)
{
	const char *s = (const char *)text, *dot1, *dot2;

	if (len == 0 || memchr(s, '\0', len) != NULL)
		return PERR_INVALID;
	if ((dot1 = memchr(s, '.', len)) == NULL ||
	    (dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - s))) ==
	    NULL ||
	    memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - s)) != NULL)
		return PERR_INVALID;
	j->header = s;
	j->header_len = (size_t)(dot1 - s);
	j->payload = dot1 + 1;
	j->payload_len = (size_t)(dot2 - j->payload);
	j->sig = dot2 + 1;
	j->sig_len = len - (size_t)(j->sig - s);
	j->signed_len = (size_t)(dot2 - s);
	if (j->header_len == 0 || j->payload_len == 0 || j->sig_len == 0)
		return PERR_INVALID;
	return PERR_OK;
}

/* A base64url JWS part parsed as a JSON object. */
static int
decode_json_part(const char *text, size_t len, struct json_object **out)
{
	uint8_t *json = NULL;
	size_t json_len;
	int err;

	*out = NULL;
	if ((err = b64url_decode(text, len, &json, &json_len)) != PERR_OK)
		return err;
	err = ojson_parse((const char *)json, json_len, out);
	free(json);
	if (err == PERR_OK && !json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
		err = PERR_INVALID;
	}
	return err;
}

/* The header's x5c (standard base64 DER, leaf first) as certificates. */
static int
header_chain(struct json_object *header, int64_t now, STACK_OF(X509) **out,
    struct webauthn_status *st)
{
	struct webauthn_att_object certs; /* only its x5c, for wa_x5c_load */
	struct json_object *x5c, *alg, *v;
	size_t i, n;
	int err = PERR_INVALID;

	memset(&certs, 0, sizeof(certs));
	if (!json_object_object_get_ex(header, "alg", &alg) ||
	    !json_object_is_type(alg, json_type_string) ||
	    strcmp(json_object_get_string(alg), "RS256") != 0)
		return wa_fail(st, PERR_UNSUPPORTED, WEBAUTHN_FAIL_ATTESTATION,
		    "safetynet JWS is not RS256");
	if (!json_object_object_get_ex(header, "x5c", &x5c) ||
	    !json_object_is_type(x5c, json_type_array) ||
	    (n = json_object_array_length(x5c)) == 0 || n > WEBAUTHN_X5C_MAX)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "safetynet JWS header has no usable x5c");
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(x5c, i);
		if (!json_object_is_type(v, json_type_string) ||
		    (size_t)json_object_get_string_len(v) >
		    WEBAUTHN_CERT_MAX * 2 ||
		    b64_decode(json_object_get_string(v),
		    (size_t)json_object_get_string_len(v), &certs.x5c[i].der,
		    &certs.x5c[i].len) != PERR_OK) {
			err = wa_fail(st, PERR_INVALID,
			    WEBAUTHN_FAIL_CERTIFICATE,
			    "safetynet x5c entry is not base64 DER");
			goto out;
		}
		certs.x5c_len = i + 1;
	}
	err = wa_x5c_load(&certs, now, out, st);
out:
	webauthn_att_object_free(&certs);
	return err;
}

/* SafetyNet docs: signed by attest.android.com, over header.payload. */
static int
check_signature(const struct jws *j, STACK_OF(X509) *chain,
    struct webauthn_status *st)
{
	X509 *leaf = sk_X509_value(chain, 0);
	uint8_t *sig = NULL;
	size_t sig_len;
	int err;

	if (X509_check_host(leaf, SAFETYNET_HOST, strlen(SAFETYNET_HOST), 0,
	    NULL) != 1)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "safetynet certificate is not for attest.android.com");
	if (b64url_decode(j->sig, j->sig_len, &sig, &sig_len) != PERR_OK)
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "safetynet JWS signature is not base64url");
	err = wa_verify_sig(X509_get0_pubkey(leaf), WEBAUTHN_ALG_RS256,
	    (const uint8_t *)j->header, j->signed_len, sig, sig_len);
	free(sig);
	if (err != PERR_OK)
		return wa_fail(st, err, WEBAUTHN_FAIL_ATTESTATION,
		    "safetynet JWS signature does not verify");
	return PERR_OK;
}

static bool
get_bool(struct json_object *obj, const char *name)
{
	struct json_object *v;

	return json_object_object_get_ex(obj, name, &v) &&
	    json_object_is_type(v, json_type_boolean) &&
	    json_object_get_boolean(v);
}

/* The nonce is base64(SHA-256(authenticatorData || clientDataHash)). */
static int
check_nonce(const struct wa_att_input *in, struct json_object *payload)
{
	uint8_t want[CRYPTO_HASH_MAX_LEN], *got = NULL;
	struct json_object *v;
	size_t want_len, got_len;
	int err;

	if (!json_object_object_get_ex(payload, "nonce", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    (size_t)json_object_get_string_len(v) > 64)
		return PERR_INVALID;
	if ((err = wa_att_to_be_signed_hash(in, CRYPTO_HASH_SHA256, want,
	    &want_len)) != PERR_OK)
		return err;
	if (b64_decode(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), &got, &got_len) != PERR_OK)
		return PERR_INVALID;
	err = got_len == NONCE_LEN && crypto_memeq(got, want, NONCE_LEN) ?
	    PERR_OK : PERR_VERIFY;
	free(got);
	return err;
}

static int
check_payload(const struct wa_att_input *in, struct json_object *payload,
    struct webauthn_status *st)
{
	struct json_object *v;
	int64_t ts, now_ms = in->now * 1000;

	if (check_nonce(in, payload) != PERR_OK)
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "safetynet nonce does not match");
	if (!json_object_object_get_ex(payload, "timestampMs", &v) ||
	    !json_object_is_type(v, json_type_int))
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "safetynet payload lacks timestampMs");
	ts = json_object_get_int64(v);
	if (ts > now_ms + SAFETYNET_SKEW_MS ||
	    ts < now_ms - SAFETYNET_MAX_AGE_MS)
		return wa_fail(st, PERR_EXPIRED, WEBAUTHN_FAIL_ATTESTATION,
		    "safetynet response is not fresh");
	/* The device must pass Google's compatibility (CTS) profile. */
	if (!get_bool(payload, "ctsProfileMatch") ||
	    !get_bool(payload, "basicIntegrity"))
		return wa_fail(st, PERR_VERIFY, WEBAUTHN_FAIL_ATTESTATION,
		    "safetynet says the device fails its integrity checks");
	return PERR_OK;
}

int
wa_att_android_safetynet(const struct wa_att_input *in,
    struct wa_att_result *res, struct webauthn_status *st)
{
	const struct webauthn_att_object *ao = in->ao;
	unsigned int need = WEBAUTHN_STMT_VER | WEBAUTHN_STMT_RESPONSE;
	struct json_object *header = NULL, *payload = NULL;
	struct jws j;
	int err;

	/* §8.5 step 1: syntax; ver is reserved but must be present. */
	if ((ao->present & need) != need || ao->ver[0] == '\0')
		return wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "android-safetynet attestation lacks ver or response");
	/* §8.5 step 2: a well-formed SafetyNet response. */
	if (split_jws(ao->response, ao->response_len, &j) != PERR_OK ||
	    decode_json_part(j.header, j.header_len, &header) != PERR_OK ||
	    decode_json_part(j.payload, j.payload_len, &payload) != PERR_OK) {
		err = wa_fail(st, PERR_INVALID, WEBAUTHN_FAIL_ATTESTATION,
		    "safetynet response is not a JWS");
		goto out;
	}
	if ((err = header_chain(header, in->now, &res->path, st)) != PERR_OK)
		goto out;
	/* §8.5 step 4: it came from the SafetyNet service. */
	if ((err = check_signature(&j, res->path, st)) != PERR_OK)
		goto out;
	/* §8.5 step 3: the nonce; plus freshness and device integrity. */
	if ((err = check_payload(in, payload, st)) != PERR_OK)
		goto out;
	/* §8.5 step 5. */
	res->type = WEBAUTHN_ATT_BASIC;
out:
	json_object_put(header);
	json_object_put(payload);
	return err;
}
