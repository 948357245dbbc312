/*
 * libFuzzer target: arbitrary FastCGI parameters (the input split at '\n'
 * into NAME=value entries) through request parsing, query lookup and route
 * matching, as a worker would see them.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "http/http.h"

#define FUZZ_PARAMS_MAX 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
trust_all(const void *ctx, const char *ip)
{
	(void)ctx;
	(void)ip;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = str_ndup((const char *)data, size);
	char *params[FUZZ_PARAMS_MAX + 1];
	struct http_request req;
	const char *why;
	char *line, *next, *value;
	size_t n = 0;
	int err;

	if (copy == NULL)
		return 0;
	for (line = copy; line != NULL && n < FUZZ_PARAMS_MAX; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		params[n++] = line;
	}
	params[n] = NULL;
	log_configure(LOG_ERROR + 1, false);
	if (http_request_init(&req, params, trust_all, NULL, &why) ==
	    PERR_OK) {
		value = http_query_get(&req, "redirect_uri", &err);
		free(value);
		(void)http_route_match(&req, "/api/users/:id/:sub");
		(void)http_route_param(&req, "id");
	}
	http_request_clear(&req);
	free(copy);
	return 0;
}
