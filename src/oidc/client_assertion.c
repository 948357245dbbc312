/*
 * client_assertion: client authentication by a JWT from a federated
 * identity provider (RFC 7523 §2.2 and §3, spec §2.5 "federated client
 * credentials"). The assertion's iss picks one of the client's configured
 * identities; the issuer's JWKS comes over HTTPS (src/net: public
 * addresses only, no redirects) through a cache in PostgreSQL (one copy
 * for every worker and replica); the JWT is checked with src/jose.
 * Everything read from the assertion before its signature verifies (iss,
 * sub, kid) only chooses what to check against.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "conf/conf.h"
#include "jose/jose.h"
#include "net/net.h"
#include "auth/auth.h"
#include "store/store.h"
#include "oidc/oidc_client.h"

#define IDENTITY_FIELD_MAX 2048
#define JTI_MAX 256
/* A key the cached JWKS lacks makes us fetch it again, at most this
 * often, so that bad assertions cannot make us hammer the issuer. */
#define JWKS_REFETCH_MIN_S 60

/* One configured identity (copies, freed with identity_clear). */
struct identity {
	char *issuer, *subject, *audience, *jwks;
	bool replay_protection;
};

static void
identity_clear(struct identity *fi)
{
	free(fi->issuer);
	free(fi->subject);
	free(fi->audience);
	free(fi->jwks);
	memset(fi, 0, sizeof(*fi));
}

static int
dup_member(struct json_object *obj, const char *name, char **out)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, name, &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) == 0)
		return PERR_OK;
	if (json_object_get_string_len(v) > IDENTITY_FIELD_MAX)
		return PERR_INVALID;
	return (*out = str_dup(json_object_get_string(v))) != NULL ? PERR_OK :
	    PERR_NOMEM;
}

/* The identity whose issuer is iss in the store's client JSON. */
static int
find_identity(const char *json, const char *iss, struct identity *fi)
{
	struct json_object *obj = NULL, *list, *item, *v;
	size_t i, n;
	int rc;

	memset(fi, 0, sizeof(*fi));
	if ((rc = ojson_parse(json, strlen(json), &obj)) != PERR_OK)
		return rc == PERR_NOMEM ? rc : PERR_INTERNAL;
	rc = PERR_NOT_FOUND;
	if (!json_object_object_get_ex(obj, "federated", &list) ||
	    !json_object_is_type(list, json_type_array))
		goto out;
	n = json_object_array_length(list);
	for (i = 0; i < n && rc == PERR_NOT_FOUND; i++) {
		item = json_object_array_get_idx(list, i);
		if (!json_object_is_type(item, json_type_object) ||
		    !json_object_object_get_ex(item, "issuer", &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    strcmp(json_object_get_string(v), iss) != 0)
			continue;
		if ((rc = dup_member(item, "issuer", &fi->issuer)) != PERR_OK ||
		    (rc = dup_member(item, "subject", &fi->subject)) !=
		    PERR_OK ||
		    (rc = dup_member(item, "audience", &fi->audience)) !=
		    PERR_OK ||
		    (rc = dup_member(item, "jwks", &fi->jwks)) != PERR_OK)
			break;
		fi->replay_protection = json_object_object_get_ex(item,
		    "replayProtection", &v) && json_object_is_type(v,
		    json_type_boolean) && json_object_get_boolean(v);
	}
out:
	if (rc != PERR_OK)
		identity_clear(fi);
	json_object_put(obj);
	return rc;
}

/* The identity's JWKS URL: configured, or <iss>/.well-known/jwks.json. */
static char *
jwks_url(const struct identity *fi)
{
	struct wbuf w;
	size_t n;

	if (fi->jwks != NULL)
		return str_dup(fi->jwks);
	n = strlen(fi->issuer);
	while (n > 0 && fi->issuer[n - 1] == '/')
		n--;
	wbuf_init(&w);
	wbuf_put(&w, fi->issuer, n);
	wbuf_puts(&w, "/.well-known/jwks.json");
	if (wbuf_error(&w) != PERR_OK) {
		wbuf_free(&w);
		return NULL;
	}
	return wbuf_steal(&w, NULL);
}

/* GET url over HTTPS through the SSRF guard (src/net), at most
 * JOSE_JWKS_MAX_LEN bytes, into *out. */
static int
fetch_url(const char *url, const struct cidr_list *blocked_extra, char **out)
{
	struct net_get opt = { .user_agent = NET_UA_DEFAULT,
	    .max_bytes = JOSE_JWKS_MAX_LEN,
	    .timeout_s = OIDC_FEDERATED_FETCH_TIMEOUT_S,
	    .blocked_extra = blocked_extra };
	struct net_reply reply = { 0 };
	const char *why;
	int rc;

	*out = NULL;
	if ((rc = net_https_get(url, &opt, &reply, &why)) != PERR_OK) {
		log_warn("federated JWKS %s not fetched: %s", url, why);
		return rc;
	}
	*out = reply.body;
	reply.body = NULL;
	net_reply_clear(&reply);
	return PERR_OK;
}

/*
 * The JWKS at url: the cached copy while fresh (or, with refresh, while
 * younger than JWKS_REFETCH_MIN_S), else a new fetch (cached for
 * everyone), else a stale copy up to a day old.
 */
static int
load_jwks(struct db *db, const struct cidr_list *blocked_extra,
    const char *url, bool refresh, struct jwks **out, bool *is_new)
{
	char *cached = NULL, *fetched = NULL;
	const char *text, *why;
	int64_t age = 0;
	int rc;

	*out = NULL;
	*is_new = false;
	rc = store_federated_jwks_get(db, url, &cached, &age);
	if (rc != PERR_OK && rc != PERR_NOT_FOUND)
		return rc;
	text = cached;
	if (cached == NULL || age < 0 || age >= (refresh ? JWKS_REFETCH_MIN_S :
	    OIDC_FEDERATED_JWKS_FRESH_S)) {
		if (fetch_url(url, blocked_extra, &fetched) == PERR_OK &&
		    jwks_parse(fetched, strlen(fetched), out, &why) == PERR_OK) {
			(void)store_federated_jwks_put(db, url, fetched);
			*is_new = true;
			goto out;
		}
		if (cached == NULL || age >= OIDC_FEDERATED_JWKS_STALE_S)
			text = NULL;
	}
	rc = text != NULL ? jwks_parse(text, strlen(text), out, &why) :
	    PERR_IO;
out:
	free(cached);
	free(fetched);
	return *out != NULL ? PERR_OK : (rc != PERR_OK ? rc : PERR_IO);
}

/* iss and sub of an assertion whose signature is not checked yet. */
static int
peek_claims(const char *assertion, char **iss, char **sub)
{
	struct jws *jws = NULL;
	struct jwt_claims *claims = NULL;
	const uint8_t *payload;
	const char *why, *v;
	size_t len;
	int rc;

	*iss = *sub = NULL;
	if ((rc = jws_parse(assertion, strlen(assertion), &jws, &why)) !=
	    PERR_OK)
		return rc;
	payload = jws_payload(jws, &len);
	if ((rc = jwt_claims_parse(payload, len, &claims, &why)) == PERR_OK) {
		if ((v = jwt_claims_string(claims, "iss")) != NULL &&
		    (*iss = str_dup(v)) == NULL)
			rc = PERR_NOMEM;
		if ((v = jwt_claims_string(claims, "sub")) != NULL &&
		    (*sub = str_dup(v)) == NULL)
			rc = PERR_NOMEM;
	}
	jwt_claims_free(claims);
	jws_free(jws);
	return rc;
}

/* With replay protection: the assertion's jti, once, until its exp. */
static int
use_jti(struct db *db, const char *issuer, const struct jwt_claims *claims,
    const char **why)
{
	const char *jti = jwt_claims_string(claims, "jti");
	struct wbuf key;
	int64_t exp;
	bool fresh = false;
	int rc;

	*why = "The client assertion has no jti";
	if (jti == NULL || jti[0] == '\0' || strlen(jti) > JTI_MAX ||
	    jwt_claims_int64(claims, "exp", &exp) != PERR_OK)
		return PERR_VERIFY;
	wbuf_init(&key);
	wbuf_puts(&key, issuer);
	wbuf_putc(&key, '\x1f');
	wbuf_puts(&key, jti);
	if ((rc = wbuf_error(&key)) == PERR_OK)
		rc = store_jti_use(db, (const char *)key.data, exp, &fresh);
	wbuf_free(&key);
	*why = "The client assertion was already used";
	if (rc == PERR_OK && !fresh)
		rc = PERR_VERIFY;
	return rc;
}

/* Signature, iss, aud, exp and sub; a new JWKS once if no key fits. */
static int
verify_assertion(struct app_call *call, const struct identity *fi,
    const char *client_id, const char *assertion,
    struct jwt_claims **claims, const char **why)
{
	struct jwt_expect expect = { 0 };
	struct jwks *set = NULL;
	const char *sub;
	char *url;
	bool is_new = false;
	int rc, attempt;

	*claims = NULL;
	expect.now = (int64_t)time(NULL);
	expect.skew = OIDC_ASSERTION_SKEW_S;
	expect.iss = fi->issuer;
	expect.aud = fi->audience != NULL ? fi->audience :
	    call->app->settings->app_url;
	expect.exp_required = true;
	if ((url = jwks_url(fi)) == NULL)
		return PERR_NOMEM;
	for (attempt = 0; attempt < 2; attempt++) {
		jwks_free(set);
		set = NULL;
		*why = "The issuer's keys could not be fetched";
		if ((rc = load_jwks(call->app->db,
		    &call->app->settings->local_ipv6_ranges, url, attempt > 0,
		    &set, &is_new)) != PERR_OK)
			break;
		rc = jwt_verify_set(assertion, strlen(assertion), set,
		    &expect, claims, why);
		/* Retry once, with keys fetched just now, unless these were. */
		if (rc != PERR_VERIFY || is_new)
			break;
	}
	jwks_free(set);
	free(url);
	if (rc != PERR_OK)
		return rc == PERR_NOMEM || rc == PERR_DB ||
		    rc == PERR_DB_UNAVAILABLE ? rc : PERR_VERIFY;
	sub = jwt_claims_string(*claims, "sub");
	if (sub == NULL || strcmp(sub, fi->subject != NULL ? fi->subject :
	    client_id) != 0) {
		*why = "The client assertion's subject is not this client";
		jwt_claims_free(*claims);
		*claims = NULL;
		return PERR_VERIFY;
	}
	return PERR_OK;
}

int
oidc_client_authenticate_assertion(struct app_call *call,
    const char *client_id, const char *assertion, struct oidc_client **out,
    const char **why)
{
	struct identity fi = { 0 };
	struct jwt_claims *claims = NULL;
	struct oidc_client *c = NULL;
	char *iss = NULL, *sub = NULL, *json = NULL;
	int rc;

	*out = NULL;
	*why = "The client assertion is not a valid JWT";
	if (strlen(assertion) > JOSE_JWS_MAX_LEN ||
	    peek_claims(assertion, &iss, &sub) != PERR_OK || iss == NULL) {
		rc = PERR_VERIFY;
		goto out;
	}
	if (client_id == NULL)
		client_id = sub;
	*why = "The client is unknown or has no identity for this issuer";
	if (client_id == NULL || strlen(client_id) > IDENTITY_FIELD_MAX) {
		rc = PERR_VERIFY;
		goto out;
	}
	rc = store_client_load(call->app->db, client_id, true, &json);
	if (rc == PERR_OK)
		rc = find_identity(json, iss, &fi);
	if (rc == PERR_NOT_FOUND || rc == PERR_INVALID)
		rc = PERR_VERIFY;
	if (rc != PERR_OK ||
	    (rc = verify_assertion(call, &fi, client_id, assertion, &claims,
	    why)) != PERR_OK)
		goto out;
	if (fi.replay_protection &&
	    (rc = use_jti(call->app->db, fi.issuer, claims, why)) != PERR_OK)
		goto out;
	if ((rc = oidc_client_from_json(json, &c)) != PERR_OK)
		goto out;
	*out = c;
	*why = NULL;
out:
	jwt_claims_free(claims);
	identity_clear(&fi);
	free(iss);
	free(sub);
	free(json);
	return rc;
}
