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
