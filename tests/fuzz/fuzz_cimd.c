/*
 * libFuzzer target for the pure parts of src/oidc/cimd.c: the input is a
 * client_id URL and a metadata document separated by the first newline.
 * Whatever the bytes: no crash, no leak, and an accepted document yields
 * JSON arrays and a name within the limits.
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
	size_t ulen = nl != NULL ? (size_t)(nl - data) : size;
	struct oidc_cimd_doc doc;
	const char *why;
	char *url, *body;

	url = str_ndup((const char *)data, ulen);
	body = str_ndup(nl != NULL ? (const char *)nl + 1 : "",
	    nl != NULL ? size - ulen - 1 : 0);
	if (url == NULL || body == NULL)
		abort();
	(void)oidc_cimd_url_check(url, &why);
	if (oidc_cimd_doc_parse(url, body, strlen(body), &doc, &why) ==
	    PERR_OK) {
		if (doc.name == NULL || strlen(doc.name) > OIDC_CIMD_NAME_MAX ||
		    doc.redirect_uris_json[0] != '[' ||
		    doc.logout_uris_json[0] != '[' ||
		    doc.grant_types_json[0] != '[')
			abort();
		oidc_cimd_doc_clear(&doc);
	}
	free(url);
	free(body);
	return 0;
}
