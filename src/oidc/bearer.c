/*
 * bearer: reading the tokens we issued back: access tokens (a JWT whose
 * jti row must still exist, so revocation is immediate) and refresh
 * tokens (looked up by hash without being used up), for userinfo,
 * introspection, revocation and logout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/common.h"
#include "conf/conf.h"
#include "jose/jose.h"
#include "keys/keys.h"
#include "store/store.h"
#include "oidc/oidc.h"

#define ACCESS_SKEW_S 60

/* Verifies the JWT (signature, iss, typ at+jwt, exp) and copies its jti. */
static int
access_token_jti(struct app_call *call, const char *token,
    char jti[STORE_ID_LEN + 1], const char **why)
{
	struct jwt_expect expect = { 0 };
	struct jwt_claims *claims = NULL;
	const char *id;
	int rc;

	expect.now = (int64_t)time(NULL);
	expect.skew = ACCESS_SKEW_S;
	expect.iss = call->app->settings->app_url;
	expect.typ = "at+jwt";
	expect.typ_required = true;
	expect.exp_required = true;
	if ((rc = keys_verify_jwt(call->app->keys, token, strlen(token),
	    &expect, &claims, why)) != PERR_OK)
		return rc;
	if ((id = jwt_claims_string(claims, "jti")) == NULL ||
	    !str_is_uuid(id)) {
		*why = "the token has no jti";
		rc = PERR_VERIFY;
	} else {
		snprintf(jti, STORE_ID_LEN + 1, "%s", id);
	}
	jwt_claims_free(claims);
	return rc;
}

int
oidc_access_token_check(struct app_call *call, const char *token,
    struct store_access *row, const char **why)
{
	char jti[STORE_ID_LEN + 1];
	int rc;

	if ((rc = access_token_jti(call, token, jti, why)) == PERR_OK &&
	    (rc = store_oidc_access_find(call->app->db, jti, row)) ==
	    PERR_NOT_FOUND) {
		*why = "the token was revoked";
		rc = PERR_VERIFY;
	}
	return rc;
}

int
oidc_access_token_userinfo(struct app_call *call, const char *token,
    struct store_access *row, char **claims, bool *user_enabled,
    const char **why)
{
	char jti[STORE_ID_LEN + 1];
	int rc;

	*claims = NULL;
	*user_enabled = false;
	if ((rc = access_token_jti(call, token, jti, why)) == PERR_OK &&
	    (rc = store_oidc_access_userinfo(call->app->db, jti,
	    call->app->settings->app_url, row, claims, user_enabled)) ==
	    PERR_NOT_FOUND) {
		*why = "the token was revoked";
		rc = PERR_VERIFY;
	}
	return rc;
}

/* The second word of "Authorization: Bearer <token>", or NULL. */
char *
oidc_bearer_token(const struct app_call *call)
{
	const char *h = http_param(call->req, "HTTP_AUTHORIZATION");

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return *h != '\0' ? str_dup(h) : NULL;
}
