/*
 * fcgi: the only code that touches libfcgi's streams: reading a request
 * body with its size limit and writing a rendered response. Knows nothing
 * of what the bytes mean.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <fcgiapp.h>

#include "common/common.h"
#include "http/http.h"
#include "http/fcgi.h"

static bool
is_multipart(const struct http_request *req)
{
	const char *type = http_param(req, "CONTENT_TYPE");

	return type != NULL && strncasecmp(type, "multipart/form-data",
	    strlen("multipart/form-data")) == 0;
}

int
http_fcgi_read_body(FCGX_Request *fr, struct http_request *req,
    const char **why)
{
	const char *given = http_param(req, "CONTENT_LENGTH");
	int64_t length = 0;
	int got;

	*why = NULL;
	if (given != NULL && given[0] != '\0' &&
	    str_to_int64(given, 0, INT64_MAX, &length) != PERR_OK) {
		*why = "Content-Length is not a number";
		return PERR_INVALID;
	}
	/* Uploads (multipart/form-data) may carry a 2 MiB file. */
	if (is_multipart(req) ? (uint64_t)length > HTTP_MULTIPART_BODY_MAX :
	    (uint64_t)length > HTTP_BODY_MAX) {
		*why = is_multipart(req) ? "The upload is larger than 2 MiB" :
		    "The request body is larger than 1 MiB";
		return PERR_TOO_LARGE;
	}
	if ((req->body = malloc((size_t)length + 1)) == NULL)
		return PERR_NOMEM;
	got = length > 0 ? FCGX_GetStr((char *)req->body, (int)length,
	    fr->in) : 0;
	req->body[got > 0 ? got : 0] = '\0';
	req->body_len = got > 0 ? (size_t)got : 0;
	if (got != (int)length) {
		*why = "The request body ended before Content-Length bytes";
		return PERR_TRUNCATED;
	}
	return PERR_OK;
}

int
http_fcgi_write(FCGX_Request *fr, const struct wbuf *out)
{
	if (out->len > 0 && FCGX_PutStr((const char *)out->data,
	    (int)out->len, fr->out) != (int)out->len)
		return PERR_IO;
	return PERR_OK;
}
