/*
 * db: one libpq connection, its lazily prepared statements, transactions,
 * and the mapping of PostgreSQL's answers to enum perr. It keeps the rule
 * of the module header: a call that finds the connection dead fails with
 * PERR_DB_UNAVAILABLE and the next call reconnects (PQreset). It never
 * retries a statement by itself: the first attempt may have run.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

/* Reads per db_poll_notifications at most (a flood is read next time). */
#define DB_POLL_READS_MAX 8

struct db {
	PGconn *conn;		/* NULL until the first attempt */
	char *conninfo;
	bool need_reset;	/* found dead: reconnect before the next use */
	bool in_tx;		/* between db_begin and db_commit/rollback */
	bool tx_lost;		/* connection died inside that transaction */
	bool prepared[STMT_COUNT];
	char *error;		/* message of the last failure, or NULL */
	uint64_t serial;	/* successful connects and reconnects */
	bool notified[DB_CHANNEL_COUNT]; /* not yet asked about */
};

/* Unless the conninfo says otherwise (its values come later and win). */
#define DB_CONNECT_TIMEOUT "10"
#define DB_APPLICATION_NAME "pocket-id"

/*
 * SQLSTATE to enum perr, first match wins: a row matches when its text is
 * a prefix of the five-character code. Everything else is PERR_DB.
 */
static const struct {
	const char *prefix;
	int err;
} sqlstate_map[] = {
	{ "08", PERR_DB_UNAVAILABLE },	 /* connection exception */
	{ "57P0", PERR_DB_UNAVAILABLE }, /* shutdown, cannot connect now */
	{ "23505", PERR_CONFLICT },	 /* unique violation */
	{ "22", PERR_INVALID },		 /* data exception */
};

int
db_sqlstate_to_perr(const char *sqlstate)
{
	size_t i;

	if (sqlstate == NULL || strlen(sqlstate) != 5)
		return PERR_DB;
	for (i = 0; i < sizeof(sqlstate_map) / sizeof(sqlstate_map[0]); i++)
		if (str_has_prefix(sqlstate, sqlstate_map[i].prefix))
			return sqlstate_map[i].err;
	return PERR_DB;
}

static void
db_set_error(struct db *db, const char *msg)
{
	free(db->error);
	db->error = str_dup(msg);
}

/* libpq's own message (connection failures) as one line. */
static void
db_set_conn_error(struct db *db, const char *prefix)
{
	const char *msg = db->conn != NULL ? PQerrorMessage(db->conn) : NULL;
	struct wbuf w;
	size_t i;

	wbuf_init(&w);
	wbuf_puts(&w, prefix);
	if (msg != NULL && *msg != '\0') {
		wbuf_puts(&w, ": ");
		wbuf_puts(&w, msg);
	}
	/* Multi-line libpq messages become one line; drop the final newline. */
	while (w.len > 0 && (w.data[w.len - 1] == '\n' ||
	    w.data[w.len - 1] == ' '))
		w.data[--w.len] = '\0';
	for (i = 0; i < w.len; i++)
		if (w.data[i] == '\n' || w.data[i] == '\t')
			w.data[i] = ' ';
	free(db->error);
	db->error = wbuf_steal(&w, NULL);
}

/* The server's message: primary text and SQLSTATE, detail and hint too. */
static void
db_set_result_error(struct db *db, const PGresult *res, bool with_detail)
{
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	struct wbuf w;

	if (primary == NULL) {
		db_set_conn_error(db, "PostgreSQL connection failed");
		return;
	}
	wbuf_init(&w);
	wbuf_puts(&w, primary);
	if (state != NULL)
		wbuf_printf(&w, " (SQLSTATE %s)", state);
	if (with_detail && detail != NULL)
		wbuf_printf(&w, "; detail: %s", detail);
	if (with_detail && hint != NULL)
		wbuf_printf(&w, "; hint: %s", hint);
	free(db->error);
	db->error = wbuf_steal(&w, NULL);
}

const char *
db_error_message(const struct db *db)
{
	return db->error != NULL ? db->error : "";
}

/* PostgreSQL's notices (e.g. "already exists, skipping") go to the log. */
static void
db_notice(void *arg, const char *message)
{
	(void)arg;
	log_debug("postgres: %s", message);
}

static void
db_mark_lost(struct db *db)
{
	db->need_reset = true;
	if (db->in_tx)
		db->tx_lost = true;
}

/* Connects or reconnects when needed; PERR_DB_UNAVAILABLE if it cannot. */
static int
db_ready(struct db *db)
{
	/* Timestamps leave PostgreSQL (as JSON, say) in UTC. */
	static const char *const keys[] = {
		"connect_timeout", "application_name", "options", "dbname", NULL
	};
	const char *values[] = {
		DB_CONNECT_TIMEOUT, DB_APPLICATION_NAME, "-c TimeZone=UTC",
		db->conninfo, NULL
	};

	bool fresh = false;

	if (db->tx_lost) {
		db_set_error(db, "the connection to PostgreSQL was lost inside "
		    "a transaction; it must be rolled back");
		return PERR_DB_UNAVAILABLE;
	}
	if (db->conn == NULL) {
		if ((db->conn = PQconnectdbParams(keys, values, 1)) == NULL)
			return PERR_NOMEM;
		PQsetNoticeProcessor(db->conn, db_notice, NULL);
		memset(db->prepared, 0, sizeof(db->prepared));
		fresh = true;
	} else if (db->need_reset || PQstatus(db->conn) != CONNECTION_OK) {
		PQreset(db->conn);
		memset(db->prepared, 0, sizeof(db->prepared));
		if (PQstatus(db->conn) == CONNECTION_OK)
			log_info("reconnected to PostgreSQL");
		fresh = true;
	}
	if (PQstatus(db->conn) != CONNECTION_OK) {
		db->need_reset = true;
		db_set_conn_error(db, "cannot connect to PostgreSQL");
		return PERR_DB_UNAVAILABLE;
	}
	db->need_reset = false;
	if (fresh)
		db->serial++;
	return PERR_OK;
}

/*
 * What a result means. PQstatus is checked first: whatever the server said,
 * a connection that is now bad makes the answer "unavailable".
 */
static int
db_check_result(struct db *db, const PGresult *res, bool with_detail)
{
	int rc;

	if (res != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_COMMAND_OK:
		case PGRES_TUPLES_OK:
			return PERR_OK;
		default:
			break;
		}
	}
	if (PQstatus(db->conn) != CONNECTION_OK)
		rc = PERR_DB_UNAVAILABLE;
	else if (res == NULL)
		rc = PERR_NOMEM;
	else
		rc = db_sqlstate_to_perr(PQresultErrorField(res,
		    PG_DIAG_SQLSTATE));
	if (res != NULL)
		db_set_result_error(db, res, with_detail);
	else
		db_set_conn_error(db, "PostgreSQL request failed");
	if (rc == PERR_DB_UNAVAILABLE)
		db_mark_lost(db);
	return rc;
}

static int
db_prepare(struct db *db, enum stmt id)
{
	const struct stmt_def *def = &db_statements[id];
	PGresult *res;
	const char *state;
	int rc;

	/* One line per round trip at LOG_LEVEL=debug: tests count them. */
	log_debug("db round trip: prepare %s", def->name);
	res = PQprepare(db->conn, def->name, def->sql, def->nparams, NULL);
	rc = db_check_result(db, res, false);
	/* Prepared before, but we never saw the answer: it is there. */
	if (rc == PERR_DB && (state = PQresultErrorField(res,
	    PG_DIAG_SQLSTATE)) != NULL && strcmp(state, "42P05") == 0)
		rc = PERR_OK;
	PQclear(res);
	if (rc == PERR_OK)
		db->prepared[id] = true;
	return rc;
}

static void
db_log_failure(const struct db *db, const char *what, int rc)
{
	if (rc == PERR_CONFLICT || rc == PERR_INVALID)
		log_debug("db: %s: %s", what, db_error_message(db));
	else
		log_warn("db: %s: %s", what, db_error_message(db));
}

int
db_exec(struct db *db, enum stmt id, const char *const *params,
    PGresult **res)
{
	const struct stmt_def *def;
	PGresult *r;
	int rc;

	if (res != NULL)
		*res = NULL;
	if ((unsigned)id >= STMT_COUNT)
		return PERR_INTERNAL;
	def = &db_statements[id];
	if ((rc = db_ready(db)) != PERR_OK)
		goto out;
	if (!db->prepared[id] && (rc = db_prepare(db, id)) != PERR_OK)
		goto out;
	log_debug("db round trip: %s", def->name);
	r = PQexecPrepared(db->conn, def->name, def->nparams, params, NULL,
	    NULL, 0);
	if ((rc = db_check_result(db, r, false)) == PERR_OK && res != NULL)
		*res = r;
	else
		PQclear(r);
out:
	if (rc != PERR_OK)
		db_log_failure(db, def->name, rc);
	return rc;
}

int
db_exec_script(struct db *db, const char *sql, int *position)
{
	const char *pos;
	PGresult *r;
	int64_t p;
	int rc;

	if (position != NULL)
		*position = 0;
	if ((rc = db_ready(db)) != PERR_OK)
		return rc;
	r = PQexecParams(db->conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	rc = db_check_result(db, r, true);
	if (rc != PERR_OK && r != NULL && position != NULL &&
	    (pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION)) != NULL &&
	    str_to_int64(pos, 1, INT32_MAX, &p) == PERR_OK)
		*position = (int)p;
	PQclear(r);
	return rc;
}

static int
db_alloc(const char *conninfo, struct db **out)
{
	PQconninfoOption *opts;
	char *errmsg = NULL;
	struct db *db;

	*out = NULL;
	if (conninfo == NULL || *conninfo == '\0' ||
	    strlen(conninfo) > DB_CONNINFO_MAX) {
		log_error("the PostgreSQL connection string is empty or longer "
		    "than %d bytes", DB_CONNINFO_MAX);
		return PERR_CONFIG;
	}
	/* libpq's reason may quote the string, which may hold a password. */
	if ((opts = PQconninfoParse(conninfo, &errmsg)) == NULL) {
		if (errmsg == NULL)
			return PERR_NOMEM;
		PQfreemem(errmsg);
		log_error("the PostgreSQL connection string is neither a "
		    "postgresql:// URL nor a key=value conninfo");
		return PERR_CONFIG;
	}
	PQconninfoFree(opts);
	if ((db = calloc(1, sizeof(*db))) == NULL)
		return PERR_NOMEM;
	if ((db->conninfo = str_dup(conninfo)) == NULL) {
		free(db);
		return PERR_NOMEM;
	}
	*out = db;
	return PERR_OK;
}

int
db_new(const char *conninfo, struct db **out)
{
	return db_alloc(conninfo, out);
}

int
db_open(const char *conninfo, struct db **out)
{
	struct db *db = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_alloc(conninfo, &db)) != PERR_OK)
		return rc;
	if ((rc = db_ready(db)) != PERR_OK) {
		log_error("%s", db_error_message(db));
		db_close(db);
		return rc;
	}
	*out = db;
	return PERR_OK;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	str_free_secret(db->conninfo);
	free(db->error);
	free(db);
}

int
db_ping(struct db *db)
{
	int rc = db_exec(db, STMT_PING, NULL, NULL);

	return rc == PERR_OK ? PERR_OK : PERR_DB_UNAVAILABLE;
}

bool
db_in_transaction(const struct db *db)
{
	return db->in_tx;
}

int
db_begin(struct db *db)
{
	int rc;

	if (db->in_tx)
		return PERR_INTERNAL;
	if ((rc = db_exec(db, STMT_BEGIN, NULL, NULL)) == PERR_OK)
		db->in_tx = true;
	return rc;
}

int
db_commit(struct db *db)
{
	PGresult *res = NULL;
	int rc;

	if (!db->in_tx)
		return PERR_INTERNAL;
	if (db->tx_lost) {
		db->in_tx = db->tx_lost = false;
		db_set_error(db, "the connection to PostgreSQL was lost; the "
		    "transaction was not committed");
		return PERR_DB_UNAVAILABLE;
	}
	rc = db_exec(db, STMT_COMMIT, NULL, &res);
	db->in_tx = db->tx_lost = false;
	/* COMMIT of a failed transaction "succeeds" as a ROLLBACK. */
	if (rc == PERR_OK && strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		db_set_error(db, "the transaction had failed and was rolled "
		    "back");
		rc = PERR_DB;
	}
	PQclear(res);
	return rc;
}

int
db_rollback(struct db *db)
{
	int rc;

	if (!db->in_tx)
		return PERR_OK;
	if (db->tx_lost || db->need_reset) {
		/* The server dropped the work with the connection. */
		db->in_tx = db->tx_lost = false;
		return PERR_OK;
	}
	rc = db_exec(db, STMT_ROLLBACK, NULL, NULL);
	db->in_tx = db->tx_lost = false;
	return rc == PERR_DB_UNAVAILABLE ? PERR_OK : rc;
}

int
db_exec_text(struct db *db, enum stmt id, const char *const *params,
    char **out)
{
	PGresult *res = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_exec(db, id, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) == 0 || PQnfields(res) == 0)
		rc = PERR_NOT_FOUND;
	else if ((*out = str_dup(PQgetvalue(res, 0, 0))) == NULL)
		rc = PERR_NOMEM;
	PQclear(res);
	return rc;
}

int
db_exec_affected(struct db *db, enum stmt id, const char *const *params)
{
	PGresult *res = NULL;
	int64_t n = 0;
	int rc;

	if ((rc = db_exec(db, id, params, &res)) != PERR_OK)
		return rc;
	rc = str_to_int64(PQcmdTuples(res), 0, INT32_MAX, &n);
	PQclear(res);
	return rc == PERR_OK ? (int)n : rc;
}

uint64_t
db_connection_serial(const struct db *db)
{
	return db->serial;
}

/* Files every notification libpq has parsed under its channel. */
static void
db_take_notifications(struct db *db)
{
	PGnotify *n;
	size_t i;

	while ((n = PQnotifies(db->conn)) != NULL) {
		for (i = 0; i < DB_CHANNEL_COUNT; i++)
			if (strcmp(n->relname, db_channels[i].name) == 0)
				db->notified[i] = true;
		PQfreemem(n);
	}
}

/*
 * Reads what the socket holds, without blocking: true while the
 * connection is fine. A server that ends the connection (a restart) first
 * sends its FATAL message, then closes: the message is one read, the end
 * of the stream the next, so reading until the socket is quiet tells a
 * dead connection at once, before the keys are served stale.
 */
static bool
db_read_pending(struct db *db)
{
	struct pollfd pfd = { PQsocket(db->conn), POLLIN, 0 };
	int i;

	if (pfd.fd < 0)
		return false;
	for (i = 0; i < DB_POLL_READS_MAX; i++) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) <= 0)
			return true;	/* quiet (or EINTR: try next time) */
		if (PQconsumeInput(db->conn) == 0 ||
		    PQstatus(db->conn) != CONNECTION_OK)
			return false;
		if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL))
			return false;
	}
	return true;
}

int
db_poll_notifications(struct db *db, enum db_channel ch, bool *notified)
{
	*notified = false;
	if ((unsigned)ch >= DB_CHANNEL_COUNT || db->in_tx)
		return PERR_INTERNAL;
	if (db->conn == NULL || db->need_reset ||
	    PQstatus(db->conn) != CONNECTION_OK)
		return PERR_DB_UNAVAILABLE;
	if (!db_read_pending(db)) {
		db_set_conn_error(db, "the connection to PostgreSQL was lost");
		db_mark_lost(db);
		log_warn("db: %s", db_error_message(db));
		return PERR_DB_UNAVAILABLE;
	}
	db_take_notifications(db);
	*notified = db->notified[ch];
	db->notified[ch] = false;
	return PERR_OK;
}
