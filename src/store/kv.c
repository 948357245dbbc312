/*
 * kv: the small key/value table (spec §5.2 kv) for single values such as
 * the instance id. Values are opaque text to this file; anything secret is
 * sealed by the caller before it gets here.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

int
store_kv_get(struct db *db, const char *key, char **value)
{
	const char *params[1] = { key };
	PGresult *res = NULL;
	int rc;

	*value = NULL;
	if (strlen(key) > STORE_KV_KEY_MAX)
		return PERR_TOO_LARGE;
	if ((rc = db_exec(db, STMT_KV_GET, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) == 0)
		rc = PERR_NOT_FOUND;
	else if ((*value = str_dup(PQgetvalue(res, 0, 0))) == NULL)
		rc = PERR_NOMEM;
	PQclear(res);
	return rc;
}

int
store_kv_set(struct db *db, const char *key, const char *value)
{
	const char *params[2] = { key, value };

	if (strlen(key) > STORE_KV_KEY_MAX)
		return PERR_TOO_LARGE;
	return db_exec(db, STMT_KV_SET, params, NULL);
}
