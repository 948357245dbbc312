/*
 * Unit tests for src/conf: every type of the settings table, every refusal
 * message (the headline ones checked word for word), the sources and their
 * precedence, NAME_FILE byte-exactness, the config-file lexer (truncated at
 * every byte), check, dump, the Markdown table, and the completeness of
 * man/pocket-id.conf.5 (found through $srcdir, which make check sets).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "common/common.h"
#include "conf/conf.h"
#include "conf/conf_int.h"

/* Files the loader may read, instead of the filesystem. */
struct mem_file {
	const char *path;
	const char *data;
	size_t len;		/* 0: strlen(data) */
};

static int
mem_read_file(void *ctx, const char *path, size_t max, uint8_t **data,
    size_t *len, int *sys_errno)
{
	const struct mem_file *f;
	size_t n;

	if (strcmp(path, "/unreadable") == 0) {
		*sys_errno = EACCES;
		return PERR_IO;
	}
	for (f = ctx; f != NULL && f->path != NULL; f++) {
		if (strcmp(f->path, path) != 0)
			continue;
		n = f->len != 0 ? f->len : strlen(f->data);
		if (n > max)
			return PERR_TOO_LARGE;
		if ((*data = malloc(n + 1)) == NULL)
			return PERR_NOMEM;
		memcpy(*data, f->data, n);
		(*data)[n] = '\0';
		*len = n;
		return PERR_OK;
	}
	*sys_errno = ENOENT;
	return PERR_NOT_FOUND;
}

/* One load: settings and problems, freed by done(). */
struct run {
	struct settings *s;
	struct conf_problems p;
	int rc;
};

static void
load(struct run *r, const char *const *envp, const struct mem_file *files)
{
	struct conf_io io = { mem_read_file, (void *)(uintptr_t)files };

	conf_problems_init(&r->p);
	r->rc = conf_load_with((char *const *)(uintptr_t)envp, &io, &r->s,
	    &r->p);
	assert_non_null(r->s);
}

static void
done(struct run *r)
{
	conf_free(r->s);
	conf_problems_free(&r->p);
}

/* Loads a single NAME=value from the environment. */
static void
load1(struct run *r, const char *assignment)
{
	const char *envp[] = { assignment, NULL };

	load(r, envp, NULL);
}

static size_t
count(const struct run *r, enum conf_severity sev)
{
	size_t i, n = 0;

	for (i = 0; i < r->p.n; i++)
		if (r->p.v[i].severity == sev)
			n++;
	return n;
}

/* The only problem is an error with exactly this text. */
static void
assert_one_error(const struct run *r, const char *message)
{
	if (r->p.n != 1 || strcmp(r->p.v[0].message, message) != 0) {
		size_t i;

		for (i = 0; i < r->p.n; i++)
			print_error("problem: %s\n", r->p.v[i].message);
		fail_msg("expected exactly: %s", message);
	}
	assert_int_equal(r->p.v[0].severity, CONF_ERROR);
	assert_int_equal(r->rc, PERR_CONFIG);
}

/* Some problem of this severity contains needle. */
static bool
has_problem(const struct run *r, enum conf_severity sev, const char *needle)
{
	size_t i;

	for (i = 0; i < r->p.n; i++)
		if (r->p.v[i].severity == sev &&
		    strstr(r->p.v[i].message, needle) != NULL)
			return true;
	return false;
}

/* No problem message contains needle (a secret). */
static void
assert_not_echoed(const struct run *r, const char *needle)
{
	size_t i;

	for (i = 0; i < r->p.n; i++)
		assert_null(strstr(r->p.v[i].message, needle));
}

static void
assert_clean(const struct run *r)
{
	size_t i;

	for (i = 0; i < r->p.n; i++)
		print_error("problem: %s\n", r->p.v[i].message);
	assert_int_equal(r->p.n, 0);
	assert_int_equal(r->rc, PERR_OK);
}

static char *
capture_dump(const struct settings *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(conf_dump(s, f), PERR_OK);
	fclose(f);
	return buf;
}

/* The table. */

static void
test_table_is_consistent(void **state)
{
	const struct conf_setting *a, *b;
	size_t i, j;

	(void)state;
	assert_true(conf_settings_len > 60);
	for (i = 0; i < conf_settings_len; i++) {
		a = &conf_settings[i];
		assert_non_null(a->name);
		assert_int_equal(strspn(a->name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_"), strlen(a->name));
		assert_non_null(a->description);
		assert_true(strlen(a->description) > 5);
		if (!(a->flags & CONF_F_INERT))
			assert_non_null(a->example);
		if (a->flags & CONF_F_FILE_EXACT)
			assert_true(a->flags & CONF_F_FILE);
		if (a->type == CONF_T_ENUM)
			assert_non_null(a->allowed);
		if (a->flags & (CONF_F_INERT | CONF_F_APP))
			assert_int_equal(a->offset, CONF_NO_FIELD);
		else
			assert_true(a->offset < sizeof(struct settings));
		assert_ptr_equal(conf_setting_find(a->name), a);
		for (j = i + 1; j < conf_settings_len; j++) {
			b = &conf_settings[j];
			assert_string_not_equal(a->name, b->name);
			if (a->offset != CONF_NO_FIELD)
				assert_true(a->offset != b->offset);
		}
	}
	assert_null(conf_setting_find("NO_SUCH_SETTING"));
}

/* Every default parses, and the typed fields hold them. */
static void
test_defaults(void **state)
{
	const char *envp[] = { NULL };
	struct run r;

	(void)state;
	load(&r, envp, NULL);
	assert_clean(&r);
	assert_string_equal(r.s->app_url, "http://localhost:1411");
	assert_string_equal(r.s->internal_app_url, "http://localhost:1411");
	assert_int_equal(r.s->encryption_key.len, 0);
	assert_null(r.s->encryption_key.data);
	assert_null(r.s->db_connection_string);
	assert_int_equal(r.s->app_env, CONF_ENV_PRODUCTION);
	assert_int_equal(r.s->trust_proxy.n, 0);
	assert_null(r.s->trusted_platform);
	assert_false(r.s->ui_config_disabled);
	assert_false(r.s->disable_rate_limiting);
	assert_int_equal(r.s->audit_log_retention_days, 90);
	assert_true(r.s->allow_insecure_callback_urls);
	assert_false(r.s->allow_downgrade);
	assert_string_equal(r.s->geolite_db_path, "data/GeoLite2-City.mmdb");
	assert_int_equal(r.s->log_level, LOG_INFO);
	assert_false(r.s->log_json);
	assert_true(r.s->fcgi_listen.is_unix);
	assert_string_equal(r.s->fcgi_listen.path, "/run/pocket-id/fcgi.sock");
	assert_int_equal(r.s->fcgi_socket_mode, 0660);
	assert_null(r.s->fcgi_socket_group);
	assert_int_equal(r.s->workers, 4);
	assert_int_equal(r.s->worker_max_requests, 10000);
	assert_string_equal(r.s->healthcheck_url,
	    "http://localhost:1411/healthz");
	assert_int_equal(r.s->healthcheck_timeout, 5);
	assert_string_equal(r.s->config_file, "/etc/pocket-id/pocket-id.conf");
	assert_int_equal(conf_source_of(r.s, "APP_URL"), CONF_SRC_DEFAULT);
	done(&r);
}

static void
test_require(void **state)
{
	const char *good[] = { "ENCRYPTION_KEY=0123456789abcdef",
		"DB_CONNECTION_STRING=dbname=pocketid", NULL };
	const char *short_key[] = { "ENCRYPTION_KEY=short", NULL };
	struct run r;

	(void)state;
	load1(&r, "LOG_JSON=true");
	assert_int_equal(conf_require(r.s, 0, &r.p), PERR_OK);
	assert_int_equal(conf_require(r.s, CONF_NEED_ENCRYPTION_KEY |
	    CONF_NEED_DATABASE, &r.p), PERR_CONFIG);
	assert_int_equal(r.p.n, 2);
	assert_string_equal(r.p.v[0].message, "ENCRYPTION_KEY: is not set; "
	    "it protects the signing keys — set ENCRYPTION_KEY or "
	    "ENCRYPTION_KEY_FILE, for example to the output of \"openssl "
	    "rand -base64 32\"");
	assert_string_equal(r.p.v[1].message, "DB_CONNECTION_STRING: is not "
	    "set; this build keeps its data in PostgreSQL — set "
	    "DB_CONNECTION_STRING or DB_CONNECTION_STRING_FILE, for example to "
	    "postgres://pocketid:PASSWORD@localhost:5432/pocketid");
	done(&r);

	load(&r, good, NULL);
	assert_clean(&r);
	assert_int_equal(conf_require(r.s, CONF_NEED_ENCRYPTION_KEY |
	    CONF_NEED_DATABASE, &r.p), PERR_OK);
	done(&r);

	/* A refused key is reported once, not again as missing. */
	load(&r, short_key, NULL);
	assert_int_equal(r.p.n, 1);
	assert_int_equal(conf_require(r.s, CONF_NEED_ENCRYPTION_KEY, &r.p),
	    PERR_OK);
	assert_int_equal(r.p.n, 1);
	done(&r);
}

/* URLs. */

static void
test_app_url_headline_messages(void **state)
{
	struct run r;

	(void)state;
	load1(&r, "APP_URL=https://id.example.com/");
	assert_one_error(&r, "APP_URL: \"https://id.example.com/\" must not "
	    "end with \"/\" — use https://id.example.com");
	assert_string_equal(r.s->app_url, "http://localhost:1411");
	done(&r);

	load1(&r, "APP_URL=https://id.example.com/auth");
	assert_one_error(&r, "APP_URL: \"https://id.example.com/auth\" must "
	    "not contain a path — use https://id.example.com");
	done(&r);

	load1(&r, "APP_URL=ftp://id.example.com");
	assert_one_error(&r, "APP_URL: \"ftp://id.example.com\" must start "
	    "with http:// or https:// — use https://id.example.com");
	done(&r);

	load1(&r, "APP_URL=id.example.com");
	assert_one_error(&r, "APP_URL: \"id.example.com\" is not an absolute "
	    "URL — use https://id.example.com");
	done(&r);

	load1(&r, "APP_URL=https://ID.Example.COM:8443//");
	assert_one_error(&r, "APP_URL: \"https://ID.Example.COM:8443//\" must "
	    "not end with \"/\" — use https://id.example.com:8443");
	done(&r);
}

static void
test_app_url_other_refusals(void **state)
{
	static const struct {
		const char *env, *needle;
	} cases[] = {
		{ "APP_URL=https://id.example.com?x=1", "must not contain a "
		    "query or fragment — use https://id.example.com" },
		{ "APP_URL=https://id.example.com/#top", "query or fragment" },
		{ "APP_URL=https://user:pw@id.example.com", "must not contain "
		    "a user name or password" },
		{ "APP_URL=https://", "has no host name" },
		{ "APP_URL=https://id.example.com:0", "has an invalid port" },
		{ "APP_URL=https://id.example.com:65536", "invalid port" },
		{ "APP_URL=https://id.example.com:", "has an invalid port" },
		{ "APP_URL=https://[::1", "invalid IPv6 address" },
		{ "APP_URL=https://[zz]:1", "invalid IPv6 address" },
		{ "APP_URL=https://id example.com", "must not contain spaces" },
		{ "APP_URL=https://id.ex\xc3\xa4mple.com", "non-ASCII" },
		{ "APP_URL=https://id!.example.com", "invalid host name" },
		{ "APP_URL=:::", "is not an absolute URL — for example "
		    "https://id.example.com" },
		{ "INTERNAL_APP_URL=http://internal:1411/x",
		    "INTERNAL_APP_URL: "
		    "\"http://internal:1411/x\" must not contain a path — use "
		    "http://internal:1411" },
		{ "HEALTHCHECK_URL=http://localhost/healthz#x", "must not "
		    "contain a fragment" },
		{ "HEALTHCHECK_URL=localhost/healthz", "not an absolute URL" },
	};
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		load1(&r, cases[i].env);
		if (!has_problem(&r, CONF_ERROR, cases[i].needle))
			fail_msg("%s: no error containing %s", cases[i].env,
			    cases[i].needle);
		assert_int_equal(count(&r, CONF_ERROR), 1);
		done(&r);
	}
}

static void
test_urls_accepted(void **state)
{
	const char *envp[] = { "APP_URL=HTTPS://ID.Example.com:8443",
		"HEALTHCHECK_URL=HTTP://LocalHost:1411/HealthZ?Deep=1", NULL };
	const char *v6[] = { "APP_URL=http://[::1]:1411",
		"INTERNAL_APP_URL=http://pocket_id.internal", NULL };
	struct run r;

	(void)state;
	load(&r, envp, NULL);
	assert_clean(&r);
	/* Scheme and host lower-cased, as Pocket ID; a path keeps its case. */
	assert_string_equal(r.s->app_url, "https://id.example.com:8443");
	assert_string_equal(r.s->internal_app_url,
	    "https://id.example.com:8443");
	assert_string_equal(conf_text(r.s, "APP_URL"),
	    "https://id.example.com:8443");
	assert_string_equal(r.s->healthcheck_url,
	    "http://localhost:1411/HealthZ?Deep=1");
	done(&r);

	load(&r, v6, NULL);
	assert_clean(&r);
	assert_string_equal(r.s->app_url, "http://[::1]:1411");
	assert_string_equal(r.s->internal_app_url, "http://pocket_id.internal");
	done(&r);
}

static void
test_app_url_http_warning(void **state)
{
	static const char *const local[] = { "APP_URL=http://localhost",
		"APP_URL=http://localhost:1411",
		"APP_URL=http://127.0.0.1:8080",
		"APP_URL=http://[::1]:1411", "APP_URL=http://id.localhost",
		"APP_URL=https://id.example.com" };
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
		load1(&r, local[i]);
		assert_clean(&r);
		done(&r);
	}
	load1(&r, "APP_URL=http://127.0.0.1.nip.io");
	assert_true(has_problem(&r, CONF_WARNING, "only on localhost"));
	done(&r);

	load1(&r, "APP_URL=http://id.example.com");
	assert_int_equal(r.rc, PERR_OK);
	assert_int_equal(r.p.n, 1);
	assert_int_equal(r.p.v[0].severity, CONF_WARNING);
	assert_string_equal(r.p.v[0].message, "APP_URL: browsers allow "
	    "passkeys over http:// only on localhost — use "
	    "https://id.example.com");
	done(&r);
}

/* Secrets and NAME_FILE. */

static void
test_encryption_key(void **state)
{
	struct run r;

	(void)state;
	load1(&r, "ENCRYPTION_KEY=tooshort-secret");
	assert_one_error(&r, "ENCRYPTION_KEY: must be at least 16 bytes long, "
	    "this one has 15 — for example the output of \"openssl rand "
	    "-base64 32\"");
	assert_not_echoed(&r, "tooshort");
	assert_int_equal(r.s->encryption_key.len, 0);
	done(&r);

	load1(&r, "ENCRYPTION_KEY=0123456789abcdef");
	assert_clean(&r);
	assert_int_equal(r.s->encryption_key.len, 16);
	assert_memory_equal(r.s->encryption_key.data, "0123456789abcdef", 16);
	assert_int_equal(r.s->encryption_key.data[16], '\0');
	done(&r);
}

static void
test_file_variant_byte_exact(void **state)
{
	/* A trailing newline and even NUL bytes are part of the key. */
	static const char key[] = "0123456789abcdef\0xyz \n";
	const struct mem_file files[] = {
		{ "/run/secrets/key", key, sizeof(key) - 1 },
		{ "/run/secrets/api", "  0123456789abcdefghij \r\n\n", 0 },
		{ "/run/secrets/db", "dbname=pocketid\n", 0 },
		{ NULL, NULL, 0 } };
	const char *envp[] = { "ENCRYPTION_KEY_FILE=/run/secrets/key",
		"STATIC_API_KEY_FILE=/run/secrets/api",
		"DB_CONNECTION_STRING_FILE=/run/secrets/db", NULL };
	struct run r;

	(void)state;
	load(&r, envp, files);
	assert_clean(&r);
	assert_int_equal(r.s->encryption_key.len, sizeof(key) - 1);
	assert_memory_equal(r.s->encryption_key.data, key, sizeof(key) - 1);
	/* Other NAME_FILE values are trimmed, as Pocket ID does. */
	assert_int_equal(r.s->static_api_key.len, 20);
	assert_string_equal((char *)r.s->static_api_key.data,
	    "0123456789abcdefghij");
	assert_string_equal(r.s->db_connection_string, "dbname=pocketid");
	assert_int_equal(conf_source_of(r.s, "ENCRYPTION_KEY"),
	    CONF_SRC_ENV_FILE);
	done(&r);
}

static void
test_file_variant_problems(void **state)
{
	const struct mem_file files[] = {
		{ "/empty", " \n", 0 },
		{ "/nul", "abcdefgh\0ijklmnopq", 18 },
		{ NULL, NULL, 0 } };
	struct run r;

	(void)state;
	load1(&r, "ENCRYPTION_KEY_FILE=/missing");
	assert_one_error(&r, "ENCRYPTION_KEY_FILE: cannot read /missing: No "
	    "such file or directory");
	done(&r);

	load1(&r, "STATIC_API_KEY_FILE=/unreadable");
	assert_one_error(&r, "STATIC_API_KEY_FILE: cannot read /unreadable: "
	    "Permission denied");
	done(&r);

	{
		const char *envp[] = { "MAXMIND_LICENSE_KEY_FILE=/empty",
			"STATIC_API_KEY_FILE=/nul", NULL };

		load(&r, envp, files);
		assert_int_equal(count(&r, CONF_ERROR), 2);
		assert_true(has_problem(&r, CONF_ERROR, "STATIC_API_KEY: "
		    "contains a NUL byte"));
		assert_true(has_problem(&r, CONF_ERROR,
		    "MAXMIND_LICENSE_KEY_FILE: /empty is empty"));
		done(&r);
	}
}

static void
test_both_name_and_file(void **state)
{
	const char *envp[] = { "ENCRYPTION_KEY=0123456789abcdef",
		"ENCRYPTION_KEY_FILE=/run/secrets/key", NULL };
	const char *empty_env[] = { "ENCRYPTION_KEY=",
		"ENCRYPTION_KEY_FILE=/k", NULL };
	const struct mem_file files[] = {
		{ "/k", "0123456789abcdef", 0 },
		{ "/c", "STATIC_API_KEY=0123456789abcdef\n"
		    "STATIC_API_KEY_FILE=/k\n", 0 },
		{ NULL, NULL, 0 } };
	const char *file_env[] = { "POCKET_ID_CONFIG_FILE=/c", NULL };
	struct run r;

	(void)state;
	load(&r, envp, NULL);
	assert_one_error(&r, "ENCRYPTION_KEY: ENCRYPTION_KEY and "
	    "ENCRYPTION_KEY_FILE are both set in the environment — keep one");
	done(&r);

	/* An empty value is unset: the .env of Pocket ID has KEY= lines. */
	load(&r, empty_env, files);
	assert_clean(&r);
	assert_int_equal(r.s->encryption_key.len, 16);
	done(&r);

	load(&r, file_env, files);
	assert_one_error(&r, "STATIC_API_KEY: STATIC_API_KEY (line 1) and "
	    "STATIC_API_KEY_FILE (line 2) are both set in /c — keep one");
	done(&r);
}

static void
test_secrets_never_echoed(void **state)
{
	const char *envp[] = { "STATIC_API_KEY=hunter2-short",
		"DB_CONNECTION_STRING=host=db passwrd=hunter2 dbname=x",
		"ENCRYPTION_KEY=hunter2", NULL };
	const char *url[] = {
		"DB_CONNECTION_STRING=postgres://u:hunter2@db:99999999/x",
		NULL };
	struct run r;
	char *dump;

	(void)state;
	load(&r, envp, NULL);
	assert_int_equal(count(&r, CONF_ERROR), 3);
	assert_not_echoed(&r, "hunter2");
	assert_true(has_problem(&r, CONF_ERROR, "STATIC_API_KEY: must be at "
	    "least 16 characters long, this one has 13"));
	/* libpq's message names the bad keyword, never a value. */
	assert_true(has_problem(&r, CONF_ERROR, "(libpq: invalid connection "
	    "option \"passwrd\")"));
	dump = capture_dump(r.s);
	assert_null(strstr(dump, "hunter2"));
	free(dump);
	done(&r);

	load(&r, url, NULL);
	assert_not_echoed(&r, "hunter2");
	done(&r);
}

/* PostgreSQL. */

static void
test_db_connection_string(void **state)
{
	static const char *const good[] = {
		"DB_CONNECTION_STRING=postgres://pocketid@localhost/pocketid",
		"DB_CONNECTION_STRING=postgresql://u:p@db/x?sslmode=require",
		"DB_CONNECTION_STRING=host=/run/postgresql dbname=pocketid",
		"DB_CONNECTION_STRING=dbname='pocket id' user=x",
	};
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		load1(&r, good[i]);
		assert_clean(&r);
		assert_string_equal(r.s->db_connection_string,
		    strchr(good[i], '=') + 1);
		done(&r);
	}

	load1(&r, "DB_CONNECTION_STRING=data/pocket-id.db");
	assert_one_error(&r, "DB_CONNECTION_STRING: looks like a SQLite "
	    "database; this build needs PostgreSQL (move the data with "
	    "pocket-id export and pocket-id import) — for example "
	    "postgres://pocketid:PASSWORD@localhost:5432/pocketid");
	assert_null(r.s->db_connection_string);
	done(&r);

	load1(&r, "DB_CONNECTION_STRING=file:pocket-id.db?_pragma=x");
	assert_true(has_problem(&r, CONF_ERROR, "looks like a SQLite"));
	done(&r);

	load1(&r, "DB_CONNECTION_STRING=mysql://x@y/z");
	assert_one_error(&r, "DB_CONNECTION_STRING: is neither a postgres:// "
	    "URL nor a libpq key=value connection string — for example "
	    "postgres://pocketid:PASSWORD@localhost:5432/pocketid");
	done(&r);

	load1(&r, "DB_CONNECTION_STRING=host='db");
	assert_true(has_problem(&r, CONF_ERROR, "(libpq: unterminated quoted "
	    "string"));
	done(&r);
}

/* CIDR lists. */

static void
test_trust_proxy(void **state)
{
	struct run r;

	(void)state;
	load1(&r, "TRUST_PROXY= true ");
	assert_clean(&r);
	assert_true(cidr_list_contains(&r.s->trust_proxy, "203.0.113.9"));
	assert_true(cidr_list_contains(&r.s->trust_proxy, "2001:db8::1"));
	assert_true(cidr_list_contains(&r.s->trust_proxy, "::ffff:1.2.3.4"));
	done(&r);

	load1(&r, "TRUST_PROXY=False");
	assert_clean(&r);
	assert_int_equal(r.s->trust_proxy.n, 0);
	assert_false(cidr_list_contains(&r.s->trust_proxy, "127.0.0.1"));
	done(&r);

	load1(&r, "TRUST_PROXY=10.0.0.0/8, 192.168.1.7 ,fd00::/8,,");
	assert_clean(&r);
	assert_int_equal(r.s->trust_proxy.n, 3);
	assert_true(cidr_list_contains(&r.s->trust_proxy, "10.200.3.4"));
	assert_true(cidr_list_contains(&r.s->trust_proxy, "192.168.1.7"));
	assert_false(cidr_list_contains(&r.s->trust_proxy, "192.168.1.8"));
	assert_true(cidr_list_contains(&r.s->trust_proxy, "fd12::1"));
	assert_false(cidr_list_contains(&r.s->trust_proxy, "fe80::1"));
	done(&r);

	load1(&r, "TRUST_PROXY=10.0.0.0/8,10.0.0.0/33");
	assert_one_error(&r, "TRUST_PROXY: \"10.0.0.0/33\" is not an IP "
	    "address or CIDR range — use true, false or a list such as "
	    "10.0.0.0/8,fd00::/8");
	assert_int_equal(r.s->trust_proxy.n, 0);
	done(&r);

	load1(&r, "TRUST_PROXY=yes");
	assert_true(has_problem(&r, CONF_ERROR, "\"yes\" is not an IP"));
	done(&r);

	load1(&r, "LOCAL_IPV6_RANGES=fd00::/8,10.0.0.0/8");
	assert_one_error(&r, "LOCAL_IPV6_RANGES: \"10.0.0.0/8\" is not an "
	    "IPv6 address or range — for example fd00::/8,2001:db8:1::/48");
	done(&r);

	load1(&r, "LOCAL_IPV6_RANGES=true");
	assert_true(has_problem(&r, CONF_ERROR, "\"true\" is not an IPv6"));
	done(&r);
}

static void
test_cidr_list(void **state)
{
	static const char *const bad[] = { "10.0.0.0/", "10.0.0.0/-1",
		"10.0.0.0/1234", "10.0.0.0/8/8", "10.0.0", "10.0.0.256",
		"010.0.0.1", "fe80::1%eth0", "::1/129", "host.example.com",
		"10.0.0.0 /8", "1.2.3.4/a" };
	struct cidr_list l;
	const char *be = NULL;
	size_t bl = 0, i;
	struct wbuf big;

	(void)state;
	assert_int_equal(cidr_list_parse("10.1.2.3/8,::ffff:192.168.0.0/112,"
	    "2001:db8::/32,::1", false, &l, &be, &bl), PERR_OK);
	assert_int_equal(l.n, 4);
	/* Host bits are cleared, as Go's ParseCIDR does. */
	assert_int_equal(l.v[0].family, 4);
	assert_int_equal(l.v[0].prefix, 8);
	assert_int_equal(l.v[0].addr[0], 10);
	assert_int_equal(l.v[0].addr[1], 0);
	/* An IPv4-mapped range is an IPv4 range. */
	assert_int_equal(l.v[1].family, 4);
	assert_int_equal(l.v[1].prefix, 16);
	assert_true(cidr_list_contains(&l, "10.255.255.255"));
	assert_false(cidr_list_contains(&l, "11.0.0.0"));
	assert_false(cidr_list_contains(&l, "9.255.255.255"));
	assert_true(cidr_list_contains(&l, "192.168.44.1"));
	assert_true(cidr_list_contains(&l, "::ffff:10.0.0.1"));
	assert_true(cidr_list_contains(&l, "::FFFF:192.168.1.1"));
	assert_true(cidr_list_contains(&l, "2001:db8:ffff::1"));
	assert_false(cidr_list_contains(&l, "2001:db9::1"));
	assert_true(cidr_list_contains(&l, "::1"));
	assert_false(cidr_list_contains(&l, "::2"));
	assert_false(cidr_list_contains(&l, "unix:"));
	assert_false(cidr_list_contains(&l, ""));
	assert_false(cidr_list_contains(&l, "10.0.0.1 "));
	assert_false(cidr_list_contains(NULL, "10.0.0.1"));
	cidr_list_free(&l);
	cidr_list_free(&l);

	/* Prefix boundaries that are not byte-aligned. */
	assert_int_equal(cidr_list_parse("172.16.0.0/12,2001:db8:8000::/33",
	    false, &l, &be, &bl), PERR_OK);
	assert_true(cidr_list_contains(&l, "172.31.255.255"));
	assert_false(cidr_list_contains(&l, "172.32.0.0"));
	assert_true(cidr_list_contains(&l, "2001:db8:ffff::"));
	assert_false(cidr_list_contains(&l, "2001:db8:7fff::"));
	cidr_list_free(&l);

	/* A mapped range shorter than /96 stays IPv6. */
	assert_int_equal(cidr_list_parse("::/80", true, &l, &be, &bl),
	    PERR_OK);
	assert_int_equal(l.v[0].family, 6);
	assert_false(cidr_list_contains(&l, "10.0.0.1"));
	cidr_list_free(&l);
	assert_int_equal(cidr_list_parse("::ffff:0:0/95", true, &l, &be, &bl),
	    PERR_OK);
	assert_int_equal(l.v[0].family, 6);
	cidr_list_free(&l);
	assert_int_equal(cidr_list_parse("::ffff:10.0.0.0/104", true, &l, &be,
	    &bl), PERR_INVALID);

	assert_int_equal(cidr_list_parse(" , ", false, &l, &be, &bl), PERR_OK);
	assert_int_equal(l.n, 0);
	assert_null(l.v);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		be = NULL;
		if (cidr_list_parse(bad[i], false, &l, &be, &bl) !=
		    PERR_INVALID)
			fail_msg("accepted %s", bad[i]);
		assert_ptr_equal(be, bad[i]);
		assert_int_equal(bl, strlen(bad[i]));
	}

	wbuf_init(&big);
	for (i = 0; i <= CONF_MAX_CIDRS; i++)
		wbuf_printf(&big, "%s10.0.%zu.%zu", i > 0 ? "," : "", i / 256,
		    i % 256);
	assert_int_equal(cidr_list_parse((char *)big.data, false, &l, &be,
	    &bl), PERR_TOO_LARGE);
	wbuf_free(&big);
}

/* Numbers, booleans, enums, modes, durations. */

static void
test_workers_and_ints(void **state)
{
	struct run r;

	(void)state;
	load1(&r, "WORKERS=0");
	assert_one_error(&r, "WORKERS: \"0\" must be between 1 and 256 — for "
	    "example 4");
	assert_int_equal(r.s->workers, 4);
	done(&r);

	load1(&r, "WORKERS=257");
	assert_one_error(&r, "WORKERS: \"257\" must be between 1 and 256 — "
	    "for example 4");
	done(&r);

	load1(&r, "WORKERS=four");
	assert_one_error(&r, "WORKERS: \"four\" is not a whole number — for "
	    "example 4");
	done(&r);

	load1(&r, "WORKERS= 8");
	assert_true(has_problem(&r, CONF_ERROR, "not a whole number"));
	done(&r);

	load1(&r, "WORKERS=99999999999999999999");
	assert_true(has_problem(&r, CONF_ERROR, "not a whole number"));
	done(&r);

	load1(&r, "WORKERS=256");
	assert_clean(&r);
	assert_int_equal(r.s->workers, 256);
	done(&r);

	load1(&r, "WORKER_MAX_REQUESTS=0");
	assert_clean(&r);
	assert_int_equal(r.s->worker_max_requests, 0);
	done(&r);

	load1(&r, "AUDIT_LOG_RETENTION_DAYS=0");
	assert_one_error(&r, "AUDIT_LOG_RETENTION_DAYS: \"0\" must be between "
	    "1 and 1000000 — for example 365");
	done(&r);
}

static void
test_booleans(void **state)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true",
		"True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false",
		"False" };
	char env[64];
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < 6; i++) {
		snprintf(env, sizeof(env), "LOG_JSON=%s", yes[i]);
		load1(&r, env);
		assert_clean(&r);
		assert_true(r.s->log_json);
		done(&r);
		snprintf(env, sizeof(env), "ALLOW_INSECURE_CALLBACK_URLS=%s",
		    no[i]);
		load1(&r, env);
		assert_clean(&r);
		assert_false(r.s->allow_insecure_callback_urls);
		done(&r);
	}
	load1(&r, "UI_CONFIG_DISABLED=yes");
	assert_one_error(&r, "UI_CONFIG_DISABLED: \"yes\" is not a boolean — "
	    "use true or false");
	done(&r);
	load1(&r, "LOG_JSON=tRUE");
	assert_true(has_problem(&r, CONF_ERROR, "not a boolean"));
	done(&r);
}

static void
test_enums_and_log_level(void **state)
{
	struct run r;

	(void)state;
	load1(&r, "APP_ENV=Test");
	assert_clean(&r);
	assert_int_equal(r.s->app_env, CONF_ENV_TEST);
	assert_string_equal(conf_text(r.s, "APP_ENV"), "test");
	done(&r);

	load1(&r, "APP_ENV=prod");
	assert_one_error(&r, "APP_ENV: \"prod\" must be one of production, "
	    "development, test — for example production");
	done(&r);

	load1(&r, "LOG_LEVEL=DEBUG");
	assert_clean(&r);
	assert_int_equal(r.s->log_level, LOG_DEBUG);
	done(&r);

	load1(&r, "LOG_LEVEL=error");
	assert_clean(&r);
	assert_int_equal(r.s->log_level, LOG_ERROR);
	done(&r);

	load1(&r, "LOG_LEVEL=verbose");
	assert_one_error(&r, "LOG_LEVEL: \"verbose\" must be one of debug, "
	    "info, warn, error — for example info");
	assert_int_equal(r.s->log_level, LOG_INFO);
	done(&r);
}

static void
test_mode_and_duration(void **state)
{
	static const struct {
		const char *env;
		int64_t want;	/* -1: refused */
	} cases[] = {
		{ "FCGI_SOCKET_MODE=660", 0660 },
		{ "FCGI_SOCKET_MODE=0600", 0600 },
		{ "FCGI_SOCKET_MODE=0", 0 },
		{ "FCGI_SOCKET_MODE=0777", 0777 },
		{ "FCGI_SOCKET_MODE=1777", -1 },
		{ "FCGI_SOCKET_MODE=0888", -1 },
		{ "FCGI_SOCKET_MODE=00660", -1 },
		{ "FCGI_SOCKET_MODE=rw-rw----", -1 },
		{ "HEALTHCHECK_TIMEOUT=10", 10 },
		{ "HEALTHCHECK_TIMEOUT=10s", 10 },
		{ "HEALTHCHECK_TIMEOUT=2m", 120 },
		{ "HEALTHCHECK_TIMEOUT=5m", 300 },
		{ "HEALTHCHECK_TIMEOUT=1h", -1 },
		{ "HEALTHCHECK_TIMEOUT=0", -1 },
		{ "HEALTHCHECK_TIMEOUT=s", -1 },
		{ "HEALTHCHECK_TIMEOUT=5x", -1 },
		{ "HEALTHCHECK_TIMEOUT=-5", -1 },
		{ "HEALTHCHECK_TIMEOUT=99999999999999999999h", -1 },
	};
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		load1(&r, cases[i].env);
		if (cases[i].want < 0) {
			if (count(&r, CONF_ERROR) != 1)
				fail_msg("accepted %s", cases[i].env);
		} else {
			assert_clean(&r);
			if (cases[i].env[0] == 'F')
				assert_int_equal(r.s->fcgi_socket_mode,
				    cases[i].want);
			else
				assert_int_equal(r.s->healthcheck_timeout,
				    cases[i].want);
		}
		done(&r);
	}
	load1(&r, "FCGI_SOCKET_MODE=1777");
	assert_one_error(&r, "FCGI_SOCKET_MODE: \"1777\" must be at most 0777 "
	    "(no set-id or sticky bits) — for example 0660");
	done(&r);
	load1(&r, "HEALTHCHECK_TIMEOUT=1h");
	assert_one_error(&r, "HEALTHCHECK_TIMEOUT: \"1h\" must be between 1 "
	    "and 300 seconds — for example 5");
	done(&r);
}

/* FCGI_LISTEN, names. */

static void
test_fcgi_listen(void **state)
{
	static const char *const bad[] = { "FCGI_LISTEN=unix:run/x.sock",
		"FCGI_LISTEN=localhost", "FCGI_LISTEN=::1:9000",
		"FCGI_LISTEN=127.0.0.1:0", "FCGI_LISTEN=127.0.0.1:",
		"FCGI_LISTEN=:9000", "FCGI_LISTEN=[::1]9000",
		"FCGI_LISTEN=host:90000", "FCGI_LISTEN=a@b:90" };
	char env[200];
	struct run r;
	size_t i;

	(void)state;
	load1(&r, "FCGI_LISTEN=127.0.0.1:9000");
	assert_clean(&r);
	assert_false(r.s->fcgi_listen.is_unix);
	assert_string_equal(r.s->fcgi_listen.host, "127.0.0.1");
	assert_int_equal(r.s->fcgi_listen.port, 9000);
	done(&r);

	load1(&r, "FCGI_LISTEN=[::1]:9000");
	assert_clean(&r);
	assert_string_equal(r.s->fcgi_listen.host, "::1");
	assert_int_equal(r.s->fcgi_listen.port, 9000);
	done(&r);

	load1(&r, "FCGI_LISTEN=pocket-id.internal:65535");
	assert_clean(&r);
	assert_string_equal(r.s->fcgi_listen.host, "pocket-id.internal");
	done(&r);

	load1(&r, "FCGI_LISTEN=unix:/tmp/p.sock");
	assert_clean(&r);
	assert_true(r.s->fcgi_listen.is_unix);
	assert_string_equal(r.s->fcgi_listen.path, "/tmp/p.sock");
	done(&r);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		load1(&r, bad[i]);
		if (count(&r, CONF_ERROR) != 1)
			fail_msg("accepted %s", bad[i]);
		done(&r);
	}
	load1(&r, "FCGI_LISTEN=localhost");
	assert_one_error(&r, "FCGI_LISTEN: \"localhost\" is neither "
	    "unix:/absolute/path nor HOST:PORT — for example 127.0.0.1:9000 or "
	    "unix:/run/pocket-id/fcgi.sock");
	done(&r);

	snprintf(env, sizeof(env), "FCGI_LISTEN=unix:/%0107d", 0);
	load1(&r, env);
	assert_true(has_problem(&r, CONF_ERROR, "longer than 107 bytes"));
	done(&r);
	snprintf(env, sizeof(env), "FCGI_LISTEN=unix:/%0106d", 0);
	load1(&r, env);
	assert_clean(&r);
	done(&r);
}

static void
test_socket_options_with_tcp_warn(void **state)
{
	const char *envp[] = { "FCGI_LISTEN=127.0.0.1:9000",
		"FCGI_SOCKET_GROUP=www-data", NULL };
	struct run r;

	(void)state;
	load(&r, envp, NULL);
	assert_int_equal(r.rc, PERR_OK);
	assert_int_equal(r.p.n, 1);
	assert_string_equal(r.p.v[0].message, "FCGI_SOCKET_GROUP: applies to "
	    "unix sockets only, and FCGI_LISTEN is a TCP address");
	assert_string_equal(r.s->fcgi_socket_group, "www-data");
	done(&r);
}

static void
test_names(void **state)
{
	static const char *const good[] = { "TRUSTED_PLATFORM=CF-Connecting-IP",
		"TRUSTED_PLATFORM=X-Real-IP", "FCGI_SOCKET_GROUP=www-data",
		"FCGI_SOCKET_GROUP=33", "FCGI_SOCKET_GROUP=machine$" };
	static const char *const bad[] = { "TRUSTED_PLATFORM=CF Connecting IP",
		"TRUSTED_PLATFORM=X:Y", "FCGI_SOCKET_GROUP=-rf",
		"FCGI_SOCKET_GROUP=www data", "FCGI_SOCKET_GROUP=$",
		"FCGI_SOCKET_GROUP=abcdefghijklmnopqrstuvwxyz0123456" };
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		load1(&r, good[i]);
		assert_clean(&r);
		done(&r);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		load1(&r, bad[i]);
		if (count(&r, CONF_ERROR) != 1)
			fail_msg("accepted %s", bad[i]);
		done(&r);
	}
	load1(&r, "TRUSTED_PLATFORM=CF Connecting IP");
	assert_one_error(&r, "TRUSTED_PLATFORM: \"CF Connecting IP\" is not "
	    "an HTTP header name — for example CF-Connecting-IP");
	done(&r);
}

/* Echoes are escaped and capped. */
static void
test_echo_is_escaped_and_capped(void **state)
{
	char env[400];
	struct run r;

	(void)state;
	load1(&r, "APP_ENV=a\"b\\c\x01\xff");
	assert_true(has_problem(&r, CONF_ERROR, "APP_ENV: \"a\\\"b\\\\c\\x01"
	    "\\xff\" must be one of"));
	done(&r);

	{
		static char huge[CONF_MAX_VALUE + 16];

		memset(huge, 'a', sizeof(huge) - 1);
		memcpy(huge, "APP_NAME=", 9);
		load1(&r, huge);
		assert_one_error(&r, "APP_NAME: is longer than 65536 bytes");
		done(&r);
	}

	memset(env, 'x', sizeof(env));
	memcpy(env, "APP_ENV=", 8);
	env[sizeof(env) - 1] = '\0';
	load1(&r, env);
	assert_int_equal(r.p.n, 1);
	assert_non_null(strstr(r.p.v[0].message, "xxx...\" must be one of"));
	assert_true(strlen(r.p.v[0].message) < 200);
	done(&r);
}

/* Sources and precedence. */

static const char sample_file[] =
    "# pocket-id.conf written by a test\n"
    "\n"
    "   # an indented comment\n"
    "APP_URL=https://file.example.com\n"
    "export WORKERS = 8   # eight of them\n"
    "TRUSTED_PLATFORM='X-Real-IP'\n"
    "GEOLITE_DB_PATH=\"/srv/geo # data/\\\"x\\\"\\\\\\t.mmdb\"  # comment\n"
    "LOG_LEVEL=debug\r\n"
    "STATIC_API_KEY_FILE=/k\n"
    "SMTP_HOST=smtp.example.com\n"
    "UI_CONFIG_DISABLED=true\n"
    "ENCRYPTION_KEY=\n"
    "SMTP_FROM= # only a comment\n"
    "LDAP_BASE=#not-a-comment\n"
    "APP_NAME=a#b";

static void
test_config_file(void **state)
{
	const struct mem_file files[] = {
		{ "/etc/pocket-id/pocket-id.conf", sample_file, 0 },
		{ "/k", "0123456789abcdef\n", 0 },
		{ NULL, NULL, 0 } };
	const char *envp[] = { "LOG_LEVEL=warn", NULL };
	struct run r;

	(void)state;
	load(&r, envp, files);
	assert_clean(&r);
	assert_string_equal(r.s->app_url, "https://file.example.com");
	assert_int_equal(conf_source_of(r.s, "APP_URL"), CONF_SRC_CONFIG);
	assert_int_equal(r.s->workers, 8);
	assert_string_equal(r.s->trusted_platform, "X-Real-IP");
	assert_string_equal(r.s->geolite_db_path,
	    "/srv/geo # data/\"x\"\\\t.mmdb");
	/* The environment wins. */
	assert_int_equal(r.s->log_level, LOG_WARN);
	assert_int_equal(conf_source_of(r.s, "LOG_LEVEL"), CONF_SRC_ENV);
	assert_int_equal(conf_source_of(r.s, "STATIC_API_KEY"),
	    CONF_SRC_CONFIG_FILE);
	assert_string_equal((char *)r.s->static_api_key.data,
	    "0123456789abcdef");
	assert_string_equal(conf_text(r.s, "SMTP_HOST"), "smtp.example.com");
	assert_null(conf_text(r.s, "SMTP_PORT"));
	assert_null(conf_text(r.s, "NO_SUCH"));
	assert_int_equal(r.s->encryption_key.len, 0);
	assert_string_equal(conf_text(r.s, "APP_NAME"), "a#b");
	assert_null(conf_text(r.s, "SMTP_FROM"));
	assert_string_equal(conf_text(r.s, "LDAP_BASE"), "#not-a-comment");
	done(&r);
}

static void
test_env_over_file_per_setting(void **state)
{
	const struct mem_file files[] = {
		{ "/c", "ENCRYPTION_KEY_FILE=/missing\nWORKERS=2\n", 0 },
		{ NULL, NULL, 0 } };
	const char *envp[] = { "POCKET_ID_CONFIG_FILE=/c",
		"ENCRYPTION_KEY=0123456789abcdef", "WORKERS=3", "WORKERS=5",
		"LOG_JSON=", NULL };
	struct run r;

	(void)state;
	/* The environment's ENCRYPTION_KEY hides the file's _FILE. */
	load(&r, envp, files);
	assert_clean(&r);
	assert_int_equal(r.s->encryption_key.len, 16);
	/* The first of two assignments counts, as with getenv. */
	assert_int_equal(r.s->workers, 3);
	assert_string_equal(r.s->config_file, "/c");
	done(&r);
}

static void
test_config_file_problems(void **state)
{
	static const char text[] =
	    "APP_ULR=https://id.example.com\n"			/* 1 */
	    "WORKERS=2\n"					/* 2 */
	    "WORKERS=3\n"					/* 3 */
	    "POCKET_ID_CONFIG_FILE=/other\n"			/* 4 */
	    "just words\n"					/* 5 */
	    "LOG_JSON true\n"					/* 6 */
	    "APP_NAME=\"unterminated\n"				/* 7 */
	    "APP_NAME='x' trailing\n"				/* 8 */
	    "APP_NAME=\"bad \\q escape\"\n"			/* 9 */
	    "OTEL_TRACES_EXPORTER=otlp\n"			/* 10 */
	    "APP_URL_FILE=/x\n"					/* 11 */
	    "bad\xff\n"						/* 12 */
	    "ZZZZZZZZZZZZZ=1\n"					/* 13 */
	    "WORKERS=0\n";					/* 14 */
	const struct mem_file files[] = { { "/c", text, 0 },
		{ NULL, NULL, 0 } };
	const char *envp[] = { "POCKET_ID_CONFIG_FILE=/c", NULL };
	static const char *const want[] = {
		"/c:1: unknown setting \"APP_ULR\" (did you mean APP_URL?)",
		"/c:3: WORKERS is already set on line 2",
		"/c:4: POCKET_ID_CONFIG_FILE can only be set in the "
		    "environment",
		"/c:5: expected \"=\" after just",
		"/c:6: expected \"=\" after LOG_JSON",
		"/c:7: unterminated quoted value",
		"/c:8: text after the closing quote",
		"/c:9: unknown escape in double quotes",
		"/c:11: unknown setting \"APP_URL_FILE\" (only secrets can be "
		    "read from a _FILE)",
		"/c:12: not UTF-8 text, or contains a NUL byte",
		"/c:13: unknown setting \"ZZZZZZZZZZZZZ\"",
	};
	struct run r;
	size_t i;

	(void)state;
	load(&r, envp, files);
	assert_int_equal(r.rc, PERR_CONFIG);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!has_problem(&r, CONF_ERROR, want[i]))
			fail_msg("missing: %s", want[i]);
	assert_true(has_problem(&r, CONF_WARNING, "/c:10: "
	    "OTEL_TRACES_EXPORTER ignored"));
	/* The first WORKERS stands; line 14 was a duplicate too. */
	assert_int_equal(r.s->workers, 2);
	assert_int_equal(count(&r, CONF_ERROR), sizeof(want) /
	    sizeof(want[0]) + 1);
	done(&r);
}

static void
test_config_file_presence(void **state)
{
	const char *none[] = { NULL };
	const char *missing[] = { "POCKET_ID_CONFIG_FILE=/nope", NULL };
	const char *denied[] = { "POCKET_ID_CONFIG_FILE=/unreadable", NULL };
	const char *big[] = { "POCKET_ID_CONFIG_FILE=/big", NULL };
	static char huge[CONF_MAX_FILE_SIZE + 2];
	const struct mem_file files[] = { { "/big", huge, sizeof(huge) - 1 },
		{ NULL, NULL, 0 } };
	struct run r;

	(void)state;
	/* The default file is optional. */
	load(&r, none, NULL);
	assert_clean(&r);
	done(&r);

	load(&r, missing, NULL);
	assert_one_error(&r, "POCKET_ID_CONFIG_FILE: cannot read /nope: No "
	    "such file or directory — create it or unset "
	    "POCKET_ID_CONFIG_FILE");
	done(&r);

	load(&r, denied, NULL);
	assert_one_error(&r, "POCKET_ID_CONFIG_FILE: cannot read /unreadable: "
	    "Permission denied");
	done(&r);

	memset(huge, '#', sizeof(huge) - 1);
	load(&r, big, files);
	assert_one_error(&r, "POCKET_ID_CONFIG_FILE: /big is larger than "
	    "262144 bytes");
	done(&r);
}

static void
test_config_file_long_line(void **state)
{
	static char text[CONF_MAX_LINE + 40];
	const struct mem_file files[] = { { "/c", text, 0 },
		{ NULL, NULL, 0 } };
	const char *envp[] = { "POCKET_ID_CONFIG_FILE=/c", NULL };
	struct run r;

	(void)state;
	memset(text, 'a', sizeof(text) - 1);
	memcpy(text, "APP_NAME=", 9);
	memcpy(text + sizeof(text) - 12, "\nWORKERS=9\n", 11);
	text[sizeof(text) - 1] = '\0';
	load(&r, envp, files);
	assert_one_error(&r, "/c:1: line longer than 8192 bytes");
	assert_int_equal(r.s->workers, 9);
	done(&r);
}

/* Every prefix of a config file loads without harm. */
static void
test_config_file_truncated_everywhere(void **state)
{
	struct mem_file files[] = { { "/etc/pocket-id/pocket-id.conf", NULL,
		0 }, { "/k", "0123456789abcdef", 0 }, { NULL, NULL, 0 } };
	const char *envp[] = { NULL };
	size_t n, len = strlen(sample_file);
	char *copy;
	struct run r;

	(void)state;
	for (n = 1; n <= len; n++) {
		copy = malloc(n);
		assert_non_null(copy);
		memcpy(copy, sample_file, n);
		files[0].data = copy;
		files[0].len = n;
		load(&r, envp, files);
		assert_true(r.rc == PERR_OK || r.rc == PERR_CONFIG);
		done(&r);
		free(copy);
	}
}

static void
test_every_problem_is_reported(void **state)
{
	const char *envp[] = { "APP_URL=https://x/", "WORKERS=0",
		"LOG_LEVEL=loud", "TRUST_PROXY=1.2.3.4/99",
		"ENCRYPTION_KEY=x", "DB_CONNECTION_STRING=x.db",
		"FCGI_SOCKET_MODE=9", "LOG_JSON=maybe", NULL };
	struct run r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	load(&r, envp, NULL);
	assert_int_equal(count(&r, CONF_ERROR), 8);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(conf_check(&r.p, f), 8);
	fclose(f);
	assert_non_null(strstr(buf, "error: APP_URL: \"https://x/\" must not "
	    "end with \"/\" — use https://x\n"));
	assert_non_null(strstr(buf, "error: LOG_JSON: \"maybe\" is not a "
	    "boolean"));
	free(buf);
	done(&r);
}

/* Warnings. */

static void
test_warnings(void **state)
{
	const char *envp[] = { "HOST=0.0.0.0", "PUID=1000", "SMTP_HOST=x",
		"LDAP_ENABLED=true", "APP_URL_FILE=/x", "TLS_CERT_FILE=/c",
		"S3_SECRET_ACCESS_KEY=s3cr3t", NULL };
	const char *app[] = { "UI_CONFIG_DISABLED=true", "SMTP_HOST=x",
		"SMTP_PASSWORD=pw", NULL };
	struct run r;

	(void)state;
	load(&r, envp, NULL);
	assert_int_equal(r.rc, PERR_OK);
	assert_int_equal(count(&r, CONF_ERROR), 0);
	assert_true(has_problem(&r, CONF_WARNING, "HOST: has no effect in "
	    "pocket-id — pocket-id serves no HTTP itself"));
	assert_false(has_problem(&r, CONF_WARNING, "PUID"));
	assert_true(has_problem(&r, CONF_WARNING, "UI_CONFIG_DISABLED: is not "
	    "true, so these application settings are ignored and the ones "
	    "saved in the admin UI apply: SMTP_HOST, LDAP_ENABLED — set "
	    "UI_CONFIG_DISABLED=true to take them from here"));
	assert_true(has_problem(&r, CONF_WARNING, "APP_URL_FILE: ignored — "
	    "only secrets can be read from a file; set APP_URL itself"));
	/* TLS_CERT_FILE is a setting of its own. */
	assert_true(has_problem(&r, CONF_WARNING, "TLS_CERT_FILE: has no "
	    "effect"));
	assert_false(has_problem(&r, CONF_WARNING, "TLS_CERT_FILE: ignored"));
	assert_not_echoed(&r, "s3cr3t");
	assert_string_equal(conf_text(r.s, "PUID"), "1000");
	done(&r);

	load(&r, app, NULL);
	assert_clean(&r);
	assert_string_equal(conf_text(r.s, "SMTP_PASSWORD"), "pw");
	done(&r);
}

/* Dump. */

static void
test_dump(void **state)
{
	const struct mem_file files[] = {
		{ "/c", "WORKERS=6\nENCRYPTION_KEY_FILE=/k\n", 0 },
		{ "/k", "0123456789abcdef0123456789abcdef\n", 0 },
		{ NULL, NULL, 0 } };
	const char *envp[] = { "POCKET_ID_CONFIG_FILE=/c",
		"APP_URL=https://ID.example.com",
		"DB_CONNECTION_STRING=postgres://pi:s3cret@db:5432/pocketid",
		"STATIC_API_KEY=0123456789abcdefXYZ",
		"GEOLITE_DB_PATH=/srv/geo data/#1.mmdb", "HOST=::",
		"SMTP_PASSWORD=smtp-s3cret", "APP_ENV=", "LOG_LEVEL=bogus",
		NULL };
	struct run r;
	char *dump;

	(void)state;
	load(&r, envp, files);
	dump = capture_dump(r.s);
	assert_non_null(strstr(dump, "\nAPP_URL=https://id.example.com  # "
	    "environment\n"));
	assert_non_null(strstr(dump, "\nINTERNAL_APP_URL="
	    "https://id.example.com  # default: same as APP_URL\n"));
	assert_non_null(strstr(dump, "\nENCRYPTION_KEY=<redacted, 33 bytes>  "
	    "# /c:2 ENCRYPTION_KEY_FILE=/k\n"));
	assert_non_null(strstr(dump, "\nDB_CONNECTION_STRING=\"user=pi "
	    "password=<redacted> dbname=pocketid host=db port=5432\"  # "
	    "environment\n"));
	assert_non_null(strstr(dump, "\nSTATIC_API_KEY=<redacted, 19 bytes>  "
	    "# environment\n"));
	assert_non_null(strstr(dump, "\nGEOLITE_DB_PATH=\"/srv/geo data/#1."
	    "mmdb\"  # environment\n"));
	assert_non_null(strstr(dump, "\nWORKERS=6  # /c:1\n"));
	assert_non_null(strstr(dump, "\nAPP_ENV=production  # default\n"));
	assert_non_null(strstr(dump, "\nLOG_LEVEL=info  # default: the value "
	    "given was refused\n"));
	assert_non_null(strstr(dump, "\nTRUSTED_PLATFORM=  # unset\n"));
	assert_non_null(strstr(dump, "\nMAXMIND_LICENSE_KEY=  # unset\n"));
	assert_non_null(strstr(dump, "# Accepted for compatibility with "
	    "Pocket ID; no effect here\nHOST=::  # environment\n"));
	assert_non_null(strstr(dump, "\nSMTP_PASSWORD=<redacted, 11 bytes>"));
	assert_null(strstr(dump, "s3cret"));
	assert_null(strstr(dump, "0123456789abcdef"));
	assert_null(strstr(dump, "PUID"));
	/* Environment-only: shown, commented out, so dump loads as a file. */
	assert_non_null(strstr(dump, "\n# POCKET_ID_CONFIG_FILE=/c  # "
	    "environment\n"));
	free(dump);
	done(&r);
}

/* What dump prints reads back as the same values. */
static void
test_dump_round_trip(void **state)
{
	const char *envp[] = { "GEOLITE_DB_PATH= a \"b\" \\c\t#d\n ",
		"APP_NAME='quoted'", "TRUST_PROXY=10.0.0.0/8, ::1",
		"APP_URL=https://id.example.com", NULL };
	struct conf_file f = { NULL, 0 };
	struct conf_problems p;
	struct run r;
	char *dump;
	size_t i;
	bool seen = false;

	(void)state;
	load(&r, envp, NULL);
	dump = capture_dump(r.s);
	conf_problems_init(&p);
	assert_int_equal(conf_file_parse("dump", (uint8_t *)dump, strlen(dump),
	    &f, &p), PERR_OK);
	assert_int_equal(p.n, 0);
	for (i = 0; i < f.n; i++) {
		const char *want = conf_text(r.s, f.v[i].name);

		if (want == NULL)
			want = "";
		assert_string_equal(f.v[i].value, want);
		if (strcmp(f.v[i].name, "GEOLITE_DB_PATH") == 0)
			seen = true;
	}
	assert_true(seen);
	conf_file_free(&f);
	conf_problems_free(&p);
	free(dump);
	done(&r);
}

static void
test_markdown(void **state)
{
	char *buf = NULL, needle[160];
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	assert_int_equal(conf_write_markdown(f), PERR_OK);
	fclose(f);
	assert_true(str_has_prefix(buf, "| Setting | Default | Meaning | "
	    "Example |\n|---|---|---|---|\n"));
	assert_non_null(strstr(buf, "| `APP_URL` | `http://localhost:1411` "
	    "| "));
	assert_non_null(strstr(buf, "| `ENCRYPTION_KEY`, `ENCRYPTION_KEY_FILE`"
	    " | unset | "));
	assert_non_null(strstr(buf, "| `INTERNAL_APP_URL` | same as "
	    "`APP_URL` | "));
	for (i = 0; i < conf_settings_len; i++) {
		snprintf(needle, sizeof(needle), "| `%s`",
		    conf_settings[i].name);
		if (strstr(buf, needle) == NULL)
			fail_msg("%s missing from the Markdown", needle);
	}
	free(buf);
}

/* man/pocket-id.conf.5 documents exactly the settings of the table. */
static void
test_man_page_is_complete(void **state)
{
	const char *srcdir = getenv("srcdir");
	char path[4096], line[512], name[128];
	bool *documented;
	size_t i, n;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/man/pocket-id.conf.5",
	    srcdir != NULL ? srcdir : ".");
	if ((f = fopen(path, "r")) == NULL) {
		print_message("man page not found at %s (set srcdir)\n", path);
		skip();
	}
	documented = calloc(conf_settings_len, sizeof(*documented));
	assert_non_null(documented);
	while (fgets(line, sizeof(line), f) != NULL) {
		const struct conf_setting *row;

		if (!str_has_prefix(line, ".It Ev "))
			continue;
		n = strcspn(line + 7, " \n");
		assert_true(n < sizeof(name));
		memcpy(name, line + 7, n);
		name[n] = '\0';
		if ((row = conf_setting_find(name)) == NULL)
			fail_msg("the man page documents %s, not a setting",
			    name);
		documented[conf_row_index(row)] = true;
	}
	fclose(f);
	for (i = 0; i < conf_settings_len; i++)
		if (!documented[i])
			fail_msg("%s is missing from man/pocket-id.conf.5 "
			    "(add an \".It Ev %s\" entry)",
			    conf_settings[i].name, conf_settings[i].name);
	free(documented);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_consistent),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_require),
		cmocka_unit_test(test_app_url_headline_messages),
		cmocka_unit_test(test_app_url_other_refusals),
		cmocka_unit_test(test_urls_accepted),
		cmocka_unit_test(test_app_url_http_warning),
		cmocka_unit_test(test_encryption_key),
		cmocka_unit_test(test_file_variant_byte_exact),
		cmocka_unit_test(test_file_variant_problems),
		cmocka_unit_test(test_both_name_and_file),
		cmocka_unit_test(test_secrets_never_echoed),
		cmocka_unit_test(test_db_connection_string),
		cmocka_unit_test(test_trust_proxy),
		cmocka_unit_test(test_cidr_list),
		cmocka_unit_test(test_workers_and_ints),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_enums_and_log_level),
		cmocka_unit_test(test_mode_and_duration),
		cmocka_unit_test(test_fcgi_listen),
		cmocka_unit_test(test_socket_options_with_tcp_warn),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_echo_is_escaped_and_capped),
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_env_over_file_per_setting),
		cmocka_unit_test(test_config_file_problems),
		cmocka_unit_test(test_config_file_presence),
		cmocka_unit_test(test_config_file_long_line),
		cmocka_unit_test(test_config_file_truncated_everywhere),
		cmocka_unit_test(test_every_problem_is_reported),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_dump_round_trip),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_man_page_is_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
