/*
 * table: the one definition of every setting. A row gives the name, type,
 * default, range or allowed values, flags (secret, NAME_FILE, ...), where
 * the parsed value lives in struct settings, a one-line description and a
 * good example. Everything else in src/conf is driven by these rows, and
 * tests/unit/test_conf.c fails when man/pocket-id.conf.5 misses one.
 *
 * Three groups, in this order:
 *   - settings pocket-id acts on (Pocket ID's names and meanings, spec
 *     §4.1, then our own FastCGI and worker settings);
 *   - Pocket ID settings that make no sense behind nginx with PostgreSQL
 *     (listening, TLS, file backends, ...): accepted so that existing
 *     environments and scripts keep working, never acted on, and warned
 *     about when setting them would change Pocket ID's behaviour;
 *   - application settings (spec §4.2), carried as text: the admin module
 *     validates and uses them when UI_CONFIG_DISABLED=true.
 */
#include <stddef.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/conf_int.h"

#define F(field) offsetof(struct settings, field)

static const char *const app_env_values[] = {
	"production", "development", "test", NULL,
};

#define INERT(n, fl, why)                                                    \
	{ .name = (n), .type = CONF_T_STRING, .flags = CONF_F_INERT | (fl),  \
	  .offset = CONF_NO_FIELD, .description = (why) }
#define APP(n, fl, what, ex)                                                 \
	{ .name = (n), .type = CONF_T_STRING, .flags = CONF_F_APP | (fl),    \
	  .offset = CONF_NO_FIELD, .description = (what), .example = (ex) }
#define WARN CONF_F_WARN_IF_SET
#define APP_SECRET (CONF_F_SECRET | CONF_F_FILE | CONF_F_FILE_EXACT)

static const char no_http[] =
    "pocket-id serves no HTTP itself: nginx listens, and reaches pocket-id "
    "through FCGI_LISTEN";
static const char no_tls[] =
    "nginx terminates TLS: configure the certificate in nginx";
static const char no_files[] =
    "pocket-id keeps uploaded images in PostgreSQL (Pocket ID's "
    "\"database\" backend)";

const struct conf_setting conf_settings[] = {
	/* Pocket ID's process settings (spec §4.1). */
	{ .name = "APP_URL", .type = CONF_T_URL, .flags = CONF_F_ORIGIN,
	  .def = "http://localhost:1411", .offset = F(app_url),
	  .description = "Public base URL: the issuer, the WebAuthn origin "
	  "and relying party (its host), the base of links in emails; no "
	  "path, no trailing slash",
	  .example = "https://id.example.com" },
	{ .name = "INTERNAL_APP_URL", .type = CONF_T_URL,
	  .flags = CONF_F_ORIGIN, .def_from = "APP_URL",
	  .offset = F(internal_app_url),
	  .description = "Base URL announced in discovery for the "
	  "back-channel endpoints (token, userinfo, introspection, JWKS, "
	  "PAR); defaults to APP_URL",
	  .example = "http://pocket-id.internal:1411" },
	{ .name = "ENCRYPTION_KEY", .type = CONF_T_SECRET,
	  .flags = CONF_F_SECRET | CONF_F_FILE | CONF_F_FILE_EXACT, .min = 16,
	  .offset = F(encryption_key),
	  .description = "Master secret that seals the signing keys and "
	  "stored secrets; at least 16 bytes; required by serve; "
	  "ENCRYPTION_KEY_FILE is used byte for byte",
	  .example = "the output of \"openssl rand -base64 32\"" },
	{ .name = "DB_CONNECTION_STRING", .type = CONF_T_PG_CONNINFO,
	  .flags = CONF_F_SECRET | CONF_F_FILE,
	  .offset = F(db_connection_string),
	  .description = "PostgreSQL database: a postgres:// or "
	  "postgresql:// URL or a libpq key=value string; required by serve",
	  .example = "postgres://pocketid:PASSWORD@localhost:5432/pocketid" },
	{ .name = "APP_ENV", .type = CONF_T_ENUM, .def = "production",
	  .allowed = app_env_values, .offset = F(app_env),
	  .description = "production, development or test (test turns off "
	  "rate limits and background jobs, for test suites only)",
	  .example = "production" },
	{ .name = "TRUST_PROXY", .type = CONF_T_CIDRS,
	  .flags = CONF_F_ALLOW_BOOL, .offset = F(trust_proxy),
	  .description = "Peers whose X-Forwarded-For is believed: true "
	  "(all), false (none) or a comma-separated list of addresses and "
	  "CIDR ranges; unset trusts none",
	  .example = "10.0.0.0/8,fd00::/8" },
	{ .name = "TRUSTED_PLATFORM", .type = CONF_T_HEADER_NAME,
	  .offset = F(trusted_platform),
	  .description = "Request header, set by a trusted platform in "
	  "front of nginx, that carries the client IP",
	  .example = "CF-Connecting-IP" },
	{ .name = "UI_CONFIG_DISABLED", .type = CONF_T_BOOL, .def = "false",
	  .offset = F(ui_config_disabled),
	  .description = "Take the application settings from the "
	  "environment and config file only, and refuse changes through the "
	  "API and UI",
	  .example = "true" },
	{ .name = "STATIC_API_KEY", .type = CONF_T_SECRET,
	  .flags = CONF_F_SECRET | CONF_F_FILE, .min = 16,
	  .offset = F(static_api_key),
	  .description = "A fixed admin API key accepted in the X-API-Key "
	  "header; at least 16 characters",
	  .example = "the output of \"openssl rand -hex 32\"" },
	{ .name = "DISABLE_RATE_LIMITING", .type = CONF_T_BOOL,
	  .def = "false", .offset = F(disable_rate_limiting),
	  .description = "Turn the rate limits off",
	  .example = "false" },
	{ .name = "AUDIT_LOG_RETENTION_DAYS", .type = CONF_T_INT, .def = "90",
	  .min = 1, .max = 1000000, .offset = F(audit_log_retention_days),
	  .description = "Audit log rows older than this many days are "
	  "deleted daily",
	  .example = "365" },
	{ .name = "ANALYTICS_DISABLED", .type = CONF_T_BOOL, .def = "false",
	  .offset = F(analytics_disabled),
	  .description = "Turn off Pocket ID's anonymous daily heartbeat; "
	  "this build sends none, so it changes nothing today",
	  .example = "true" },
	{ .name = "VERSION_CHECK_DISABLED", .type = CONF_T_BOOL,
	  .def = "false", .offset = F(version_check_disabled),
	  .description = "Do not look up the latest release for the admin "
	  "UI",
	  .example = "true" },
	{ .name = "ALLOW_DOWNGRADE", .type = CONF_T_BOOL, .def = "false",
	  .offset = F(allow_downgrade),
	  .description = "Start even when the database was migrated by a "
	  "newer version (nothing is migrated down)",
	  .example = "false" },
	{ .name = "ALLOW_INSECURE_CALLBACK_URLS", .type = CONF_T_BOOL,
	  .def = "true", .offset = F(allow_insecure_callback_urls),
	  .description = "Permit http:// redirect URIs to hosts other than "
	  "loopback",
	  .example = "false" },
	{ .name = "LOCAL_IPV6_RANGES", .type = CONF_T_CIDRS,
	  .flags = CONF_F_IPV6_ONLY, .offset = F(local_ipv6_ranges),
	  .description = "IPv6 ranges counted as the local network in the "
	  "audit log and as private in outbound-request checks",
	  .example = "fd00::/8,2001:db8:1::/48" },
	{ .name = "GEOLITE_DB_PATH", .type = CONF_T_STRING,
	  .def = "data/GeoLite2-City.mmdb", .offset = F(geolite_db_path),
	  .description = "GeoLite2-City database used to place IP addresses "
	  "in the audit log; relative to the working directory; reopened "
	  "when the file changes, none when it is absent",
	  .example = "/var/lib/pocket-id/GeoLite2-City.mmdb" },
	{ .name = "PASSKEY_AAGUID_FILE", .type = CONF_T_STRING,
	  .offset = F(passkey_aaguid_file),
	  .description = "JSON list of authenticator names by AAGUID, in the "
	  "community passkey-aaguids format; new passkeys are named from it "
	  "before the built-in list (ours, not Pocket ID's)",
	  .example = "/usr/share/pocket-id/aaguids.json" },
	{ .name = "GEOLITE_DB_URL", .type = CONF_T_URL,
	  .def = "https://download.maxmind.com/app/geoip_download?"
	  "edition_id=GeoLite2-City&license_key=%s&suffix=tar.gz",
	  .offset = F(geolite_db_url),
	  .description = "Where the GeoLite2 database would be downloaded "
	  "from (%s stands for MAXMIND_LICENSE_KEY); accepted, but this "
	  "build downloads nothing: put the file at GEOLITE_DB_PATH",
	  .example = "https://mirror.example.com/GeoLite2-City.mmdb" },
	{ .name = "MAXMIND_LICENSE_KEY", .type = CONF_T_SECRET,
	  .flags = CONF_F_SECRET | CONF_F_FILE,
	  .offset = F(maxmind_license_key),
	  .description = "MaxMind licence key; accepted, but this build "
	  "never downloads the GeoLite2 database (it makes no outbound "
	  "requests for it): fetch it yourself, e.g. with geoipupdate",
	  .example = "the key from your MaxMind account" },
	{ .name = "LOG_LEVEL", .type = CONF_T_LOG_LEVEL, .def = "info",
	  .offset = F(log_level),
	  .description = "debug, info, warn or error",
	  .example = "info" },
	{ .name = "LOG_JSON", .type = CONF_T_BOOL, .def = "false",
	  .offset = F(log_json),
	  .description = "Log one JSON object per line",
	  .example = "true" },

	/* Our own: the FastCGI socket and the worker pool. */
	{ .name = "FCGI_LISTEN", .type = CONF_T_LISTEN,
	  .def = "unix:/run/pocket-id/fcgi.sock", .offset = F(fcgi_listen),
	  .description = "FastCGI socket nginx connects to: unix:/absolute/"
	  "path, HOST:PORT or [IPv6]:PORT",
	  .example = "127.0.0.1:9000" },
	{ .name = "FCGI_SOCKET_MODE", .type = CONF_T_MODE, .def = "0660",
	  .offset = F(fcgi_socket_mode),
	  .description = "Permissions of the unix socket, in octal",
	  .example = "0660" },
	{ .name = "FCGI_SOCKET_GROUP", .type = CONF_T_GROUP_NAME,
	  .offset = F(fcgi_socket_group),
	  .description = "Group given to the unix socket (nginx's group); "
	  "unset keeps the process's group",
	  .example = "www-data" },
	{ .name = "WORKERS", .type = CONF_T_INT, .def = "4", .min = 1,
	  .max = 256, .offset = F(workers),
	  .description = "Number of worker processes, each serving one "
	  "request at a time with its own database connection",
	  .example = "4" },
	{ .name = "WORKER_MAX_REQUESTS", .type = CONF_T_INT, .def = "10000",
	  .min = 0, .max = 1000000000, .offset = F(worker_max_requests),
	  .description = "A worker is replaced after serving this many "
	  "requests; 0 never replaces it",
	  .example = "10000" },
	{ .name = "HEALTHCHECK_URL", .type = CONF_T_URL,
	  .def = "http://localhost:1411/healthz",
	  .offset = F(healthcheck_url),
	  .description = "What \"pocket-id healthcheck\" requests; it "
	  "succeeds on a 2xx answer",
	  .example = "http://127.0.0.1:1411/healthz" },
	{ .name = "HEALTHCHECK_TIMEOUT", .type = CONF_T_DURATION, .def = "5",
	  .min = 1, .max = 300, .offset = F(healthcheck_timeout),
	  .description = "How long \"pocket-id healthcheck\" waits, in "
	  "seconds (or with a unit: 10s, 1m)",
	  .example = "5" },
	{ .name = "POCKET_ID_CONFIG_FILE", .type = CONF_T_STRING,
	  .flags = CONF_F_ENV_ONLY, .def = CONF_DEFAULT_CONFIG_FILE,
	  .offset = F(config_file),
	  .description = "Path of the optional config file; environment "
	  "only; an explicitly named file must exist",
	  .example = "/etc/pocket-id/pocket-id.conf" },

	/* Accepted for compatibility with Pocket ID, not acted on. */
	INERT("HOST", WARN, no_http),
	INERT("PORT", WARN, no_http),
	INERT("UNIX_SOCKET", WARN, "use FCGI_LISTEN=unix:/path"),
	INERT("UNIX_SOCKET_MODE", WARN, "use FCGI_SOCKET_MODE"),
	INERT("SYSTEMD_SOCKET", WARN, no_http),
	INERT("PROXY_PROTOCOL", WARN,
	    "nginx accepts the connections: configure proxy_protocol there"),
	INERT("TLS_CERT", WARN, no_tls),
	INERT("TLS_KEY", WARN | CONF_F_SECRET, no_tls),
	INERT("TLS_CERT_FILE", WARN, no_tls),
	INERT("TLS_KEY_FILE", WARN, no_tls),
	INERT("FILE_BACKEND", WARN, no_files),
	INERT("UPLOAD_PATH", WARN, no_files),
	INERT("S3_BUCKET", WARN, no_files),
	INERT("S3_REGION", WARN, no_files),
	INERT("S3_ENDPOINT", WARN, no_files),
	INERT("S3_ACCESS_KEY_ID", WARN, no_files),
	INERT("S3_SECRET_ACCESS_KEY",
	    WARN | CONF_F_SECRET | CONF_F_FILE, no_files),
	INERT("S3_FORCE_PATH_STYLE", WARN, no_files),
	INERT("S3_DISABLE_DEFAULT_INTEGRITY_CHECKS", WARN, no_files),
	INERT("LOG_QUERY_ARGS", WARN,
	    "pocket-id never logs SQL parameters"),
	INERT("METRICS_ENABLED", WARN,
	    "this build has no OpenTelemetry export"),
	INERT("TRACING_ENABLED", WARN,
	    "this build has no OpenTelemetry export"),
	INERT("ACTORS_HOST", 0,
	    "there is no actor cluster: replicas share PostgreSQL"),
	INERT("ACTORS_PORT", 0,
	    "there is no actor cluster: replicas share PostgreSQL"),
	INERT("DB_PROVIDER", 0, "Pocket ID 1.x only"),
	INERT("KEYS_STORAGE", 0, "Pocket ID 1.x only"),
	INERT("KEYS_PATH", 0, "Pocket ID 1.x only"),
	INERT("PUID", 0, "used by Pocket ID's Docker entrypoint only"),
	INERT("PGID", 0, "used by Pocket ID's Docker entrypoint only"),
	INERT("TZ", 0,
	    "the C library reads it from the environment; in the config "
	    "file it has no effect"),

	/* Application settings (spec §4.2), used with UI_CONFIG_DISABLED. */
	APP("APP_NAME", 0, "Name shown in the UI and emails, 1 to 30 "
	    "characters (default Pocket ID)", "Example Inc. ID"),
	APP("SESSION_DURATION", 0, "Browser session lifetime in minutes "
	    "(default 60)", "480"),
	APP("HOME_PAGE_URL", 0, "Where /settings leads (default "
	    "/settings/account)", "/settings/apps"),
	APP("EMAILS_VERIFIED", 0, "Treat new and changed email addresses "
	    "as verified (default false)", "false"),
	APP("ACCENT_COLOR", 0, "UI accent colour, a name or CSS colour "
	    "(default default)", "#2563eb"),
	APP("DISABLE_ANIMATIONS", 0, "Turn UI animations off (default "
	    "false)", "true"),
	APP("ALLOW_OWN_ACCOUNT_EDIT", 0, "Users may edit their own profile "
	    "(default true)", "true"),
	APP("ALLOW_USER_SIGNUPS", 0, "disabled, withToken or open (default "
	    "disabled)", "withToken"),
	APP("SIGNUP_DEFAULT_USER_GROUP_IDS", 0, "JSON array of group IDs "
	    "given to new users (default [])", "[\"8f14e45f-...\"]"),
	APP("SIGNUP_DEFAULT_CUSTOM_CLAIMS", 0, "JSON array of {key, value} "
	    "claims given to new users (default [])",
	    "[{\"key\":\"dept\",\"value\":\"it\"}]"),
	APP("REQUIRE_USER_EMAIL", 0, "Users must have an email address "
	    "(default true)", "true"),
	APP("SMTP_HOST", 0, "Mail server host", "smtp.example.com"),
	APP("SMTP_PORT", 0, "Mail server port", "587"),
	APP("SMTP_FROM", 0, "Sender address of emails", "id@example.com"),
	APP("SMTP_USER", 0, "Mail server user name", "id@example.com"),
	APP("SMTP_PASSWORD", APP_SECRET, "Mail server password",
	    "the password"),
	APP("SMTP_TLS", 0, "none, starttls or tls (default none)",
	    "starttls"),
	APP("SMTP_SKIP_CERT_VERIFY", 0, "Do not verify the mail server's "
	    "certificate (default false)", "false"),
	APP("EMAIL_LOGIN_NOTIFICATION_ENABLED", 0, "Email users about "
	    "sign-ins from a new device (default false)", "true"),
	APP("EMAIL_ONE_TIME_ACCESS_AS_UNAUTHENTICATED_ENABLED", 0, "Users "
	    "may ask for a login code by email (default false)", "true"),
	APP("EMAIL_ONE_TIME_ACCESS_AS_ADMIN_ENABLED", 0, "Admins may email "
	    "login codes (default false)", "true"),
	APP("EMAIL_API_KEY_EXPIRATION_ENABLED", 0, "Warn owners a week "
	    "before an API key expires (default false)", "true"),
	APP("EMAIL_VERIFICATION_ENABLED", 0, "Offer email verification "
	    "(default false)", "true"),
	APP("LDAP_ENABLED", 0, "Synchronise users and groups from LDAP "
	    "(default false)", "true"),
	APP("LDAP_URL", 0, "ldap:// or ldaps:// URL of the directory",
	    "ldaps://ldap.example.com"),
	APP("LDAP_BIND_DN", 0, "DN to bind as",
	    "cn=pocket-id,ou=services,dc=example,dc=com"),
	APP("LDAP_BIND_PASSWORD", APP_SECRET, "Password of LDAP_BIND_DN",
	    "the password"),
	APP("LDAP_BASE", 0, "Search base", "dc=example,dc=com"),
	APP("LDAP_USER_SEARCH_FILTER", 0, "Filter selecting users "
	    "(default (objectClass=person))", "(objectClass=inetOrgPerson)"),
	APP("LDAP_USER_GROUP_SEARCH_FILTER", 0, "Filter selecting groups "
	    "(default (objectClass=groupOfNames))",
	    "(objectClass=groupOfUniqueNames)"),
	APP("LDAP_SKIP_CERT_VERIFY", 0, "Do not verify the directory's "
	    "certificate (default false)", "false"),
	APP("LDAP_ATTRIBUTE_USER_UNIQUE_IDENTIFIER", 0, "User attribute "
	    "that never changes", "entryUUID"),
	APP("LDAP_ATTRIBUTE_USER_USERNAME", 0, "User name attribute", "uid"),
	APP("LDAP_ATTRIBUTE_USER_EMAIL", 0, "Email attribute", "mail"),
	APP("LDAP_ATTRIBUTE_USER_FIRST_NAME", 0, "First name attribute",
	    "givenName"),
	APP("LDAP_ATTRIBUTE_USER_LAST_NAME", 0, "Last name attribute", "sn"),
	APP("LDAP_ATTRIBUTE_USER_DISPLAY_NAME", 0, "Display name attribute "
	    "(default cn)", "displayName"),
	APP("LDAP_ATTRIBUTE_USER_PROFILE_PICTURE", 0, "Picture attribute "
	    "(URL, base64 or bytes)", "jpegPhoto"),
	APP("LDAP_ATTRIBUTE_GROUP_MEMBER", 0, "Group membership attribute "
	    "(default member)", "memberUid"),
	APP("LDAP_ATTRIBUTE_GROUP_UNIQUE_IDENTIFIER", 0, "Group attribute "
	    "that never changes", "entryUUID"),
	APP("LDAP_ATTRIBUTE_GROUP_NAME", 0, "Group name attribute", "cn"),
	APP("LDAP_ADMIN_GROUP_NAME", 0, "Members of this LDAP group are "
	    "admins", "pocket-id-admins"),
	APP("LDAP_SOFT_DELETE_USERS", 0, "Disable users missing from LDAP "
	    "instead of deleting them (default true)", "true"),
	APP("WEBAUTHN_USER_VERIFICATION", 0, "required or preferred "
	    "(default required)", "required"),
	APP("WEBAUTHN_ALLOW_SYNCED_PASSKEYS", 0, "Accept passkeys that can "
	    "be synced between devices (default true)", "true"),
	APP("WEBAUTHN_AUTHENTICATOR_ATTACHMENT", 0, "any, platform or "
	    "cross-platform (default any)", "any"),
	APP("CIMD_URL_ALLOWLIST", 0, "JSON array of URL patterns allowed "
	    "as client metadata documents (default [])",
	    "[\"https://*.example.com/*\"]"),
};

const size_t conf_settings_len =
    sizeof(conf_settings) / sizeof(conf_settings[0]);

const struct conf_setting *
conf_setting_find(const char *name)
{
	size_t i;

	for (i = 0; i < conf_settings_len; i++)
		if (strcmp(conf_settings[i].name, name) == 0)
			return &conf_settings[i];
	return NULL;
}

size_t
conf_row_index(const struct conf_setting *row)
{
	return (size_t)(row - conf_settings);
}

const struct conf_setting *
conf_file_base(const char *name)
{
	static const char suffix[] = "_FILE";
	const size_t slen = sizeof(suffix) - 1;
	char base[128];
	size_t n = strlen(name);

	if (n <= slen || n - slen >= sizeof(base))
		return NULL;
	if (strcmp(name + n - slen, suffix) != 0)
		return NULL;
	/* TLS_CERT_FILE is a setting of its own, not TLS_CERT's file. */
	if (conf_setting_find(name) != NULL)
		return NULL;
	memcpy(base, name, n - slen);
	base[n - slen] = '\0';
	return conf_setting_find(base);
}

const struct conf_setting *
conf_file_variant(const char *name)
{
	const struct conf_setting *row = conf_file_base(name);

	return row != NULL && (row->flags & CONF_F_FILE) ? row : NULL;
}
