/*
 * one-time-access-token: creates a one-hour login code for a user, named
 * by username or email, and prints the link APP_URL/lc/<code>. It talks to
 * PostgreSQL directly, so it works while the service is stopped (the way
 * back in for an admin who lost their passkeys).
 */
#include <stdio.h>
#include <stdlib.h>

#include "common/common.h"
#include "conf/conf.h"
#include "store/store.h"
#include "auth/auth.h"
#include "cli/cli.h"

#define CLI_LOGIN_CODE_TTL_S 3600

static int
one_time_access_token_run(int argc, char **argv)
{
	char user_id[STORE_ID_LEN + 1];
	struct settings *settings = NULL;
	struct db *db = NULL;
	char *code = NULL;
	int rc, status = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: pocket-id one-time-access-token "
		    "<username or email>\n");
		return 2;
	}
	if (cli_load_settings(CONF_NEED_DATABASE, &settings, NULL) != PERR_OK)
		return 1;
	if ((rc = db_open(settings->db_connection_string, &db)) != PERR_OK) {
		fprintf(stderr, "pocket-id: cannot connect to PostgreSQL: %s\n",
		    perr_str(rc));
		goto out;
	}
	rc = store_user_find_login(db, argv[1], user_id);
	if (rc == PERR_NOT_FOUND) {
		fprintf(stderr, "pocket-id: no user has the username or email "
		    "\"%s\"\n", argv[1]);
		goto out;
	}
	if (rc != PERR_OK || (rc = auth_login_code_create(db, user_id,
	    CLI_LOGIN_CODE_TTL_S, NULL, &code)) != PERR_OK) {
		fprintf(stderr, "pocket-id: %s: %s\n", perr_str(rc),
		    db_error_message(db));
		goto out;
	}
	printf("%s/lc/%s\n", settings->app_url, code);
	fprintf(stderr, "The link signs in once and expires in one hour.\n");
	status = 0;
out:
	str_free_secret(code);
	db_close(db);
	conf_free(settings);
	return status;
}

const struct cli_command cmd_one_time_access_token = {
	"one-time-access-token", "<username or email>",
	"print a one-hour sign-in link for a user", one_time_access_token_run,
};
