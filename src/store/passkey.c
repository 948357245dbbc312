/*
 * passkey: WebAuthn ceremonies in flight (single use, 60 s) and the
 * credentials they register. Binary values travel as base64 text
 * parameters and are decoded by PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "store/internal.h"

int
store_webauthn_session_create(struct db *db, const char *challenge,
    const char *user_verification, const char *credential_params,
    const char *user_id, int64_t ttl_seconds, char id[STORE_ID_LEN + 1])
{
	char ttl[24];
	const char *params[6] = { id, challenge, ttl, user_verification,
		credential_params, user_id };
	int rc;

	if ((rc = crypto_uuid_v4(id)) != PERR_OK)
		return rc;
	snprintf(ttl, sizeof(ttl), "%lld", (long long)ttl_seconds);
	return db_exec(db, STMT_WA_SESSION_INSERT, params, NULL);
}

int
store_webauthn_session_take(struct db *db, const char *id,
    struct store_webauthn_session *out)
{
	const char *params[1] = { id };
	PGresult *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_exec(db, STMT_WA_SESSION_TAKE, params, &res)) != PERR_OK)
		return rc;
	/* Expired rows are consumed too, and count as unknown. */
	if (PQntuples(res) != 1 || PQgetvalue(res, 0, 4)[0] != 't') {
		rc = PERR_NOT_FOUND;
		goto out;
	}
	snprintf(out->user_verification, sizeof(out->user_verification), "%s",
	    PQgetvalue(res, 0, 1));
	snprintf(out->user_id, sizeof(out->user_id), "%s",
	    PQgetvalue(res, 0, 3));
	if ((out->challenge = str_dup(PQgetvalue(res, 0, 0))) == NULL ||
	    (out->credential_params = str_dup(PQgetvalue(res, 0, 2))) ==
	    NULL) {
		store_webauthn_session_clear(out);
		rc = PERR_NOMEM;
	}
out:
	PQclear(res);
	return rc;
}

void
store_webauthn_session_clear(struct store_webauthn_session *s)
{
	free(s->challenge);
	free(s->credential_params);
	memset(s, 0, sizeof(*s));
}

int
store_credential_add(struct db *db, const struct store_credential_new *c,
    char **dto_json)
{
	char id[STORE_ID_LEN + 1], count[16];
	char *cred_b64 = NULL, *key_b64 = NULL;
	const char *params[11];
	const char *dto_params[2] = { id, c->user_id };
	int rc;

	*dto_json = NULL;
	if ((rc = crypto_uuid_v4(id)) != PERR_OK)
		return rc;
	cred_b64 = b64_encode(c->credential_id, c->credential_id_len, NULL);
	key_b64 = b64_encode(c->public_key, c->public_key_len, NULL);
	if (cred_b64 == NULL || key_b64 == NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	snprintf(count, sizeof(count), "%u", c->sign_count);
	params[0] = id;
	params[1] = c->name;
	params[2] = cred_b64;
	params[3] = key_b64;
	params[4] = c->attestation_type;
	params[5] = c->transports_json;
	params[6] = c->user_id;
	params[7] = c->backup_eligible ? "true" : "false";
	params[8] = c->backup_state ? "true" : "false";
	params[9] = count;
	params[10] = c->aaguid;
	if ((rc = db_exec(db, STMT_CRED_INSERT, params, NULL)) == PERR_OK)
		rc = db_exec_text(db, STMT_CRED_DTO, dto_params, dto_json);
out:
	free(cred_b64);
	free(key_b64);
	return rc;
}

int
store_credential_find(struct db *db, const uint8_t *credential_id, size_t len,
    struct store_credential *out)
{
	const char *params[1];
	PGresult *res = NULL;
	char *cred_b64;
	const char *key_b64;
	int64_t count = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((cred_b64 = b64_encode(credential_id, len, NULL)) == NULL)
		return PERR_NOMEM;
	params[0] = cred_b64;
	rc = db_exec(db, STMT_CRED_FIND, params, &res);
	free(cred_b64);
	if (rc != PERR_OK)
		return rc;
	if (PQntuples(res) != 1) {
		rc = PERR_NOT_FOUND;
		goto out;
	}
	snprintf(out->id, sizeof(out->id), "%s", PQgetvalue(res, 0, 0));
	snprintf(out->user_id, sizeof(out->user_id), "%s",
	    PQgetvalue(res, 0, 1));
	key_b64 = PQgetvalue(res, 0, 2);
	if ((rc = b64_decode(key_b64, strlen(key_b64), &out->public_key,
	    &out->public_key_len)) != PERR_OK)
		goto out;
	if ((rc = str_to_int64(PQgetvalue(res, 0, 3), 0, UINT32_MAX,
	    &count)) != PERR_OK)
		goto out;
	out->sign_count = (uint32_t)count;
	out->backup_eligible = PQgetvalue(res, 0, 4)[0] == 't';
	out->user_disabled = PQgetvalue(res, 0, 5)[0] == 't';
out:
	if (rc != PERR_OK)
		store_credential_clear(out);
	PQclear(res);
	return rc;
}

void
store_credential_clear(struct store_credential *c)
{
	free(c->public_key);
	memset(c, 0, sizeof(*c));
}

int
store_credential_used(struct db *db, const char *id, uint32_t sign_count,
    bool backup_state)
{
	char count[16];
	const char *params[3] = { id, count, backup_state ? "true" : "false" };

	snprintf(count, sizeof(count), "%u", sign_count);
	return db_exec(db, STMT_CRED_USED, params, NULL);
}

int
store_credential_list(struct db *db, const char *user_id, char **json)
{
	const char *params[1] = { user_id };

	return db_exec_text(db, STMT_CRED_LIST, params, json);
}

int
store_credential_rename(struct db *db, const char *id, const char *user_id,
    const char *name, char **dto_json)
{
	const char *params[3] = { id, user_id, name };

	return db_exec_text(db, STMT_CRED_RENAME, params, dto_json);
}

int
store_credential_delete(struct db *db, const char *id, const char *user_id,
    char **name, char **credential_id_hex)
{
	const char *params[2] = { id, user_id };
	PGresult *res = NULL;
	int rc;

	*name = *credential_id_hex = NULL;
	if ((rc = db_exec(db, STMT_CRED_DELETE, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) != 1)
		rc = PERR_NOT_FOUND;
	else if ((*name = str_dup(PQgetvalue(res, 0, 0))) == NULL ||
	    (*credential_id_hex = str_dup(PQgetvalue(res, 0, 1))) == NULL)
		rc = PERR_NOMEM;
	PQclear(res);
	return rc;
}

int
store_credential_exclude_list(struct db *db, const char *user_id, char **json)
{
	const char *params[1] = { user_id };

	return db_exec_text(db, STMT_CRED_EXCLUDE, params, json);
}
