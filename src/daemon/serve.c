/*
 * serve: start-up of "pocket-id serve" in order: settings (every problem
 * reported, then refuse), migrations (waiting a while for PostgreSQL to
 * come up), the signing keys (ENCRYPTION_KEY checked, first key made), the
 * listening socket, then the master loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/common.h"
#include "conf/conf.h"
#include "store/store.h"
#include "keys/keys.h"
#include "daemon/daemon.h"

#define DB_WAIT_AT_START_S 30

int
settings_load_for_serve(char **envp, struct settings **out)
{
	struct conf_problems problems;
	size_t i;
	int err;

	conf_problems_init(&problems);
	err = conf_load(envp, out, &problems);
	if (err != PERR_NOMEM && *out != NULL &&
	    conf_require(*out, CONF_NEED_ENCRYPTION_KEY | CONF_NEED_DATABASE,
	    &problems) != PERR_OK)
		err = PERR_CONFIG;
	for (i = 0; i < problems.n; i++)
		log_msg(problems.v[i].severity == CONF_ERROR ? LOG_ERROR :
		    LOG_WARN, "%s", problems.v[i].message);
	if (err == PERR_OK && conf_problems_errors(&problems) > 0)
		err = PERR_CONFIG;
	conf_problems_free(&problems);
	return err;
}

/* Applies pending migrations; waits for PostgreSQL up to a limit. */
static int
migrate_at_start(const struct settings *settings)
{
	struct migrate_report report = { 0 };
	struct db *db = NULL;
	int err, waited;

	for (waited = 0;; waited++) {
		err = db_open(settings->db_connection_string, &db);
		if (err != PERR_DB_UNAVAILABLE || waited >= DB_WAIT_AT_START_S)
			break;
		if (waited == 0)
			log_warn("waiting up to %d s for PostgreSQL to accept "
			    "connections", DB_WAIT_AT_START_S);
		sleep(1);
	}
	if (err != PERR_OK) {
		log_error("cannot connect to PostgreSQL (DB_CONNECTION_STRING):"
		    " %s", perr_str(err));
		return err;
	}
	err = store_migrate(db, &store_migrations_embedded, NULL, &report);
	if (err != PERR_OK)
		log_error("database migration failed: %s", report.error != NULL ?
		    report.error : db_error_message(db));
	else if (report.n_applied > 0)
		log_info("database migrated from version %d to %d",
		    report.version_before, report.version_after);
	store_migrate_report_free(&report);
	db_close(db);
	return err;
}

/*
 * Signing keys, once, before any worker exists (src/keys/bootstrap.c): a
 * wrong ENCRYPTION_KEY stops the start here with the way out.
 */
static int
keys_at_start(const struct settings *settings)
{
	struct keys_bootstrap_report report;
	struct db *db = NULL;
	const char *why = NULL;
	int err;

	if ((err = db_open(settings->db_connection_string, &db)) != PERR_OK) {
		log_error("cannot connect to PostgreSQL (DB_CONNECTION_STRING):"
		    " %s", perr_str(err));
		return err;
	}
	err = keys_bootstrap(db, settings->encryption_key.data,
	    settings->encryption_key.len, &report, &why);
	if (err == PERR_WRONG_KEY)
		log_error("%s", keys_wrong_key_help);
	else if (err != PERR_OK)
		log_error("signing keys: %s", why != NULL ? why :
		    err == PERR_DB || err == PERR_DB_UNAVAILABLE ?
		    db_error_message(db) : perr_str(err));
	else {
		if (report.generated)
			log_info("signing keys: generated the first key %s "
			    "(%s)", report.kid, report.alg);
		if (report.adopted)
			log_info("signing keys: took over key %s (%s) from kv "
			    "jwt_private_key.json", report.kid, report.alg);
		if (report.check_written)
			log_info("signing keys: ENCRYPTION_KEY check value "
			    "written");
		log_info("signing keys: newest %s (%s), %zu published",
		    report.kid, report.alg, report.n_keys);
	}
	db_close(db);
	return err;
}

int
daemon_serve(char **envp)
{
	struct settings *settings = NULL;
	struct listener listener;
	const char *why = NULL;
	int err;

	if ((err = settings_load_for_serve(envp, &settings)) != PERR_OK) {
		log_error("not starting: fix the settings above "
		    "(\"pocket-id config check\" lists them)");
		conf_free(settings);
		return 1;
	}
	log_configure(settings->log_level, settings->log_json);
	if (migrate_at_start(settings) != PERR_OK ||
	    keys_at_start(settings) != PERR_OK) {
		conf_free(settings);
		return 1;
	}
	if (listener_open(settings, &listener, &why) != PERR_OK) {
		log_error("FCGI_LISTEN: %s", why != NULL ? why :
		    "cannot open the socket");
		conf_free(settings);
		return 1;
	}
	err = master_run(settings, envp, &listener);
	listener_close(&listener);
	return err;
}
