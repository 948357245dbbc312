/*
 * device: the device authorization grant (RFC 8628, spec §1.1).
 * POST /api/oidc/device/authorize hands a client a device code (a bearer
 * secret, stored as SHA-256) and a short user code; the signed-in user
 * looks the user code up (GET /api/oidc/device/info) and approves it
 * (POST /api/oidc/device/verify); meanwhile the device polls the token
 * endpoint, which answers authorization_pending, slow_down,
 * expired_token, or the tokens exactly once.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/common.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/api.h"
#include "oidc/oidc_client.h"

#define DEVICE_CODE_PREFIX "pocket_id_dc_"
#define DEVICE_CODE_BYTES 32
#define USER_CODE_ISSUE_TRIES 4

/* Uppercase letters and digits without I, L and O (spec §1.1). */
static const char user_code_alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ0123456789";

int
oidc_device_user_code_make(char out[OIDC_USER_CODE_LEN + 1])
{
	out[0] = 'E';
	return crypto_random_string(user_code_alphabet, OIDC_USER_CODE_LEN - 1,
	    out + 1);
}

bool
oidc_device_user_code_normalize(const char *in,
    char out[OIDC_USER_CODE_LEN + 1])
{
	size_t len, i;
	char c;

	if (in == NULL)
		return false;
	while (*in == ' ' || *in == '\t' || *in == '\r' || *in == '\n')
		in++;
	len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t' ||
	    in[len - 1] == '\r' || in[len - 1] == '\n'))
		len--;
	if (len != OIDC_USER_CODE_LEN)
		return false;
	for (i = 0; i < len; i++) {
		c = (char)toupper((unsigned char)in[i]);
		if (c == 'I')
			c = '1';
		else if (c == 'O')
			c = '0';
		if (c == '\0' || strchr(user_code_alphabet, c) == NULL)
			return false;
		out[i] = c;
	}
	out[len] = '\0';
	return true;
}

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

static void
authorize_respond(struct app_call *call, const char *device_code,
    const char *user_code)
{
	const char *base = call->app->settings->app_url;
	struct wbuf w, uri, complete;

	wbuf_init(&uri);
	wbuf_printf(&uri, "%s/device", base);
	wbuf_init(&complete);
	wbuf_printf(&complete, "%s/device?user_code=%s", base, user_code);
	wbuf_init(&w);
	wbuf_printf(&w, "{\"device_code\":\"%s\",\"user_code\":\"%s\","
	    "\"verification_uri\":", device_code, user_code);
	if (uri.data != NULL)
		wbuf_put_json_string(&w, (const char *)uri.data, uri.len);
	wbuf_puts(&w, ",\"verification_uri_complete\":");
	if (complete.data != NULL)
		wbuf_put_json_string(&w, (const char *)complete.data,
		    complete.len);
	wbuf_printf(&w, ",\"expires_in\":%d,\"interval\":%d}",
	    OIDC_DEVICE_CODE_SECONDS, OIDC_DEVICE_INTERVAL_SECONDS);
	http_response_header(call->res, "Cache-Control", "no-store");
	http_response_header(call->res, "Pragma", "no-cache");
	if (wbuf_error(&w) == PERR_OK && wbuf_error(&uri) == PERR_OK &&
	    wbuf_error(&complete) == PERR_OK)
		http_response_json(call->res, 200, (const char *)w.data);
	else
		oidc_error(call, 500, "server_error", NULL);
	wbuf_free(&w);
	wbuf_free(&uri);
	wbuf_free(&complete);
}

void
oidc_device_authorize(struct app_call *call)
{
	struct oidc_client *c = NULL;
	const char *why = NULL;
	char *scope_in = NULL, *nonce = NULL, *scope = NULL, *random = NULL;
	char *device_code = NULL, user_code[OIDC_USER_CODE_LEN + 1], hash[65];
	char *resource = NULL;
	struct oidc_target t = { 0 };
	const char *error;
	struct wbuf w;
	bool bad = false;
	int rc, tries;

	http_response_header(call->res, "Access-Control-Allow-Origin", "*");
	if (!oidc_client_from_request(call, &c))
		goto out;
	scope_in = form(call, "scope", &bad);
	nonce = form(call, "nonce", &bad);
	resource = form(call, "resource", &bad);
	if (bad) {
		oidc_error(call, 400, "invalid_request",
		    "A parameter is not encoded correctly");
		goto out;
	}
	/* Spec §2.11: the user-delegated grants of the client. */
	if ((error = oidc_resource_resolve(call, c, resource,
	    scope_in != NULL ? scope_in : "", OIDC_SUBJECT_USER, false, &t,
	    &why)) != NULL) {
		oidc_error_of(call, error, why);
		goto out;
	}
	/* Unknown scopes are dropped (spec §2.3). */
	if ((scope = oidc_target_scope(oidc_scope_parse(scope_in != NULL ?
	    scope_in : ""), t.permissions)) == NULL ||
	    (rc = crypto_random_token(DEVICE_CODE_BYTES, &random)) != PERR_OK)
		goto fail;
	wbuf_init(&w);
	wbuf_printf(&w, "%s%s", DEVICE_CODE_PREFIX, random);
	if ((device_code = wbuf_steal(&w, NULL)) == NULL ||
	    auth_token_hash(device_code, hash) != PERR_OK)
		goto fail;
	rc = PERR_CONFLICT;
	for (tries = 0; tries < USER_CODE_ISSUE_TRIES && rc == PERR_CONFLICT;
	    tries++)
		if ((rc = oidc_device_user_code_make(user_code)) == PERR_OK)
			rc = store_oidc_device_issue(call->app->db, hash,
			    user_code, c->id, scope, nonce,
			    OIDC_DEVICE_CODE_SECONDS,
			    OIDC_DEVICE_INTERVAL_SECONDS);
	if (rc == PERR_OK && t.resource != NULL)
		rc = store_api_device_resource_set(call->app->db, hash,
		    t.resource);
	if (rc != PERR_OK)
		goto fail;
	authorize_respond(call, device_code, user_code);
	goto out;
fail:
	oidc_error(call, 500, "server_error",
	    "The device code could not be issued");
out:
	oidc_client_free(c);
	oidc_target_clear(&t);
	free(resource);
	free(scope_in);
	free(nonce);
	free(scope);
	str_free_secret(random);
	str_free_secret(device_code);
}

/* ---- the token endpoint's grant --------------------------------------- */

void
oidc_grant_device_code(struct app_call *call, const struct oidc_client *c)
{
	struct store_device_poll p = { 0 };
	struct oidc_issue is = { 0 };
	struct oidc_target t = { 0 };
	char *code = NULL, hash[65];
	bool bad = false;
	int rc;

	code = form(call, "device_code", &bad);
	if (bad || code == NULL) {
		oidc_error(call, 400, "invalid_request",
		    "The device_code parameter is missing");
		goto out;
	}
	if ((rc = auth_token_hash(code, hash)) == PERR_OK)
		rc = store_oidc_device_poll(call->app->db, hash, &p);
	if (rc == PERR_NOT_FOUND || (rc == PERR_OK &&
	    strcmp(p.client_id, c->id) != 0)) {
		oidc_error(call, 400, "invalid_grant",
		    "The device code is invalid");
		goto out;
	}
	if (rc != PERR_OK) {
		oidc_error(call, 500, "server_error", NULL);
		goto out;
	}
	if (p.used || (p.approved && !p.grant_active)) {
		oidc_error(call, 400, "invalid_grant",
		    "The device code was already used");
	} else if (!p.unexpired) {
		oidc_error(call, 400, "expired_token",
		    "The device code has expired");
	} else if (p.early) {
		oidc_error(call, 400, "slow_down",
		    "Polling too fast; wait the interval between requests");
	} else if (!p.approved) {
		oidc_error(call, 400, "authorization_pending",
		    "The user has not approved the request yet");
	} else if (!p.fresh) {
		/* Lost a race with another poll of the same code. */
		oidc_error(call, 400, "invalid_grant",
		    "The device code was already used");
	} else if (oidc_token_user_allowed(call, c, p.user_id) &&
	    oidc_resource_for_grant(call, c, p.grant_id, NULL, p.scope, NULL,
	    false, &t)) {
		is.resource = t.resource;
		is.permissions = t.permissions;
		is.grant_id = p.grant_id;
		is.client_id = c->id;
		is.user_id = p.user_id;
		is.scope_bits = oidc_scope_parse(p.scope);
		is.nonce = p.nonce;
		is.auth_time = p.auth_time;
		is.amr = p.amr;
		is.access_minutes = c->access_token_minutes;
		is.refresh_minutes = oidc_client_refresh_minutes(call->app->db,
		    c);
		oidc_issue_tokens(call, &is);
	}
out:
	oidc_target_clear(&t);
	store_oidc_device_poll_clear(&p);
	str_free_secret(code);
}

/* ---- the user's side: info and verify --------------------------------- */

/* A pending device code found by the ?code= user code, with its client.
 * On false the error response is set. */
struct pending {
	char user_code[OIDC_USER_CODE_LEN + 1];
	char *scope;
	char *resource;		/* "" none (spec §2.11) */
	struct oidc_client *client;
};

static void
pending_clear(struct pending *p)
{
	free(p->scope);
	free(p->resource);
	oidc_client_free(p->client);
	memset(p, 0, sizeof(*p));
}

static bool
pending_load(struct app_call *call, struct pending *p)
{
	char *given, *client_id = NULL;
	bool unexpired = false, approved = false, ok;
	int err, rc = PERR_NOT_FOUND;

	memset(p, 0, sizeof(*p));
	given = http_query_get(call->req, "code", &err);
	ok = oidc_device_user_code_normalize(given, p->user_code);
	free(given);
	if (ok)
		rc = store_oidc_device_find(call->app->db, p->user_code,
		    &client_id, &p->scope, &unexpired, &approved);
	if (rc == PERR_OK && !approved && unexpired)
		rc = oidc_client_load(call->app->db, client_id, &p->client);
	if (rc == PERR_OK && !approved && unexpired)
		rc = store_api_device_resource_get(call->app->db, p->user_code,
		    &p->resource);
	free(client_id);
	if (rc == PERR_OK && approved)
		rc = PERR_NOT_FOUND;
	if (rc == PERR_OK && !unexpired) {
		http_response_error(call->res, call->req, 400,
		    "oidc_device_code_expired", "The device code has expired");
		pending_clear(p);
		return false;
	}
	if (rc == PERR_NOT_FOUND)
		http_response_error(call->res, call->req, 400,
		    "oidc_invalid_device_code", "The device code is invalid");
	else if (rc != PERR_OK)
		http_response_perr(call->res, call->req, rc, NULL);
	if (rc != PERR_OK)
		pending_clear(p);
	return rc == PERR_OK;
}

/* The API permissions asked, as more JSON strings of the scope list. */
static void
put_tokens(struct wbuf *w, const char *tokens, bool comma)
{
	const char *p = tokens;
	size_t len;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if ((len = strcspn(p, " ")) == 0)
			break;
		if (comma)
			wbuf_putc(w, ',');
		wbuf_put_json_string(w, p, len);
		comma = true;
		p += len;
	}
}

void
oidc_device_info(struct app_call *call)
{
	struct pending p;
	const char *keys[5];
	char *meta = NULL, *info = NULL, **consent = NULL, *extra = NULL;
	bool covered = false, exists = false;
	struct wbuf w;
	size_t n, i, n_consent = 0;
	int rc;

	if (!pending_load(call, &p))
		return;
	/* scopeInfo: the names of the API permissions asked (spec §1.1). */
	if ((info = oidc_resource_scope_info(call, p.resource, p.scope)) ==
	    NULL || (extra = oidc_scope_extra(p.resource[0] != '\0' ?
	    p.scope : "")) == NULL) {
		http_response_perr(call->res, call->req, PERR_NOMEM, NULL);
		goto out;
	}
	n = oidc_scope_keys(oidc_scope_parse(p.scope), keys);
	if ((rc = oidc_consent_keys(p.scope, p.resource, &consent,
	    &n_consent)) != PERR_OK ||
	    (rc = oidc_consent_covers(call->app->db, call->caller.user_id,
	    p.client->id, (const char *const *)consent, n_consent, &covered,
	    &exists)) != PERR_OK ||
	    (rc = oidc_client_meta_json(call->app->db, p.client->id,
	    &meta)) != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
		goto out;
	}
	wbuf_init(&w);
	wbuf_puts(&w, "{\"scope\":[");
	for (i = 0; i < n; i++)
		wbuf_printf(&w, "%s\"%s\"", i > 0 ? "," : "", keys[i]);
	put_tokens(&w, extra, n > 0);
	wbuf_printf(&w, "],\"scopeInfo\":%s,\"authorizationRequired\":%s,"
	    "\"reauthenticationRequired\":%s,\"client\":%s}", info,
	    !covered && !p.client->skip_consent ? "true" : "false",
	    p.client->requires_reauthentication ? "true" : "false", meta);
	if (wbuf_error(&w) == PERR_OK)
		http_response_json(call->res, 200, (const char *)w.data);
	else
		http_response_perr(call->res, call->req, PERR_NOMEM, NULL);
	wbuf_free(&w);
out:
	free(meta);
	free(info);
	free(extra);
	oidc_consent_keys_free(consent, n_consent);
	pending_clear(&p);
}

/* The re-authentication cookie of spec §3.6, used up. */
static bool
take_reauth(struct app_call *call)
{
	char *token = http_cookie_get(call->req, auth_cookie_name(call,
	    "reauthentication_token"));
	char hash[65];
	int64_t age = 0;
	bool ok;

	ok = token != NULL && auth_token_hash(token, hash) == PERR_OK &&
	    store_reauth_take(call->app->db, hash, call->caller.user_id,
	    &age) == PERR_OK;
	str_free_secret(token);
	return ok;
}

void
oidc_device_verify(struct app_call *call)
{
	struct pending p;
	char **keys = NULL;
	char grant_id[CRYPTO_UUID_TEXT_LEN + 1];
	int64_t auth_time = call->caller.session.auth_time;
	bool allowed = false, was_new = false;
	struct wbuf data;
	size_t n = 0;
	int rc;

	if (!pending_load(call, &p))
		return;
	if ((rc = oidc_client_allows_user(call->app->db, p.client,
	    call->caller.user_id, &allowed)) != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
		goto out;
	}
	if (!allowed) {
		/* Pocket ID answers this one with a bare object. */
		http_response_json(call->res, 403, "{\"error\":"
		    "\"You're not allowed to access this service.\"}");
		goto out;
	}
	if (p.client->requires_reauthentication) {
		if (!take_reauth(call)) {
			http_response_error(call->res, call->req, 401,
			    "reauthentication_required",
			    "Confirm with your passkey first");
			goto out;
		}
		auth_time = (int64_t)time(NULL);
	}
	if ((rc = oidc_consent_keys(p.scope, p.resource, &keys, &n)) ==
	    PERR_OK && (rc = crypto_uuid_v4(grant_id)) == PERR_OK &&
	    (rc = db_begin(call->app->db)) == PERR_OK) {
		/* The approval and its consent stand or fall together. */
		if ((rc = store_oidc_device_approve(call->app->db,
		    p.user_code, grant_id, call->caller.user_id, auth_time,
		    call->caller.session.amr)) == PERR_OK &&
		    (rc = store_api_device_resource_to_grant(call->app->db,
		    p.user_code)) == PERR_OK)
			rc = oidc_consent_merge(call->app->db,
			    call->caller.user_id, p.client->id,
			    (const char *const *)keys, n, &was_new);
		if (rc == PERR_OK)
			rc = db_commit(call->app->db);
		else
			(void)db_rollback(call->app->db);
	}
	if (rc == PERR_NOT_FOUND) {
		/* Approved (or expired) by a concurrent call. */
		http_response_error(call->res, call->req, 400,
		    "oidc_invalid_device_code", "The device code is invalid");
		goto out;
	}
	if (rc != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
		goto out;
	}
	wbuf_init(&data);
	wbuf_puts(&data, "{\"clientName\":");
	wbuf_put_json_string(&data, p.client->name, strlen(p.client->name));
	wbuf_putc(&data, '}');
	if (wbuf_error(&data) == PERR_OK)
		auth_audit(call, was_new ? "NEW_DEVICE_CODE_AUTHORIZATION" :
		    "DEVICE_CODE_AUTHORIZATION", call->caller.user_id,
		    (const char *)data.data);
	wbuf_free(&data);
	http_response_no_content(call->res, 204);
out:
	oidc_consent_keys_free(keys, n);
	pending_clear(&p);
}
