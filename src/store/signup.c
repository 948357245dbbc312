/*
 * signup: signup tokens (spec §1.4), stored as the SHA-256 hex of the
 * token (Pocket ID keeps them in clear). Taking a use of a token happens
 * in store_signup (users_admin.c), inside the signup's transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

int
store_signup_token_create(struct db *db, const char *id,
    const char *token_hash, const char *token, int64_t ttl_seconds,
    int64_t usage_limit, const char *ids_json, char **dto)
{
	char ttl[24], limit[24];
	const char *insert[4] = { id, token_hash, ttl, limit };
	const char *groups[2] = { id, ids_json };
	const char *missing[1] = { ids_json };
	const char *dto_params[2] = { id, token };
	char *n = NULL;
	int rc;

	*dto = NULL;
	snprintf(ttl, sizeof(ttl), "%lld", (long long)ttl_seconds);
	snprintf(limit, sizeof(limit), "%lld", (long long)usage_limit);
	if ((rc = db_begin(db)) != PERR_OK)
		return rc;
	if ((rc = db_exec(db, STMT_SIGNUP_TOKEN_INSERT, insert, NULL)) !=
	    PERR_OK)
		goto fail;
	if (ids_json != NULL) {
		if ((rc = db_exec_text(db, STMT_USER_GROUPS_MISSING, missing,
		    &n)) != PERR_OK)
			goto fail;
		if (strcmp(n, "0") != 0) {
			rc = PERR_NOT_FOUND;
			goto fail;
		}
		if ((rc = db_exec(db, STMT_SIGNUP_TOKEN_GROUPS_ADD, groups,
		    NULL)) != PERR_OK)
			goto fail;
	}
	if ((rc = db_exec_text(db, STMT_SIGNUP_TOKEN_DTO, dto_params, dto)) !=
	    PERR_OK)
		goto fail;
	free(n);
	if ((rc = db_commit(db)) != PERR_OK) {
		free(*dto);
		*dto = NULL;
	}
	return rc;
fail:
	free(n);
	db_rollback(db);
	return rc;
}

int
store_signup_token_delete(struct db *db, const char *id)
{
	const char *params[1] = { id };
	int n = db_exec_affected(db, STMT_SIGNUP_TOKEN_DELETE, params);

	return n < 0 ? n : PERR_OK;
}
