/*
 * config: the stored application settings (spec §4.2), one row per key
 * that is not at its default. Values are opaque text here: the admin
 * module validates them and seals the secret ones before they arrive.
 * Workers read them per request (auth_app_setting), so a replacement is
 * seen by every worker and replica at once.
 */
#include "common/common.h"
#include "store/internal.h"

int
store_app_config_list(struct db *db, char **json)
{
	return db_exec_text(db, STMT_APP_CONFIG_LIST, NULL, json);
}

int
store_app_config_replace(struct db *db, const char *json_object)
{
	const char *params[1] = { json_object };
	int rc;

	if ((rc = db_begin(db)) != PERR_OK)
		return rc;
	/* Writers queue here; readers are not blocked. */
	if ((rc = db_exec(db, STMT_APP_CONFIG_LOCK, NULL, NULL)) != PERR_OK ||
	    (rc = db_exec(db, STMT_APP_CONFIG_CLEAR, NULL, NULL)) != PERR_OK ||
	    (rc = db_exec(db, STMT_APP_CONFIG_INSERT_ALL, params, NULL)) !=
	    PERR_OK)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return rc;
}
