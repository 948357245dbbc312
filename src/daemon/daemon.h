/*
 * daemon: the process model of "pocket-id serve" (DESIGN §1). A master that
 * never parses a request opens the FastCGI socket and supervises WORKERS
 * prefork workers; each worker serves one request at a time with its own
 * PostgreSQL connection. The master respawns crashed workers with backoff,
 * stops on a crash loop, recycles workers after WORKER_MAX_REQUESTS, rolls
 * them on SIGHUP with re-read settings, and drains on SIGTERM.
 */
#ifndef POCKETID_DAEMON_H
#define POCKETID_DAEMON_H

#include <stdbool.h>

struct settings;

/* The FastCGI listening socket. */
struct listener {
	int fd;
	char *unix_path;	/* set when we created a unix socket */
};

/*
 * Opens what FCGI_LISTEN names: "unix:/path" (mode and group applied) or
 * "host:port" / "[v6]:port"; a socket passed by systemd (LISTEN_FDS) wins.
 * The socket is non-blocking. On error *why says what to fix.
 */
int listener_open(const struct settings *settings, struct listener *out,
    const char **why);
/* Stops new connections reaching us (unlinks a unix socket path). */
void listener_unlink(struct listener *l);
void listener_close(struct listener *l);

/*
 * "pocket-id serve": settings, migrations, socket, master. Returns the exit
 * status.
 */
int daemon_serve(char **envp);

/*
 * Loads the settings from envp and the config file for "serve": every
 * problem is logged; PERR_CONFIG when one is an error (then *out, if set,
 * is still the caller's to conf_free).
 */
int settings_load_for_serve(char **envp, struct settings **out);

/*
 * Runs one worker until it is told to stop or has served its quota, then
 * exits the process. Never returns.
 */
void worker_run(const struct settings *settings, int listen_fd)
    __attribute__((noreturn));

/*
 * Runs the master: forks the workers and supervises them until SIGTERM or
 * SIGINT (returns 0 after the drain) or a crash loop (returns 1).
 * envp is the environment, re-read with the config file on SIGHUP.
 * Takes ownership of settings.
 */
int master_run(struct settings *settings, char **envp, struct listener *l);

#endif
