/*
 * jose: the algorithm table, JWK and JWKS (RFC 7517, 7518, 8037), RFC 7638
 * thumbprints, JWS compact serialisation (RFC 7515) and JWT claims checks
 * (RFC 7519), on top of src/crypto.
 *
 * Pure: no I/O, no clock (the current time is an argument), no globals.
 * json-c never leaves this module: keys and tokens are parsed into the C
 * structs below. Verification is strict by design:
 *   - the key pins the algorithm: a header "alg" that differs from the
 *     key's "alg" is refused; a key without "alg" accepts only algorithms
 *     of its own type and curve;
 *   - "none" and the HMAC algorithms are never accepted, whatever the key;
 *   - the three parts are strict base64url (no padding, no stray bytes);
 *   - "crit" naming anything (we understand no extension) is refused;
 *   - ECDSA signatures must be exactly R || S of the curve's length.
 *
 * Errors are enum perr values; functions that take `const char **why`
 * (which may be NULL) set it to a short static English explanation that
 * never echoes input.
 */
#ifndef POCKETID_JOSE_H
#define POCKETID_JOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "crypto/crypto.h"

/* ---- algorithms ---------------------------------------------------------- */

enum jose_alg {
	JOSE_ALG_UNKNOWN = 0,
	JOSE_ALG_RS256,
	JOSE_ALG_RS384,
	JOSE_ALG_RS512,
	JOSE_ALG_PS256,
	JOSE_ALG_PS384,
	JOSE_ALG_PS512,
	JOSE_ALG_ES256,
	JOSE_ALG_ES384,
	JOSE_ALG_ES512,
	JOSE_ALG_EDDSA,
};

/* One row of the algorithm table. */
struct jose_alg_info {
	enum jose_alg alg;
	const char *name;		/* "RS256", ... as on the wire */
	enum crypto_key_type kty;
	enum crypto_curve curve;	/* EC only */
	enum crypto_sig_scheme scheme;
	enum crypto_hash hash;		/* CRYPTO_HASH_NONE for EdDSA */
	size_t sig_len;			/* raw length; 0 = modulus length */
	/* Hash for at_hash / c_hash (OIDC Core §3.1.3.6): the left half of
	 * this digest. SHA-512 for EdDSA, as Ed25519 uses it internally. */
	enum crypto_hash token_hash;
};

/* The row of a wire name (exact, case-sensitive), or NULL. */
const struct jose_alg_info *jose_alg_by_name(const char *name);
/* The row of alg, or NULL for JOSE_ALG_UNKNOWN. */
const struct jose_alg_info *jose_alg_get(enum jose_alg alg);

/* ---- JWK ------------------------------------------------------------------ */

/* Limits on JWK text. A private RSA-8192 JWK is about 7 KiB. */
#define JOSE_JWK_MAX_LEN (16u * 1024u)
#define JOSE_KID_MAX_LEN 256u

enum jwk_use {
	JWK_USE_ABSENT = 0,	/* no "use" member */
	JWK_USE_SIG,		/* "sig" */
	JWK_USE_OTHER,		/* "enc" or anything else: not for JWS */
};

/*
 * A parsed or generated key. The struct owns kid and pkey (EVP_PKEY_free
 * wipes private components). Fields are read-only for callers; build one
 * with jwk_parse, jwk_generate or jwk_from_pkey.
 */
struct jwk {
	char *kid;		/* NULL when absent */
	enum jose_alg alg;	/* JOSE_ALG_UNKNOWN when absent */
	enum jwk_use use;
	EVP_PKEY *pkey;
	struct crypto_key_info info;	/* type, curve, bits, has_private */
};

/*
 * Parses one JWK (a JSON object of at most JOSE_JWK_MAX_LEN bytes): kty
 * RSA, EC (P-256/384/521) or OKP (Ed25519), public or private. A private
 * key must match its public members. Members are strict base64url; EC and
 * OKP members must be full length; RSA n and e minimal. "alg", if present,
 * must be a supported JWS algorithm fitting the key.
 * Errors: PERR_INVALID (malformed), PERR_TOO_LARGE, PERR_UNSUPPORTED (kty
 * oct, other curves, HMAC or unknown alg, multi-prime RSA, RSA below 2048
 * bits), PERR_NOMEM, PERR_CRYPTO.
 */
int jwk_parse(const char *json, size_t len, struct jwk **out,
    const char **why);

/* Frees the key (wiping private material); accepts NULL. */
void jwk_free(struct jwk *key);

/*
 * Wraps pkey (RSA >= 2048 bits, P-256/384/521 or Ed25519) as a JWK with
 * the given alg (which must fit the key; JOSE_ALG_UNKNOWN allowed), kid
 * (copied; NULL for none) and use "sig". On success the JWK owns pkey; on
 * failure the caller still does. Errors: PERR_INVALID, PERR_UNSUPPORTED,
 * PERR_NOMEM.
 */
int jwk_from_pkey(EVP_PKEY *pkey, enum jose_alg alg, const char *kid,
    struct jwk **out);

/*
 * Generates a signing key for alg: RSA of rsa_bits (2048, 3072, 4096; 0
 * means 2048) for RS and PS algorithms, the alg's curve for ES, Ed25519 for
 * EdDSA. kid NULL draws 8 random bytes, base64url (11 characters), as
 * Pocket ID does (spec §2.6). use is "sig".
 */
int jwk_generate(enum jose_alg alg, unsigned rsa_bits, const char *kid,
    struct jwk **out);

/*
 * Serialises key as a JSON object with members in lexicographic order
 * (alg, crv, d, dp, dq, e, kid, kty, n, p, q, qi, use, x, y as present).
 * Private members only with with_private (and when the key has them).
 * *out is NUL-terminated; with private members it is a secret
 * (str_free_secret). Errors: PERR_NOMEM, PERR_CRYPTO.
 */
int jwk_to_json(const struct jwk *key, bool with_private, char **out,
    size_t *out_len);

/*
 * RFC 7638: the canonical JSON of the required public members, and its
 * hash in base64url. Errors: PERR_UNSUPPORTED (hash), PERR_NOMEM,
 * PERR_CRYPTO.
 */
int jwk_thumbprint_json(const struct jwk *key, char **out);
int jwk_thumbprint(const struct jwk *key, enum crypto_hash hash, char **out);

/* ---- JWKS ------------------------------------------------------------------ */

#define JOSE_JWKS_MAX_LEN (256u * 1024u)
#define JOSE_JWKS_KEYS_MAX 64u

struct jwks {
	struct jwk **keys;
	size_t n;
};

/*
 * Parses {"keys":[...]} of public keys. Keys we cannot use (unsupported
 * kty, curve or alg, RSA below 2048 bits, "use" other than "sig") are
 * skipped as RFC 7517 §5 allows; a malformed key, a private key or more
 * than JOSE_JWKS_KEYS_MAX entries make the whole set invalid.
 */
int jwks_parse(const char *json, size_t len, struct jwks **out,
    const char **why);
void jwks_free(struct jwks *set);
/* The key whose kid equals kid, or NULL. */
const struct jwk *jwks_find(const struct jwks *set, const char *kid);

/*
 * Serialises {"keys":[...]} with the public part of each key, in the order
 * given. Errors: PERR_INVALID (n over JOSE_JWKS_KEYS_MAX), PERR_NOMEM,
 * PERR_CRYPTO.
 */
int jwks_to_json(const struct jwk *const *keys, size_t n, char **out,
    size_t *out_len);

/* ---- JWS compact ------------------------------------------------------------- */

#define JOSE_JWS_MAX_LEN (64u * 1024u)
#define JOSE_JWS_HEADER_MAX_LEN (8u * 1024u)	/* encoded characters */
#define JOSE_TYP_MAX_LEN 128u

/* A parsed, not yet verified, JWS. Opaque. */
struct jws;

/*
 * Splits and decodes a compact JWS and checks its protected header: alg
 * present and supported (never "none" or HS*), no "enc", "zip" or "crit"
 * naming an extension, "b64" absent or true, "kid" and "typ" strings
 * within their limits. Nothing is verified yet: until jws_verify succeeds
 * the header and payload are untrusted.
 * Errors: PERR_INVALID, PERR_TOO_LARGE, PERR_UNSUPPORTED, PERR_NOMEM.
 */
int jws_parse(const char *compact, size_t len, struct jws **out,
    const char **why);
void jws_free(struct jws *jws);

const struct jose_alg_info *jws_alg(const struct jws *jws);
/* Header kid / typ, or NULL when absent. Owned by jws. */
const char *jws_kid(const struct jws *jws);
const char *jws_typ(const struct jws *jws);
/* The decoded payload (NUL-terminated for convenience). Owned by jws. */
const uint8_t *jws_payload(const struct jws *jws, size_t *len);
/*
 * Header member name as a string, or NULL when absent or not a string.
 * For a header member an application defines (never the security-relevant
 * ones above, which have accessors). Owned by jws.
 */
const char *jws_header_string(const struct jws *jws, const char *name);

/*
 * Verifies jws with key: the key must be usable for signatures ("use"
 * absent or "sig"), the header alg must be the key's alg (or fit its type
 * and curve when the key has none), a kid in both must be equal, the
 * signature must have the exact length of the alg and key, and verify over
 * the received header.payload text.
 * Errors: PERR_VERIFY (with why), PERR_NOMEM.
 */
int jws_verify(const struct jws *jws, const struct jwk *key,
    const char **why);

/*
 * Signs payload with a private key: header {"alg":...,"kid":...,"typ":...}
 * (kid when the key has one, typ when not NULL). The alg is the key's; a
 * key without alg signs with the only alg of its curve (EC, Ed25519) and
 * is refused for RSA. *out (caller frees) is the compact serialisation.
 * Errors: PERR_INVALID (public key, no alg), PERR_TOO_LARGE, PERR_NOMEM,
 * PERR_CRYPTO.
 */
int jws_sign(const struct jwk *key, const char *typ, const void *payload,
    size_t payload_len, char **out, size_t *out_len);

/* ---- JWT claims ------------------------------------------------------------------ */

/* NumericDate values outside [0, JOSE_TIME_MAX] (year 9999) are invalid. */
#define JOSE_TIME_MAX INT64_C(253402300799)
#define JOSE_AUD_MAX 64u

/* What the caller expects of a JWT. Zero-initialise, then set. */
struct jwt_expect {
	int64_t now;		/* seconds since the epoch */
	int64_t skew;		/* tolerance on exp, nbf and iat, >= 0 */
	const char *iss;	/* NULL: not checked */
	const char *aud;	/* NULL: not checked; else in "aud" */
	const char *typ;	/* NULL: not checked; else compared
				 * case-insensitively, "application/"
				 * optional (RFC 7515 §4.1.9) */
	bool typ_required;	/* typ must be present (RFC 9068 at+jwt) */
	bool exp_required;
	bool iat_required;
};

/* The claims of a JWT. Opaque; accessors below. */
struct jwt_claims;

/*
 * Parses a JWT claims set (a JSON object). Registered claims are type-
 * checked: iss, sub, jti strings; aud a string or an array of at most
 * JOSE_AUD_MAX strings; exp, nbf, iat NumericDates.
 * Errors: PERR_INVALID, PERR_TOO_LARGE, PERR_NOMEM.
 */
int jwt_claims_parse(const uint8_t *payload, size_t len,
    struct jwt_claims **out, const char **why);
void jwt_claims_free(struct jwt_claims *claims);

/*
 * Checks iss, aud, exp, nbf and iat against expect (the header typ is
 * checked by jwt_verify, which has the header).
 * Errors: PERR_EXPIRED (exp passed, nbf or iat in the future),
 * PERR_VERIFY (iss, aud or a required claim missing or wrong).
 */
int jwt_claims_check(const struct jwt_claims *claims,
    const struct jwt_expect *expect, const char **why);

/* A claim as a string (NULL when absent or not a string); owned by claims. */
const char *jwt_claims_string(const struct jwt_claims *claims,
    const char *name);
/* A NumericDate or integer claim. Errors: PERR_NOT_FOUND, PERR_INVALID. */
int jwt_claims_int64(const struct jwt_claims *claims, const char *name,
    int64_t *out);
/* The audiences (a string "aud" counts as one). */
size_t jwt_claims_aud_count(const struct jwt_claims *claims);
const char *jwt_claims_aud(const struct jwt_claims *claims, size_t i);

/*
 * All of it: jws_parse, jws_verify with key, the header typ against
 * expect, jwt_claims_parse and jwt_claims_check. On success *out (may be
 * NULL if the caller needs no claims) holds the claims.
 */
int jwt_verify(const char *compact, size_t len, const struct jwk *key,
    const struct jwt_expect *expect, struct jwt_claims **out,
    const char **why);
/*
 * The same against a set: the key with the header's kid, or, without a
 * kid, each key in turn. PERR_VERIFY when no key matches.
 */
int jwt_verify_set(const char *compact, size_t len, const struct jwks *set,
    const struct jwt_expect *expect, struct jwt_claims **out,
    const char **why);

#endif
