/*
 * bootstrap: what the master does once at start, before forking (and what
 * every command that changes keys does first): instance id, the
 * ENCRYPTION_KEY check, the first signing key, adoption of a key that
 * Pocket ID left in kv. Runs in one transaction under the keys lock, so
 * replicas starting together against an empty database make one key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "jose/jose.h"
#include "store/store.h"
#include "keys/internal.h"

/* The first key: RS256 on RSA-2048, as Pocket ID (spec §2.6). */
#define KEYS_FIRST_ALG JOSE_ALG_RS256
#define KEYS_FIRST_RSA_BITS 2048

/*
 * Without a check value: does ENCRYPTION_KEY open what is stored? The key
 * in kv first (that is what a Pocket ID database has), else the newest
 * row. Nothing stored: nothing to tell, any key is right.
 */
static int
open_any_stored(struct db *db, const struct keys_master *m)
{
	struct store_signing_keys rows = { NULL, 0 };
	char *sealed = NULL, *json = NULL;
	size_t len = 0;
	int err;

	err = store_kv_get(db, KEYS_KV_PRIVATE_KEY, &sealed);
	if (err == PERR_NOT_FOUND) {
		if ((err = store_signing_keys_list(db, false, &rows)) !=
		    PERR_OK)
			return err;
		if (rows.n == 0) {
			store_signing_keys_clear(&rows);
			return PERR_OK;
		}
		sealed = str_dup(rows.v[rows.n - 1].sealed_jwk);
		store_signing_keys_clear(&rows);
		err = sealed != NULL ? PERR_OK : PERR_NOMEM;
	}
	if (err != PERR_OK)
		return err;
	err = keys_open_jwk(m, sealed, &json, &len);
	crypto_secret_free(json, len);
	free(sealed);
	/* Not base64 or too short cannot be told from a wrong key here. */
	return err == PERR_INVALID ? PERR_WRONG_KEY : err;
}

int
keys_prepare_tx(struct db *db, const uint8_t *ek, size_t ek_len,
    struct keys_master *m, char instance_id[KEYS_INSTANCE_ID_MAX + 1],
    bool *check_written, const char **why)
{
	char candidate[CRYPTO_UUID_TEXT_LEN + 1];
	char *id = NULL, *check = NULL;
	int err;

	*check_written = false;
	instance_id[0] = '\0';
	if ((err = crypto_uuid_v4(candidate)) != PERR_OK ||
	    (err = store_instance_id_ensure(db, candidate, &id)) != PERR_OK)
		return err;
	if (strlen(id) > KEYS_INSTANCE_ID_MAX) {
		*why = "kv instance_id is longer than 255 bytes";
		err = PERR_INVALID;
		goto out;
	}
	memcpy(instance_id, id, strlen(id) + 1);
	if ((err = keys_master_derive(ek, ek_len, id, m)) != PERR_OK)
		goto out;
	err = store_kv_get(db, KEYS_KV_CHECK, &check);
	if (err == PERR_OK) {
		err = keys_check_value_verify(m, check);
		if (err == PERR_INVALID)
			*why = "kv encryption_key_check is damaged (delete the "
			    "row to have it written again)";
		goto out;
	}
	if (err != PERR_NOT_FOUND || (err = open_any_stored(db, m)) != PERR_OK)
		goto out;
	if ((err = keys_check_value_make(m, &check)) == PERR_OK &&
	    (err = store_kv_set(db, KEYS_KV_CHECK, check)) == PERR_OK)
		*check_written = true;
out:
	if (err != PERR_OK)
		keys_master_wipe(m);
	free(id);
	free(check);
	return err;
}

/* Opens every row; a row that does not open is damage, not a wrong key:
 * the check value passed. */
static int
open_rows(const struct keys_master *m, const struct store_signing_keys *rows,
    const char **why)
{
	struct jwk *key = NULL;
	size_t i;
	int err;

	for (i = 0; i < rows->n; i++) {
		err = keys_open_key(m, rows->v[i].sealed_jwk, &key);
		if (err == PERR_NOMEM)
			return err;
		if (err == PERR_WRONG_KEY) {
			*why = "a signing key does not open although "
			    "ENCRYPTION_KEY passes the key check: kv "
			    "instance_id changed, or the row was damaged";
			return PERR_INVALID;
		}
		if (err != PERR_OK || strcmp(key->kid, rows->v[i].kid) != 0) {
			jwk_free(key);
			*why = "a stored signing key is damaged (it does not "
			    "parse, or its kid differs from its row's)";
			return PERR_INVALID;
		}
		jwk_free(key);
	}
	return PERR_OK;
}

/* The newest key (not retired), or NULL. */
static const struct store_signing_key *
find_newest(const struct store_signing_keys *rows)
{
	size_t i;

	for (i = 0; i < rows->n; i++)
		if (!rows->v[i].is_retired)
			return &rows->v[i];
	return NULL;
}

static bool
has_kid(const struct store_signing_keys *rows, const char *kid)
{
	size_t i;

	for (i = 0; i < rows->n; i++)
		if (strcmp(rows->v[i].kid, kid) == 0)
			return true;
	return false;
}

/* Installs key as the newest, retiring the one before it now. */
static int
install_newest(struct db *db, const struct keys_master *m,
    const struct jwk *key, bool set_kv)
{
	const struct jose_alg_info *alg = jose_alg_get(key->alg);
	int64_t until = 0, lifetime = 0;
	char *sealed = NULL;
	int err;

	if (alg == NULL)
		return PERR_INTERNAL;
	if ((err = keys_seal_key(m, key, &sealed)) != PERR_OK)
		return err;
	if ((err = keys_retired_lifetime(db, &lifetime)) == PERR_OK)
		err = store_signing_key_retire_newest(db, 0, lifetime, NULL,
		    &until);
	if (err == PERR_NOT_FOUND)
		err = PERR_OK;
	if (err == PERR_OK)
		err = store_signing_key_add(db, key->kid, alg->name, sealed, 0);
	if (err == PERR_OK && set_kv)
		err = store_kv_set(db, KEYS_KV_PRIVATE_KEY, sealed);
	if (err == PERR_OK)
		err = db_notify(db, DB_CHANNEL_SIGNING_KEYS);
	free(sealed);
	return err;
}

/*
 * kv jwt_private_key.json against the rows: a key there that we do not
 * hold was put there by Pocket ID (an import, or its key-rotate) and
 * becomes the newest; a missing or stale copy is rewritten.
 */
static int
reconcile_kv(struct db *db, const struct keys_master *m,
    const struct store_signing_keys *rows, struct keys_bootstrap_report *r,
    const char **why)
{
	const struct store_signing_key *newest = find_newest(rows);
	struct jwk *key = NULL;
	char *sealed = NULL;
	int err;

	err = store_kv_get(db, KEYS_KV_PRIVATE_KEY, &sealed);
	if (err == PERR_NOT_FOUND) {
		err = newest != NULL ? store_kv_set(db, KEYS_KV_PRIVATE_KEY,
		    newest->sealed_jwk) : PERR_OK;
		goto out;
	}
	if (err != PERR_OK)
		goto out;
	if ((err = keys_open_key(m, sealed, &key)) != PERR_OK) {
		if (err != PERR_NOMEM) {
			*why = "kv jwt_private_key.json does not open or parse "
			    "although ENCRYPTION_KEY passes the key check";
			err = PERR_INVALID;
		}
		goto out;
	}
	if (!has_kid(rows, key->kid)) {
		if ((err = install_newest(db, m, key, false)) == PERR_OK)
			r->adopted = true;
	} else if (newest != NULL && strcmp(newest->kid, key->kid) != 0) {
		err = store_kv_set(db, KEYS_KV_PRIVATE_KEY, newest->sealed_jwk);
	}
out:
	jwk_free(key);
	free(sealed);
	return err;
}

static int
generate_first(struct db *db, const struct keys_master *m,
    struct keys_bootstrap_report *r)
{
	struct jwk *key = NULL;
	int err;

	if ((err = jwk_generate(KEYS_FIRST_ALG, KEYS_FIRST_RSA_BITS, NULL,
	    &key)) != PERR_OK)
		return err;
	if ((err = install_newest(db, m, key, true)) == PERR_OK)
		r->generated = true;
	jwk_free(key);
	return err;
}

/* Fills the report with the newest key after the changes. */
static int
report_newest(struct db *db, struct keys_bootstrap_report *r)
{
	struct store_signing_keys rows = { NULL, 0 };
	const struct store_signing_key *newest;
	int err;

	if ((err = store_signing_keys_list(db, true, &rows)) != PERR_OK)
		return err;
	r->n_keys = rows.n;
	if ((newest = find_newest(&rows)) == NULL)
		err = PERR_INTERNAL;
	else {
		snprintf(r->kid, sizeof(r->kid), "%s", newest->kid);
		snprintf(r->alg, sizeof(r->alg), "%s", newest->alg);
	}
	store_signing_keys_clear(&rows);
	return err;
}

int
keys_bootstrap(struct db *db, const uint8_t *ek, size_t ek_len,
    struct keys_bootstrap_report *out, const char **why)
{
	char instance_id[KEYS_INSTANCE_ID_MAX + 1];
	struct store_signing_keys rows = { NULL, 0 };
	struct keys_master m;
	const char *ignored = NULL;
	int err;

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	if (why == NULL)
		why = &ignored;
	*why = NULL;
	if ((err = db_begin(db)) != PERR_OK)
		return err;
	if ((err = store_keys_lock(db)) != PERR_OK ||
	    (err = keys_prepare_tx(db, ek, ek_len, &m, instance_id,
	    &out->check_written, why)) != PERR_OK ||
	    (err = store_signing_keys_purge(db, NULL)) != PERR_OK ||
	    (err = store_signing_keys_list(db, false, &rows)) != PERR_OK ||
	    (err = open_rows(&m, &rows, why)) != PERR_OK ||
	    (err = reconcile_kv(db, &m, &rows, out, why)) != PERR_OK)
		goto out;
	/* No key at all, or (by hand) none left that is not retired. */
	if (!out->adopted && find_newest(&rows) == NULL &&
	    (err = generate_first(db, &m, out)) != PERR_OK)
		goto out;
	if ((err = report_newest(db, out)) != PERR_OK)
		goto out;
	err = db_commit(db);
out:
	if (err != PERR_OK)
		(void)db_rollback(db);
	store_signing_keys_clear(&rows);
	keys_master_wipe(&m);
	return err;
}
