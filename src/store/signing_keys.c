/*
 * signing_keys: the rows of sql/0003_signing_keys.sql, the instance id in
 * kv and the advisory lock that serialises changes to them. Values are
 * opaque text here: sealing and the rules of rotation live in src/keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

int
store_keys_lock(struct db *db)
{
	if (!db_in_transaction(db))
		return PERR_INTERNAL;
	return db_exec(db, STMT_KEYS_LOCK, NULL, NULL);
}

int
store_instance_id_ensure(struct db *db, const char *candidate, char **out)
{
	const char *params[1] = { candidate };
	PGresult *res = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_exec(db, STMT_KEYS_INSTANCE_ID, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0))
		rc = PERR_INTERNAL;
	else if ((*out = str_dup(PQgetvalue(res, 0, 0))) == NULL)
		rc = PERR_NOMEM;
	PQclear(res);
	return rc;
}

static void
key_clear(struct store_signing_key *k)
{
	free(k->kid);
	free(k->alg);
	str_free_secret(k->sealed_jwk);
	memset(k, 0, sizeof(*k));
}

void
store_signing_keys_clear(struct store_signing_keys *keys)
{
	size_t i;

	if (keys == NULL)
		return;
	for (i = 0; i < keys->n; i++)
		key_clear(&keys->v[i]);
	free(keys->v);
	keys->v = NULL;
	keys->n = 0;
}

/* A bigint column; absent (NULL) gives *present false. */
static int
get_int64(const PGresult *res, int row, int col, bool *present,
    int64_t *out)
{
	*out = 0;
	if (PQgetisnull(res, row, col)) {
		if (present == NULL)
			return PERR_INTERNAL;
		*present = false;
		return PERR_OK;
	}
	if (present != NULL)
		*present = true;
	return str_to_int64(PQgetvalue(res, row, col), INT64_MIN, INT64_MAX,
	    out) == PERR_OK ? PERR_OK : PERR_INTERNAL;
}

static int
key_from_row(const PGresult *res, int row, struct store_signing_key *k)
{
	bool retired = false, until = false;
	int rc;

	if ((k->kid = str_dup(PQgetvalue(res, row, 0))) == NULL ||
	    (k->alg = str_dup(PQgetvalue(res, row, 1))) == NULL ||
	    (k->sealed_jwk = str_dup(PQgetvalue(res, row, 2))) == NULL)
		return PERR_NOMEM;
	if ((rc = get_int64(res, row, 3, NULL, &k->created_at)) != PERR_OK ||
	    (rc = get_int64(res, row, 4, NULL, &k->signs_from)) != PERR_OK ||
	    (rc = get_int64(res, row, 5, &retired, &k->retired_at)) !=
	    PERR_OK ||
	    (rc = get_int64(res, row, 6, &until, &k->verify_until)) !=
	    PERR_OK)
		return rc;
	/* The table's CHECK keeps the two together. */
	if (retired != until)
		return PERR_INTERNAL;
	k->is_retired = retired;
	return PERR_OK;
}

int
store_signing_keys_list(struct db *db, bool only_published,
    struct store_signing_keys *out)
{
	char limit[24];
	const char *params[2] = { only_published ? "true" : "false", limit };
	PGresult *res = NULL;
	size_t i, n;
	int rc;

	out->v = NULL;
	out->n = 0;
	snprintf(limit, sizeof(limit), "%d", STORE_SIGNING_KEYS_MAX + 1);
	if ((rc = db_exec(db, STMT_KEYS_LIST, params, &res)) != PERR_OK)
		return rc;
	n = (size_t)PQntuples(res);
	if (n > STORE_SIGNING_KEYS_MAX) {
		rc = PERR_TOO_LARGE;
		goto out;
	}
	if (n > 0 && (out->v = calloc(n, sizeof(*out->v))) == NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	for (i = 0; i < n && rc == PERR_OK; i++) {
		out->n = i + 1;
		rc = key_from_row(res, (int)i, &out->v[i]);
	}
out:
	PQclear(res);
	if (rc != PERR_OK)
		store_signing_keys_clear(out);
	return rc;
}

int
store_signing_key_add(struct db *db, const char *kid, const char *alg,
    const char *sealed_jwk, int64_t signs_in_s)
{
	char secs[24];
	const char *params[4] = { kid, alg, sealed_jwk, secs };

	if (signs_in_s < 0 || strlen(sealed_jwk) > STORE_SEALED_MAX)
		return PERR_INVALID;
	snprintf(secs, sizeof(secs), "%lld", (long long)signs_in_s);
	return db_exec(db, STMT_KEYS_ADD, params, NULL);
}

int
store_signing_key_retire_newest(struct db *db, int64_t stops_in_s,
    int64_t verify_for_s, char **kid, int64_t *verify_until)
{
	char stops[24], verify[24];
	const char *params[2] = { stops, verify };
	PGresult *res = NULL;
	int rc;

	if (kid != NULL)
		*kid = NULL;
	*verify_until = 0;
	if (stops_in_s < 0 || verify_for_s < 0)
		return PERR_INVALID;
	snprintf(stops, sizeof(stops), "%lld", (long long)stops_in_s);
	snprintf(verify, sizeof(verify), "%lld", (long long)verify_for_s);
	if ((rc = db_exec(db, STMT_KEYS_RETIRE_NEWEST, params, &res)) !=
	    PERR_OK)
		return rc;
	if (PQntuples(res) == 0)
		rc = PERR_NOT_FOUND;
	else if ((rc = get_int64(res, 0, 1, NULL, verify_until)) == PERR_OK &&
	    kid != NULL && (*kid = str_dup(PQgetvalue(res, 0, 0))) == NULL)
		rc = PERR_NOMEM;
	PQclear(res);
	return rc;
}

int
store_signing_key_reseal(struct db *db, const char *kid,
    const char *sealed_jwk)
{
	const char *params[2] = { kid, sealed_jwk };
	PGresult *res = NULL;
	int rc;

	if (strlen(sealed_jwk) > STORE_SEALED_MAX)
		return PERR_INVALID;
	if ((rc = db_exec(db, STMT_KEYS_RESEAL, params, &res)) != PERR_OK)
		return rc;
	if (strcmp(PQcmdTuples(res), "1") != 0)
		rc = PERR_NOT_FOUND;
	PQclear(res);
	return rc;
}

int
store_signing_keys_purge(struct db *db, size_t *n)
{
	PGresult *res = NULL;
	int64_t v = 0;
	int rc;

	if (n != NULL)
		*n = 0;
	if ((rc = db_exec(db, STMT_KEYS_PURGE, NULL, &res)) != PERR_OK)
		return rc;
	if (n != NULL && str_to_int64(PQcmdTuples(res), 0, INT64_MAX, &v) ==
	    PERR_OK)
		*n = (size_t)v;
	PQclear(res);
	return rc;
}
