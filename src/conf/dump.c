/*
 * dump: what "pocket-id config check" and "pocket-id config dump" print,
 * and the README's configuration tables. Output only; the settings are
 * never changed here. A secret's value is never written: dump shows its
 * length, and a connection string shows its options with the password
 * hidden.
 */
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "conf/conf_int.h"

size_t
conf_check(const struct conf_problems *problems, FILE *out)
{
	size_t i;

	for (i = 0; i < problems->n; i++)
		fprintf(out, "%s: %s\n",
		    problems->v[i].severity == CONF_ERROR ? "error" : "warning",
		    problems->v[i].message);
	if (problems->nomem)
		fprintf(out, "error: out of memory: some problems could not be "
		    "recorded\n");
	return conf_problems_errors(problems);
}

static bool
needs_quotes(const char *s, size_t len)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f || c == '#' || c == '"' ||
		    c == '\'' || c == '\\')
			return true;
	}
	return false;
}

/* As the config-file lexer reads it back (file.c). */
static void
put_value(struct wbuf *w, const char *s, size_t len)
{
	size_t i;

	if (!needs_quotes(s, len)) {
		wbuf_put(w, s, len);
		return;
	}
	wbuf_putc(w, '"');
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '"': wbuf_puts(w, "\\\""); break;
		case '\\': wbuf_puts(w, "\\\\"); break;
		case '\n': wbuf_puts(w, "\\n"); break;
		case '\r': wbuf_puts(w, "\\r"); break;
		case '\t': wbuf_puts(w, "\\t"); break;
		default: wbuf_putc(w, s[i]);
		}
	}
	wbuf_putc(w, '"');
}

/* libpq's quoting for a conninfo value. */
static void
put_conninfo_value(struct wbuf *w, const char *v)
{
	const char *p;

	if (*v != '\0' && strpbrk(v, " \t\n\r\f\v'\\") == NULL) {
		wbuf_puts(w, v);
		return;
	}
	wbuf_putc(w, '\'');
	for (p = v; *p != '\0'; p++) {
		if (*p == '\'' || *p == '\\')
			wbuf_putc(w, '\\');
		wbuf_putc(w, *p);
	}
	wbuf_putc(w, '\'');
}

/* The given options as key=value, passwords hidden. */
static void
put_conninfo_redacted(struct wbuf *w, const char *conninfo)
{
	PQconninfoOption *opts, *o;
	bool first = true;

	if ((opts = PQconninfoParse(conninfo, NULL)) == NULL) {
		wbuf_puts(w, "<redacted>");
		return;
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL)
			continue;
		wbuf_printf(w, "%s%s=", first ? "" : " ", o->keyword);
		first = false;
		if ((o->dispchar != NULL && o->dispchar[0] == '*') ||
		    strstr(o->keyword, "password") != NULL)
			wbuf_puts(w, "<redacted>");
		else
			put_conninfo_value(w, o->val);
	}
	PQconninfoFree(opts);
}

static void
put_source(struct wbuf *w, const struct settings *s,
    const struct conf_setting *row)
{
	const struct conf_value *v = &s->values[conf_row_index(row)];

	if (v->invalid) {
		wbuf_puts(w, "default: the value given was refused");
		return;
	}
	switch (v->text != NULL ? v->source : CONF_SRC_DEFAULT) {
	case CONF_SRC_DEFAULT:
		if (row->def_from != NULL)
			wbuf_printf(w, "default: same as %s", row->def_from);
		else
			wbuf_puts(w, row->def != NULL ? "default" : "unset");
		break;
	case CONF_SRC_ENV:
		wbuf_puts(w, "environment");
		break;
	case CONF_SRC_ENV_FILE:
		wbuf_printf(w, "environment %s_FILE=%s", row->name, v->path);
		break;
	case CONF_SRC_CONFIG:
		wbuf_printf(w, "%s:%u", s->config_file, v->line);
		break;
	case CONF_SRC_CONFIG_FILE:
		wbuf_printf(w, "%s:%u %s_FILE=%s", s->config_file, v->line,
		    row->name, v->path);
		break;
	}
}

static void
put_row(struct wbuf *w, const struct settings *s,
    const struct conf_setting *row)
{
	const struct conf_value *v = &s->values[conf_row_index(row)];
	const char *text = conf_text(s, row->name);
	struct wbuf ci;
	bool set = v->text != NULL && !v->invalid;

	/* Commented out, so that the output reads back as a config file. */
	if (row->flags & CONF_F_ENV_ONLY)
		wbuf_puts(w, "# ");
	wbuf_printf(w, "%s=", row->name);
	if (row->type == CONF_T_PG_CONNINFO && text != NULL) {
		wbuf_init(&ci);
		put_conninfo_redacted(&ci, text);
		if (wbuf_error(&ci) == PERR_OK)
			put_value(w, (const char *)ci.data, ci.len);
		wbuf_free(&ci);
	} else if ((row->flags & CONF_F_SECRET) && set) {
		wbuf_printf(w, "<redacted, %zu bytes>", v->len);
	} else if (text != NULL && !(row->flags & CONF_F_SECRET)) {
		put_value(w, text, strlen(text));
	}
	wbuf_puts(w, "  # ");
	put_source(w, s, row);
	wbuf_putc(w, '\n');
}

static void
dump_group(struct wbuf *w, const struct settings *s, unsigned group,
    const char *heading)
{
	const struct conf_setting *row;
	const struct conf_value *v;
	bool headed = false;
	size_t i;

	for (i = 0; i < conf_settings_len; i++) {
		row = &conf_settings[i];
		v = &s->values[i];
		if ((row->flags & (CONF_F_INERT | CONF_F_APP)) != group)
			continue;
		/* Optional groups list only what was set. */
		if (group != 0 && v->text == NULL && !v->invalid)
			continue;
		if (!headed && heading != NULL)
			wbuf_printf(w, "\n# %s\n", heading);
		headed = true;
		put_row(w, s, row);
	}
}

int
conf_dump(const struct settings *s, FILE *out)
{
	struct wbuf w;
	int rc;

	wbuf_init(&w);
	wbuf_puts(&w, "# pocket-id settings in effect; after each value, "
	    "where it came from\n");
	dump_group(&w, s, 0, NULL);
	dump_group(&w, s, CONF_F_INERT, "Accepted for compatibility with "
	    "Pocket ID; no effect here");
	dump_group(&w, s, CONF_F_APP, s->ui_config_disabled ?
	    "Application settings" : "Application settings, ignored: "
	    "UI_CONFIG_DISABLED is not true");
	if ((rc = wbuf_error(&w)) == PERR_OK &&
	    (fwrite(w.data, 1, w.len, out) != w.len || fflush(out) != 0))
		rc = PERR_IO;
	wbuf_free(&w);
	return rc;
}

/* Markdown table cell text: "|" escaped, newlines impossible here. */
static void
md_text(struct wbuf *w, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			wbuf_putc(w, '\\');
		wbuf_putc(w, *s);
	}
}

/* Code-formatted unless it is prose (contains a blank). */
static void
md_value(struct wbuf *w, const char *s)
{
	bool code = strchr(s, ' ') == NULL;

	if (code)
		wbuf_putc(w, '`');
	md_text(w, s);
	if (code)
		wbuf_putc(w, '`');
}

static void
md_name(struct wbuf *w, const struct conf_setting *row)
{
	wbuf_printf(w, "| `%s`", row->name);
	if (row->flags & CONF_F_FILE)
		wbuf_printf(w, ", `%s_FILE`", row->name);
	wbuf_puts(w, " | ");
}

int
conf_write_markdown(FILE *out)
{
	const struct conf_setting *row;
	struct wbuf w;
	size_t i;
	int rc;

	wbuf_init(&w);
	wbuf_puts(&w, "| Setting | Default | Meaning | Example |\n"
	    "|---|---|---|---|\n");
	for (i = 0; i < conf_settings_len; i++) {
		row = &conf_settings[i];
		if (row->flags & (CONF_F_INERT | CONF_F_APP))
			continue;
		md_name(&w, row);
		if (row->def != NULL)
			md_value(&w, row->def);
		else if (row->def_from != NULL)
			wbuf_printf(&w, "same as `%s`", row->def_from);
		else
			wbuf_puts(&w, "unset");
		wbuf_puts(&w, " | ");
		md_text(&w, row->description);
		wbuf_puts(&w, " | ");
		md_value(&w, row->example);
		wbuf_puts(&w, " |\n");
	}
	wbuf_puts(&w, "\nAccepted for compatibility with Pocket ID, without "
	    "effect:\n\n| Setting | Why |\n|---|---|\n");
	for (i = 0; i < conf_settings_len; i++) {
		row = &conf_settings[i];
		if (!(row->flags & CONF_F_INERT))
			continue;
		md_name(&w, row);
		md_text(&w, row->description);
		wbuf_puts(&w, " |\n");
	}
	wbuf_puts(&w, "\nApplication settings, read only when "
	    "`UI_CONFIG_DISABLED=true`:\n\n| Setting | Meaning | Example |\n"
	    "|---|---|---|\n");
	for (i = 0; i < conf_settings_len; i++) {
		row = &conf_settings[i];
		if (!(row->flags & CONF_F_APP))
			continue;
		md_name(&w, row);
		md_text(&w, row->description);
		wbuf_puts(&w, " | ");
		md_value(&w, row->example);
		wbuf_puts(&w, " |\n");
	}
	if ((rc = wbuf_error(&w)) == PERR_OK &&
	    (fwrite(w.data, 1, w.len, out) != w.len || fflush(out) != 0))
		rc = PERR_IO;
	wbuf_free(&w);
	return rc;
}
