/*
 * client_revoke_stub: a placeholder for oidc_tokens_revoke_for until the
 * token code exists. XXX(issue 5): it revokes nothing; the lead deletes
 * this file when the real one lands.
 */
#include "common/common.h"
#include "oidc/oidc_client.h"

int
oidc_tokens_revoke_for(struct db *db, const char *user_id,
    const char *client_id)
{
	(void)db;
	(void)user_id;
	(void)client_id;
	return PERR_OK;
}
