/*
 * common: the error currency, logging, bounded byte readers and growable
 * buffers that every other module uses. Nothing here knows about HTTP,
 * PostgreSQL or any protocol; nothing here reads configuration.
 */
#ifndef POCKETID_COMMON_H
#define POCKETID_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The one error enum. 0 is success, every failure is negative. Lower layers
 * return these; only the HTTP edge maps them to statuses (one table there).
 */
enum perr {
	PERR_OK = 0,
	PERR_NOMEM = -1,	/* allocation failed */
	PERR_INVALID = -2,	/* malformed input */
	PERR_TOO_LARGE = -3,	/* input over a named limit */
	PERR_TRUNCATED = -4,	/* input ended early */
	PERR_UNSUPPORTED = -5,	/* well-formed but not supported (alg, fmt) */
	PERR_VERIFY = -6,	/* a signature or check did not verify */
	PERR_EXPIRED = -7,	/* outside its validity window */
	PERR_NOT_FOUND = -8,
	PERR_CONFLICT = -9,	/* already exists / already used */
	PERR_CRYPTO = -10,	/* the crypto library failed */
	PERR_IO = -11,		/* a system call failed */
	PERR_DB_UNAVAILABLE = -12, /* PostgreSQL cannot be reached */
	PERR_DB = -13,		/* PostgreSQL answered with an error */
	PERR_CONFIG = -14,	/* a setting is wrong */
	PERR_FORBIDDEN = -15,	/* the caller may not do this */
	PERR_INTERNAL = -16,	/* a broken invariant */
	PERR_WRONG_KEY = -17,	/* sealed data does not open with this key */
};

/* A short static English sentence for err; never NULL. */
const char *perr_str(int err);

/*
 * Logging to stderr, one line per call. The request id, when set with
 * log_set_request_id(), is added to every line until cleared with NULL.
 * LOG_JSON switches to one JSON object per line. Never pass a secret.
 */
enum log_level { LOG_DEBUG = 0, LOG_INFO = 1, LOG_WARN = 2, LOG_ERROR = 3 };
void log_configure(enum log_level min_level, bool as_json);
void log_set_request_id(const char *request_id);
void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
/* Log at error level and exit(1). Start-up and broken invariants only. */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/*
 * A bounded reader over bytes it does not own. Every read checks the
 * remaining length first and returns PERR_TRUNCATED instead of reading past
 * the end; a failed read leaves the cursor where it was.
 */
struct rbuf {
	const uint8_t *data;
	size_t len;
	size_t off;
};
void rbuf_init(struct rbuf *r, const void *data, size_t len);
size_t rbuf_left(const struct rbuf *r);
int rbuf_u8(struct rbuf *r, uint8_t *out);
int rbuf_u16be(struct rbuf *r, uint16_t *out);
int rbuf_u32be(struct rbuf *r, uint32_t *out);
/* Points *out at the next n bytes (no copy) and advances. */
int rbuf_bytes(struct rbuf *r, size_t n, const uint8_t **out);
/* Copies the next n bytes into out (caller sized it to n) and advances. */
int rbuf_copy(struct rbuf *r, void *out, size_t n);

/*
 * A growable byte buffer that owns its memory and keeps a NUL after the
 * last byte, so text can be used as a C string. wbuf_free wipes before
 * freeing. On allocation failure the buffer is marked failed, later appends
 * are ignored, and wbuf_error() returns PERR_NOMEM.
 */
struct wbuf {
	uint8_t *data;
	size_t len;
	size_t cap;
	bool failed;
};
void wbuf_init(struct wbuf *w);
void wbuf_free(struct wbuf *w);
void wbuf_reset(struct wbuf *w);
int wbuf_error(const struct wbuf *w);
void wbuf_put(struct wbuf *w, const void *data, size_t len);
void wbuf_puts(struct wbuf *w, const char *s);
void wbuf_putc(struct wbuf *w, char c);
void wbuf_printf(struct wbuf *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal, quotes included. */
void wbuf_put_json_string(struct wbuf *w, const char *s, size_t len);
/* Hands the bytes to the caller (NUL-terminated; free()) and resets w. */
char *wbuf_steal(struct wbuf *w, size_t *len);

/* Strings. */
/* Parses a base-10 integer in [min, max]; whole string, no blanks. */
int str_to_int64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Duplicates s (or n bytes of s); NULL on allocation failure. */
char *str_dup(const char *s);
char *str_ndup(const char *s, size_t n);
bool str_eq_ci(const char *a, const char *b);
bool str_has_prefix(const char *s, const char *prefix);
/* True when the n bytes are valid UTF-8 without NUL bytes. */
bool str_is_utf8(const char *s, size_t n);
/* True for a UUID in text form (8-4-4-4-12 hex digits, any version). */
bool str_is_uuid(const char *s);
/* Frees s after wiping it; accepts NULL. For strings that held secrets. */
void str_free_secret(char *s);

#endif
