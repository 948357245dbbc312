/*
 * parse: turns the text of one setting into its typed field, one small
 * function per type of the table. A refusal writes what is wrong and how to
 * fix it ("... — use https://id.example.com"); the value itself is echoed
 * only when the setting is not a secret, quoted and capped in length.
 *
 * Normalisation is limited to what Pocket ID does too: URLs, APP_ENV and
 * LOG_LEVEL are lower-cased (scheme and host are case-insensitive, so the
 * issuer stays what Pocket ID would have made of the same value). Anything
 * else that is wrong, a trailing slash included, is refused with the fix
 * spelled out, never repaired silently.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>
#include <openssl/crypto.h>

#include "conf/conf_int.h"

#define CONF_QUOTE_MAX 80	/* bytes of a refused value echoed back */
#define CONF_HOST_MAX 253	/* a DNS name */
#define CONF_UNIX_PATH_MAX 107	/* sun_path minus its NUL */
#define CONF_GROUP_MAX 32

static void *
field_of(const struct conf_setting *row, struct settings *s)
{
	return row->offset == CONF_NO_FIELD ? NULL : (char *)s + row->offset;
}

void
conf_quote(struct wbuf *w, const char *text, size_t len)
{
	size_t i, n = len > CONF_QUOTE_MAX ? CONF_QUOTE_MAX : len;
	unsigned char c;

	wbuf_putc(w, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)text[i];
		if (c == '"' || c == '\\')
			wbuf_printf(w, "\\%c", c);
		else if (c < 0x20 || c == 0x7f || c >= 0x80)
			wbuf_printf(w, "\\x%02x", c);
		else
			wbuf_putc(w, (char)c);
	}
	if (n < len)
		wbuf_puts(w, "...");
	wbuf_putc(w, '"');
}

/* "— for example <row's example>" */
static void
hint(struct wbuf *why, const struct conf_setting *row)
{
	wbuf_printf(why, " — for example %s", row->example);
}

/* The quoted value, or "the value" for secrets. */
static void
echo(struct wbuf *why, const struct conf_setting *row, const char *text,
    size_t len)
{
	if (row->flags & CONF_F_SECRET)
		wbuf_puts(why, "the value");
	else
		conf_quote(why, text, len);
}

static void
lower_ascii(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Go's strconv.ParseBool, which Pocket ID uses: exactly these spellings. */
static int
bool_parse(const char *text, bool *out)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true",
		"True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false",
		"False" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(text, yes[i]) == 0) {
			*out = true;
			return PERR_OK;
		}
		if (strcmp(text, no[i]) == 0) {
			*out = false;
			return PERR_OK;
		}
	}
	return PERR_INVALID;
}

static int
parse_bool(const struct conf_setting *row, const char *text, size_t len,
    void *field, struct wbuf *why)
{
	bool v;

	if (bool_parse(text, &v) != PERR_OK) {
		echo(why, row, text, len);
		wbuf_puts(why, " is not a boolean — use true or false");
		return PERR_INVALID;
	}
	if (field != NULL)
		*(bool *)field = v;
	return PERR_OK;
}

static int
parse_int(const struct conf_setting *row, const char *text, size_t len,
    void *field, struct wbuf *why)
{
	int64_t v;

	if (str_to_int64(text, INT64_MIN, INT64_MAX, &v) != PERR_OK) {
		echo(why, row, text, len);
		wbuf_puts(why, " is not a whole number");
		hint(why, row);
		return PERR_INVALID;
	}
	if (v < row->min || v > row->max) {
		echo(why, row, text, len);
		wbuf_printf(why, " must be between %lld and %lld",
		    (long long)row->min, (long long)row->max);
		hint(why, row);
		return PERR_INVALID;
	}
	if (field != NULL)
		*(int64_t *)field = v;
	return PERR_OK;
}

/* Seconds, or a number with one unit: s, m, h. */
static int
parse_duration(const struct conf_setting *row, const char *text, size_t len,
    void *field, struct wbuf *why)
{
	int64_t v, unit = 1;
	char digits[24];
	size_t n = len;

	if (n > 0 && strchr("smh", text[n - 1]) != NULL) {
		unit = text[n - 1] == 's' ? 1 : text[n - 1] == 'm' ? 60 : 3600;
		n--;
	}
	if (n == 0 || n >= sizeof(digits) ||
	    strspn(text, "0123456789") != n) {
		echo(why, row, text, len);
		wbuf_puts(why, " is not a duration: give seconds, or a number "
		    "followed by s, m or h");
		hint(why, row);
		return PERR_INVALID;
	}
	memcpy(digits, text, n);
	digits[n] = '\0';
	if (str_to_int64(digits, 0, INT64_MAX / 3600, &v) != PERR_OK ||
	    v * unit < row->min || v * unit > row->max) {
		echo(why, row, text, len);
		wbuf_printf(why, " must be between %lld and %lld seconds",
		    (long long)row->min, (long long)row->max);
		hint(why, row);
		return PERR_INVALID;
	}
	if (field != NULL)
		*(int64_t *)field = v * unit;
	return PERR_OK;
}

static void
list_allowed(struct wbuf *why, const char *const *allowed)
{
	size_t i;

	for (i = 0; allowed[i] != NULL; i++)
		wbuf_printf(why, "%s%s", i > 0 ? ", " : "", allowed[i]);
}

/* Case-insensitive, as Pocket ID lower-cases these. */
static int
parse_enum_in(const struct conf_setting *row, const char *text, size_t len,
    const char *const *allowed, unsigned *out, struct wbuf *why)
{
	unsigned i;

	for (i = 0; allowed[i] != NULL; i++)
		if (str_eq_ci(text, allowed[i])) {
			*out = i;
			return PERR_OK;
		}
	echo(why, row, text, len);
	wbuf_puts(why, " must be one of ");
	list_allowed(why, allowed);
	hint(why, row);
	return PERR_INVALID;
}

static int
parse_enum(const struct conf_setting *row, const char *text, size_t len,
    void *field, struct wbuf *why)
{
	unsigned v = 0;
	int rc;

	if ((rc = parse_enum_in(row, text, len, row->allowed, &v, why)) != 0)
		return rc;
	if (field != NULL)
		*(unsigned *)field = v;
	return PERR_OK;
}

const char *const conf_log_level_names[] = {
	"debug", "info", "warn", "error", NULL,
};

static int
parse_log_level(const struct conf_setting *row, const char *text,
    size_t len, void *field, struct wbuf *why)
{
	unsigned v = 0;
	int rc;

	rc = parse_enum_in(row, text, len, conf_log_level_names, &v, why);
	if (rc != PERR_OK)
		return rc;
	if (field != NULL)
		*(enum log_level *)field = (enum log_level)v;
	return PERR_OK;
}

/* An octal permission such as 0660; set-id and sticky bits refused. */
static int
parse_mode(const struct conf_setting *row, const char *text, size_t len,
    void *field, struct wbuf *why)
{
	unsigned v = 0;
	size_t i;

	if (len == 0 || len > 4 || strspn(text, "01234567") != len) {
		echo(why, row, text, len);
		wbuf_puts(why, " is not an octal file mode");
		hint(why, row);
		return PERR_INVALID;
	}
	for (i = 0; i < len; i++)
		v = v * 8 + (unsigned)(text[i] - '0');
	if (v > 0777) {
		echo(why, row, text, len);
		wbuf_puts(why, " must be at most 0777 (no set-id or sticky "
		    "bits)");
		hint(why, row);
		return PERR_INVALID;
	}
	if (field != NULL)
		*(unsigned *)field = v;
	return PERR_OK;
}

static int
parse_secret(const struct conf_setting *row, const char *text, size_t len,
    void *field, struct wbuf *why)
{
	struct conf_secret *sec = field;

	if ((int64_t)len < row->min) {
		const char *unit = (row->flags & CONF_F_FILE_EXACT) ?
		    "bytes" : "characters";

		wbuf_printf(why, "must be at least %lld %s long, this one has "
		    "%zu", (long long)row->min, unit, len);
		hint(why, row);
		return PERR_INVALID;
	}
	if (sec == NULL)
		return PERR_OK;
	if ((sec->data = malloc(len + 1)) == NULL)
		return PERR_NOMEM;
	memcpy(sec->data, text, len);
	sec->data[len] = '\0';
	sec->len = len;
	return PERR_OK;
}

static int
store_string(void *field, const char *text)
{
	char *copy;

	if (field == NULL)
		return PERR_OK;
	if ((copy = str_dup(text)) == NULL)
		return PERR_NOMEM;
	*(char **)field = copy;
	return PERR_OK;
}

static int
parse_string(const struct conf_setting *row, const char *text, size_t len,
    void *field, struct wbuf *why)
{
	(void)row;
	(void)len;
	(void)why;
	return store_string(field, text);
}

/* RFC 9110 §5.6.2 token characters. */
static bool
is_tchar(unsigned char c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static int
parse_header_name(const struct conf_setting *row, const char *text,
    size_t len, void *field, struct wbuf *why)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_tchar((unsigned char)text[i]))
			break;
	if (i < len || len > 128) {
		echo(why, row, text, len);
		wbuf_puts(why, " is not an HTTP header name");
		hint(why, row);
		return PERR_INVALID;
	}
	return store_string(field, text);
}

/* A group name as useradd accepts it, or a numeric gid. */
static int
parse_group_name(const struct conf_setting *row, const char *text,
    size_t len, void *field, struct wbuf *why)
{
	size_t n = len;

	if (n > 1 && text[n - 1] == '$')
		n--;
	if (n == 0 || len > CONF_GROUP_MAX || text[0] == '-' ||
	    strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") != n) {
		echo(why, row, text, len);
		wbuf_puts(why, " is not a group name or number");
		hint(why, row);
		return PERR_INVALID;
	}
	return store_string(field, text);
}

/*
 * host[:port] or [v6][:port], no user info. Returns a static reason or
 * NULL when fine; *host_len is the length of the host part, brackets
 * included.
 */
static const char *
authority_check(const char *a, size_t n, size_t *host_len)
{
	char v6[64];
	unsigned char bin[16];
	const char *close, *port = NULL;
	size_t i, hl, pl;
	unsigned long p = 0;

	if (memchr(a, '@', n) != NULL)
		return "must not contain a user name or password";
	if (n > 0 && a[0] == '[') {
		close = memchr(a, ']', n);
		if (close == NULL || (size_t)(close - a) - 1 >= sizeof(v6))
			return "has an invalid IPv6 address";
		memcpy(v6, a + 1, (size_t)(close - a) - 1);
		v6[close - a - 1] = '\0';
		if (inet_pton(AF_INET6, v6, bin) != 1)
			return "has an invalid IPv6 address";
		hl = (size_t)(close - a) + 1;
		if (hl < n && a[hl] != ':')
			return "has an invalid IPv6 address";
	} else {
		for (hl = 0; hl < n && a[hl] != ':'; hl++)
			if (!isalnum((unsigned char)a[hl]) &&
			    strchr("-._", a[hl]) == NULL)
				return "has an invalid host name";
		if (hl == 0)
			return "has no host name";
		if (hl > CONF_HOST_MAX)
			return "has a host name longer than 253 characters";
	}
	*host_len = hl;
	if (hl == n)
		return NULL;
	port = a + hl + 1;
	pl = n - hl - 1;
	if (pl == 0 || pl > 5)
		return "has an invalid port";
	for (i = 0; i < pl; i++) {
		if (!isdigit((unsigned char)port[i]))
			return "has an invalid port";
		p = p * 10 + (unsigned long)(port[i] - '0');
	}
	if (p == 0 || p > 65535)
		return "has an invalid port";
	return NULL;
}

/* "scheme://authority" lower-cased, the fix we suggest and store. */
static void
put_origin(struct wbuf *w, const char *scheme, size_t sl, const char *auth,
    size_t al)
{
	size_t start = w->len;

	wbuf_put(w, scheme, sl);
	wbuf_puts(w, "://");
	wbuf_put(w, auth, al);
	if (wbuf_error(w) == PERR_OK)
		lower_ascii((char *)w->data + start);
}

static int
url_refuse(const struct conf_setting *row, const char *text, size_t len,
    const char *what, const char *scheme, size_t sl, const char *auth,
    size_t al, struct wbuf *why)
{
	echo(why, row, text, len);
	wbuf_printf(why, " %s", what);
	if (auth != NULL) {
		wbuf_puts(why, " — use ");
		put_origin(why, scheme, sl, auth, al);
	} else {
		hint(why, row);
	}
	return PERR_INVALID;
}

/*
 * An absolute http(s) URL. With CONF_F_ORIGIN only scheme://host[:port]:
 * Pocket ID refuses a path there (APP_URL is the issuer and the WebAuthn
 * origin); we also refuse a trailing slash, a query and a fragment, with
 * the corrected value in the message. Stored lower-cased (scheme and host;
 * a path keeps its case).
 */
static int
parse_url(const struct conf_setting *row, const char *text, size_t len,
    void *field, struct wbuf *why)
{
	const char *sep, *auth, *rest, *reason;
	size_t i, sl, al, host_len, rl;
	struct wbuf norm;
	bool is_https;
	int rc;

	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] <= 0x20 ||
		    (unsigned char)text[i] >= 0x7f)
			return url_refuse(row, text, len, "must not contain "
			    "spaces, control or non-ASCII characters", NULL, 0,
			    NULL, 0, why);
	if ((sep = strstr(text, "://")) == NULL) {
		al = strcspn(text, "/?#");
		if (authority_check(text, al, &host_len) == NULL &&
		    text[al] == '\0')
			return url_refuse(row, text, len, "is not an absolute "
			    "URL", "https", 5, text, al, why);
		return url_refuse(row, text, len, "is not an absolute URL",
		    NULL, 0, NULL, 0, why);
	}
	sl = (size_t)(sep - text);
	auth = sep + 3;
	al = strcspn(auth, "/?#");
	rest = auth + al;
	rl = strlen(rest);
	if ((reason = authority_check(auth, al, &host_len)) != NULL)
		return url_refuse(row, text, len, reason, NULL, 0, NULL, 0,
		    why);
	is_https = sl == 5 && strncasecmp(text, "https", 5) == 0;
	if (!is_https && !(sl == 4 && strncasecmp(text, "http", 4) == 0))
		return url_refuse(row, text, len, "must start with http:// or "
		    "https://", "https", 5, auth, al, why);
	if (row->flags & CONF_F_ORIGIN) {
		if (strpbrk(rest, "?#") != NULL)
			return url_refuse(row, text, len, "must not contain a "
			    "query or fragment", text, sl, auth, al, why);
		if (rl > 0 && strspn(rest, "/") == rl)
			return url_refuse(row, text, len, "must not end with "
			    "\"/\"", text, sl, auth, al, why);
		if (rl > 0)
			return url_refuse(row, text, len, "must not contain a "
			    "path", text, sl, auth, al, why);
	} else if (strchr(rest, '#') != NULL) {
		return url_refuse(row, text, len, "must not contain a "
		    "fragment", NULL, 0, NULL, 0, why);
	}
	if (field == NULL)
		return PERR_OK;
	wbuf_init(&norm);
	put_origin(&norm, text, sl, auth, al);
	wbuf_puts(&norm, rest);
	if ((rc = wbuf_error(&norm)) == PERR_OK)
		*(char **)field = wbuf_steal(&norm, NULL);
	wbuf_free(&norm);
	return rc;
}

static int
parse_cidrs(const struct conf_setting *row, const char *text, size_t len,
    void *field, struct wbuf *why)
{
	struct cidr_list list = { NULL, 0 }, *out = field;
	const char *bad = NULL;
	size_t bad_len = 0, a, b;
	bool all;
	char word[8];
	int rc;

	/* true / false, blanks around them ignored, as in Pocket ID. */
	a = strspn(text, " \t");
	for (b = len; b > a && (text[b - 1] == ' ' || text[b - 1] == '\t');)
		b--;
	if ((row->flags & CONF_F_ALLOW_BOOL) && b - a < sizeof(word)) {
		memcpy(word, text + a, b - a);
		word[b - a] = '\0';
		if (bool_parse(word, &all) == PERR_OK) {
			if (all)
				rc = cidr_list_parse("0.0.0.0/0,::/0", false,
				    &list, &bad, &bad_len);
			else
				rc = PERR_OK;
			goto done;
		}
	}
	rc = cidr_list_parse(text, (row->flags & CONF_F_IPV6_ONLY) != 0,
	    &list, &bad, &bad_len);
	if (rc == PERR_TOO_LARGE) {
		wbuf_printf(why, "has more than %d entries", CONF_MAX_CIDRS);
		hint(why, row);
		return PERR_INVALID;
	}
	if (rc == PERR_INVALID) {
		conf_quote(why, bad, bad_len);
		if (row->flags & CONF_F_IPV6_ONLY)
			wbuf_puts(why, " is not an IPv6 address or range");
		else
			wbuf_puts(why, " is not an IP address or CIDR range");
		if (row->flags & CONF_F_ALLOW_BOOL)
			wbuf_printf(why, " — use true, false or a list such "
			    "as %s", row->example);
		else
			hint(why, row);
		return PERR_INVALID;
	}
done:
	if (rc != PERR_OK || out == NULL) {
		cidr_list_free(&list);
		return rc;
	}
	*out = list;
	return PERR_OK;
}

/* Does text look like the SQLite DSN Pocket ID would have accepted? */
static bool
looks_like_sqlite(const char *text)
{
	static const char *const ext[] = { ".db", ".sqlite", ".sqlite3",
		".db3" };
	size_t n = strcspn(text, "?"), i, el;

	if (str_has_prefix(text, "file:") || str_has_prefix(text, "sqlite:"))
		return true;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		el = strlen(ext[i]);
		if (n >= el && strncasecmp(text + n - el, ext[i], el) == 0)
			return true;
	}
	/* Pocket ID took anything but a postgres URL for a SQLite path. */
	return strchr(text, '=') == NULL && strstr(text, "://") == NULL;
}

/*
 * libpq's own parser decides; its message is passed on only for the
 * shapes that cannot contain a password.
 */
static int
parse_pg_conninfo(const struct conf_setting *row, const char *text,
    size_t len, void *field, struct wbuf *why)
{
	PQconninfoOption *opts;
	char *err = NULL;

	(void)len;
	if ((opts = PQconninfoParse(text, &err)) != NULL) {
		PQconninfoFree(opts);
		return store_string(field, text);
	}
	if (looks_like_sqlite(text)) {
		wbuf_puts(why, "looks like a SQLite database; this build "
		    "needs PostgreSQL (move the data with pocket-id export "
		    "and pocket-id import)");
	} else {
		wbuf_puts(why, "is neither a postgres:// URL nor a libpq "
		    "key=value connection string");
		if (err != NULL && (str_has_prefix(err, "invalid connection "
		    "option") || str_has_prefix(err, "unterminated quoted")))
			wbuf_printf(why, " (libpq: %.*s)",
			    (int)strcspn(err, "\n"), err);
	}
	PQfreemem(err);
	hint(why, row);
	return PERR_INVALID;
}

static int
listen_refuse(const struct conf_setting *row, const char *text, size_t len,
    const char *what, struct wbuf *why)
{
	echo(why, row, text, len);
	wbuf_printf(why, " %s", what);
	wbuf_printf(why, " — for example %s or unix:/run/pocket-id/fcgi.sock",
	    row->example);
	return PERR_INVALID;
}

/* unix:/absolute/path, HOST:PORT or [IPv6]:PORT. */
static int
parse_listen(const struct conf_setting *row, const char *text, size_t len,
    void *field, struct wbuf *why)
{
	struct conf_listen *l = field, v = { false, NULL, NULL, 0 };
	const char *colon, *reason;
	size_t host_len, hl;
	int64_t port;

	if (str_has_prefix(text, "unix:")) {
		if (text[5] != '/')
			return listen_refuse(row, text, len, "needs an "
			    "absolute path after unix:", why);
		if (len - 5 > CONF_UNIX_PATH_MAX)
			return listen_refuse(row, text, len, "has a socket "
			    "path longer than 107 bytes", why);
		v.is_unix = true;
		v.path = str_dup(text + 5);
		if (v.path == NULL)
			return PERR_NOMEM;
		goto done;
	}
	colon = strrchr(text, ':');
	if (colon == NULL || colon == text)
		return listen_refuse(row, text, len, "is neither "
		    "unix:/absolute/path nor HOST:PORT", why);
	if (text[0] != '[' && memchr(text, ':', (size_t)(colon - text)))
		return listen_refuse(row, text, len, "needs brackets around "
		    "an IPv6 address, as in [::1]:9000", why);
	if ((reason = authority_check(text, len, &host_len)) != NULL)
		return listen_refuse(row, text, len, reason, why);
	if (host_len == len ||
	    str_to_int64(colon + 1, 1, 65535, &port) != PERR_OK)
		return listen_refuse(row, text, len, "has an invalid port",
		    why);
	hl = text[0] == '[' ? host_len - 2 : host_len;
	v.host = str_ndup(text[0] == '[' ? text + 1 : text, hl);
	if (v.host == NULL)
		return PERR_NOMEM;
	v.port = (uint16_t)port;
done:
	if (l == NULL) {
		free(v.path);
		free(v.host);
		return PERR_OK;
	}
	*l = v;
	return PERR_OK;
}

typedef int (*conf_parse_fn)(const struct conf_setting *, const char *,
    size_t, void *, struct wbuf *);

/* Indexed by enum conf_type. */
static const conf_parse_fn parsers[] = {
	[CONF_T_STRING] = parse_string,
	[CONF_T_SECRET] = parse_secret,
	[CONF_T_URL] = parse_url,
	[CONF_T_BOOL] = parse_bool,
	[CONF_T_INT] = parse_int,
	[CONF_T_ENUM] = parse_enum,
	[CONF_T_MODE] = parse_mode,
	[CONF_T_DURATION] = parse_duration,
	[CONF_T_CIDRS] = parse_cidrs,
	[CONF_T_LOG_LEVEL] = parse_log_level,
	[CONF_T_PG_CONNINFO] = parse_pg_conninfo,
	[CONF_T_LISTEN] = parse_listen,
	[CONF_T_HEADER_NAME] = parse_header_name,
	[CONF_T_GROUP_NAME] = parse_group_name,
};

int
conf_value_parse(const struct conf_setting *row, const char *text,
    size_t len, struct settings *s, struct wbuf *why)
{
	bool nul_ok = row->type == CONF_T_SECRET &&
	    (row->flags & CONF_F_FILE_EXACT);

	if ((size_t)row->type >= sizeof(parsers) / sizeof(parsers[0]) ||
	    parsers[row->type] == NULL)
		return PERR_INTERNAL;
	if (!nul_ok && memchr(text, '\0', len) != NULL) {
		wbuf_puts(why, "contains a NUL byte");
		return PERR_INVALID;
	}
	if (len > CONF_MAX_VALUE) {
		wbuf_printf(why, "is longer than %d bytes", CONF_MAX_VALUE);
		return PERR_INVALID;
	}
	return parsers[row->type](row, text, len, field_of(row, s), why);
}

void
conf_field_clear(const struct conf_setting *row, struct settings *s)
{
	void *field = field_of(row, s);
	struct conf_secret *sec;
	struct conf_listen *l;
	char **str;

	if (field == NULL)
		return;
	switch (row->type) {
	case CONF_T_SECRET:
		sec = field;
		if (sec->data != NULL)
			OPENSSL_cleanse(sec->data, sec->len);
		free(sec->data);
		sec->data = NULL;
		sec->len = 0;
		break;
	case CONF_T_CIDRS:
		cidr_list_free(field);
		break;
	case CONF_T_LISTEN:
		l = field;
		free(l->path);
		free(l->host);
		memset(l, 0, sizeof(*l));
		break;
	case CONF_T_STRING:
	case CONF_T_URL:
	case CONF_T_PG_CONNINFO:
	case CONF_T_HEADER_NAME:
	case CONF_T_GROUP_NAME:
		str = field;
		if (row->flags & CONF_F_SECRET)
			str_free_secret(*str);
		else
			free(*str);
		*str = NULL;
		break;
	case CONF_T_BOOL:
		*(bool *)field = false;
		break;
	case CONF_T_INT:
	case CONF_T_DURATION:
		*(int64_t *)field = 0;
		break;
	case CONF_T_ENUM:
	case CONF_T_MODE:
		*(unsigned *)field = 0;
		break;
	case CONF_T_LOG_LEVEL:
		*(enum log_level *)field = LOG_INFO;
		break;
	}
}
