/*
 * id_token_hint: the ID token a client passes back to /authorize to say
 * which user it expects (OIDC Core §3.1.2.1). It must be one we issued:
 * signature by a key of our keyring, our issuer, type id-token. It may
 * have expired (the hint is usually old), so it is verified as of its own
 * iat, which the signature then vouches for.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "codec/codec.h"
#include "conf/conf.h"
#include "jose/jose.h"
#include "keys/keys.h"
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
authz_id_token_hint_sub(struct app_call *call, const char *hint, char **sub)
{
	struct jwt_expect expect = { 0 };
	struct jwt_claims *claims = NULL;
	const char *why = NULL, *s, *type;
	int rc = PERR_VERIFY;

	*sub = NULL;
	expect.now = claimed_iat(hint);
	expect.iss = call->app->settings->app_url;
	expect.iat_required = true;
	if (expect.now > 0 && keys_verify_jwt(call->app->keys, hint,
	    strlen(hint), &expect, &claims, &why) == PERR_OK &&
	    (s = jwt_claims_string(claims, "sub")) != NULL &&
	    (type = jwt_claims_string(claims, "type")) != NULL &&
	    strcmp(type, "id-token") == 0)
		rc = (*sub = str_dup(s)) != NULL ? PERR_OK : PERR_NOMEM;
	jwt_claims_free(claims);
	return rc;
}
