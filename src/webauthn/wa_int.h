/*
 * wa_int: declarations shared by the files of src/webauthn and nobody
 * else. libcbor and OpenSSL types appear here and stop here.
 */
#ifndef POCKETID_WEBAUTHN_INT_H
#define POCKETID_WEBAUTHN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cbor.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "webauthn/webauthn.h"

/* Sets *st (when not NULL) and returns err. */
int wa_fail(struct webauthn_status *st, int err, enum webauthn_fail fail,
    const char *why);

/*
 * base64url as browsers send it in the response JSON: strict, except that
 * canonical '=' padding is tolerated (go-webauthn trims it too).
 */
int wa_b64url_decode_lenient(const char *text, size_t len, uint8_t **out,
    size_t *out_len);

/* --- ceremony.c: the checks registration and assertion share --- */

/*
 * Parses clientDataJSON and checks type, challenge, origin, crossOrigin
 * and topOrigin against the policy (§7.1 steps 5-11, §7.2 steps 8-14),
 * then hashes it (§7.1 step 12, §7.2 step 20) into hash.
 */
int wa_check_client_data(const struct webauthn_policy *policy,
    const uint8_t *json, size_t len, enum webauthn_cd_type want,
    uint8_t hash[32], struct webauthn_status *st);
/*
 * rpIdHash, UP (unless up_optional), UV when required, and BS without BE
 * (§7.1 steps 14-17, §7.2 steps 15-18).
 */
int wa_check_auth_data(const struct webauthn_policy *policy,
    const struct webauthn_auth_data *ad, bool up_optional,
    struct webauthn_status *st);
/* Refuses a policy a caller cannot have meant (no challenge, origin...). */
int wa_check_policy(const struct webauthn_policy *policy,
    struct webauthn_status *st);

/* --- cbor.c: bounded CBOR on top of libcbor --- */

/*
 * Walks one CBOR data item at the start of data without decoding it and
 * returns its encoded length in *item_len. Checks, before anything is
 * allocated: definite lengths only, no tags, no floats or undefined, depth
 * <= WEBAUTHN_CBOR_DEPTH_MAX, items <= WEBAUTHN_CBOR_ITEMS_MAX, maps <=
 * WEBAUTHN_CBOR_MAP_MAX pairs, map keys integers or text, text valid
 * UTF-8, and every declared length present in the input.
 * Errors: PERR_TRUNCATED, PERR_INVALID, PERR_TOO_LARGE.
 */
int wa_cbor_item_len(const uint8_t *data, size_t len, size_t *item_len);

/*
 * Decodes exactly len bytes as one CBOR item (wa_cbor_item_len first, so
 * libcbor only ever sees bounded, well-formed input; then no trailing
 * bytes, and no map anywhere with two equal keys). *out is released with
 * cbor_decref(). Errors as wa_cbor_item_len, plus PERR_NOMEM.
 */
int wa_cbor_decode(const uint8_t *data, size_t len, cbor_item_t **out);

/* The value for an integer / text key in a map, or NULL. */
cbor_item_t *wa_cbor_map_get_int(const cbor_item_t *map, int64_t key);
cbor_item_t *wa_cbor_map_get_text(const cbor_item_t *map, const char *key);
/* An integer item as int64_t. PERR_INVALID when not an integer or out of
 * the int64 range. */
int wa_cbor_int(const cbor_item_t *item, int64_t *out);

/* --- der.c: a small DER reader over struct rbuf --- */

/* Universal tags and classes used here. */
#define WA_DER_INTEGER 0x02u
#define WA_DER_OCTET_STRING 0x04u
#define WA_DER_NULL 0x05u
#define WA_DER_OID 0x06u
#define WA_DER_ENUMERATED 0x0au
#define WA_DER_SEQUENCE 0x30u
#define WA_DER_SET 0x31u
#define WA_DER_CLASS_CONTEXT 0x80u
#define WA_DER_CONSTRUCTED 0x20u

/* One TLV: class and constructed bits, the tag number, and the value. */
struct wa_der {
	uint8_t cls;	 /* 0x00 universal, 0x40, 0x80 context, 0xc0 */
	bool constructed;
	uint32_t tag;	 /* the tag number, high-tag form decoded */
	const uint8_t *value;
	size_t len;
};
/* Reads one TLV (definite length, minimal length encoding). */
int wa_der_read(struct rbuf *r, struct wa_der *out);
/* Reads one TLV and checks its identifier octet (tag number < 31). */
int wa_der_expect(struct rbuf *r, uint8_t identifier, struct wa_der *out);
/* A non-negative INTEGER or ENUMERATED value that fits in int64_t. */
int wa_der_small_int(const struct wa_der *d, int64_t *out);

/* --- cose.c --- */

/* What a COSE algorithm needs: key type, curve, scheme and hash. */
struct wa_alg {
	int32_t alg;
	int32_t kty;
	int32_t crv;			/* COSE curve; 0 for RSA */
	enum crypto_curve curve;	/* the same for crypto; EC2 only */
	enum crypto_sig_scheme scheme;
	enum crypto_hash hash;		/* CRYPTO_HASH_NONE for EdDSA */
};
/* The row for alg, or NULL when we do not handle it. */
const struct wa_alg *wa_alg_find(int32_t alg);
/* Public key object for a parsed COSE key. */
int wa_cose_key_to_pkey(const struct webauthn_cose_key *key, EVP_PKEY **out);
/*
 * Verifies sig over msg with pkey under COSE algorithm alg: the key's type
 * (and curve) must be the one alg names. ECDSA signatures are DER
 * (§6.5.5). Returns PERR_OK, PERR_VERIFY, PERR_UNSUPPORTED or
 * PERR_CRYPTO.
 */
int wa_verify_sig(EVP_PKEY *pkey, int32_t alg, const uint8_t *msg,
    size_t msg_len, const uint8_t *sig, size_t sig_len);
/* Same, with two message pieces (authData || clientDataHash). */
int wa_verify_sig2(EVP_PKEY *pkey, int32_t alg, const uint8_t *a,
    size_t a_len, const uint8_t *b, size_t b_len, const uint8_t *sig,
    size_t sig_len);

/* --- attest.c: the format table and what formats share --- */

/* Inputs of an attestation statement verification procedure (§8). */
struct wa_att_input {
	const struct webauthn_att_object *ao;
	const struct webauthn_auth_data *ad;	/* parsed ao->auth_data */
	const struct webauthn_cose_key *cred_key;
	EVP_PKEY *cred_pkey;
	const uint8_t *client_data_hash; /* 32 bytes */
	int64_t now;
};
/*
 * What a verification procedure returns: the attestation type and, for
 * x5c-based types, the trust path (leaf first), which the ceremony then
 * chains to the policy's anchors. The path is owned by the result.
 */
struct wa_att_result {
	enum webauthn_att_type type;
	STACK_OF(X509) *path;
};
typedef int (*wa_att_verify_fn)(const struct wa_att_input *in,
    struct wa_att_result *res, struct webauthn_status *st);

/*
 * The verifier for fmt (case-sensitive, §7.1 step 21), or NULL; *allowed
 * receives the attStmt members (WEBAUTHN_STMT_*) the format defines.
 */
wa_att_verify_fn wa_att_lookup(const char *fmt, unsigned int *allowed);
/* Hash of authenticatorData || clientDataHash with h into out. */
int wa_att_to_be_signed_hash(const struct wa_att_input *in,
    enum crypto_hash h, uint8_t out[CRYPTO_HASH_MAX_LEN], size_t *out_len);

/* The formats, one file each. */
int wa_att_none(const struct wa_att_input *, struct wa_att_result *,
    struct webauthn_status *);
int wa_att_packed(const struct wa_att_input *, struct wa_att_result *,
    struct webauthn_status *);
int wa_att_fido_u2f(const struct wa_att_input *, struct wa_att_result *,
    struct webauthn_status *);
int wa_att_tpm(const struct wa_att_input *, struct wa_att_result *,
    struct webauthn_status *);
int wa_att_android_key(const struct wa_att_input *, struct wa_att_result *,
    struct webauthn_status *);
int wa_att_android_safetynet(const struct wa_att_input *,
    struct wa_att_result *, struct webauthn_status *);
int wa_att_apple(const struct wa_att_input *, struct wa_att_result *,
    struct webauthn_status *);

/* --- x509.c: certificate helpers for the formats --- */

/* Parses one DER certificate; the whole input must be one certificate. */
int wa_x509_parse(const uint8_t *der, size_t len, X509 **out);
/*
 * Parses every x5c entry of ao (at least one) into *out (leaf first) and
 * checks that each is valid at now. Errors: PERR_INVALID, PERR_EXPIRED,
 * PERR_NOMEM; st says which.
 */
int wa_x5c_load(const struct webauthn_att_object *ao, int64_t now,
    STACK_OF(X509) **out, struct webauthn_status *st);
/* Verifies the chain leaf..rest up to one of the anchors at now. */
int wa_x5c_chain_verify(STACK_OF(X509) *x5c,
    const struct webauthn_bytes *anchors, size_t anchors_len, int64_t now);
/*
 * The DER content of the extension with dotted OID in cert: *value points
 * into the certificate (the extnValue OCTET STRING's content). Returns
 * PERR_NOT_FOUND when absent. *critical (optional) gets its flag.
 */
int wa_x509_ext(X509 *cert, const char *oid, const uint8_t **value,
    size_t *len, bool *critical);
/*
 * §8.2.1 / §8.3.1: if cert carries id-fido-gen-ce-aaguid, it must not be
 * critical and must equal aaguid. PERR_OK when absent.
 */
int wa_x509_check_aaguid(X509 *cert, const uint8_t aaguid[16]);
/* True when cert has basicConstraints with cA = TRUE. */
bool wa_x509_is_ca(X509 *cert);
/* True when the certificate's public key is the credential key. */
bool wa_x509_key_equals(X509 *cert, EVP_PKEY *pkey);

#endif
