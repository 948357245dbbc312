/*
 * keys internals: shared by the files of src/keys and by its unit tests,
 * never included from another module.
 */
#ifndef POCKETID_KEYS_INTERNAL_H
#define POCKETID_KEYS_INTERNAL_H

#include "keys/keys.h"

/* Pocket ID's constants (spec §4.3); changing one loses the data. */
#define KEYS_KEK_SEED_PREFIX "pocketid/"
#define KEYS_KEK_SEED_SUFFIX "/jwk-kek"
#define KEYS_STRING_INFO "pocketid/encrypted_string"
#define KEYS_STRING_AAD "encrypted_string"
/* Ours: the key check value's plaintext and AAD. */
#define KEYS_CHECK_PLAIN "pocket-id ENCRYPTION_KEY check value, version 1"
#define KEYS_CHECK_AAD "pocketid/encryption-key-check"

/*
 * Seals plain under key with aad (NULL: none) as base64(nonce ||
 * ciphertext || tag); nonce NULL draws a random one (a fixed nonce is for
 * known-answer tests only). *out is the caller's (free).
 */
int keys_seal_raw(const uint8_t key[CRYPTO_GCM_KEY_LEN],
    const uint8_t *nonce, const char *aad, const void *plain, size_t len,
    char **out);
/* The reverse; *plain is a secret (crypto_secret_free(*plain, *len)). */
int keys_open_raw(const uint8_t key[CRYPTO_GCM_KEY_LEN], const char *aad,
    const char *sealed, char **plain, size_t *len);

/* One key of a keyring. */
struct ring_key {
	struct jwk *jwk;	/* private; owned */
	int64_t signs_from;
	bool is_retired;
	int64_t verify_until;	/* when is_retired */
};

/*
 * Replaces the keys of kr with keys[0..n) (n >= 1), taking them over (the
 * array too) on success and on failure alike; the JWKS is rebuilt at the
 * next use. For the loader, and for unit tests without a database.
 */
int keys_ring_set(struct keyring *kr, struct ring_key *keys, size_t n);

/* Frees a key's JWK and zeroes it. */
void ring_key_clear(struct ring_key *k);

/*
 * Inside a transaction holding the keys lock: makes sure of the instance
 * id (created when absent; copied to instance_id), derives m from ek, and
 * checks ek against the key check value. Without a check value, opening a
 * stored signing key decides (kv jwt_private_key.json first, as for a
 * database from Pocket ID), then the check value is written
 * (*check_written). Errors: PERR_WRONG_KEY, PERR_INVALID (a damaged
 * check value, with *why), database errors.
 */
int keys_prepare_tx(struct db *db, const uint8_t *ek, size_t ek_len,
    struct keys_master *m, char instance_id[KEYS_INSTANCE_ID_MAX + 1],
    bool *check_written, const char **why);

/* Seals key (a private JWK) as stored: its JSON under the KEK. */
int keys_seal_key(const struct keys_master *m, const struct jwk *key,
    char **out);
/* Opens and parses a stored key (keys_jwk_from_json). */
int keys_open_key(const struct keys_master *m, const char *sealed,
    struct jwk **out);

#endif
