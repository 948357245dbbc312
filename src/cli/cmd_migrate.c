/*
 * migrate: applies the pending database migrations and says what it did.
 * By default the migrations compiled into the binary; --dir reads
 * NNNN_name.sql files from a directory instead (for developers and
 * tests). --check applies nothing and reports what is pending.
 * Exit status: 0 done (or, with --check, nothing pending), 1 error,
 * 2 usage, 3 (--check) migrations pending.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "conf/conf.h"
#include "cli/cli.h"
#include "store/store.h"

#define MIGRATE_EXIT_PENDING 3

static int
migrate_usage(void)
{
	fprintf(stderr, "usage: pocket-id migrate [--dir DIR] [--check]\n");
	return 2;
}

static void
migrate_print(const struct migration_set *set,
    const struct migrate_report *r, bool check_only)
{
	size_t i;

	for (i = r->first; i < r->first + r->n_applied && i < set->n; i++)
		printf("%s %s\n", check_only ? "pending" : "applied",
		    set->items[i].file);
	if (r->error != NULL)
		return;
	if (r->n_applied == 0)
		printf("database at version %d: up to date, nothing to do\n",
		    r->version_after);
	else if (check_only)
		printf("database at version %d: %zu migration%s pending "
		    "(up to version %d)\n", r->version_after, r->n_applied,
		    r->n_applied == 1 ? "" : "s", r->version_known);
	else
		printf("database at version %d: %zu migration%s applied\n",
		    r->version_after, r->n_applied,
		    r->n_applied == 1 ? "" : "s");
}

static int
migrate_run(int argc, char **argv)
{
	struct migrate_options opt = { false };
	struct migrate_report report = { 0, 0, 0, 0, 0, NULL };
	const struct migration_set *set = &store_migrations_embedded;
	struct migration_set *loaded = NULL;
	struct db *db = NULL;
	struct settings *settings = NULL;
	const char *dir = NULL;
	char *why = NULL;
	int i, rc, status = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--check") == 0)
			opt.check_only = true;
		else
			return migrate_usage();
	}
	if (cli_load_settings(CONF_NEED_DATABASE, &settings, NULL) != PERR_OK)
		return 1;
	if (dir != NULL) {
		if (store_migrations_load_dir(dir, &loaded, &why) != PERR_OK) {
			fprintf(stderr, "pocket-id migrate: %s\n",
			    why != NULL ? why : "out of memory");
			goto out;
		}
		set = loaded;
	}
	if ((rc = db_open(settings->db_connection_string, &db)) != PERR_OK) {
		fprintf(stderr, "pocket-id migrate: %s\n", perr_str(rc));
		goto out;
	}
	rc = store_migrate(db, set, &opt, &report);
	migrate_print(set, &report, opt.check_only);
	if (rc != PERR_OK) {
		fprintf(stderr, "pocket-id migrate: %s\n",
		    report.error != NULL ? report.error : perr_str(rc));
		goto out;
	}
	status = opt.check_only && report.n_applied > 0 ?
	    MIGRATE_EXIT_PENDING : 0;
out:
	store_migrate_report_free(&report);
	db_close(db);
	store_migrations_free(loaded);
	conf_free(settings);
	free(why);
	return status;
}

const struct cli_command cmd_migrate = {
	"migrate", "[--dir DIR] [--check]",
	"apply pending database migrations", migrate_run,
};
