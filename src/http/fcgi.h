/*
 * fcgi: libfcgi stream I/O for the HTTP layer; kept apart from http.h so
 * that code which never sees a FastCGI request (unit tests, fuzzers) does
 * not need libfcgi's header.
 */
#ifndef POCKETID_HTTP_FCGI_H
#define POCKETID_HTTP_FCGI_H

#include <fcgiapp.h>

#include "common/common.h"
#include "http/http.h"

/*
 * Reads the body announced by CONTENT_LENGTH into req->body (at most
 * HTTP_BODY_MAX bytes; HTTP_MULTIPART_BODY_MAX for multipart/form-data).
 * Errors: PERR_INVALID (bad Content-Length),
 * PERR_TOO_LARGE (over the limit; nothing read), PERR_TRUNCATED (the body
 * ended early), PERR_NOMEM; *why says which in a sentence.
 */
int http_fcgi_read_body(FCGX_Request *fr, struct http_request *req,
    const char **why);
/* Writes out to the FastCGI stdout stream. PERR_IO when the peer left. */
int http_fcgi_write(FCGX_Request *fr, const struct wbuf *out);

#endif
