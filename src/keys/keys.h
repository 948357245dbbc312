/*
 * keys: everything sealed under ENCRYPTION_KEY, and the instance's token
 * signing keys (spec §2.6, §4.3; DESIGN §2, §5).
 *
 * Sealing, with Pocket ID's derivations so that its data opens here and
 * ours there:
 *   - signing keys: KEK = HMAC-SHA3-256(ENCRYPTION_KEY,
 *     "pocketid/<instance_id>/jwk-kek"); value = standard base64 of
 *     nonce(12) || AES-256-GCM(private JWK JSON), no AAD. The newest key
 *     is also kept in kv "jwt_private_key.json", where Pocket ID keeps its
 *     only key; all keys of the rotation overlap are rows of signing_keys.
 *   - other stored secrets (SMTP and LDAP passwords, SCIM tokens):
 *     key = HKDF-SHA256(ENCRYPTION_KEY, no salt, "pocketid/encrypted_string")
 *     and AAD "encrypted_string" (keys_seal_string).
 *   - a key check value in kv "encryption_key_check" (ours): a known
 *     plaintext sealed under the string key with its own AAD, so start-up
 *     tells a wrong ENCRYPTION_KEY from any other failure and says so.
 *
 * Signing keys have a lifetime: a key signs from signs_from until the next
 * key takes over (its retired_at), and is published in the JWKS and
 * verifies until verify_until, which covers the longest lifetime of a
 * token it may have signed. So rotation never invalidates a token
 * (unlike Pocket ID, which drops the old key at once).
 *
 * Processes: the master calls keys_bootstrap once at start (before
 * forking); each worker owns a struct keyring, refreshed before every
 * request without a round trip (LISTEN/NOTIFY), which signs and verifies.
 * The CLI calls keys_rotate and keys_encryption_rotate.
 *
 * Time is always an argument (seconds since the epoch). Nothing here logs
 * a secret; derived keys and plaintexts are wiped when released.
 */
#ifndef POCKETID_KEYS_H
#define POCKETID_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "jose/jose.h"

struct db;

/* kv names. */
#define KEYS_KV_INSTANCE_ID "instance_id"
#define KEYS_KV_PRIVATE_KEY "jwt_private_key.json"
#define KEYS_KV_CHECK "encryption_key_check"

/* ENCRYPTION_KEY: at least this many bytes (as Pocket ID); at most what
 * a setting may hold (CONF_MAX_VALUE). */
#define KEYS_ENCRYPTION_KEY_MIN 16
#define KEYS_ENCRYPTION_KEY_MAX 65536
/* kv instance_id: Pocket ID writes a UUID; we accept any short text. */
#define KEYS_INSTANCE_ID_MAX 255
/* Sealed values: plaintext and base64 text at most (a private RSA-8192
 * JWK is about 7 KiB). */
#define KEYS_PLAIN_MAX (32u * 1024u)
#define KEYS_SEALED_MAX (64u * 1024u)

/*
 * How long a retired key stays published and verifying: the longest
 * lifetime of a token it may have signed, plus a margin for relying
 * parties whose clocks run behind. ID tokens live 1 h (spec §2.4). Access
 * tokens live per client, 1 h by default and up to 365 days, so the
 * overlap is keys_retired_lifetime(): the longest of these, plus the
 * margin. KEYS_RETIRED_LIFETIME_S is the floor.
 */
#define KEYS_ID_TOKEN_LIFETIME_S 3600
#define KEYS_ACCESS_TOKEN_LIFETIME_DEFAULT_S 3600
#define KEYS_VERIFY_MARGIN_S 300
#define KEYS_TOKEN_LIFETIME_MAX_S \
	(KEYS_ID_TOKEN_LIFETIME_S > KEYS_ACCESS_TOKEN_LIFETIME_DEFAULT_S ? \
	KEYS_ID_TOKEN_LIFETIME_S : KEYS_ACCESS_TOKEN_LIFETIME_DEFAULT_S)
#define KEYS_RETIRED_LIFETIME_S \
	(KEYS_TOKEN_LIFETIME_MAX_S + KEYS_VERIFY_MARGIN_S)

/*
 * How long a key retired now must stay published: KEYS_RETIRED_LIFETIME_S,
 * or the longest client access-token lifetime plus the margin when that
 * is longer. Errors: database errors.
 */
int keys_retired_lifetime(struct db *db, int64_t *seconds);

/*
 * Cache-Control max-age of the JWKS, seconds. Short, because a relying
 * party that honours it and does not refetch on an unknown kid (OIDC Core
 * §10.1.1 says it should) misses a new key for up to this long after an
 * immediate rotation; "key-rotate --prepublish" at least this long avoids
 * even that. Five minutes keeps the JWKS out of the hot path of relying
 * parties all the same, and lets a withdrawn key disappear from caches
 * quickly.
 */
#define KEYS_JWKS_MAX_AGE_S 300

/*
 * What an operator reads when ENCRYPTION_KEY does not open the data: the
 * setting, the cause and both ways out.
 */
extern const char keys_wrong_key_help[];

/* ---- sealing (pure) ------------------------------------------------------ */

/* Keys derived from one ENCRYPTION_KEY (and, for the KEK, instance id). */
struct keys_master {
	uint8_t jwk_kek[CRYPTO_SHA3_256_LEN];
	uint8_t string_key[CRYPTO_GCM_KEY_LEN];
	bool has_jwk_kek;	/* derived with an instance id */
};

/*
 * Derives the keys from ek (ek_len bytes, KEYS_ENCRYPTION_KEY_MIN..MAX)
 * and instance_id (NULL: the string key only). Errors: PERR_INVALID (ek
 * or instance id length), PERR_CRYPTO. Wipe with keys_master_wipe.
 */
int keys_master_derive(const uint8_t *ek, size_t ek_len,
    const char *instance_id, struct keys_master *out);
void keys_master_wipe(struct keys_master *m);

/*
 * Seals a private JWK's JSON under the KEK (Pocket ID's format). *out is a
 * heap base64 string the caller frees. Errors: PERR_INVALID (no KEK),
 * PERR_TOO_LARGE, PERR_NOMEM, PERR_CRYPTO.
 */
int keys_seal_jwk(const struct keys_master *m, const char *json, size_t len,
    char **out);
/*
 * Opens what keys_seal_jwk (or Pocket ID) sealed. *json (NUL-terminated,
 * *len bytes) is a secret: release it with crypto_secret_free(*json,
 * *len). Errors: PERR_WRONG_KEY (does not open: another ENCRYPTION_KEY or
 * instance id, or tampered), PERR_INVALID (not base64 or too short),
 * PERR_TOO_LARGE, PERR_NOMEM, PERR_CRYPTO.
 */
int keys_open_jwk(const struct keys_master *m, const char *sealed,
    char **json, size_t *len);

/*
 * Stored secrets (Pocket ID's EncryptedString): "" seals to "" and opens
 * to "", as in Pocket ID; anything else as for the JWK functions, with the
 * string key and AAD "encrypted_string".
 */
int keys_seal_string(const struct keys_master *m, const char *plain,
    size_t len, char **out);
int keys_open_string(const struct keys_master *m, const char *sealed,
    char **plain, size_t *len);

/* The key check value: a fresh sealing of the known plaintext. */
int keys_check_value_make(const struct keys_master *m, char **out);
/*
 * PERR_OK when value opens to the known plaintext; PERR_WRONG_KEY when it
 * does not open; PERR_INVALID when it opens to something else or is not
 * base64.
 */
int keys_check_value_verify(const struct keys_master *m, const char *value);

/*
 * A stored private JWK, checked and normalised: kid present (a Pocket ID
 * key without one gets its RFC 7638 SHA-256 thumbprint), alg present (the
 * default of its key type when absent, as Pocket ID does), use "sig".
 * *out is the caller's (jwk_free). Errors of jwk_parse; PERR_INVALID for
 * a public key.
 */
int keys_jwk_from_json(const char *json, size_t len, struct jwk **out);

/* ---- the database side (master and CLI) --------------------------------- */

/* What keys_bootstrap found or did. */
struct keys_bootstrap_report {
	char kid[JOSE_KID_MAX_LEN + 1];	/* the newest key */
	char alg[16];
	bool generated;		/* first start: a key was made */
	bool adopted;		/* kv jwt_private_key.json (Pocket ID) taken */
	bool check_written;	/* the key check value was missing */
	size_t n_keys;		/* published keys */
};

/*
 * Start-up, in the master before the workers exist: in one transaction
 * under the keys lock, makes sure of the instance id, checks ENCRYPTION_KEY
 * against the key check value (or, when there is none yet, by opening the
 * stored key, as for a database that comes from Pocket ID), adopts a key
 * found only in kv jwt_private_key.json (an import, or Pocket ID's own
 * key-rotate), generates the first RS256 / RSA-2048 key when there is
 * none, writes the key check value, and drops keys past verify_until.
 * Replicas starting together end up with one key.
 * Errors: PERR_WRONG_KEY (print keys_wrong_key_help), PERR_INVALID with
 * *why (a stored key that opens but does not parse, or a key that does
 * not open although the check value does), database errors.
 */
int keys_bootstrap(struct db *db, const uint8_t *ek, size_t ek_len,
    struct keys_bootstrap_report *out, const char **why);

/* What keys_rotate did. */
struct keys_rotation {
	char kid[JOSE_KID_MAX_LEN + 1];		/* the new key */
	char old_kid[JOSE_KID_MAX_LEN + 1];	/* "" when there was none */
	int64_t old_verify_until;	/* the old key is published until */
};

/*
 * key-rotate: generates a key for alg (RS256/384/512 with 2048/3072/4096
 * bits as Pocket ID, ES256/384/512, EdDSA), publishes it, and makes it
 * sign in prepublish_s seconds (0: at once). The newest key before it
 * stops signing then and stays published for lifetime_s seconds more
 * (KEYS_RETIRED_LIFETIME_S).
 * One transaction under the keys lock, which also notifies every worker
 * (LISTEN/NOTIFY) and updates kv jwt_private_key.json.
 * Errors: PERR_WRONG_KEY, PERR_UNSUPPORTED (alg), PERR_INVALID,
 * database errors; nothing changes on error.
 */
int keys_rotate(struct db *db, const uint8_t *ek, size_t ek_len,
    enum jose_alg alg, int64_t prepublish_s, int64_t lifetime_s,
    struct keys_rotation *out, const char **why);

/*
 * encryption-key-rotate: re-seals every signing key, kv
 * jwt_private_key.json and the key check value from old_ek to new_ek, in
 * one transaction under the keys lock: afterwards only new_ek opens them;
 * on any error (or an interrupted run) everything stays under old_ek.
 * *n_keys receives the number of signing keys re-sealed.
 * sealed_settings names the application settings stored sealed with
 * keys_seal_string (the caller knows them: app_setting_defs' sensitive
 * rows), NULL-terminated; they are re-sealed in the same transaction. SCIM
 * tokens will join them when their table exists.
 * Errors: PERR_WRONG_KEY (old_ek does not open the data), PERR_INVALID
 * (new_ek too short, the same as old_ek), database errors.
 */
int keys_encryption_rotate(struct db *db, const uint8_t *old_ek,
    size_t old_len, const uint8_t *new_ek, size_t new_len,
    const char *const *sealed_settings, size_t *n_keys, const char **why);

/* ---- the keyring (workers) ----------------------------------------------- */

/*
 * The decoded keys one worker (or a test tool) caches, with the JWKS
 * document built from them. Not shared: one per process.
 */
struct keyring;

/*
 * A keyring for ek (copied; wiped on free). Loads nothing yet.
 * Errors: PERR_INVALID (ek length), PERR_NOMEM.
 */
int keys_ring_new(const uint8_t *ek, size_t ek_len, struct keyring **out);
void keys_ring_free(struct keyring *kr);

/*
 * Brings the keyring up to date; call it before each request. Normally
 * one non-blocking read of the connection (are there notifications?) and
 * no round trip. It reloads (LISTEN, then read and open the keys) on the
 * first call, after a notification, and after the connection was lost or
 * re-established (a notification may have been missed); after a failed
 * reload it retries at most every KEYS_RING_RETRY_S seconds and keeps
 * serving what it had. Keys whose time comes or goes are taken in or out
 * of signing and the JWKS by the clock, without the database.
 * Returns PERR_OK when the keyring is current, else the reload's error
 * (already logged); the keys loaded before stay usable either way.
 */
#define KEYS_RING_RETRY_S 2
int keys_ring_refresh(struct keyring *kr, struct db *db, int64_t now);

/* True when the keyring holds a key that can sign at now. */
bool keys_ring_is_ready(struct keyring *kr, int64_t now);

/*
 * The JWKS document for now: every key still published (the signing key
 * first), public members only, each with kty, kid, use "sig" and alg.
 * *json points into the keyring (valid until the next call on it).
 * PERR_NOT_FOUND when no key is loaded.
 */
int keys_ring_jwks(struct keyring *kr, int64_t now, const char **json,
    size_t *len);

/*
 * The key that signs at now (owned by the keyring, valid until the next
 * refresh), or NULL when none is loaded. For at_hash and the like.
 */
const struct jwk *keys_ring_signer(struct keyring *kr, int64_t now);

/*
 * Signs a JWT: payload (the claims JSON) with the key that signs at now,
 * header alg, kid and typ (typ NULL: none). *out (caller frees) is the
 * compact JWS. Errors: PERR_NOT_FOUND (no key loaded), those of jws_sign.
 */
int keys_sign_jwt(struct keyring *kr, int64_t now, const char *typ,
    const char *payload, size_t len, char **out, size_t *out_len);

/*
 * Verifies a JWT we issued: its kid must name a key published at
 * expect->now (the signing key, a pre-published one, or a retired key
 * before its verify_until), then jwt_verify with expect. *claims (may be
 * NULL) as for jwt_verify. Errors: PERR_VERIFY (no such key, no kid, bad
 * signature, claims), PERR_EXPIRED, those of jwt_verify.
 */
int keys_verify_jwt(struct keyring *kr, const char *compact, size_t len,
    const struct jwt_expect *expect, struct jwt_claims **claims,
    const char **why);

/* The keys derived from the keyring's ENCRYPTION_KEY (string key always,
 * KEK once loaded), for modules that open stored secrets. */
const struct keys_master *keys_ring_master(const struct keyring *kr);

#endif
