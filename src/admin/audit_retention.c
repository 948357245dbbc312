/*
 * audit_retention: deletes audit-log rows older than
 * AUDIT_LOG_RETENTION_DAYS (spec §5.6 ClearAuditLogs: at start-up, then
 * daily), and the other expired rows §5.6's daily jobs clear (sessions,
 * ceremonies, codes, tokens). There is no job scheduler yet, so the master calls
 * audit_retention_spawn at start and then once a day; the work happens in
 * a short-lived child with its own connection, because the master must
 * never wait on PostgreSQL. The SQL and its advisory lock are in
 * store/audit_read.c: replicas sharing a database never run it at once.
 * XXX(jobs issue): move this into the scheduler child when it exists.
 */
#include <sys/prctl.h>
#include <sys/resource.h>

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

#include "common/common.h"
#include "conf/conf.h"
#include "store/store.h"
#include "admin/admin_config.h"

int
audit_retention_run(const struct settings *s, long long *deleted)
{
	struct db *db = NULL;
	long long n = -1;
	int rc;

	if (deleted != NULL)
		*deleted = -1;
	if ((rc = db_open(s->db_connection_string, &db)) != PERR_OK) {
		log_error("audit log retention: cannot connect to PostgreSQL: "
		    "%s", perr_str(rc));
		return rc;
	}
	rc = store_audit_purge(db, s->audit_log_retention_days, &n);
	if (rc != PERR_OK)
		log_error("audit log retention failed: %s",
		    db_error_message(db));
	else if (n < 0)
		log_debug("audit log retention: another replica is running it");
	else
		log_info("audit log retention: deleted %lld rows older than "
		    "%lld days", n, (long long)s->audit_log_retention_days);
	/* Idempotent, so replicas running it together do no harm. */
	if (n >= 0 && store_housekeeping(db) != PERR_OK)
		log_error("cleanup of expired rows failed: %s",
		    db_error_message(db));
	db_close(db);
	if (deleted != NULL)
		*deleted = n;
	return rc;
}

pid_t
audit_retention_spawn(const struct settings *s)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t none;
	pid_t pid;

	if ((pid = fork()) < 0) {
		log_error("audit log retention: fork failed: %s",
		    strerror(errno));
		return -1;
	}
	if (pid > 0)
		return pid;
	/* The child holds the settings' secrets: no core, no ptrace. */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* Named apart from the workers in ps and /proc/<pid>/comm. */
	(void)prctl(PR_SET_NAME, "pocket-id-clean", 0, 0, 0);
	(void)setrlimit(RLIMIT_CORE, &no_core);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	_exit(audit_retention_run(s, NULL) == PERR_OK ? 0 : 1);
}
