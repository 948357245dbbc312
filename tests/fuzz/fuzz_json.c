/* libFuzzer target: the bounded JSON front end on arbitrary bytes. */
#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *obj = NULL;

	if (ojson_parse((const char *)data, size, &obj) == PERR_OK)
		json_object_put(obj);
	return 0;
}
