/* libFuzzer target: the list-request parser (spec §0.5) on arbitrary
 * query strings, against the users list's description. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "admin/admin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_list_query q;
	struct admin_field_error e;
	char *query = str_ndup((const char *)data, size);

	if (query == NULL)
		return 0;
	/* The HTTP layer hands over NUL-free text: so does str_ndup. */
	if (admin_list_parse(query, &store_list_users, &q, &e) == PERR_OK) {
		if (q.page < 1 || q.limit < 1 ||
		    q.limit > STORE_LIST_LIMIT_MAX)
			abort();
		store_list_query_clear(&q);
	}
	free(query);
	return 0;
}
