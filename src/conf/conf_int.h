/*
 * conf internals shared by the files of src/conf; nothing outside this
 * folder includes it (tests may, to reach the config-file lexer).
 */
#ifndef POCKETID_CONF_INT_H
#define POCKETID_CONF_INT_H

#include "common/common.h"
#include "conf/conf.h"

/* Per-row state kept in struct settings. */
struct conf_value {
	char *text;		/* effective text, NUL-terminated; NULL unset */
	size_t len;		/* bytes of text (a secret may hold NULs) */
	enum conf_source source;
	char *path;		/* the NAME_FILE path, when read from one */
	unsigned line;		/* config-file line, 0 otherwise */
	bool invalid;		/* refused: the typed field holds the default */
};

/* One NAME=value line of the config file. */
struct conf_entry {
	char *name;
	char *value;
	size_t len;
	unsigned line;
};

struct conf_file {
	struct conf_entry *v;
	size_t n;
};

/*
 * Lexes the config file (path is for messages only). Appends a problem for
 * each bad line and keeps going; returns PERR_OK, PERR_CONFIG when a line
 * was refused, or PERR_NOMEM. Names are checked against the table.
 */
int conf_file_parse(const char *path, const uint8_t *data, size_t len,
    struct conf_file *out, struct conf_problems *problems);
void conf_file_free(struct conf_file *f);

/*
 * Parses text (len bytes, NUL-terminated) as row's type into the typed
 * field of s (which must hold no value yet). On PERR_INVALID writes into
 * why "<what is wrong> — <how to fix it>", without the setting's name.
 * Rows without a field are only validated. PERR_NOMEM on allocation.
 */
int conf_value_parse(const struct conf_setting *row, const char *text,
    size_t len, struct settings *s, struct wbuf *why);
/* Frees and zeroes row's typed field in s. */
void conf_field_clear(const struct conf_setting *row, struct settings *s);

/* Appends text as a double-quoted, escaped, length-capped echo. */
void conf_quote(struct wbuf *w, const char *text, size_t len);

/* Records a problem; the message is formatted. Sets p->nomem on failure. */
void conf_problem_add(struct conf_problems *p, enum conf_severity severity,
    const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * For a name "X_FILE" that is not itself a setting: the row X, or NULL.
 * conf_file_variant returns it only when X accepts NAME_FILE.
 */
const struct conf_setting *conf_file_base(const char *name);
const struct conf_setting *conf_file_variant(const char *name);

/* LOG_LEVEL's values, indexed by enum log_level, NULL-terminated. */
extern const char *const conf_log_level_names[];

/* The row index of row. */
size_t conf_row_index(const struct conf_setting *row);

#endif
