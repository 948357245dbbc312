/*
 * libFuzzer target for authz_request_object_apply (src/oidc/
 * request_object.c): whatever the bytes, no crash or leak; a refused
 * object leaves the request untouched.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "oidc/authz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct authz_request a = { 0 };
	const char *why = NULL;
	int rc;

	a.state = str_dup("front-state");
	if (a.state == NULL)
		abort();
	rc = authz_request_object_apply((const char *)data, size, 1800000000,
	    &a, &why);
	if (rc != PERR_OK && (a.state == NULL ||
	    strcmp(a.state, "front-state") != 0 || why == NULL))
		abort();
	authz_request_clear(&a);
	return 0;
}
