/*
 * libFuzzer target for src/oidc/redirect.c. The input is a pattern and a
 * URI separated by the first newline. Whatever the bytes: no crash, a URI
 * always matches itself, and a URI that oidc_redirect_choose accepts is
 * returned unchanged and is matched by the pattern.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "oidc/oidc_client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	char *pattern, *uri, *chosen = NULL;
	const char *patterns[1];
	const char *why;
	size_t plen = nl != NULL ? (size_t)(nl - data) : size;
	int rc;

	pattern = str_ndup((const char *)data, plen);
	uri = str_ndup(nl != NULL ? (const char *)nl + 1 : "",
	    nl != NULL ? size - plen - 1 : 0);
	if (pattern == NULL || uri == NULL)
		abort();
	/* Embedded NULs shorten the strings; that is fine. */
	(void)oidc_redirect_is_valid_pattern(pattern, &why);
	if (!oidc_redirect_matches(uri, uri) ||
	    !oidc_redirect_matches(pattern, pattern))
		abort();
	(void)oidc_redirect_matches(pattern, uri);
	patterns[0] = pattern;
	rc = oidc_redirect_choose(patterns, 1, uri[0] != '\0' ? uri : NULL,
	    (size & 1) != 0, &chosen);
	if (rc == PERR_OK) {
		if (uri[0] != '\0' && (strcmp(chosen, uri) != 0 ||
		    !oidc_redirect_matches(pattern, uri)))
			abort();
		if (uri[0] == '\0' && strcmp(chosen, pattern) != 0)
			abort();
		free(chosen);
	} else if (chosen != NULL) {
		abort();
	}
	free(pattern);
	free(uri);
	return 0;
}
