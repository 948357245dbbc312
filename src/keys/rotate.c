/*
 * rotate: the two rotations the CLI offers. key-rotate adds a new signing
 * key and retires the previous one with an overlap (the previous public
 * key stays published until the tokens it signed have expired);
 * encryption-key-rotate re-seals every sealed value under a new
 * ENCRYPTION_KEY. Each is one transaction under the keys lock: an error
 * or an interrupted run changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "jose/jose.h"
#include "store/store.h"
#include "keys/internal.h"

/* Pocket ID's choices for key-rotate (spec §6): the RSA size grows with
 * the hash; PS* are not offered. 0 = not offered. */
static unsigned
rotate_rsa_bits(enum jose_alg alg, bool *offered)
{
	*offered = true;
	switch (alg) {
	case JOSE_ALG_RS256:
		return 2048;
	case JOSE_ALG_RS384:
		return 3072;
	case JOSE_ALG_RS512:
		return 4096;
	case JOSE_ALG_ES256:
	case JOSE_ALG_ES384:
	case JOSE_ALG_ES512:
	case JOSE_ALG_EDDSA:
		return 0;
	default:
		*offered = false;
		return 0;
	}
}

/* Inside the transaction: retire, add, copy to kv, tell the workers. */
static int
rotate_tx(struct db *db, const struct keys_master *m, const struct jwk *key,
    int64_t prepublish_s, int64_t lifetime_s, struct keys_rotation *out)
{
	const struct jose_alg_info *alg = jose_alg_get(key->alg);
	char *sealed = NULL, *old_kid = NULL;
	int err;

	if ((err = keys_seal_key(m, key, &sealed)) != PERR_OK)
		return err;
	err = store_signing_key_retire_newest(db, prepublish_s, lifetime_s,
	    &old_kid, &out->old_verify_until);
	if (err == PERR_NOT_FOUND)
		err = PERR_OK;
	else if (err == PERR_OK)
		snprintf(out->old_kid, sizeof(out->old_kid), "%s", old_kid);
	if (err == PERR_OK)
		err = store_signing_key_add(db, key->kid, alg->name, sealed,
		    prepublish_s);
	if (err == PERR_OK)
		err = store_kv_set(db, KEYS_KV_PRIVATE_KEY, sealed);
	if (err == PERR_OK)
		err = store_signing_keys_purge(db, NULL);
	if (err == PERR_OK)
		err = db_notify(db, DB_CHANNEL_SIGNING_KEYS);
	free(old_kid);
	free(sealed);
	return err;
}

int
keys_rotate(struct db *db, const uint8_t *ek, size_t ek_len,
    enum jose_alg alg, int64_t prepublish_s, int64_t lifetime_s,
    struct keys_rotation *out, const char **why)
{
	char instance_id[KEYS_INSTANCE_ID_MAX + 1];
	struct keys_master m;
	struct jwk *key = NULL;
	const char *ignored = NULL;
	bool offered, written;
	unsigned bits;
	int err;

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	if (why == NULL)
		why = &ignored;
	*why = NULL;
	bits = rotate_rsa_bits(alg, &offered);
	if (!offered) {
		*why = "supported algorithms: RS256, RS384, RS512, ES256, "
		    "ES384, ES512, EdDSA";
		return PERR_UNSUPPORTED;
	}
	if (prepublish_s < 0 || lifetime_s < 0) {
		*why = "durations cannot be negative";
		return PERR_INVALID;
	}
	/* RSA-4096 takes a while: not while holding the lock. */
	if ((err = jwk_generate(alg, bits, NULL, &key)) != PERR_OK)
		return err;
	if ((err = db_begin(db)) != PERR_OK)
		goto out;
	if ((err = store_keys_lock(db)) == PERR_OK &&
	    (err = keys_prepare_tx(db, ek, ek_len, &m, instance_id, &written,
	    why)) == PERR_OK &&
	    (err = rotate_tx(db, &m, key, prepublish_s, lifetime_s, out)) ==
	    PERR_OK)
		err = db_commit(db);
	if (err != PERR_OK)
		(void)db_rollback(db);
	else
		snprintf(out->kid, sizeof(out->kid), "%s", key->kid);
out:
	jwk_free(key);
	keys_master_wipe(&m);
	return err;
}

/* Opens sealed with from and seals the same bytes with to. */
static int
reseal_jwk(const struct keys_master *from, const struct keys_master *to,
    const char *sealed, char **out)
{
	char *json = NULL;
	size_t len = 0;
	int err;

	*out = NULL;
	if ((err = keys_open_jwk(from, sealed, &json, &len)) != PERR_OK)
		return err;
	err = keys_seal_jwk(to, json, len, out);
	crypto_secret_free(json, len);
	return err;
}

static int
reseal_rows(struct db *db, const struct keys_master *from,
    const struct keys_master *to, size_t *n_keys, const char **why)
{
	struct store_signing_keys rows = { NULL, 0 };
	char *sealed = NULL;
	size_t i;
	int err;

	if ((err = store_signing_keys_list(db, false, &rows)) != PERR_OK)
		return err;
	for (i = 0; i < rows.n && err == PERR_OK; i++) {
		err = reseal_jwk(from, to, rows.v[i].sealed_jwk, &sealed);
		if (err == PERR_OK)
			err = store_signing_key_reseal(db, rows.v[i].kid,
			    sealed);
		free(sealed);
		sealed = NULL;
	}
	if (err == PERR_WRONG_KEY || err == PERR_INVALID) {
		*why = "a signing key does not open with the current "
		    "ENCRYPTION_KEY although it passes the key check; "
		    "nothing was changed";
		err = PERR_INVALID;
	}
	if (err == PERR_OK)
		*n_keys = rows.n;
	store_signing_keys_clear(&rows);
	return err;
}

static int
reseal_kv_key(struct db *db, const struct keys_master *from,
    const struct keys_master *to, const char **why)
{
	char *sealed = NULL, *resealed = NULL;
	int err;

	err = store_kv_get(db, KEYS_KV_PRIVATE_KEY, &sealed);
	if (err == PERR_NOT_FOUND)
		return PERR_OK;
	if (err != PERR_OK)
		return err;
	err = reseal_jwk(from, to, sealed, &resealed);
	if (err == PERR_OK)
		err = store_kv_set(db, KEYS_KV_PRIVATE_KEY, resealed);
	else if (err == PERR_WRONG_KEY || err == PERR_INVALID) {
		*why = "kv jwt_private_key.json does not open with the "
		    "current ENCRYPTION_KEY; nothing was changed";
		err = PERR_INVALID;
	}
	free(sealed);
	free(resealed);
	return err;
}

/* Re-seals the stored application settings that hold sealed strings. */
static int
reseal_settings(struct db *db, const struct keys_master *from,
    const struct keys_master *to, const char *const *keys, const char **why)
{
	char *stored = NULL, *plain = NULL, *sealed = NULL;
	size_t len = 0;
	int err = PERR_OK;

	for (; keys != NULL && *keys != NULL && err == PERR_OK; keys++) {
		err = store_app_config_get(db, *keys, &stored);
		if (err == PERR_NOT_FOUND || (err == PERR_OK &&
		    stored[0] == '\0')) {
			err = PERR_OK;
		} else if (err == PERR_OK &&
		    (err = keys_open_string(from, stored, &plain, &len)) ==
		    PERR_OK &&
		    (err = keys_seal_string(to, plain, len, &sealed)) ==
		    PERR_OK) {
			err = store_app_config_set(db, *keys, sealed);
		}
		if (err == PERR_WRONG_KEY)
			*why = "a stored password does not open with the "
			    "current ENCRYPTION_KEY";
		free(stored);
		str_free_secret(plain);
		free(sealed);
		stored = plain = sealed = NULL;
	}
	return err;
}

int
keys_encryption_rotate(struct db *db, const uint8_t *old_ek, size_t old_len,
    const uint8_t *new_ek, size_t new_len, const char *const *sealed_settings,
    size_t *n_keys, const char **why)
{
	char instance_id[KEYS_INSTANCE_ID_MAX + 1];
	struct keys_master from, to;
	const char *ignored = NULL;
	char *check = NULL;
	bool written;
	int err;

	*n_keys = 0;
	memset(&from, 0, sizeof(from));
	memset(&to, 0, sizeof(to));
	if (why == NULL)
		why = &ignored;
	*why = NULL;
	if (new_ek == NULL || new_len < KEYS_ENCRYPTION_KEY_MIN ||
	    new_len > KEYS_ENCRYPTION_KEY_MAX) {
		*why = "the new key must be 16 to 65536 bytes long";
		return PERR_INVALID;
	}
	if (new_len == old_len && crypto_memeq(new_ek, old_ek, new_len)) {
		*why = "the new key is the same as ENCRYPTION_KEY";
		return PERR_INVALID;
	}
	if ((err = db_begin(db)) != PERR_OK)
		return err;
	if ((err = store_keys_lock(db)) != PERR_OK ||
	    (err = keys_prepare_tx(db, old_ek, old_len, &from, instance_id,
	    &written, why)) != PERR_OK ||
	    (err = keys_master_derive(new_ek, new_len, instance_id, &to)) !=
	    PERR_OK ||
	    (err = reseal_rows(db, &from, &to, n_keys, why)) != PERR_OK ||
	    (err = reseal_kv_key(db, &from, &to, why)) != PERR_OK ||
	    (err = reseal_settings(db, &from, &to, sealed_settings, why)) !=
	    PERR_OK)
		goto out;
	if ((err = keys_check_value_make(&to, &check)) != PERR_OK ||
	    (err = store_kv_set(db, KEYS_KV_CHECK, check)) != PERR_OK)
		goto out;
	err = db_commit(db);
out:
	if (err != PERR_OK) {
		(void)db_rollback(db);
		*n_keys = 0;
	}
	free(check);
	keys_master_wipe(&from);
	keys_master_wipe(&to);
	return err;
}

int
keys_retired_lifetime(struct db *db, int64_t *seconds)
{
	int64_t minutes = 0;
	int err;

	*seconds = KEYS_RETIRED_LIFETIME_S;
	if ((err = store_client_longest_access_minutes(db, &minutes)) !=
	    PERR_OK)
		return err;
	if (minutes * 60 + KEYS_VERIFY_MARGIN_S > *seconds)
		*seconds = minutes * 60 + KEYS_VERIFY_MARGIN_S;
	return PERR_OK;
}
