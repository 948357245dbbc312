/*
 * fuzz_user_agent: the User-Agent "device" parser (http/user_agent.c)
 * on arbitrary bytes: it must never read out of bounds, never fail but for
 * memory, and always give valid UTF-8 with " on " in it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *device = NULL;

	/* An exact-size heap copy, so reading past it is caught. */
	if ((copy = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (http_user_agent_device(copy, size, &device) == PERR_OK) {
		if (!str_is_utf8(device, strlen(device)) ||
		    strstr(device, " on ") == NULL)
			abort();
		free(device);
	}
	free(copy);
	return 0;
}
