/*
 * file: the lexer of the optional config file, pocket-id.conf(5). The
 * format is the common subset of systemd's EnvironmentFile and the .env
 * files Pocket ID reads, so an existing .env can be copied over:
 *
 *   # comment                 blank lines and comment lines are skipped
 *   NAME=value                blanks around "=" and the value are ignored
 *   export NAME=value         "export " is allowed and ignored
 *   NAME=value # comment      a "#" after a blank starts a comment
 *   NAME="a \"b\" \\ \n"      double quotes: \" \\ \n \r \t escapes
 *   NAME='literal # text'     single quotes: no escapes at all
 *
 * One setting per line, no continuation lines. Every line must be UTF-8
 * without NUL bytes. Unknown names and names given twice are errors that
 * name the line; the lexer carries on so that every problem is reported.
 * Reading goes through struct rbuf with the limits of conf.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf_int.h"

#define CONF_NAME_MAX 128

struct lexer {
	const char *path;
	unsigned line;
	struct conf_problems *problems;
	bool refused;
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_name_char(char c, bool first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	    (!first && c >= '0' && c <= '9');
}

static void
refuse(struct lexer *lx, const char *name, const char *what)
{
	conf_problem_add(lx->problems, CONF_ERROR, name, "%s:%u: %s", lx->path,
	    lx->line, what);
	lx->refused = true;
}

/* Levenshtein distance ignoring case; long names are not compared. */
static size_t
distance(const char *a, const char *b)
{
	size_t row[CONF_NAME_MAX + 1], i, j, la = strlen(a), lb = strlen(b);
	size_t diag, up, best;

	if (la > CONF_NAME_MAX || lb > CONF_NAME_MAX)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			best = diag + (toupper((unsigned char)a[i - 1]) !=
			    toupper((unsigned char)b[j - 1]));
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The setting whose name is closest to name, if it is close enough. */
static const char *
suggest(const char *name)
{
	const char *best = NULL;
	size_t i, d, best_d = 3;

	for (i = 0; i < conf_settings_len; i++) {
		if (conf_settings[i].flags & CONF_F_ENV_ONLY)
			continue;
		d = distance(name, conf_settings[i].name);
		if (d < best_d) {
			best_d = d;
			best = conf_settings[i].name;
		}
	}
	return best;
}

/*
 * Reads a quoted value starting at *p (on the quote) into w. Returns a
 * static reason on failure.
 */
static const char *
lex_quoted(const char **p, const char *end, struct wbuf *w)
{
	char q = **p;
	const char *s = *p + 1;

	while (s < end && *s != q) {
		if (q == '"' && *s == '\\') {
			if (s + 1 == end)
				return "unterminated quoted value";
			switch (s[1]) {
			case '"': wbuf_putc(w, '"'); break;
			case '\\': wbuf_putc(w, '\\'); break;
			case 'n': wbuf_putc(w, '\n'); break;
			case 'r': wbuf_putc(w, '\r'); break;
			case 't': wbuf_putc(w, '\t'); break;
			default:
				return "unknown escape in double quotes (use "
				    "\\\" \\\\ \\n \\r or \\t)";
			}
			s += 2;
			continue;
		}
		wbuf_putc(w, *s++);
	}
	if (s == end)
		return "unterminated quoted value";
	s++;
	while (s < end && is_blank(*s))
		s++;
	if (s < end && *s != '#')
		return "text after the closing quote";
	*p = end;
	return NULL;
}

/*
 * Unquoted: up to a "#" that follows a blank (after_blank: the value was
 * preceded by one), trailing blanks dropped.
 */
static void
lex_plain(const char *s, const char *end, bool after_blank, struct wbuf *w)
{
	const char *e = s;

	while (e < end && !(*e == '#' && (e > s ? is_blank(e[-1]) :
	    after_blank)))
		e++;
	while (e > s && is_blank(e[-1]))
		e--;
	wbuf_put(w, s, (size_t)(e - s));
}

/* Is the name acceptable in the file? Reports and returns false if not. */
static bool
name_check(struct lexer *lx, const char *name)
{
	const struct conf_setting *row = conf_setting_find(name);
	const char *near;
	struct wbuf msg;

	if (row == NULL)
		row = conf_file_variant(name);
	if (row != NULL && (row->flags & CONF_F_ENV_ONLY)) {
		refuse(lx, row->name, "POCKET_ID_CONFIG_FILE can only be set "
		    "in the environment");
		return false;
	}
	if (row != NULL)
		return true;
	if (str_has_prefix(name, "OTEL_")) {
		conf_problem_add(lx->problems, CONF_WARNING, NULL, "%s:%u: %s "
		    "ignored: this build has no OpenTelemetry export", lx->path,
		    lx->line, name);
		return false;
	}
	wbuf_init(&msg);
	wbuf_puts(&msg, "unknown setting ");
	conf_quote(&msg, name, strlen(name));
	if ((near = suggest(name)) != NULL)
		wbuf_printf(&msg, " (did you mean %s?)", near);
	else if (conf_file_base(name) != NULL)
		wbuf_puts(&msg, " (only secrets can be read from a _FILE)");
	refuse(lx, NULL, wbuf_error(&msg) == PERR_OK ? (char *)msg.data :
	    "unknown setting");
	wbuf_free(&msg);
	return false;
}

static int
entry_add(struct conf_file *f, const char *name, struct wbuf *value,
    unsigned line)
{
	struct conf_entry *grown, *e;

	grown = realloc(f->v, (f->n + 1) * sizeof(*f->v));
	if (grown == NULL)
		return PERR_NOMEM;
	f->v = grown;
	e = &f->v[f->n];
	if ((e->name = str_dup(name)) == NULL)
		return PERR_NOMEM;
	e->len = value->len;
	if ((e->value = wbuf_steal(value, NULL)) == NULL) {
		free(e->name);
		return PERR_NOMEM;
	}
	e->line = line;
	f->n++;
	return PERR_OK;
}

static const struct conf_entry *
entry_find(const struct conf_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
	return NULL;
}

/* One line without its newline. */
static int
lex_line(struct lexer *lx, const char *s, size_t len, struct conf_file *f)
{
	const char *end = s + len, *reason, *v;
	const struct conf_entry *prev;
	char name[CONF_NAME_MAX + 1], msg[160];
	struct wbuf value;
	size_t n = 0;
	int rc = PERR_OK;

	while (s < end && is_blank(*s))
		s++;
	if (s == end || *s == '#')
		return PERR_OK;
	if ((size_t)(end - s) > 7 && memcmp(s, "export", 6) == 0 &&
	    is_blank(s[6]))
		for (s += 6; s < end && is_blank(*s); s++)
			;
	while (s + n < end && is_name_char(s[n], n == 0))
		n++;
	if (n == 0 || n > CONF_NAME_MAX) {
		refuse(lx, NULL, n == 0 ? "expected NAME=value" :
		    "setting name too long");
		return PERR_OK;
	}
	memcpy(name, s, n);
	name[n] = '\0';
	for (s += n; s < end && is_blank(*s); s++)
		;
	if (s == end || *s != '=') {
		snprintf(msg, sizeof(msg), "expected \"=\" after %s", name);
		refuse(lx, NULL, msg);
		return PERR_OK;
	}
	for (v = ++s; s < end && is_blank(*s); s++)
		;
	wbuf_init(&value);
	if (s < end && (*s == '"' || *s == '\'')) {
		if ((reason = lex_quoted(&s, end, &value)) != NULL) {
			refuse(lx, NULL, reason);
			goto out;
		}
	} else {
		lex_plain(s, end, s > v, &value);
	}
	if ((rc = wbuf_error(&value)) != PERR_OK || !name_check(lx, name))
		goto out;
	if ((prev = entry_find(f, name)) != NULL) {
		snprintf(msg, sizeof(msg), "%s is already set on line %u",
		    name, prev->line);
		refuse(lx, NULL, msg);
		goto out;
	}
	rc = entry_add(f, name, &value, lx->line);
out:
	wbuf_free(&value);
	return rc;
}

int
conf_file_parse(const char *path, const uint8_t *data, size_t len,
    struct conf_file *out, struct conf_problems *problems)
{
	struct lexer lx = { path, 0, problems, false };
	struct conf_file f = { NULL, 0 };
	const uint8_t *line;
	const uint8_t *nl;
	struct rbuf r;
	size_t n;
	int rc = PERR_OK;

	rbuf_init(&r, data, len);
	while (rbuf_left(&r) > 0) {
		lx.line++;
		nl = memchr(r.data + r.off, '\n', rbuf_left(&r));
		n = nl != NULL ? (size_t)(nl - (r.data + r.off)) :
		    rbuf_left(&r);
		if ((rc = rbuf_bytes(&r, n, &line)) != PERR_OK)
			goto out;
		if (nl != NULL && (rc = rbuf_bytes(&r, 1, &nl)) != PERR_OK)
			goto out;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n > CONF_MAX_LINE) {
			refuse(&lx, NULL, "line longer than 8192 bytes");
			continue;
		}
		if (!str_is_utf8((const char *)line, n)) {
			refuse(&lx, NULL, "not UTF-8 text, or contains a NUL "
			    "byte");
			continue;
		}
		if ((rc = lex_line(&lx, (const char *)line, n, &f)) != 0)
			goto out;
	}
	*out = f;
	f.v = NULL;
	f.n = 0;
	rc = lx.refused ? PERR_CONFIG : PERR_OK;
out:
	conf_file_free(&f);
	return rc;
}

void
conf_file_free(struct conf_file *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->v[i].name);
		/* A value may be a secret. */
		str_free_secret(f->v[i].value);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}
