/*
 * session: browser sessions (DESIGN §2): rows found by the SHA-256 of the
 * cookie's token, joined with the user so that one round trip answers
 * "who is this, and may they still sign in".
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "store/internal.h"

int
store_session_create(struct db *db, const char *token_hash,
    const char *user_id, const char *amr, int64_t ttl_seconds,
    const char *ip, const char *user_agent, char id[STORE_ID_LEN + 1])
{
	char ttl[24];
	const char *params[7] = { id, token_hash, user_id, amr, ttl,
		ip != NULL && ip[0] != '\0' ? ip : NULL, user_agent };
	int rc;

	if ((rc = crypto_uuid_v4(id)) != PERR_OK)
		return rc;
	snprintf(ttl, sizeof(ttl), "%lld", (long long)ttl_seconds);
	return db_exec(db, STMT_SESSION_INSERT, params, NULL);
}

static int
int_field(PGresult *res, int col, int64_t *out)
{
	return str_to_int64(PQgetvalue(res, 0, col), INT64_MIN, INT64_MAX,
	    out);
}

int
store_session_find(struct db *db, const char *token_hash,
    struct store_session *out)
{
	const char *params[1] = { token_hash };
	PGresult *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_exec(db, STMT_SESSION_FIND, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = PERR_NOT_FOUND;
		goto out;
	}
	snprintf(out->id, sizeof(out->id), "%s", PQgetvalue(res, 0, 0));
	snprintf(out->user_id, sizeof(out->user_id), "%s",
	    PQgetvalue(res, 0, 1));
	out->is_admin = PQgetvalue(res, 0, 2)[0] == 't';
	out->disabled = PQgetvalue(res, 0, 3)[0] == 't';
	snprintf(out->amr, sizeof(out->amr), "%s", PQgetvalue(res, 0, 4));
	if ((rc = int_field(res, 5, &out->auth_time)) == PERR_OK &&
	    (rc = int_field(res, 6, &out->created_at)) == PERR_OK)
		rc = int_field(res, 7, &out->idle_seconds);
out:
	PQclear(res);
	return rc;
}

int
store_session_touch(struct db *db, const char *id, const char *ip,
    const char *user_agent)
{
	const char *params[3] = { id, ip != NULL && ip[0] != '\0' ? ip : NULL,
		user_agent };

	return db_exec(db, STMT_SESSION_TOUCH, params, NULL);
}

int
store_session_delete(struct db *db, const char *id)
{
	const char *params[1] = { id };

	return db_exec(db, STMT_SESSION_DELETE, params, NULL);
}

int
store_session_delete_own(struct db *db, const char *id, const char *user_id)
{
	const char *params[2] = { id, user_id };
	int rc;

	if ((rc = db_exec_affected(db, STMT_SESSION_DELETE_OWN, params)) < 0)
		return rc;
	return rc > 0 ? PERR_OK : PERR_NOT_FOUND;
}

int
store_session_delete_others(struct db *db, const char *user_id,
    const char *keep_id)
{
	const char *params[2] = { user_id, keep_id };

	return db_exec(db, STMT_SESSION_DELETE_OTHERS, params, NULL);
}

int
store_session_list(struct db *db, const char *user_id, const char *current_id,
    char **json)
{
	const char *params[2] = { user_id, current_id };

	return db_exec_text(db, STMT_SESSION_LIST, params, json);
}
