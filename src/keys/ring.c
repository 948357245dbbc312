/*
 * ring: the keyring a worker owns. It caches the decoded signing keys and
 * the JWKS document (DESIGN §1: workers may cache only what is versioned,
 * here by LISTEN/NOTIFY), signs with the key whose time it is and
 * verifies against every key still published.
 *
 * Staying current without a round trip per request: the worker's
 * connection LISTENs on the signing-keys channel, rotations NOTIFY in
 * their transaction, and keys_ring_refresh does one non-blocking read
 * before each request. A reconnect drops the LISTEN and may have lost a
 * notification, so a changed connection serial means "reload". Keys that
 * start signing or stop being published at a known time are handled by
 * the clock alone.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "jose/jose.h"
#include "store/store.h"
#include "keys/internal.h"

struct keyring {
	uint8_t *ek;		/* ENCRYPTION_KEY, wiped on free */
	size_t ek_len;
	struct keys_master master;	/* string key; KEK once loaded */
	char instance_id[KEYS_INSTANCE_ID_MAX + 1];
	struct ring_key *keys;	/* oldest signs_from first */
	size_t n;

	/* What the keys mean at settled_at, valid until next_change. */
	bool dirty;
	int64_t settled_at;
	int64_t next_change;
	size_t signer;
	char *jwks;
	size_t jwks_len;

	/* Following the database. */
	bool listening;
	uint64_t serial;	/* db_connection_serial at the LISTEN */
	bool need_reload;
	int64_t retry_at;	/* after a failed reload */
};

void
ring_key_clear(struct ring_key *k)
{
	jwk_free(k->jwk);
	memset(k, 0, sizeof(*k));
}

static void
ring_keys_free(struct ring_key *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ring_key_clear(&keys[i]);
	free(keys);
}

int
keys_ring_new(const uint8_t *ek, size_t ek_len, struct keyring **out)
{
	struct keyring *kr;
	int err;

	*out = NULL;
	if (ek == NULL || ek_len < KEYS_ENCRYPTION_KEY_MIN ||
	    ek_len > KEYS_ENCRYPTION_KEY_MAX)
		return PERR_INVALID;
	if ((kr = calloc(1, sizeof(*kr))) == NULL)
		return PERR_NOMEM;
	if ((kr->ek = malloc(ek_len)) == NULL) {
		free(kr);
		return PERR_NOMEM;
	}
	memcpy(kr->ek, ek, ek_len);
	kr->ek_len = ek_len;
	if ((err = keys_master_derive(ek, ek_len, NULL, &kr->master)) !=
	    PERR_OK) {
		keys_ring_free(kr);
		return err;
	}
	kr->dirty = true;
	*out = kr;
	return PERR_OK;
}

void
keys_ring_free(struct keyring *kr)
{
	if (kr == NULL)
		return;
	ring_keys_free(kr->keys, kr->n);
	crypto_secret_free(kr->ek, kr->ek_len);
	keys_master_wipe(&kr->master);
	free(kr->jwks);
	free(kr);
}

const struct keys_master *
keys_ring_master(const struct keyring *kr)
{
	return &kr->master;
}

int
keys_ring_set(struct keyring *kr, struct ring_key *keys, size_t n)
{
	ring_keys_free(kr->keys, kr->n);
	kr->keys = keys;
	kr->n = n;
	kr->dirty = true;
	return PERR_OK;
}

/* ---- what the keys mean at a time --------------------------------------- */

static bool
is_published(const struct ring_key *k, int64_t now)
{
	return !k->is_retired || now < k->verify_until;
}

/*
 * The key that signs at now: the latest signs_from not after now. A key
 * whose time has not come yet (pre-published) does not sign; should the
 * clock run behind the database so that none qualifies, the oldest does.
 */
static size_t
pick_signer(const struct keyring *kr, int64_t now)
{
	size_t i, best = 0;
	bool found = false;

	for (i = 0; i < kr->n; i++) {
		if (kr->keys[i].signs_from > now)
			continue;
		if (!found || kr->keys[i].signs_from >=
		    kr->keys[best].signs_from) {
			best = i;
			found = true;
		}
	}
	if (found)
		return best;
	for (i = 1; i < kr->n; i++)
		if (kr->keys[i].signs_from < kr->keys[best].signs_from)
			best = i;
	return best;
}

/* The next time the meaning changes: a key starts signing or drops out. */
static int64_t
next_change(const struct keyring *kr, int64_t now)
{
	int64_t next = INT64_MAX;
	size_t i;

	for (i = 0; i < kr->n; i++) {
		const struct ring_key *k = &kr->keys[i];

		if (k->signs_from > now && k->signs_from < next)
			next = k->signs_from;
		if (k->is_retired && k->verify_until > now &&
		    k->verify_until < next)
			next = k->verify_until;
	}
	return next;
}

/* The JWKS for now: the signing key first, then newest first. */
static int
build_jwks(struct keyring *kr, int64_t now, size_t signer)
{
	const struct jwk *list[STORE_SIGNING_KEYS_MAX];
	char *json = NULL;
	size_t i, n = 0, len = 0;
	int err;

	list[n++] = kr->keys[signer].jwk;
	for (i = kr->n; i-- > 0 && n < STORE_SIGNING_KEYS_MAX;)
		if (i != signer && is_published(&kr->keys[i], now))
			list[n++] = kr->keys[i].jwk;
	if ((err = jwks_to_json(list, n, &json, &len)) != PERR_OK)
		return err;
	free(kr->jwks);
	kr->jwks = json;
	kr->jwks_len = len;
	return PERR_OK;
}

static int
settle(struct keyring *kr, int64_t now)
{
	size_t signer;
	int err;

	if (kr->n == 0)
		return PERR_NOT_FOUND;
	if (!kr->dirty && now >= kr->settled_at && now < kr->next_change)
		return PERR_OK;
	signer = pick_signer(kr, now);
	if ((err = build_jwks(kr, now, signer)) != PERR_OK)
		return err;
	kr->signer = signer;
	kr->settled_at = now;
	kr->next_change = next_change(kr, now);
	kr->dirty = false;
	return PERR_OK;
}

bool
keys_ring_is_ready(struct keyring *kr, int64_t now)
{
	return settle(kr, now) == PERR_OK;
}

int
keys_ring_jwks(struct keyring *kr, int64_t now, const char **json,
    size_t *len)
{
	int err;

	*json = NULL;
	*len = 0;
	if ((err = settle(kr, now)) != PERR_OK)
		return err;
	*json = kr->jwks;
	*len = kr->jwks_len;
	return PERR_OK;
}

const struct jwk *
keys_ring_signer(struct keyring *kr, int64_t now)
{
	return settle(kr, now) == PERR_OK ? kr->keys[kr->signer].jwk : NULL;
}

int
keys_sign_jwt(struct keyring *kr, int64_t now, const char *typ,
    const char *payload, size_t len, char **out, size_t *out_len)
{
	const struct jwk *key = keys_ring_signer(kr, now);

	*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	if (key == NULL)
		return PERR_NOT_FOUND;
	return jws_sign(key, typ, payload, len, out, out_len);
}

int
keys_verify_jwt(struct keyring *kr, const char *compact, size_t len,
    const struct jwt_expect *expect, struct jwt_claims **claims,
    const char **why)
{
	const struct jwk *key = NULL;
	struct jws *jws = NULL;
	const char *kid;
	size_t i;
	int err;

	if (claims != NULL)
		*claims = NULL;
	if ((err = jws_parse(compact, len, &jws, why)) != PERR_OK)
		return err;
	/* Every token we sign names its key. */
	if ((kid = jws_kid(jws)) != NULL)
		for (i = 0; i < kr->n && key == NULL; i++)
			if (strcmp(kr->keys[i].jwk->kid, kid) == 0 &&
			    is_published(&kr->keys[i], expect->now))
				key = kr->keys[i].jwk;
	jws_free(jws);
	if (key == NULL) {
		if (why != NULL)
			*why = kid == NULL ? "the token names no key (kid)" :
			    "the token's key (kid) is not one of ours, or no "
			    "longer published";
		return PERR_VERIFY;
	}
	return jwt_verify(compact, len, key, expect, claims, why);
}

/* ---- loading ------------------------------------------------------------- */

/* A second handle on a loaded key (same EVP_PKEY, one more reference). */
static int
jwk_share(const struct jwk *key, struct jwk **out)
{
	int err;

	*out = NULL;
	if (EVP_PKEY_up_ref(key->pkey) != 1)
		return PERR_CRYPTO;
	if ((err = jwk_from_pkey(key->pkey, key->alg, key->kid, out)) !=
	    PERR_OK)
		EVP_PKEY_free(key->pkey);
	return err;
}

/*
 * Decodes one row. A kid already loaded is the same key (kids are never
 * reused), so it is shared rather than opened again: a reload after a
 * rotation opens only the new key.
 */
static int
load_one(const struct keyring *kr, const struct store_signing_key *row,
    struct ring_key *out)
{
	const struct jose_alg_info *alg;
	size_t i;
	int err = PERR_NOT_FOUND;

	for (i = 0; i < kr->n && err == PERR_NOT_FOUND; i++)
		if (strcmp(kr->keys[i].jwk->kid, row->kid) == 0)
			err = jwk_share(kr->keys[i].jwk, &out->jwk);
	if (err == PERR_NOT_FOUND)
		err = keys_open_key(&kr->master, row->sealed_jwk, &out->jwk);
	if (err != PERR_OK)
		return err;
	alg = jose_alg_get(out->jwk->alg);
	if (strcmp(out->jwk->kid, row->kid) != 0 || alg == NULL ||
	    strcmp(alg->name, row->alg) != 0)
		return PERR_INVALID;
	out->signs_from = row->signs_from;
	out->is_retired = row->is_retired;
	out->verify_until = row->verify_until;
	return PERR_OK;
}

static int
load_instance(struct keyring *kr, struct db *db)
{
	struct keys_master m;
	char *id = NULL;
	int err;

	if ((err = store_kv_get(db, KEYS_KV_INSTANCE_ID, &id)) != PERR_OK)
		return err;
	if (kr->master.has_jwk_kek && strcmp(id, kr->instance_id) == 0) {
		free(id);
		return PERR_OK;
	}
	if (strlen(id) > KEYS_INSTANCE_ID_MAX)
		err = PERR_INVALID;
	else if ((err = keys_master_derive(kr->ek, kr->ek_len, id, &m)) ==
	    PERR_OK) {
		keys_master_wipe(&kr->master);
		kr->master = m;
		keys_master_wipe(&m);
		memcpy(kr->instance_id, id, strlen(id) + 1);
	}
	free(id);
	return err;
}

static int
load_keys(struct keyring *kr, struct db *db)
{
	struct store_signing_keys rows = { NULL, 0 };
	struct ring_key *keys = NULL;
	size_t i;
	int err;

	if ((err = load_instance(kr, db)) != PERR_OK ||
	    (err = store_signing_keys_list(db, true, &rows)) != PERR_OK)
		return err;
	if (rows.n == 0) {
		err = PERR_NOT_FOUND;
		goto out;
	}
	if ((keys = calloc(rows.n, sizeof(*keys))) == NULL) {
		err = PERR_NOMEM;
		goto out;
	}
	for (i = 0; i < rows.n && err == PERR_OK; i++)
		err = load_one(kr, &rows.v[i], &keys[i]);
	if (err == PERR_OK) {
		err = keys_ring_set(kr, keys, rows.n);
		keys = NULL;
	}
out:
	if (keys != NULL)
		ring_keys_free(keys, rows.n);
	store_signing_keys_clear(&rows);
	return err;
}

static int
reload(struct keyring *kr, struct db *db)
{
	bool ignored;
	int err;

	if (!kr->listening || db_connection_serial(db) != kr->serial) {
		kr->listening = false;
		if ((err = db_listen(db, DB_CHANNEL_SIGNING_KEYS)) != PERR_OK)
			return err;
		kr->listening = true;
		kr->serial = db_connection_serial(db);
	}
	/* What was notified so far is in the read that follows. */
	(void)db_poll_notifications(db, DB_CHANNEL_SIGNING_KEYS, &ignored);
	err = load_keys(kr, db);
	if (err == PERR_DB_UNAVAILABLE)
		kr->listening = false;
	return err;
}

static void
log_reload_failure(const struct keyring *kr, int err)
{
	const char *keeping = kr->n > 0 ? "; keeping the keys loaded before" :
	    "";

	if (err == PERR_WRONG_KEY)
		log_error("signing keys: a new key does not open%s. %s",
		    keeping, keys_wrong_key_help);
	else if (err == PERR_NOT_FOUND)
		log_error("signing keys: the database holds none (or no "
		    "instance id)%s; \"pocket-id serve\" creates them at start",
		    keeping);
	else
		log_warn("signing keys: cannot reload: %s%s", perr_str(err),
		    keeping);
}

int
keys_ring_refresh(struct keyring *kr, struct db *db, int64_t now)
{
	bool notified = false;
	int err;

	if (kr->listening && !kr->need_reload &&
	    db_connection_serial(db) == kr->serial) {
		err = db_poll_notifications(db, DB_CHANNEL_SIGNING_KEYS,
		    &notified);
		if (err == PERR_OK && !notified) {
			(void)settle(kr, now);
			return PERR_OK;
		}
		if (err != PERR_OK)
			kr->listening = false;
	}
	kr->need_reload = true;
	if (now < kr->retry_at && now >= kr->retry_at - KEYS_RING_RETRY_S) {
		(void)settle(kr, now);
		return PERR_DB_UNAVAILABLE;
	}
	if ((err = reload(kr, db)) == PERR_OK) {
		kr->need_reload = false;
		kr->retry_at = 0;
	} else {
		kr->retry_at = now + KEYS_RING_RETRY_S;
		log_reload_failure(kr, err);
	}
	(void)settle(kr, now);
	return err;
}
