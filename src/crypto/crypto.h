/*
 * crypto: every cryptographic primitive the project uses, on OpenSSL 3 EVP
 * only (no deprecated RSA_* / EC_KEY_* calls): random bytes and tokens,
 * hashes, HMAC, HKDF, AES-256-GCM sealing, public keys from raw components
 * (shared by JWK and WebAuthn COSE), key generation, and one sign/verify
 * pair over (scheme, hash).
 *
 * Pure: no I/O, no clock, no configuration. The only outside input is the
 * operating system's random generator behind crypto_random() and the
 * "_random" conveniences; everything else is deterministic in its
 * arguments so it can be tested with known answers.
 *
 * Secrets: every buffer this module fills with key material or plaintext is
 * wiped before it is freed; buffers handed to the caller say so and must be
 * released with crypto_secret_free().
 */
#ifndef POCKETID_CRYPTO_H
#define POCKETID_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

/* ---- random ------------------------------------------------------------- */

/* Largest single request to the random generator, in bytes. */
#define CRYPTO_RANDOM_MAX 4096u

/* Fills out with n random bytes. Errors: PERR_INVALID (n too big),
 * PERR_CRYPTO (the generator failed). */
int crypto_random(void *out, size_t n);

/*
 * A bearer token of nbytes random bytes (1..CRYPTO_RANDOM_MAX), base64url
 * without padding. *out is a heap string the caller frees (it is a secret:
 * str_free_secret()). Errors: PERR_INVALID, PERR_CRYPTO, PERR_NOMEM.
 */
int crypto_random_token(size_t nbytes, char **out);

/*
 * Fills out with n characters drawn uniformly (rejection sampling, no
 * modulo bias) from alphabet (2 to 256 distinct characters) and a NUL;
 * out has room for n + 1. For human-typed codes and Pocket ID's
 * alphanumeric secrets. Errors: PERR_INVALID, PERR_CRYPTO.
 */
int crypto_random_string(const char *alphabet, size_t n, char *out);

#define CRYPTO_UUID_TEXT_LEN 36
/* Formats 16 bytes as a version 4 UUID (the version and variant bits are
 * forced), lower-case, NUL-terminated. Pure. */
void crypto_uuid_v4_format(const uint8_t rnd[16],
    char out[CRYPTO_UUID_TEXT_LEN + 1]);
/* Draws 16 random bytes and formats them. Errors: PERR_CRYPTO. */
int crypto_uuid_v4(char out[CRYPTO_UUID_TEXT_LEN + 1]);

/* ---- hashes, MACs, KDF -------------------------------------------------- */

/*
 * Hash functions. CRYPTO_HASH_NONE stands for "the scheme hashes
 * internally" (EdDSA) and is refused everywhere a digest is computed.
 * SHA-1 exists only for WebAuthn TPM / legacy attestation vectors.
 */
enum crypto_hash {
	CRYPTO_HASH_NONE = 0,
	CRYPTO_HASH_SHA1,
	CRYPTO_HASH_SHA256,
	CRYPTO_HASH_SHA384,
	CRYPTO_HASH_SHA512,
};
#define CRYPTO_HASH_MAX_LEN 64

/* Output length of h in bytes; 0 for CRYPTO_HASH_NONE or an unknown value. */
size_t crypto_hash_len(enum crypto_hash h);

/* out (crypto_hash_len(h) bytes) = h(data). Errors: PERR_UNSUPPORTED,
 * PERR_CRYPTO. */
int crypto_hash(enum crypto_hash h, const void *data, size_t len,
    uint8_t *out);

/* out (crypto_hash_len(h) bytes) = HMAC-h(key, data). Errors as above. */
int crypto_hmac(enum crypto_hash h, const uint8_t *key, size_t key_len,
    const void *data, size_t len, uint8_t *out);

/* out = HMAC-SHA3-256(key, data), 32 bytes (spec §4.3 KEK derivation). */
#define CRYPTO_SHA3_256_LEN 32
int crypto_hmac_sha3_256(const uint8_t *key, size_t key_len,
    const void *data, size_t len, uint8_t out[CRYPTO_SHA3_256_LEN]);

/*
 * HKDF-SHA256 (RFC 5869) extract-and-expand: out_len bytes (1..8160) from
 * ikm, an optional salt (NULL/0 = none, i.e. HashLen zero bytes) and info.
 * Errors: PERR_INVALID, PERR_CRYPTO.
 */
int crypto_hkdf_sha256(const uint8_t *ikm, size_t ikm_len,
    const uint8_t *salt, size_t salt_len, const void *info, size_t info_len,
    uint8_t *out, size_t out_len);

/* Constant-time equality of two n-byte buffers. */
bool crypto_memeq(const void *a, const void *b, size_t n);

/* Wipes n bytes at p and frees p; accepts NULL. */
void crypto_secret_free(void *p, size_t n);

/* ---- AES-256-GCM -------------------------------------------------------- */

#define CRYPTO_GCM_KEY_LEN 32
#define CRYPTO_GCM_NONCE_LEN 12
#define CRYPTO_GCM_TAG_LEN 16
#define CRYPTO_GCM_OVERHEAD (CRYPTO_GCM_NONCE_LEN + CRYPTO_GCM_TAG_LEN)
/* Largest plaintext sealed or opened, in bytes. */
#define CRYPTO_GCM_PLAIN_MAX (16u * 1024u * 1024u)

/*
 * Seals plain under key with the given 12-byte nonce and additional data
 * (aad may be NULL when aad_len is 0). *out (caller frees) receives
 * nonce || ciphertext || tag, *out_len = plain_len + CRYPTO_GCM_OVERHEAD.
 * A nonce must never repeat under one key: prefer crypto_gcm_seal_random.
 * Errors: PERR_TOO_LARGE, PERR_NOMEM, PERR_CRYPTO.
 */
int crypto_gcm_seal(const uint8_t key[CRYPTO_GCM_KEY_LEN],
    const uint8_t nonce[CRYPTO_GCM_NONCE_LEN], const void *aad,
    size_t aad_len, const void *plain, size_t plain_len, uint8_t **out,
    size_t *out_len);
/* The same with a fresh random nonce. */
int crypto_gcm_seal_random(const uint8_t key[CRYPTO_GCM_KEY_LEN],
    const void *aad, size_t aad_len, const void *plain, size_t plain_len,
    uint8_t **out, size_t *out_len);

/*
 * Opens nonce || ciphertext || tag. On success *out holds the plaintext
 * (NUL-terminated for convenience, *out_len bytes without the NUL); it is a
 * secret: release it with crypto_secret_free(*out, *out_len).
 * Errors: PERR_TRUNCATED (shorter than the overhead), PERR_TOO_LARGE,
 * PERR_WRONG_KEY (the tag does not verify: wrong key, wrong AAD or
 * tampered bytes; nothing is returned), PERR_NOMEM, PERR_CRYPTO.
 */
int crypto_gcm_open(const uint8_t key[CRYPTO_GCM_KEY_LEN], const void *aad,
    size_t aad_len, const uint8_t *sealed, size_t sealed_len, uint8_t **out,
    size_t *out_len);

/* ---- keys --------------------------------------------------------------- */

enum crypto_key_type {
	CRYPTO_KEY_NONE = 0,
	CRYPTO_KEY_RSA,
	CRYPTO_KEY_EC,
	CRYPTO_KEY_ED25519,
};

enum crypto_curve {
	CRYPTO_CURVE_NONE = 0,
	CRYPTO_CURVE_P256,
	CRYPTO_CURVE_P384,
	CRYPTO_CURVE_P521,
};

/* Bytes of one field element (and of R or S): 32, 48, 66; 0 if unknown. */
size_t crypto_curve_coord_len(enum crypto_curve c);
/* "P-256", "P-384", "P-521" (the JWK names); NULL if unknown. */
const char *crypto_curve_name(enum crypto_curve c);

/* RSA modulus sizes accepted on import, in bits. */
#define CRYPTO_RSA_BITS_MIN 2048
#define CRYPTO_RSA_BITS_MAX 8192
/* Public exponent: at most this many bytes. */
#define CRYPTO_RSA_E_MAX_LEN 8
#define CRYPTO_ED25519_LEN 32

/*
 * A public key from raw big-endian components. The caller frees *out with
 * EVP_PKEY_free(). Errors: PERR_INVALID (malformed: leading zero bytes in
 * n or e, even or tiny e, wrong coordinate length, point not on the curve),
 * PERR_UNSUPPORTED (modulus outside CRYPTO_RSA_BITS_MIN..MAX, unknown
 * curve), PERR_NOMEM, PERR_CRYPTO.
 */
int crypto_pkey_from_rsa(const uint8_t *n, size_t n_len, const uint8_t *e,
    size_t e_len, EVP_PKEY **out);
/* x and y must each be exactly crypto_curve_coord_len(curve) bytes. */
int crypto_pkey_from_ec(enum crypto_curve curve, const uint8_t *x,
    size_t x_len, const uint8_t *y, size_t y_len, EVP_PKEY **out);
/* x must be 32 bytes. */
int crypto_pkey_from_ed25519(const uint8_t *x, size_t x_len, EVP_PKEY **out);

/*
 * One field of a key, big-endian bytes owned by the struct holding it.
 * len 0 / p NULL = absent.
 */
struct crypto_bytes {
	uint8_t *p;
	size_t len;
};

/*
 * A key's components under their JWK member names (RFC 7518 §6). RSA uses
 * n e (public) and d p q dp dq qi (private); EC uses curve x y (public) and
 * d; Ed25519 uses x and d. EC coordinates and d are always full length.
 */
struct crypto_key_parts {
	enum crypto_key_type type;
	enum crypto_curve curve;
	struct crypto_bytes n, e, x, y;
	struct crypto_bytes d, p, q, dp, dq, qi;
};

/* Wipes and frees every field and zeroes the struct; accepts NULL. */
void crypto_key_parts_clear(struct crypto_key_parts *parts);

/*
 * Builds a key from parts. A private key is built when d is present; RSA
 * then takes either d alone or d with all five of p q dp dq qi. A private
 * key is checked against its public half (RSA: n = p·q and the CRT
 * members agree with d, then a test signature; EC: d·G = (x, y); Ed25519:
 * x derived from d) and refused with PERR_INVALID when they disagree.
 * Errors as for crypto_pkey_from_rsa.
 */
int crypto_pkey_import(const struct crypto_key_parts *parts, EVP_PKEY **out);

/*
 * Exports the components of key into *parts (which the caller clears with
 * crypto_key_parts_clear). With with_private the private members are
 * filled when the key has them. Errors: PERR_UNSUPPORTED (not RSA, one of
 * our curves, or Ed25519), PERR_NOMEM, PERR_CRYPTO.
 */
int crypto_pkey_export(const EVP_PKEY *key, bool with_private,
    struct crypto_key_parts *parts);

/* What a key is. */
struct crypto_key_info {
	enum crypto_key_type type;
	enum crypto_curve curve;	/* EC only */
	unsigned bits;			/* modulus or field size */
	bool has_private;
};
/* Errors: PERR_UNSUPPORTED for any other kind of key. */
int crypto_pkey_info(const EVP_PKEY *key, struct crypto_key_info *info);

/*
 * Key generation. RSA bits must be 2048, 3072 or 4096 (PERR_UNSUPPORTED
 * otherwise). The caller frees *out with EVP_PKEY_free(), which wipes the
 * private components.
 */
int crypto_pkey_generate_rsa(unsigned bits, EVP_PKEY **out);
int crypto_pkey_generate_ec(enum crypto_curve curve, EVP_PKEY **out);
int crypto_pkey_generate_ed25519(EVP_PKEY **out);

/* ---- signatures --------------------------------------------------------- */

/*
 * Signature schemes. RSA-PSS uses MGF1 with the same hash and a salt as
 * long as the hash (RFC 7518 §3.5, COSE PS256). ECDSA signatures are DER
 * (SEQUENCE of two INTEGERs) at this level. EdDSA is Ed25519 (pure) and
 * takes CRYPTO_HASH_NONE.
 */
enum crypto_sig_scheme {
	CRYPTO_SIG_NONE = 0,
	CRYPTO_SIG_RSA_PKCS1,
	CRYPTO_SIG_RSA_PSS,
	CRYPTO_SIG_ECDSA,
	CRYPTO_SIG_EDDSA,
};

/* Largest message signed or verified, in bytes. */
#define CRYPTO_SIGN_MSG_MAX (1024u * 1024u)

/*
 * Signs msg with the private key. *sig (caller frees) receives the
 * signature. Errors: PERR_INVALID (scheme, hash and key do not fit
 * together, or the key is public only), PERR_TOO_LARGE, PERR_NOMEM,
 * PERR_CRYPTO.
 */
int crypto_sign(EVP_PKEY *key, enum crypto_sig_scheme scheme,
    enum crypto_hash hash, const void *msg, size_t msg_len, uint8_t **sig,
    size_t *sig_len);

/*
 * Verifies sig over msg. PERR_OK only for a valid signature; PERR_VERIFY
 * for any signature that does not verify (including a malformed one);
 * PERR_INVALID when scheme, hash and key do not fit together;
 * PERR_TOO_LARGE.
 */
int crypto_verify(EVP_PKEY *key, enum crypto_sig_scheme scheme,
    enum crypto_hash hash, const void *msg, size_t msg_len,
    const uint8_t *sig, size_t sig_len);

/*
 * ECDSA signature conversions between R || S (JOSE, COSE raw) and DER.
 * raw_len must be exactly 2 * crypto_curve_coord_len(curve); the DER input
 * must be canonical DER with no trailing bytes and R, S that fit the
 * curve. *out is heap memory the caller frees.
 * Errors: PERR_INVALID, PERR_UNSUPPORTED (curve), PERR_NOMEM.
 */
int crypto_ecdsa_raw_to_der(enum crypto_curve curve, const uint8_t *raw,
    size_t raw_len, uint8_t **der, size_t *der_len);
int crypto_ecdsa_der_to_raw(enum crypto_curve curve, const uint8_t *der,
    size_t der_len, uint8_t **raw, size_t *raw_len);

#endif
