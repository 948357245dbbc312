/*
 * master: supervises the workers and never parses a request. Signals are
 * blocked and taken synchronously with sigtimedwait, so there is no signal
 * handler and no global state. Worker slots belong to a generation; SIGHUP
 * starts a new generation with re-read settings and retires the old one
 * (each old worker finishes what it has, then exits).
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "common/common.h"
#include "conf/conf.h"
#include "admin/admin_config.h"
#include "daemon/daemon.h"

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 5000
#define CRASH_LOOP_LIMIT 10		/* crashes ... */
#define CRASH_LOOP_WINDOW_S 30		/* ... within this many seconds */
#define DRAIN_TIMEOUT_S 60		/* then SIGKILL */
#define SLOTS_MAX 512			/* two generations of 256 */

struct worker_slot {
	pid_t pid;		/* 0 while waiting to be (re)started */
	unsigned generation;
	bool retiring;		/* told to stop; not restarted */
	unsigned crashes_in_a_row;
	int64_t start_at_ms;	/* when to start it, if pid == 0 */
};

struct master {
	struct settings *settings;
	char **envp;
	struct listener *listener;
	struct worker_slot slots[SLOTS_MAX];
	size_t n_slots;
	unsigned generation;
	int64_t crash_times_ms[CRASH_LOOP_LIMIT];
	size_t n_crashes;
	bool crash_loop;
	int64_t retention_due_ms;	/* next audit-log cleanup, 0: now */
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
slot_start(struct master *m, struct worker_slot *slot)
{
	sigset_t none;
	pid_t pid;

	if ((pid = fork()) < 0) {
		log_error("master: fork failed: %s; retrying", strerror(errno));
		slot->start_at_ms = now_ms() + BACKOFF_MAX_MS;
		return;
	}
	if (pid == 0) {
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		worker_run(m->settings, m->listener->fd);
	}
	slot->pid = pid;
}

static void
add_generation(struct master *m)
{
	int64_t i;

	m->generation++;
	for (i = 0; i < m->settings->workers && m->n_slots < SLOTS_MAX; i++) {
		struct worker_slot *slot = &m->slots[m->n_slots++];

		memset(slot, 0, sizeof(*slot));
		slot->generation = m->generation;
		slot_start(m, slot);
	}
}

/* Records a crash; true when there were too many too quickly. */
static bool
note_crash(struct master *m)
{
	int64_t now = now_ms();

	if (m->n_crashes == CRASH_LOOP_LIMIT) {
		memmove(m->crash_times_ms, m->crash_times_ms + 1,
		    sizeof(m->crash_times_ms[0]) * (CRASH_LOOP_LIMIT - 1));
		m->n_crashes--;
	}
	m->crash_times_ms[m->n_crashes++] = now;
	return m->n_crashes == CRASH_LOOP_LIMIT &&
	    now - m->crash_times_ms[0] < CRASH_LOOP_WINDOW_S * 1000;
}

static void
remove_slot(struct master *m, size_t i)
{
	m->slots[i] = m->slots[--m->n_slots];
}

/* A worker ended: retire its slot or schedule its restart. */
static void
on_worker_exit(struct master *m, size_t i, int status)
{
	struct worker_slot *slot = &m->slots[i];
	bool planned = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	unsigned shift;

	slot->pid = 0;
	if (slot->retiring) {
		remove_slot(m, i);
		return;
	}
	if (planned) {
		slot->crashes_in_a_row = 0;
		slot->start_at_ms = now_ms();
		return;
	}
	if (WIFSIGNALED(status))
		log_error("master: worker died of signal %d; restarting",
		    WTERMSIG(status));
	else
		log_error("master: worker exited with status %d; restarting",
		    WEXITSTATUS(status));
	if (note_crash(m)) {
		log_error("master: workers crashed %d times in %d s; giving "
		    "up (see the errors above)", CRASH_LOOP_LIMIT,
		    CRASH_LOOP_WINDOW_S);
		m->crash_loop = true;
	}
	shift = slot->crashes_in_a_row < 6 ? slot->crashes_in_a_row : 6;
	slot->crashes_in_a_row++;
	slot->start_at_ms = now_ms() + (BACKOFF_FIRST_MS << shift);
	if (slot->start_at_ms - now_ms() > BACKOFF_MAX_MS)
		slot->start_at_ms = now_ms() + BACKOFF_MAX_MS;
}

static void
reap(struct master *m)
{
	pid_t pid;
	size_t i;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < m->n_slots; i++)
			if (m->slots[i].pid == pid) {
				on_worker_exit(m, i, status);
				break;
			}
	}
}

/* Starts due slots; returns ms until the next one is due (-1: none). */
static int64_t
start_due(struct master *m)
{
	int64_t now = now_ms(), next = -1, wait;
	size_t i;

	for (i = 0; i < m->n_slots; i++) {
		struct worker_slot *slot = &m->slots[i];

		if (slot->pid != 0 || slot->retiring)
			continue;
		if (slot->start_at_ms <= now) {
			slot_start(m, slot);
			continue;
		}
		wait = slot->start_at_ms - now;
		if (next < 0 || wait < next)
			next = wait;
	}
	return next;
}

static void
signal_generation(struct master *m, unsigned below_generation, int sig)
{
	size_t i;

	for (i = 0; i < m->n_slots; i++) {
		struct worker_slot *slot = &m->slots[i];

		if (slot->generation >= below_generation)
			continue;
		slot->retiring = true;
		if (slot->pid != 0)
			kill(slot->pid, sig);
	}
	/* Slots waiting for a restart have nobody to signal. */
	for (i = m->n_slots; i-- > 0;)
		if (m->slots[i].retiring && m->slots[i].pid == 0)
			remove_slot(m, i);
}

static bool
is_same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
is_same_listen(const struct conf_listen *a, const struct conf_listen *b)
{
	return a->is_unix == b->is_unix && a->port == b->port &&
	    is_same_text(a->path, b->path) && is_same_text(a->host, b->host);
}

static bool
is_same_secret(const struct conf_secret *a, const struct conf_secret *b)
{
	return a->len == b->len &&
	    (a->len == 0 || CRYPTO_memcmp(a->data, b->data, a->len) == 0);
}

/* SIGHUP: new settings, new workers, then the old ones retire. */
static void
reload(struct master *m)
{
	struct settings *fresh = NULL;

	if (settings_load_for_serve(m->envp, &fresh) != PERR_OK) {
		log_error("master: SIGHUP: the new configuration has problems "
		    "(logged above); keeping the running one");
		conf_free(fresh);
		return;
	}
	if (!is_same_secret(&fresh->encryption_key,
	    &m->settings->encryption_key)) {
		/* Workers with a key that does not open the data would have
		 * no signing keys; changing it takes encryption-key-rotate. */
		log_error("master: SIGHUP: ENCRYPTION_KEY changed; keeping the "
		    "running configuration. Run pocket-id encryption-key-rotate "
		    "and restart to change the key");
		conf_free(fresh);
		return;
	}
	if (!is_same_listen(&fresh->fcgi_listen, &m->settings->fcgi_listen))
		log_warn("master: FCGI_LISTEN changed; that takes a restart");
	/* Old workers hold a copy of the old settings (fork). */
	conf_free(m->settings);
	m->settings = fresh;
	log_configure(fresh->log_level, fresh->log_json);
	add_generation(m);
	signal_generation(m, m->generation, SIGTERM);
	log_info("master: configuration reloaded, workers rolled");
}

/* SIGTERM: no new connections, every worker drains, then we exit. */
static void
drain(struct master *m)
{
	int64_t deadline = now_ms() + DRAIN_TIMEOUT_S * 1000;
	pid_t pid;
	size_t i;
	int status;

	listener_unlink(m->listener);
	signal_generation(m, m->generation + 1, SIGTERM);
	while (m->n_slots > 0 && now_ms() < deadline) {
		pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == ECHILD)
			break;
		for (i = 0; i < m->n_slots; i++)
			if (m->slots[i].pid == pid) {
				remove_slot(m, i);
				break;
			}
	}
	for (i = 0; i < m->n_slots; i++)
		if (m->slots[i].pid != 0)
			kill(m->slots[i].pid, SIGKILL);
	while (waitpid(-1, &status, 0) > 0)
		;
}

static int
wait_for_signal(const sigset_t *set, int64_t timeout_ms)
{
	struct timespec ts = { 1, 0 };
	siginfo_t info;

	if (timeout_ms >= 0 && timeout_ms < 1000) {
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(timeout_ms * 1000000);
	}
	return sigtimedwait(set, &info, &ts);
}

int
master_run(struct settings *settings, char **envp, struct listener *l)
{
	struct master *m;
	sigset_t set;
	int sig, rc;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("master: out of memory");
	m->settings = settings;
	m->envp = envp;
	m->listener = l;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	add_generation(m);
	log_info("master: serving with %lld workers",
	    (long long)settings->workers);
	while (!m->crash_loop) {
		sig = wait_for_signal(&set, start_due(m));
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIGHUP)
			reload(m);
		reap(m);
		if (now_ms() >= m->retention_due_ms) {
			(void)audit_retention_spawn(m->settings);
			m->retention_due_ms = now_ms() +
			    (int64_t)AUDIT_RETENTION_INTERVAL_S * 1000;
		}
	}
	drain(m);
	rc = m->crash_loop ? 1 : 0;
	log_info("master: stopped");
	conf_free(m->settings);
	free(m);
	return rc;
}
