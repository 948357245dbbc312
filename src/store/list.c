/*
 * list: answers list requests (spec §0.5) for every list endpoint with
 * one statement each (SQL_LIST in internal.h), and holds the endpoints'
 * descriptions, expanded from the same column lists as their SQL. It
 * binds values only: the sort field's name, the direction and the
 * filters are parameters the statement compares with its own constants.
 * It never sees a request; admin/list.c parses those.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct store_list_column users_sort[] = {
	LIST_USERS_SORT(STORE_LIST_COLUMN)
};
static const struct store_list_column users_filter[] = {
	LIST_USERS_FILTER(STORE_LIST_COLUMN)
};
const struct store_list_def store_list_users = {
	.stmt = STMT_LIST_USERS,
	.sort = users_sort, .n_sort = N_OF(users_sort),
	.filter = users_filter, .n_filter = N_OF(users_filter),
	.default_sort = "createdAt", .default_desc = false,
	.has_search = true, .stmt_search = STMT_LIST_USERS_SEARCH,
};

static const struct store_list_column user_groups_sort[] = {
	LIST_USER_GROUPS_SORT(STORE_LIST_COLUMN)
};
const struct store_list_def store_list_user_groups = {
	.stmt = STMT_LIST_USER_GROUPS,
	.sort = user_groups_sort, .n_sort = N_OF(user_groups_sort),
	.default_sort = "createdAt", .default_desc = false,
	.has_search = true, .stmt_search = STMT_LIST_USER_GROUPS_SEARCH,
};

static const struct store_list_column signup_tokens_sort[] = {
	LIST_SIGNUP_TOKENS_SORT(STORE_LIST_COLUMN)
};
const struct store_list_def store_list_signup_tokens = {
	.stmt = STMT_LIST_SIGNUP_TOKENS,
	.sort = signup_tokens_sort, .n_sort = N_OF(signup_tokens_sort),
	.default_sort = "createdAt", .default_desc = false,
	.has_search = false,
};

void
store_list_query_clear(struct store_list_query *q)
{
	if (q == NULL)
		return;
	free(q->search);
	free(q->filters);
	memset(q, 0, sizeof(*q));
}

static bool
is_sort_column(const struct store_list_def *def, const char *name)
{
	size_t i;

	for (i = 0; i < def->n_sort; i++)
		if (strcmp(def->sort[i].name, name) == 0)
			return true;
	return false;
}

/* "%text%" for ILIKE, with its wildcards and escape character escaped. */
static char *
like_pattern(const char *text)
{
	struct wbuf w;
	const char *p;

	wbuf_init(&w);
	wbuf_putc(&w, '%');
	for (p = text; *p != '\0'; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			wbuf_putc(&w, '\\');
		wbuf_putc(&w, *p);
	}
	wbuf_putc(&w, '%');
	if (wbuf_error(&w) != PERR_OK) {
		wbuf_free(&w);
		return NULL;
	}
	return wbuf_steal(&w, NULL);
}

int
store_list_page(struct db *db, const struct store_list_def *def,
    const struct store_list_query *q, const char *const *scope, char **json)
{
	const char *params[6 + STORE_LIST_SCOPE_MAX];
	const char *sort = q->sort != NULL ? q->sort : def->default_sort;
	char limit[24], page[24], *pattern = NULL;
	bool searching = q->search != NULL && q->search[0] != '\0';
	int stmt = searching && def->stmt_search > 0 ? def->stmt_search :
	    def->stmt;
	size_t i;
	int rc;

	*json = NULL;
	if (stmt < 0 || stmt >= STMT_COUNT ||
	    def->n_scope > STORE_LIST_SCOPE_MAX ||
	    db_statements[stmt].nparams != 6 + (int)def->n_scope ||
	    !is_sort_column(def, sort) || q->limit < 1 ||
	    q->limit > STORE_LIST_LIMIT_MAX || q->page < 1)
		return PERR_INTERNAL;
	if (searching && (pattern = like_pattern(q->search)) == NULL)
		return PERR_NOMEM;
	snprintf(limit, sizeof(limit), "%lld", (long long)q->limit);
	snprintf(page, sizeof(page), "%lld", (long long)q->page);
	params[0] = pattern;
	params[1] = q->filters != NULL ? q->filters : "{}";
	params[2] = sort;
	params[3] = q->desc ? "desc" : "asc";
	params[4] = limit;
	params[5] = page;
	for (i = 0; i < def->n_scope; i++)
		params[6 + i] = scope[i];
	rc = db_exec_text(db, (enum stmt)stmt, params, json);
	free(pattern);
	return rc;
}
