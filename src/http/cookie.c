/*
 * cookie: reading the Cookie header and writing Set-Cookie lines, and the
 * JSON-body rule of spec §0.4. Cookie values here are our own tokens
 * (base64url or UUIDs); anything else is ignored, never echoed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "http/http.h"

#define COOKIE_VALUE_MAX 512

static bool
is_cookie_value_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

char *
http_cookie_get(const struct http_request *req, const char *name)
{
	const char *header = http_param(req, "HTTP_COOKIE");
	size_t name_len = strlen(name), n;
	const char *p, *value;

	for (p = header; p != NULL && *p != '\0';) {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
			value = p + name_len + 1;
			for (n = 0; value[n] != '\0' && value[n] != ';'; n++)
				if (!is_cookie_value_char(value[n]))
					return NULL;
			if (n == 0 || n > COOKIE_VALUE_MAX)
				return NULL;
			return str_ndup(value, n);
		}
		p = strchr(p, ';');
	}
	return NULL;
}

void
http_response_cookie(struct http_response *res, const char *name,
    const char *value, const char *path, int64_t max_age)
{
	char line[1024];

	/* Secure is always set: browsers accept it on http://localhost. */
	snprintf(line, sizeof(line), "%s=%s; Path=%s; Max-Age=%lld; "
	    "HttpOnly; Secure; SameSite=Lax", name, value, path,
	    (long long)max_age);
	http_response_header(res, "Set-Cookie", line);
}

int
http_request_json(const struct http_request *req, struct json_object **out,
    const char **why)
{
	const char *type = http_param(req, "CONTENT_TYPE");
	size_t n;

	*out = NULL;
	if (type == NULL) {
		*why = "The request body must be JSON (Content-Type: "
		    "application/json)";
		return PERR_INVALID;
	}
	n = strcspn(type, ";");
	while (n > 0 && type[n - 1] == ' ')
		n--;
	if (!((n == 16 && strncasecmp(type, "application/json", 16) == 0) ||
	    (n > 17 && strncasecmp(type, "application/", 12) == 0 &&
	    strncasecmp(type + n - 5, "+json", 5) == 0))) {
		*why = "The request body must be JSON (Content-Type: "
		    "application/json)";
		return PERR_INVALID;
	}
	if (ojson_parse((const char *)req->body, req->body_len, out) !=
	    PERR_OK || !json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
		*why = "The request body is not a valid JSON object";
		return PERR_INVALID;
	}
	return PERR_OK;
}
