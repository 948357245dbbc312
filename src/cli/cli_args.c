/*
 * cli_args: what the commands that change things share: option values in
 * the forms Pocket ID's CLI accepts (-a X, -aX, --alg X, --alg=X), a
 * confirmation prompt that only a terminal can answer, and the database
 * brought up to date first, as "serve" would.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "conf/conf.h"
#include "store/store.h"
#include "cli/cli.h"

const char *
cli_option_value(int argc, char **argv, int *i, const char *short_name,
    const char *long_name)
{
	const char *arg = argv[*i];
	size_t n;

	if (short_name != NULL && strcmp(arg, short_name) == 0)
		return *i + 1 < argc ? argv[++*i] : NULL;
	if (short_name != NULL && strlen(short_name) == 2 &&
	    strncmp(arg, short_name, 2) == 0 && arg[2] != '\0')
		return arg + 2;
	n = strlen(long_name);
	if (strncmp(arg, long_name, n) != 0)
		return NULL;
	if (arg[n] == '=')
		return arg + n + 1;
	if (arg[n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

bool
cli_confirm(const char *command, const char *warning, bool yes)
{
	char line[16];

	if (yes)
		return true;
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "pocket-id %s: %s\nnot on a terminal: pass -y "
		    "(--yes) to go ahead\n", command, warning);
		return false;
	}
	printf("%s\nContinue? [y/N] ", warning);
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	if (strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 ||
	    str_eq_ci(line, "yes"))
		return true;
	printf("Aborted\n");
	return false;
}

int
cli_open_migrated(const char *command, const struct settings *settings,
    struct db **out)
{
	struct migrate_report report = { 0, 0, 0, 0, 0, NULL };
	int rc;

	*out = NULL;
	if ((rc = db_open(settings->db_connection_string, out)) != PERR_OK) {
		fprintf(stderr, "pocket-id %s: cannot connect to PostgreSQL "
		    "(DB_CONNECTION_STRING): %s\n", command, perr_str(rc));
		return rc;
	}
	rc = store_migrate(*out, &store_migrations_embedded, NULL, &report);
	if (rc != PERR_OK)
		fprintf(stderr, "pocket-id %s: database migration failed: %s\n",
		    command, report.error != NULL ? report.error :
		    db_error_message(*out));
	else if (report.n_applied > 0)
		printf("database migrated from version %d to %d\n",
		    report.version_before, report.version_after);
	store_migrate_report_free(&report);
	if (rc != PERR_OK) {
		db_close(*out);
		*out = NULL;
	}
	return rc;
}
