/*
 * passkey: the WebAuthn endpoints of spec §1.3. Ceremonies live in
 * PostgreSQL (60 s, single use) so that a ceremony started on one worker
 * or replica finishes on any other; the cookie only names the row. The
 * checks themselves are src/webauthn's (WebAuthn L3 §7.1, §7.2); this file
 * supplies the relying party's policy and stores the results.
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
#include "store/store.h"
#include "webauthn/webauthn.h"
#include "auth/auth.h"

#define CEREMONY_SECONDS 60
#define CHALLENGE_BYTES 32
#define REAUTH_TOKEN_BYTES 32
#define REAUTH_SECONDS 180
#define REAUTH_SHORTCUT_SECONDS 60
#define PASSKEY_NAME_MAX 50
#define RP_ID_MAX 253

/* Well-known authenticators by AAGUID (public identifiers). */
static const struct {
	const char *aaguid;
	const char *name;
} known_authenticators[] = {
	{ "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", "Google Password Manager" },
	{ "adce0002-35bc-c60a-648b-0b25f1f05503", "Chrome on Mac" },
	{ "fbfc3007-154e-4ecc-8c0b-6e020557d7bd", "iCloud Keychain" },
	{ "dd4ec289-e01d-41c9-bb89-70fa845d4bf2", "iCloud Keychain" },
	{ "08987058-cadc-4b81-b6e1-30de50dcbe96", "Windows Hello" },
	{ "9ddd1817-af5a-4672-a2b9-3e3dd95000a9", "Windows Hello" },
	{ "6028b017-b1d4-4c02-b4b3-afcdafc96bb2", "Windows Hello" },
	{ "bada5566-a7aa-401f-bd96-45619a55120d", "1Password" },
	{ "d548826e-79b4-db40-a3d8-11116f7e8349", "Bitwarden" },
	{ "531126d6-e717-415c-9320-3d9aa6981239", "Dashlane" },
	{ "53414d53-554e-4700-0000-000000000000", "Samsung Pass" },
	{ "cb69481e-8ff7-4039-93ec-0a2729a154a8", "YubiKey 5 Series" },
	{ "ee882879-721c-4913-9775-3dfcce97072a", "YubiKey 5 Series" },
	{ "fa2b99dc-9e39-4257-8f92-4a30d23c4118", "YubiKey 5 Series with NFC" },
	{ "2fc0579f-8113-47ea-b116-bb5a8db9202a", "YubiKey 5 Series with NFC" },
	{ "b92c3f9a-c014-4056-887f-140a2501163b", "Security Key by Yubico" },
};

/* The RP ID: APP_URL's host, without port (spec §3.1). */
static void
rp_id_of(const struct app_call *call, char out[RP_ID_MAX + 1])
{
	const char *url = call->app->settings->app_url;
	const char *host = strstr(url, "://");
	size_t n;

	host = host != NULL ? host + 3 : url;
	n = strcspn(host, ":/");
	if (n > RP_ID_MAX)
		n = RP_ID_MAX;
	memcpy(out, host, n);
	out[n] = '\0';
}

/* The AAGUID's 16 bytes in UUID text form, bits untouched. */
static void
aaguid_text(const uint8_t aaguid[16], char out[37])
{
	static const char digits[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = digits[aaguid[i] >> 4];
		out[o++] = digits[aaguid[i] & 15];
	}
	out[o] = '\0';
}

#define AAGUID_FILE_MAX (1024u * 1024u)

/*
 * The name PASSKEY_AAGUID_FILE gives aaguid, as a new string; NULL when
 * there is no file, no entry, or the file is unreadable (logged).
 * Registration is rare, so the file is read when needed.
 */
static char *
aaguid_file_name(const struct app_call *call, const char *aaguid)
{
	const char *path = call->app->settings->passkey_aaguid_file;
	struct json_object *all = NULL, *entry, *name;
	struct wbuf text;
	char chunk[4096], *found = NULL;
	size_t n;
	FILE *f;

	if (path == NULL || path[0] == '\0')
		return NULL;
	if ((f = fopen(path, "r")) == NULL) {
		log_warn("PASSKEY_AAGUID_FILE %s cannot be read", path);
		return NULL;
	}
	wbuf_init(&text);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 &&
	    text.len <= AAGUID_FILE_MAX)
		wbuf_put(&text, chunk, n);
	fclose(f);
	if (text.len > AAGUID_FILE_MAX || wbuf_error(&text) != PERR_OK ||
	    ojson_parse((const char *)text.data, text.len, &all) != PERR_OK)
		log_warn("PASSKEY_AAGUID_FILE %s is not a JSON object of at "
		    "most 1 MiB", path);
	else if (json_object_object_get_ex(all, aaguid, &entry) &&
	    json_object_object_get_ex(entry, "name", &name) &&
	    json_object_is_type(name, json_type_string) &&
	    json_object_get_string_len(name) > 0 &&
	    json_object_get_string_len(name) <= PASSKEY_NAME_MAX)
		found = str_dup(json_object_get_string(name));
	json_object_put(all);
	wbuf_free(&text);
	return found;
}

/* The file's name, else the built-in table's, else "New Passkey". */
static char *
authenticator_name(const struct app_call *call, const char *aaguid)
{
	char *name = aaguid_file_name(call, aaguid);
	size_t i;

	for (i = 0; name == NULL && i < sizeof(known_authenticators) /
	    sizeof(known_authenticators[0]); i++)
		if (strcmp(known_authenticators[i].aaguid, aaguid) == 0)
			name = str_dup(known_authenticators[i].name);
	return name != NULL ? name : str_dup("New Passkey");
}

static bool
is_setting(struct app_call *call, const char *key, const char *value)
{
	char *text = auth_app_setting(call, key);
	bool same = text != NULL && strcmp(text, value) == 0;

	free(text);
	return same;
}

/* Starts a ceremony: stores it, sets the cookie, returns the challenge. */
static int
ceremony_start(struct app_call *call, const char *user_id,
    const char *user_verification, char **challenge)
{
	uint8_t bytes[CHALLENGE_BYTES];
	char id[STORE_ID_LEN + 1];
	int rc;

	*challenge = NULL;
	if ((rc = crypto_random(bytes, sizeof(bytes))) != PERR_OK)
		return rc;
	if ((*challenge = b64url_encode(bytes, sizeof(bytes), NULL)) == NULL)
		return PERR_NOMEM;
	rc = store_webauthn_session_create(call->app->db, *challenge,
	    user_verification, "[]", user_id, CEREMONY_SECONDS, id);
	if (rc == PERR_OK)
		http_response_cookie(call->res, auth_cookie_name(call,
		    "session"), id, "/", CEREMONY_SECONDS);
	return rc;
}

/*
 * Takes the ceremony named by the cookie; on false the response is set
 * (400 missing_session_id or invalid_webauthn_session).
 */
static bool
ceremony_take(struct app_call *call, struct store_webauthn_session *ws)
{
	char *id = http_cookie_get(call->req, auth_cookie_name(call,
	    "session"));
	int rc;

	if (id == NULL) {
		http_response_error(call->res, call->req, 400,
		    "missing_session_id", "The WebAuthn session is missing; "
		    "start again");
		return false;
	}
	rc = store_webauthn_session_take(call->app->db, id, ws);
	free(id);
	/* Single use: the cookie has done its job either way. */
	http_response_cookie(call->res, auth_cookie_name(call, "session"), "",
	    "/", 0);
	if (rc == PERR_OK)
		return true;
	if (rc == PERR_NOT_FOUND || rc == PERR_INVALID)
		http_response_error(call->res, call->req, 400,
		    "invalid_webauthn_session", "The WebAuthn session has "
		    "expired or was used already; start again");
	else
		http_response_perr(call->res, call->req, rc, NULL);
	return false;
}

/* The policy for a ceremony; challenge decoded into *challenge. */
static int
make_policy(struct app_call *call, const struct store_webauthn_session *ws,
    char rp_id[RP_ID_MAX + 1], const char **origins,
    struct webauthn_policy *p, uint8_t **challenge)
{
	size_t len = 0;
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = b64url_decode(ws->challenge, strlen(ws->challenge),
	    challenge, &len)) != PERR_OK)
		return rc;
	rp_id_of(call, rp_id);
	origins[0] = call->app->settings->app_url;
	p->challenge = *challenge;
	p->challenge_len = len;
	p->origins = origins;
	p->origins_len = 1;
	p->rp_id = rp_id;
	p->user_verification_required =
	    strcmp(ws->user_verification, "required") == 0;
	p->now = (int64_t)time(NULL);
	return PERR_OK;
}

static void
respond_webauthn_failure(struct app_call *call,
    const struct webauthn_status *st, bool login)
{
	log_info("WebAuthn %s refused: %s (%s)", login ? "assertion" :
	    "registration", webauthn_fail_str(st->fail),
	    st->why != NULL ? st->why : "");
	if (st->fail == WEBAUTHN_FAIL_USER_VERIFICATION)
		http_response_error(call->res, call->req, 400,
		    "passkey_user_verification_required", "This passkey did "
		    "not verify the user (PIN or biometrics); that is required");
	else if (login && st->fail != WEBAUTHN_FAIL_MALFORMED)
		http_response_error(call->res, call->req, 401,
		    "webauthn_authentication_failed",
		    "Authentication with the passkey failed");
	else
		http_response_error(call->res, call->req, 400,
		    "invalid_webauthn_response",
		    "The passkey's response is invalid");
}

/* JSON array of the algorithms we accept, as pubKeyCredParams. */
static void
put_cred_params(struct wbuf *w)
{
	size_t i, n = sizeof(webauthn_default_algs) /
	    sizeof(webauthn_default_algs[0]);

	wbuf_putc(w, '[');
	for (i = 0; i < n; i++)
		wbuf_printf(w, "%s{\"type\":\"public-key\",\"alg\":%d}",
		    i > 0 ? "," : "", (int)webauthn_default_algs[i]);
	wbuf_putc(w, ']');
}

static int
user_names(struct app_call *call, char **username, char **display)
{
	struct json_object *dto = NULL, *v;
	char *json = NULL;
	int rc;

	*username = *display = NULL;
	if ((rc = store_user_dto(call->app->db, call->caller.user_id,
	    &json)) != PERR_OK)
		return rc;
	rc = ojson_parse(json, strlen(json), &dto);
	free(json);
	if (rc != PERR_OK)
		return PERR_INTERNAL;
	if (json_object_object_get_ex(dto, "username", &v))
		*username = str_dup(json_object_get_string(v));
	if (json_object_object_get_ex(dto, "displayName", &v))
		*display = str_dup(json_object_get_string(v));
	json_object_put(dto);
	return *username != NULL && *display != NULL ? PERR_OK : PERR_NOMEM;
}

void
auth_passkey_register_start(struct app_call *call)
{
	char rp_id[RP_ID_MAX + 1], *challenge = NULL, *exclude = NULL;
	char *username = NULL, *display = NULL, *app_name = NULL;
	char *attachment = NULL, *user_handle = NULL;
	const char *uv = is_setting(call, "webauthnUserVerification",
	    "preferred") ? "preferred" : "required";
	struct wbuf w;
	int rc;

	wbuf_init(&w);
	if ((rc = user_names(call, &username, &display)) != PERR_OK ||
	    (rc = store_credential_exclude_list(call->app->db,
	    call->caller.user_id, &exclude)) != PERR_OK ||
	    (rc = ceremony_start(call, call->caller.user_id, uv,
	    &challenge)) != PERR_OK)
		goto fail;
	rp_id_of(call, rp_id);
	app_name = auth_app_setting(call, "appName");
	attachment = auth_app_setting(call, "webauthnAuthenticatorAttachment");
	/* spec §3.2: the user handle is the user's UUID as UTF-8 bytes. */
	user_handle = b64url_encode((const uint8_t *)call->caller.user_id,
	    strlen(call->caller.user_id), NULL);
	if (app_name == NULL || attachment == NULL || user_handle == NULL) {
		rc = PERR_NOMEM;
		goto fail;
	}
	wbuf_puts(&w, "{\"rp\":{\"name\":");
	wbuf_put_json_string(&w, app_name, strlen(app_name));
	wbuf_puts(&w, ",\"id\":");
	wbuf_put_json_string(&w, rp_id, strlen(rp_id));
	wbuf_puts(&w, "},\"user\":{\"name\":");
	wbuf_put_json_string(&w, username, strlen(username));
	wbuf_puts(&w, ",\"displayName\":");
	wbuf_put_json_string(&w, display, strlen(display));
	wbuf_printf(&w, ",\"id\":\"%s\"},\"challenge\":\"%s\","
	    "\"pubKeyCredParams\":", user_handle, challenge);
	put_cred_params(&w);
	wbuf_printf(&w, ",\"timeout\":%d,\"excludeCredentials\":%s,"
	    "\"authenticatorSelection\":{", CEREMONY_SECONDS * 1000, exclude);
	if (strcmp(attachment, "platform") == 0 ||
	    strcmp(attachment, "cross-platform") == 0)
		wbuf_printf(&w, "\"authenticatorAttachment\":\"%s\",",
		    attachment);
	wbuf_printf(&w, "\"requireResidentKey\":true,\"residentKey\":"
	    "\"required\",\"userVerification\":\"%s\"},\"attestation\":"
	    "\"none\",\"extensions\":{\"credProps\":true}}", uv);
	if ((rc = wbuf_error(&w)) != PERR_OK)
		goto fail;
	http_response_json(call->res, 200, (const char *)w.data);
	goto out;
fail:
	http_response_perr(call->res, call->req, rc, NULL);
out:
	wbuf_free(&w);
	free(challenge);
	free(exclude);
	free(username);
	free(display);
	free(app_name);
	free(attachment);
	free(user_handle);
}

/* Transports as a JSON array of strings. */
static char *
transports_json(const struct webauthn_registration *reg)
{
	struct wbuf w;
	size_t i;

	wbuf_init(&w);
	wbuf_putc(&w, '[');
	for (i = 0; i < reg->transports_len; i++) {
		if (i > 0)
			wbuf_putc(&w, ',');
		wbuf_put_json_string(&w, reg->transports[i],
		    strlen(reg->transports[i]));
	}
	wbuf_putc(&w, ']');
	return wbuf_steal(&w, NULL);
}

static void
audit_passkey(struct app_call *call, const char *event, const char *user_id,
    const char *credential_hex, const char *name)
{
	struct wbuf w;

	wbuf_init(&w);
	wbuf_puts(&w, "{\"credentialID\":");
	wbuf_put_json_string(&w, credential_hex, strlen(credential_hex));
	wbuf_puts(&w, ",\"passkeyName\":");
	wbuf_put_json_string(&w, name, strlen(name));
	wbuf_putc(&w, '}');
	if (wbuf_error(&w) == PERR_OK)
		auth_audit(call, event, user_id, (const char *)w.data);
	wbuf_free(&w);
}

/* Stores a verified registration; answers with the new credential. */
static void
register_store(struct app_call *call, const struct webauthn_registration *reg)
{
	struct store_credential_new c = { 0 };
	char aaguid[37], *transports = transports_json(reg), *dto = NULL;
	char *hex = hex_encode(reg->credential_id, reg->credential_id_len);
	char *name;
	int rc;

	aaguid_text(reg->aaguid, aaguid);
	name = authenticator_name(call, aaguid);
	c.user_id = call->caller.user_id;
	c.name = name;
	c.credential_id = reg->credential_id;
	c.credential_id_len = reg->credential_id_len;
	c.public_key = reg->public_key;
	c.public_key_len = reg->public_key_len;
	c.attestation_type = webauthn_att_type_str(reg->att_type);
	c.transports_json = transports;
	c.backup_eligible = reg->backup_eligible;
	c.backup_state = reg->backup_state;
	c.sign_count = reg->sign_count;
	c.aaguid = aaguid;
	rc = transports == NULL || hex == NULL || name == NULL ? PERR_NOMEM :
	    store_credential_add(call->app->db, &c, &dto);
	if (rc == PERR_CONFLICT) {
		http_response_error(call->res, call->req, 400,
		    "invalid_webauthn_response",
		    "This passkey is registered already");
	} else if (rc != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
	} else {
		audit_passkey(call, "PASSKEY_ADDED", call->caller.user_id, hex,
		    c.name);
		http_response_json(call->res, 200, dto);
	}
	free(transports);
	free(hex);
	free(dto);
	free(name);
}

void
auth_passkey_register_finish(struct app_call *call)
{
	struct store_webauthn_session ws = { 0 };
	struct webauthn_reg_response *resp = NULL;
	struct webauthn_registration *reg = NULL;
	struct webauthn_status st = { WEBAUTHN_FAIL_NONE, NULL };
	struct webauthn_policy policy;
	char rp_id[RP_ID_MAX + 1];
	const char *origins[1];
	uint8_t *challenge = NULL;
	int rc;

	if (!ceremony_take(call, &ws))
		return;
	if (strcmp(ws.user_id, call->caller.user_id) != 0) {
		http_response_error(call->res, call->req, 400,
		    "invalid_webauthn_session",
		    "This WebAuthn session belongs to someone else");
		goto out;
	}
	if ((rc = make_policy(call, &ws, rp_id, origins, &policy,
	    &challenge)) != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
		goto out;
	}
	if (webauthn_reg_response_parse((const char *)call->req->body,
	    call->req->body_len, &resp) != PERR_OK) {
		st.fail = WEBAUTHN_FAIL_MALFORMED;
		respond_webauthn_failure(call, &st, false);
		goto out;
	}
	if (webauthn_registration_verify(&policy, resp, &reg, &st) !=
	    PERR_OK) {
		respond_webauthn_failure(call, &st, false);
		goto out;
	}
	if (reg->backup_eligible &&
	    is_setting(call, "webauthnAllowSyncedPasskeys", "false")) {
		http_response_error(call->res, call->req, 400,
		    "synced_passkey_not_allowed", "Synced passkeys are not "
		    "allowed here; use a security key or a device-bound "
		    "passkey");
		goto out;
	}
	register_store(call, reg);
out:
	webauthn_registration_free(reg);
	webauthn_reg_response_free(resp);
	store_webauthn_session_clear(&ws);
	free(challenge);
}

void
auth_passkey_login_start(struct app_call *call)
{
	const char *uv = is_setting(call, "webauthnUserVerification",
	    "preferred") ? "preferred" : "required";
	char rp_id[RP_ID_MAX + 1], *challenge = NULL;
	struct wbuf w;
	int rc;

	wbuf_init(&w);
	if ((rc = ceremony_start(call, NULL, uv, &challenge)) != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
		goto out;
	}
	rp_id_of(call, rp_id);
	wbuf_printf(&w, "{\"challenge\":\"%s\",\"timeout\":%d,\"rpId\":",
	    challenge, CEREMONY_SECONDS * 1000);
	wbuf_put_json_string(&w, rp_id, strlen(rp_id));
	wbuf_printf(&w, ",\"userVerification\":\"%s\"}", uv);
	if (wbuf_error(&w) != PERR_OK)
		http_response_perr(call->res, call->req, PERR_NOMEM, NULL);
	else
		http_response_json(call->res, 200, (const char *)w.data);
out:
	wbuf_free(&w);
	free(challenge);
}

/*
 * Verifies an assertion against the ceremony ws. On success *user_id is
 * the credential's owner; on failure the response is set.
 */
static bool
assertion_check(struct app_call *call, const struct store_webauthn_session *ws,
    char user_id[STORE_ID_LEN + 1])
{
	struct webauthn_assert_response *resp = NULL;
	struct webauthn_status st = { WEBAUTHN_FAIL_NONE, NULL };
	struct webauthn_credential cred = { 0 };
	struct store_credential stored = { 0 };
	struct webauthn_assertion result;
	struct webauthn_policy policy;
	char rp_id[RP_ID_MAX + 1];
	const char *origins[1];
	uint8_t *challenge = NULL;
	bool ok = false;
	int rc;

	if (webauthn_assert_response_parse((const char *)call->req->body,
	    call->req->body_len, &resp) != PERR_OK) {
		st.fail = WEBAUTHN_FAIL_MALFORMED;
		respond_webauthn_failure(call, &st, true);
		goto out;
	}
	rc = store_credential_find(call->app->db, resp->raw_id,
	    resp->raw_id_len, &stored);
	/* §7.2 step 6: the user handle, when given, must be the owner's. */
	if (rc == PERR_NOT_FOUND || (resp->user_handle_len > 0 &&
	    (resp->user_handle_len != strlen(stored.user_id) ||
	    memcmp(resp->user_handle, stored.user_id,
	    resp->user_handle_len) != 0))) {
		st.fail = WEBAUTHN_FAIL_SIGNATURE;
		st.why = "unknown credential or user handle mismatch";
		respond_webauthn_failure(call, &st, true);
		goto out;
	}
	if (rc != PERR_OK || (rc = make_policy(call, ws, rp_id, origins,
	    &policy, &challenge)) != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
		goto out;
	}
	cred.public_key = stored.public_key;
	cred.public_key_len = stored.public_key_len;
	cred.sign_count = stored.sign_count;
	cred.has_backup_eligible = true;
	cred.backup_eligible = stored.backup_eligible;
	if (webauthn_assertion_verify(&policy, &cred, resp, &result, &st) !=
	    PERR_OK) {
		respond_webauthn_failure(call, &st, true);
		goto out;
	}
	if (stored.user_disabled) {
		http_response_error(call->res, call->req, 403,
		    "user_disabled", "This account has been disabled");
		goto out;
	}
	if (result.counter_regressed) {
		log_warn("passkey %s of user %s: signature counter went from "
		    "%u to %u (a cloned authenticator?)", stored.id,
		    stored.user_id, stored.sign_count, result.sign_count);
		auth_audit(call, "PASSKEY_COUNTER_REGRESSION", stored.user_id,
		    NULL);
	}
	(void)store_credential_used(call->app->db, stored.id,
	    result.sign_count, result.backup_state);
	memcpy(user_id, stored.user_id, STORE_ID_LEN + 1);
	ok = true;
out:
	webauthn_assert_response_free(resp);
	store_credential_clear(&stored);
	free(challenge);
	return ok;
}

void
auth_passkey_login_finish(struct app_call *call)
{
	struct store_webauthn_session ws = { 0 };
	char user_id[STORE_ID_LEN + 1], *json = NULL;
	int rc;

	if (!ceremony_take(call, &ws))
		return;
	if (!assertion_check(call, &ws, user_id))
		goto out;
	if ((rc = auth_session_start(call, user_id, "phr")) != PERR_OK ||
	    (rc = store_user_dto(call->app->db, user_id, &json)) != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
		goto out;
	}
	auth_audit(call, "SIGN_IN", user_id, NULL);
	http_response_json(call->res, 200, json);
out:
	free(json);
	store_webauthn_session_clear(&ws);
}

/* Issues a re-authentication token cookie (spec §3.6). */
static void
reauth_issue(struct app_call *call)
{
	char hash[65], *token = NULL;
	int rc;

	if ((rc = crypto_random_token(REAUTH_TOKEN_BYTES, &token)) ==
	    PERR_OK && (rc = auth_token_hash(token, hash)) == PERR_OK)
		rc = store_reauth_create(call->app->db, hash,
		    call->caller.user_id, REAUTH_SECONDS);
	if (rc != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
	} else {
		http_response_cookie(call->res, auth_cookie_name(call,
		    "reauthentication_token"), token, "/", REAUTH_SECONDS);
		http_response_no_content(call->res, 204);
	}
	str_free_secret(token);
}

void
auth_passkey_reauthenticate(struct app_call *call)
{
	const struct store_session *s = &call->caller.session;
	struct store_webauthn_session ws = { 0 };
	char user_id[STORE_ID_LEN + 1];

	if (!ceremony_take(call, &ws))
		return;
	if (call->req->body_len == 0) {
		/* The shortcut: a passkey sign-in less than a minute old. */
		if (strcmp(s->amr, "phr") == 0 && (int64_t)time(NULL) -
		    s->created_at < REAUTH_SHORTCUT_SECONDS)
			reauth_issue(call);
		else
			http_response_error(call->res, call->req, 401,
			    "reauthentication_required",
			    "Please confirm with your passkey");
		goto out;
	}
	if (!assertion_check(call, &ws, user_id))
		goto out;
	if (strcmp(user_id, call->caller.user_id) != 0) {
		http_response_error(call->res, call->req, 401,
		    "reauthentication_required",
		    "That passkey belongs to another account");
		goto out;
	}
	reauth_issue(call);
out:
	store_webauthn_session_clear(&ws);
}

void
auth_passkey_list(struct app_call *call)
{
	char *json = NULL;
	int rc = store_credential_list(call->app->db, call->caller.user_id,
	    &json);

	http_response_result(call->res, call->req, rc, 200, json);
	free(json);
}

void
auth_passkey_rename(struct app_call *call)
{
	const char *id = http_route_param(call->req, "id");
	struct json_object *body = NULL, *v;
	const char *why = NULL, *name = NULL;
	char *dto = NULL;
	int rc;

	if (http_request_json(call->req, &body, &why) != PERR_OK) {
		http_response_error(call->res, call->req, 400,
		    "invalid_request_body", why);
		return;
	}
	if (json_object_object_get_ex(body, "name", &v) &&
	    json_object_is_type(v, json_type_string))
		name = json_object_get_string(v);
	if (name == NULL || name[0] == '\0' ||
	    strlen(name) > PASSKEY_NAME_MAX) {
		http_response_validation(call->res, call->req, "name",
		    name == NULL || name[0] == '\0' ? "required" : "too_long",
		    "A passkey name has 1 to 50 characters");
		goto out;
	}
	rc = str_is_uuid(id) ? store_credential_rename(call->app->db,
	    id, call->caller.user_id, name, &dto) : PERR_NOT_FOUND;
	if (rc == PERR_NOT_FOUND)
		http_response_error(call->res, call->req, 404, "not_found",
		    "Passkey not found");
	else if (rc != PERR_OK)
		http_response_perr(call->res, call->req, rc, NULL);
	else
		http_response_json(call->res, 200, dto);
out:
	free(dto);
	json_object_put(body);
}

void
auth_passkey_delete(struct app_call *call)
{
	const char *id = http_route_param(call->req, "id");
	char *name = NULL, *hex = NULL;
	int rc;

	rc = str_is_uuid(id) ? store_credential_delete(call->app->db,
	    id, call->caller.user_id, &name, &hex) : PERR_NOT_FOUND;
	if (rc == PERR_NOT_FOUND) {
		http_response_error(call->res, call->req, 404, "not_found",
		    "Passkey not found");
	} else if (rc != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
	} else {
		audit_passkey(call, "PASSKEY_REMOVED", call->caller.user_id,
		    hex, name);
		http_response_no_content(call->res, 204);
	}
	free(name);
	free(hex);
}
