/*
 * oidc: the OIDC provider's grants, codes, tokens and interactions. All
 * single-use values are consumed by the statement that reads them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

static void
copy_text(char *out, size_t size, const char *value)
{
	snprintf(out, size, "%s", value);
}

int
store_oidc_interaction_save(struct db *db, const char *id,
    const char *client_id, const char *user_id, const char *parameters,
    const char *steps, int64_t reauthenticated_at)
{
	char reauth[24];
	const char *params[6] = { id, client_id,
		user_id != NULL && user_id[0] != '\0' ? user_id : NULL,
		parameters, steps, reauthenticated_at > 0 ? reauth : NULL };

	snprintf(reauth, sizeof(reauth), "%lld", (long long)reauthenticated_at);
	return db_exec(db, STMT_OIDC_INTERACTION_SAVE, params, NULL);
}

int
store_oidc_interaction_get(struct db *db, const char *id,
    struct store_interaction *out)
{
	const char *params[1] = { id };
	PGresult *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_exec(db, STMT_OIDC_INTERACTION_GET, params, &res)) !=
	    PERR_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = PERR_NOT_FOUND;
		goto out;
	}
	copy_text(out->user_id, sizeof(out->user_id), PQgetvalue(res, 0, 1));
	out->client_id = str_dup(PQgetvalue(res, 0, 0));
	out->parameters = str_dup(PQgetvalue(res, 0, 2));
	out->steps = str_dup(PQgetvalue(res, 0, 3));
	if (out->client_id == NULL || out->parameters == NULL ||
	    out->steps == NULL)
		rc = PERR_NOMEM;
	else
		rc = str_to_int64(PQgetvalue(res, 0, 4), 0, INT64_MAX,
		    &out->reauthenticated_at);
	if (rc != PERR_OK)
		store_oidc_interaction_clear(out);
out:
	PQclear(res);
	return rc;
}

void
store_oidc_interaction_clear(struct store_interaction *i)
{
	free(i->client_id);
	free(i->parameters);
	free(i->steps);
	memset(i, 0, sizeof(*i));
}

int
store_oidc_interaction_delete(struct db *db, const char *id)
{
	const char *params[1] = { id };
	int n = db_exec_affected(db, STMT_OIDC_INTERACTION_DELETE, params);

	if (n < 0)
		return n;
	return n > 0 ? PERR_OK : PERR_NOT_FOUND;
}

int
store_oidc_code_issue(struct db *db, const struct store_code_new *c)
{
	char auth_time[24];
	const char *params[11] = { c->grant_id, c->client_id, c->user_id,
		c->scope, c->nonce, auth_time, c->amr, c->code_hash,
		c->redirect_uri, c->code_challenge, c->code_challenge_method };

	snprintf(auth_time, sizeof(auth_time), "%lld", (long long)c->auth_time);
	return db_exec(db, STMT_OIDC_CODE_ISSUE, params, NULL);
}

/* Reads the row shape shared by the code and refresh-token statements. */
static int
read_grant_use(PGresult *res, struct store_grant_use *out)
{
	if (PQntuples(res) != 1)
		return PERR_NOT_FOUND;
	copy_text(out->grant_id, sizeof(out->grant_id), PQgetvalue(res, 0, 0));
	copy_text(out->user_id, sizeof(out->user_id), PQgetvalue(res, 0, 2));
	copy_text(out->amr, sizeof(out->amr), PQgetvalue(res, 0, 6));
	copy_text(out->code_challenge_method,
	    sizeof(out->code_challenge_method), PQgetvalue(res, 0, 9));
	out->fresh = PQgetvalue(res, 0, 10)[0] == 't';
	out->unexpired = PQgetvalue(res, 0, 11)[0] == 't';
	out->grant_active = PQgetvalue(res, 0, 12)[0] == 't';
	out->user_enabled = PQgetvalue(res, 0, 13)[0] == 't';
	out->group_allowed = PQgetvalue(res, 0, 14)[0] == 't';
	if (!PQgetisnull(res, 0, 15) &&
	    (out->claims = str_dup(PQgetvalue(res, 0, 15))) == NULL)
		return PERR_NOMEM;
	if ((out->resource = str_dup(PQgetvalue(res, 0, 16))) == NULL)
		return PERR_NOMEM;
	out->client_id = str_dup(PQgetvalue(res, 0, 1));
	out->scope = str_dup(PQgetvalue(res, 0, 3));
	out->nonce = str_dup(PQgetvalue(res, 0, 4));
	out->redirect_uri = str_dup(PQgetvalue(res, 0, 7));
	out->code_challenge = str_dup(PQgetvalue(res, 0, 8));
	if (out->client_id == NULL || out->scope == NULL ||
	    out->nonce == NULL || out->redirect_uri == NULL ||
	    out->code_challenge == NULL)
		return PERR_NOMEM;
	return str_to_int64(PQgetvalue(res, 0, 5), 0, INT64_MAX,
	    &out->auth_time);
}

static int
grant_take(struct db *db, enum stmt id, const char *const *params,
    struct store_grant_use *out)
{
	PGresult *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_exec(db, id, params, &res)) != PERR_OK)
		return rc;
	if ((rc = read_grant_use(res, out)) != PERR_OK)
		store_oidc_grant_use_clear(out);
	PQclear(res);
	return rc;
}

int
store_oidc_code_take(struct db *db, const char *code_hash,
    const char *base_url, struct store_grant_use *out)
{
	const char *params[2] = { code_hash, base_url };

	return grant_take(db, STMT_OIDC_CODE_TAKE, params, out);
}

int
store_oidc_refresh_take(struct db *db, const char *token_hash,
    const char *base_url, const char *want_scope,
    struct store_grant_use *out)
{
	const char *params[3] = { token_hash, base_url, want_scope };

	return grant_take(db, STMT_OIDC_REFRESH_TAKE, params, out);
}

void
store_oidc_grant_use_clear(struct store_grant_use *g)
{
	free(g->client_id);
	free(g->scope);
	free(g->nonce);
	free(g->redirect_uri);
	free(g->code_challenge);
	free(g->claims);
	free(g->resource);
	memset(g, 0, sizeof(*g));
}

int
store_oidc_grant_revoke(struct db *db, const char *grant_id)
{
	const char *params[1] = { grant_id };

	return db_exec(db, STMT_OIDC_GRANT_REVOKE, params, NULL);
}

int
store_oidc_tokens_issue(struct db *db, const struct store_tokens_new *t)
{
	char exp[24], mins[24];
	const char *params[10] = { t->jti, t->grant_id, t->client_id,
		t->subject, t->scope, t->audience, exp, t->refresh_hash,
		t->id_token_jti, mins };

	snprintf(exp, sizeof(exp), "%lld", (long long)t->expires_at);
	snprintf(mins, sizeof(mins), "%lld", (long long)t->refresh_minutes);
	return db_exec(db, STMT_OIDC_TOKENS_ISSUE, params, NULL);
}

/*
 * The statements return: client, subject, scope, iat, exp, aud, grant
 * (and the userinfo one claims and user_enabled after them). On success
 * *resp keeps the result when not NULL (the caller clears it).
 */
static int
access_read_params(struct db *db, enum stmt id, const char *const *params,
    struct store_access *out, PGresult **resp)
{
	PGresult *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (resp != NULL)
		*resp = NULL;
	if ((rc = db_exec(db, id, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = PERR_NOT_FOUND;
		goto out;
	}
	out->client_id = str_dup(PQgetvalue(res, 0, 0));
	out->subject = str_dup(PQgetvalue(res, 0, 1));
	out->scope = str_dup(PQgetvalue(res, 0, 2));
	out->audience = str_dup(PQgetvalue(res, 0, 5));
	copy_text(out->grant_id, sizeof(out->grant_id), PQgetvalue(res, 0, 6));
	if (out->client_id == NULL || out->subject == NULL ||
	    out->scope == NULL || out->audience == NULL ||
	    str_to_int64(PQgetvalue(res, 0, 3), 0, INT64_MAX,
	    &out->issued_at) != PERR_OK ||
	    str_to_int64(PQgetvalue(res, 0, 4), 0, INT64_MAX,
	    &out->expires_at) != PERR_OK) {
		store_oidc_access_clear(out);
		rc = PERR_NOMEM;
	}
out:
	if (rc == PERR_OK && resp != NULL)
		*resp = res;
	else
		PQclear(res);
	return rc;
}

static int
access_read(struct db *db, enum stmt id, const char *key,
    struct store_access *out)
{
	const char *params[1] = { key };

	return access_read_params(db, id, params, out, NULL);
}

int
store_oidc_access_userinfo(struct db *db, const char *jti,
    const char *base_url, struct store_access *out, char **claims,
    bool *user_enabled)
{
	const char *params[2] = { jti, base_url };
	PGresult *res = NULL;
	int rc;

	*claims = NULL;
	*user_enabled = false;
	if ((rc = access_read_params(db, STMT_OIDC_ACCESS_USERINFO, params,
	    out, &res)) != PERR_OK)
		return rc;
	copy_text(out->jti, sizeof(out->jti), jti);
	*user_enabled = PQgetvalue(res, 0, 8)[0] == 't';
	if (!PQgetisnull(res, 0, 7) &&
	    (*claims = str_dup(PQgetvalue(res, 0, 7))) == NULL) {
		store_oidc_access_clear(out);
		rc = PERR_NOMEM;
	}
	PQclear(res);
	return rc;
}

int
store_oidc_access_find(struct db *db, const char *jti,
    struct store_access *out)
{
	int rc = access_read(db, STMT_OIDC_ACCESS_FIND, jti, out);

	if (rc == PERR_OK)
		copy_text(out->jti, sizeof(out->jti), jti);
	return rc;
}

int
store_oidc_refresh_peek(struct db *db, const char *token_hash,
    struct store_access *out)
{
	return access_read(db, STMT_OIDC_REFRESH_PEEK, token_hash, out);
}

void
store_oidc_access_clear(struct store_access *a)
{
	free(a->client_id);
	free(a->subject);
	free(a->scope);
	free(a->audience);
	memset(a, 0, sizeof(*a));
}

int
store_oidc_access_delete(struct db *db, const char *jti, const char *client_id)
{
	const char *params[2] = { jti, client_id };

	return db_exec(db, STMT_OIDC_ACCESS_DELETE, params, NULL);
}

int
store_oidc_user_claims(struct db *db, const char *user_id, bool profile,
    bool email, bool groups, const char *base_url, char **json,
    bool *disabled)
{
	const char *params[5] = { user_id, profile ? "true" : "false",
		email ? "true" : "false", groups ? "true" : "false", base_url };
	PGresult *res = NULL;
	int rc;

	*json = NULL;
	if ((rc = db_exec(db, STMT_OIDC_USER_CLAIMS, params, &res)) !=
	    PERR_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = PERR_NOT_FOUND;
	else if ((*json = str_dup(PQgetvalue(res, 0, 0))) == NULL)
		rc = PERR_NOMEM;
	else
		*disabled = PQgetvalue(res, 0, 1)[0] == 't';
	PQclear(res);
	return rc;
}

int
store_oidc_revoke_by_id_token(struct db *db, const char *jti,
    const char *user_id)
{
	const char *params[2] = { jti, user_id };
	PGresult *res = NULL;
	int rc, i, n;

	if ((rc = db_exec(db, STMT_OIDC_REFRESH_REVOKE_BY_JTI, params,
	    &res)) != PERR_OK)
		return rc;
	n = PQntuples(res);
	for (i = 0; i < n && rc == PERR_OK; i++)
		rc = store_oidc_grant_revoke(db, PQgetvalue(res, i, 0));
	PQclear(res);
	return rc;
}

int
store_oidc_revoke_user_client(struct db *db, const char *user_id,
    const char *client_id)
{
	const char *params[2] = { user_id, client_id };

	return db_exec(db, STMT_OIDC_REVOKE_USER_CLIENT, params, NULL);
}
