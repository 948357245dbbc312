/*
 * version: prints "pocket-id <version>", as Pocket ID does.
 */
#include <stdio.h>

#include "config.h"
#include "cli/cli.h"

static int
version_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("pocket-id %s\n", PACKAGE_VERSION);
	return 0;
}

const struct cli_command cmd_version = {
	"version", "", "print the version", version_run,
};
