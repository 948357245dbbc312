/*
 * users: the admin's user routes (spec §1.5) and PUT /api/users/me:
 * list, get, create, update, delete, group membership and the admin's
 * view of a user's passkeys. LDAP-managed users (ldapEnabled and an
 * ldap_id) only ever change their locale, silently, as in Pocket ID.
 * Profile pictures are not here.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "http/http.h"
#include "admin/admin.h"

void
admin_respond_user(struct app_call *call, const char *id, int status)
{
	char *json = NULL;
	int rc = store_user_dto(call->app->db, id, &json);

	if (rc == PERR_NOT_FOUND)
		admin_user_not_found(call);
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_json(call->res, status, json);
	free(json);
}

static bool
is_ldap_managed(struct app_call *call, const struct store_user *u)
{
	return u->ldap_id != NULL &&
	    admin_setting_is_true(call, "ldapEnabled");
}

void
admin_users_list(struct app_call *call)
{
	admin_list_respond(call, &store_list_users, NULL);
}

void
admin_user_get(struct app_call *call)
{
	const char *id;

	if (!admin_path_uuid(call, "id", &id)) {
		admin_user_not_found(call);
		return;
	}
	admin_respond_user(call, id, 200);
}

void
admin_user_create(struct app_call *call)
{
	struct admin_user_body b;
	struct store_user_input u;
	char id[STORE_ID_LEN + 1], *groups = NULL, *claims = NULL;
	const char *conflict = NULL;
	bool strict;
	int rc;

	if (!admin_user_body_request(call, &b, false))
		goto out;
	admin_user_body_input(&b, &u);
	if (u.id == NULL) {
		if ((rc = crypto_uuid_v4(id)) != PERR_OK) {
			admin_fail(call, rc);
			goto out;
		}
		u.id = id;
	}
	if (!b.has_email_verified)
		u.email_verified = admin_setting_is_true(call,
		    "emailsVerified");
	/* Without explicit groups the signup defaults apply; default
	 * claims always do (spec §1.5). */
	strict = b.group_ids != NULL;
	if (!strict)
		groups = admin_default_groups(call);
	claims = admin_default_claims(call);
	rc = store_user_create(call->app->db, &u,
	    strict ? b.group_ids : groups, strict, claims, &conflict);
	if (rc != PERR_OK)
		admin_user_write_failed(call, rc, conflict);
	else
		admin_respond_user(call, u.id, 201);
out:
	free(groups);
	free(claims);
	admin_user_body_clear(&b);
}

/*
 * emailVerified after an update: what the admin said, else unchanged
 * while the email is, else (a new email) the emailsVerified setting.
 */
static bool
email_verified_after(struct app_call *call, const struct store_user *old,
    const char *email, bool said, bool has_said)
{
	bool same = (old->email == NULL && email == NULL) ||
	    (old->email != NULL && email != NULL &&
	    str_eq_ci(old->email, email));

	if (has_said)
		return said;
	if (same)
		return old->email_verified;
	return admin_setting_is_true(call, "emailsVerified");
}

/* Reads only the locale of a body (the LDAP and no-own-edit paths). */
static bool
read_locale_only(struct app_call *call, char **locale)
{
	struct json_object *body = NULL;
	struct admin_invalid v;
	char *strings[1];
	int rc;

	*locale = NULL;
	if (!admin_body_object(call, &body))
		return false;
	admin_invalid_init(&v);
	(void)admin_json_string(body, "locale", locale, &v);
	json_object_put(body);
	if (admin_invalid_respond(call, &v))
		return false;
	strings[0] = *locale;
	rc = store_nfc(call->app->db, strings, 1);
	*locale = strings[0];
	if (rc != PERR_OK) {
		admin_fail(call, rc);
		return false;
	}
	if (*locale != NULL && (*locale)[0] != '\0' &&
	    !admin_is_valid_locale(*locale)) {
		admin_invalid_field(call, "locale", "invalid_format",
		    "must be a language tag such as en or zh-CN");
		return false;
	}
	return true;
}

static void
update_locale_only(struct app_call *call, const char *id)
{
	char *locale = NULL;
	int rc;

	if (!read_locale_only(call, &locale))
		return;
	if (locale != NULL && locale[0] == '\0') {
		free(locale);
		locale = NULL;
	}
	rc = store_user_set_locale(call->app->db, id, locale);
	free(locale);
	if (rc == PERR_NOT_FOUND)
		admin_user_not_found(call);
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		admin_respond_user(call, id, 200);
}

/*
 * The shared body of PUT /api/users/:id (as_admin) and PUT
 * /api/users/me: the admin sets isAdmin, disabled and emailVerified; a
 * user keeps theirs.
 */
static void
update_user(struct app_call *call, const struct store_user *old,
    bool as_admin)
{
	struct admin_user_body b;
	struct store_user_input u;
	const char *conflict = NULL;
	int rc;

	if (!admin_user_body_request(call, &b, false))
		goto out;
	admin_user_body_input(&b, &u);
	u.id = old->id;
	if (!as_admin) {
		u.is_admin = old->is_admin;
		u.disabled = old->disabled;
	}
	u.email_verified = email_verified_after(call, old, u.email,
	    b.email_verified, as_admin && b.has_email_verified);
	rc = store_user_update(call->app->db, &u, &conflict);
	if (rc == PERR_NOT_FOUND)
		admin_user_not_found(call);
	else if (rc != PERR_OK)
		admin_user_write_failed(call, rc, conflict);
	else
		admin_respond_user(call, old->id, 200);
out:
	admin_user_body_clear(&b);
}

/* Loads user id into *old; on false the 404 or error is answered. */
static bool
load_user(struct app_call *call, const char *id, struct store_user *old)
{
	int rc = store_user_get(call->app->db, id, old);

	if (rc == PERR_NOT_FOUND)
		admin_user_not_found(call);
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	return rc == PERR_OK;
}

void
admin_user_update(struct app_call *call)
{
	struct store_user old;
	const char *id;

	if (!admin_path_uuid(call, "id", &id)) {
		admin_user_not_found(call);
		return;
	}
	if (!load_user(call, id, &old))
		return;
	if (is_ldap_managed(call, &old))
		update_locale_only(call, old.id);
	else
		update_user(call, &old, true);
	store_user_clear(&old);
}

void
admin_user_update_me(struct app_call *call)
{
	struct store_user old;

	if (!load_user(call, call->caller.user_id, &old))
		return;
	if (is_ldap_managed(call, &old) ||
	    !admin_setting_is_true(call, "allowOwnAccountEdit"))
		update_locale_only(call, old.id);
	else
		update_user(call, &old, false);
	store_user_clear(&old);
}

void
admin_user_delete(struct app_call *call)
{
	struct store_user old;
	const char *id;
	int rc;

	if (!admin_path_uuid(call, "id", &id)) {
		admin_user_not_found(call);
		return;
	}
	if (!load_user(call, id, &old))
		return;
	/* spec §1.5: an active LDAP user comes back with the next sync. */
	if (is_ldap_managed(call, &old) && !old.disabled) {
		http_response_error(call->res, call->req, 403,
		    "ldap_user_update", "LDAP users can't be updated");
		store_user_clear(&old);
		return;
	}
	store_user_clear(&old);
	rc = store_user_delete(call->app->db, id);
	if (rc == PERR_NOT_FOUND)
		admin_user_not_found(call);
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_no_content(call->res, 204);
}

void
admin_user_groups_get(struct app_call *call)
{
	const char *id;
	char *json = NULL;
	bool disabled;
	int rc;

	if (!admin_path_uuid(call, "id", &id) ||
	    store_user_is_disabled(call->app->db, id, &disabled) ==
	    PERR_NOT_FOUND) {
		admin_user_not_found(call);
		return;
	}
	rc = store_user_groups_dto(call->app->db, id, &json);
	http_response_result(call->res, call->req, rc, 200, json);
	free(json);
}

void
admin_user_groups_set(struct app_call *call)
{
	struct json_object *body = NULL, *ids;
	struct admin_invalid v;
	const char *id, *missing = NULL;
	char *json = NULL;
	int rc;

	if (!admin_path_uuid(call, "id", &id)) {
		admin_user_not_found(call);
		return;
	}
	if (!admin_body_object(call, &body))
		return;
	admin_invalid_init(&v);
	if (!json_object_object_get_ex(body, "userGroupIds", &ids) ||
	    json_object_is_type(ids, json_type_null))
		admin_invalid_add(&v, "userGroupIds", "required",
		    "is required");
	else
		(void)admin_json_ids(body, "userGroupIds", &json, NULL, &v);
	json_object_put(body);
	if (admin_invalid_respond(call, &v))
		goto out;
	rc = store_user_groups_set(call->app->db, id, json, &missing);
	if (rc == PERR_NOT_FOUND && missing != NULL &&
	    strcmp(missing, "User") == 0)
		admin_user_not_found(call);
	else if (rc == PERR_NOT_FOUND)
		admin_not_found(call, "User group");
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		admin_respond_user(call, id, 200);
out:
	free(json);
}

void
admin_user_passkeys_list(struct app_call *call)
{
	const char *id;
	char *json = NULL;
	bool disabled;
	int rc;

	if (!admin_path_uuid(call, "id", &id) ||
	    store_user_is_disabled(call->app->db, id, &disabled) ==
	    PERR_NOT_FOUND) {
		admin_user_not_found(call);
		return;
	}
	rc = store_credential_list(call->app->db, id, &json);
	http_response_result(call->res, call->req, rc, 200, json);
	free(json);
}

/* spec §8: PASSKEY_REMOVED on the target user, naming the admin. */
static void
audit_removed(struct app_call *call, const char *user_id, const char *hex,
    const char *name)
{
	struct store_user actor;
	struct wbuf w;
	bool has_actor;

	has_actor = store_user_get(call->app->db, call->caller.user_id,
	    &actor) == PERR_OK;
	wbuf_init(&w);
	wbuf_puts(&w, "{\"credentialID\":");
	wbuf_put_json_string(&w, hex, strlen(hex));
	wbuf_puts(&w, ",\"passkeyName\":");
	wbuf_put_json_string(&w, name, strlen(name));
	wbuf_puts(&w, ",\"actorUserID\":");
	wbuf_put_json_string(&w, call->caller.user_id,
	    strlen(call->caller.user_id));
	if (has_actor && actor.username != NULL) {
		wbuf_puts(&w, ",\"actorUsername\":");
		wbuf_put_json_string(&w, actor.username,
		    strlen(actor.username));
	}
	wbuf_putc(&w, '}');
	if (wbuf_error(&w) == PERR_OK)
		auth_audit(call, "PASSKEY_REMOVED", user_id,
		    (const char *)w.data);
	wbuf_free(&w);
	if (has_actor)
		store_user_clear(&actor);
}

void
admin_user_passkey_delete(struct app_call *call)
{
	const char *id, *cred;
	char *name = NULL, *hex = NULL;
	int rc;

	if (!admin_path_uuid(call, "id", &id)) {
		admin_user_not_found(call);
		return;
	}
	rc = admin_path_uuid(call, "credentialId", &cred) ?
	    store_credential_delete(call->app->db, cred, id, &name, &hex) :
	    PERR_NOT_FOUND;
	if (rc == PERR_NOT_FOUND) {
		admin_not_found(call, "Passkey");
	} else if (rc != PERR_OK) {
		admin_fail(call, rc);
	} else {
		audit_removed(call, id, hex, name);
		http_response_no_content(call->res, 204);
	}
	free(name);
	free(hex);
}
