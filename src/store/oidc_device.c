/*
 * oidc_device: the device codes of RFC 8628. Approving a code and the
 * token endpoint's use of it each happen in one statement under a row
 * lock, so two racing calls cannot both succeed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

int
store_oidc_device_issue(struct db *db, const char *device_code_hash,
    const char *user_code, const char *client_id, const char *scope,
    const char *nonce, int expires_seconds, int interval_seconds)
{
	char expires[16], interval[16];
	const char *params[7] = { device_code_hash, user_code, client_id,
		scope, nonce != NULL && nonce[0] != '\0' ? nonce : NULL,
		expires, interval };
	int n;

	snprintf(expires, sizeof(expires), "%d", expires_seconds);
	snprintf(interval, sizeof(interval), "%d", interval_seconds);
	if ((n = db_exec_affected(db, STMT_DEVICE_ISSUE, params)) < 0)
		return n;
	return n > 0 ? PERR_OK : PERR_CONFLICT;
}

int
store_oidc_device_find(struct db *db, const char *user_code,
    char **client_id, char **scope, bool *unexpired, bool *approved)
{
	const char *params[1] = { user_code };
	PGresult *res = NULL;
	int rc;

	*client_id = *scope = NULL;
	if ((rc = db_exec(db, STMT_DEVICE_FIND, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = PERR_NOT_FOUND;
	} else if ((*client_id = str_dup(PQgetvalue(res, 0, 0))) == NULL ||
	    (*scope = str_dup(PQgetvalue(res, 0, 1))) == NULL) {
		free(*client_id);
		*client_id = NULL;
		rc = PERR_NOMEM;
	} else {
		*unexpired = PQgetvalue(res, 0, 2)[0] == 't';
		*approved = PQgetvalue(res, 0, 3)[0] == 't';
	}
	PQclear(res);
	return rc;
}

int
store_oidc_device_approve(struct db *db, const char *user_code,
    const char *grant_id, const char *user_id, int64_t auth_time,
    const char *amr)
{
	char at[24];
	const char *params[5] = { user_code, grant_id, user_id, at, amr };
	int n;

	snprintf(at, sizeof(at), "%lld", (long long)auth_time);
	if ((n = db_exec_affected(db, STMT_DEVICE_APPROVE, params)) < 0)
		return n;
	return n > 0 ? PERR_OK : PERR_NOT_FOUND;
}

static bool
flag(PGresult *res, int col)
{
	return PQgetvalue(res, 0, col)[0] == 't';
}

int
store_oidc_device_poll(struct db *db, const char *device_code_hash,
    struct store_device_poll *out)
{
	const char *params[1] = { device_code_hash };
	PGresult *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_exec(db, STMT_DEVICE_POLL, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = PERR_NOT_FOUND;
		goto out;
	}
	snprintf(out->grant_id, sizeof(out->grant_id), "%s",
	    PQgetvalue(res, 0, 1));
	snprintf(out->user_id, sizeof(out->user_id), "%s",
	    PQgetvalue(res, 0, 2));
	snprintf(out->amr, sizeof(out->amr), "%s", PQgetvalue(res, 0, 6));
	out->unexpired = flag(res, 7);
	out->approved = flag(res, 8);
	out->used = flag(res, 9);
	out->early = flag(res, 10);
	out->fresh = flag(res, 11);
	out->grant_active = flag(res, 12);
	out->client_id = str_dup(PQgetvalue(res, 0, 0));
	out->scope = str_dup(PQgetvalue(res, 0, 3));
	out->nonce = str_dup(PQgetvalue(res, 0, 4));
	if (out->client_id == NULL || out->scope == NULL || out->nonce == NULL)
		rc = PERR_NOMEM;
	else
		rc = str_to_int64(PQgetvalue(res, 0, 5), 0, INT64_MAX,
		    &out->auth_time);
	if (rc != PERR_OK)
		store_oidc_device_poll_clear(out);
out:
	PQclear(res);
	return rc;
}

void
store_oidc_device_poll_clear(struct store_device_poll *p)
{
	free(p->client_id);
	free(p->scope);
	free(p->nonce);
	memset(p, 0, sizeof(*p));
}
