/*
 * mint: makes the tokens of a successful token request (spec §2.4): an
 * RFC 9068 access token (JWT, typ at+jwt) recorded by its jti so that it
 * can be revoked, an opaque refresh token stored as its SHA-256, and an
 * ID token when openid was granted. One function serves every grant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "jose/jose.h"
#include "keys/keys.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/api.h"

#define REFRESH_TOKEN_PREFIX "pocket_id_rt_"
#define REFRESH_TOKEN_BYTES 32

/* The access token's audience: the client, plus the issuer when an
 * identity scope was granted to a user (spec §2.4). */
static void
put_audience(struct wbuf *w, const struct oidc_issue *is, const char *iss)
{
	const char *first = is->resource != NULL ? is->resource :
	    is->client_id;

	/* Spec §2.11: with a resource the API is the audience. */
	wbuf_puts(w, "[");
	wbuf_put_json_string(w, first, strlen(first));
	if (is->user_id != NULL && (is->scope_bits & OIDC_IDENTITY_SCOPES)) {
		wbuf_putc(w, ',');
		wbuf_put_json_string(w, iss, strlen(iss));
	}
	wbuf_puts(w, "]");
}

/* The API permissions as more items of the scp array. */
static void
put_permissions(struct wbuf *w, const char *permissions, bool comma)
{
	const char *p = permissions;
	size_t n;

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if ((n = strcspn(p, " ")) == 0)
			break;
		if (comma)
			wbuf_putc(w, ',');
		wbuf_put_json_string(w, p, n);
		comma = true;
		p += n;
	}
}

static char *
access_claims(const struct oidc_issue *is, const char *iss, const char *sub,
    const char *jti, const char *scope, int64_t now, int64_t exp,
    char **audience)
{
	const char *keys[5];
	struct wbuf w, aud;
	size_t n, i;

	wbuf_init(&aud);
	put_audience(&aud, is, iss);
	wbuf_init(&w);
	wbuf_puts(&w, "{\"iss\":");
	wbuf_put_json_string(&w, iss, strlen(iss));
	wbuf_puts(&w, ",\"sub\":");
	wbuf_put_json_string(&w, sub, strlen(sub));
	wbuf_printf(&w, ",\"aud\":%s,\"exp\":%lld,\"iat\":%lld,\"jti\":\"%s\","
	    "\"client_id\":", aud.data != NULL ? (char *)aud.data : "[]",
	    (long long)exp, (long long)now, jti);
	wbuf_put_json_string(&w, is->client_id, strlen(is->client_id));
	if (scope[0] != '\0') {
		wbuf_puts(&w, ",\"scope\":");
		wbuf_put_json_string(&w, scope, strlen(scope));
		wbuf_puts(&w, ",\"scp\":[");
		n = oidc_scope_keys(is->scope_bits, keys);
		for (i = 0; i < n; i++)
			wbuf_printf(&w, "%s\"%s\"", i > 0 ? "," : "", keys[i]);
		put_permissions(&w, is->permissions, n > 0);
		wbuf_putc(&w, ']');
	}
	wbuf_putc(&w, '}');
	*audience = wbuf_steal(&aud, NULL);
	return wbuf_steal(&w, NULL);
}

static void
add_string(struct json_object *obj, const char *key, const char *value)
{
	json_object_object_add(obj, key, json_object_new_string(value));
}

/* The ID token's claims: the user's (spec §2.3) plus the protocol's;
 * at_hash only when there is an access token to hash. */
static int
id_token_claims(struct app_call *call, const struct oidc_issue *is,
    const char *jti, const char *access_token, int64_t now, char **out)
{
	const struct settings *s = call->app->settings;
	const struct jwk *signer = keys_ring_signer(call->app->keys, now);
	struct json_object *claims = NULL, *aud, *amr;
	char *user_json = NULL, *at_hash = NULL;
	bool disabled = false;
	int rc;

	*out = NULL;
	if (signer == NULL)
		return PERR_NOT_FOUND;
	if (is->user_claims != NULL)
		user_json = str_dup(is->user_claims);
	else if ((rc = store_oidc_user_claims(call->app->db, is->user_id,
	    is->scope_bits & OIDC_SCOPE_PROFILE, is->scope_bits &
	    OIDC_SCOPE_EMAIL, is->scope_bits & OIDC_SCOPE_GROUPS, s->app_url,
	    &user_json, &disabled)) != PERR_OK)
		return rc;
	if (user_json == NULL)
		return PERR_NOMEM;
	rc = ojson_parse(user_json, strlen(user_json), &claims);
	free(user_json);
	if (rc != PERR_OK)
		return PERR_INTERNAL;
	if (access_token != NULL && (rc = jose_half_hash(jose_alg_get(
	    signer->alg), access_token, strlen(access_token), &at_hash)) !=
	    PERR_OK)
		goto out;
	add_string(claims, "iss", s->app_url);
	aud = json_object_new_array();
	json_object_array_add(aud, json_object_new_string(is->client_id));
	json_object_object_add(claims, "aud", aud);
	json_object_object_add(claims, "exp",
	    json_object_new_int64(now + OIDC_ID_TOKEN_SECONDS));
	json_object_object_add(claims, "iat", json_object_new_int64(now));
	add_string(claims, "jti", jti);
	json_object_object_add(claims, "auth_time",
	    json_object_new_int64(is->auth_time));
	if (is->nonce != NULL && is->nonce[0] != '\0')
		add_string(claims, "nonce", is->nonce);
	if (at_hash != NULL)
		add_string(claims, "at_hash", at_hash);
	if (is->amr != NULL && is->amr[0] != '\0') {
		amr = json_object_new_array();
		json_object_array_add(amr, json_object_new_string(is->amr));
		json_object_object_add(claims, "amr", amr);
	}
	add_string(claims, "type", "id-token");
	if ((*out = str_dup(json_object_to_json_string_ext(claims,
	    JSON_C_TO_STRING_PLAIN))) == NULL)
		rc = PERR_NOMEM;
out:
	free(at_hash);
	json_object_put(claims);
	return rc;
}

static int
sign(struct app_call *call, int64_t now, const char *typ, const char *claims,
    char **out)
{
	size_t len;

	return keys_sign_jwt(call->app->keys, now, typ, claims, strlen(claims),
	    out, &len);
}

/* A new refresh token: *token is the secret, hash its SHA-256 hex (what
 * the store keeps). */
static int
refresh_token_make(char **token, char hash[65])
{
	char *random = NULL;
	struct wbuf w;
	int rc;

	*token = NULL;
	if ((rc = crypto_random_token(REFRESH_TOKEN_BYTES, &random)) !=
	    PERR_OK)
		return rc;
	wbuf_init(&w);
	wbuf_printf(&w, "%s%s", REFRESH_TOKEN_PREFIX, random);
	str_free_secret(random);
	if ((*token = wbuf_steal(&w, NULL)) == NULL)
		return PERR_NOMEM;
	return auth_token_hash(*token, hash);
}

static void
respond(struct app_call *call, const char *access, int64_t expires_in,
    const char *scope, const char *refresh, const char *id_token)
{
	struct wbuf w;

	wbuf_init(&w);
	wbuf_printf(&w, "{\"access_token\":\"%s\",\"token_type\":\"bearer\","
	    "\"expires_in\":%lld,\"scope\":", access, (long long)expires_in);
	wbuf_put_json_string(&w, scope, strlen(scope));
	if (refresh != NULL)
		wbuf_printf(&w, ",\"refresh_token\":\"%s\"", refresh);
	if (id_token != NULL)
		wbuf_printf(&w, ",\"id_token\":\"%s\"", id_token);
	wbuf_putc(&w, '}');
	http_response_header(call->res, "Cache-Control", "no-store");
	http_response_header(call->res, "Pragma", "no-cache");
	if (wbuf_error(&w) == PERR_OK)
		http_response_json(call->res, 200, (const char *)w.data);
	else
		oidc_error(call, 500, "server_error", NULL);
	wbuf_free(&w);
}

void
oidc_issue_tokens(struct app_call *call, const struct oidc_issue *is)
{
	const char *iss = call->app->settings->app_url;
	int64_t now = (int64_t)time(NULL), exp = now + is->access_minutes * 60;
	char jti[STORE_ID_LEN + 1], id_jti[STORE_ID_LEN + 1], sub[300];
	char refresh_hash[65];
	struct store_tokens_new rows = { 0 };
	char *scope = oidc_target_scope(is->scope_bits, is->permissions);
	char *claims = NULL, *audience = NULL, *access = NULL;
	char *id_claims = NULL, *id_token = NULL, *refresh = NULL;
	int rc;

	if (is->user_id != NULL)
		snprintf(sub, sizeof(sub), "%s", is->user_id);
	else
		snprintf(sub, sizeof(sub), "client-%s", is->client_id);
	if (scope == NULL || (rc = crypto_uuid_v4(jti)) != PERR_OK ||
	    (rc = crypto_uuid_v4(id_jti)) != PERR_OK) {
		rc = PERR_NOMEM;
		goto fail;
	}
	if ((claims = access_claims(is, iss, sub, jti, scope, now, exp,
	    &audience)) == NULL || audience == NULL) {
		rc = PERR_NOMEM;
		goto fail;
	}
	if ((rc = sign(call, now, "at+jwt", claims, &access)) != PERR_OK)
		goto fail;
	if (is->user_id != NULL && (is->scope_bits & OIDC_SCOPE_OPENID) &&
	    ((rc = id_token_claims(call, is, id_jti, access, now,
	    &id_claims)) != PERR_OK ||
	    (rc = sign(call, now, "JWT", id_claims, &id_token)) != PERR_OK))
		goto fail;
	if (is->user_id != NULL && is->refresh_minutes > 0 &&
	    (rc = refresh_token_make(&refresh, refresh_hash)) != PERR_OK)
		goto fail;
	/* One round trip records the access and the refresh token. */
	rows.jti = jti;
	rows.grant_id = is->grant_id;
	rows.client_id = is->client_id;
	rows.subject = sub;
	rows.scope = scope;
	rows.audience = audience;
	rows.expires_at = exp;
	rows.refresh_hash = refresh != NULL ? refresh_hash : NULL;
	rows.id_token_jti = id_token != NULL ? id_jti : NULL;
	rows.refresh_minutes = is->refresh_minutes;
	if ((rc = store_oidc_tokens_issue(call->app->db, &rows)) != PERR_OK)
		goto fail;
	respond(call, access, exp - now, scope, refresh, id_token);
	goto out;
fail:
	log_error("could not issue tokens for client %s: %s", is->client_id,
	    perr_str(rc));
	oidc_error(call, 500, "server_error", "The tokens could not be made");
out:
	free(scope);
	free(claims);
	free(audience);
	free(access);
	free(id_claims);
	free(id_token);
	str_free_secret(refresh);
}

/*
 * The payloads the tokens of *is would carry, unsigned and unrecorded,
 * for the admin's client preview (spec §1.7): the same claim code as
 * oidc_issue_tokens, with fresh jtis and no at_hash (no token exists).
 */
int
oidc_token_payloads(struct app_call *call, const struct oidc_issue *is,
    int64_t now, char **id_claims, char **access_claims_json)
{
	const char *iss = call->app->settings->app_url;
	char jti[STORE_ID_LEN + 1], id_jti[STORE_ID_LEN + 1];
	char *scope = oidc_scope_string(is->scope_bits), *audience = NULL;
	int rc;

	*id_claims = *access_claims_json = NULL;
	if (scope == NULL || (rc = crypto_uuid_v4(jti)) != PERR_OK ||
	    (rc = crypto_uuid_v4(id_jti)) != PERR_OK) {
		free(scope);
		return PERR_NOMEM;
	}
	*access_claims_json = access_claims(is, iss, is->user_id, jti, scope,
	    now, now + is->access_minutes * 60, &audience);
	free(scope);
	free(audience);
	if (*access_claims_json == NULL)
		return PERR_NOMEM;
	if ((rc = id_token_claims(call, is, id_jti, NULL, now, id_claims)) !=
	    PERR_OK) {
		free(*access_claims_json);
		*access_claims_json = NULL;
	}
	return rc;
}
