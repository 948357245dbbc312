/*
 * Unit tests for src/store that need no PostgreSQL: the SQLSTATE mapping,
 * the statement table, the statement splitter (every byte offset), the
 * migration file names and sets, and reading a set from a directory. The
 * parts that talk to a server are covered by tests/e2e/migrations.test.mjs
 * and tests/e2e/store.test.mjs.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/common.h"
#include "store/internal.h"

static void
test_sqlstate_mapping(void **state)
{
	(void)state;
	assert_int_equal(db_sqlstate_to_perr("08006"), PERR_DB_UNAVAILABLE);
	assert_int_equal(db_sqlstate_to_perr("08001"), PERR_DB_UNAVAILABLE);
	assert_int_equal(db_sqlstate_to_perr("57P01"), PERR_DB_UNAVAILABLE);
	assert_int_equal(db_sqlstate_to_perr("57P03"), PERR_DB_UNAVAILABLE);
	assert_int_equal(db_sqlstate_to_perr("57014"), PERR_DB);
	assert_int_equal(db_sqlstate_to_perr("23505"), PERR_CONFLICT);
	assert_int_equal(db_sqlstate_to_perr("23503"), PERR_DB);
	assert_int_equal(db_sqlstate_to_perr("22P02"), PERR_INVALID);
	assert_int_equal(db_sqlstate_to_perr("22001"), PERR_INVALID);
	assert_int_equal(db_sqlstate_to_perr("42P01"), PERR_DB);
	assert_int_equal(db_sqlstate_to_perr("0800"), PERR_DB);
	assert_int_equal(db_sqlstate_to_perr("080061"), PERR_DB);
	assert_int_equal(db_sqlstate_to_perr(NULL), PERR_DB);
}

/* Highest $N in sql. */
static int
max_param(const char *sql)
{
	int max = 0, v;

	for (; *sql != '\0'; sql++) {
		if (*sql != '$' || sql[1] < '1' || sql[1] > '9')
			continue;
		v = atoi(sql + 1);
		if (v > max)
			max = v;
	}
	return max;
}

static void
test_statement_table(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < STMT_COUNT; i++) {
		assert_non_null(db_statements[i].name);
		assert_non_null(db_statements[i].sql);
		assert_int_equal(max_param(db_statements[i].sql),
		    db_statements[i].nparams);
		for (j = 0; j < i; j++)
			assert_string_not_equal(db_statements[i].name,
			    db_statements[j].name);
	}
}

/* Splits text; returns the count and copies statement texts into out. */
static size_t
split_ok(const char *text, char out[][128], unsigned *lines, size_t max)
{
	struct sql_stmt *st = NULL;
	const char *why = NULL;
	unsigned line = 0;
	size_t n = 0, i;

	assert_int_equal(sql_split(text, strlen(text), &st, &n, &line, &why),
	    PERR_OK);
	assert_true(n <= max);
	for (i = 0; i < n; i++) {
		assert_true(st[i].len < 128);
		memcpy(out[i], text + st[i].off, st[i].len);
		out[i][st[i].len] = '\0';
		if (lines != NULL)
			lines[i] = st[i].line;
	}
	free(st);
	return n;
}

static void
test_split_basic_and_lines(void **state)
{
	const char *text =
	    "-- header; not a statement\n"
	    "CREATE TABLE a (x int);\n"
	    "\n"
	    "/* block; /* nested; */ still; */\n"
	    "  INSERT INTO a\n"
	    "    VALUES (1);;;\n"
	    "SELECT 1 -- trailing; comment\n";
	char st[4][128];
	unsigned lines[4];

	(void)state;
	assert_int_equal(split_ok(text, st, lines, 4), 3);
	assert_string_equal(st[0], "CREATE TABLE a (x int)");
	assert_int_equal(lines[0], 2);
	assert_string_equal(st[1], "INSERT INTO a\n    VALUES (1)");
	assert_int_equal(lines[1], 5);
	assert_string_equal(st[2], "SELECT 1");
	assert_int_equal(lines[2], 7);
}

static void
test_split_quotes(void **state)
{
	char st[8][128];
	unsigned lines[8];

	(void)state;
	/* Semicolons inside strings, identifiers and dollar quotes. */
	assert_int_equal(split_ok("SELECT 'a;b''c;'; SELECT \"x;\"\"y\"",
	    st, NULL, 8), 2);
	assert_string_equal(st[0], "SELECT 'a;b''c;'");
	assert_string_equal(st[1], "SELECT \"x;\"\"y\"");
	/* Standard strings: the backslash is an ordinary byte. */
	assert_int_equal(split_ok("SELECT 'a\\'; SELECT 2", st, NULL, 8), 2);
	assert_string_equal(st[0], "SELECT 'a\\'");
	/* E'' strings: it escapes. */
	assert_int_equal(split_ok("SELECT E'a\\';b'; SELECT 2", st, NULL, 8),
	    2);
	assert_string_equal(st[0], "SELECT E'a\\';b'");
	assert_int_equal(split_ok("SELECT e'\\\\'; SELECT 2", st, NULL, 8), 2);
	/* A word ending in e is not an E prefix. */
	assert_int_equal(split_ok("SELECT 1 AS type'x\\'; SELECT 2", st, NULL,
	    8), 2);
	/* Dollar quotes, tagged and nested, over several lines. */
	assert_int_equal(split_ok(
	    "CREATE FUNCTION f() RETURNS int AS $body$\n"
	    "BEGIN\n  PERFORM $$;$$;\n  RETURN 1;\nEND;\n"
	    "$body$ LANGUAGE plpgsql;\n"
	    "SELECT $1, a$b$c, $$x$$;\n", st, lines, 8), 2);
	assert_int_equal(lines[1], 7);
	assert_string_equal(st[1], "SELECT $1, a$b$c, $$x$$");
	/* Empty dollar quote and empty file. */
	assert_int_equal(split_ok("SELECT $$$$;", st, NULL, 8), 1);
	assert_int_equal(split_ok("", st, NULL, 8), 0);
	assert_int_equal(split_ok(" -- only\n/* comments */ ;\n", st, NULL, 8),
	    0);
}

static void
expect_split_error(const char *text, int rc, unsigned line)
{
	struct sql_stmt *st = NULL;
	const char *why = NULL;
	unsigned err_line = 0;
	size_t n = 0;

	assert_int_equal(sql_split(text, strlen(text), &st, &n, &err_line,
	    &why), rc);
	assert_null(st);
	assert_non_null(why);
	assert_int_equal(err_line, line);
}

static void
test_split_errors(void **state)
{
	(void)state;
	expect_split_error("SELECT 1;\nSELECT 'abc;\n\n", PERR_INVALID, 2);
	expect_split_error("SELECT \"abc;", PERR_INVALID, 1);
	expect_split_error("SELECT E'abc\\';", PERR_INVALID, 1);
	expect_split_error("\n\nSELECT $x$ abc $y$;", PERR_INVALID, 3);
	expect_split_error("SELECT 1; /* /* */", PERR_INVALID, 1);
	expect_split_error("SELECT 1;\n\nBEGIN;\nSELECT 2;", PERR_INVALID, 3);
	expect_split_error("commit", PERR_INVALID, 1);
	expect_split_error("SELECT 1;\nRollback;", PERR_INVALID, 2);
	expect_split_error("START TRANSACTION;", PERR_INVALID, 1);
	expect_split_error("CREATE FUNCTION f() RETURNS int LANGUAGE sql\n"
	    "BEGIN ATOMIC\n SELECT 1;\nEND;", PERR_INVALID, 2);
	/* Words that only look alike are fine. */
	{
		char st[4][128];

		assert_int_equal(split_ok("CREATE TABLE began (ended int);"
		    "UPDATE t SET commit_at = now()", st, NULL, 4), 2);
	}
}

static void
test_split_nul_and_limits(void **state)
{
	static const char nul[] = "SELECT 1;\nSELECT '\0';";
	struct sql_stmt *st = NULL;
	const char *why = NULL;
	unsigned line = 0;
	size_t n = 0, i;
	char *big;

	(void)state;
	assert_int_equal(sql_split(nul, sizeof(nul) - 1, &st, &n, &line, &why),
	    PERR_INVALID);
	assert_int_equal(line, 2);
	/* One statement over the limit. */
	big = malloc(2 * (SQL_SPLIT_STATEMENTS_MAX + 1) + 1);
	assert_non_null(big);
	for (i = 0; i <= SQL_SPLIT_STATEMENTS_MAX; i++)
		memcpy(big + 2 * i, "x;", 2);
	assert_int_equal(sql_split(big, 2 * SQL_SPLIT_STATEMENTS_MAX, &st, &n,
	    &line, &why), PERR_OK);
	assert_int_equal(n, SQL_SPLIT_STATEMENTS_MAX);
	free(st);
	st = NULL;
	assert_int_equal(sql_split(big, 2 * (SQL_SPLIT_STATEMENTS_MAX + 1), &st,
	    &n, &line, &why), PERR_TOO_LARGE);
	assert_null(st);
	free(big);
	assert_int_equal(sql_split("x", (size_t)SQL_SPLIT_INPUT_MAX + 1, &st,
	    &n, &line, &why), PERR_TOO_LARGE);
}

/* Every prefix of a file full of traps either splits or is refused. */
static void
test_split_every_truncation(void **state)
{
	static const char text[] =
	    "-- c;\nCREATE TABLE \"t;\" (v text DEFAULT 'a''b;');\n"
	    "/* x /* y */ ; */ SELECT E'\\';', $q$ ; $$ $q$, $1;\n"
	    "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql";
	struct sql_stmt *st;
	const char *why;
	unsigned line;
	size_t cut, n, i;
	int rc;

	(void)state;
	for (cut = 0; cut <= sizeof(text) - 1; cut++) {
		char *copy = malloc(cut > 0 ? cut : 1);

		/* An exact-size heap copy lets ASan catch an overread. */
		assert_non_null(copy);
		memcpy(copy, text, cut);
		st = NULL;
		n = 0;
		rc = sql_split(copy, cut, &st, &n, &line, &why);
		assert_true(rc == PERR_OK || rc == PERR_INVALID);
		if (rc == PERR_OK) {
			for (i = 0; i < n; i++) {
				assert_true(st[i].off + st[i].len <= cut);
				assert_true(st[i].len > 0);
				assert_true(i == 0 ||
				    st[i].off > st[i - 1].off + st[i - 1].len);
			}
		} else {
			assert_non_null(why);
			assert_true(line >= 1);
		}
		free(st);
		free(copy);
	}
	/* And the whole text is three statements. */
	st = NULL;
	assert_int_equal(sql_split(text, sizeof(text) - 1, &st, &n, &line,
	    &why), PERR_OK);
	assert_int_equal(n, 3);
	free(st);
}

static void
test_migration_file_names(void **state)
{
	(void)state;
	assert_int_equal(migration_file_version("0001_init.sql"), 1);
	assert_int_equal(migration_file_version("0042_add_users_2.sql"), 42);
	assert_int_equal(migration_file_version("9999_x.sql"), 9999);
	assert_int_equal(migration_file_version("0000_x.sql"), 0);
	assert_int_equal(migration_file_version("001_init.sql"), 0);
	assert_int_equal(migration_file_version("0001init.sql"), 0);
	assert_int_equal(migration_file_version("0001_.sql"), 0);
	assert_int_equal(migration_file_version("0001_Init.sql"), 0);
	assert_int_equal(migration_file_version("0001_in-it.sql"), 0);
	assert_int_equal(migration_file_version("0001_init.sql.bak"), 0);
	assert_int_equal(migration_file_version("0001_init.SQL"), 0);
	assert_int_equal(migration_file_version("a001_init.sql"), 0);
	/* 64 bytes is MIGRATION_NAME_MAX, 65 one over. */
	assert_int_equal(migration_file_version("0001_"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sql"), 1);
	assert_int_equal(migration_file_version("0001_"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sql"), 0);
}

static void
test_migration_sets(void **state)
{
	static const struct migration good[] = {
		{ 1, "0001_a.sql", "SELECT 1;", 9 },
		{ 3, "0003_b.sql", "SELECT 3;", 9 },
	};
	static const struct migration unordered[] = {
		{ 3, "0003_b.sql", "SELECT 3;", 9 },
		{ 1, "0001_a.sql", "SELECT 1;", 9 },
	};
	static const struct migration misnamed[] = {
		{ 2, "0001_a.sql", "SELECT 1;", 9 },
	};
	static const struct migration bad_utf8[] = {
		{ 1, "0001_a.sql", "SELECT '\xff';", 11 },
	};
	const struct migration_set emb = store_migrations_embedded;
	struct migration_set set;
	const char *why = NULL;

	(void)state;
	set.items = good;
	set.n = 2;
	assert_int_equal(migration_set_check(&set, &why), PERR_OK);
	set.items = unordered;
	assert_int_equal(migration_set_check(&set, &why), PERR_INVALID);
	set.items = misnamed;
	set.n = 1;
	assert_int_equal(migration_set_check(&set, &why), PERR_INVALID);
	set.items = bad_utf8;
	assert_int_equal(migration_set_check(&set, &why), PERR_INVALID);
	/* The set compiled in: valid, starts with 0001_init, holds kv. */
	assert_int_equal(migration_set_check(&emb, &why), PERR_OK);
	assert_true(emb.n >= 1);
	assert_string_equal(emb.items[0].file, "0001_init.sql");
	assert_int_equal(emb.items[0].version, 1);
	assert_int_equal(strlen(emb.items[0].sql), emb.items[0].sql_len);
	assert_non_null(strstr(emb.items[0].sql, "CREATE TABLE kv"));
}

/* A temporary directory with the given files; returns its path. */
static char *
make_dir(const char *const *names, const char *const *texts, size_t n)
{
	char tmpl[] = "/tmp/test_store.XXXXXX";
	char path[512];
	FILE *f;
	size_t i;

	assert_non_null(mkdtemp(tmpl));
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpl, names[i]);
		assert_non_null(f = fopen(path, "w"));
		fputs(texts[i], f);
		fclose(f);
	}
	return strdup(tmpl);
}

static void
remove_dir(char *dir, const char *const *names, size_t n)
{
	char path[512];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

static void
test_load_dir(void **state)
{
	static const char *const names[] = {
		"0010_later.sql", "0002_first.sql", "README.md", "notes.txt",
	};
	static const char *const texts[] = {
		"SELECT 10;", "SELECT 2;", "# not sql", "x",
	};
	static const char *const bad_names[] = { "0002_first.sql", "2_x.sql" };
	static const char *const dup_names[] = { "0002_a.sql", "0002_b.sql" };
	struct migration_set *set = NULL;
	char *dir, *why = NULL;

	(void)state;
	dir = make_dir(names, texts, 4);
	assert_int_equal(store_migrations_load_dir(dir, &set, &why), PERR_OK);
	assert_int_equal(set->n, 2);
	assert_int_equal(set->items[0].version, 2);
	assert_string_equal(set->items[0].file, "0002_first.sql");
	assert_string_equal(set->items[0].sql, "SELECT 2;");
	assert_int_equal(set->items[1].version, 10);
	assert_int_equal(set->items[1].sql_len, 10);
	store_migrations_free(set);
	remove_dir(dir, names, 4);

	dir = make_dir(bad_names, texts, 2);
	assert_int_equal(store_migrations_load_dir(dir, &set, &why),
	    PERR_INVALID);
	assert_null(set);
	assert_non_null(strstr(why, "2_x.sql"));
	free(why);
	remove_dir(dir, bad_names, 2);

	dir = make_dir(dup_names, texts, 2);
	assert_int_equal(store_migrations_load_dir(dir, &set, &why),
	    PERR_INVALID);
	assert_non_null(strstr(why, "same version"));
	free(why);
	remove_dir(dir, dup_names, 2);

	assert_int_equal(store_migrations_load_dir("/nonexistent/dir", &set,
	    &why), PERR_IO);
	assert_non_null(strstr(why, "/nonexistent/dir"));
	free(why);
}

static void
test_conninfo_refused(void **state)
{
	struct db *db = NULL;

	(void)state;
	log_configure(LOG_ERROR + 1, false);
	assert_int_equal(db_new("", &db), PERR_CONFIG);
	assert_int_equal(db_new(NULL, &db), PERR_CONFIG);
	assert_int_equal(db_new("host=x bogus_option=1", &db), PERR_CONFIG);
	assert_int_equal(db_new("postgresql://[::1", &db), PERR_CONFIG);
	assert_null(db);
	/* A good one makes a handle without connecting. */
	assert_int_equal(db_new("postgresql://nobody@127.0.0.1:1/none", &db),
	    PERR_OK);
	assert_non_null(db);
	assert_string_equal(db_error_message(db), "");
	db_close(db);
	log_configure(LOG_INFO, false);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqlstate_mapping),
		cmocka_unit_test(test_statement_table),
		cmocka_unit_test(test_split_basic_and_lines),
		cmocka_unit_test(test_split_quotes),
		cmocka_unit_test(test_split_errors),
		cmocka_unit_test(test_split_nul_and_limits),
		cmocka_unit_test(test_split_every_truncation),
		cmocka_unit_test(test_migration_file_names),
		cmocka_unit_test(test_migration_sets),
		cmocka_unit_test(test_load_dir),
		cmocka_unit_test(test_conninfo_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
