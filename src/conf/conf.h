/*
 * conf: every setting of pocket-id, defined once in a const table
 * (conf_settings[] in table.c). Parsing, defaults, validation messages,
 * "pocket-id config check", "pocket-id config dump", the README table and
 * the man-page completeness test are all derived from that table.
 *
 * Sources, strongest first, decided per setting as a whole:
 *   1. the environment: NAME, or NAME_FILE for settings that accept it;
 *   2. the optional config file (POCKET_ID_CONFIG_FILE, default
 *      /etc/pocket-id/pocket-id.conf) with NAME=value or NAME_FILE=path;
 *   3. the default in the table.
 * An empty value counts as unset, as in Pocket ID. Setting NAME and
 * NAME_FILE in the same source is an error.
 *
 * This module reads the environment only through the envp array it is
 * given, and files only through a struct conf_io, so it is unit-tested
 * without touching the process. It never logs: problems are collected and
 * the caller prints them. It never echoes the value of a secret.
 */
#ifndef POCKETID_CONF_H
#define POCKETID_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/common.h"

/* Named limits. */
#define CONF_MAX_FILE_SIZE 262144	/* the config file, 256 KiB */
#define CONF_MAX_VALUE 65536		/* one value, any source, 64 KiB */
#define CONF_MAX_LINE 8192		/* one line of the config file */
#define CONF_MAX_CIDRS 256		/* entries of one CIDR list */
#define CONF_DEFAULT_CONFIG_FILE "/etc/pocket-id/pocket-id.conf"

/* The kinds of value a setting holds; each maps to one C field type. */
enum conf_type {
	CONF_T_STRING,		/* char *, any text */
	CONF_T_SECRET,		/* struct conf_secret, never echoed */
	CONF_T_URL,		/* char *, absolute http(s) URL */
	CONF_T_BOOL,		/* bool: 1 t T TRUE true True, 0 f F ... */
	CONF_T_INT,		/* int64_t in [min, max] */
	CONF_T_ENUM,		/* unsigned: index into allowed[] */
	CONF_T_MODE,		/* unsigned: octal file mode <= 0777 */
	CONF_T_DURATION,	/* int64_t seconds; "90", "90s", "5m", "1h" */
	CONF_T_CIDRS,		/* struct cidr_list */
	CONF_T_LOG_LEVEL,	/* enum log_level */
	CONF_T_PG_CONNINFO,	/* char *, libpq URL or key=value conninfo */
	CONF_T_LISTEN,		/* struct conf_listen */
	CONF_T_HEADER_NAME,	/* char *, an HTTP field name */
	CONF_T_GROUP_NAME,	/* char *, a Unix group name or number */
};

/* Row flags. */
#define CONF_F_SECRET 0x0001	 /* never echoed; dump redacts it */
#define CONF_F_FILE 0x0002	 /* NAME_FILE=path is accepted */
#define CONF_F_FILE_EXACT 0x0004 /* NAME_FILE content byte-for-byte */
#define CONF_F_ENV_ONLY 0x0008	 /* not allowed in the config file */
#define CONF_F_INERT 0x0010	 /* accepted for compatibility, unused */
#define CONF_F_WARN_IF_SET 0x0020 /* INERT: warn that it has no effect */
#define CONF_F_APP 0x0040	 /* application setting (spec §4.2) */
#define CONF_F_ORIGIN 0x0080	 /* URL: scheme://host[:port] only */
#define CONF_F_ALLOW_BOOL 0x0100 /* CIDRS: true = all, false = none */
#define CONF_F_IPV6_ONLY 0x0200	 /* CIDRS: IPv6 ranges only */

#define CONF_NO_FIELD ((size_t)-1)

/* One row of the settings table. */
struct conf_setting {
	const char *name;
	enum conf_type type;
	unsigned flags;
	const char *def;	/* default, as text parsed like any value */
	const char *def_from;	/* else: unset means this setting's value */
	int64_t min, max;	/* INT, DURATION range; SECRET minimum bytes */
	const char *const *allowed; /* ENUM values, NULL-terminated */
	size_t offset;		/* offsetof(struct settings, x) or NO_FIELD */
	const char *description; /* one line; for INERT rows, why unused */
	const char *example;	/* a good value (or how to make one) */
};

extern const struct conf_setting conf_settings[];
extern const size_t conf_settings_len;

/* The row named name, or NULL. */
const struct conf_setting *conf_setting_find(const char *name);

/* A secret's bytes, NUL-terminated for convenience (len excludes it). */
struct conf_secret {
	uint8_t *data;
	size_t len;
};

/* An IP range; IPv4-mapped IPv6 ranges are stored as IPv4. */
struct cidr {
	uint8_t family;		/* 4 or 6 */
	uint8_t prefix;		/* 0..32 or 0..128 */
	uint8_t addr[16];	/* network address, host bits zero */
};

struct cidr_list {
	struct cidr *v;
	size_t n;
};

/* FCGI_LISTEN: a unix socket path, or a TCP host (no brackets) and port. */
struct conf_listen {
	bool is_unix;
	char *path;
	char *host;
	uint16_t port;
};

enum conf_app_env { CONF_ENV_PRODUCTION, CONF_ENV_DEVELOPMENT, CONF_ENV_TEST };

enum conf_source {
	CONF_SRC_DEFAULT,	/* the table's default */
	CONF_SRC_ENV,		/* NAME in the environment */
	CONF_SRC_ENV_FILE,	/* NAME_FILE in the environment */
	CONF_SRC_CONFIG,	/* NAME in the config file */
	CONF_SRC_CONFIG_FILE,	/* NAME_FILE in the config file */
};

struct conf_value;

/*
 * The effective settings. Fields are always valid: a setting whose value
 * was refused holds its default. Read-only after conf_load.
 */
struct settings {
	char *app_url;			/* APP_URL, lower-case, no slash */
	char *internal_app_url;		/* INTERNAL_APP_URL */
	struct conf_secret encryption_key; /* ENCRYPTION_KEY, len 0: unset */
	char *db_connection_string;	/* DB_CONNECTION_STRING or NULL */
	unsigned app_env;		/* APP_ENV, enum conf_app_env */
	struct cidr_list trust_proxy;	/* TRUST_PROXY, empty: trust none */
	char *trusted_platform;		/* TRUSTED_PLATFORM or NULL */
	bool ui_config_disabled;	/* UI_CONFIG_DISABLED */
	struct conf_secret static_api_key; /* STATIC_API_KEY, len 0: unset */
	bool disable_rate_limiting;	/* DISABLE_RATE_LIMITING */
	int64_t audit_log_retention_days; /* AUDIT_LOG_RETENTION_DAYS */
	bool analytics_disabled;	/* ANALYTICS_DISABLED */
	bool version_check_disabled;	/* VERSION_CHECK_DISABLED */
	bool allow_downgrade;		/* ALLOW_DOWNGRADE */
	bool allow_insecure_callback_urls; /* ALLOW_INSECURE_CALLBACK_URLS */
	struct cidr_list local_ipv6_ranges; /* LOCAL_IPV6_RANGES */
	char *geolite_db_path;		/* GEOLITE_DB_PATH */
	char *passkey_aaguid_file;	/* PASSKEY_AAGUID_FILE or NULL */
	char *geolite_db_url;		/* GEOLITE_DB_URL */
	struct conf_secret maxmind_license_key; /* MAXMIND_LICENSE_KEY */
	enum log_level log_level;	/* LOG_LEVEL */
	bool log_json;			/* LOG_JSON */
	struct conf_listen fcgi_listen;	/* FCGI_LISTEN */
	unsigned fcgi_socket_mode;	/* FCGI_SOCKET_MODE */
	char *fcgi_socket_group;	/* FCGI_SOCKET_GROUP or NULL */
	int64_t workers;		/* WORKERS */
	int64_t worker_max_requests;	/* WORKER_MAX_REQUESTS, 0: never */
	char *healthcheck_url;		/* HEALTHCHECK_URL */
	int64_t healthcheck_timeout;	/* HEALTHCHECK_TIMEOUT, seconds */
	char *config_file;		/* POCKET_ID_CONFIG_FILE */

	/* Private to conf: one entry per table row. */
	struct conf_value *values;
};

/* Problems found while loading, every one of them, in table order. */
enum conf_severity { CONF_ERROR, CONF_WARNING };

struct conf_problem {
	enum conf_severity severity;
	const char *name;	/* the setting (static), or NULL */
	char *message;		/* "NAME: what is wrong — how to fix it" */
};

struct conf_problems {
	struct conf_problem *v;
	size_t n;
	size_t cap;
	bool nomem;		/* a problem could not be recorded */
};

void conf_problems_init(struct conf_problems *p);
/* Frees every message; accepts an initialised or zeroed struct. */
void conf_problems_free(struct conf_problems *p);
/* The number of problems of severity CONF_ERROR (plus one if nomem). */
size_t conf_problems_errors(const struct conf_problems *p);

/*
 * How conf reads files: the config file and NAME_FILE secrets. read_file
 * reads all of path, refusing more than max bytes, into a malloc'd buffer
 * (NUL-terminated, *len excludes the NUL) that the caller wipes and frees.
 * Returns PERR_OK, PERR_NOT_FOUND (no such file), PERR_TOO_LARGE, or
 * PERR_IO with *sys_errno set; PERR_NOMEM on allocation failure.
 */
struct conf_io {
	int (*read_file)(void *ctx, const char *path, size_t max,
	    uint8_t **data, size_t *len, int *sys_errno);
	void *ctx;
};

/* Reads the real filesystem. */
extern const struct conf_io conf_io_system;

/*
 * Loads the settings from envp (a NULL-terminated "NAME=value" array, such
 * as environ), the config file and the defaults, appending every problem to
 * *problems (initialised by the caller). *out always receives settings
 * (free with conf_free) unless PERR_NOMEM is returned. Returns PERR_OK when
 * no problem is an error, PERR_CONFIG when one is, PERR_NOMEM.
 * Requiredness is not checked here: see conf_require.
 */
int conf_load(char *const *envp, struct settings **out,
    struct conf_problems *problems);
/* The same with io instead of the real filesystem (tests, fuzzing). */
int conf_load_with(char *const *envp, const struct conf_io *io,
    struct settings **out, struct conf_problems *problems);

/* Wipes the secrets and frees everything; accepts NULL. */
void conf_free(struct settings *s);

/* What a command needs set; serve needs both, version neither. */
#define CONF_NEED_ENCRYPTION_KEY 0x1
#define CONF_NEED_DATABASE 0x2
/*
 * Appends an error for each needed setting that is unset. Returns PERR_OK
 * or PERR_CONFIG.
 */
int conf_require(const struct settings *s, unsigned needs,
    struct conf_problems *problems);

/*
 * Prints every problem to out, one per line, prefixed "error: " or
 * "warning: ". Returns the number of errors; the caller decides the exit
 * status.
 */
size_t conf_check(const struct conf_problems *problems, FILE *out);

/*
 * Prints the effective settings as NAME=value lines, each followed by
 * "# <source>", quoting values the config-file parser would otherwise
 * misread. Secrets appear as <redacted, N bytes>; a connection string shows
 * its options with the password redacted. Compatibility-only and
 * application settings are listed only when set. Returns PERR_OK or
 * PERR_IO.
 */
int conf_dump(const struct settings *s, FILE *out);

/* The README's configuration tables (Markdown), from the table. */
int conf_write_markdown(FILE *out);

/*
 * The effective text of the setting named name (also for compatibility-only
 * and application settings, which have no typed field), or NULL when unset
 * or unknown. For secrets this is the secret: do not log it.
 */
const char *conf_text(const struct settings *s, const char *name);
/* Where the named setting came from (CONF_SRC_DEFAULT when unknown). */
enum conf_source conf_source_of(const struct settings *s, const char *name);

/*
 * Parses a comma-separated list of IP addresses and CIDR ranges (blanks
 * around entries ignored, empty entries skipped) into *out (free with
 * cidr_list_free). With ipv6_only, IPv4 entries are refused. On failure
 * returns PERR_INVALID and points *bad_entry and *bad_len at the offending
 * entry inside text; PERR_TOO_LARGE past CONF_MAX_CIDRS entries.
 */
int cidr_list_parse(const char *text, bool ipv6_only, struct cidr_list *out,
    const char **bad_entry, size_t *bad_len);
void cidr_list_free(struct cidr_list *list);
/*
 * True when ip_text (an IPv4 or IPv6 address as text, as in REMOTE_ADDR)
 * lies in one of the ranges. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d)
 * match IPv4 ranges. Anything that is not an address matches nothing.
 */
bool cidr_list_contains(const struct cidr_list *list, const char *ip_text);

#endif
