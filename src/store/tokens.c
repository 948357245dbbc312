/*
 * tokens: the short-lived bearer secrets that sign a user in or vouch for
 * them: login codes, re-authentication tokens, and API keys in use. Each
 * is found by its SHA-256 hex and consumed (where single use) in the same
 * statement, so no two workers accept the same one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "store/internal.h"

int
store_login_code_create(struct db *db, const char *code_hash,
    const char *user_id, int64_t ttl_seconds, const char *device_hash)
{
	char id[STORE_ID_LEN + 1], ttl[24];
	const char *params[5] = { id, code_hash, ttl, user_id, device_hash };
	int rc;

	if ((rc = crypto_uuid_v4(id)) != PERR_OK)
		return rc;
	snprintf(ttl, sizeof(ttl), "%lld", (long long)ttl_seconds);
	return db_exec(db, STMT_OTP_INSERT, params, NULL);
}

int
store_login_code_take(struct db *db, const char *code_hash,
    char user_id[STORE_ID_LEN + 1], char **device_hash)
{
	const char *params[1] = { code_hash };
	PGresult *res = NULL;
	int rc;

	*device_hash = NULL;
	if ((rc = db_exec(db, STMT_OTP_TAKE, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = PERR_NOT_FOUND;
	else if ((*device_hash = str_dup(PQgetvalue(res, 0, 1))) == NULL)
		rc = PERR_NOMEM;
	else
		snprintf(user_id, STORE_ID_LEN + 1, "%s",
		    PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

int
store_reauth_create(struct db *db, const char *token_hash,
    const char *user_id, int64_t ttl_seconds)
{
	char id[STORE_ID_LEN + 1], ttl[24];
	const char *params[4] = { id, token_hash, ttl, user_id };
	int rc;

	if ((rc = crypto_uuid_v4(id)) != PERR_OK)
		return rc;
	snprintf(ttl, sizeof(ttl), "%lld", (long long)ttl_seconds);
	return db_exec(db, STMT_REAUTH_INSERT, params, NULL);
}

int
store_reauth_take(struct db *db, const char *token_hash, const char *user_id,
    int64_t *age_seconds)
{
	const char *params[2] = { token_hash, user_id };
	char *age = NULL;
	int rc;

	if ((rc = db_exec_text(db, STMT_REAUTH_TAKE, params, &age)) ==
	    PERR_OK)
		rc = str_to_int64(age, INT64_MIN, INT64_MAX, age_seconds);
	free(age);
	return rc;
}

int
store_api_key_use(struct db *db, const char *key_hash,
    struct store_api_key_user *out)
{
	const char *params[1] = { key_hash };
	PGresult *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_exec(db, STMT_API_KEY_USE, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = PERR_NOT_FOUND;
	} else {
		snprintf(out->user_id, sizeof(out->user_id), "%s",
		    PQgetvalue(res, 0, 0));
		out->is_admin = PQgetvalue(res, 0, 1)[0] == 't';
		out->disabled = PQgetvalue(res, 0, 2)[0] == 't';
	}
	PQclear(res);
	return rc;
}
