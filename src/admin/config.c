/*
 * config: the application configuration routes (spec §1.10): the public
 * list the UI loads on every page, the admin list, the full-replacement
 * PUT with per-key validation (config_rules.c), and the two admin actions
 * that belong to it (test email, LDAP sync). The keys, defaults and
 * environment names are app_setting_defs[] (auth/appcfg.c).
 *
 * With UI_CONFIG_DISABLED the values come from the settings' environment
 * names (conf_text: environment or config file, NAME_FILE for the
 * passwords), passwords are shown as XXXXXXXXXX and PUT is refused.
 * Otherwise they come from the database on every request, so a change is
 * seen by every worker and replica at once; passwords are sealed at rest.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "keys/keys.h"
#include "store/store.h"
#include "admin/admin.h"
#include "admin/admin_config.h"

#define REDACTED "XXXXXXXXXX"

/*
 * The one place a stored password goes through on its way to and from the
 * database: sealed under ENCRYPTION_KEY as Pocket ID's encrypted strings
 * are (keys_seal_string: HKDF "pocketid/encrypted_string", AES-256-GCM),
 * unlike Pocket ID, which keeps these two in plain text.
 * pocket-id encryption-key-rotate re-seals them with the signing keys.
 */
static int
secret_seal(struct app_call *call, const char *plain, char **stored)
{
	return keys_seal_string(keys_ring_master(call->app->keys), plain,
	    strlen(plain), stored);
}

static int
secret_open(struct app_call *call, const char *stored, char **plain)
{
	size_t len = 0;
	int rc;

	rc = keys_open_string(keys_ring_master(call->app->keys), stored,
	    plain, &len);
	/* An embedded NUL would cut the value short: not a password. */
	if (rc == PERR_OK && strlen(*plain) != len) {
		crypto_secret_free(*plain, len);
		*plain = NULL;
		rc = PERR_INVALID;
	}
	if (rc == PERR_WRONG_KEY || rc == PERR_INVALID)
		log_error("a stored SMTP or LDAP password does not open with "
		    "this ENCRYPTION_KEY; set it again in the admin UI");
	return rc;
}

static void
values_free(char **values)
{
	size_t i;

	if (values == NULL)
		return;
	for (i = 0; i < app_setting_defs_len; i++)
		str_free_secret(values[i]);
	free(values);
}

/* From the environment names, as with UI_CONFIG_DISABLED. */
static int
values_from_env(struct app_call *call, char **values)
{
	const char *text;
	size_t i;

	for (i = 0; i < app_setting_defs_len; i++) {
		text = conf_text(call->app->settings, app_setting_defs[i].env);
		if (text == NULL || text[0] == '\0')
			text = app_setting_defs[i].def;
		if ((values[i] = str_dup(text)) == NULL)
			return PERR_NOMEM;
	}
	return PERR_OK;
}

/* One stored value (or the default), opened when it is a password. */
static int
value_from_store(struct app_call *call, const struct app_setting_def *def,
    struct json_object *stored, char **out)
{
	struct json_object *v;
	const char *text = NULL;
	int rc;

	if (json_object_object_get_ex(stored, def->key, &v) &&
	    json_object_is_type(v, json_type_string))
		text = json_object_get_string(v);
	if (text == NULL || text[0] == '\0') {
		*out = str_dup(def->def);
		return *out != NULL ? PERR_OK : PERR_NOMEM;
	}
	if (def->is_sensitive) {
		rc = secret_open(call, text, out);
		/* Unreadable (another ENCRYPTION_KEY): shown as unset, so the
		 * admin can enter it again; the rest stays usable. */
		if (rc != PERR_WRONG_KEY && rc != PERR_INVALID)
			return rc;
		text = "";
	}
	*out = str_dup(text);
	return *out != NULL ? PERR_OK : PERR_NOMEM;
}

static int
values_from_store(struct app_call *call, char **values)
{
	struct json_object *stored = NULL;
	char *json = NULL;
	size_t i;
	int rc;

	if ((rc = store_app_config_list(call->app->db, &json)) != PERR_OK)
		return rc;
	rc = ojson_parse(json, strlen(json), &stored);
	free(json);
	if (rc != PERR_OK)
		return rc;
	for (i = 0; i < app_setting_defs_len && rc == PERR_OK; i++)
		rc = value_from_store(call, &app_setting_defs[i], stored,
		    &values[i]);
	json_object_put(stored);
	return rc;
}

/*
 * The effective value of every setting, in app_setting_defs[] order:
 * *out[i] are heap strings; release with values_free.
 */
static int
values_load(struct app_call *call, char ***out)
{
	char **values = calloc(app_setting_defs_len, sizeof(*values));
	int rc;

	*out = NULL;
	if (values == NULL)
		return PERR_NOMEM;
	rc = call->app->settings->ui_config_disabled ?
	    values_from_env(call, values) : values_from_store(call, values);
	if (rc != PERR_OK) {
		values_free(values);
		return rc;
	}
	*out = values;
	return PERR_OK;
}

/* {"key":..,"type":..,"value":..[,"isPublic":false]} */
static void
put_entry(struct wbuf *w, const char *key, const char *type,
    const char *value, bool with_is_public)
{
	if (w->len > 1)
		wbuf_putc(w, ',');
	wbuf_puts(w, "{\"key\":");
	wbuf_put_json_string(w, key, strlen(key));
	wbuf_puts(w, ",\"type\":");
	wbuf_put_json_string(w, type, strlen(type));
	wbuf_puts(w, ",\"value\":");
	wbuf_put_json_string(w, value, strlen(value));
	/* Pocket ID's DTO carries isPublic but never sets it. */
	if (with_is_public)
		wbuf_puts(w, ",\"isPublic\":false");
	wbuf_putc(w, '}');
}

/* Answers 200 with w as the body, or 500 when it could not be built. */
static void
respond_wbuf(struct app_call *call, struct wbuf *w)
{
	if (wbuf_error(w) != PERR_OK)
		admin_fail(call, PERR_NOMEM);
	else
		http_response_json(call->res, 200, (const char *)w->data);
	wbuf_free(w);
}

void
config_list_public(struct app_call *call)
{
	bool disabled = call->app->settings->ui_config_disabled;
	char **values = NULL;
	struct wbuf w;
	size_t i;
	int rc;

	if ((rc = values_load(call, &values)) != PERR_OK) {
		admin_fail(call, rc);
		return;
	}
	wbuf_init(&w);
	wbuf_putc(&w, '[');
	for (i = 0; i < app_setting_defs_len; i++)
		if (app_setting_defs[i].is_public)
			put_entry(&w, app_setting_defs[i].key, "", values[i],
			    false);
	/* Virtual keys (spec §4.2); no OTLP collector, so no tracing. */
	put_entry(&w, "uiConfigDisabled", "boolean",
	    disabled ? "true" : "false", false);
	put_entry(&w, "tracingEnabled", "", "false", false);
	wbuf_putc(&w, ']');
	values_free(values);
	respond_wbuf(call, &w);
}

/* Every setting; passwords redacted when they come from the environment. */
static void
respond_all(struct app_call *call)
{
	bool redact = call->app->settings->ui_config_disabled;
	const struct app_setting_def *def;
	char **values = NULL;
	struct wbuf w;
	size_t i;
	int rc;

	if ((rc = values_load(call, &values)) != PERR_OK) {
		admin_fail(call, rc);
		return;
	}
	wbuf_init(&w);
	wbuf_putc(&w, '[');
	for (i = 0; i < app_setting_defs_len; i++) {
		def = &app_setting_defs[i];
		put_entry(&w, def->key, "", redact && def->is_sensitive &&
		    values[i][0] != '\0' ? REDACTED : values[i], true);
	}
	wbuf_putc(&w, ']');
	values_free(values);
	respond_wbuf(call, &w);
}

void
config_list_all(struct app_call *call)
{
	respond_all(call);
}

/*
 * The body's value for each setting, in app_setting_defs[] order ("" when
 * absent); pointers into body. Members that are not settings are ignored,
 * as Pocket ID does. False (response set) on a member of the wrong type.
 */
static bool
body_values(struct app_call *call, struct json_object *body,
    const char **values)
{
	const struct app_setting_def *def;
	const char *s;
	size_t i;

	for (i = 0; i < app_setting_defs_len; i++)
		values[i] = "";
	json_object_object_foreach(body, key, v) {
		if ((def = app_setting_find(key)) == NULL)
			continue;
		s = json_object_is_type(v, json_type_string) ?
		    json_object_get_string(v) : NULL;
		if (s == NULL ||
		    strlen(s) != (size_t)json_object_get_string_len(v)) {
			http_response_error(call->res, call->req, 400,
			    "invalid_request_body",
			    "Every application setting must be a string");
			return false;
		}
		values[def - app_setting_defs] = s;
	}
	return true;
}

/*
 * appName is NFC-normalised before it is checked and stored (spec §0.4);
 * *owned (caller frees) holds the normalised copy values[] points at.
 */
static int
normalise_app_name(struct app_call *call, const char **values, char **owned)
{
	const struct app_setting_def *def = app_setting_find("appName");
	size_t i;
	int rc;

	if (def == NULL)
		return PERR_INTERNAL;
	i = (size_t)(def - app_setting_defs);
	if ((*owned = str_dup(values[i])) == NULL)
		return PERR_NOMEM;
	if ((rc = store_nfc(call->app->db, owned, 1)) == PERR_OK)
		values[i] = *owned;
	return rc;
}

/* Validates every value; false (response set, naming every bad field,
 * as Pocket ID does) when one is wrong. */
static bool
body_is_valid(struct app_call *call, const char **values)
{
	const char *code = NULL, *message = NULL;
	struct admin_invalid bad;
	size_t i;

	admin_invalid_init(&bad);
	for (i = 0; i < app_setting_defs_len; i++)
		if (!config_value_is_valid(app_setting_defs[i].key, values[i],
		    &code, &message))
			admin_invalid_add(&bad, app_setting_defs[i].key, code,
			    message);
	return !admin_invalid_respond(call, &bad);
}

/*
 * The rows to store: every value that is not empty and not the default,
 * passwords sealed. *out is a JSON object text the caller wipes and frees.
 */
static int
rows_json(struct app_call *call, const char **values, char **out)
{
	const struct app_setting_def *def;
	char *sealed = NULL;
	struct wbuf w;
	size_t i;
	int rc = PERR_OK;

	wbuf_init(&w);
	wbuf_putc(&w, '{');
	for (i = 0; i < app_setting_defs_len && rc == PERR_OK; i++) {
		def = &app_setting_defs[i];
		if (values[i][0] == '\0' || strcmp(values[i], def->def) == 0)
			continue;
		if (def->is_sensitive &&
		    (rc = secret_seal(call, values[i], &sealed)) != PERR_OK)
			break;
		if (w.len > 1)
			wbuf_putc(&w, ',');
		wbuf_put_json_string(&w, def->key, strlen(def->key));
		wbuf_putc(&w, ':');
		if (sealed != NULL)
			wbuf_put_json_string(&w, sealed, strlen(sealed));
		else
			wbuf_put_json_string(&w, values[i], strlen(values[i]));
		str_free_secret(sealed);
		sealed = NULL;
	}
	wbuf_putc(&w, '}');
	if (rc == PERR_OK)
		rc = wbuf_error(&w);
	*out = rc == PERR_OK ? wbuf_steal(&w, NULL) : NULL;
	wbuf_free(&w);
	return rc;
}

void
config_update(struct app_call *call)
{
	const char **values = NULL;
	struct json_object *body = NULL;
	char *rows = NULL, *app_name = NULL;
	int rc;

	if (call->app->settings->ui_config_disabled) {
		http_response_error(call->res, call->req, 403,
		    "ui_config_disabled", "The configuration can't be changed "
		    "since the UI configuration is disabled");
		return;
	}
	if (!admin_body_object(call, &body))
		return;
	if ((values = calloc(app_setting_defs_len, sizeof(*values))) == NULL) {
		rc = PERR_NOMEM;
		goto fail;
	}
	if (!body_values(call, body, values))
		goto out;
	if ((rc = normalise_app_name(call, values, &app_name)) != PERR_OK)
		goto fail;
	if (!body_is_valid(call, values))
		goto out;
	if ((rc = rows_json(call, values, &rows)) != PERR_OK ||
	    (rc = store_app_config_replace(call->app->db, rows)) != PERR_OK)
		goto fail;
	respond_all(call);
	goto out;
fail:
	admin_fail(call, rc);
out:
	str_free_secret(rows);
	free(app_name);
	free(values);
	json_object_put(body);
}

/*
 * Pocket ID sends a test email to the calling admin. Their address is
 * checked as it does; sending mail is not part of this build yet.
 */
void
config_test_email(struct app_call *call)
{
	struct json_object *user = NULL, *email;
	char *json = NULL;
	bool has_email;
	int rc;

	if ((rc = store_user_dto(call->app->db, call->caller.user_id,
	    &json)) != PERR_OK ||
	    (rc = ojson_parse(json, strlen(json), &user)) != PERR_OK) {
		admin_fail(call, rc);
		free(json);
		return;
	}
	has_email = json_object_object_get_ex(user, "email", &email) &&
	    json_object_is_type(email, json_type_string);
	if (!has_email)
		http_response_error(call->res, call->req, 409,
		    "user_email_not_set",
		    "The user does not have an email address set");
	else	/* XXX(mail issue): send it through the outbox. */
		http_response_error(call->res, call->req, 501,
		    "not_implemented", "Sending email is not available in "
		    "this version of pocket-id");
	json_object_put(user);
	free(json);
}

/* Pocket ID runs a full LDAP sync here; refused when LDAP is off. */
void
config_sync_ldap(struct app_call *call)
{
	char *enabled = auth_app_setting(call, "ldapEnabled");

	if (enabled == NULL)
		admin_fail(call, PERR_NOMEM);
	else if (strcmp(enabled, "true") != 0)
		http_response_error(call->res, call->req, 409, "ldap_disabled",
		    "LDAP is not enabled");
	else	/* XXX(LDAP issue): run the synchronisation. */
		http_response_error(call->res, call->req, 501,
		    "not_implemented", "LDAP synchronisation is not available "
		    "in this version of pocket-id");
	free(enabled);
}
