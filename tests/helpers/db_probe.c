/*
 * db_probe: drives the store API from a script, for the end-to-end tests
 * (tests/e2e/store.test.mjs). It keeps one struct db for its whole life,
 * like a worker does, so the tests can restart PostgreSQL underneath it.
 * Reads DB_CONNECTION_STRING; one command per line on stdin:
 *   ping | begin | commit | rollback | get KEY | set KEY VALUE
 * and answers one line each: "ok", "ok VALUE", or "error <perr_str>".
 * Test tool only: not installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/store.h"

#define PROBE_LINE_MAX 4096

static int
probe_command(struct db *db, char *line, char **value)
{
	char *arg = strchr(line, ' '), *arg2 = NULL;

	*value = NULL;
	if (arg != NULL) {
		*arg++ = '\0';
		if ((arg2 = strchr(arg, ' ')) != NULL)
			*arg2++ = '\0';
	}
	if (strcmp(line, "ping") == 0)
		return db_ping(db);
	if (strcmp(line, "begin") == 0)
		return db_begin(db);
	if (strcmp(line, "commit") == 0)
		return db_commit(db);
	if (strcmp(line, "rollback") == 0)
		return db_rollback(db);
	if (strcmp(line, "get") == 0 && arg != NULL)
		return store_kv_get(db, arg, value);
	if (strcmp(line, "set") == 0 && arg2 != NULL)
		return store_kv_set(db, arg, arg2);
	return PERR_INVALID;
}

int
main(void)
{
	char line[PROBE_LINE_MAX];
	struct db *db = NULL;
	char *value;
	size_t n;
	int rc;

	log_configure(LOG_WARN, false);
	if (db_new(getenv("DB_CONNECTION_STRING"), &db) != PERR_OK)
		return 1;
	while (fgets(line, sizeof(line), stdin) != NULL) {
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		rc = probe_command(db, line, &value);
		if (rc != PERR_OK)
			printf("error %s\n", perr_str(rc));
		else if (value != NULL)
			printf("ok %s\n", value);
		else
			printf("ok\n");
		fflush(stdout);
		free(value);
	}
	db_close(db);
	return 0;
}
