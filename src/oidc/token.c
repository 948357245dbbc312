/*
 * token: POST /api/oidc/token (spec §1.1, §2.5, RFC 6749 §4.1.3, §6,
 * §4.4, RFC 7636). Authenticates the client, then runs one grant: the
 * authorization code (single use; a replay revokes the grant), the
 * refresh token (rotation; reusing a rotated token revokes the family) or
 * client credentials. The user is re-validated at every user grant.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/common.h"
#include "codec/codec.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/oidc_client.h"
#include "oidc/api.h"

#define VERIFIER_MIN 43
#define VERIFIER_MAX 128

/* A form parameter, or NULL; *bad set when its encoding is broken. */
static char *
form(struct app_call *call, const char *name, bool *bad)
{
	int err;
	char *v = http_form_get(call->req, name, &err);

	if (err != PERR_OK)
		*bad = true;
	return v;
}

/* RFC 7636 §4.6: the verifier must hash (S256) or equal (plain) the
 * challenge. */
static bool
is_pkce_ok(const struct store_grant_use *g, const char *verifier)
{
	uint8_t digest[32];
	char *computed;
	bool ok;
	size_t i, n;

	if (g->code_challenge[0] == '\0')
		return verifier == NULL;
	if (verifier == NULL || (n = strlen(verifier)) < VERIFIER_MIN ||
	    n > VERIFIER_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789-._~", verifier[i]) == NULL)
			return false;
	if (strcmp(g->code_challenge_method, "plain") == 0)
		return strlen(g->code_challenge) == n &&
		    CRYPTO_memcmp(g->code_challenge, verifier, n) == 0;
	if (crypto_hash(CRYPTO_HASH_SHA256, verifier, n, digest) != PERR_OK ||
	    (computed = b64url_encode(digest, sizeof(digest), NULL)) == NULL)
		return false;
	ok = strlen(computed) == strlen(g->code_challenge) &&
	    CRYPTO_memcmp(computed, g->code_challenge, strlen(computed)) == 0;
	free(computed);
	return ok;
}

/* Spec §2.10: the user still exists, is enabled and may use the client. */
bool
oidc_token_user_allowed(struct app_call *call, const struct oidc_client *c,
    const char *user_id)
{
	bool disabled = false, allowed = false;

	if (store_user_is_disabled(call->app->db, user_id, &disabled) !=
	    PERR_OK || disabled) {
		oidc_error(call, 400, "invalid_grant",
		    "The user no longer exists or is disabled");
		return false;
	}
	if (oidc_client_allows_user(call->app->db, c, user_id, &allowed) !=
	    PERR_OK || !allowed) {
		oidc_error(call, 403, "access_denied",
		    "The user may no longer use this client");
		return false;
	}
	return true;
}

/* Spec §2.10 from what the taking statement read (as the function above). */
static bool
is_grant_user_ok(struct app_call *call, const struct store_grant_use *g)
{
	if (!g->user_enabled) {
		oidc_error(call, 400, "invalid_grant",
		    "The user no longer exists or is disabled");
		return false;
	}
	if (!g->group_allowed) {
		oidc_error(call, 403, "access_denied",
		    "The user may no longer use this client");
		return false;
	}
	return true;
}

/* Checks a taken code or refresh token; revokes the grant on replay. */
static bool
is_use_ok(struct app_call *call, const struct oidc_client *c,
    const struct store_grant_use *g, const char *what)
{
	if (!g->fresh || !g->grant_active) {
		/* RFC 6749 §4.1.2 / RFC 9700 §4.14: replay revokes the grant. */
		(void)store_oidc_grant_revoke(call->app->db, g->grant_id);
		log_warn("client %s replayed a %s; grant %s revoked", c->id,
		    what, g->grant_id);
		oidc_error(call, 400, "invalid_grant", "The grant was already "
		    "used; its tokens have been revoked");
		return false;
	}
	if (strcmp(g->client_id, c->id) != 0 || !g->unexpired) {
		oidc_error(call, 400, "invalid_grant",
		    "The grant is expired or belongs to another client");
		return false;
	}
	return true;
}

static void
issue_for_grant(struct app_call *call, const struct oidc_client *c,
    const struct store_grant_use *g, unsigned scope_bits,
    const struct oidc_target *t)
{
	struct oidc_issue is = { 0 };

	is.resource = t->resource;
	is.permissions = t->permissions;

	is.grant_id = g->grant_id;
	is.client_id = c->id;
	is.user_id = g->user_id;
	is.scope_bits = scope_bits;
	is.nonce = g->nonce;
	is.auth_time = g->auth_time;
	is.amr = g->amr;
	is.access_minutes = c->access_token_minutes;
	is.refresh_minutes = oidc_client_refresh_minutes(call->app->db, c);
	is.user_claims = g->claims;
	oidc_issue_tokens(call, &is);
}

static void
grant_authorization_code(struct app_call *call, const struct oidc_client *c)
{
	struct store_grant_use g = { 0 };
	struct oidc_target t = { 0 };
	char *code = NULL, *redirect = NULL, *verifier = NULL, hash[65];
	bool bad = false;
	int rc;

	code = form(call, "code", &bad);
	redirect = form(call, "redirect_uri", &bad);
	verifier = form(call, "code_verifier", &bad);
	if (bad || code == NULL) {
		oidc_error(call, 400, "invalid_request",
		    "The code parameter is missing");
		goto out;
	}
	if ((rc = auth_token_hash(code, hash)) == PERR_OK)
		rc = store_oidc_code_take(call->app->db, hash,
		    call->app->settings->app_url, &g);
	if (rc == PERR_NOT_FOUND) {
		oidc_error(call, 400, "invalid_grant",
		    "The authorization code is invalid");
		goto out;
	}
	if (rc != PERR_OK) {
		oidc_error(call, 500, "server_error", NULL);
		goto out;
	}
	if (!is_use_ok(call, c, &g, "authorization code"))
		goto out;
	/* RFC 6749 §4.1.3: the same redirect_uri as at /authorize. */
	if (g.redirect_uri[0] != '\0' && (redirect == NULL ||
	    strcmp(redirect, g.redirect_uri) != 0)) {
		oidc_error(call, 400, "invalid_grant",
		    "redirect_uri differs from the authorization request");
		goto out;
	}
	if (!is_pkce_ok(&g, verifier)) {
		oidc_error(call, 400, "invalid_grant",
		    "The PKCE code_verifier does not match the challenge");
		goto out;
	}
	/* Spec §2.11: the resource authorized, and no other. */
	if (is_grant_user_ok(call, &g) &&
	    oidc_resource_for_grant(call, c, g.grant_id, g.resource, g.scope,
	    NULL, false, &t))
		issue_for_grant(call, c, &g, oidc_scope_parse(g.scope), &t);
out:
	oidc_target_clear(&t);
	store_oidc_grant_use_clear(&g);
	str_free_secret(code);
	free(redirect);
	str_free_secret(verifier);
}

static void
grant_refresh_token(struct app_call *call, const struct oidc_client *c)
{
	struct store_grant_use g = { 0 };
	struct oidc_target t = { 0 };
	char *token = NULL, *scope = NULL, hash[65];
	unsigned granted, wanted;
	bool bad = false;
	int rc;

	token = form(call, "refresh_token", &bad);
	scope = form(call, "scope", &bad);
	if (bad || token == NULL) {
		oidc_error(call, 400, "invalid_request",
		    "The refresh_token parameter is missing");
		goto out;
	}
	if ((rc = auth_token_hash(token, hash)) == PERR_OK)
		rc = store_oidc_refresh_take(call->app->db, hash,
		    call->app->settings->app_url, scope, &g);
	if (rc == PERR_NOT_FOUND) {
		oidc_error(call, 400, "invalid_grant",
		    "The refresh token is invalid");
		goto out;
	}
	if (rc != PERR_OK) {
		oidc_error(call, 500, "server_error", NULL);
		goto out;
	}
	if (!is_use_ok(call, c, &g, "refresh token"))
		goto out;
	granted = oidc_scope_parse(g.scope);
	wanted = scope != NULL ? oidc_scope_parse(scope) : granted;
	/* RFC 6749 §6: a narrower scope, never a wider one. */
	if ((wanted & ~granted) != 0) {
		oidc_error(call, 400, "invalid_scope",
		    "The requested scope exceeds the one granted");
		goto out;
	}
	/* Spec §2.11: one API, re-checked against the current grants. */
	if (is_grant_user_ok(call, &g) &&
	    oidc_resource_for_grant(call, c, g.grant_id, g.resource, g.scope,
	    scope != NULL ? scope : g.scope, true, &t))
		issue_for_grant(call, c, &g, wanted, &t);
out:
	oidc_target_clear(&t);
	store_oidc_grant_use_clear(&g);
	str_free_secret(token);
	free(scope);
}

static void
grant_client_credentials(struct app_call *call, const struct oidc_client *c)
{
	struct oidc_issue is = { 0 };
	struct oidc_target t = { 0 };
	const char *error, *why = NULL;
	char *scope = NULL, *resource = NULL;
	bool bad = false;

	if (c->is_public) {
		oidc_error(call, 400, "unauthorized_client",
		    "Public clients cannot use client credentials");
		return;
	}
	scope = form(call, "scope", &bad);
	resource = form(call, "resource", &bad);
	if (bad) {
		oidc_error(call, 400, "invalid_request",
		    "A parameter is not encoded correctly");
		goto out;
	}
	/* Spec §2.11: the client's own (M2M) grants; all of them when no
	 * permission is asked. */
	if ((error = oidc_resource_resolve(call, c, resource,
	    scope != NULL ? scope : "", OIDC_SUBJECT_CLIENT, true, &t,
	    &why)) != NULL) {
		oidc_error_of(call, error, why);
		goto out;
	}
	/* Identity scopes mean nothing without a user (spec §1.1). */
	is.client_id = c->id;
	is.access_minutes = c->access_token_minutes;
	is.resource = t.resource;
	is.permissions = t.permissions;
	oidc_issue_tokens(call, &is);
out:
	oidc_target_clear(&t);
	free(scope);
	free(resource);
}

static const struct {
	const char *grant_type;
	void (*run)(struct app_call *call, const struct oidc_client *c);
} grants[] = {
	{ "authorization_code", grant_authorization_code },
	{ "refresh_token", grant_refresh_token },
	{ "client_credentials", grant_client_credentials },
	{ "urn:ietf:params:oauth:grant-type:device_code",
	  oidc_grant_device_code },
};

void
oidc_token(struct app_call *call)
{
	struct oidc_client *c = NULL;
	char *grant_type = NULL;
	bool bad = false;
	size_t i;

	http_response_header(call->res, "Access-Control-Allow-Origin", "*");
	if (http_params_have_duplicates(call->req)) {
		oidc_error(call, 400, "invalid_request",
		    "A parameter was sent more than once");
		goto out;
	}
	grant_type = form(call, "grant_type", &bad);
	if (bad || grant_type == NULL) {
		oidc_error(call, 400, "invalid_request",
		    "grant_type is missing (the body must be a form)");
		goto out;
	}
	if (!oidc_client_from_request(call, &c))
		goto out;
	for (i = 0; i < sizeof(grants) / sizeof(grants[0]); i++)
		if (strcmp(grants[i].grant_type, grant_type) == 0) {
			grants[i].run(call, c);
			goto out;
		}
	oidc_error(call, 400, "unsupported_grant_type",
	    "This grant type is not supported");
out:
	oidc_client_free(c);
	free(grant_type);
}
