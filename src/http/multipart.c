/*
 * multipart: a strict reader of multipart/form-data bodies (RFC 7578 over
 * RFC 2046 §5.1), enough for uploads: find one named field, its filename
 * and its content type. Pure: bytes in, a part pointing into them out.
 * Every byte is read through struct rbuf; every size has a named limit
 * (http.h). It never decodes Content-Transfer-Encoding (RFC 7578 §4.7
 * deprecates it; such a part is refused) and never trusts filename beyond
 * reporting it.
 */
#include "config.h"	/* _GNU_SOURCE: memmem */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "http/http.h"

void
http_multipart_part_clear(struct http_multipart_part *part)
{
	free(part->filename);
	free(part->content_type);
	memset(part, 0, sizeof(*part));
}

static bool
is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 2046 §5.1.1 bcharsnospace, plus space. */
static bool
is_bchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("'()+_,-./:=? ", c) != NULL);
}

static void
skip_ows(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/*
 * Reads one "; name=value" parameter at *p (value a token or a
 * quoted-string with backslash escapes) into new strings. PERR_NOT_FOUND
 * at the end of the text.
 */
static int
read_param(const char **p, char **name, char **value)
{
	const char *s = *p, *start;
	struct wbuf v;
	size_t n;

	*name = *value = NULL;
	skip_ows(&s);
	if (*s == '\0')
		return PERR_NOT_FOUND;
	if (*s++ != ';')
		return PERR_INVALID;
	skip_ows(&s);
	for (start = s; is_tchar((unsigned char)*s); s++)
		;
	if ((n = (size_t)(s - start)) == 0 || *s++ != '=')
		return PERR_INVALID;
	if ((*name = str_ndup(start, n)) == NULL)
		return PERR_NOMEM;
	wbuf_init(&v);
	wbuf_putc(&v, 'x');	/* so that an empty value still has data */
	if (*s == '"') {
		for (s++; *s != '"'; s++) {
			if (*s == '\\' && s[1] != '\0')
				s++;
			if (*s == '\0' || *s == '\r' || *s == '\n')
				goto bad;
			wbuf_putc(&v, *s);
		}
		s++;
	} else {
		for (start = s; is_tchar((unsigned char)*s); s++)
			wbuf_putc(&v, *s);
		if (s == start)
			goto bad;
	}
	if (v.len - 1 > HTTP_MULTIPART_NAME_MAX) {
		wbuf_free(&v);
		free(*name);
		*name = NULL;
		return PERR_TOO_LARGE;
	}
	if (wbuf_error(&v) != PERR_OK ||
	    (*value = str_dup((const char *)v.data + 1)) == NULL) {
		wbuf_free(&v);
		free(*name);
		*name = NULL;
		return PERR_NOMEM;
	}
	wbuf_free(&v);
	*p = s;
	return PERR_OK;
bad:
	wbuf_free(&v);
	free(*name);
	*name = NULL;
	return PERR_INVALID;
}

/* Reads every parameter after the media type; keeps want's value. */
static int
find_param(const char *params, const char *want, char **out)
{
	const char *p = params;
	char *name = NULL, *value = NULL;
	int rc;

	*out = NULL;
	for (;;) {
		if ((rc = read_param(&p, &name, &value)) == PERR_NOT_FOUND)
			return *out != NULL ? PERR_OK : PERR_NOT_FOUND;
		if (rc != PERR_OK)
			break;
		if (str_eq_ci(name, want)) {
			if (*out != NULL) {
				rc = PERR_INVALID;	/* repeated */
				break;
			}
			*out = value;
			value = NULL;
		}
		free(name);
		free(value);
		name = value = NULL;
	}
	free(name);
	free(value);
	free(*out);
	*out = NULL;
	return rc;
}

int
http_multipart_boundary(const char *content_type, char **boundary)
{
	static const char type[] = "multipart/form-data";
	char *b = NULL;
	size_t n, i;
	int rc;

	*boundary = NULL;
	if (content_type == NULL ||
	    strncasecmp(content_type, type, sizeof(type) - 1) != 0)
		return PERR_INVALID;
	rc = find_param(content_type + sizeof(type) - 1, "boundary", &b);
	if (rc != PERR_OK)
		return PERR_INVALID;
	n = strlen(b);
	if (n == 0 || n > HTTP_MULTIPART_BOUNDARY_MAX || b[n - 1] == ' ')
		goto bad;
	for (i = 0; i < n; i++)
		if (!is_bchar((unsigned char)b[i]))
			goto bad;
	*boundary = b;
	return PERR_OK;
bad:
	free(b);
	return PERR_INVALID;
}

/* Reads a CRLF-terminated line (without CRLF) of at most max bytes. */
static int
read_line(struct rbuf *r, size_t max, const uint8_t **line, size_t *n)
{
	const uint8_t *p = r->data + r->off, *end;
	size_t left = rbuf_left(r), look = left < max + 2 ? left : max + 2;

	end = memmem(p, look, "\r\n", 2);
	if (end == NULL)
		return look == left ? PERR_TRUNCATED : PERR_TOO_LARGE;
	*n = (size_t)(end - p);
	if (memchr(p, '\0', *n) != NULL || memchr(p, '\n', *n) != NULL ||
	    memchr(p, '\r', *n) != NULL)
		return PERR_INVALID;
	*line = p;
	return rbuf_bytes(r, *n + 2, &p);
}

struct part_headers {
	char *name;
	char *filename;
	bool has_filename;
	char *content_type;
};

static void
part_headers_clear(struct part_headers *h)
{
	free(h->name);
	free(h->filename);
	free(h->content_type);
	memset(h, 0, sizeof(*h));
}

static int
parse_disposition(const char *value, struct part_headers *h)
{
	static const char fd[] = "form-data";
	int rc;

	if (strncasecmp(value, fd, sizeof(fd) - 1) != 0 ||
	    (value[sizeof(fd) - 1] != ';' && value[sizeof(fd) - 1] != ' ' &&
	    value[sizeof(fd) - 1] != '\t' && value[sizeof(fd) - 1] != '\0'))
		return PERR_INVALID;
	value += sizeof(fd) - 1;
	if ((rc = find_param(value, "name", &h->name)) != PERR_OK)
		return rc == PERR_NOT_FOUND ? PERR_INVALID : rc;
	rc = find_param(value, "filename", &h->filename);
	if (rc == PERR_OK)
		h->has_filename = true;
	else if (rc != PERR_NOT_FOUND)
		return rc;
	return PERR_OK;
}

/* One header line "Name: value" of a part. */
static int
parse_header(const uint8_t *line, size_t n, struct part_headers *h,
    const char **why)
{
	const uint8_t *colon = memchr(line, ':', n);
	char *name = NULL, *value = NULL;
	const char *v;
	int rc = PERR_OK;

	if (colon == NULL || colon == line) {
		*why = "A part header has no name";
		return PERR_INVALID;
	}
	name = str_ndup((const char *)line, (size_t)(colon - line));
	value = str_ndup((const char *)colon + 1, n - (size_t)(colon - line) - 1);
	if (name == NULL || value == NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	v = value;
	skip_ows(&v);
	if (str_eq_ci(name, "Content-Disposition")) {
		if (h->name != NULL) {
			*why = "A part has two Content-Disposition headers";
			rc = PERR_INVALID;
		} else if ((rc = parse_disposition(v, h)) != PERR_OK) {
			*why = "A part's Content-Disposition is not form-data "
			    "with a name";
		}
	} else if (str_eq_ci(name, "Content-Type")) {
		if (h->content_type != NULL) {
			*why = "A part has two Content-Type headers";
			rc = PERR_INVALID;
		} else if ((h->content_type = str_dup(v)) == NULL) {
			rc = PERR_NOMEM;
		}
	} else if (str_eq_ci(name, "Content-Transfer-Encoding")) {
		*why = "Content-Transfer-Encoding is not supported";
		rc = PERR_UNSUPPORTED;
	}
out:
	free(name);
	free(value);
	return rc;
}

/* The headers of a part, up to and including the empty line. */
static int
read_headers(struct rbuf *r, struct part_headers *h, const char **why)
{
	const uint8_t *line;
	size_t n, count = 0;
	int rc;

	for (;;) {
		rc = read_line(r, HTTP_MULTIPART_HEADER_LINE_MAX, &line, &n);
		if (rc != PERR_OK) {
			*why = rc == PERR_TOO_LARGE ? "A part header is too "
			    "long" : "A part header is malformed";
			return rc;
		}
		if (n == 0)
			break;
		if (++count > HTTP_MULTIPART_HEADERS_MAX) {
			*why = "A part has too many headers";
			return PERR_TOO_LARGE;
		}
		if ((rc = parse_header(line, n, h, why)) != PERR_OK)
			return rc;
	}
	if (h->name == NULL) {
		*why = "A part has no Content-Disposition";
		return PERR_INVALID;
	}
	return PERR_OK;
}

/*
 * After a delimiter: "--" closes the body, CRLF opens a part. *closed
 * tells which.
 */
static int
read_after_delimiter(struct rbuf *r, bool *closed, const char **why)
{
	const uint8_t *two;
	int rc;

	if ((rc = rbuf_bytes(r, 2, &two)) != PERR_OK) {
		*why = "The body ends after a boundary";
		return rc;
	}
	*closed = memcmp(two, "--", 2) == 0;
	if (!*closed && memcmp(two, "\r\n", 2) != 0) {
		*why = "A boundary is not followed by CRLF";
		return PERR_INVALID;
	}
	return PERR_OK;
}

/* Keeps the wanted part's headers and bytes in out. */
static int
keep_part(struct part_headers *h, const uint8_t *data, size_t len,
    struct http_multipart_part *out)
{
	out->data = data;
	out->len = len;
	out->has_filename = h->has_filename;
	out->filename = h->filename != NULL ? h->filename : str_dup("");
	out->content_type = h->content_type != NULL ? h->content_type :
	    str_dup("");
	h->filename = h->content_type = NULL;
	if (out->filename == NULL || out->content_type == NULL)
		return PERR_NOMEM;
	return PERR_OK;
}

int
http_multipart_find(const uint8_t *body, size_t len, const char *boundary,
    const char *field, struct http_multipart_part *out, const char **why)
{
	struct part_headers h;
	struct rbuf r;
	struct wbuf delim;
	const uint8_t *p, *end;
	size_t parts = 0, blen = strlen(boundary);
	bool closed = false, found = false;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&h, 0, sizeof(h));
	*why = NULL;
	if (len > HTTP_MULTIPART_BODY_MAX) {
		*why = "The form is too large";
		return PERR_TOO_LARGE;
	}
	if (blen == 0 || blen > HTTP_MULTIPART_BOUNDARY_MAX) {
		*why = "The boundary is malformed";
		return PERR_INVALID;
	}
	rbuf_init(&r, body, len);
	/* The first delimiter has no leading CRLF (no preamble allowed). */
	wbuf_init(&delim);
	wbuf_puts(&delim, "\r\n--");
	wbuf_puts(&delim, boundary);
	if ((rc = wbuf_error(&delim)) != PERR_OK)
		goto out;
	if ((rc = rbuf_bytes(&r, delim.len - 2, &p)) != PERR_OK ||
	    memcmp(p, delim.data + 2, delim.len - 2) != 0) {
		*why = "The body does not start with the boundary";
		rc = rc != PERR_OK ? rc : PERR_INVALID;
		goto out;
	}
	if ((rc = read_after_delimiter(&r, &closed, why)) != PERR_OK)
		goto out;
	while (!closed) {
		if (++parts > HTTP_MULTIPART_PARTS_MAX) {
			*why = "The form has too many parts";
			rc = PERR_TOO_LARGE;
			goto out;
		}
		if ((rc = read_headers(&r, &h, why)) != PERR_OK)
			goto out;
		p = r.data + r.off;
		end = memmem(p, rbuf_left(&r), delim.data, delim.len);
		if (end == NULL) {
			*why = "A part is not closed by the boundary";
			rc = PERR_TRUNCATED;
			goto out;
		}
		if (strcmp(h.name, field) == 0) {
			if (found) {
				*why = "The field occurs more than once";
				rc = PERR_INVALID;
				goto out;
			}
			found = true;
			if ((rc = keep_part(&h, p, (size_t)(end - p), out)) !=
			    PERR_OK)
				goto out;
		}
		part_headers_clear(&h);
		if ((rc = rbuf_bytes(&r, (size_t)(end - p) + delim.len, &p)) !=
		    PERR_OK ||
		    (rc = read_after_delimiter(&r, &closed, why)) != PERR_OK)
			goto out;
	}
	/* Whatever follows the close delimiter is an epilogue: ignored. */
	if (!found) {
		*why = "The form has no such field";
		rc = PERR_NOT_FOUND;
	}
out:
	part_headers_clear(&h);
	wbuf_free(&delim);
	if (rc != PERR_OK)
		http_multipart_part_clear(out);
	return rc;
}

int
http_request_multipart(const struct http_request *req, const char *field,
    struct http_multipart_part *out, const char **why)
{
	char *boundary = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (http_multipart_boundary(http_param(req, "CONTENT_TYPE"),
	    &boundary) != PERR_OK) {
		*why = "The request must be multipart/form-data";
		return PERR_INVALID;
	}
	rc = http_multipart_find(req->body, req->body_len, boundary, field,
	    out, why);
	free(boundary);
	return rc;
}
