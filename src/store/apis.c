/*
 * apis: the OAuth API tables (sql/0010): APIs, their permissions, the
 * grants of clients per subject type, and the resource a grant or device
 * code is for. DTOs are built in SQL; this file binds parameters and
 * reads results. It decides nothing: src/oidc/api_admin.c validates and
 * src/oidc/resource.c applies spec §2.11.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct store_list_column apis_sort[] = {
	LIST_APIS_SORT(STORE_LIST_COLUMN)
};
const struct store_list_def store_list_apis = {
	.stmt = STMT_LIST_APIS,
	.sort = apis_sort, .n_sort = N_OF(apis_sort),
	.default_sort = "name", .default_desc = false,
	.has_search = true,
};
const struct store_list_def store_list_api_assignable_apis = {
	.stmt = STMT_LIST_API_ASSIGNABLE_APIS,
	.sort = apis_sort, .n_sort = N_OF(apis_sort),
	.default_sort = "name", .default_desc = false,
	.has_search = true, .n_scope = 1,
};

static const struct store_list_column api_clients_sort[] = {
	LIST_API_CLIENTS_SORT(STORE_LIST_COLUMN)
};
const struct store_list_def store_list_api_clients = {
	.stmt = STMT_LIST_API_CLIENTS,
	.sort = api_clients_sort, .n_sort = N_OF(api_clients_sort),
	.default_sort = "name", .default_desc = false,
	.has_search = true, .n_scope = 1,
};
const struct store_list_def store_list_api_assignable_clients = {
	.stmt = STMT_LIST_API_ASSIGNABLE_CLIENTS,
	.sort = api_clients_sort, .n_sort = N_OF(api_clients_sort),
	.default_sort = "name", .default_desc = false,
	.has_search = true, .n_scope = 1,
};

/* A statement that touches rows: PERR_NOT_FOUND when it touched none. */
static int
exec_touching(struct db *db, enum stmt id, const char *const *params)
{
	int n = db_exec_affected(db, id, params);

	if (n < 0)
		return n;
	return n == 0 ? PERR_NOT_FOUND : PERR_OK;
}

int
store_api_create(struct db *db, const char *id, const char *name,
    const char *resource, char **json)
{
	const char *params[] = { id, name, resource };

	return db_exec_text(db, STMT_API_CREATE, params, json);
}

int
store_api_get(struct db *db, const char *id, char **json)
{
	const char *params[] = { id };

	return db_exec_text(db, STMT_API_GET, params, json);
}

int
store_api_rename(struct db *db, const char *id, const char *name,
    char **json)
{
	const char *params[] = { id, name };

	return db_exec_text(db, STMT_API_RENAME, params, json);
}

int
store_api_delete(struct db *db, const char *id)
{
	const char *params[] = { id };

	return exec_touching(db, STMT_API_DELETE, params);
}

int
store_api_permissions_set(struct db *db, const char *id,
    const char *perms_json)
{
	const char *params[] = { id, perms_json };
	int n = db_exec_affected(db, STMT_API_PERMISSIONS_SET, params);

	return n < 0 ? n : PERR_OK;
}

int
store_api_permissions_foreign(struct db *db, const char *id,
    const char *ids_json, long long *n)
{
	const char *params[] = { id, ids_json };
	char *text = NULL;
	int64_t v = 0;
	int rc;

	*n = 0;
	if ((rc = db_exec_text(db, STMT_API_PERMISSIONS_FOREIGN, params,
	    &text)) != PERR_OK)
		return rc;
	rc = str_to_int64(text, 0, INT64_MAX, &v);
	free(text);
	*n = (long long)v;
	return rc;
}

int
store_api_cimd_set(struct db *db, const char *id, bool enabled,
    const char *ids_json)
{
	const char *params[] = { id, enabled ? "true" : "false", ids_json };
	int n = db_exec_affected(db, STMT_API_CIMD_SET, params);

	return n < 0 ? n : PERR_OK;
}

int
store_api_grant_set(struct db *db, const char *api_id,
    const char *client_id, bool user_access, bool client_access,
    const char *user_ids_json, const char *client_ids_json)
{
	const char *params[] = { api_id, client_id,
		user_access ? "true" : "false",
		client_access ? "true" : "false",
		user_ids_json != NULL ? user_ids_json : "[]",
		client_ids_json != NULL ? client_ids_json : "[]" };
	int n = db_exec_affected(db, STMT_API_GRANT_SET, params);

	return n < 0 ? n : PERR_OK;
}

int
store_api_grant_get(struct db *db, const char *api_id,
    const char *client_id, char **json)
{
	const char *params[] = { api_id, client_id };

	return db_exec_text(db, STMT_API_GRANT_GET, params, json);
}

int
store_api_grant_delete(struct db *db, const char *api_id,
    const char *client_id)
{
	const char *params[] = { api_id, client_id };
	int n = db_exec_affected(db, STMT_API_GRANT_DELETE, params);

	return n < 0 ? n : PERR_OK;
}

int
store_api_access_apis(struct db *db, const char *client_id, char **json)
{
	const char *params[] = { client_id };

	return db_exec_text(db, STMT_API_ACCESS_APIS, params, json);
}

int
store_api_resolve(struct db *db, const char *resource,
    const char *client_id, const char *subject, bool *has_access,
    char **keys)
{
	const char *params[] = { resource, client_id, subject };
	PGresult *res = NULL;
	int rc;

	*has_access = false;
	*keys = NULL;
	if ((rc = db_exec(db, STMT_API_RESOLVE, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = PERR_NOT_FOUND;
	else if ((*keys = str_dup(PQgetvalue(res, 0, 2))) == NULL)
		rc = PERR_NOMEM;
	else
		*has_access = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	PQclear(res);
	return rc;
}

int
store_api_client_has_keys(struct db *db, const char *client_id,
    const char *keys, bool *found)
{
	const char *params[] = { client_id, keys };
	char *text = NULL;
	int rc;

	*found = false;
	if ((rc = db_exec_text(db, STMT_API_CLIENT_HAS_KEYS, params,
	    &text)) != PERR_OK)
		return rc;
	*found = strcmp(text, "t") == 0;
	free(text);
	return PERR_OK;
}

int
store_api_scope_info(struct db *db, const char *resource, const char *keys,
    char **json)
{
	const char *params[] = { resource, keys };

	return db_exec_text(db, STMT_API_SCOPE_INFO, params, json);
}

int
store_api_grant_resource_set(struct db *db, const char *grant_id,
    const char *resource)
{
	const char *params[] = { grant_id, resource };

	return exec_touching(db, STMT_API_GRANT_RESOURCE_SET, params);
}

int
store_api_grant_resource_get(struct db *db, const char *grant_id,
    char **out)
{
	const char *params[] = { grant_id };

	return db_exec_text(db, STMT_API_GRANT_RESOURCE_GET, params, out);
}

int
store_api_device_resource_set(struct db *db, const char *code_hash,
    const char *resource)
{
	const char *params[] = { code_hash, resource };

	return exec_touching(db, STMT_API_DEVICE_RESOURCE_SET, params);
}

int
store_api_device_resource_get(struct db *db, const char *user_code,
    char **out)
{
	const char *params[] = { user_code };

	return db_exec_text(db, STMT_API_DEVICE_RESOURCE_GET, params, out);
}

int
store_api_device_resource_to_grant(struct db *db, const char *user_code)
{
	const char *params[] = { user_code };
	int n = db_exec_affected(db, STMT_API_DEVICE_RESOURCE_TO_GRANT,
	    params);

	return n < 0 ? n : PERR_OK;
}
