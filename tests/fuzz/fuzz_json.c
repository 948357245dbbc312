/*
 * libFuzzer target: the bounded JSON front end on arbitrary bytes, and the
 * TTL reader of spec §0.4 on whatever value that yields (a JSON string
 * input such as "\"1h30m\"" reaches its duration parser).
 */
#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *obj = NULL;
	int64_t seconds;

	if (ojson_parse((const char *)data, size, &obj) == PERR_OK) {
		(void)ojson_ttl_seconds(obj, 31 * 24 * 3600, &seconds);
		json_object_put(obj);
	}
	return 0;
}
