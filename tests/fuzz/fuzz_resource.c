/*
 * libFuzzer target for the untrusted strings of src/oidc/resource.c: a
 * resource parameter (oidc_resource_normalize) and a scope parameter
 * (oidc_scope_extra, oidc_consent_keys). No crash; a normalised resource
 * is stable, short enough and has no trailing '/' or '#'; the extra
 * tokens are no longer than the input.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "oidc/oidc.h"
#include "oidc/api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = str_ndup((const char *)data, size), *out = NULL;
	char *again = NULL, *extra, **keys = NULL;
	size_t n = 0;

	if (in == NULL)
		abort();
	if (oidc_resource_normalize(in, &out) == PERR_OK) {
		if (strlen(out) > OIDC_RESOURCE_MAX || out[0] == '\0' ||
		    out[strlen(out) - 1] == '/' || strchr(out, '#') != NULL ||
		    oidc_resource_normalize(out, &again) != PERR_OK ||
		    strcmp(out, again) != 0)
			abort();
	}
	if ((extra = oidc_scope_extra(in)) == NULL ||
	    strlen(extra) > strlen(in))
		abort();
	if (oidc_consent_keys(in, out, &keys, &n) != PERR_OK)
		abort();
	oidc_consent_keys_free(keys, n);
	free(extra);
	free(again);
	free(out);
	free(in);
	return 0;
}
