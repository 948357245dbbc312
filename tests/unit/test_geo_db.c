/*
 * Unit tests for admin/geo_db.c: GeoLite2 lookups against small MaxMind
 * databases written by tests/e2e/lib/mmdb.mjs (geo_db_fixture.h), hot
 * reload when the file is replaced, removed or broken, every truncation
 * of a valid database, and the check of names taken from the file.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/common.h"
#include "admin/admin_config.h"

#include "geo_db_fixture.h"

/*
 * libmaxminddb 1.7.1 (Debian 12) leaks a few allocations inside MMDB_open
 * when a file's metadata is cut short (it fails with
 * MMDB_INVALID_DATA_ERROR and does not free its entry-data pool); the
 * truncated databases here hit that. Not ours to free: LeakSanitizer is
 * told to ignore leaks allocated inside that library only.
 */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libmaxminddb.so\n";
}

struct tmp {
	char dir[64];
	char path[96];
	char next[96];
	unsigned generation;
};

static int
tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	snprintf(t->dir, sizeof(t->dir), "/tmp/test-geo-db-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/city.mmdb", t->dir);
	snprintf(t->next, sizeof(t->next), "%s/city.mmdb.new", t->dir);
	*state = t;
	return 0;
}

static int
tmp_teardown(void **state)
{
	struct tmp *t = *state;

	(void)unlink(t->path);
	(void)unlink(t->next);
	(void)rmdir(t->dir);
	free(t);
	return 0;
}

/* Replaces the file by renaming a new one over it, as an update should;
 * the mtime is moved on so that even a same-size file is seen as new. */
static void
put(struct tmp *t, const unsigned char *bytes, size_t len)
{
	FILE *f = fopen(t->next, "wb");
	struct timespec times[2];

	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	t->generation++;
	times[0].tv_sec = times[1].tv_sec = 1700000000 + t->generation;
	times[0].tv_nsec = times[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, t->next, times, 0), 0);
	assert_int_equal(rename(t->next, t->path), 0);
}

static void
expect(struct geo_db *g, const char *ip, const char *country,
    const char *city)
{
	char *co = NULL, *ci = NULL;

	geo_db_lookup(g, ip, &co, &ci);
	if (country == NULL)
		assert_null(co);
	else
		assert_string_equal(co, country);
	if (city == NULL)
		assert_null(ci);
	else
		assert_string_equal(ci, city);
	free(co);
	free(ci);
}

static void
test_no_path(void **state)
{
	struct geo_db *g = (struct geo_db *)1;

	(void)state;
	assert_int_equal(geo_db_new(NULL, &g), PERR_OK);
	assert_null(g);
	assert_int_equal(geo_db_new("", &g), PERR_OK);
	assert_null(g);
	expect(NULL, "192.0.2.7", NULL, NULL);
	geo_db_free(NULL);
}

static void
test_lookup(void **state)
{
	struct tmp *t = *state;
	struct geo_db *g = NULL;

	put(t, geo_db_a, sizeof(geo_db_a));
	assert_int_equal(geo_db_new(t->path, &g), PERR_OK);
	assert_non_null(g);
	expect(g, "192.0.2.7", "Testland", "Exampleville");
	expect(g, "192.0.2.255", "Testland", "Exampleville");
	expect(g, "192.0.3.1", NULL, NULL);
	expect(g, "203.0.113.9", "Nocityland", NULL);
	expect(g, "2001:db8::1", "Sixland", "Hexham");
	expect(g, "2001:db9::1", NULL, NULL);
	expect(g, "8.8.8.8", NULL, NULL);
	expect(g, "not an address", NULL, NULL);
	expect(g, "", NULL, NULL);
	expect(g, NULL, NULL, NULL);
	geo_db_free(g);
}

static void
test_hot_reload(void **state)
{
	struct tmp *t = *state;
	struct geo_db *g = NULL;
	static const unsigned char junk[] = "this is not a MaxMind database";

	/* Absent at start: no location, and no error. */
	assert_int_equal(geo_db_new(t->path, &g), PERR_OK);
	assert_non_null(g);
	expect(g, "192.0.2.7", NULL, NULL);
	/* Appears. */
	put(t, geo_db_a, sizeof(geo_db_a));
	expect(g, "192.0.2.7", "Testland", "Exampleville");
	/* Replaced. */
	put(t, geo_db_b, sizeof(geo_db_b));
	expect(g, "192.0.2.7", "Otherland", "Newtown");
	expect(g, "203.0.113.9", NULL, NULL);
	/* Broken: no location rather than the old answers. */
	put(t, junk, sizeof(junk));
	expect(g, "192.0.2.7", NULL, NULL);
	expect(g, "192.0.2.7", NULL, NULL);
	/* Repaired. */
	put(t, geo_db_a, sizeof(geo_db_a));
	expect(g, "192.0.2.7", "Testland", "Exampleville");
	/* Removed. */
	assert_int_equal(unlink(t->path), 0);
	expect(g, "192.0.2.7", NULL, NULL);
	/* A directory in its place is not a database either. */
	assert_int_equal(mkdir(t->path, 0700), 0);
	expect(g, "192.0.2.7", NULL, NULL);
	assert_int_equal(rmdir(t->path), 0);
	geo_db_free(g);
}

/* Names of the wrong type or with control characters are not taken. */
static void
test_odd_data(void **state)
{
	struct tmp *t = *state;
	struct geo_db *g = NULL;

	put(t, geo_db_odd, sizeof(geo_db_odd));
	assert_int_equal(geo_db_new(t->path, &g), PERR_OK);
	expect(g, "192.0.2.7", NULL, NULL);
	expect(g, "198.51.100.7", NULL, NULL);
	geo_db_free(g);
}

/* Every prefix of a valid database: no crash, and any answer is the
 * right one or none. */
static void
test_truncated(void **state)
{
	struct tmp *t = *state;
	struct geo_db *g = NULL;
	size_t n;

	put(t, geo_db_a, 0);
	assert_int_equal(geo_db_new(t->path, &g), PERR_OK);
	for (n = 0; n < sizeof(geo_db_a); n++) {
		char *co = NULL, *ci = NULL;

		put(t, geo_db_a, n);
		geo_db_lookup(g, "192.0.2.7", &co, &ci);
		if (co != NULL)
			assert_string_equal(co, "Testland");
		if (ci != NULL)
			assert_string_equal(ci, "Exampleville");
		free(co);
		free(ci);
		geo_db_lookup(g, "2001:db8::1", &co, &ci);
		if (co != NULL)
			assert_string_equal(co, "Sixland");
		free(co);
		free(ci);
	}
	put(t, geo_db_a, sizeof(geo_db_a));
	expect(g, "192.0.2.7", "Testland", "Exampleville");
	geo_db_free(g);
}

static void
test_name_is_ok(void **state)
{
	char long_name[GEO_NAME_MAX + 1];

	(void)state;
	assert_true(geo_name_is_ok("Zürich", strlen("Zürich")));
	assert_true(geo_name_is_ok("Sankt Gallen", 12));
	assert_false(geo_name_is_ok("", 0));
	assert_false(geo_name_is_ok("a\nb", 3));
	assert_false(geo_name_is_ok("a\tb", 3));
	assert_false(geo_name_is_ok("a\x7f", 2));
	assert_false(geo_name_is_ok("a\0b", 3));
	assert_false(geo_name_is_ok("\xc3", 1));
	assert_false(geo_name_is_ok("\xff\xfe", 2));
	memset(long_name, 'x', sizeof(long_name));
	assert_true(geo_name_is_ok(long_name, GEO_NAME_MAX));
	assert_false(geo_name_is_ok(long_name, GEO_NAME_MAX + 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_path),
		cmocka_unit_test_setup_teardown(test_lookup, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_hot_reload, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_odd_data, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test(test_name_is_ok),
	};

	/* The broken files of test_truncated would log 1,500 lines. */
	log_configure((enum log_level)(LOG_ERROR + 1), false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
