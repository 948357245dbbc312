/*
 * cimd: the rows of metadata-document clients (spec §2.12) in
 * oidc_clients: their state, creating or refreshing one from a validated
 * document, and the admin's writable subset. Validation and fetching are
 * src/oidc/cimd.c's; this file only binds parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

int
store_cimd_state(struct db *db, const char *id, bool *is_cimd, bool *expired,
    char **grants)
{
	const char *params[1] = { id };
	PGresult *res = NULL;
	int rc;

	*is_cimd = *expired = false;
	if (grants != NULL)
		*grants = NULL;
	if ((rc = db_exec(db, STMT_CIMD_STATE, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = PERR_NOT_FOUND;
	} else {
		*is_cimd = strcmp(PQgetvalue(res, 0, 0), "cimd") == 0;
		*expired = PQgetvalue(res, 0, 1)[0] == 't';
		if (grants != NULL &&
		    (*grants = str_dup(PQgetvalue(res, 0, 2))) == NULL)
			rc = PERR_NOMEM;
	}
	PQclear(res);
	return rc;
}

int
store_cimd_upsert(struct db *db, const char *id, const char *name,
    const char *redirect_uris_json, const char *logout_uris_json,
    const char *grant_types_json, int64_t ttl_s)
{
	char ttl[24], *count = NULL;
	const char *params[6] = { id, name, redirect_uris_json,
		logout_uris_json, grant_types_json, ttl };
	int rc;

	snprintf(ttl, sizeof(ttl), "%lld", (long long)ttl_s);
	if ((rc = db_exec_text(db, STMT_CIMD_UPSERT, params, &count)) ==
	    PERR_OK && strcmp(count, "1") != 0)
		rc = PERR_CONFLICT;
	free(count);
	return rc;
}

static const char *
pg_bool(bool b)
{
	return b ? "true" : "false";
}

int
store_cimd_admin_update(struct db *db, const struct store_client_write *w,
    char **json)
{
	char access[24], refresh[24];
	const char *params[9] = { w->id, w->description,
		pg_bool(w->requires_reauthentication), pg_bool(w->requires_par),
		pg_bool(w->skip_consent), w->launch_url,
		pg_bool(w->is_group_restricted), access, refresh };

	snprintf(access, sizeof(access), "%lld",
	    (long long)w->access_token_minutes);
	snprintf(refresh, sizeof(refresh), "%lld",
	    (long long)w->refresh_token_minutes);
	return db_exec_text(db, STMT_CIMD_ADMIN_UPDATE, params, json);
}
