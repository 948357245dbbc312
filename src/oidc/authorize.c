/*
 * authorize: GET|POST /authorize (spec §1.1, RFC 6749 §4.1.1, OIDC Core
 * §3.1.2). Validates in the spec's order; errors go to the client only
 * once its redirect URI is known to be registered, else to our own error
 * page. A signed-in user with nothing left to do gets the code in one
 * redirect; otherwise an interaction is stored and the web UI takes over,
 * coming back here with ?interaction=<id>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/common.h"
#include "codec/codec.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/authz.h"
#include "oidc/api.h"

#define STATE_MIN 8
#define NONCE_MIN 8
#define CODE_BYTES 32
#define FORM_POST_SCRIPT "document.forms[0].submit()"

/* Where the answer goes: the checked redirect URI and response mode. */
struct authz_reply {
	char *redirect_uri;
	const char *mode;	/* "query", "fragment" or "form_post" */
	const char *state;
};

/* Our own error page, for errors the client must not receive. */
static void
error_page(struct app_call *call, const char *message)
{
	struct wbuf w;

	wbuf_init(&w);
	wbuf_printf(&w, "%s/interaction/error?error=",
	    call->app->settings->app_url);
	http_url_encode(&w, message);
	http_response_header(call->res, "Location", (const char *)w.data);
	http_response_no_content(call->res, 302);
	wbuf_free(&w);
}

static void
html_escaped(struct wbuf *w, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': wbuf_puts(w, "&amp;"); break;
		case '<': wbuf_puts(w, "&lt;"); break;
		case '>': wbuf_puts(w, "&gt;"); break;
		case '"': wbuf_puts(w, "&quot;"); break;
		case '\'': wbuf_puts(w, "&#39;"); break;
		default: wbuf_putc(w, *s);
		}
}

/*
 * form_post (OAuth 2.0 Form Post Response Mode): a page that posts the
 * values to the client. Its CSP allows exactly that form action and the
 * one inline script, by hash.
 */
static void
reply_form_post(struct app_call *call, const struct authz_reply *r,
    const char *const *kv, size_t n)
{
	uint8_t digest[32];
	struct wbuf html, csp;
	char *hash;
	size_t i;

	if (crypto_hash(CRYPTO_HASH_SHA256, FORM_POST_SCRIPT,
	    strlen(FORM_POST_SCRIPT), digest) != PERR_OK ||
	    (hash = b64_encode(digest, sizeof(digest), NULL)) == NULL) {
		http_response_perr(call->res, call->req, PERR_NOMEM, NULL);
		return;
	}
	wbuf_init(&html);
	wbuf_puts(&html, "<!doctype html><html><head><meta charset=\"utf-8\">"
	    "<title>Signing in</title></head><body><form method=\"post\" "
	    "action=\"");
	html_escaped(&html, r->redirect_uri);
	wbuf_puts(&html, "\">");
	for (i = 0; i + 1 < n; i += 2) {
		wbuf_puts(&html, "<input type=\"hidden\" name=\"");
		html_escaped(&html, kv[i]);
		wbuf_puts(&html, "\" value=\"");
		html_escaped(&html, kv[i + 1]);
		wbuf_puts(&html, "\">");
	}
	wbuf_puts(&html, "<noscript><button type=\"submit\">Continue</button>"
	    "</noscript></form><script>" FORM_POST_SCRIPT "</script></body>"
	    "</html>");
	wbuf_init(&csp);
	wbuf_printf(&csp, "default-src 'none'; script-src 'sha256-%s'; "
	    "form-action %s; frame-ancestors 'none'", hash, r->redirect_uri);
	http_response_header(call->res, "Content-Security-Policy",
	    (const char *)csp.data);
	http_response_header(call->res, "Content-Type",
	    "text/html; charset=utf-8");
	http_response_json(call->res, 200, (const char *)html.data);
	wbuf_free(&html);
	wbuf_free(&csp);
	free(hash);
}

/* Answers the client: kv holds name, value pairs (NULL values skipped);
 * state and iss (RFC 9207) are added. */
static void
reply(struct app_call *call, const struct authz_reply *r,
    const char **kv, size_t n)
{
	const char *all[12];
	size_t i, m = 0;
	struct wbuf url;
	char sep;

	for (i = 0; i + 1 < n && m + 2 <= 8; i += 2)
		if (kv[i + 1] != NULL) {
			all[m++] = kv[i];
			all[m++] = kv[i + 1];
		}
	if (r->state != NULL) {
		all[m++] = "state";
		all[m++] = r->state;
	}
	all[m++] = "iss";
	all[m++] = call->app->settings->app_url;
	if (strcmp(r->mode, "form_post") == 0) {
		reply_form_post(call, r, all, m);
		return;
	}
	wbuf_init(&url);
	wbuf_puts(&url, r->redirect_uri);
	sep = strcmp(r->mode, "fragment") == 0 ? '#' :
	    (strchr(r->redirect_uri, '?') != NULL ? '&' : '?');
	for (i = 0; i < m; i += 2) {
		wbuf_putc(&url, i == 0 ? sep : '&');
		wbuf_puts(&url, all[i]);
		wbuf_putc(&url, '=');
		http_url_encode(&url, all[i + 1]);
	}
	http_response_header(call->res, "Location", (const char *)url.data);
	http_response_no_content(call->res, 302);
	wbuf_free(&url);
}

static void
reply_error(struct app_call *call, const struct authz_reply *r,
    const char *error, const char *description)
{
	const char *kv[4] = { "error", error, "error_description",
		description };

	reply(call, r, kv, 4);
}

/* The request's parameters: the query (GET) or the form (POST). */
static int
read_request(struct app_call *call, struct authz_request *a, char **interaction)
{
	static const char *const names[] = { "client_id", "redirect_uri",
		"response_type", "response_mode", "scope", "state", "nonce",
		"code_challenge", "code_challenge_method", "prompt", "max_age",
		"resource", "id_token_hint" };
	char **slots[] = { &a->client_id, &a->redirect_uri, &a->response_type,
		&a->response_mode, &a->scope, &a->state, &a->nonce,
		&a->code_challenge, &a->code_challenge_method, &a->prompt,
		&a->max_age, &a->resource, &a->id_token_hint };
	bool post = strcmp(call->req->method, "POST") == 0;
	size_t i;
	int err;

	memset(a, 0, sizeof(*a));
	*interaction = post ? http_form_get(call->req, "interaction", &err) :
	    http_query_get(call->req, "interaction", &err);
	if (err != PERR_OK)
		return err;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		*slots[i] = post ? http_form_get(call->req, names[i], &err) :
		    http_query_get(call->req, names[i], &err);
		if (err != PERR_OK)
			return err;
	}
	return PERR_OK;
}

/* The checks of spec §1.1 step 2-4 once the redirect URI is trusted;
 * NULL when the request is acceptable, else the error to send. */
static const char *
check_request(const struct oidc_client *c, const struct authz_request *a,
    bool pushed, const char **description)
{
	static const char *const prompts[] = { "none", "login", "consent",
		"select_account" };
	const char *p;
	int64_t max_age;
	size_t n, i;
	bool ok;

	if (a->response_type == NULL || strcmp(a->response_type, "code") != 0)
		return *description = "Only response_type=code is supported",
		    "unsupported_response_type";
	if (a->state == NULL || strlen(a->state) < STATE_MIN)
		return *description = "state must have at least 8 characters",
		    "invalid_state";
	if (a->nonce != NULL && strlen(a->nonce) < NONCE_MIN)
		return *description = "nonce must have at least 8 characters",
		    "insufficient_entropy";
	if (a->code_challenge != NULL && a->code_challenge_method != NULL &&
	    strcmp(a->code_challenge_method, "S256") != 0 &&
	    strcmp(a->code_challenge_method, "plain") != 0)
		return *description = "code_challenge_method must be S256 or "
		    "plain", "invalid_request";
	if (a->code_challenge == NULL && (c->is_public || c->pkce_enabled))
		return *description = "This client requires PKCE "
		    "(code_challenge)", "invalid_request";
	/* Spec §1.1 step 4: a pushed request, or one resumed from it. */
	if (c->requires_par && !pushed)
		return *description = "This client requires pushed "
		    "authorization requests (PAR)", "invalid_request";
	if (a->max_age != NULL &&
	    str_to_int64(a->max_age, 0, INT32_MAX, &max_age) != PERR_OK)
		return *description = "max_age must be a non-negative integer",
		    "invalid_request";
	for (p = a->prompt; p != NULL && *p != '\0'; p += n) {
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		for (ok = false, i = 0; i < 4; i++)
			ok |= n == strlen(prompts[i]) &&
			    strncmp(p, prompts[i], n) == 0;
		if (n > 0 && !ok)
			return *description = "Unknown prompt value",
			    "invalid_request";
	}
	if (a->prompt != NULL && strstr(a->prompt, "none") != NULL &&
	    strcspn(a->prompt, " ") != strlen(a->prompt))
		return *description = "prompt=none cannot be combined",
		    "invalid_request";
	return NULL;
}

/* Issues the code and sends it (spec §1.1 step 8). */
static void
issue_code(struct app_call *call, const struct oidc_client *c,
    const struct authz_request *a, const struct authz_reply *r,
    int64_t auth_time)
{
	struct store_code_new code = { 0 };
	char *extra;
	char grant_id[STORE_ID_LEN + 1], hash[65], *token = NULL, *scope;
	const char *kv[2];
	int rc;

	/* The granted permissions of the API, if any, follow the scopes. */
	extra = a->resource != NULL ? oidc_scope_extra(a->scope) : NULL;
	scope = oidc_target_scope(oidc_scope_parse(a->scope), extra);
	free(extra);
	if (scope == NULL || (rc = crypto_uuid_v4(grant_id)) != PERR_OK ||
	    (rc = crypto_random_token(CODE_BYTES, &token)) != PERR_OK ||
	    (rc = auth_token_hash(token, hash)) != PERR_OK ||
	    (rc = authz_consent(call, c, a, call->caller.user_id, true)) !=
	    PERR_OK)
		goto fail;
	code.grant_id = grant_id;
	code.client_id = c->id;
	code.user_id = call->caller.user_id;
	code.scope = scope;
	code.nonce = a->nonce;
	code.amr = call->caller.session.amr;
	code.auth_time = auth_time;
	code.code_hash = hash;
	code.redirect_uri = a->redirect_uri != NULL ? r->redirect_uri : NULL;
	code.code_challenge = a->code_challenge;
	code.code_challenge_method = a->code_challenge == NULL ? NULL :
	    a->code_challenge_method != NULL ? a->code_challenge_method :
	    "plain";
	if ((rc = store_oidc_code_issue(call->app->db, &code)) != PERR_OK ||
	    (a->resource != NULL && (rc = store_api_grant_resource_set(
	    call->app->db, grant_id, a->resource)) != PERR_OK))
		goto fail;
	kv[0] = "code";
	kv[1] = token;
	reply(call, r, kv, 2);
	goto out;
fail:
	reply_error(call, r, "server_error", "The code could not be issued");
out:
	free(scope);
	str_free_secret(token);
}

/* A fresh re-authentication (cookie of spec §3.6) for the caller. */
static bool
take_reauth_cookie(struct app_call *call)
{
	char *token = http_cookie_get(call->req, auth_cookie_name(call,
	    "reauthentication_token"));
	char hash[65];
	int64_t age = 0;
	bool ok;

	if (token == NULL)
		return false;
	ok = auth_token_hash(token, hash) == PERR_OK &&
	    store_reauth_take(call->app->db, hash, call->caller.user_id,
	    &age) == PERR_OK;
	str_free_secret(token);
	return ok;
}

/* Starts (or updates) an interaction and sends the browser to the UI. */
static void
to_interaction(struct app_call *call, const char *id,
    const struct oidc_client *c, const struct authz_request *a,
    unsigned steps, const char *user_id, int64_t reauthenticated_at)
{
	char *params = authz_request_to_json(a), *list =
	    authz_steps_to_json(steps);
	struct wbuf url;
	int rc = params == NULL || list == NULL ? PERR_NOMEM :
	    store_oidc_interaction_save(call->app->db, id, c->id, user_id,
	    params, list, reauthenticated_at);

	free(params);
	free(list);
	if (rc != PERR_OK) {
		error_page(call, "The sign-in request could not be stored");
		return;
	}
	wbuf_init(&url);
	wbuf_printf(&url, "%s/interaction?interaction=%s",
	    call->app->settings->app_url, id);
	http_response_header(call->res, "Location", (const char *)url.data);
	http_response_no_content(call->res, 302);
	wbuf_free(&url);
}

/*
 * The steps the signed-in caller still has to take: those left in a
 * resumed interaction (the UI walked the others), else computed afresh.
 * A re-authentication cookie settles the reauthenticate step.
 */
static int
remaining_steps(struct app_call *call, const struct oidc_client *c,
    const struct authz_request *a, const struct store_interaction *resumed,
    unsigned *steps, int64_t *auth_time)
{
	int rc;

	*auth_time = call->caller.session.auth_time;
	if (resumed != NULL && strcmp(resumed->user_id,
	    call->caller.user_id) == 0) {
		*steps = authz_steps_from_json(resumed->steps);
		if (resumed->reauthenticated_at > 0)
			*auth_time = resumed->reauthenticated_at;
	} else if ((rc = authz_steps_for_user(call, c, a,
	    call->caller.user_id, *auth_time, steps)) != PERR_OK) {
		return rc;
	}
	if ((*steps & AUTHZ_REAUTHENTICATE) && take_reauth_cookie(call)) {
		*steps &= ~(unsigned)AUTHZ_REAUTHENTICATE;
		*auth_time = (int64_t)time(NULL);
	}
	return PERR_OK;
}

/*
 * OIDC Core §3.1.2.1/§3.1.2.6: an id_token_hint must be our ID token, and
 * for a signed-in caller name the caller; otherwise the client hears
 * invalid_request or login_required and false is returned.
 */
static bool
hint_matches(struct app_call *call, const struct authz_request *a,
    const struct authz_reply *r)
{
	char *sub = NULL;
	bool same;

	if (a->id_token_hint == NULL)
		return true;
	if (authz_id_token_hint_sub(call, a->id_token_hint, &sub) != PERR_OK) {
		reply_error(call, r, "invalid_request",
		    "id_token_hint is not an ID token issued here");
		return false;
	}
	same = strcmp(sub, call->caller.user_id) == 0;
	free(sub);
	if (!same)
		reply_error(call, r, "login_required",
		    "The signed-in user is not the one id_token_hint names");
	return same;
}

/*
 * The decision of spec §1.1 steps 6-8 for a request that passed the
 * checks; resumed is the stored interaction, if any.
 */
static void
decide(struct app_call *call, const struct oidc_client *c,
    const struct authz_request *a, const struct authz_reply *r,
    const char *resumed_id, const struct store_interaction *resumed)
{
	bool prompt_none = a->prompt != NULL && strcmp(a->prompt, "none") == 0;
	char id[STORE_ID_LEN + 1];
	bool allowed = false;
	int64_t auth_time;
	unsigned steps = 0;

	if (resumed_id != NULL)
		snprintf(id, sizeof(id), "%s", resumed_id);
	else if (crypto_uuid_v4(id) != PERR_OK)
		error_page(call, "Out of memory");
	if (call->res->status != 200)
		return;
	if (call->caller.via != AUTH_VIA_SESSION) {
		if (prompt_none)
			reply_error(call, r, "login_required",
			    "The user is not signed in");
		else
			to_interaction(call, id, c, a, AUTHZ_AUTHENTICATE,
			    NULL, 0);
	} else if (!hint_matches(call, a, r)) {
		/* Answered: the hint names someone else, or is not ours. */
	} else if (oidc_client_allows_user(call->app->db, c,
	    call->caller.user_id, &allowed) != PERR_OK || !allowed) {
		error_page(call, "You are not allowed to access this service.");
	} else if (remaining_steps(call, c, a, resumed, &steps, &auth_time) !=
	    PERR_OK) {
		error_page(call, "The sign-in request failed.");
	} else if (steps != 0 && prompt_none) {
		reply_error(call, r, (steps & AUTHZ_CONSENT) ?
		    "consent_required" : "login_required",
		    "The user has to interact");
	} else if (steps != 0) {
		to_interaction(call, id, c, a, steps, call->caller.user_id, 0);
	} else if (resumed_id != NULL &&
	    store_oidc_interaction_delete(call->app->db, id) != PERR_OK) {
		/* Single use: a resumed interaction is consumed here. */
		error_page(call, "This sign-in request has already been used.");
	} else {
		issue_code(call, c, a, r, auth_time);
	}
}

static const char *
response_mode(const struct authz_request *a, bool *bad)
{
	*bad = false;
	if (a->response_mode == NULL || strcmp(a->response_mode, "query") == 0)
		return "query";
	if (strcmp(a->response_mode, "fragment") == 0)
		return "fragment";
	if (strcmp(a->response_mode, "form_post") == 0)
		return "form_post";
	*bad = true;
	return "query";
}

/* A front-channel parameter the request struct does not carry. */
static char *
extra_param(struct app_call *call, const char *name, int *err)
{
	if (*err != PERR_OK)
		return NULL;
	return strcmp(call->req->method, "POST") == 0 ?
	    http_form_get(call->req, name, err) :
	    http_query_get(call->req, name, err);
}

/*
 * The "request" and "request_uri" parameters (RFC 9101, RFC 9126) of a
 * fresh request: a request object's parameters are laid over *a; a pushed
 * request replaces it. A problem the client may hear about once its
 * redirect URI is trusted goes to *error and *description; false when
 * only our error page fits (answered here).
 */
static bool
take_request_params(struct app_call *call, struct authz_request *a,
    const char *request, const char *request_uri, bool *pushed,
    const char **error, const char **description)
{
	if (request != NULL && request_uri != NULL) {
		*error = "invalid_request";
		*description = "request and request_uri cannot both be used";
	} else if (request != NULL) {
		if (authz_request_object_apply(request, strlen(request),
		    (int64_t)time(NULL), a, description) != PERR_OK)
			*error = "invalid_request_object";
	} else if (request_uri != NULL &&
	    !str_has_prefix(request_uri, AUTHZ_PAR_URI_PREFIX)) {
		/* request_uri_parameter_supported is false: only PAR's. */
		*error = "request_uri_not_supported";
		*description = "Only request_uri values from the pushed "
		    "authorization request endpoint are supported";
	} else if (request_uri != NULL) {
		/* RFC 9126 §4: the pushed request replaces the front
		 * channel's, which must name the same client. */
		if (authz_par_take(call, request_uri, a->client_id, a) !=
		    PERR_OK) {
			error_page(call, "Invalid PAR session");
			return false;
		}
		*pushed = true;
	}
	return true;
}

void
oidc_authorize(struct app_call *call)
{
	struct authz_request a = { 0 };
	struct store_interaction stored = { 0 };
	struct authz_reply r = { NULL, "query", NULL };
	struct oidc_client *c = NULL;
	const char *error = NULL, *description = NULL;
	char *interaction = NULL, *request_uri = NULL, *request = NULL;
	bool bad_mode, pushed = false;
	int err = PERR_OK;

	err = read_request(call, &a, &interaction);
	request_uri = extra_param(call, "request_uri", &err);
	request = extra_param(call, "request", &err);
	if (err != PERR_OK || http_params_have_duplicates(call->req)) {
		error_page(call, "The authorization request is malformed or "
		    "repeats a parameter.");
		goto out;
	}
	if (interaction == NULL && !take_request_params(call, &a, request,
	    request_uri, &pushed, &error, &description))
		goto out;
	if (interaction != NULL) {
		authz_request_clear(&a);
		if (!str_is_uuid(interaction) || store_oidc_interaction_get(
		    call->app->db, interaction, &stored) != PERR_OK ||
		    authz_request_from_json(stored.parameters, &a) != PERR_OK) {
			error_page(call, "This sign-in request has expired or "
			    "was already used.");
			goto out;
		}
	}
	if (a.client_id == NULL || oidc_client_lookup(call, a.client_id, &c,
	    &description) != PERR_OK) {
		error_page(call, description != NULL ? description :
		    "The client is unknown.");
		goto out;
	}
	if (oidc_redirect_choose((const char *const *)c->callback_urls,
	    c->n_callback_urls, a.redirect_uri,
	    call->app->settings->allow_insecure_callback_urls,
	    &r.redirect_uri) != PERR_OK) {
		error_page(call, "The redirect_uri is not registered for this "
		    "client.");
		goto out;
	}
	r.state = a.state;
	r.mode = response_mode(&a, &bad_mode);
	if (bad_mode)
		reply_error(call, &r, "unsupported_response_mode",
		    "response_mode must be query, fragment or form_post");
	else if (error != NULL)
		reply_error(call, &r, error, description);
	else if ((error = check_request(c, &a, pushed || interaction != NULL,
	    &description)) != NULL)
		reply_error(call, &r, error, description);
	else if ((error = oidc_resource_authorize_check(call, c, &a,
	    &description)) != NULL)
		reply_error(call, &r, error, description);
	else
		decide(call, c, &a, &r, interaction,
		    interaction != NULL ? &stored : NULL);
out:
	authz_request_clear(&a);
	store_oidc_interaction_clear(&stored);
	oidc_client_free(c);
	free(interaction);
	free(request_uri);
	free(request);
	free(r.redirect_uri);
}
