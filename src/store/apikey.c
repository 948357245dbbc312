/*
 * apikey: a user's own API keys (spec §1.13): create, renew an expired
 * one, delete. Only the SHA-256 hex of a token ever reaches this file;
 * finding a key in use is tokens.c's (store_api_key_use).
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "store/internal.h"

static const struct store_list_column api_keys_sort[] = {
	LIST_API_KEYS_SORT(STORE_LIST_COLUMN)
};
const struct store_list_def store_list_api_keys = {
	.stmt = STMT_LIST_API_KEYS,
	.sort = api_keys_sort,
	.n_sort = sizeof(api_keys_sort) / sizeof(api_keys_sort[0]),
	.default_sort = "createdAt", .default_desc = false,
	.has_search = false, .n_scope = 1,
};

int
store_api_key_create(struct db *db, const struct store_api_key_new *k,
    char **dto_json)
{
	char id[STORE_ID_LEN + 1];
	const char *params[6] = { id, k->name, k->key_hash, k->description,
		k->expires_at, k->user_id };
	int rc;

	*dto_json = NULL;
	if ((rc = crypto_uuid_v4(id)) != PERR_OK)
		return rc;
	return db_exec_text(db, STMT_API_KEY_INSERT, params, dto_json);
}

int
store_api_key_renew(struct db *db, const char *id, const char *user_id,
    const char *key_hash, const char *expires_at, char **dto_json)
{
	const char *params[4] = { id, user_id, key_hash, expires_at };
	const char *exists_params[2] = { id, user_id };
	int rc;

	rc = db_exec_text(db, STMT_API_KEY_RENEW, params, dto_json);
	if (rc != PERR_NOT_FOUND)
		return rc;
	/* Nothing renewed: tell "not yours or absent" from "still live". */
	rc = db_exec_affected(db, STMT_API_KEY_EXISTS, exists_params);
	if (rc < 0)
		return rc;
	return rc > 0 ? PERR_CONFLICT : PERR_NOT_FOUND;
}

int
store_api_key_delete(struct db *db, const char *id, const char *user_id)
{
	const char *params[2] = { id, user_id };
	int rc = db_exec_affected(db, STMT_API_KEY_DELETE, params);

	if (rc < 0)
		return rc;
	return rc > 0 ? PERR_OK : PERR_NOT_FOUND;
}

int
store_time_is_future(struct db *db, const char *rfc3339, bool *future)
{
	const char *params[1] = { rfc3339 };
	char *text = NULL;
	int rc;

	*future = false;
	if ((rc = db_exec_text(db, STMT_API_KEY_FUTURE, params, &text)) ==
	    PERR_OK)
		*future = strcmp(text, "t") == 0;
	free(text);
	return rc;
}
