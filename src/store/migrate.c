/*
 * migrate: the forward-only migration runner. Under a session advisory lock
 * it compares the table schema_migrations_pocketid with the set it was
 * given (checksums, versions), then applies each pending file in one
 * transaction together with its checksum row, statement by statement, so
 * that a failure can name the file, the line and the statement. A failed
 * file is rolled back whole: the database never holds half a migration and
 * there is no "dirty" flag to clear by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "common/common.h"
#include "codec/codec.h"
#include "store/internal.h"

/* One row of schema_migrations_pocketid. */
struct applied {
	int version;
	char *name;
	char *sha256;
};

struct applied_list {
	struct applied *items;
	size_t n;
};

static void
applied_free(struct applied_list *al)
{
	size_t i;

	for (i = 0; i < al->n; i++) {
		free(al->items[i].name);
		free(al->items[i].sha256);
	}
	free(al->items);
	al->items = NULL;
	al->n = 0;
}

static void
report_set(struct migrate_report *report, struct wbuf *w)
{
	free(report->error);
	report->error = wbuf_steal(w, NULL);
}

static void
report_fail(struct migrate_report *report, const char *msg)
{
	struct wbuf w;

	wbuf_init(&w);
	wbuf_puts(&w, msg);
	report_set(report, &w);
}

/* Lower-case hex SHA-256 of the file; NULL when out of memory. */
static char *
sha256_hex(const struct migration *m)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	if (EVP_Digest(m->sql, m->sql_len, md, &md_len, EVP_sha256(),
	    NULL) != 1)
		return NULL;
	return hex_encode(md, md_len);
}

static int
applied_load(struct db *db, struct applied_list *al,
    struct migrate_report *report)
{
	PGresult *res = NULL;
	int64_t v;
	int i, n, rc;

	if ((rc = db_exec(db, STMT_MIG_LIST, NULL, &res)) != PERR_OK)
		return rc;
	n = PQntuples(res);
	if (n > MIGRATIONS_MAX) {
		report_fail(report, "schema_migrations_pocketid has more rows "
		    "than pocket-id ever writes");
		rc = PERR_CONFLICT;
		goto out;
	}
	if (n > 0 && (al->items = calloc((size_t)n, sizeof(*al->items))) ==
	    NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	for (i = 0; i < n; i++, al->n++) {
		if (str_to_int64(PQgetvalue(res, i, 0), 1,
		    MIGRATION_VERSION_MAX, &v) != PERR_OK) {
			report_fail(report, "schema_migrations_pocketid holds "
			    "a version outside 1-9999");
			rc = PERR_CONFLICT;
			goto out;
		}
		al->items[i].version = (int)v;
		al->items[i].name = str_dup(PQgetvalue(res, i, 1));
		al->items[i].sha256 = str_dup(PQgetvalue(res, i, 2));
		if (al->items[i].name == NULL || al->items[i].sha256 == NULL) {
			al->n++;
			rc = PERR_NOMEM;
			goto out;
		}
	}
out:
	PQclear(res);
	return rc;
}

static const struct migration *
set_find(const struct migration_set *set, int version)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->items[i].version == version)
			return &set->items[i];
	return NULL;
}

/* An applied row against the set: known, and unchanged. */
static int
verify_applied(const struct migration_set *set, const struct applied *a,
    struct migrate_report *report)
{
	const struct migration *m = set_find(set, a->version);
	struct wbuf w;
	char *sum;
	int rc = PERR_CONFLICT;

	wbuf_init(&w);
	if (m == NULL) {
		wbuf_printf(&w, "the database has migration %04d (%s) "
		    "applied, which this pocket-id does not have; use the "
		    "pocket-id that applied it", a->version, a->name);
		report_set(report, &w);
		return rc;
	}
	if ((sum = sha256_hex(m)) == NULL)
		return PERR_NOMEM;
	if (strcmp(sum, a->sha256) == 0) {
		rc = PERR_OK;
	} else {
		wbuf_printf(&w, "migration %s was changed after it was applied "
		    "(sha256 recorded %s, file %s); applied migrations must "
		    "never be edited: restore the original file and put the "
		    "change in a new migration", m->file, a->sha256, sum);
		report_set(report, &w);
	}
	free(sum);
	wbuf_free(&w);
	return rc;
}

/*
 * The whole comparison: nothing newer than we know, nothing unknown,
 * nothing edited, and the pending files all come after the applied ones.
 * Sets report->first to the first pending index.
 */
static int
verify(const struct migration_set *set, const struct applied_list *al,
    struct migrate_report *report)
{
	struct wbuf w;
	size_t i;
	int rc;

	report->version_before = al->n > 0 ? al->items[al->n - 1].version : 0;
	report->version_after = report->version_before;
	if (report->version_before > report->version_known) {
		wbuf_init(&w);
		wbuf_printf(&w, "database was migrated by a newer pocket-id "
		    "(version %d > %d); upgrade pocket-id or restore a backup",
		    report->version_before, report->version_known);
		report_set(report, &w);
		return PERR_CONFLICT;
	}
	for (i = 0; i < al->n; i++)
		if ((rc = verify_applied(set, &al->items[i], report)) !=
		    PERR_OK)
			return rc;
	for (i = 0; i < set->n; i++)
		if (set->items[i].version > report->version_before)
			break;
	report->first = i;
	/* Every file before the first pending one must be applied. */
	if (i != al->n) {
		for (i = 0; i < report->first; i++)
			if (i >= al->n ||
			    al->items[i].version != set->items[i].version)
				break;
		wbuf_init(&w);
		wbuf_printf(&w, "migration %s is not applied but a later one "
		    "(version %d) is; migrations must be applied in order",
		    set->items[i].file, report->version_before);
		report_set(report, &w);
		return PERR_CONFLICT;
	}
	return PERR_OK;
}

/* First line of a statement, shortened, for messages. */
static void
put_first_line(struct wbuf *w, const char *s, size_t len)
{
	const size_t max = 120;
	size_t n = 0;

	while (n < len && s[n] != '\n' && s[n] != '\r' && n < max)
		n++;
	wbuf_put(w, s, n);
	if (n < len)
		wbuf_puts(w, " ...");
}

/* Line of the server's 1-based character position within a statement. */
static unsigned
position_line(const struct sql_stmt *st, const char *text, int position)
{
	const char *s = text + st->off;
	unsigned line = st->line;
	size_t i;
	int chars = 0;

	for (i = 0; i < st->len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 &&
		    ++chars == position)
			break;
		if (s[i] == '\n')
			line++;
	}
	return line;
}

static void
report_statement_failure(struct db *db, const struct migration *m,
    const struct sql_stmt *st, int position, int rc,
    struct migrate_report *report)
{
	unsigned line = st->line;
	struct wbuf w;

	if (position > 0)
		line = position_line(st, m->sql, position);
	wbuf_init(&w);
	wbuf_printf(&w, "migration %s failed at line %u: %s\n"
	    "  statement (line %u): ", m->file, line, db_error_message(db),
	    st->line);
	put_first_line(&w, m->sql + st->off, st->len);
	wbuf_puts(&w, rc == PERR_DB_UNAVAILABLE ?
	    "\n  the connection was lost; PostgreSQL discarded the whole file" :
	    "\n  the file was rolled back: the database is as it was before "
	    "it");
	report_set(report, &w);
}

/* One file, one transaction: its statements, then its checksum row. */
static int
apply_one(struct db *db, const struct migration *m,
    const struct sql_stmt *stmts, size_t n, struct migrate_report *report)
{
	char version[16];
	const char *params[3];
	char *sum = NULL, *text = NULL;
	struct wbuf w;
	size_t i;
	int position = 0, rc;

	if ((sum = sha256_hex(m)) == NULL)
		return PERR_NOMEM;
	if ((rc = db_begin(db)) != PERR_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		if ((text = str_ndup(m->sql + stmts[i].off, stmts[i].len)) ==
		    NULL) {
			rc = PERR_NOMEM;
			goto fail;
		}
		rc = db_exec_script(db, text, &position);
		free(text);
		if (rc != PERR_OK) {
			report_statement_failure(db, m, &stmts[i], position, rc,
			    report);
			goto out;
		}
	}
	snprintf(version, sizeof(version), "%d", m->version);
	params[0] = version;
	params[1] = m->file;
	params[2] = sum;
	if ((rc = db_exec(db, STMT_MIG_RECORD, params, NULL)) != PERR_OK)
		goto fail;
	rc = db_commit(db);
	if (rc == PERR_OK)
		goto out;
fail:
	wbuf_init(&w);
	wbuf_printf(&w, "migration %s failed: %s\n  the file was rolled back: "
	    "the database is as it was before it", m->file,
	    rc == PERR_NOMEM ? "out of memory" : db_error_message(db));
	report_set(report, &w);
out:
	if (rc != PERR_OK)
		(void)db_rollback(db);
	free(sum);
	return rc;
}

static int
split_one(const struct migration *m, struct sql_stmt **stmts, size_t *n,
    struct migrate_report *report)
{
	const char *why = NULL;
	unsigned line = 0;
	struct wbuf w;
	int rc;

	if ((rc = sql_split(m->sql, m->sql_len, stmts, n, &line, &why)) !=
	    PERR_OK) {
		wbuf_init(&w);
		wbuf_printf(&w, "migration %s, line %u: %s", m->file, line,
		    why);
		report_set(report, &w);
	}
	return rc;
}

/* Splits every pending file first, so a bad one stops the run early. */
static int
apply_pending(struct db *db, const struct migration_set *set, bool dry_run,
    struct migrate_report *report)
{
	struct sql_stmt *stmts = NULL;
	size_t i, n = 0;
	int rc = PERR_OK;

	for (i = report->first; i < set->n && rc == PERR_OK; i++) {
		rc = split_one(&set->items[i], &stmts, &n, report);
		free(stmts);
		stmts = NULL;
	}
	if (rc != PERR_OK || dry_run) {
		if (rc == PERR_OK)
			report->n_applied = set->n - report->first;
		return rc;
	}
	for (i = report->first; i < set->n; i++) {
		if ((rc = split_one(&set->items[i], &stmts, &n, report)) !=
		    PERR_OK)
			break;
		rc = apply_one(db, &set->items[i], stmts, n, report);
		free(stmts);
		stmts = NULL;
		if (rc != PERR_OK)
			break;
		report->n_applied++;
		report->version_after = set->items[i].version;
	}
	return rc;
}

/* Waits for the runner's lock, saying so when someone else holds it. */
static int
take_lock(struct db *db)
{
	PGresult *res = NULL;
	bool got;
	int rc;

	if ((rc = db_exec(db, STMT_MIG_TRY_LOCK, NULL, &res)) != PERR_OK)
		return rc;
	got = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (got)
		return PERR_OK;
	log_info("another pocket-id is applying migrations; waiting for it");
	return db_exec(db, STMT_MIG_LOCK, NULL, NULL);
}

int
store_migrate(struct db *db, const struct migration_set *set,
    const struct migrate_options *opt, struct migrate_report *report)
{
	struct applied_list al = { NULL, 0 };
	const char *why = NULL;
	bool locked = false;
	int rc;

	memset(report, 0, sizeof(*report));
	report->version_known = set->n > 0 ? set->items[set->n - 1].version : 0;
	if ((rc = migration_set_check(set, &why)) != PERR_OK) {
		report_fail(report, why);
		return rc;
	}
	if (db_in_transaction(db)) {
		report_fail(report, "store_migrate called inside a "
		    "transaction");
		return PERR_INTERNAL;
	}
	if ((rc = take_lock(db)) != PERR_OK)
		goto db_fail;
	locked = true;
	if ((rc = db_exec(db, STMT_MIG_ENSURE_TABLE, NULL, NULL)) != PERR_OK ||
	    (rc = applied_load(db, &al, report)) != PERR_OK)
		goto db_fail;
	if ((rc = verify(set, &al, report)) != PERR_OK)
		goto out;
	rc = apply_pending(db, set, opt != NULL && opt->check_only, report);
	goto out;
db_fail:
	if (report->error == NULL)
		report_fail(report, rc == PERR_NOMEM ? "out of memory" :
		    db_error_message(db));
out:
	if (locked && rc != PERR_DB_UNAVAILABLE)
		(void)db_exec(db, STMT_MIG_UNLOCK, NULL, NULL);
	applied_free(&al);
	return rc;
}

void
store_migrate_report_free(struct migrate_report *report)
{
	if (report == NULL)
		return;
	free(report->error);
	report->error = NULL;
}
