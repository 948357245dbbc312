/* libFuzzer target: both base64 decoders must accept or reject any input
 * without crashing, and what they accept must re-encode to the input. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "codec/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *out;
	char *again;
	size_t n;

	if (b64url_decode((const char *)data, size, &out, &n) == PERR_OK) {
		again = b64url_encode(out, n, NULL);
		if (again == NULL || strlen(again) != size ||
		    memcmp(again, data, size) != 0)
			abort();
		free(again);
		free(out);
	}
	if (b64_decode((const char *)data, size, &out, &n) == PERR_OK) {
		again = b64_encode(out, n, NULL);
		if (again == NULL || strlen(again) != size ||
		    memcmp(again, data, size) != 0)
			abort();
		free(again);
		free(out);
	}
	return 0;
}
