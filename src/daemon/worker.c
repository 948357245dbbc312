/*
 * worker: one prefork worker. It waits on the shared FastCGI socket and a
 * signalfd, serves one request at a time through the dispatcher, and
 * exits when told to stop (after draining connections already queued on
 * the socket) or after WORKER_MAX_REQUESTS. It holds no state another
 * worker needs, so losing it loses at most the request in flight.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "common/common.h"
#include "conf/conf.h"
#include "store/store.h"
#include "keys/keys.h"
#include "http/http.h"
#include "http/fcgi.h"
#include "app/app.h"
#include "admin/admin_config.h"
#include "daemon/daemon.h"

/* No core files and no ptrace from other users: workers hold secrets. */
static void
worker_harden(void)
{
	struct rlimit no_core = { 0, 0 };

	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	(void)setrlimit(RLIMIT_CORE, &no_core);
}

/* SIGTERM and SIGINT arrive through a signalfd the loop polls. */
static int
worker_signal_fd(void)
{
	sigset_t stop;
	int fd;

	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if (sigprocmask(SIG_BLOCK, &stop, NULL) != 0 ||
	    (fd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		fatal("worker: cannot set up signal handling");
	return fd;
}

static bool
is_trusted_proxy(const void *ctx, const char *ip)
{
	const struct settings *settings = ctx;

	return cidr_list_contains(&settings->trust_proxy, ip);
}

/* Bad requests get 400 or 413; the reason was logged once by the caller. */
static void
answer_bad_request(struct http_response *res, const struct http_request *req,
    int err, const char *why)
{
	if (err == PERR_NOMEM)
		http_response_perr(res, req, PERR_INTERNAL, NULL);
	else
		http_response_perr(res, req, err == PERR_TOO_LARGE ?
		    PERR_TOO_LARGE : PERR_INVALID, why);
}

static void
worker_serve_one(FCGX_Request *fr, struct app_ctx *app)
{
	struct http_request req;
	struct http_response res;
	struct app_call call;
	struct wbuf out;
	const char *why = NULL;
	int err;

	memset(&call, 0, sizeof(call));
	call.req = &req;
	call.res = &res;
	call.app = app;
	http_response_init(&res);
	wbuf_init(&out);
	err = http_request_init(&req, fr->envp, is_trusted_proxy,
	    app->settings, &why);
	if (err == PERR_OK)
		err = http_fcgi_read_body(fr, &req, &why);
	log_set_request_id(req.request_id);
	if (err != PERR_OK) {
		log_warn("refused request from %s: %s", req.client_ip,
		    why != NULL ? why : perr_str(err));
		answer_bad_request(&res, &req, err, why);
	} else {
		app_dispatch(&call);
	}
	http_response_render(&res, &req, &out);
	if (wbuf_error(&out) != PERR_OK)
		log_error("out of memory rendering a response");
	else if (http_fcgi_write(fr, &out) != PERR_OK)
		log_info("client went away before the response was sent");
	log_debug("%s %s -> %d", req.method != NULL ? req.method : "-",
	    req.path != NULL ? req.path : "-", res.status);
	log_set_request_id(NULL);
	wbuf_free(&out);
	http_response_clear(&res);
	http_request_clear(&req);
}

/*
 * Waits until the socket has a connection (true) or the worker should
 * exit (false). Once a stop signal arrived, only connections already
 * queued are served: the poll no longer blocks.
 */
static bool
worker_wait(int listen_fd, int signal_fd, bool *stopping)
{
	struct pollfd fds[2] = {
		{ listen_fd, POLLIN, 0 },
		{ signal_fd, POLLIN, 0 },
	};
	struct signalfd_siginfo info;
	int n;

	for (;;) {
		n = poll(fds, 2, *stopping ? 0 : -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fatal("worker: poll failed: %s", strerror(errno));
		if (fds[1].revents & POLLIN) {
			while (read(signal_fd, &info, sizeof(info)) > 0)
				;
			*stopping = true;
		}
		if (fds[0].revents & POLLIN)
			return true;
		if (*stopping)
			return false;
	}
}

void
worker_run(const struct settings *settings, int listen_fd)
{
	struct app_ctx app = { settings, NULL, NULL, NULL };
	FCGX_Request fr;
	uint64_t served = 0;
	bool stopping = false;
	int signal_fd;

	worker_harden();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal_fd = worker_signal_fd();
	/* Connects on first use, so a worker serves while PostgreSQL is
	 * down: /healthz then says 503 and every request retries. */
	if (db_new(settings->db_connection_string, &app.db) != PERR_OK)
		fatal("worker: cannot set up the database connection");
	/* Signing keys: loaded now if PostgreSQL answers, else on a later
	 * request; kept current before each request (src/keys/ring.c). */
	if (keys_ring_new(settings->encryption_key.data,
	    settings->encryption_key.len, &app.keys) != PERR_OK)
		fatal("worker: cannot set up the signing keys");
	(void)keys_ring_refresh(app.keys, app.db, (int64_t)time(NULL));
	/* A missing or broken GeoLite2 file only costs audit locations. */
	if (geo_db_new(settings->geolite_db_path, &app.geo) != PERR_OK)
		fatal("worker: cannot set up the GeoLite2 database");
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, listen_fd, 0) != 0)
		fatal("worker: cannot initialise libfcgi");
	while (worker_wait(listen_fd, signal_fd, &stopping)) {
		/* Another worker may have taken the connection: EAGAIN. */
		if (FCGX_Accept_r(&fr) < 0)
			continue;
		(void)keys_ring_refresh(app.keys, app.db, (int64_t)time(NULL));
		worker_serve_one(&fr, &app);
		FCGX_Finish_r(&fr);
		served++;
		if (settings->worker_max_requests > 0 &&
		    served >= (uint64_t)settings->worker_max_requests) {
			log_debug("worker: recycling after %llu requests",
			    (unsigned long long)served);
			break;
		}
	}
	FCGX_Free(&fr, 1);
	keys_ring_free(app.keys);
	geo_db_free(app.geo);
	db_close(app.db);
	close(signal_fd);
	exit(0);
}
