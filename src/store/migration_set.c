/*
 * migration_set: what a set of migrations must look like (NNNN_name.sql,
 * versions ascending, UTF-8 text under the size limit), and reading one
 * from a directory for `pocket-id migrate --dir`. The set compiled into
 * the binary (migrations_embedded.c) is checked by the same rules before
 * it is used.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "store/internal.h"

int
migration_file_version(const char *file)
{
	size_t n = strnlen(file, MIGRATION_NAME_MAX + 1);
	size_t i;
	int version = 0;

	/* "NNNN_" + at least one name byte + ".sql" */
	if (n > MIGRATION_NAME_MAX || n < 10 ||
	    strcmp(file + n - 4, ".sql") != 0 || file[4] != '_')
		return 0;
	for (i = 0; i < 4; i++) {
		if (file[i] < '0' || file[i] > '9')
			return 0;
		version = version * 10 + (file[i] - '0');
	}
	for (i = 5; i < n - 4; i++)
		if (!((file[i] >= 'a' && file[i] <= 'z') ||
		    (file[i] >= '0' && file[i] <= '9') || file[i] == '_'))
			return 0;
	return version;
}

int
migration_set_check(const struct migration_set *set, const char **why)
{
	const struct migration *m;
	size_t i;

	if (set->n > MIGRATIONS_MAX) {
		*why = "too many migrations";
		return PERR_INVALID;
	}
	for (i = 0; i < set->n; i++) {
		m = &set->items[i];
		if (m->file == NULL || m->sql == NULL ||
		    migration_file_version(m->file) != m->version ||
		    m->version < 1) {
			*why = "a migration is not named NNNN_name.sql";
			return PERR_INVALID;
		}
		if (i > 0 && m->version <= set->items[i - 1].version) {
			*why = "migration versions are not strictly ascending";
			return PERR_INVALID;
		}
		if (m->sql_len > MIGRATION_FILE_MAX ||
		    m->sql[m->sql_len] != '\0' ||
		    !str_is_utf8(m->sql, m->sql_len)) {
			*why = "a migration is too large, not UTF-8 or holds "
			    "a NUL byte";
			return PERR_INVALID;
		}
	}
	return PERR_OK;
}

/* A set read from a directory owns its names and texts. */
struct owned_set {
	struct migration_set set;	/* first: the handle callers see */
	struct migration *items;
	size_t cap;
	char **strings;			/* 2 per item: file, sql */
};

/* a b c d joined, on the heap (NULL when out of memory). */
static char *
why_join4(const char *a, const char *b, const char *c, const char *d)
{
	struct wbuf w;

	wbuf_init(&w);
	wbuf_puts(&w, a);
	wbuf_puts(&w, b);
	wbuf_puts(&w, c);
	wbuf_puts(&w, d);
	return wbuf_steal(&w, NULL);
}

static char *
why_join(const char *a, const char *b, const char *c)
{
	return why_join4(a, b, c, "");
}

/* Reads a regular file of at most MIGRATION_FILE_MAX bytes. */
static int
read_small_file(int dirfd, const char *name, char **out, size_t *out_len)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	ssize_t r;
	int fd, rc = PERR_IO;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return PERR_IO;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto out;
	if ((uintmax_t)st.st_size > MIGRATION_FILE_MAX) {
		rc = PERR_TOO_LARGE;
		goto out;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			goto out;
		got += (size_t)r;
	}
	buf[got] = '\0';
	*out = buf;
	*out_len = got;
	buf = NULL;
	rc = PERR_OK;
out:
	free(buf);
	close(fd);
	return rc;
}

static int
owned_add(struct owned_set *os, int dirfd, const char *name, char **why)
{
	struct migration *items;
	char **strings;
	char *file = NULL, *sql = NULL;
	size_t len = 0, cap;
	int rc;

	if (os->set.n == MIGRATIONS_MAX) {
		*why = why_join("too many migrations", "", "");
		return PERR_TOO_LARGE;
	}
	if (os->set.n == os->cap) {
		cap = os->cap == 0 ? 16 : os->cap * 2;
		if ((items = realloc(os->items, cap * sizeof(*items))) == NULL)
			return PERR_NOMEM;
		os->items = items;
		os->set.items = items;
		strings = realloc(os->strings, 2 * cap * sizeof(*strings));
		if (strings == NULL)
			return PERR_NOMEM;
		os->strings = strings;
		os->cap = cap;
	}
	if ((rc = read_small_file(dirfd, name, &sql, &len)) != PERR_OK) {
		*why = why_join(name, ": ", rc == PERR_TOO_LARGE ?
		    "larger than 1 MiB" : "cannot read it as a regular file");
		return rc;
	}
	if ((file = str_dup(name)) == NULL) {
		free(sql);
		return PERR_NOMEM;
	}
	os->strings[2 * os->set.n] = file;
	os->strings[2 * os->set.n + 1] = sql;
	os->items[os->set.n].version = migration_file_version(name);
	os->items[os->set.n].file = file;
	os->items[os->set.n].sql = sql;
	os->items[os->set.n].sql_len = len;
	os->set.n++;
	return PERR_OK;
}

static int
cmp_version(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

/* After sorting: equal versions, unreadable text. */
static int
owned_check(struct owned_set *os, char **why)
{
	const struct migration *m;
	const char *reason = NULL;
	size_t i;

	for (i = 0; i < os->set.n; i++) {
		m = &os->items[i];
		if (i > 0 && m->version == os->items[i - 1].version) {
			*why = why_join4(os->items[i - 1].file, " and ",
			    m->file, " have the same version");
			return PERR_INVALID;
		}
		if (!str_is_utf8(m->sql, m->sql_len)) {
			*why = why_join(m->file, ": ", "not UTF-8 text, or "
			    "holds a NUL byte");
			return PERR_INVALID;
		}
	}
	if (migration_set_check(&os->set, &reason) != PERR_OK) {
		*why = why_join(reason, "", "");
		return PERR_INVALID;
	}
	return PERR_OK;
}

int
store_migrations_load_dir(const char *dir, struct migration_set **out,
    char **why)
{
	struct owned_set *os = NULL;
	struct dirent *de;
	DIR *d = NULL;
	size_t n;
	int rc = PERR_IO;

	*out = NULL;
	*why = NULL;
	if ((os = calloc(1, sizeof(*os))) == NULL)
		return PERR_NOMEM;
	if ((d = opendir(dir)) == NULL) {
		*why = why_join(dir, ": cannot open the directory: ",
		    strerror(errno));
		goto out;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 4 || strcmp(de->d_name + n - 4, ".sql") != 0)
			continue;
		if (migration_file_version(de->d_name) < 1) {
			*why = why_join(de->d_name, ": a migration must be "
			    "named NNNN_name.sql (version 0001-9999, name of ",
			    "a-z, 0-9 and _)");
			rc = PERR_INVALID;
			goto out;
		}
		if ((rc = owned_add(os, dirfd(d), de->d_name, why)) != PERR_OK)
			goto out;
	}
	if (errno != 0) {
		*why = why_join(dir, ": cannot list the directory: ",
		    strerror(errno));
		rc = PERR_IO;
		goto out;
	}
	if (os->set.n > 0)
		qsort(os->items, os->set.n, sizeof(*os->items), cmp_version);
	if ((rc = owned_check(os, why)) != PERR_OK)
		goto out;
	*out = &os->set;
	os = NULL;
out:
	if (d != NULL)
		closedir(d);
	if (rc == PERR_NOMEM && *why == NULL)
		*why = why_join("out of memory", "", "");
	store_migrations_free(os != NULL ? &os->set : NULL);
	return rc;
}

void
store_migrations_free(struct migration_set *set)
{
	struct owned_set *os = (struct owned_set *)set;
	size_t i;

	if (os == NULL)
		return;
	for (i = 0; i < 2 * os->set.n; i++)
		free(os->strings[i]);
	free(os->strings);
	free(os->items);
	free(os);
}
