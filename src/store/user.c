/*
 * user: the users table as far as signing in needs it: counting real
 * users, the race-free first-admin insert, the UserDto, lookups by name
 * or email, and the static-API-key user. The admin API adds the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

/* Copies a UUID column into a fixed buffer. */
static int
copy_id(char out[STORE_ID_LEN + 1], const char *value)
{
	if (strlen(value) != STORE_ID_LEN)
		return PERR_INTERNAL;
	memcpy(out, value, STORE_ID_LEN + 1);
	return PERR_OK;
}

int
store_user_count_real(struct db *db, int64_t *n)
{
	char *text = NULL;
	int rc;

	if ((rc = db_exec_text(db, STMT_USER_COUNT_REAL, NULL, &text)) ==
	    PERR_OK)
		rc = str_to_int64(text, 0, INT64_MAX, n);
	free(text);
	return rc;
}

int
store_user_dto(struct db *db, const char *id, char **json)
{
	const char *params[1] = { id };

	return db_exec_text(db, STMT_USER_DTO, params, json);
}

int
store_user_find_login(struct db *db, const char *login,
    char id[STORE_ID_LEN + 1])
{
	const char *params[1] = { login };
	char *text = NULL;
	int rc;

	if ((rc = db_exec_text(db, STMT_USER_FIND_LOGIN, params, &text)) ==
	    PERR_OK)
		rc = copy_id(id, text);
	free(text);
	return rc;
}

int
store_user_ensure_static(struct db *db, const char *username)
{
	const char *params[1] = { username };

	return db_exec(db, STMT_USER_ENSURE_STATIC, params, NULL);
}

int
store_user_is_disabled(struct db *db, const char *id, bool *disabled)
{
	const char *params[1] = { id };
	char *text = NULL;
	int rc;

	if ((rc = db_exec_text(db, STMT_USER_DISABLED, params, &text)) ==
	    PERR_OK)
		*disabled = text[0] == 't';
	free(text);
	return rc;
}
