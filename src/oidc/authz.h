/*
 * authz: what /authorize and the interaction endpoints share: the parsed
 * authorization request, the steps a user still has to take, and issuing
 * the code. Private to src/oidc.
 */
#ifndef POCKETID_OIDC_AUTHZ_H
#define POCKETID_OIDC_AUTHZ_H

#include "auth/auth.h"
#include "oidc/oidc_client.h"

/* The authorization request parameters we act on (spec §1.1). */
struct authz_request {
	char *client_id, *redirect_uri, *response_type, *response_mode;
	char *scope, *state, *nonce, *code_challenge, *code_challenge_method;
	char *prompt, *max_age;
	char *resource;		/* RFC 8707 (spec §2.11; api.h) */
	/* OIDC Core §3.1.2.1: our own ID token naming the expected user. */
	char *id_token_hint;
};

/* The steps of spec §1.1, in the order they are taken. */
enum authz_step {
	AUTHZ_AUTHENTICATE = 1 << 0,
	AUTHZ_SELECT_ACCOUNT = 1 << 1,
	AUTHZ_REAUTHENTICATE = 1 << 2,
	AUTHZ_CONSENT = 1 << 3,
};

void authz_request_clear(struct authz_request *a);
/* The parameters by index, in a fixed order: the wire name (NULL past the
 * last) and the member holding it. */
const char *authz_request_field_name(size_t i);
char **authz_request_field(struct authz_request *a, size_t i);
/* The request as a JSON object (for the interaction row); caller frees. */
char *authz_request_to_json(const struct authz_request *a);
int authz_request_from_json(const char *json, struct authz_request *a);
/* The request's parameters from a form body (PAR); PERR_INVALID when one
 * is badly encoded. */
int authz_request_from_form(struct app_call *call, struct authz_request *a);

/* Pushed authorization requests (RFC 9126, par.c). */
#define AUTHZ_PAR_URI_PREFIX "urn:ietf:params:oauth:request_uri:"
#define AUTHZ_PAR_SECONDS 90
/*
 * Replaces *a with the pushed request that request_uri names, using it up;
 * client_id (the front channel's) must be the client that pushed it.
 * PERR_NOT_FOUND when there is no such live request.
 */
int authz_par_take(struct app_call *call, const char *request_uri,
    const char *client_id, struct authz_request *a);

/* Unsigned request objects (OIDC Core §6.1, RFC 9101; request_object.c). */
#define AUTHZ_REQUEST_OBJECT_MAX_LEN (16u * 1024u)
/*
 * Lays the parameters of an unsigned request object (a JWS with alg
 * "none" and no signature) over *a: what it names wins. exp and nbf, when
 * present, are checked against now; a client_id inside must equal a's.
 * *a is untouched on error. PERR_INVALID with *why (static text) when it
 * is malformed, signed, expired or names another client; PERR_NOMEM.
 */
int authz_request_object_apply(const char *jwt, size_t len, int64_t now,
    struct authz_request *a, const char **why);

/*
 * id_token_hint (id_token_hint.c): an ID token we issued, verified with
 * the keyring as of its iat (an expired one still names its user).
 * *sub (caller frees) is its subject. PERR_VERIFY when it is not ours.
 */
int authz_id_token_hint_sub(struct app_call *call, const char *hint,
    char **sub);

/* Steps <-> JSON array of names. */
char *authz_steps_to_json(unsigned steps);
unsigned authz_steps_from_json(const char *json);
/* The first step's name, or NULL when none remain. */
const char *authz_step_name(unsigned steps);

/*
 * The steps user_id still has to take for the request: account selection
 * and consent per prompt, client settings and stored consent;
 * reauthentication per prompt=login, the client and max_age against
 * auth_time.
 */
int authz_steps_for_user(struct app_call *call, const struct oidc_client *c,
    const struct authz_request *a, const char *user_id, int64_t auth_time,
    unsigned *steps);

/* Merges the request's consent and writes the audit event. */
int authz_consent(struct app_call *call, const struct oidc_client *c,
    const struct authz_request *a, const char *user_id, bool final);

/* The interaction document of GET /api/oidc/interactions/:id. */
char *authz_interaction_json(struct app_call *call, const char *id,
    const struct oidc_client *c, const struct authz_request *a,
    unsigned steps);

#endif
