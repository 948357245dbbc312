/*
 * claims: custom claims of users and groups (spec §1.9): full
 * replacement in one transaction, and the suggestions list. Reserved and
 * repeated keys are refused by the caller before it gets here.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

int
store_claims_suggestions(struct db *db, char **json)
{
	return db_exec_text(db, STMT_CLAIMS_SUGGESTIONS, NULL, json);
}

/* Replaces the claims of one owner: its row must exist (exists). */
static int
claims_replace(struct db *db, enum stmt exists, enum stmt clear,
    enum stmt add, enum stmt list, const char *owner,
    const char *claims_json, char **json)
{
	const char *one[1] = { owner }, *two[2] = { owner, claims_json };
	int rc, n;

	*json = NULL;
	if ((rc = db_begin(db)) != PERR_OK)
		return rc;
	/* Locks the owner's row: concurrent replacements queue. */
	if ((n = db_exec_affected(db, exists, one)) <= 0) {
		rc = n < 0 ? n : PERR_NOT_FOUND;
		goto fail;
	}
	if ((rc = db_exec(db, clear, one, NULL)) != PERR_OK ||
	    (rc = db_exec(db, add, two, NULL)) != PERR_OK ||
	    (rc = db_exec_text(db, list, one, json)) != PERR_OK)
		goto fail;
	if ((rc = db_commit(db)) != PERR_OK) {
		free(*json);
		*json = NULL;
	}
	return rc;
fail:
	db_rollback(db);
	return rc;
}

int
store_claims_user_set(struct db *db, const char *user_id,
    const char *claims_json, char **json)
{
	return claims_replace(db, STMT_USER_TOUCH, STMT_USER_CLAIMS_CLEAR,
	    STMT_USER_CLAIMS_ADD, STMT_USER_CLAIMS_JSON, user_id, claims_json,
	    json);
}

int
store_claims_group_set(struct db *db, const char *group_id,
    const char *claims_json, char **json)
{
	return claims_replace(db, STMT_GROUP_TOUCH, STMT_GROUP_CLAIMS_CLEAR,
	    STMT_GROUP_CLAIMS_ADD, STMT_GROUP_CLAIMS_JSON, group_id,
	    claims_json, json);
}
