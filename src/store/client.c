/*
 * client: the OIDC client tables (sql/0006): clients, their secrets (one
 * row each, SHA-256 hex or imported bcrypt), allowed user groups and
 * consent. DTOs are built in SQL; this file binds parameters and reads
 * results. It never sees a secret's value, only its hash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "store/internal.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct store_list_column clients_sort[] = {
	LIST_OIDC_CLIENTS_SORT(STORE_LIST_COLUMN)
};
static const struct store_list_column clients_filter[] = {
	LIST_OIDC_CLIENTS_FILTER(STORE_LIST_COLUMN)
};
const struct store_list_def store_list_oidc_clients = {
	.stmt = STMT_LIST_OIDC_CLIENTS,
	.sort = clients_sort, .n_sort = N_OF(clients_sort),
	.filter = clients_filter, .n_filter = N_OF(clients_filter),
	.default_sort = "name", .default_desc = false,
	.has_search = true,
};

static const struct store_list_column authorized_sort[] = {
	LIST_OIDC_AUTHORIZED_SORT(STORE_LIST_COLUMN)
};
static const struct store_list_column authorized_filter[] = {
	LIST_OIDC_AUTHORIZED_FILTER(STORE_LIST_COLUMN)
};
const struct store_list_def store_list_oidc_authorized = {
	.stmt = STMT_LIST_OIDC_AUTHORIZED,
	.sort = authorized_sort, .n_sort = N_OF(authorized_sort),
	.filter = authorized_filter, .n_filter = N_OF(authorized_filter),
	.default_sort = "lastUsedAt", .default_desc = true,
	.has_search = false, .n_scope = 1,
};

static const struct store_list_column accessible_sort[] = {
	LIST_OIDC_ACCESSIBLE_SORT(STORE_LIST_COLUMN)
};
static const struct store_list_column accessible_filter[] = {
	LIST_OIDC_ACCESSIBLE_FILTER(STORE_LIST_COLUMN)
};
const struct store_list_def store_list_oidc_accessible = {
	.stmt = STMT_LIST_OIDC_ACCESSIBLE,
	.sort = accessible_sort, .n_sort = N_OF(accessible_sort),
	.filter = accessible_filter, .n_filter = N_OF(accessible_filter),
	.default_sort = "lastUsedAt", .default_desc = true,
	.has_search = false, .n_scope = 1,
};

static const char *
pg_bool(bool b)
{
	return b ? "true" : "false";
}

int
store_client_create(struct db *db, const struct store_client_write *w,
    char **json)
{
	char access[24], refresh[24];
	const char *params[16] = { w->id, w->name, w->description,
		w->callback_urls_json, w->logout_callback_urls_json,
		w->created_by, pg_bool(w->is_public), pg_bool(w->pkce_enabled),
		w->credentials_json, w->launch_url,
		pg_bool(w->requires_reauthentication), pg_bool(w->requires_par),
		pg_bool(w->skip_consent), pg_bool(w->is_group_restricted),
		access, refresh };

	snprintf(access, sizeof(access), "%lld",
	    (long long)w->access_token_minutes);
	snprintf(refresh, sizeof(refresh), "%lld",
	    (long long)w->refresh_token_minutes);
	return db_exec_text(db, STMT_CLIENT_INSERT, params, json);
}

int
store_client_update(struct db *db, const struct store_client_write *w,
    char **json)
{
	char access[24], refresh[24];
	const char *params[16] = { w->id, w->name, w->description,
		w->callback_urls_json, w->logout_callback_urls_json,
		pg_bool(w->is_public), pg_bool(w->pkce_enabled),
		w->credentials_json, w->launch_url,
		pg_bool(w->requires_reauthentication), pg_bool(w->requires_par),
		pg_bool(w->skip_consent), pg_bool(w->is_group_restricted),
		access, refresh, pg_bool(w->pkce_enabled_requested) };

	snprintf(access, sizeof(access), "%lld",
	    (long long)w->access_token_minutes);
	snprintf(refresh, sizeof(refresh), "%lld",
	    (long long)w->refresh_token_minutes);
	return db_exec_text(db, STMT_CLIENT_UPDATE, params, json);
}

int
store_client_dto(struct db *db, const char *id, char **json)
{
	const char *params[1] = { id };

	return db_exec_text(db, STMT_CLIENT_DTO, params, json);
}

int
store_client_meta(struct db *db, const char *id, char **json)
{
	const char *params[1] = { id };

	return db_exec_text(db, STMT_CLIENT_META, params, json);
}

int
store_client_delete(struct db *db, const char *id)
{
	const char *params[1] = { id };
	int rc = db_exec_affected(db, STMT_CLIENT_DELETE, params);

	if (rc < 0)
		return rc;
	return rc == 0 ? PERR_NOT_FOUND : PERR_OK;
}

/* Locks the client's row for the rest of the transaction. */
static int
client_lock(struct db *db, const char *id, bool *is_public, int64_t *secrets)
{
	const char *params[1] = { id };
	PGresult *res = NULL;
	int rc;

	char *count = NULL;

	if ((rc = db_exec(db, STMT_CLIENT_LOCK, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = PERR_NOT_FOUND;
	else
		*is_public = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (rc == PERR_OK && (rc = db_exec_text(db, STMT_CLIENT_SECRET_COUNT,
	    params, &count)) == PERR_OK)
		rc = str_to_int64(count, 0, INT64_MAX, secrets);
	free(count);
	return rc;
}

int
store_client_set_groups(struct db *db, const char *id,
    const char *group_ids_json, char **json)
{
	const char *params[2] = { id, group_ids_json };
	bool is_public;
	int64_t n;
	int rc;

	*json = NULL;
	if ((rc = db_begin(db)) != PERR_OK)
		return rc;
	if ((rc = client_lock(db, id, &is_public, &n)) != PERR_OK ||
	    (rc = db_exec(db, STMT_CLIENT_GROUPS_CLEAR, params, NULL)) !=
	    PERR_OK ||
	    (rc = db_exec(db, STMT_CLIENT_GROUPS_ADD, params, NULL)) !=
	    PERR_OK ||
	    (rc = db_exec_text(db, STMT_CLIENT_DTO_PLAIN, params, json)) !=
	    PERR_OK)
		goto fail;
	if ((rc = db_commit(db)) == PERR_OK)
		return PERR_OK;
fail:
	(void)db_rollback(db);
	free(*json);
	*json = NULL;
	return rc;
}

int
store_client_load(struct db *db, const char *id, bool with_secrets,
    char **json)
{
	const char *params[2] = { id, pg_bool(with_secrets) };

	return db_exec_text(db, STMT_CLIENT_LOAD, params, json);
}

int
store_client_secrets_list(struct db *db, const char *client_id, char **json)
{
	const char *params[1] = { client_id };

	return db_exec_text(db, STMT_CLIENT_SECRETS_LIST, params, json);
}

int
store_client_secret_add(struct db *db, const struct store_client_secret_new *s,
    char **json)
{
	const char *params[5] = { s->id, s->client_id, s->hash, s->prefix,
		s->expires_at };
	bool is_public = false;
	int64_t n = 0;
	int rc;

	*json = NULL;
	if ((rc = db_begin(db)) != PERR_OK)
		return rc;
	if ((rc = client_lock(db, s->client_id, &is_public, &n)) != PERR_OK)
		goto fail;
	if (is_public) {
		rc = PERR_FORBIDDEN;
		goto fail;
	}
	if (n < 0 || (uint64_t)n >= s->max_per_client) {
		rc = PERR_TOO_LARGE;
		goto fail;
	}
	rc = db_exec_text(db, STMT_CLIENT_SECRET_INSERT, params, json);
	if (rc == PERR_NOT_FOUND)
		rc = PERR_EXPIRED;
	if (rc != PERR_OK || (rc = db_commit(db)) != PERR_OK)
		goto fail;
	return PERR_OK;
fail:
	(void)db_rollback(db);
	free(*json);
	*json = NULL;
	return rc;
}

int
store_client_secret_delete(struct db *db, const char *client_id,
    const char *secret_id, bool *client_exists)
{
	const char *params[2] = { secret_id, client_id };
	PGresult *res = NULL;
	int rc;

	*client_exists = false;
	if ((rc = db_exec(db, STMT_CLIENT_SECRET_DELETE, params, &res)) !=
	    PERR_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = PERR_INTERNAL;
	} else {
		*client_exists = PQgetvalue(res, 0, 0)[0] == 't';
		rc = PQgetvalue(res, 0, 1)[0] == 't' ? PERR_OK :
		    PERR_NOT_FOUND;
	}
	PQclear(res);
	return rc;
}

/* A single boolean column of a single row. */
static int
exec_bool(struct db *db, enum stmt id, const char *const *params, bool *out,
    bool *found)
{
	char *text = NULL;
	int rc = db_exec_text(db, id, params, &text);

	*found = rc == PERR_OK;
	*out = rc == PERR_OK && text[0] == 't';
	free(text);
	return rc;
}

int
store_client_in_allowed_group(struct db *db, const char *client_id,
    const char *user_id, bool *allowed)
{
	const char *params[2] = { client_id, user_id };
	bool found;

	return exec_bool(db, STMT_CLIENT_ALLOWS_USER, params, allowed, &found);
}

int
store_consent_covers(struct db *db, const char *user_id,
    const char *client_id, const char *keys_json, bool *covered,
    bool *exists)
{
	const char *params[3] = { user_id, client_id, keys_json };
	int rc = exec_bool(db, STMT_CONSENT_GET, params, covered, exists);

	return rc == PERR_NOT_FOUND ? PERR_OK : rc;
}

int
store_consent_merge(struct db *db, const char *user_id,
    const char *client_id, const char *keys_json, bool *was_new)
{
	const char *params[3] = { user_id, client_id, keys_json };
	bool found;

	return exec_bool(db, STMT_CONSENT_MERGE, params, was_new, &found);
}

int
store_consent_delete(struct db *db, const char *user_id,
    const char *client_id)
{
	const char *params[2] = { user_id, client_id };
	int rc = db_exec_affected(db, STMT_CONSENT_DELETE, params);

	if (rc < 0)
		return rc;
	return rc == 0 ? PERR_NOT_FOUND : PERR_OK;
}

int
store_federated_jwks_get(struct db *db, const char *url, char **jwks,
    int64_t *age_s)
{
	const char *params[1] = { url };
	PGresult *res = NULL;
	int rc;

	*jwks = NULL;
	if ((rc = db_exec(db, STMT_FEDERATED_JWKS_GET, params, &res)) !=
	    PERR_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = PERR_NOT_FOUND;
	else if ((rc = str_to_int64(PQgetvalue(res, 0, 1), INT64_MIN,
	    INT64_MAX, age_s)) == PERR_OK &&
	    (*jwks = str_dup(PQgetvalue(res, 0, 0))) == NULL)
		rc = PERR_NOMEM;
	PQclear(res);
	return rc;
}

int
store_federated_jwks_put(struct db *db, const char *url, const char *jwks)
{
	const char *params[2] = { url, jwks };

	return db_exec(db, STMT_FEDERATED_JWKS_PUT, params, NULL);
}

int
store_jti_use(struct db *db, const char *key, int64_t exp, bool *fresh)
{
	char id[STORE_ID_LEN + 1], when[24];
	const char *params[3] = { id, key, when };
	int rc;

	*fresh = false;
	if ((rc = crypto_uuid_v4(id)) != PERR_OK)
		return rc;
	snprintf(when, sizeof(when), "%lld", (long long)exp);
	rc = db_exec_affected(db, STMT_JTI_USE, params);
	if (rc < 0)
		return rc;
	*fresh = rc == 1;
	return PERR_OK;
}

int
store_client_longest_access_minutes(struct db *db, int64_t *minutes)
{
	char *text = NULL;
	int rc;

	if ((rc = db_exec_text(db, STMT_CLIENT_LONGEST_ACCESS, NULL,
	    &text)) == PERR_OK)
		rc = str_to_int64(text, 0, INT64_MAX, minutes);
	free(text);
	return rc;
}
