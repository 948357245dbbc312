/*
 * oidc: the OpenID Connect provider's protocol endpoints (spec §1.1, §2):
 * discovery, /authorize with its interactions, the token endpoint and its
 * grants, userinfo, introspection, revocation and RP-initiated logout.
 * Clients, redirect patterns, client authentication and consent records
 * are oidc_client.h's. Tokens are signed by the worker's keyring
 * (src/keys); state lives in PostgreSQL (src/store/oidc.c).
 */
#ifndef POCKETID_OIDC_H
#define POCKETID_OIDC_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"

/* Lifetimes (spec §2.4). */
#define OIDC_CODE_SECONDS (15 * 60)
#define OIDC_ID_TOKEN_SECONDS 3600
#define OIDC_INTERACTION_SECONDS 3600
#define OIDC_REAUTH_VALID_SECONDS 300
#define OIDC_DEVICE_CODE_SECONDS (15 * 60)
#define OIDC_DEVICE_INTERVAL_SECONDS 5

/* The standard scopes we know; unknown scopes are dropped (spec §2.3). */
enum oidc_scope_bit {
	OIDC_SCOPE_OPENID = 1 << 0,
	OIDC_SCOPE_PROFILE = 1 << 1,
	OIDC_SCOPE_EMAIL = 1 << 2,
	OIDC_SCOPE_GROUPS = 1 << 3,
	OIDC_SCOPE_OFFLINE_ACCESS = 1 << 4,
};
/* The known scopes of a space-separated list, as bits. */
unsigned oidc_scope_parse(const char *scope);
/* The bits as a space-separated list in canonical order (caller frees). */
char *oidc_scope_string(unsigned bits);
/* The consent keys of the bits (static names); returns how many. */
size_t oidc_scope_keys(unsigned bits, const char *keys[5]);
/* The identity scopes: they add the issuer to an access token's aud. */
#define OIDC_IDENTITY_SCOPES \
	(OIDC_SCOPE_OPENID | OIDC_SCOPE_PROFILE | OIDC_SCOPE_EMAIL | \
	OIDC_SCOPE_GROUPS)

/* RFC 6749 error answered as JSON (spec §2.14), never cached. */
void oidc_error(struct app_call *call, int status, const char *error,
    const char *description);
/* oidc_error with the status spec §2.14 gives the code (401
 * invalid_client and request_unauthorized, 403 access_denied, 500
 * server_error, else 400). */
void oidc_error_of(struct app_call *call, const char *error,
    const char *description);

/*
 * What the token endpoint hands out for one user or client: minted and
 * recorded together. grant_id NULL for client credentials.
 */
struct oidc_issue {
	const char *grant_id;
	const char *client_id;
	const char *user_id;		/* NULL: client credentials */
	unsigned scope_bits;
	const char *nonce;		/* "" or NULL: none */
	int64_t auth_time;
	const char *amr;		/* "phr", "otp", "" */
	int64_t access_minutes;
	int64_t refresh_minutes;	/* 0: no refresh token */
	const char *user_claims;	/* read with the grant; NULL: load */
	/* RFC 8707 (api.h): the API's resource URI and the granted
	 * permission keys, space-separated; NULL: audience is the client. */
	const char *resource;
	const char *permissions;
};
/* Mints the tokens and answers the token request with them. */
void oidc_issue_tokens(struct app_call *call, const struct oidc_issue *is);
/*
 * The ID token and access token payloads (JSON, caller frees) that *is
 * (a user's) would get at now, unsigned and not recorded: the admin's
 * client preview (spec §1.7). PERR_NOT_FOUND: no such user.
 */
int oidc_token_payloads(struct app_call *call, const struct oidc_issue *is,
    int64_t now, char **id_claims, char **access_claims_json);

struct store_access;
struct oidc_client;
/*
 * Verifies an access token we issued (signature, iss, typ at+jwt, exp)
 * and finds its row (*row, clear with store_oidc_access_clear).
 * PERR_VERIFY/PERR_EXPIRED with *why when it does not stand.
 */
int oidc_access_token_check(struct app_call *call, const char *token,
    struct store_access *row, const char **why);
/*
 * As oidc_access_token_check, reading in the same round trip the claims
 * of the token's scopes (*claims, caller frees; NULL without openid or
 * user) and whether its user exists and is enabled (userinfo).
 */
int oidc_access_token_userinfo(struct app_call *call, const char *token,
    struct store_access *row, char **claims, bool *user_enabled,
    const char **why);
/*
 * An ID token we issued (id_token_hint.c): signed by a key of our keyring,
 * our iss, type id-token; verified as of its own iat, so an expired one
 * still names its user (id_token_hint at /authorize and end-session).
 * *claims: jwt_claims_free. PERR_VERIFY when it is not ours.
 */
struct jwt_claims;
int oidc_id_token_verify(struct app_call *call, const char *token,
    struct jwt_claims **claims);
/* The token of an "Authorization: Bearer" header (caller frees), or NULL. */
char *oidc_bearer_token(const struct app_call *call);

/*
 * Spec §2.10 at the token endpoint: the user still exists, is enabled and
 * may use the client. On false the error response is set (token.c).
 */
bool oidc_token_user_allowed(struct app_call *call,
    const struct oidc_client *c, const char *user_id);

/* ---- device authorization grant (RFC 8628; device.c) ---------------- */

/* "E" and 7 characters of an alphabet without I, L, O (spec §1.1). */
#define OIDC_USER_CODE_LEN 8
/* A fresh user code. PERR_CRYPTO. */
int oidc_device_user_code_make(char out[OIDC_USER_CODE_LEN + 1]);
/*
 * A typed user code as stored: surrounding white space trimmed, upper
 * case, I read as 1 and O as 0. False when it cannot be a user code.
 */
bool oidc_device_user_code_normalize(const char *in,
    char out[OIDC_USER_CODE_LEN + 1]);
/* The device_code grant of the token endpoint (token.c's table). */
void oidc_grant_device_code(struct app_call *call,
    const struct oidc_client *c);

/* Handlers (routes.c lists them). */
void oidc_discovery(struct app_call *call);
void oidc_authorize(struct app_call *call);
void oidc_interaction_get(struct app_call *call);
void oidc_interaction_complete(struct app_call *call);
void oidc_token(struct app_call *call);
void oidc_userinfo(struct app_call *call);
void oidc_introspect(struct app_call *call);
void oidc_revoke(struct app_call *call);
void oidc_end_session(struct app_call *call);
void oidc_device_authorize(struct app_call *call);
void oidc_device_info(struct app_call *call);
void oidc_device_verify(struct app_call *call);
void oidc_par(struct app_call *call);
/* GET /api/oidc/clients/:id/preview/:userId (preview.c). */
void oidc_client_preview(struct app_call *call);

#endif
