/*
 * sqlsplit: cuts a migration file into statements, so the runner can send
 * them one at a time and name the file, line and statement that failed.
 * It lexes just enough of PostgreSQL's syntax to find the semicolons that
 * end statements: quoted strings ('' and, after E, backslash escapes),
 * quoted identifiers, dollar quotes ($$ and $tag$), -- comments and nested
 * block comments. It assumes standard_conforming_strings = on (the default
 * since PostgreSQL 9.1). It refuses what would break the runner's promise
 * of one transaction per file (BEGIN, COMMIT, ...) and SQL-standard
 * function bodies (BEGIN ATOMIC ... END), whose inner semicolons it would
 * cut at: write such bodies dollar-quoted. Pure: no I/O.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "store/internal.h"

struct lexer {
	const char *s;
	size_t len;
	size_t i;
	unsigned line;
};

/* The byte k places ahead, or -1 past the end. */
static int
peek(const struct lexer *lx, size_t k)
{
	if (k >= lx->len - lx->i)
		return -1;
	return (unsigned char)lx->s[lx->i + k];
}

static void
advance(struct lexer *lx)
{
	if (lx->s[lx->i] == '\n')
		lx->line++;
	lx->i++;
}

/* PostgreSQL's identifier characters (scan.l ident_start / ident_cont). */
static bool
is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c >= 0x80;
}

static bool
is_ident_cont(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

/* After "--": up to, not including, the newline. */
static void
skip_line_comment(struct lexer *lx)
{
	while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
		advance(lx);
}

/* At "/ *": PostgreSQL block comments nest. */
static int
skip_block_comment(struct lexer *lx)
{
	size_t depth = 0;

	do {
		if (peek(lx, 0) == '/' && peek(lx, 1) == '*') {
			depth++;
			lx->i += 2;
		} else if (peek(lx, 0) == '*' && peek(lx, 1) == '/') {
			depth--;
			lx->i += 2;
		} else if (peek(lx, 0) == -1) {
			return PERR_INVALID;
		} else {
			advance(lx);
		}
	} while (depth > 0);
	return PERR_OK;
}

/*
 * At the opening quote q (' or "); a doubled quote stands for itself.
 * With backslash set (E'...'), a backslash escapes the next byte.
 */
static int
skip_quoted(struct lexer *lx, int q, bool backslash)
{
	advance(lx);
	for (;;) {
		int c = peek(lx, 0);

		if (c == -1)
			return PERR_INVALID;
		if (backslash && c == '\\' && peek(lx, 1) != -1) {
			advance(lx);
			advance(lx);
			continue;
		}
		advance(lx);
		if (c == q) {
			if (peek(lx, 0) != q)
				return PERR_OK;
			advance(lx);
		}
	}
}

/*
 * At '$' not preceded by an identifier character: the length of a dollar
 * quote tag "$...$" starting here, or 0 when this '$' opens none ($1 etc).
 */
static size_t
dollar_tag_length(const struct lexer *lx)
{
	size_t k = 1;

	if (peek(lx, 1) == '$')
		return 2;
	if (!is_ident_start(peek(lx, 1)))
		return 0;
	while (peek(lx, k) != -1 && peek(lx, k) != '$' &&
	    is_ident_cont(peek(lx, k)))
		k++;
	return peek(lx, k) == '$' ? k + 1 : 0;
}

static int
skip_dollar_quoted(struct lexer *lx, size_t tag_len)
{
	const char *tag = lx->s + lx->i;

	lx->i += tag_len;
	for (;;) {
		if (lx->len - lx->i < tag_len)
			return PERR_INVALID;
		if (memcmp(lx->s + lx->i, tag, tag_len) == 0) {
			lx->i += tag_len;
			return PERR_OK;
		}
		advance(lx);
	}
}

/* Words that may not start a statement of a migration file. */
static const char *const tx_words[] = {
	"abort", "begin", "commit", "end", "rollback", "start",
	"savepoint", "release",
};

static bool
is_word(const char *w, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(w, want, n) == 0;
}

static bool
is_tx_word(const char *w, size_t n)
{
	size_t k;

	for (k = 0; k < sizeof(tx_words) / sizeof(tx_words[0]); k++)
		if (is_word(w, n, tx_words[k]))
			return true;
	return false;
}

/* The statements found so far. */
struct split {
	struct sql_stmt *items;
	size_t n;
	size_t cap;
};

static int
split_push(struct split *sp, size_t off, size_t end, unsigned line)
{
	struct sql_stmt *grown;
	size_t cap;

	if (sp->n == SQL_SPLIT_STATEMENTS_MAX)
		return PERR_TOO_LARGE;
	if (sp->n == sp->cap) {
		cap = sp->cap == 0 ? 16 : sp->cap * 2;
		if ((grown = realloc(sp->items, cap * sizeof(*grown))) == NULL)
			return PERR_NOMEM;
		sp->items = grown;
		sp->cap = cap;
	}
	sp->items[sp->n].off = off;
	sp->items[sp->n].len = end - off;
	sp->items[sp->n].line = line;
	sp->n++;
	return PERR_OK;
}

/* The statement being read. */
struct current {
	bool open;
	size_t start;		/* first significant byte */
	size_t end;		/* one past the last significant byte */
	unsigned line;
	size_t n_words;
	const char *prev_word;	/* for BEGIN ATOMIC */
	size_t prev_word_len;
};

static void
note_token(struct current *cur, const struct lexer *lx, size_t start,
    unsigned line)
{
	if (!cur->open) {
		cur->open = true;
		cur->start = start;
		cur->line = line;
		cur->n_words = 0;
		cur->prev_word = NULL;
		cur->prev_word_len = 0;
	}
	cur->end = lx->i;
}

/* At an identifier start: reads the word, checks the refused forms. */
static int
read_word(struct lexer *lx, struct current *cur, const char **why)
{
	size_t start = lx->i;
	unsigned line = lx->line;
	const char *w = lx->s + start;
	size_t n;

	while (is_ident_cont(peek(lx, 0)))
		lx->i++;
	n = lx->i - start;
	note_token(cur, lx, start, line);
	if (cur->n_words == 0 && is_tx_word(w, n)) {
		*why = "migration files must not control transactions "
		    "(the runner wraps each file in one)";
		return PERR_INVALID;
	}
	if (is_word(w, n, "atomic") && cur->prev_word != NULL &&
	    is_word(cur->prev_word, cur->prev_word_len, "begin")) {
		*why = "BEGIN ATOMIC function bodies are not supported; "
		    "use a dollar-quoted body";
		return PERR_INVALID;
	}
	cur->n_words++;
	cur->prev_word = w;
	cur->prev_word_len = n;
	/* E'...': backslash escapes (the E must stand alone). */
	if (n == 1 && (*w == 'e' || *w == 'E') && peek(lx, 0) == '\'') {
		if (skip_quoted(lx, '\'', true) != PERR_OK) {
			lx->line = line;
			*why = "unterminated quoted string";
			return PERR_INVALID;
		}
		cur->end = lx->i;
	}
	return PERR_OK;
}

/* One token (anything but blanks, comments and ';') of the statement. */
static int
read_token(struct lexer *lx, struct current *cur, const char **why)
{
	size_t start = lx->i;
	unsigned line = lx->line;
	int c = peek(lx, 0);
	size_t tag;
	int rc = PERR_OK;

	if (is_ident_start(c))
		return read_word(lx, cur, why);
	if (c == '\'' || c == '"') {
		if ((rc = skip_quoted(lx, c, false)) != PERR_OK)
			*why = c == '"' ? "unterminated quoted identifier" :
			    "unterminated quoted string";
	} else if (c == '$' && (start == 0 ||
	    !is_ident_cont((unsigned char)lx->s[start - 1])) &&
	    (tag = dollar_tag_length(lx)) > 0) {
		if ((rc = skip_dollar_quoted(lx, tag)) != PERR_OK)
			*why = "unterminated dollar-quoted string";
	} else {
		advance(lx);
	}
	if (rc != PERR_OK) {
		lx->line = line;
		return rc;
	}
	note_token(cur, lx, start, line);
	return PERR_OK;
}

int
sql_split(const char *text, size_t len, struct sql_stmt **out,
    size_t *n_out, unsigned *err_line, const char **why)
{
	struct lexer lx = { text, len, 0, 1 };
	struct split sp = { NULL, 0, 0 };
	struct current cur = { false, 0, 0, 0, 0, NULL, 0 };
	int rc = PERR_OK;
	int c;

	*why = NULL;
	*err_line = 0;
	if (len > SQL_SPLIT_INPUT_MAX) {
		*why = "SQL text too large";
		rc = PERR_TOO_LARGE;
		goto out;
	}
	if (memchr(text, '\0', len) != NULL) {
		/* PostgreSQL cannot take a NUL in query text. */
		while (peek(&lx, 0) != '\0')
			advance(&lx);
		*why = "NUL byte in SQL text";
		rc = PERR_INVALID;
		goto out;
	}
	while ((c = peek(&lx, 0)) != -1) {
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v') {
			advance(&lx);
		} else if (c == '-' && peek(&lx, 1) == '-') {
			skip_line_comment(&lx);
		} else if (c == '/' && peek(&lx, 1) == '*') {
			unsigned line = lx.line;

			if ((rc = skip_block_comment(&lx)) != PERR_OK) {
				lx.line = line;
				*why = "unterminated block comment";
				goto out;
			}
		} else if (c == ';') {
			if (cur.open && (rc = split_push(&sp, cur.start,
			    cur.end, cur.line)) != PERR_OK)
				goto out;
			cur.open = false;
			advance(&lx);
		} else if ((rc = read_token(&lx, &cur, why)) != PERR_OK) {
			goto out;
		}
	}
	if (cur.open)
		rc = split_push(&sp, cur.start, cur.end, cur.line);
out:
	if (rc == PERR_TOO_LARGE && *why == NULL)
		*why = "too many statements";
	if (rc == PERR_NOMEM)
		*why = "out of memory";
	if (rc != PERR_OK) {
		*err_line = lx.line;
		free(sp.items);
		return rc;
	}
	*out = sp.items;
	*n_out = sp.n;
	return PERR_OK;
}
