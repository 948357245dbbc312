/*
 * request: turns FastCGI parameters into a struct http_request. Every value
 * is length-checked and must be valid UTF-8 before it is used; the path is
 * percent-decoded once here so routes compare decoded text.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "http/http.h"

const char *
http_param(const struct http_request *req, const char *name)
{
	size_t n = strlen(name);
	char *const *p;

	for (p = req->params; p != NULL && *p != NULL; p++)
		if (strncmp(*p, name, n) == 0 && (*p)[n] == '=')
			return *p + n + 1;
	return NULL;
}

static int
check_params(const struct http_request *req, const char **why)
{
	char *const *p;
	size_t len;

	for (p = req->params; p != NULL && *p != NULL; p++) {
		len = strnlen(*p, HTTP_PARAM_VALUE_MAX + 1);
		if (len > HTTP_PARAM_VALUE_MAX) {
			*why = "A request header is too large";
			return PERR_TOO_LARGE;
		}
		if (!str_is_utf8(*p, len)) {
			*why = "A request header is not valid UTF-8";
			return PERR_INVALID;
		}
	}
	return PERR_OK;
}

/* nginx's $request_id when given (hex), else 16 random bytes in hex. */
static void
set_request_id(struct http_request *req)
{
	const char *given = http_param(req, "REQUEST_ID");
	uint8_t raw[16];
	char *hex;
	size_t i, n;

	if (given != NULL && (n = strlen(given)) > 0 &&
	    n <= HTTP_REQUEST_ID_MAX) {
		for (i = 0; i < n; i++)
			if (strchr("0123456789abcdefABCDEF-", given[i]) == NULL)
				break;
		if (i == n) {
			memcpy(req->request_id, given, n + 1);
			return;
		}
	}
	if (crypto_random(raw, sizeof(raw)) == PERR_OK &&
	    (hex = hex_encode(raw, sizeof(raw))) != NULL) {
		memcpy(req->request_id, hex, 32);
		req->request_id[32] = '\0';
		free(hex);
		return;
	}
	memcpy(req->request_id, "unknown", sizeof("unknown"));
}

static bool
is_valid_ip(const char *s)
{
	uint8_t addr[16];

	return inet_pton(AF_INET, s, addr) == 1 ||
	    inet_pton(AF_INET6, s, addr) == 1;
}

/*
 * The client IP: REMOTE_ADDR, unless that is a trusted proxy, in which case
 * X-Forwarded-For is walked from the right and the first address that is
 * not itself a trusted proxy wins (so a client cannot spoof by prepending).
 */
static void
set_client_ip(struct http_request *req, http_is_trusted_proxy_fn is_trusted,
    const void *trust_ctx)
{
	const char *remote = http_param(req, "REMOTE_ADDR");
	const char *xff = http_param(req, "HTTP_X_FORWARDED_FOR");
	char hop[64];
	const char *end, *start, *segment;
	size_t n;

	req->client_ip[0] = '\0';
	if (remote == NULL || strlen(remote) >= sizeof(req->client_ip))
		return;
	memcpy(req->client_ip, remote, strlen(remote) + 1);
	if (is_trusted == NULL || xff == NULL || !is_trusted(trust_ctx, remote))
		return;
	end = xff + strlen(xff);
	while (end > xff) {
		segment = end;
		while (segment > xff && segment[-1] != ',')
			segment--;
		start = segment;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		n = (size_t)(end - start);
		while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t'))
			n--;
		if (n == 0 || n >= sizeof(hop))
			return;
		memcpy(hop, start, n);
		hop[n] = '\0';
		if (!is_valid_ip(hop))
			return;
		memcpy(req->client_ip, hop, n + 1);
		if (!is_trusted(trust_ctx, hop))
			return;
		/* Step over the comma to the previous hop. */
		end = segment > xff ? segment - 1 : xff;
	}
}

static int
set_method_and_path(struct http_request *req, const char **why)
{
	const char *uri = http_param(req, "REQUEST_URI");
	const char *query = http_param(req, "QUERY_STRING");
	const char *qmark;
	size_t path_len;
	int err;

	req->method = http_param(req, "REQUEST_METHOD");
	if (req->method == NULL || uri == NULL || uri[0] != '/') {
		*why = "The request has no method or path";
		return PERR_INVALID;
	}
	if (strcmp(req->method, "HEAD") == 0) {
		req->is_head = true;
		req->method = "GET";
	}
	qmark = strchr(uri, '?');
	path_len = qmark != NULL ? (size_t)(qmark - uri) : strlen(uri);
	if (path_len > HTTP_PATH_MAX) {
		*why = "The request path is too long";
		return PERR_TOO_LARGE;
	}
	req->query = query != NULL ? query : (qmark != NULL ? qmark + 1 : "");
	if (strlen(req->query) > HTTP_QUERY_MAX) {
		*why = "The query string is too long";
		return PERR_TOO_LARGE;
	}
	if ((req->path = http_percent_decode(uri, path_len, false, &err)) ==
	    NULL) {
		*why = "The request path is not validly encoded";
		return err;
	}
	return PERR_OK;
}

int
http_request_init(struct http_request *req, char *const *params,
    http_is_trusted_proxy_fn is_trusted, const void *trust_ctx,
    const char **why)
{
	int err;

	memset(req, 0, sizeof(*req));
	req->params = params;
	req->query = "";
	*why = NULL;
	if ((err = check_params(req, why)) != PERR_OK) {
		/* Still give the error a usable id. */
		req->params = NULL;
		set_request_id(req);
		req->params = params;
		return err;
	}
	set_request_id(req);
	set_client_ip(req, is_trusted, trust_ctx);
	return set_method_and_path(req, why);
}

void
http_request_clear(struct http_request *req)
{
	size_t i;

	if (req->body != NULL) {
		OPENSSL_cleanse(req->body, req->body_len);
		free(req->body);
	}
	free(req->path);
	for (i = 0; i < req->n_route_params; i++)
		free(req->route_params[i].value);
	memset(req, 0, sizeof(*req));
}

const char *
http_route_param(const struct http_request *req, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < req->n_route_params; i++)
		if (req->route_params[i].name_len == n &&
		    memcmp(req->route_params[i].name, name, n) == 0)
			return req->route_params[i].value;
	return NULL;
}
