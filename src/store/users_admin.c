/*
 * users_admin: what the admin API does to users (spec §1.5): create with
 * groups and claims, update (disabling ends the user's sessions at once),
 * delete, group membership; and NFC normalisation through PostgreSQL.
 * Every multi-statement change is one transaction. Which rules apply to
 * whom (LDAP, allowOwnAccountEdit) is the caller's business.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

int
store_nfc(struct db *db, char **values, size_t n)
{
	const char *params[1];
	PGresult *res = NULL;
	struct wbuf w;
	char *copy;
	size_t i;
	int rc;

	wbuf_init(&w);
	wbuf_putc(&w, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			wbuf_putc(&w, ',');
		if (values[i] == NULL)
			wbuf_puts(&w, "null");
		else
			wbuf_put_json_string(&w, values[i], strlen(values[i]));
	}
	wbuf_putc(&w, ']');
	if ((rc = wbuf_error(&w)) != PERR_OK)
		goto out;
	params[0] = (const char *)w.data;
	rc = db_exec(db, STMT_NFC, params, &res);
	/* A database that is not UTF8 cannot normalise: keep the input. */
	if (rc == PERR_DB || rc == PERR_INVALID) {
		log_warn("could not NFC-normalise input (is the database "
		    "encoding UTF8?): %s", db_error_message(db));
		rc = PERR_OK;
		goto out;
	}
	if (rc != PERR_OK)
		goto out;
	if ((size_t)PQntuples(res) != n) {
		rc = PERR_INTERNAL;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (values[i] == NULL || PQgetisnull(res, (int)i, 0))
			continue;
		if ((copy = str_dup(PQgetvalue(res, (int)i, 0))) == NULL) {
			rc = PERR_NOMEM;
			goto out;
		}
		free(values[i]);
		values[i] = copy;
	}
out:
	PQclear(res);
	wbuf_free(&w);
	return rc;
}

/* A copy of a column, NULL for SQL NULL; *failed on allocation failure. */
static char *
column_dup(const PGresult *res, int col, bool *failed)
{
	char *s;

	if (PQgetisnull(res, 0, col))
		return NULL;
	if ((s = str_dup(PQgetvalue(res, 0, col))) == NULL)
		*failed = true;
	return s;
}

int
store_user_get(struct db *db, const char *id, struct store_user *out)
{
	const char *params[1] = { id };
	PGresult *res = NULL;
	bool failed = false;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_exec(db, STMT_USER_GET, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return PERR_NOT_FOUND;
	}
	if (strlen(PQgetvalue(res, 0, 0)) != STORE_ID_LEN) {
		PQclear(res);
		return PERR_INTERNAL;
	}
	memcpy(out->id, PQgetvalue(res, 0, 0), STORE_ID_LEN + 1);
	out->username = column_dup(res, 1, &failed);
	out->email = column_dup(res, 2, &failed);
	out->ldap_id = column_dup(res, 3, &failed);
	out->email_verified = PQgetvalue(res, 0, 4)[0] == 't';
	out->is_admin = PQgetvalue(res, 0, 5)[0] == 't';
	out->disabled = PQgetvalue(res, 0, 6)[0] == 't';
	PQclear(res);
	if (failed) {
		store_user_clear(out);
		return PERR_NOMEM;
	}
	return PERR_OK;
}

void
store_user_clear(struct store_user *u)
{
	if (u == NULL)
		return;
	free(u->username);
	free(u->email);
	free(u->ldap_id);
	memset(u, 0, sizeof(*u));
}

/* "id", "email" or "username" when u would collide with another user. */
static int
user_conflict(struct db *db, const struct store_user_input *u, bool create,
    const char **conflict)
{
	const char *params[4] = { u->username, u->email, u->id,
		create ? "true" : "false" };
	char *which = NULL;
	int rc;

	*conflict = NULL;
	if ((rc = db_exec_text(db, STMT_USER_CONFLICT, params, &which)) !=
	    PERR_OK)
		return rc;
	if (strcmp(which, "id") == 0)
		*conflict = "id";
	else if (strcmp(which, "email") == 0)
		*conflict = "email";
	else if (strcmp(which, "username") == 0)
		*conflict = "username";
	free(which);
	return *conflict != NULL ? PERR_CONFLICT : PERR_OK;
}

static void
user_params(const struct store_user_input *u, const char *params[10])
{
	params[0] = u->id;
	params[1] = u->username;
	params[2] = u->email;
	params[3] = u->email_verified ? "true" : "false";
	params[4] = u->first_name;
	params[5] = u->last_name;
	params[6] = u->display_name != NULL ? u->display_name : "";
	params[7] = u->is_admin ? "true" : "false";
	params[8] = u->locale;
	params[9] = u->disabled ? "true" : "false";
}

/* Fails with PERR_NOT_FOUND when ids_json names an unknown id. */
static int
check_all_exist(struct db *db, enum stmt id, const char *ids_json)
{
	const char *params[1] = { ids_json };
	char *n = NULL;
	int rc;

	if ((rc = db_exec_text(db, id, params, &n)) != PERR_OK)
		return rc;
	rc = strcmp(n, "0") == 0 ? PERR_OK : PERR_NOT_FOUND;
	free(n);
	return rc;
}

/* Adds user_id to the groups of ids_json, inside a transaction. */
static int
add_groups(struct db *db, const char *user_id, const char *ids_json,
    bool strict)
{
	const char *params[2] = { user_id, ids_json };
	int rc;

	if (ids_json == NULL)
		return PERR_OK;
	if (strict && (rc = check_all_exist(db, STMT_USER_GROUPS_MISSING,
	    ids_json)) != PERR_OK)
		return rc;
	return db_exec(db, STMT_USER_GROUPS_ADD, params, NULL);
}

static int
add_claims(struct db *db, const char *user_id, const char *claims_json)
{
	const char *params[2] = { user_id, claims_json };

	if (claims_json == NULL)
		return PERR_OK;
	return db_exec(db, STMT_USER_CLAIMS_ADD, params, NULL);
}

/* The body of a create, inside the caller's transaction. */
static int
user_create_tx(struct db *db, const struct store_user_input *u,
    const char *ids_json, bool strict_groups, const char *claims_json,
    const char **conflict)
{
	const char *params[10];
	int rc;

	if ((rc = user_conflict(db, u, true, conflict)) != PERR_OK)
		return rc;
	user_params(u, params);
	if ((rc = db_exec(db, STMT_USER_INSERT_FULL, params, NULL)) !=
	    PERR_OK)
		return rc;
	if ((rc = add_groups(db, u->id, ids_json, strict_groups)) != PERR_OK)
		return rc;
	return add_claims(db, u->id, claims_json);
}

/*
 * After a unique violation that the check before the insert did not see
 * (a concurrent insert won), names the property for the 409.
 */
static int
explain_conflict(struct db *db, const struct store_user_input *u,
    bool create, const char **conflict)
{
	if (*conflict == NULL && user_conflict(db, u, create, conflict) !=
	    PERR_CONFLICT)
		*conflict = "username";
	return PERR_CONFLICT;
}

int
store_user_create(struct db *db, const struct store_user_input *u,
    const char *ids_json, bool strict_groups, const char *claims_json,
    const char **conflict)
{
	int rc;

	*conflict = NULL;
	if ((rc = db_begin(db)) != PERR_OK)
		return rc;
	if ((rc = user_create_tx(db, u, ids_json, strict_groups, claims_json,
	    conflict)) != PERR_OK) {
		db_rollback(db);
		return rc == PERR_CONFLICT ?
		    explain_conflict(db, u, true, conflict) : rc;
	}
	rc = db_commit(db);
	return rc == PERR_CONFLICT ? explain_conflict(db, u, true, conflict) :
	    rc;
}

int
store_user_create_first(struct db *db, const struct store_user_input *u)
{
	const char *conflict = NULL;
	int64_t n = 0;
	int rc;

	if ((rc = db_begin(db)) != PERR_OK)
		return rc;
	/* Serialises concurrent setups: the second waits, then sees one. */
	if ((rc = db_exec(db, STMT_USER_LOCK_TABLE, NULL, NULL)) != PERR_OK ||
	    (rc = store_user_count_real(db, &n)) != PERR_OK)
		goto fail;
	if (n > 0) {
		rc = PERR_CONFLICT;
		goto fail;
	}
	if ((rc = user_create_tx(db, u, NULL, false, NULL, &conflict)) !=
	    PERR_OK)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return rc;
}

int
store_user_update(struct db *db, const struct store_user_input *u,
    const char **conflict)
{
	const char *params[10];
	const char *one[1] = { u->id };
	int rc, n;

	*conflict = NULL;
	if ((rc = db_begin(db)) != PERR_OK)
		return rc;
	if ((rc = user_conflict(db, u, false, conflict)) != PERR_OK)
		goto fail;
	user_params(u, params);
	if ((n = db_exec_affected(db, STMT_USER_UPDATE, params)) < 0) {
		rc = n;
		goto fail;
	}
	if (n == 0) {
		rc = PERR_NOT_FOUND;
		goto fail;
	}
	/* DESIGN §2: disabling a user ends all of their sessions at once. */
	if (u->disabled && (rc = db_exec(db, STMT_USER_END_SESSIONS, one,
	    NULL)) != PERR_OK)
		goto fail;
	if ((rc = db_commit(db)) == PERR_CONFLICT)
		return explain_conflict(db, u, false, conflict);
	return rc;
fail:
	db_rollback(db);
	return rc == PERR_CONFLICT ? explain_conflict(db, u, false, conflict) :
	    rc;
}

int
store_user_set_locale(struct db *db, const char *id, const char *locale)
{
	const char *params[2] = { id, locale };
	int n = db_exec_affected(db, STMT_USER_SET_LOCALE, params);

	return n < 0 ? n : n == 0 ? PERR_NOT_FOUND : PERR_OK;
}

int
store_user_delete(struct db *db, const char *id)
{
	const char *params[1] = { id };
	int n = db_exec_affected(db, STMT_USER_DELETE, params);

	return n < 0 ? n : n == 0 ? PERR_NOT_FOUND : PERR_OK;
}

int
store_user_groups_set(struct db *db, const char *user_id,
    const char *ids_json, const char **missing)
{
	const char *params[1] = { user_id };
	struct store_user u;
	int rc;

	*missing = NULL;
	if ((rc = db_begin(db)) != PERR_OK)
		return rc;
	if ((rc = store_user_get(db, user_id, &u)) != PERR_OK) {
		*missing = "User";
		goto fail;
	}
	store_user_clear(&u);
	if ((rc = check_all_exist(db, STMT_USER_GROUPS_MISSING, ids_json)) !=
	    PERR_OK) {
		*missing = "User group";
		goto fail;
	}
	if ((rc = db_exec(db, STMT_USER_GROUPS_CLEAR, params, NULL)) !=
	    PERR_OK ||
	    (rc = add_groups(db, user_id, ids_json, false)) != PERR_OK)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return rc;
}

int
store_user_groups_dto(struct db *db, const char *user_id, char **json)
{
	const char *params[1] = { user_id };

	return db_exec_text(db, STMT_USER_GROUPS_DTO, params, json);
}

int
store_signup(struct db *db, const char *token_hash,
    const struct store_user_input *u, const char *default_groups_json,
    const char *default_claims_json, const char **conflict,
    char token_id[STORE_ID_LEN + 1])
{
	const char *params[1] = { token_hash };
	const char *groups = default_groups_json;
	PGresult *res = NULL;
	int rc;

	*conflict = NULL;
	if (token_id != NULL)
		token_id[0] = '\0';
	if ((rc = db_begin(db)) != PERR_OK)
		return rc;
	if (token_hash != NULL) {
		/* Concurrent signups queue on the token's row lock and see
		 * each other's use: never more than usage_limit. */
		if ((rc = db_exec(db, STMT_SIGNUP_TOKEN_TAKE, params, &res)) !=
		    PERR_OK)
			goto fail;
		if (PQntuples(res) != 1) {
			rc = PERR_EXPIRED;
			goto fail;
		}
		if (token_id != NULL &&
		    strlen(PQgetvalue(res, 0, 0)) == STORE_ID_LEN)
			memcpy(token_id, PQgetvalue(res, 0, 0),
			    STORE_ID_LEN + 1);
		if (strcmp(PQgetvalue(res, 0, 1), "[]") != 0)
			groups = PQgetvalue(res, 0, 1);
	}
	if ((rc = user_create_tx(db, u, groups, false, default_claims_json,
	    conflict)) != PERR_OK)
		goto fail;
	PQclear(res);
	if ((rc = db_commit(db)) == PERR_CONFLICT)
		return explain_conflict(db, u, true, conflict);
	return rc;
fail:
	PQclear(res);
	db_rollback(db);
	return rc == PERR_CONFLICT ? explain_conflict(db, u, true, conflict) :
	    rc;
}
