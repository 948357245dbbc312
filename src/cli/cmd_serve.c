/*
 * serve: runs the service (the default command).
 */
#include "common/common.h"
#include "daemon/daemon.h"
#include "cli/cli.h"

extern char **environ;

static int
serve_run(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		log_error("serve takes no arguments; settings come from the "
		    "environment and the config file");
		return 2;
	}
	return daemon_serve(environ);
}

const struct cli_command cmd_serve = {
	"serve", "", "run the service (the default)", serve_run,
};
