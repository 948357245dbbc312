/*
 * load: decides where each setting comes from (environment, NAME_FILE,
 * config file, default), runs the table's parsers over the result, and
 * collects every problem instead of stopping at the first. It owns the
 * only file reads of this module, behind struct conf_io.
 *
 * Precedence is decided per setting as a whole: if the environment sets
 * NAME or NAME_FILE, the config file's NAME and NAME_FILE are not looked
 * at. NAME and NAME_FILE both set in one source is an error (Pocket ID
 * silently prefers the file; we would rather say so).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "conf/conf_int.h"

#define CONF_FILE_NAME_MAX 160	/* "NAME_FILE" */

struct loader {
	char *const *envp;
	const struct conf_io *io;
	struct settings *s;
	struct conf_problems *p;
	struct conf_file file;
};

/* Problems. */

void
conf_problems_init(struct conf_problems *p)
{
	memset(p, 0, sizeof(*p));
}

void
conf_problems_free(struct conf_problems *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		free(p->v[i].message);
	free(p->v);
	conf_problems_init(p);
}

size_t
conf_problems_errors(const struct conf_problems *p)
{
	size_t i, n = p->nomem ? 1 : 0;

	for (i = 0; i < p->n; i++)
		if (p->v[i].severity == CONF_ERROR)
			n++;
	return n;
}

void
conf_problem_add(struct conf_problems *p, enum conf_severity severity,
    const char *name, const char *fmt, ...)
{
	struct conf_problem *grown;
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (msg = malloc((size_t)n + 1)) == NULL) {
		p->nomem = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (p->n == p->cap) {
		size_t cap = p->cap == 0 ? 8 : p->cap * 2;

		if ((grown = realloc(p->v, cap * sizeof(*grown))) == NULL) {
			free(msg);
			p->nomem = true;
			return;
		}
		p->v = grown;
		p->cap = cap;
	}
	p->v[p->n].severity = severity;
	p->v[p->n].name = name;
	p->v[p->n].message = msg;
	p->n++;
}

/* The real filesystem. */

static int
system_read_file(void *ctx, const char *path, size_t max, uint8_t **data,
    size_t *len, int *sys_errno)
{
	uint8_t *buf = NULL;
	struct stat st;
	size_t n = 0;
	ssize_t got;
	int fd, rc = PERR_IO;

	(void)ctx;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		*sys_errno = errno;
		return errno == ENOENT ? PERR_NOT_FOUND : PERR_IO;
	}
	if (fstat(fd, &st) != 0) {
		*sys_errno = errno;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		*sys_errno = EISDIR;
		goto out;
	}
	if ((buf = malloc(max + 1)) == NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	/* One byte more than allowed tells a file that is too large. */
	while (n < max + 1) {
		got = read(fd, buf + n, max + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			*sys_errno = errno;
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n > max) {
		rc = PERR_TOO_LARGE;
		goto out;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
	rc = PERR_OK;
out:
	if (buf != NULL) {
		OPENSSL_cleanse(buf, n);
		free(buf);
	}
	close(fd);
	return rc;
}

const struct conf_io conf_io_system = { system_read_file, NULL };

/* Sources. */

/* The value of name in envp (first one wins, as getenv); "" is unset. */
static const char *
env_get(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return (*envp)[n + 1] != '\0' ? *envp + n + 1 : NULL;
	return NULL;
}

static int
value_set(struct conf_value *v, const char *text, size_t len,
    enum conf_source source, const char *path, unsigned line)
{
	if ((v->text = malloc(len + 1)) == NULL)
		return PERR_NOMEM;
	memcpy(v->text, text, len);
	v->text[len] = '\0';
	v->len = len;
	v->source = source;
	v->line = line;
	if (path != NULL && (v->path = str_dup(path)) == NULL)
		return PERR_NOMEM;
	return PERR_OK;
}

static bool
is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/* Reads NAME_FILE's file; Pocket ID trims it unless FILE_EXACT. */
static int
secret_file_read(struct loader *ld, const struct conf_setting *row,
    const char *path, enum conf_source source, unsigned line)
{
	struct conf_value *v = &ld->s->values[conf_row_index(row)];
	uint8_t *data = NULL;
	size_t len = 0, a = 0, b;
	int rc, err = 0;

	rc = ld->io->read_file(ld->io->ctx, path, CONF_MAX_VALUE, &data, &len,
	    &err);
	if (rc == PERR_NOMEM)
		return rc;
	if (rc == PERR_TOO_LARGE) {
		conf_problem_add(ld->p, CONF_ERROR, row->name, "%s_FILE: %s is "
		    "larger than %d bytes", row->name, path, CONF_MAX_VALUE);
		v->invalid = true;
		return PERR_OK;
	}
	if (rc != PERR_OK) {
		conf_problem_add(ld->p, CONF_ERROR, row->name,
		    "%s_FILE: cannot read %s: %s", row->name, path,
		    strerror(rc == PERR_NOT_FOUND ? ENOENT : err));
		v->invalid = true;
		return PERR_OK;
	}
	b = len;
	if (!(row->flags & CONF_F_FILE_EXACT)) {
		while (a < b && is_space(data[a]))
			a++;
		while (b > a && is_space(data[b - 1]))
			b--;
	}
	if (b == a) {
		conf_problem_add(ld->p, CONF_ERROR, row->name, "%s_FILE: %s is "
		    "empty", row->name, path);
		v->invalid = true;
		rc = PERR_OK;
	} else {
		rc = value_set(v, (const char *)data + a, b - a, source, path,
		    line);
	}
	OPENSSL_cleanse(data, len);
	free(data);
	return rc;
}

/* A config-file entry; an empty value counts as unset. */
static const struct conf_entry *
file_get(const struct conf_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return f->v[i].len > 0 ? &f->v[i] : NULL;
	return NULL;
}

static int
row_resolve(struct loader *ld, const struct conf_setting *row)
{
	struct conf_value *v = &ld->s->values[conf_row_index(row)];
	const struct conf_entry *e, *ef = NULL;
	const char *env, *env_file = NULL;
	char fname[CONF_FILE_NAME_MAX];

	snprintf(fname, sizeof(fname), "%s_FILE", row->name);
	env = env_get(ld->envp, row->name);
	if (row->flags & CONF_F_FILE)
		env_file = env_get(ld->envp, fname);
	if (env != NULL && env_file != NULL) {
		conf_problem_add(ld->p, CONF_ERROR, row->name, "%s: %s and %s "
		    "are both set in the environment — keep one", row->name,
		    row->name, fname);
		v->invalid = true;
		return PERR_OK;
	}
	if (env != NULL)
		return value_set(v, env, strlen(env), CONF_SRC_ENV, NULL, 0);
	if (env_file != NULL)
		return secret_file_read(ld, row, env_file, CONF_SRC_ENV_FILE,
		    0);
	if (row->flags & CONF_F_ENV_ONLY)
		return PERR_OK;
	e = file_get(&ld->file, row->name);
	if (row->flags & CONF_F_FILE)
		ef = file_get(&ld->file, fname);
	if (e != NULL && ef != NULL) {
		conf_problem_add(ld->p, CONF_ERROR, row->name, "%s: %s (line "
		    "%u) and %s (line %u) are both set in %s — keep one",
		    row->name, row->name, e->line, fname, ef->line,
		    ld->s->config_file);
		v->invalid = true;
		return PERR_OK;
	}
	if (e != NULL)
		return value_set(v, e->value, e->len, CONF_SRC_CONFIG, NULL,
		    e->line);
	if (ef != NULL)
		return secret_file_read(ld, row, ef->value,
		    CONF_SRC_CONFIG_FILE, ef->line);
	return PERR_OK;
}

/* Parsing. */

/* The text an unset (or refused) setting falls back to, or NULL. */
static const char *
default_text(const struct settings *s, const struct conf_setting *row)
{
	const struct conf_setting *from;
	const struct conf_value *v;

	if (row->def_from == NULL)
		return row->def;
	if ((from = conf_setting_find(row->def_from)) == NULL)
		return NULL;
	v = &s->values[conf_row_index(from)];
	return v->text != NULL && !v->invalid ? v->text : from->def;
}

/* After a successful parse, dump shows the canonical spelling. */
static int
text_normalise(const struct conf_setting *row, struct settings *s,
    struct conf_value *v)
{
	const char *canon = NULL;
	unsigned idx;
	char *copy;

	if (row->offset == CONF_NO_FIELD)
		return PERR_OK;
	switch (row->type) {
	case CONF_T_URL:
		canon = *(char **)((char *)s + row->offset);
		break;
	case CONF_T_ENUM:
		canon = row->allowed[*(unsigned *)((char *)s + row->offset)];
		break;
	case CONF_T_LOG_LEVEL:
		idx = (unsigned)*(enum log_level *)((char *)s + row->offset);
		canon = conf_log_level_names[idx];
		break;
	default:
		return PERR_OK;
	}
	if ((copy = str_dup(canon)) == NULL)
		return PERR_NOMEM;
	free(v->text);
	v->text = copy;
	v->len = strlen(copy);
	return PERR_OK;
}

static int
row_parse(struct loader *ld, const struct conf_setting *row)
{
	struct conf_value *v = &ld->s->values[conf_row_index(row)];
	const char *def;
	struct wbuf why;
	int rc;

	wbuf_init(&why);
	if (v->text != NULL && !v->invalid) {
		rc = conf_value_parse(row, v->text, v->len, ld->s, &why);
		if (rc == PERR_OK) {
			rc = text_normalise(row, ld->s, v);
			goto out;
		}
		if (rc != PERR_INVALID)
			goto out;
		conf_problem_add(ld->p, CONF_ERROR, row->name, "%s: %s",
		    row->name, wbuf_error(&why) == PERR_OK ?
		    (const char *)why.data : "invalid value");
		v->invalid = true;
		conf_field_clear(row, ld->s);
		wbuf_reset(&why);
	}
	rc = PERR_OK;
	if ((def = default_text(ld->s, row)) != NULL) {
		rc = conf_value_parse(row, def, strlen(def), ld->s, &why);
		/* A default the table cannot parse is a bug, not input. */
		if (rc == PERR_INVALID)
			rc = PERR_INTERNAL;
	}
out:
	wbuf_free(&why);
	return rc;
}

/* The config file. */

static int
config_file_load(struct loader *ld)
{
	const struct conf_setting *row =
	    conf_setting_find("POCKET_ID_CONFIG_FILE");
	struct conf_value *v = &ld->s->values[conf_row_index(row)];
	const char *path;
	uint8_t *data = NULL;
	size_t len = 0;
	int rc, err = 0;

	if ((rc = row_resolve(ld, row)) != PERR_OK ||
	    (rc = row_parse(ld, row)) != PERR_OK)
		return rc;
	path = ld->s->config_file;
	rc = ld->io->read_file(ld->io->ctx, path, CONF_MAX_FILE_SIZE, &data,
	    &len, &err);
	switch (rc) {
	case PERR_OK:
		break;
	case PERR_NOMEM:
		return rc;
	case PERR_NOT_FOUND:
		/* Only a file that was asked for must exist. */
		if (v->text == NULL)
			return PERR_OK;
		conf_problem_add(ld->p, CONF_ERROR, row->name, "%s: cannot "
		    "read %s: %s — create it or unset %s", row->name, path,
		    strerror(ENOENT), row->name);
		return PERR_OK;
	case PERR_TOO_LARGE:
		conf_problem_add(ld->p, CONF_ERROR, row->name, "%s: %s is "
		    "larger than %d bytes", row->name, path,
		    CONF_MAX_FILE_SIZE);
		return PERR_OK;
	default:
		conf_problem_add(ld->p, CONF_ERROR, row->name, "%s: cannot "
		    "read %s: %s", row->name, path, strerror(err));
		return PERR_OK;
	}
	rc = conf_file_parse(path, data, len, &ld->file, ld->p);
	OPENSSL_cleanse(data, len);
	free(data);
	return rc == PERR_CONFIG ? PERR_OK : rc;
}

/* Checks across settings; warnings only. */

static bool
is_set(const struct settings *s, const struct conf_setting *row)
{
	const struct conf_value *v = &s->values[conf_row_index(row)];

	return v->text != NULL && !v->invalid;
}

static void
warn_inert_and_app(struct loader *ld)
{
	const struct conf_setting *row;
	struct wbuf names;
	size_t i;

	wbuf_init(&names);
	for (i = 0; i < conf_settings_len; i++) {
		row = &conf_settings[i];
		if (!is_set(ld->s, row))
			continue;
		if ((row->flags & CONF_F_INERT) &&
		    (row->flags & CONF_F_WARN_IF_SET))
			conf_problem_add(ld->p, CONF_WARNING, row->name, "%s: "
			    "has no effect in pocket-id — %s", row->name,
			    row->description);
		if ((row->flags & CONF_F_APP) && !ld->s->ui_config_disabled)
			wbuf_printf(&names, "%s%s", names.len > 0 ? ", " : "",
			    row->name);
	}
	if (names.len > 0 && wbuf_error(&names) == PERR_OK)
		conf_problem_add(ld->p, CONF_WARNING, "UI_CONFIG_DISABLED",
		    "UI_CONFIG_DISABLED: is not true, so these application "
		    "settings are ignored and the ones saved in the admin UI "
		    "apply: %s — set UI_CONFIG_DISABLED=true to take them from "
		    "here", (const char *)names.data);
	wbuf_free(&names);
}

/* APP_URL_FILE and the like are silently ignored by Pocket ID. */
static void
warn_env_file_variants(struct loader *ld)
{
	const struct conf_setting *row;
	char name[CONF_FILE_NAME_MAX];
	char *const *e;
	size_t n;

	for (e = ld->envp; e != NULL && *e != NULL; e++) {
		n = strcspn(*e, "=");
		if (n >= sizeof(name) || (*e)[n] == '\0' || (*e)[n + 1] == '\0')
			continue;
		memcpy(name, *e, n);
		name[n] = '\0';
		row = conf_file_base(name);
		if (row == NULL || (row->flags & CONF_F_FILE))
			continue;
		conf_problem_add(ld->p, CONF_WARNING, row->name, "%s: ignored "
		    "— only secrets can be read from a file; set %s itself",
		    name, row->name);
	}
}

/* Browsers offer passkeys on http:// only for localhost. */
static void
warn_insecure_app_url(struct loader *ld)
{
	const char *url = ld->s->app_url, *host;
	size_t hl;

	if (url == NULL || !str_has_prefix(url, "http://"))
		return;
	host = url + 7;
	hl = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":");
	if ((hl == 9 && strncmp(host, "localhost", 9) == 0) ||
	    (hl > 10 && strncmp(host + hl - 10, ".localhost", 10) == 0) ||
	    (str_has_prefix(host, "127.") && strspn(host, "0123456789.") ==
	    hl) || str_has_prefix(host, "[::1]"))
		return;
	conf_problem_add(ld->p, CONF_WARNING, "APP_URL", "APP_URL: browsers "
	    "allow passkeys over http:// only on localhost — use https://%s",
	    host);
}

static void
warn_socket_options(struct loader *ld)
{
	static const char *const names[] = { "FCGI_SOCKET_MODE",
		"FCGI_SOCKET_GROUP" };
	size_t i;

	if (ld->s->fcgi_listen.is_unix)
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (is_set(ld->s, conf_setting_find(names[i])))
			conf_problem_add(ld->p, CONF_WARNING, names[i],
			    "%s: applies to unix sockets only, and FCGI_LISTEN "
			    "is a TCP address", names[i]);
}

/* Entry points. */

int
conf_load_with(char *const *envp, const struct conf_io *io,
    struct settings **out, struct conf_problems *problems)
{
	struct loader ld = { envp, io, NULL, problems, { NULL, 0 } };
	const struct conf_setting *cfg =
	    conf_setting_find("POCKET_ID_CONFIG_FILE");
	const struct conf_setting *row;
	size_t i;
	int pass, rc = PERR_NOMEM;

	*out = NULL;
	if ((ld.s = calloc(1, sizeof(*ld.s))) == NULL ||
	    (ld.s->values = calloc(conf_settings_len,
	    sizeof(*ld.s->values))) == NULL)
		goto out;
	if ((rc = config_file_load(&ld)) != PERR_OK)
		goto out;
	for (i = 0; i < conf_settings_len; i++) {
		row = &conf_settings[i];
		if (row == cfg)
			continue;	/* done by config_file_load */
		if ((rc = row_resolve(&ld, row)) != PERR_OK)
			goto out;
	}
	/* Settings whose default is another's value come second. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < conf_settings_len; i++) {
			row = &conf_settings[i];
			if ((row->def_from != NULL) != (pass == 1) ||
			    row == cfg)
				continue;
			if ((rc = row_parse(&ld, row)) != PERR_OK)
				goto out;
		}
	warn_inert_and_app(&ld);
	warn_env_file_variants(&ld);
	warn_insecure_app_url(&ld);
	warn_socket_options(&ld);
	*out = ld.s;
	ld.s = NULL;
	rc = problems->nomem ? PERR_NOMEM :
	    conf_problems_errors(problems) > 0 ? PERR_CONFIG : PERR_OK;
out:
	conf_file_free(&ld.file);
	conf_free(ld.s);
	return rc;
}

int
conf_load(char *const *envp, struct settings **out,
    struct conf_problems *problems)
{
	return conf_load_with(envp, &conf_io_system, out, problems);
}

void
conf_free(struct settings *s)
{
	struct conf_value *v;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < conf_settings_len; i++)
		conf_field_clear(&conf_settings[i], s);
	for (i = 0; s->values != NULL && i < conf_settings_len; i++) {
		v = &s->values[i];
		if (v->text != NULL)
			OPENSSL_cleanse(v->text, v->len);
		free(v->text);
		free(v->path);
	}
	free(s->values);
	free(s);
}

static void
require_one(const struct settings *s, const char *name, const char *why,
    struct conf_problems *problems)
{
	const struct conf_setting *row = conf_setting_find(name);
	const struct conf_value *v = &s->values[conf_row_index(row)];

	/* A refused value has been reported already. */
	if (v->text != NULL || v->invalid)
		return;
	conf_problem_add(problems, CONF_ERROR, name, "%s: is not set; %s — "
	    "set %s or %s_FILE, for example to %s", name, why, name, name,
	    row->example);
}

int
conf_require(const struct settings *s, unsigned needs,
    struct conf_problems *problems)
{
	size_t before = conf_problems_errors(problems);

	if (needs & CONF_NEED_ENCRYPTION_KEY)
		require_one(s, "ENCRYPTION_KEY", "it protects the signing "
		    "keys", problems);
	if (needs & CONF_NEED_DATABASE)
		require_one(s, "DB_CONNECTION_STRING", "this build keeps its "
		    "data in PostgreSQL", problems);
	return conf_problems_errors(problems) > before ? PERR_CONFIG :
	    PERR_OK;
}

const char *
conf_text(const struct settings *s, const char *name)
{
	const struct conf_setting *row = conf_setting_find(name);
	const struct conf_value *v;

	if (row == NULL)
		return NULL;
	v = &s->values[conf_row_index(row)];
	if (v->text != NULL && !v->invalid)
		return v->text;
	return default_text(s, row);
}

enum conf_source
conf_source_of(const struct settings *s, const char *name)
{
	const struct conf_setting *row = conf_setting_find(name);
	const struct conf_value *v;

	if (row == NULL)
		return CONF_SRC_DEFAULT;
	v = &s->values[conf_row_index(row)];
	return v->text != NULL && !v->invalid ? v->source : CONF_SRC_DEFAULT;
}
