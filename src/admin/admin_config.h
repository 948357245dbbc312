/*
 * admin_config: the admin and account routes for API keys (spec §1.13),
 * the application configuration (spec §1.10, §4.2), the audit log (spec
 * §1.12, §8) and the version (spec §1.15); plus the pure helpers they
 * need (setting validation, the user-agent "device" string) and the
 * audit-log retention job the master runs. The users, groups, claims and
 * signup routes are declared in admin.h. Handlers build no SQL (store/)
 * and never see a password in plain text longer than one request.
 */
#ifndef POCKETID_ADMIN_CONFIG_H
#define POCKETID_ADMIN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "auth/auth.h"

struct settings;

/* ---- handlers (routes.c lists them) ----------------------------------- */

/* spec §1.10 */
void config_list_public(struct app_call *call);
void config_list_all(struct app_call *call);
void config_update(struct app_call *call);
void config_test_email(struct app_call *call);
void config_sync_ldap(struct app_call *call);

/* spec §1.13 */
void apikey_list(struct app_call *call);
void apikey_create(struct app_call *call);
void apikey_renew(struct app_call *call);
void apikey_delete(struct app_call *call);

/* spec §1.12 */
void audit_list_own(struct app_call *call);
void audit_list_all(struct app_call *call);
void audit_filter_client_names(struct app_call *call);
void audit_filter_users(struct app_call *call);

/* spec §1.15 */
void version_current(struct app_call *call);

/* ---- application settings (pure) ------------------------------------- */

/* What one setting's value may look like. */
#define CONFIG_VALUE_MAX 65536		/* any one value, bytes */
#define CONFIG_APP_NAME_MAX 30		/* appName, characters */
#define CONFIG_JSON_ITEMS_MAX 1000	/* entries of a JSON-array setting */

/*
 * Whether value (already known to be valid UTF-8) is acceptable for the
 * setting key, with Pocket ID's rules (spec §4.2): booleans are exactly
 * "true" or "false", integers decimal, enumerations one of their words,
 * JSON settings arrays of the right shape, smtpFrom an email address.
 * The empty string means "the default" and is accepted unless the setting
 * is required. On false, *code and *message (static) say why, in the
 * words of spec §0.3's details.fields. Unknown keys are invalid.
 */
bool config_value_is_valid(const char *key, const char *value,
    const char **code, const char **message);

/* ---- API keys (pure but for the random generator) -------------------- */

#define APIKEY_TOKEN_LEN 32

/* A new token: APIKEY_TOKEN_LEN characters uniform over [A-Za-z0-9]. */
int apikey_token_new(char out[APIKEY_TOKEN_LEN + 1]);
/*
 * Whether s is an RFC 3339 date-time as Pocket ID accepts it (Go's
 * time.Time JSON form): YYYY-MM-DDTHH:MM:SS, optional fraction of 1 to 9
 * digits, then Z or +HH:MM / -HH:MM; calendar-checked, year >= 1.
 */
bool apikey_time_is_rfc3339(const char *s);

/* ---- user agents (pure) ---------------------------------------------- */

/* How much of a User-Agent we look at, and in how many pieces. */

/* ---- audit-log retention (spec §5.6 ClearAuditLogs) ------------------- */

/* How often the master runs the cleanup after the one at start-up. */
#define AUDIT_RETENTION_INTERVAL_S (24 * 60 * 60)

/*
 * Deletes audit-log rows older than AUDIT_LOG_RETENTION_DAYS, in this
 * process, with its own database connection. Under a PostgreSQL advisory
 * lock, so of the replicas sharing a database one runs it at a time and
 * the others skip. *deleted (may be NULL) receives the row count, -1 when
 * skipped. Errors: those of db_open and of any statement.
 */
int audit_retention_run(const struct settings *s, long long *deleted);

/*
 * Forks a child that runs audit_retention_run and exits; for the master,
 * which must never block on the database. Returns the child's pid (the
 * caller reaps it like any child), or -1 when fork failed (logged).
 */
pid_t audit_retention_spawn(const struct settings *s);


/* ---- GeoLite2 locations (spec §4.1 GEOLITE_DB_PATH, §8) -------------- */

/* Longest country or city name taken from the database, bytes. */
#define GEO_NAME_MAX 200

struct geo_db;

/*
 * A handle on the GeoLite2-City database at path, for one worker; opened
 * now if the file is there. *out is NULL (lookups find nothing) when path
 * is NULL or empty. A missing or unreadable file is not an error: it is
 * logged and looked at again on each lookup. Errors: PERR_NOMEM.
 */
int geo_db_new(const char *path, struct geo_db **out);
void geo_db_free(struct geo_db *g);

/*
 * The English country and city names of ip (text form), each a new string
 * the caller frees, or NULL when unknown. First reopens the database if
 * the file changed since it was last looked at (hot reload) and closes it
 * if the file is gone. g may be NULL. Never fails: a broken database is
 * logged and gives no location.
 */
void geo_db_lookup(struct geo_db *g, const char *ip, char **country,
    char **city);

/* Whether len bytes of s may be stored as a place name: 1..GEO_NAME_MAX
 * bytes of UTF-8 without control characters. Pure. */
bool geo_name_is_ok(const char *s, size_t len);

#endif
