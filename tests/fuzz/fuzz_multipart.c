/* libFuzzer target: the multipart/form-data reader must accept or refuse
 * any body without crashing or reading outside it; a part it returns must
 * lie inside the body. The first line of the input is the boundary. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	struct http_multipart_part part;
	const char *why;
	char *ct = NULL, *boundary = NULL;
	uint8_t *body;
	size_t blen, n;

	if (nl == NULL || (size_t)(nl - data) > 200)
		return 0;
	blen = (size_t)(nl - data);
	if ((ct = malloc(blen + 32)) == NULL)
		return 0;
	memcpy(ct, "multipart/form-data; boundary=", 30);
	memcpy(ct + 30, data, blen);
	ct[30 + blen] = '\0';
	n = size - blen - 1;
	/* An exact-size heap copy, so that overreads are caught. */
	if ((body = malloc(n > 0 ? n : 1)) == NULL) {
		free(ct);
		return 0;
	}
	memcpy(body, nl + 1, n);
	if (memchr(ct, '\0', 30 + blen) == NULL &&
	    http_multipart_boundary(ct, &boundary) == PERR_OK) {
		if (http_multipart_find(body, n, boundary, "file", &part,
		    &why) == PERR_OK) {
			if (part.data < body || part.data + part.len >
			    body + n || part.filename == NULL ||
			    part.content_type == NULL)
				abort();
			http_multipart_part_clear(&part);
		}
		free(boundary);
	}
	free(body);
	free(ct);
	return 0;
}
