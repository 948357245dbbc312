/*
 * libFuzzer target for net_cache_control_read (src/net/fetch.c): any
 * header line, no crash and no read past its length; the result is -1,
 * 0 or a delta within a year.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "net/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t age = -1;

	net_cache_control_read((const char *)data, size, &age);
	if (age < -1 || age > 365LL * 24 * 3600)
		abort();
	return 0;
}
