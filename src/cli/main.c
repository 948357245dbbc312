/*
 * main: picks the subcommand. Nothing else lives here.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "version") == 0) {
		printf("pocket-id %s\n", PACKAGE_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: pocket-id version\n");
	return 2;
}
