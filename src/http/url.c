/*
 * url: percent-decoding, query-string lookup and route-pattern matching.
 * Decoded text is always valid UTF-8 without NUL bytes, so later code can
 * treat it as a C string.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "http/http.h"

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
http_percent_decode(const char *s, size_t len, bool plus_is_space, int *err)
{
	char *out;
	size_t i, o = 0;
	int hi, lo;

	if ((out = malloc(len + 1)) == NULL) {
		*err = PERR_NOMEM;
		return NULL;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			if (len - i < 3 || (hi = hex_value(s[i + 1])) < 0 ||
			    (lo = hex_value(s[i + 2])) < 0 || hi + lo == 0)
				goto invalid;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+' && plus_is_space) {
			out[o++] = ' ';
		} else if (s[i] == '\0') {
			goto invalid;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	if (!str_is_utf8(out, o))
		goto invalid;
	*err = PERR_OK;
	return out;
invalid:
	free(out);
	*err = PERR_INVALID;
	return NULL;
}

/* The first value of name in application/x-www-form-urlencoded text. */
static char *
urlencoded_get(const char *text, const char *name, int *err)
{
	const char *p = text, *amp, *eq;
	size_t name_len = strlen(name), pair_len;
	char *key, *value;

	*err = PERR_OK;
	while (*p != '\0') {
		amp = strchr(p, '&');
		pair_len = amp != NULL ? (size_t)(amp - p) : strlen(p);
		eq = memchr(p, '=', pair_len);
		key = http_percent_decode(p, eq != NULL ? (size_t)(eq - p) :
		    pair_len, true, err);
		if (key == NULL)
			return NULL;
		if (strlen(key) == name_len && memcmp(key, name, name_len) ==
		    0) {
			free(key);
			if (eq == NULL)
				return http_percent_decode("", 0, true, err);
			value = http_percent_decode(eq + 1,
			    pair_len - (size_t)(eq + 1 - p), true, err);
			return value;
		}
		free(key);
		p += pair_len;
		if (*p == '&')
			p++;
	}
	return NULL;
}

/* Length of the path segment starting at s (up to '/' or the end). */
static size_t
segment_length(const char *s)
{
	const char *slash = strchr(s, '/');

	return slash != NULL ? (size_t)(slash - s) : strlen(s);
}

bool
http_route_match(struct http_request *req, const char *pattern)
{
	const char *p = pattern, *s = req->path;
	struct http_route_param found[HTTP_ROUTE_PARAMS_MAX];
	size_t n_found = 0, plen, slen, i;

	while (*p != '\0' && *s != '\0') {
		if (*p != '/' || *s != '/')
			goto no_match;
		p++;
		s++;
		plen = segment_length(p);
		slen = segment_length(s);
		if (*p == ':') {
			if (slen == 0 || n_found == HTTP_ROUTE_PARAMS_MAX)
				goto no_match;
			/* The name is the pattern text after ':'; static. */
			found[n_found].name = p + 1;
			found[n_found].name_len = plen - 1;
			if ((found[n_found].value = str_ndup(s, slen)) == NULL)
				goto no_match;
			n_found++;
		} else if (plen != slen || memcmp(p, s, plen) != 0) {
			goto no_match;
		}
		p += plen;
		s += slen;
	}
	if (*p != '\0' || *s != '\0')
		goto no_match;
	for (i = 0; i < req->n_route_params; i++)
		free(req->route_params[i].value);
	memcpy(req->route_params, found, sizeof(found[0]) * n_found);
	req->n_route_params = n_found;
	return true;
no_match:
	for (i = 0; i < n_found; i++)
		free(found[i].value);
	return false;
}

char *
http_query_get(const struct http_request *req, const char *name, int *err)
{
	return urlencoded_get(req->query, name, err);
}

char *
http_form_get(const struct http_request *req, const char *name, int *err)
{
	const char *type = http_param(req, "CONTENT_TYPE");

	*err = PERR_OK;
	if (req->body == NULL || type == NULL ||
	    strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0)
		return NULL;
	return urlencoded_get((const char *)req->body, name, err);
}

void
http_url_encode(struct wbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			wbuf_putc(out, (char)c);
		} else {
			wbuf_putc(out, '%');
			wbuf_putc(out, hex[c >> 4]);
			wbuf_putc(out, hex[c & 15]);
		}
	}
}

/* True when some key occurs twice in application/x-www-form-urlencoded
 * text (compared as written; decoding cannot merge two valid keys). */
static bool
urlencoded_has_duplicates(const char *text)
{
	const char *p, *q, *amp, *amp2;
	size_t n, n2;

	for (p = text; p != NULL && *p != '\0'; p = amp != NULL ? amp + 1 :
	    NULL) {
		amp = strchr(p, '&');
		n = strcspn(p, "=&");
		if (n == 0)
			continue;
		for (q = amp != NULL ? amp + 1 : NULL; q != NULL && *q != '\0';
		    q = amp2 != NULL ? amp2 + 1 : NULL) {
			amp2 = strchr(q, '&');
			n2 = strcspn(q, "=&");
			if (n2 == n && memcmp(p, q, n) == 0)
				return true;
		}
	}
	return false;
}

bool
http_params_have_duplicates(const struct http_request *req)
{
	const char *type = http_param(req, "CONTENT_TYPE");

	if (urlencoded_has_duplicates(req->query))
		return true;
	return req->body != NULL && type != NULL &&
	    strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0 &&
	    urlencoded_has_duplicates((const char *)req->body);
}
