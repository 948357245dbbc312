/*
 * fuzz_geo_db: admin/geo_db.c on arbitrary database files. libmaxminddb
 * parses the file; this checks that what our lookup asks of it and takes
 * from it never crashes, leaks or lets through a name geo_name_is_ok
 * refuses, whatever the file holds. Seeds: tests/fuzz/corpus/geo_db/
 * (written by tests/unit/geo_db_fixture.mjs).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "admin/admin_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

static void
check(const char *name)
{
	if (name != NULL && !geo_name_is_ok(name, strlen(name)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *ips[] = { "192.0.2.7", "198.51.100.1",
	    "203.0.113.9", "2001:db8::1", "8.8.8.8", "::" };
	char path[64];
	struct geo_db *g = NULL;
	FILE *f;
	size_t i;

	log_configure((enum log_level)(LOG_ERROR + 1), false);
	snprintf(path, sizeof(path), "/tmp/fuzz_geo_db.%ld.mmdb",
	    (long)getpid());
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	if (fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fclose(f);
	if (geo_db_new(path, &g) == PERR_OK) {
		for (i = 0; i < sizeof(ips) / sizeof(ips[0]); i++) {
			char *country = NULL, *city = NULL;

			geo_db_lookup(g, ips[i], &country, &city);
			check(country);
			check(city);
			free(country);
			free(city);
		}
		geo_db_free(g);
	}
	(void)unlink(path);
	return 0;
}
