/*
 * cli_settings: how every command that needs settings gets them: load from
 * the environment and the config file, check what the command needs, and
 * print every problem to stderr.
 */
#include <stdio.h>

#include "common/common.h"
#include "conf/conf.h"
#include "cli/cli.h"

extern char **environ;

int
cli_load_settings(unsigned needs, struct settings **out, size_t *n_warnings)
{
	struct conf_problems problems;
	size_t errors, i;
	int rc;

	*out = NULL;
	conf_problems_init(&problems);
	rc = conf_load(environ, out, &problems);
	if (*out != NULL && needs != 0)
		conf_require(*out, needs, &problems);
	errors = conf_check(&problems, stderr);
	if (rc == PERR_NOMEM)
		errors++;
	if (n_warnings != NULL)
		for (*n_warnings = 0, i = 0; i < problems.n; i++)
			if (problems.v[i].severity == CONF_WARNING)
				(*n_warnings)++;
	conf_problems_free(&problems);
	if (errors == 0)
		return PERR_OK;
	conf_free(*out);
	*out = NULL;
	return PERR_CONFIG;
}
