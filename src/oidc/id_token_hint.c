/*
 * id_token_hint: the ID token a client passes back to /authorize (OIDC
 * Core §3.1.2.1) or to end-session to say which user it means. It must be
 * one we issued: signature by a key of our keyring, our issuer, type
 * id-token. It may have expired (the hint is usually old), so it is
 * verified as of its own iat, which the signature then vouches for.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "codec/codec.h"
#include "conf/conf.h"
#include "jose/jose.h"
#include "keys/keys.h"
#include "oidc/oidc.h"
#include "oidc/authz.h"

/* The iat claim read before verification (0 when unreadable). */
static int64_t
claimed_iat(const char *token)
{
	const char *a = strchr(token, '.'), *b = a != NULL ?
	    strchr(a + 1, '.') : NULL;
	struct jwt_claims *claims = NULL;
	uint8_t *payload = NULL;
	size_t len = 0;
	int64_t iat = 0;

	if (b != NULL && b64url_decode(a + 1, (size_t)(b - a - 1), &payload,
	    &len) == PERR_OK && jwt_claims_parse(payload, len, &claims,
	    NULL) == PERR_OK)
		(void)jwt_claims_int64(claims, "iat", &iat);
	jwt_claims_free(claims);
	free(payload);
	return iat;
}

int
oidc_id_token_verify(struct app_call *call, const char *token,
    struct jwt_claims **claims)
{
	struct jwt_expect expect = { 0 };
	const char *why = NULL, *type;

	*claims = NULL;
	expect.now = claimed_iat(token);
	expect.iss = call->app->settings->app_url;
	expect.iat_required = true;
	if (expect.now <= 0 || keys_verify_jwt(call->app->keys, token,
	    strlen(token), &expect, claims, &why) != PERR_OK)
		return PERR_VERIFY;
	type = jwt_claims_string(*claims, "type");
	if (type == NULL || strcmp(type, "id-token") != 0) {
		jwt_claims_free(*claims);
		*claims = NULL;
		return PERR_VERIFY;
	}
	return PERR_OK;
}

int
authz_id_token_hint_sub(struct app_call *call, const char *hint, char **sub)
{
	struct jwt_claims *claims = NULL;
	const char *s;
	int rc = PERR_VERIFY;

	*sub = NULL;
	if (oidc_id_token_verify(call, hint, &claims) == PERR_OK &&
	    (s = jwt_claims_string(claims, "sub")) != NULL)
		rc = (*sub = str_dup(s)) != NULL ? PERR_OK : PERR_NOMEM;
	jwt_claims_free(claims);
	return rc;
}
