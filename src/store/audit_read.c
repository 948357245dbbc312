/*
 * audit_read: reading the audit log (spec §1.12) and its retention (spec
 * §5.6 ClearAuditLogs). Rows are written by audit.c. The "device" string
 * is not made here: it is derived from the user agent by the admin
 * module, at read time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Newest first unless asked otherwise: what anyone reading a log wants. */
static const struct store_list_column audit_sort[] = {
	LIST_AUDIT_SORT(STORE_LIST_COLUMN)
};
static const struct store_list_column audit_own_filter[] = {
	LIST_AUDIT_OWN_FILTER(STORE_LIST_COLUMN)
};
static const struct store_list_column audit_all_filter[] = {
	LIST_AUDIT_ALL_FILTER(STORE_LIST_COLUMN)
};
const struct store_list_def store_list_audit_own = {
	.stmt = STMT_LIST_AUDIT_OWN,
	.sort = audit_sort, .n_sort = N_OF(audit_sort),
	.filter = audit_own_filter, .n_filter = N_OF(audit_own_filter),
	.default_sort = "createdAt", .default_desc = true,
	.has_search = false, .n_scope = 1,
};
const struct store_list_def store_list_audit_all = {
	.stmt = STMT_LIST_AUDIT_ALL,
	.sort = audit_sort, .n_sort = N_OF(audit_sort),
	.filter = audit_all_filter, .n_filter = N_OF(audit_all_filter),
	.default_sort = "createdAt", .default_desc = true,
	.has_search = false,
};

int
store_audit_client_names(struct db *db, char **json)
{
	return db_exec_text(db, STMT_AUDIT_CLIENT_NAMES, NULL, json);
}

int
store_audit_users(struct db *db, char **json)
{
	return db_exec_text(db, STMT_AUDIT_USERS, NULL, json);
}

int
store_audit_purge(struct db *db, int64_t days, long long *deleted)
{
	char days_text[24], *locked = NULL;
	const char *params[1] = { days_text };
	int rc;

	*deleted = -1;
	snprintf(days_text, sizeof(days_text), "%lld", (long long)days);
	if ((rc = db_begin(db)) != PERR_OK)
		return rc;
	/* Transaction-scoped: released by the commit, or by a lost
	 * connection, so a crashed cleanup never blocks the next one. */
	if ((rc = db_exec_text(db, STMT_AUDIT_PURGE_LOCK, NULL, &locked)) !=
	    PERR_OK)
		goto fail;
	if (strcmp(locked, "t") != 0) {
		free(locked);
		return db_rollback(db);	/* another replica is on it */
	}
	free(locked);
	if ((rc = db_exec_affected(db, STMT_AUDIT_PURGE, params)) < 0)
		goto fail;
	*deleted = rc;
	return db_commit(db);
fail:
	db_rollback(db);
	return rc;
}

int
store_housekeeping(struct db *db)
{
	return db_exec(db, STMT_HOUSEKEEPING, NULL, NULL);
}
