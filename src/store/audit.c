/*
 * audit: appends audit-log rows (spec §8) and reads stored application
 * settings. What an event means, and when to write it, is the caller's.
 */
#include "common/common.h"
#include "crypto/crypto.h"
#include "store/internal.h"

int
store_audit_add(struct db *db, const char *event, const char *user_id,
    const char *ip, const char *user_agent, const char *data_json,
    const char *country, const char *city)
{
	char id[STORE_ID_LEN + 1];
	const char *params[8] = { id, event,
		ip != NULL && ip[0] != '\0' ? ip : NULL,
		data_json != NULL ? data_json : "{}", user_id, user_agent,
		country, city };
	int rc;

	if ((rc = crypto_uuid_v4(id)) != PERR_OK)
		return rc;
	return db_exec(db, STMT_AUDIT_INSERT, params, NULL);
}

int
store_app_config_get(struct db *db, const char *key, char **value)
{
	const char *params[1] = { key };

	return db_exec_text(db, STMT_APP_CONFIG_GET, params, value);
}

int
store_app_config_set(struct db *db, const char *key, const char *value)
{
	const char *params[2] = { key, value };

	return db_exec(db, STMT_APP_CONFIG_SET, params, NULL);
}
