/*
 * buf: the bounded reader (struct rbuf) through which untrusted bytes are
 * read, and the growable writer (struct wbuf) that builds responses, JSON
 * and SQL parameters. Neither interprets the bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/common.h"

#define WBUF_MIN_CAP 64

void
rbuf_init(struct rbuf *r, const void *data, size_t len)
{
	r->data = data;
	r->len = len;
	r->off = 0;
}

size_t
rbuf_left(const struct rbuf *r)
{
	return r->len - r->off;
}

int
rbuf_bytes(struct rbuf *r, size_t n, const uint8_t **out)
{
	if (n > rbuf_left(r))
		return PERR_TRUNCATED;
	*out = r->data + r->off;
	r->off += n;
	return PERR_OK;
}

int
rbuf_copy(struct rbuf *r, void *out, size_t n)
{
	const uint8_t *p;
	int err;

	if ((err = rbuf_bytes(r, n, &p)) != PERR_OK)
		return err;
	if (n > 0)
		memcpy(out, p, n);
	return PERR_OK;
}

int
rbuf_u8(struct rbuf *r, uint8_t *out)
{
	return rbuf_copy(r, out, 1);
}

int
rbuf_u16be(struct rbuf *r, uint16_t *out)
{
	const uint8_t *p;
	int err;

	if ((err = rbuf_bytes(r, 2, &p)) != PERR_OK)
		return err;
	*out = (uint16_t)((p[0] << 8) | p[1]);
	return PERR_OK;
}

int
rbuf_u32be(struct rbuf *r, uint32_t *out)
{
	const uint8_t *p;
	int err;

	if ((err = rbuf_bytes(r, 4, &p)) != PERR_OK)
		return err;
	*out = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
	return PERR_OK;
}

void
wbuf_init(struct wbuf *w)
{
	memset(w, 0, sizeof(*w));
}

void
wbuf_free(struct wbuf *w)
{
	if (w->data != NULL) {
		OPENSSL_cleanse(w->data, w->cap);
		free(w->data);
	}
	wbuf_init(w);
}

void
wbuf_reset(struct wbuf *w)
{
	if (w->data != NULL) {
		OPENSSL_cleanse(w->data, w->len);
		w->data[0] = '\0';
	}
	w->len = 0;
	w->failed = false;
}

int
wbuf_error(const struct wbuf *w)
{
	return w->failed ? PERR_NOMEM : PERR_OK;
}

/* Makes room for extra more bytes plus the trailing NUL. */
static bool
wbuf_reserve(struct wbuf *w, size_t extra)
{
	size_t need, cap;
	uint8_t *grown;

	if (w->failed)
		return false;
	if (extra > SIZE_MAX / 2 - w->len) {
		w->failed = true;
		return false;
	}
	need = w->len + extra + 1;
	if (need <= w->cap)
		return true;
	cap = w->cap < WBUF_MIN_CAP ? WBUF_MIN_CAP : w->cap;
	while (cap < need)
		cap *= 2;
	/* Not realloc: the old block may hold a secret and must be wiped. */
	if ((grown = malloc(cap)) == NULL) {
		w->failed = true;
		return false;
	}
	if (w->data != NULL) {
		memcpy(grown, w->data, w->len);
		OPENSSL_cleanse(w->data, w->cap);
		free(w->data);
	}
	w->data = grown;
	w->cap = cap;
	return true;
}

void
wbuf_put(struct wbuf *w, const void *data, size_t len)
{
	if (!wbuf_reserve(w, len))
		return;
	if (len > 0)
		memcpy(w->data + w->len, data, len);
	w->len += len;
	w->data[w->len] = '\0';
}

void
wbuf_puts(struct wbuf *w, const char *s)
{
	wbuf_put(w, s, strlen(s));
}

void
wbuf_putc(struct wbuf *w, char c)
{
	wbuf_put(w, &c, 1);
}

void
wbuf_printf(struct wbuf *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		w->failed = true;
		return;
	}
	if (!wbuf_reserve(w, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf((char *)w->data + w->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	w->len += (size_t)n;
}

void
wbuf_put_json_string(struct wbuf *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	wbuf_putc(w, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': wbuf_puts(w, "\\\""); break;
		case '\\': wbuf_puts(w, "\\\\"); break;
		case '\n': wbuf_puts(w, "\\n"); break;
		case '\r': wbuf_puts(w, "\\r"); break;
		case '\t': wbuf_puts(w, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				char esc[6] = { '\\', 'u', '0', '0',
				    hex[c >> 4], hex[c & 15] };
				wbuf_put(w, esc, sizeof(esc));
			} else {
				wbuf_putc(w, (char)c);
			}
		}
	}
	wbuf_putc(w, '"');
}

char *
wbuf_steal(struct wbuf *w, size_t *len)
{
	char *out;

	if (w->failed || !wbuf_reserve(w, 0)) {
		wbuf_free(w);
		return NULL;
	}
	w->data[w->len] = '\0';
	out = (char *)w->data;
	if (len != NULL)
		*len = w->len;
	wbuf_init(w);
	return out;
}
