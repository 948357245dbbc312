/*
 * oidc_par: the pushed authorization requests of RFC 9126, kept by the
 * SHA-256 of their request_uri. Taking one is a single conditional UPDATE,
 * so a request_uri is used at most once even when two requests race.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

int
store_oidc_par_save(struct db *db, const char *request_uri_hash,
    const char *client_id, const char *parameters, int expires_seconds)
{
	char expires[16];
	const char *params[4] = { request_uri_hash, client_id, parameters,
		expires };

	snprintf(expires, sizeof(expires), "%d", expires_seconds);
	return db_exec(db, STMT_PAR_SAVE, params, NULL);
}

int
store_oidc_par_take(struct db *db, const char *request_uri_hash,
    const char *client_id, char **parameters)
{
	const char *params[2] = { request_uri_hash, client_id };
	PGresult *res = NULL;
	int rc;

	*parameters = NULL;
	if ((rc = db_exec(db, STMT_PAR_TAKE, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = PERR_NOT_FOUND;
	else if ((*parameters = str_dup(PQgetvalue(res, 0, 0))) == NULL)
		rc = PERR_NOMEM;
	PQclear(res);
	return rc;
}
