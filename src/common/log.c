/*
 * log: one line per message on stderr, plain or JSON (LOG_JSON). Holds the
 * current request id so every line of a request can be found together. It
 * must never be handed a secret: callers log ids and hashes, not tokens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/common.h"

#define LOG_LINE_MAX 2048
#define REQUEST_ID_MAX 64

/* Process-wide logging state: set at start-up and per request. */
static struct {
	enum log_level min_level;
	bool as_json;
	char request_id[REQUEST_ID_MAX + 1];
} log_state = { LOG_INFO, false, "" };

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void
log_configure(enum log_level min_level, bool as_json)
{
	log_state.min_level = min_level;
	log_state.as_json = as_json;
}

void
log_set_request_id(const char *request_id)
{
	size_t n;

	if (request_id == NULL) {
		log_state.request_id[0] = '\0';
		return;
	}
	n = strnlen(request_id, REQUEST_ID_MAX);
	memcpy(log_state.request_id, request_id, n);
	log_state.request_id[n] = '\0';
}

static void log_write(enum log_level level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
log_write(enum log_level level, const char *fmt, va_list ap)
{
	char message[LOG_LINE_MAX];
	char stamp[32];
	struct wbuf line;
	struct tm tm;
	time_t now = time(NULL);
	size_t i;

	vsnprintf(message, sizeof(message), fmt, ap);
	/* One event, one line: fold control characters. */
	for (i = 0; message[i] != '\0'; i++)
		if ((unsigned char)message[i] < 0x20)
			message[i] = ' ';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);

	wbuf_init(&line);
	if (log_state.as_json) {
		wbuf_printf(&line, "{\"time\":\"%s\",\"level\":\"%s\","
		    "\"pid\":%ld,", stamp, level_names[level], (long)getpid());
		if (log_state.request_id[0] != '\0') {
			wbuf_puts(&line, "\"request_id\":");
			wbuf_put_json_string(&line, log_state.request_id,
			    strlen(log_state.request_id));
			wbuf_putc(&line, ',');
		}
		wbuf_puts(&line, "\"msg\":");
		wbuf_put_json_string(&line, message, strlen(message));
		wbuf_puts(&line, "}\n");
	} else {
		wbuf_printf(&line, "%s %-5s [%ld]%s%s %s\n", stamp,
		    level_names[level], (long)getpid(),
		    log_state.request_id[0] != '\0' ? " req=" : "",
		    log_state.request_id, message);
	}
	if (wbuf_error(&line) == PERR_OK)
		(void)!write(STDERR_FILENO, line.data, line.len);
	wbuf_free(&line);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level < log_state.min_level)
		return;
	va_start(ap, fmt);
	log_write(level, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write(LOG_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}
