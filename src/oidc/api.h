/*
 * api: OAuth APIs, the resource servers of RFC 8707 (spec §1.8, §2.11):
 * the admin handlers (api_admin.c) and the resolution of a request's
 * resource and scope against a client's grants (resource.c), which
 * /authorize, PAR, the device and token endpoints and mint.c share.
 */
#ifndef POCKETID_OIDC_API_H
#define POCKETID_OIDC_API_H

#include <stdbool.h>
#include <stddef.h>

#include "auth/auth.h"

struct oidc_client;
struct authz_request;

#define OIDC_RESOURCE_MAX 350		/* bytes of a resource URI */
#define OIDC_RESOURCE_COLLAPSED \
	"The 'resource' or 'scope' parameter is invalid."

/* The subject types of a grant (spec §2.11). */
#define OIDC_SUBJECT_USER "user"	/* user-delegated: code, device */
#define OIDC_SUBJECT_CLIENT "client"	/* M2M: client credentials */

/* What a request gets from one API; both NULL without a resource. */
struct oidc_target {
	char *resource;		/* normalised resource URI */
	char *permissions;	/* granted keys, space-separated ("": none) */
};
void oidc_target_clear(struct oidc_target *t);

/*
 * A resource as we compare and store it: trailing '/' removed. It must
 * be an absolute URI (a scheme, then ':' and more) without a fragment,
 * white space or control characters, at most OIDC_RESOURCE_MAX bytes,
 * and not javascript: or data:. PERR_INVALID otherwise; *out caller's.
 */
int oidc_resource_normalize(const char *in, char **out);

/* The scope tokens that are not standard scopes, space-separated and
 * without repeats, in request order (caller frees; "" when none). */
char *oidc_scope_extra(const char *scope);

/*
 * Spec §2.11 for client c asking resource (raw; NULL or "" for none)
 * with scope, as subject (OIDC_SUBJECT_*). Without a resource, only
 * standard scopes may be asked: a permission the client was granted on
 * some API (any extra token for the client subject) is invalid_scope.
 * With one: unknown API invalid_target, no access for the subject
 * access_denied, an extra token that is not a granted permission
 * invalid_scope. all_if_none: no permission asked gets every granted
 * one (client credentials). Returns NULL and fills *t, or the OAuth
 * error code ("server_error" too) with a static *why.
 */
const char *oidc_resource_resolve(struct app_call *call,
    const struct oidc_client *c, const char *resource, const char *scope,
    const char *subject, bool all_if_none, struct oidc_target *t,
    const char **why);

/*
 * The same at /authorize (spec §1.1 step 5): normalises a->resource in
 * place; with a resource any failure is the collapsed invalid_request.
 * NULL when the request may go on.
 */
const char *oidc_resource_authorize_check(struct app_call *call,
    const struct oidc_client *c, struct authz_request *a,
    const char **why);

/* The granted scope string: the standard scopes of bits, then the
 * permissions (space-separated, may be NULL; caller frees). */
char *oidc_target_scope(unsigned bits, const char *permissions);

/*
 * The consent keys of spec §2.9 for scope and resource: standard scopes
 * by name, permissions as resource U+001F key, an API asked without
 * permissions as resource U+001F. *keys (n of them) caller frees with
 * oidc_consent_keys_free.
 */
int oidc_consent_keys(const char *scope, const char *resource,
    char ***keys, size_t *n);
void oidc_consent_keys_free(char **keys, size_t n);

/* scopeInfo (spec §1.1): JSON array of the asked permissions' names and
 * descriptions, "[]" without a resource (caller frees; NULL: error). */
char *oidc_resource_scope_info(struct app_call *call, const char *resource,
    const char *scope);

/*
 * At the token endpoint, for a grant made with a resource (code, device,
 * refresh): the stored resource must equal the request's resource
 * parameter when one is sent (else invalid_target). recheck (refresh):
 * the client's current user grants are applied to wanted_scope again.
 * Answers the error itself and returns false; on true *t is filled (no
 * resource: both NULL).
 */
bool oidc_resource_for_grant(struct app_call *call,
    const struct oidc_client *c, const char *grant_id,
    const char *granted_scope, const char *wanted_scope, bool recheck,
    struct oidc_target *t);

/* Admin handlers (routes.c lists them). */
void oidc_api_list(struct app_call *call);
void oidc_api_create(struct app_call *call);
void oidc_api_get(struct app_call *call);
void oidc_api_update(struct app_call *call);
void oidc_api_delete(struct app_call *call);
void oidc_api_permissions_set(struct app_call *call);
void oidc_api_cimd_set(struct app_call *call);
void oidc_api_clients_list(struct app_call *call);
void oidc_api_assignable_clients(struct app_call *call);
void oidc_api_client_grant_set(struct app_call *call);
void oidc_api_client_grant_delete(struct app_call *call);
void oidc_api_access_apis(struct app_call *call);
void oidc_api_access_assignable(struct app_call *call);

#endif
