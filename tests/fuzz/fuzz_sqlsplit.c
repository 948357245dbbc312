/*
 * libFuzzer target: the migration statement splitter on arbitrary bytes.
 * Besides not crashing, every statement it returns must lie inside the
 * input, be non-empty, come after the previous one, and carry a line
 * number no smaller than the previous one's.
 */
#include <stdlib.h>

#include "common/common.h"
#include "store/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sql_stmt *st = NULL;
	const char *why = NULL;
	unsigned line = 0;
	size_t n = 0, i;

	if (sql_split((const char *)data, size, &st, &n, &line, &why) !=
	    PERR_OK) {
		if (why == NULL || line < 1)
			abort();
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (st[i].len == 0 || st[i].off + st[i].len > size ||
		    st[i].line < 1)
			abort();
		if (i > 0 && (st[i].off <= st[i - 1].off + st[i - 1].len ||
		    st[i].line < st[i - 1].line))
			abort();
	}
	free(st);
	return 0;
}
