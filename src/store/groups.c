/*
 * groups: user groups (spec §1.6) and their members. Answers are the
 * UserGroupDto built in SQL (SQL_USER_GROUP_DTO). Whether an LDAP group
 * may change is the caller's rule; this file reports ldap_id.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

int
store_group_dto(struct db *db, const char *id, char **dto)
{
	const char *params[1] = { id };

	return db_exec_text(db, STMT_GROUP_DTO, params, dto);
}

int
store_group_ldap_id(struct db *db, const char *id, char **ldap_id)
{
	const char *params[1] = { id };
	PGresult *res = NULL;
	int rc;

	*ldap_id = NULL;
	if ((rc = db_exec(db, STMT_GROUP_LDAP_ID, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = PERR_NOT_FOUND;
	else if (!PQgetisnull(res, 0, 0) &&
	    (*ldap_id = str_dup(PQgetvalue(res, 0, 0))) == NULL)
		rc = PERR_NOMEM;
	PQclear(res);
	return rc;
}

int
store_group_create(struct db *db, const char *id, const char *friendly_name,
    const char *name, char **dto)
{
	const char *params[3] = { id, friendly_name, name };
	int rc;

	*dto = NULL;
	if ((rc = db_exec(db, STMT_GROUP_INSERT, params, NULL)) != PERR_OK)
		return rc;
	return store_group_dto(db, id, dto);
}

int
store_group_update(struct db *db, const char *id, const char *friendly_name,
    const char *name, char **dto)
{
	const char *params[3] = { id, friendly_name, name };
	int n;

	*dto = NULL;
	if ((n = db_exec_affected(db, STMT_GROUP_UPDATE, params)) < 0)
		return n;
	if (n == 0)
		return PERR_NOT_FOUND;
	return store_group_dto(db, id, dto);
}

int
store_group_delete(struct db *db, const char *id)
{
	const char *params[1] = { id };
	int n = db_exec_affected(db, STMT_GROUP_DELETE, params);

	return n < 0 ? n : n == 0 ? PERR_NOT_FOUND : PERR_OK;
}

/* What a group links to: its members, or the clients it may use. */
struct group_link {
	enum stmt missing, clear, add;
	const char *what;	/* named when an id is unknown */
};
static const struct group_link link_users = {
	STMT_GROUP_USERS_MISSING, STMT_GROUP_USERS_CLEAR, STMT_GROUP_USERS_ADD,
	"User" };
static const struct group_link link_clients = {
	STMT_GROUP_CLIENTS_MISSING, STMT_GROUP_CLIENTS_CLEAR,
	STMT_GROUP_CLIENTS_ADD, "OIDC client" };

/* Replaces the group's links by ids_json, all or nothing. */
static int
group_links_set(struct db *db, const struct group_link *link, const char *id,
    const char *ids_json, const char **missing, char **dto)
{
	const char *one[1] = { id }, *two[2] = { id, ids_json };
	const char *check[1] = { ids_json };
	char *n = NULL;
	int rc, touched;

	*missing = NULL;
	*dto = NULL;
	if ((rc = db_begin(db)) != PERR_OK)
		return rc;
	/* Takes the group's row lock first, so concurrent replacements of
	 * one group's links apply one after the other. */
	if ((touched = db_exec_affected(db, STMT_GROUP_TOUCH, one)) <= 0) {
		rc = touched < 0 ? touched : PERR_NOT_FOUND;
		*missing = "User group";
		goto fail;
	}
	if ((rc = db_exec_text(db, link->missing, check, &n)) != PERR_OK)
		goto fail;
	if (strcmp(n, "0") != 0) {
		*missing = link->what;
		rc = PERR_NOT_FOUND;
		goto fail;
	}
	if ((rc = db_exec(db, link->clear, one, NULL)) != PERR_OK ||
	    (rc = db_exec(db, link->add, two, NULL)) != PERR_OK)
		goto fail;
	free(n);
	if ((rc = db_commit(db)) != PERR_OK)
		return rc;
	return store_group_dto(db, id, dto);
fail:
	free(n);
	db_rollback(db);
	return rc;
}

int
store_group_users_set(struct db *db, const char *id, const char *ids_json,
    const char **missing, char **dto)
{
	return group_links_set(db, &link_users, id, ids_json, missing, dto);
}

int
store_group_clients_set(struct db *db, const char *id, const char *ids_json,
    const char **missing, char **dto)
{
	return group_links_set(db, &link_clients, id, ids_json, missing, dto);
}
