/*
 * http: the HTTP view of one FastCGI request. It reads the request out of
 * the FastCGI parameters and body (with limits), works out the client IP,
 * builds the response (status, headers, body) and renders errors in Pocket
 * ID's JSON shape. It knows nothing of routes' meanings, PostgreSQL or
 * sessions, and it never logs a header or body value.
 */
#ifndef POCKETID_HTTP_H
#define POCKETID_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

/* Named limits on what a request may carry. */
#define HTTP_BODY_MAX (1024u * 1024u)	/* JSON and form bodies */
#define HTTP_PATH_MAX 2048u
#define HTTP_QUERY_MAX 8192u
#define HTTP_PARAM_VALUE_MAX 16384u	/* any one FastCGI parameter */
#define HTTP_ROUTE_PARAMS_MAX 4
#define HTTP_REQUEST_ID_MAX 64

struct http_route_param {
	const char *name;	/* points into the route pattern, static */
	size_t name_len;	/* the name ends here, not at a NUL */
	char *value;		/* percent-decoded, owned by the request */
};

/*
 * Where the request's parameters come from: the FastCGI environment array
 * in production, any NULL-terminated "NAME=value" array in unit tests.
 */
struct http_request {
	char *const *params;
	const char *method;	/* "HEAD" is presented as "GET" */
	bool is_head;
	char *path;		/* percent-decoded path, without query */
	const char *query;	/* raw query string, "" when none */
	char request_id[HTTP_REQUEST_ID_MAX + 1];
	char client_ip[64];	/* after TRUST_PROXY */
	uint8_t *body;		/* NUL-terminated copy, owned */
	size_t body_len;
	struct http_route_param route_params[HTTP_ROUTE_PARAMS_MAX];
	size_t n_route_params;
};

struct http_response {
	int status;
	struct wbuf headers;	/* "Name: value\r\n" lines */
	struct wbuf body;
	bool has_cache_control;
	bool has_content_type;
};

/*
 * Who may set X-Forwarded-For: the caller decides whether an address is a
 * trusted proxy (TRUST_PROXY); NULL trusts nobody.
 */
typedef bool (*http_is_trusted_proxy_fn)(const void *ctx, const char *ip);

/*
 * Fills req from params. Reads nothing from the body. On error returns
 * PERR_INVALID (bad bytes, missing method), PERR_TOO_LARGE (path, query or
 * a parameter over its limit) with *why set to a sentence for the caller;
 * the request id is set in every case so the error can carry it.
 */
int http_request_init(struct http_request *req, char *const *params,
    http_is_trusted_proxy_fn is_trusted, const void *trust_ctx,
    const char **why);
/* Frees what the request owns (body, path, route parameters). */
void http_request_clear(struct http_request *req);

/* The value of FastCGI parameter name ("HTTP_ORIGIN"...), or NULL. */
const char *http_param(const struct http_request *req, const char *name);
/* The value of route parameter name (":id" is "id"), or NULL. */
const char *http_route_param(const struct http_request *req, const char *name);
/*
 * The first value of query parameter name, percent-decoded, as a new
 * string the caller frees; NULL when absent. *err is PERR_INVALID when the
 * encoding is bad, PERR_NOMEM on allocation failure, else PERR_OK.
 */
char *http_query_get(const struct http_request *req, const char *name,
    int *err);

/*
 * The same for a form body (Content-Type application/x-www-form-urlencoded;
 * anything else has no form values). Body bytes are NUL-terminated, and a
 * NUL inside the body ends the form.
 */
char *http_form_get(const struct http_request *req, const char *name,
    int *err);

/*
 * True when a parameter occurs more than once in the query string or the
 * form body (RFC 6749 §3.1, §3.2: OAuth parameters must not repeat).
 */
bool http_params_have_duplicates(const struct http_request *req);

/* Appends s percent-encoded (all but RFC 3986 unreserved characters). */
void http_url_encode(struct wbuf *out, const char *s);

/* Decodes %XX escapes (and '+' as space when plus_is_space). Rejects %00,
 * bad escapes and invalid UTF-8. Returns a new string or NULL (*err set). */
char *http_percent_decode(const char *s, size_t len, bool plus_is_space,
    int *err);

/*
 * Matches path against a pattern such as "/api/users/:id/groups". On a
 * match the ":name" segments are stored in req->route_params and true is
 * returned. Parameter values must be non-empty.
 */
bool http_route_match(struct http_request *req, const char *pattern);

void http_response_init(struct http_response *res);
void http_response_clear(struct http_response *res);
void http_response_header(struct http_response *res, const char *name,
    const char *value);
/* Sets status and a JSON body (copied). */
void http_response_json(struct http_response *res, int status,
    const char *json);
void http_response_no_content(struct http_response *res, int status);
/*
 * The usual end of a handler that asked the store for a JSON document:
 * the document with status when rc is PERR_OK, else the error rc maps to.
 */
void http_response_result(struct http_response *res,
    const struct http_request *req, int rc, int status, const char *json);

/*
 * Pocket ID's error shape: {"error": message, "code": code,
 * "request_id": id}. message is a static sentence, never input.
 */
void http_response_error(struct http_response *res,
    const struct http_request *req, int status, const char *code,
    const char *message);
/*
 * A validation error (spec §0.3): 400 validation_failed whose details
 * name the field (its JSON name), a code (required, invalid_format,
 * too_short, too_long, ...) and a message.
 */
void http_response_validation(struct http_response *res,
    const struct http_request *req, const char *field, const char *code,
    const char *message);

/*
 * Maps an enum perr to status, code and message through one table; why,
 * when not NULL, replaces the table's message (a static sentence).
 */
void http_response_perr(struct http_response *res,
    const struct http_request *req, int err, const char *why);

/*
 * Serialises the response as a FastCGI/CGI response (Status line, headers
 * with the defaults: X-Request-ID, Cache-Control: private, no-store,
 * Content-Type, Content-Length; body unless HEAD) into out.
 */
void http_response_render(const struct http_response *res,
    const struct http_request *req, struct wbuf *out);

/*
 * The value of cookie name, as a new string the caller frees; NULL when
 * absent or not made of token characters (A-Z a-z 0-9 - _ .).
 */
char *http_cookie_get(const struct http_request *req, const char *name);
/* Adds Set-Cookie: HttpOnly, Secure, SameSite=Lax; max_age 0 deletes. */
void http_response_cookie(struct http_response *res, const char *name,
    const char *value, const char *path, int64_t max_age);

struct json_object;
/*
 * The body as a JSON object (spec §0.4: Content-Type application/json or
 * application/...+json). On success *out is the caller's reference
 * (json_object_put). PERR_INVALID with *why set otherwise.
 */
int http_request_json(const struct http_request *req,
    struct json_object **out, const char **why);

/*
 * multipart/form-data (RFC 7578, RFC 2046 §5.1), for image uploads (spec
 * §0.4: the form field "file"). Added by the images feature.
 */
#define HTTP_UPLOAD_FILE_MAX ((size_t)2 * 1024 * 1024)	/* spec: 2 MiB */
/* A whole multipart body: the file plus room for headers and other
 * fields. fcgi.c reads bodies up to this size when they are multipart. */
#define HTTP_MULTIPART_BODY_MAX (HTTP_UPLOAD_FILE_MAX + 64u * 1024u)
#define HTTP_MULTIPART_BOUNDARY_MAX 70u	/* RFC 2046 §5.1.1 */
#define HTTP_MULTIPART_PARTS_MAX 16u
#define HTTP_MULTIPART_HEADERS_MAX 8u	/* header lines in one part */
#define HTTP_MULTIPART_HEADER_LINE_MAX 1024u
#define HTTP_MULTIPART_NAME_MAX 255u	/* name and filename values */

/* One part of a multipart body. data points into the body it was found
 * in; filename and content_type are owned ("" when absent). */
struct http_multipart_part {
	const uint8_t *data;
	size_t len;
	char *filename;
	char *content_type;
	bool has_filename;
};
void http_multipart_part_clear(struct http_multipart_part *part);

/*
 * The boundary parameter of a Content-Type value that must be
 * "multipart/form-data" (case-insensitive type and parameter names, token
 * or quoted-string value, 1..70 characters of RFC 2046's bchars, not
 * ending in a space). A new string in *boundary. PERR_INVALID otherwise.
 */
int http_multipart_boundary(const char *content_type, char **boundary);

/*
 * Finds the part whose Content-Disposition is form-data with name field
 * in len bytes of body delimited by boundary. Strict: the body starts
 * with the first delimiter (no preamble), lines end in CRLF, every part
 * has one Content-Disposition: form-data with a name, a name occurs at
 * most once, the close delimiter is present; limits above. Pure.
 * On success *out holds the part (clear it). Errors: PERR_INVALID
 * (malformed), PERR_TRUNCATED (ends early), PERR_TOO_LARGE (a limit),
 * PERR_NOT_FOUND (well-formed, no such field), PERR_NOMEM; *why says why.
 */
int http_multipart_find(const uint8_t *body, size_t len,
    const char *boundary, const char *field,
    struct http_multipart_part *out, const char **why);

/*
 * The same over a request: its CONTENT_TYPE must be multipart/form-data.
 * The part points into req->body.
 */
int http_request_multipart(const struct http_request *req, const char *field,
    struct http_multipart_part *out, const char **why);

/*
 * Sets status and a binary body (copied) with its Content-Type. Added by
 * the images feature: the JSON setters are for text.
 */
void http_response_bytes(struct http_response *res, int status,
    const char *content_type, const uint8_t *data, size_t len);

/* ---- user agents (user_agent.c) -------------------------------------- */
#define HTTP_UA_MAX 1024
#define HTTP_UA_TOKENS_MAX 48

/*
 * The "device" a User-Agent names (spec §0.6, AuditLogDto): "<browser> on
 * <OS> <OS version>" from the first len bytes (at most HTTP_UA_MAX are
 * read). Never fails on input: an unknown agent names itself, an empty
 * one gives " on  " as in Pocket ID. *out is a new string the caller
 * frees, always valid UTF-8. Errors: PERR_NOMEM.
 */
int http_user_agent_device(const char *ua, size_t len, char **out);
/*
 * For each object of a JSON array (json itself, or its member `member`
 * when not NULL), sets `to` to the device of the user agent in `from`
 * (the two may be the same). *out is the new JSON text (caller frees).
 * PERR_INTERNAL when the shape is not that; PERR_NOMEM.
 */
int http_json_devices(const char *json, const char *member, const char *from,
    const char *to, char **out);

#endif
