/*
 * errors: RFC 6749 error answers for the back-channel endpoints (JSON,
 * never cached). Redirect-borne errors are authorize.c's.
 */
#include <string.h>

#include "common/common.h"
#include "oidc/oidc.h"

void
oidc_error(struct app_call *call, int status, const char *error,
    const char *description)
{
	struct wbuf w;

	wbuf_init(&w);
	wbuf_puts(&w, "{\"error\":");
	wbuf_put_json_string(&w, error, strlen(error));
	if (description != NULL) {
		wbuf_puts(&w, ",\"error_description\":");
		wbuf_put_json_string(&w, description, strlen(description));
	}
	wbuf_putc(&w, '}');
	http_response_header(call->res, "Cache-Control", "no-store");
	http_response_header(call->res, "Pragma", "no-cache");
	if (wbuf_error(&w) == PERR_OK)
		http_response_json(call->res, status, (const char *)w.data);
	else
		call->res->status = 500;
	wbuf_free(&w);
}

void
oidc_error_of(struct app_call *call, const char *error,
    const char *description)
{
	int status = 400;

	if (strcmp(error, "invalid_client") == 0 ||
	    strcmp(error, "request_unauthorized") == 0)
		status = 401;
	else if (strcmp(error, "access_denied") == 0)
		status = 403;
	else if (strcmp(error, "server_error") == 0)
		status = 500;
	oidc_error(call, status, error, description);
}
