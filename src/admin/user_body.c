/*
 * user_body: the user fields the admin routes and signup accept (spec
 * §1.5 UserCreateDto, §1.4 signup body): read from JSON, NFC-normalised
 * through the database (spec §0.4), checked against the username, email
 * and length rules with every complaint collected; and the signup
 * defaults (groups and claims) read from the settings.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "admin/admin.h"

void
admin_user_body_read(struct json_object *obj, struct admin_user_body *b,
    struct admin_invalid *v)
{
	bool has_groups = false;

	memset(b, 0, sizeof(*b));
	(void)admin_json_string(obj, "id", &b->id, v);
	(void)admin_json_string(obj, "username", &b->username, v);
	(void)admin_json_string(obj, "email", &b->email, v);
	(void)admin_json_string(obj, "firstName", &b->first_name, v);
	(void)admin_json_string(obj, "lastName", &b->last_name, v);
	(void)admin_json_string(obj, "displayName", &b->display_name, v);
	(void)admin_json_string(obj, "locale", &b->locale, v);
	(void)admin_json_string(obj, "token", &b->token, v);
	(void)admin_json_bool(obj, "emailVerified", &b->email_verified,
	    &b->has_email_verified, v);
	(void)admin_json_bool(obj, "isAdmin", &b->is_admin, NULL, v);
	(void)admin_json_bool(obj, "disabled", &b->disabled, NULL, v);
	(void)admin_json_ids(obj, "userGroupIds", &b->group_ids, &has_groups,
	    v);
	/* An empty list means "no explicit groups": the defaults apply. */
	if (b->group_ids != NULL && strcmp(b->group_ids, "[]") == 0) {
		free(b->group_ids);
		b->group_ids = NULL;
	}
}

void
admin_user_body_clear(struct admin_user_body *b)
{
	free(b->id);
	free(b->username);
	free(b->email);
	free(b->first_name);
	free(b->last_name);
	free(b->display_name);
	free(b->locale);
	str_free_secret(b->token);
	free(b->group_ids);
	memset(b, 0, sizeof(*b));
}

/* Empty optional strings are absent. */
static void
empty_to_null(char **s)
{
	if (*s != NULL && (*s)[0] == '\0') {
		free(*s);
		*s = NULL;
	}
}

/* A BCP 47-looking tag: letters, digits and '-' or '_'. */
bool
admin_is_valid_locale(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > ADMIN_LOCALE_MAX || !isalpha((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!(isascii((unsigned char)s[i]) &&
		    (isalnum((unsigned char)s[i]) || s[i] == '-' ||
		    s[i] == '_')))
			return false;
	return true;
}

/* "first last", or whichever is set, else the username. */
static int
fill_display_name(struct admin_user_body *b)
{
	struct wbuf w;

	if (b->display_name != NULL && b->display_name[0] != '\0')
		return PERR_OK;
	wbuf_init(&w);
	if (b->first_name != NULL)
		wbuf_puts(&w, b->first_name);
	if (b->first_name != NULL && b->first_name[0] != '\0' &&
	    b->last_name != NULL && b->last_name[0] != '\0')
		wbuf_putc(&w, ' ');
	if (b->last_name != NULL)
		wbuf_puts(&w, b->last_name);
	if (wbuf_error(&w) != PERR_OK) {
		wbuf_free(&w);
		return PERR_NOMEM;
	}
	free(b->display_name);
	/* Nothing to go on: the username (as the first-admin setup does).
	 * (wbuf_steal of a buffer never written to is not NUL-terminated.) */
	b->display_name = w.len > 0 ? wbuf_steal(&w, NULL) :
	    str_dup(b->username != NULL ? b->username : "");
	wbuf_free(&w);
	return b->display_name != NULL ? PERR_OK : PERR_NOMEM;
}

static void
check_username(struct admin_user_body *b, struct admin_invalid *v)
{
	if (b->username == NULL || b->username[0] == '\0')
		admin_invalid_add(v, "username", "required", "is required");
	else if (admin_utf8_chars(b->username) > ADMIN_USERNAME_MAX)
		admin_invalid_add(v, "username", "too_long",
		    "must be at most 50 characters long");
	else if (!admin_is_valid_username(b->username))
		admin_invalid_add(v, "username", "invalid_format",
		    "can only contain letters, digits, _, ., @ and -, and "
		    "must start and end with a letter or digit");
}

static void
check_lengths(struct admin_user_body *b, struct admin_invalid *v)
{
	if (b->first_name != NULL &&
	    admin_utf8_chars(b->first_name) > ADMIN_NAME_MAX)
		admin_invalid_add(v, "firstName", "too_long",
		    "must be at most 50 characters long");
	if (b->last_name != NULL &&
	    admin_utf8_chars(b->last_name) > ADMIN_NAME_MAX)
		admin_invalid_add(v, "lastName", "too_long",
		    "must be at most 50 characters long");
	if (b->display_name != NULL &&
	    admin_utf8_chars(b->display_name) > ADMIN_DISPLAY_NAME_MAX)
		admin_invalid_add(v, "displayName", "too_long",
		    "must be at most 100 characters long");
}

int
admin_user_body_check(struct app_call *call, struct admin_user_body *b,
    struct admin_invalid *v)
{
	char *strings[6];
	int rc;

	empty_to_null(&b->email);
	empty_to_null(&b->locale);
	empty_to_null(&b->id);
	strings[0] = b->username;
	strings[1] = b->email;
	strings[2] = b->first_name;
	strings[3] = b->last_name;
	strings[4] = b->display_name;
	strings[5] = b->locale;
	rc = store_nfc(call->app->db, strings, 6);
	b->username = strings[0];
	b->email = strings[1];
	b->first_name = strings[2];
	b->last_name = strings[3];
	b->display_name = strings[4];
	b->locale = strings[5];
	if (rc != PERR_OK)
		return rc;
	if (b->id != NULL && !str_is_uuid(b->id))
		admin_invalid_add(v, "id", "invalid_format",
		    "must be a valid UUID");
	check_username(b, v);
	if (b->email == NULL) {
		if (admin_setting_is_true(call, "requireUserEmail"))
			admin_invalid_add(v, "email", "required",
			    "is required");
	} else if (strlen(b->email) > ADMIN_EMAIL_MAX) {
		admin_invalid_add(v, "email", "too_long",
		    "must be at most 255 characters long");
	} else if (!admin_is_valid_email(b->email)) {
		admin_invalid_add(v, "email", "invalid_format",
		    "must be a valid email address");
	}
	if ((rc = fill_display_name(b)) != PERR_OK)
		return rc;
	check_lengths(b, v);
	if (b->locale != NULL && !admin_is_valid_locale(b->locale))
		admin_invalid_add(v, "locale", "invalid_format",
		    "must be a language tag such as en or zh-CN");
	return PERR_OK;
}

void
admin_user_body_input(const struct admin_user_body *b,
    struct store_user_input *u)
{
	memset(u, 0, sizeof(*u));
	u->id = b->id;
	u->username = b->username;
	u->email = b->email;
	u->first_name = b->first_name != NULL ? b->first_name : "";
	u->last_name = b->last_name != NULL ? b->last_name : "";
	u->display_name = b->display_name != NULL ? b->display_name : "";
	u->locale = b->locale;
	u->email_verified = b->email_verified;
	u->is_admin = b->is_admin;
	u->disabled = b->disabled;
}

void
admin_user_write_failed(struct app_call *call, int rc, const char *conflict)
{
	if (rc == PERR_CONFLICT)
		admin_already_in_use(call, conflict != NULL ? conflict :
		    "username");
	else if (rc == PERR_NOT_FOUND)
		admin_not_found(call, "User group");
	else
		admin_fail(call, rc);
}

/* The setting as parsed JSON of the given type, or NULL. */
static struct json_object *
setting_json(struct app_call *call, const char *key)
{
	struct json_object *obj = NULL;
	char *text = auth_app_setting(call, key);

	if (text == NULL || text[0] == '\0' ||
	    ojson_parse(text, strlen(text), &obj) != PERR_OK ||
	    !json_object_is_type(obj, json_type_array)) {
		if (text != NULL && text[0] != '\0')
			log_warn("setting %s is not a JSON array; ignored",
			    key);
		json_object_put(obj);
		obj = NULL;
	}
	free(text);
	return obj;
}

char *
admin_default_groups(struct app_call *call)
{
	struct json_object *arr = setting_json(call,
	    "signupDefaultUserGroupIDs");
	char *json = NULL;

	if (arr != NULL && json_object_array_length(arr) > 0 &&
	    admin_ids_json(arr, &json) != PERR_OK)
		log_warn("setting signupDefaultUserGroupIDs is not a list of "
		    "UUIDs; ignored");
	json_object_put(arr);
	return json;
}

char *
admin_default_claims(struct app_call *call)
{
	struct json_object *arr = setting_json(call,
	    "signupDefaultCustomClaims"), *item, *k, *val;
	size_t i, n;
	char *json = NULL;

	if (arr == NULL)
		return NULL;
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		item = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(item, json_type_object) ||
		    !json_object_object_get_ex(item, "key", &k) ||
		    !json_object_object_get_ex(item, "value", &val) ||
		    !json_object_is_type(k, json_type_string) ||
		    !json_object_is_type(val, json_type_string)) {
			log_warn("setting signupDefaultCustomClaims is not a "
			    "list of {key, value}; ignored");
			json_object_put(arr);
			return NULL;
		}
	}
	if (n > 0)
		json = str_dup(json_object_to_json_string_ext(arr,
		    JSON_C_TO_STRING_PLAIN));
	json_object_put(arr);
	return json;
}

/* Keeps what a person may set about themselves: names, email, token. */
static void
self_service_fields_only(struct admin_user_body *b)
{
	free(b->id);
	free(b->display_name);
	free(b->locale);
	free(b->group_ids);
	b->id = b->display_name = b->locale = b->group_ids = NULL;
	b->is_admin = b->disabled = false;
}

bool
admin_user_body_request(struct app_call *call, struct admin_user_body *b,
    bool self_service)
{
	struct json_object *body = NULL;
	struct admin_invalid v;
	int rc;

	memset(b, 0, sizeof(*b));
	if (!admin_body_object(call, &body))
		return false;
	admin_invalid_init(&v);
	admin_user_body_read(body, b, &v);
	json_object_put(body);
	if (self_service)
		self_service_fields_only(b);
	/* Members of the wrong type are reported alone. */
	if (admin_invalid_respond(call, &v))
		return false;
	admin_invalid_init(&v);
	if ((rc = admin_user_body_check(call, b, &v)) != PERR_OK) {
		wbuf_free(&v.fields);
		admin_fail(call, rc);
		return false;
	}
	return !admin_invalid_respond(call, &v);
}
