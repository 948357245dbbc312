/*
 * Unit tests for the pure parts of src/admin: the list-request parser
 * (spec §0.5) with odd and truncated inputs, the TTL parser (spec §0.4)
 * and the username and email rules. The handlers are covered end to end
 * by tests/e2e/admin-users.test.mjs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "common/common.h"
#include "http/http.h"
#include "admin/admin.h"

static const struct store_list_column t_sort[] = {
	{ "name", STORE_LIST_TEXT }, { "createdAt", STORE_LIST_TEXT },
	{ "count", STORE_LIST_INT },
};
static const struct store_list_column t_filter[] = {
	{ "active", STORE_LIST_BOOL }, { "count", STORE_LIST_INT },
	{ "kind", STORE_LIST_TEXT },
};
static const struct store_list_def t_def = {
	.stmt = 0, .sort = t_sort, .n_sort = 3, .filter = t_filter,
	.n_filter = 3, .default_sort = "createdAt", .default_desc = true,
	.has_search = true,
};
static const struct store_list_def t_plain = {
	.stmt = 0, .sort = t_sort, .n_sort = 1, .default_sort = "name",
};

static int
parse(const struct store_list_def *def, const char *query,
    struct store_list_query *q, struct admin_field_error *e)
{
	return admin_list_parse(query, def, q, e);
}

/* Parses query, expecting a refusal naming field. */
static void
refused(const struct store_list_def *def, const char *query,
    const char *field, const char *code)
{
	struct store_list_query q;
	struct admin_field_error e;

	assert_int_equal(parse(def, query, &q, &e), PERR_INVALID);
	assert_string_equal(e.field, field);
	if (code != NULL)
		assert_string_equal(e.code, code);
	assert_non_null(e.message);
	assert_null(q.search);
	assert_null(q.filters);
}

static void
test_defaults(void **state)
{
	struct store_list_query q;
	struct admin_field_error e;

	(void)state;
	assert_int_equal(parse(&t_def, NULL, &q, &e), PERR_OK);
	assert_int_equal(q.page, 1);
	assert_int_equal(q.limit, STORE_LIST_LIMIT_DEFAULT);
	assert_null(q.sort);
	assert_true(q.desc);		/* the def's default direction */
	assert_null(q.search);
	assert_null(q.filters);
	store_list_query_clear(&q);
	assert_int_equal(parse(&t_def, "", &q, &e), PERR_OK);
	assert_int_equal(q.page, 1);
	store_list_query_clear(&q);
	/* Empty values and pairs count as absent. */
	assert_int_equal(parse(&t_def, "&&pagination[page]=&sort[column]=&"
	    "search=&filters[active]=&=x&&", &q, &e), PERR_OK);
	assert_int_equal(q.page, 1);
	assert_null(q.sort);
	assert_null(q.search);
	assert_null(q.filters);
	store_list_query_clear(&q);
}

static void
test_everything(void **state)
{
	struct store_list_query q;
	struct admin_field_error e;

	(void)state;
	assert_int_equal(parse(&t_def, "pagination[page]=3&pagination[limit]="
	    "100&sort[column]=name&sort[direction]=DESC&search=a%25b+c"
	    "&filters[active][0]=true&filters[active][1]=FALSE"
	    "&filters[count]=-7&filters%5Bkind%5D%5B%5D=x%22y&other=1",
	    &q, &e), PERR_OK);
	assert_int_equal(q.page, 3);
	assert_int_equal(q.limit, 100);
	assert_string_equal(q.sort, "name");
	assert_ptr_equal(q.sort, t_sort[0].name);
	assert_true(q.desc);
	assert_string_equal(q.search, "a%b c");
	assert_string_equal(q.filters,
	    "{\"active\":[true,false],\"count\":[-7],\"kind\":[\"x\\\"y\"]}");
	store_list_query_clear(&q);
}

static void
test_direction_rules(void **state)
{
	struct store_list_query q;
	struct admin_field_error e;

	(void)state;
	/* A column without a direction sorts ascending... */
	assert_int_equal(parse(&t_def, "sort[column]=count", &q, &e),
	    PERR_OK);
	assert_string_equal(q.sort, "count");
	assert_false(q.desc);
	store_list_query_clear(&q);
	/* ...a direction alone applies to the default column. */
	assert_int_equal(parse(&t_def, "sort[direction]=asc", &q, &e),
	    PERR_OK);
	assert_null(q.sort);
	assert_false(q.desc);
	store_list_query_clear(&q);
	/* The first of repeated scalars wins. */
	assert_int_equal(parse(&t_def, "pagination[page]=2&pagination[page]="
	    "x&sort[column]=name&sort[column]=nope", &q, &e), PERR_OK);
	assert_int_equal(q.page, 2);
	assert_string_equal(q.sort, "name");
	store_list_query_clear(&q);
}

static void
test_refusals(void **state)
{
	char big[101 * 16 + 1];
	size_t i;

	(void)state;
	refused(&t_def, "sort[column]=password", "sort[column]",
	    "invalid_value");
	refused(&t_def, "sort[column]=NAME", "sort[column]", NULL);
	refused(&t_def, "sort[direction]=up", "sort[direction]", NULL);
	refused(&t_def, "sort[order]=asc", "sort", NULL);
	refused(&t_def, "pagination[size]=3", "pagination", NULL);
	refused(&t_def, "pagination[limit]=0", "pagination[limit]", NULL);
	refused(&t_def, "pagination[limit]=101", "pagination[limit]", NULL);
	refused(&t_def, "pagination[limit]=1e2", "pagination[limit]", NULL);
	refused(&t_def, "pagination[limit]=+5", "pagination[limit]", NULL);
	refused(&t_def, "pagination[page]=0", "pagination[page]", NULL);
	refused(&t_def, "pagination[page]=-1", "pagination[page]", NULL);
	refused(&t_def, "pagination[page]=2147483648", "pagination[page]",
	    NULL);
	refused(&t_def, "pagination[page]=99999999999999999999",
	    "pagination[page]", NULL);
	refused(&t_def, "filters[secret]=1", "filters", "invalid_value");
	refused(&t_def, "filters[active]=yes", "filters", NULL);
	refused(&t_def, "filters[count]=1.5", "filters", NULL);
	refused(&t_def, "filters[active]x=true", "filters", "invalid_format");
	refused(&t_def, "filters[active][x]=true", "filters",
	    "invalid_format");
	refused(&t_def, "filters[active][0]]=true", "filters",
	    "invalid_format");
	refused(&t_def, "filters[]=true", "filters", "invalid_format");
	refused(&t_def, "filters[active=true", "filters", "invalid_format");
	refused(&t_plain, "filters[active]=true", "filters", NULL);
	refused(&t_plain, "search=x", "search", NULL);
	refused(&t_def, "search=%zz", "query", "invalid_format");
	refused(&t_def, "search=%00", "query", NULL);
	refused(&t_def, "search=%ff", "query", NULL);
	refused(&t_def, "sort%5Bcolumn%5D=bad", "sort[column]", NULL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "search=", 7);
	refused(&t_def, big, "search", "too_long");
	/* 101 filter values. */
	for (i = 0; i < 101; i++)
		memcpy(big + i * 16, "filters[kind]=a&", 16);
	big[101 * 16] = '\0';
	refused(&t_def, big, "filters", NULL);
}

static void
test_too_large(void **state)
{
	struct store_list_query q;
	struct admin_field_error e;
	char *huge = malloc(HTTP_QUERY_MAX + 2);

	(void)state;
	assert_non_null(huge);
	memset(huge, 'x', HTTP_QUERY_MAX + 1);
	huge[HTTP_QUERY_MAX + 1] = '\0';
	assert_int_equal(parse(&t_def, huge, &q, &e), PERR_TOO_LARGE);
	free(huge);
}

/* Every prefix of a rich query parses or is refused; never more. */
static void
test_truncation(void **state)
{
	const char *full = "pagination%5Bpage%5D=2&pagination[limit]=50&"
	    "sort[column]=count&sort[direction]=desc&search=%C3%A9t%C3%A9&"
	    "filters[active][0]=true&filters[kind][1]=a%26b&filters[count]=9";
	struct store_list_query q;
	struct admin_field_error e;
	size_t n = strlen(full), i;
	char *prefix;
	int rc;

	(void)state;
	for (i = 0; i <= n; i++) {
		prefix = strndup(full, i);
		assert_non_null(prefix);
		rc = parse(&t_def, prefix, &q, &e);
		assert_true(rc == PERR_OK || rc == PERR_INVALID);
		if (rc == PERR_OK) {
			assert_true(q.page >= 1);
			assert_true(q.limit >= 1 &&
			    q.limit <= STORE_LIST_LIMIT_MAX);
			store_list_query_clear(&q);
		} else {
			assert_non_null(e.field);
		}
		free(prefix);
	}
	assert_int_equal(parse(&t_def, full, &q, &e), PERR_OK);
	assert_string_equal(q.search, "\xc3\xa9t\xc3\xa9");
	assert_string_equal(q.filters,
	    "{\"active\":[true],\"count\":[9],\"kind\":[\"a&b\"]}");
	store_list_query_clear(&q);
}

/* The real descriptions: their defaults are among their columns. */
static void
test_store_defs(void **state)
{
	const struct store_list_def *defs[] = { &store_list_users,
		&store_list_user_groups, &store_list_signup_tokens };
	struct store_list_query q;
	struct admin_field_error e;
	size_t i, j;
	bool found;

	(void)state;
	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		found = false;
		for (j = 0; j < defs[i]->n_sort; j++)
			found |= strcmp(defs[i]->sort[j].name,
			    defs[i]->default_sort) == 0;
		assert_true(found);
	}
	assert_int_equal(parse(&store_list_users, "filters[isAdmin]=true&"
	    "filters[disabled][0]=false&sort[column]=emailVerified&"
	    "search=tim", &q, &e), PERR_OK);
	assert_string_equal(q.filters,
	    "{\"isAdmin\":[true],\"disabled\":[false]}");
	store_list_query_clear(&q);
	refused(&store_list_users, "filters[username]=tim", "filters", NULL);
	refused(&store_list_users, "sort[column]=password", "sort[column]",
	    NULL);
	refused(&store_list_signup_tokens, "search=x", "search", NULL);
	assert_int_equal(parse(&store_list_user_groups,
	    "sort[column]=userCount&sort[direction]=desc", &q, &e), PERR_OK);
	store_list_query_clear(&q);
}

static void
test_username_email(void **state)
{
	(void)state;
	assert_true(admin_is_valid_username("a"));
	assert_true(admin_is_valid_username("tim.cook@x-y_z9"));
	assert_true(admin_is_valid_username(
	    "12345678901234567890123456789012345678901234567890"));
	assert_false(admin_is_valid_username(""));
	assert_false(admin_is_valid_username("-tim"));
	assert_false(admin_is_valid_username("tim."));
	assert_false(admin_is_valid_username("ti m"));
	assert_false(admin_is_valid_username("t\xc3\xa9"));
	assert_false(admin_is_valid_username(
	    "a12345678901234567890123456789012345678901234567890"));
	assert_true(admin_is_valid_email("tim@test.com"));
	assert_true(admin_is_valid_email("a.b+c@sub.example.org"));
	assert_true(admin_is_valid_email("x@b\xc3\xbc.de"));
	assert_false(admin_is_valid_email("tim"));
	assert_false(admin_is_valid_email("@x.y"));
	assert_false(admin_is_valid_email("a@b"));
	assert_false(admin_is_valid_email("a@@b.c"));
	assert_false(admin_is_valid_email("a b@c.d"));
	assert_false(admin_is_valid_email("a@.c"));
	assert_false(admin_is_valid_email("a@b..c"));
	assert_false(admin_is_valid_email("a@b.c."));
	assert_false(admin_is_valid_email("a@b_c.d"));
	assert_int_equal(admin_utf8_chars("t\xc3\xa9st"), 4);
	assert_int_equal(admin_utf8_chars(""), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_everything),
		cmocka_unit_test(test_direction_rules),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_store_defs),
		cmocka_unit_test(test_username_email),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
