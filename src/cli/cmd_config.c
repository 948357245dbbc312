/*
 * config: "pocket-id config check" validates the settings as serve would
 * and explains every problem; "pocket-id config dump" prints the settings
 * in effect, secrets redacted, with where each came from; "pocket-id
 * config markdown" prints the README's configuration tables. Exit status:
 * 0 fine, 1 a setting is wrong, 2 bad usage.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "conf/conf.h"

extern char **environ;

static int
config_usage(void)
{
	fprintf(stderr, "usage: pocket-id config check | dump | markdown\n");
	return 2;
}

static int
config_check(void)
{
	struct settings *s = NULL;
	size_t warnings = 0;

	if (cli_load_settings(CONF_NEED_ENCRYPTION_KEY | CONF_NEED_DATABASE,
	    &s, &warnings) != PERR_OK) {
		fprintf(stderr, "pocket-id serve would refuse to start\n");
		return 1;
	}
	printf("configuration OK%s\n", warnings > 0 ?
	    " (see the warnings above)" : "");
	conf_free(s);
	return 0;
}

static int
config_dump(void)
{
	struct conf_problems problems;
	struct settings *s = NULL;
	int rc;

	conf_problems_init(&problems);
	rc = conf_load(environ, &s, &problems);
	conf_check(&problems, stderr);
	if (s != NULL && conf_dump(s, stdout) != PERR_OK) {
		fprintf(stderr, "pocket-id: cannot write the settings\n");
		rc = PERR_IO;
	}
	conf_problems_free(&problems);
	conf_free(s);
	return rc == PERR_OK ? 0 : 1;
}

static int
config_run(int argc, char **argv)
{
	if (argc != 2)
		return config_usage();
	if (strcmp(argv[1], "check") == 0)
		return config_check();
	if (strcmp(argv[1], "dump") == 0)
		return config_dump();
	if (strcmp(argv[1], "markdown") == 0)
		return conf_write_markdown(stdout) == PERR_OK ? 0 : 1;
	return config_usage();
}

const struct cli_command cmd_config = {
	"config", "check | dump | markdown",
	"validate the settings, or print those in effect", config_run,
};
