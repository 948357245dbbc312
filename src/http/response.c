/*
 * response: builds responses and renders them as CGI-style output for
 * FastCGI. Defaults every response gets unless the handler set its own:
 * Cache-Control "private, no-store" (Pocket ID's API default) and an
 * X-Request-ID. Errors use Pocket ID's JSON shape; enum perr values are
 * mapped to status and code in exactly one table, here.
 */
#include <string.h>

#include "common/common.h"
#include "http/http.h"

void
http_response_init(struct http_response *res)
{
	memset(res, 0, sizeof(*res));
	res->status = 200;
	wbuf_init(&res->headers);
	wbuf_init(&res->body);
}

void
http_response_clear(struct http_response *res)
{
	wbuf_free(&res->headers);
	wbuf_free(&res->body);
	memset(res, 0, sizeof(*res));
}

/* Header values are built by us, but never let one carry a line break. */
static bool
is_header_safe(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\r' || *s == '\n')
			return false;
	return true;
}

void
http_response_header(struct http_response *res, const char *name,
    const char *value)
{
	if (!is_header_safe(name) || !is_header_safe(value)) {
		log_error("refused a header with a line break: %s", name);
		return;
	}
	if (str_eq_ci(name, "Cache-Control"))
		res->has_cache_control = true;
	if (str_eq_ci(name, "Content-Type"))
		res->has_content_type = true;
	wbuf_printf(&res->headers, "%s: %s\r\n", name, value);
}

void
http_response_json(struct http_response *res, int status, const char *json)
{
	res->status = status;
	wbuf_reset(&res->body);
	wbuf_puts(&res->body, json);
	if (!res->has_content_type)
		http_response_header(res, "Content-Type",
		    "application/json; charset=utf-8");
}

void
http_response_bytes(struct http_response *res, int status,
    const char *content_type, const uint8_t *data, size_t len)
{
	res->status = status;
	wbuf_reset(&res->body);
	wbuf_put(&res->body, data, len);
	if (!res->has_content_type)
		http_response_header(res, "Content-Type", content_type);
}

void
http_response_no_content(struct http_response *res, int status)
{
	res->status = status;
	wbuf_reset(&res->body);
}

void
http_response_result(struct http_response *res, const struct http_request *req,
    int rc, int status, const char *json)
{
	if (rc != PERR_OK)
		http_response_perr(res, req, rc, NULL);
	else
		http_response_json(res, status, json);
}

void
http_response_error(struct http_response *res, const struct http_request *req,
    int status, const char *code, const char *message)
{
	struct wbuf json;

	wbuf_init(&json);
	wbuf_puts(&json, "{\"error\":");
	wbuf_put_json_string(&json, message, strlen(message));
	wbuf_puts(&json, ",\"code\":");
	wbuf_put_json_string(&json, code, strlen(code));
	wbuf_puts(&json, ",\"request_id\":");
	wbuf_put_json_string(&json, req->request_id, strlen(req->request_id));
	wbuf_putc(&json, '}');
	if (wbuf_error(&json) == PERR_OK)
		http_response_json(res, status, (const char *)json.data);
	else
		res->status = 500;
	wbuf_free(&json);
}

void
http_response_validation(struct http_response *res,
    const struct http_request *req, const char *field, const char *code,
    const char *message)
{
	struct wbuf json;

	wbuf_init(&json);
	wbuf_puts(&json, "{\"error\":");
	wbuf_put_json_string(&json, message, strlen(message));
	wbuf_puts(&json, ",\"code\":\"validation_failed\",\"details\":"
	    "{\"fields\":[{\"field\":");
	wbuf_put_json_string(&json, field, strlen(field));
	wbuf_puts(&json, ",\"code\":");
	wbuf_put_json_string(&json, code, strlen(code));
	wbuf_puts(&json, ",\"message\":");
	wbuf_put_json_string(&json, message, strlen(message));
	wbuf_puts(&json, "}]},\"request_id\":");
	wbuf_put_json_string(&json, req->request_id, strlen(req->request_id));
	wbuf_putc(&json, '}');
	if (wbuf_error(&json) == PERR_OK)
		http_response_json(res, 400, (const char *)json.data);
	else
		res->status = 500;
	wbuf_free(&json);
}

/* The one mapping from enum perr to what a caller sees. */
static const struct {
	int err;
	int status;
	const char *code;
	const char *message;
} perr_map[] = {
	{ PERR_INVALID, 400, "invalid_request", "The request is malformed" },
	{ PERR_TRUNCATED, 400, "invalid_request",
	  "The request is incomplete" },
	{ PERR_TOO_LARGE, 413, "request_too_large", "The request is too large" },
	{ PERR_NOT_FOUND, 404, "not_found", "Record not found" },
	{ PERR_CONFLICT, 409, "already_in_use", "Already in use" },
	{ PERR_FORBIDDEN, 403, "forbidden", "You are not allowed to do this" },
	{ PERR_DB_UNAVAILABLE, 503, "database_unavailable",
	  "The database is unavailable, please retry shortly" },
};

void
http_response_perr(struct http_response *res, const struct http_request *req,
    int err, const char *why)
{
	size_t i;

	for (i = 0; i < sizeof(perr_map) / sizeof(perr_map[0]); i++)
		if (perr_map[i].err == err) {
			http_response_error(res, req, perr_map[i].status,
			    perr_map[i].code,
			    why != NULL ? why : perr_map[i].message);
			return;
		}
	http_response_error(res, req, 500, "internal_error",
	    "Something went wrong");
}

static const char *
status_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	}
	return "Unknown";
}

void
http_response_render(const struct http_response *res,
    const struct http_request *req, struct wbuf *out)
{
	bool has_body = res->status != 204 && res->status != 304;

	wbuf_printf(out, "Status: %d %s\r\n", res->status,
	    status_reason(res->status));
	wbuf_printf(out, "X-Request-ID: %s\r\n", req->request_id);
	if (!res->has_cache_control)
		wbuf_puts(out, "Cache-Control: private, no-store\r\n");
	if (res->headers.len > 0)
		wbuf_put(out, res->headers.data, res->headers.len);
	if (has_body)
		wbuf_printf(out, "Content-Length: %zu\r\n", res->body.len);
	wbuf_puts(out, "\r\n");
	if (has_body && !req->is_head && res->body.len > 0)
		wbuf_put(out, res->body.data, res->body.len);
}
