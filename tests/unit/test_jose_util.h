/*
 * Helpers shared by the JOSE unit tests: reading the public vectors in
 * place ($PI_VECTORS_DIR), hex-free base64url shortcuts, hand-built tokens.
 * Header-only so each test program stays one translation unit plus this.
 */
#ifndef POCKETID_TEST_JOSE_UTIL_H
#define POCKETID_TEST_JOSE_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

/* The vector directory sub under $PI_VECTORS_DIR, or NULL (and a note on
 * stdout) when it is not there. Caller frees. */
static inline char *
vectors_dir(const char *sub)
{
	const char *base = getenv("PI_VECTORS_DIR");
	struct stat st;
	char *path;
	size_t n;

	if (base == NULL || *base == '\0') {
		printf("# PI_VECTORS_DIR is not set: JOSE vectors not found, "
		    "skipping\n");
		return NULL;
	}
	n = strlen(base) + strlen(sub) + 2;
	path = malloc(n);
	assert_non_null(path);
	snprintf(path, n, "%s/%s", base, sub);
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("# %s not found: JOSE vectors skipped\n", path);
		free(path);
		return NULL;
	}
	return path;
}

/* Parses every *.json file of dir and calls fn on it; returns the count. */
static inline size_t
for_each_vector(const char *dir, void (*fn)(const char *name,
    struct json_object *v))
{
	struct dirent *de;
	struct json_object *v;
	size_t n = 0, len;
	char path[1024];
	DIR *d;

	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		v = json_object_from_file(path);
		assert_non_null(v);
		fn(de->d_name, v);
		json_object_put(v);
		n++;
	}
	closedir(d);
	return n;
}

/* A member of v as a string (asserted present). */
static inline const char *
vstr(struct json_object *v, const char *name)
{
	struct json_object *m;

	assert_true(json_object_object_get_ex(v, name, &m));
	return json_object_get_string(m);
}

/* A member of v re-serialised as compact JSON text. */
static inline const char *
vjson(struct json_object *v, const char *name)
{
	struct json_object *m;

	assert_true(json_object_object_get_ex(v, name, &m));
	return json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
}

#endif
