/*
 * listen: opens the FastCGI socket the master shares with its workers:
 * a unix socket (created with the configured mode and group), a TCP
 * address, or a socket handed over by systemd. Never accepts on it.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "conf/conf.h"
#include "daemon/daemon.h"

#define LISTEN_BACKLOG 1024
#define SYSTEMD_FIRST_FD 3

static int
set_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return PERR_IO;
	return PERR_OK;
}

/* systemd socket activation: LISTEN_PID is us and LISTEN_FDS >= 1. */
static bool
take_systemd_socket(struct listener *out)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	int64_t pid_value, n_fds;

	if (pid == NULL || fds == NULL ||
	    str_to_int64(pid, 1, INT32_MAX, &pid_value) != PERR_OK ||
	    str_to_int64(fds, 1, 64, &n_fds) != PERR_OK ||
	    (pid_t)pid_value != getpid())
		return false;
	out->fd = SYSTEMD_FIRST_FD;
	return true;
}

static int
apply_group(const char *path, const char *group, const char **why)
{
	struct group *gr;

	if (group == NULL || group[0] == '\0')
		return PERR_OK;
	if ((gr = getgrnam(group)) == NULL) {
		*why = "FCGI_SOCKET_GROUP names a group that does not exist";
		return PERR_CONFIG;
	}
	if (chown(path, (uid_t)-1, gr->gr_gid) != 0) {
		*why = "cannot give the socket to FCGI_SOCKET_GROUP "
		    "(run as root or as a member of that group)";
		return PERR_IO;
	}
	return PERR_OK;
}

static int
open_unix(const char *path, const struct settings *settings,
    struct listener *out, const char **why)
{
	struct sockaddr_un addr;
	struct stat st;
	mode_t old_mask;
	int fd, rc;

	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	if (path[0] != '/' || strlen(path) >= sizeof(addr.sun_path)) {
		*why = "FCGI_LISTEN unix: path must be absolute and shorter "
		    "than 108 bytes, e.g. unix:/run/pocket-id/fcgi.sock";
		return PERR_CONFIG;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	/* A socket left behind by a previous run is ours to replace. */
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		(void)unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		*why = "cannot create a unix socket";
		return PERR_IO;
	}
	old_mask = umask(0777 & ~(mode_t)settings->fcgi_socket_mode);
	rc = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old_mask);
	if (rc != 0) {
		*why = "cannot bind FCGI_LISTEN's unix socket (does its "
		    "directory exist and is it writable?)";
		close(fd);
		return PERR_IO;
	}
	if (chmod(path, (mode_t)settings->fcgi_socket_mode) != 0 ||
	    apply_group(path, settings->fcgi_socket_group, why) != PERR_OK) {
		if (*why == NULL)
			*why = "cannot set FCGI_SOCKET_MODE on the socket";
		close(fd);
		(void)unlink(path);
		return PERR_IO;
	}
	out->fd = fd;
	if ((out->unix_path = str_dup(path)) == NULL) {
		close(fd);
		return PERR_NOMEM;
	}
	return PERR_OK;
}

static int
open_tcp(const struct conf_listen *spec, struct listener *out,
    const char **why)
{
	struct addrinfo hints, *found = NULL;
	char port[8];
	int fd = -1, one = 1, err = PERR_IO;

	snprintf(port, sizeof(port), "%u", (unsigned)spec->port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if (getaddrinfo(spec->host[0] != '\0' ? spec->host : NULL, port,
	    &hints, &found) != 0) {
		*why = "FCGI_LISTEN's host or port cannot be resolved";
		err = PERR_CONFIG;
		goto out;
	}
	if ((fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC,
	    0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, found->ai_addr, found->ai_addrlen) != 0) {
		*why = "cannot bind FCGI_LISTEN's address (in use?)";
		goto out;
	}
	out->fd = fd;
	fd = -1;
	err = PERR_OK;
out:
	if (fd >= 0)
		close(fd);
	if (found != NULL)
		freeaddrinfo(found);
	return err;
}

int
listener_open(const struct settings *settings, struct listener *out,
    const char **why)
{
	const struct conf_listen *spec = &settings->fcgi_listen;
	int err;

	out->fd = -1;
	out->unix_path = NULL;
	*why = NULL;
	if (take_systemd_socket(out))
		return set_nonblocking(out->fd);
	if (spec->is_unix)
		err = open_unix(spec->path, settings, out, why);
	else
		err = open_tcp(spec, out, why);
	if (err != PERR_OK)
		return err;
	if (listen(out->fd, LISTEN_BACKLOG) != 0 ||
	    set_nonblocking(out->fd) != PERR_OK) {
		*why = "cannot listen on FCGI_LISTEN";
		listener_close(out);
		return PERR_IO;
	}
	return PERR_OK;
}

void
listener_unlink(struct listener *l)
{
	if (l->unix_path != NULL)
		(void)unlink(l->unix_path);
	free(l->unix_path);
	l->unix_path = NULL;
}

void
listener_close(struct listener *l)
{
	listener_unlink(l);
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}
