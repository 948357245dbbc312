/*
 * respond: the error answers and input rules every admin handler shares:
 * validation errors with details.fields (spec §0.3), errors with one
 * detail (already_in_use's property, not_found's resource), JSON bodies
 * (spec §0.4), the username and email rules and TTLs. Messages are
 * static: nothing here echoes input back, except where the spec puts a
 * value in details.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "http/http.h"
#include "admin/admin.h"

void
admin_invalid_init(struct admin_invalid *v)
{
	memset(v, 0, sizeof(*v));
	wbuf_init(&v->fields);
}

void
admin_invalid_add(struct admin_invalid *v, const char *field,
    const char *code, const char *message)
{
	struct wbuf *w = &v->fields;

	if (v->n++ == 0) {
		v->first_field = field;
		v->first_message = message;
	} else {
		wbuf_putc(w, ',');
	}
	wbuf_puts(w, "{\"field\":");
	wbuf_put_json_string(w, field, strlen(field));
	wbuf_puts(w, ",\"code\":");
	wbuf_put_json_string(w, code, strlen(code));
	wbuf_puts(w, ",\"message\":");
	wbuf_put_json_string(w, message, strlen(message));
	wbuf_putc(w, '}');
}

bool
admin_invalid_respond(struct app_call *call, struct admin_invalid *v)
{
	struct wbuf json, msg;

	if (v->n == 0) {
		wbuf_free(&v->fields);
		return false;
	}
	wbuf_init(&json);
	wbuf_init(&msg);
	/* Pocket ID: "<field> <message>" for one field. */
	if (v->n == 1)
		wbuf_printf(&msg, "%s %s", v->first_field, v->first_message);
	else
		wbuf_puts(&msg, "Request validation failed");
	wbuf_puts(&json, "{\"error\":");
	wbuf_put_json_string(&json, (const char *)msg.data, msg.len);
	wbuf_puts(&json, ",\"code\":\"validation_failed\","
	    "\"details\":{\"fields\":[");
	wbuf_put(&json, v->fields.data, v->fields.len);
	wbuf_puts(&json, "]},\"request_id\":");
	wbuf_put_json_string(&json, call->req->request_id,
	    strlen(call->req->request_id));
	wbuf_putc(&json, '}');
	if (wbuf_error(&json) == PERR_OK && wbuf_error(&msg) == PERR_OK &&
	    wbuf_error(&v->fields) == PERR_OK)
		http_response_json(call->res, 400, (const char *)json.data);
	else
		admin_fail(call, PERR_NOMEM);
	wbuf_free(&json);
	wbuf_free(&msg);
	wbuf_free(&v->fields);
	return true;
}

void
admin_invalid_field(struct app_call *call, const char *field,
    const char *code, const char *message)
{
	struct admin_invalid v;

	admin_invalid_init(&v);
	admin_invalid_add(&v, field, code, message);
	(void)admin_invalid_respond(call, &v);
}

void
admin_error(struct app_call *call, int status, const char *code,
    const char *message, const char *key, const char *value)
{
	struct wbuf json;

	if (key == NULL) {
		http_response_error(call->res, call->req, status, code,
		    message);
		return;
	}
	wbuf_init(&json);
	wbuf_puts(&json, "{\"error\":");
	wbuf_put_json_string(&json, message, strlen(message));
	wbuf_puts(&json, ",\"code\":");
	wbuf_put_json_string(&json, code, strlen(code));
	wbuf_puts(&json, ",\"details\":{");
	wbuf_put_json_string(&json, key, strlen(key));
	wbuf_putc(&json, ':');
	wbuf_put_json_string(&json, value, strlen(value));
	wbuf_puts(&json, "},\"request_id\":");
	wbuf_put_json_string(&json, call->req->request_id,
	    strlen(call->req->request_id));
	wbuf_putc(&json, '}');
	if (wbuf_error(&json) == PERR_OK)
		http_response_json(call->res, status,
		    (const char *)json.data);
	else
		admin_fail(call, PERR_NOMEM);
	wbuf_free(&json);
}

/* Static messages for the resources and properties we name. */
static const struct {
	const char *name;
	const char *not_found;
	const char *in_use;
} names[] = {
	{ "User", "User not found", NULL },
	{ "User group", "User group not found", NULL },
	{ "Passkey", "Passkey not found", NULL },
	{ "email", NULL, "Email is already in use" },
	{ "username", NULL, "Username is already in use" },
	{ "name", NULL, "Name is already in use" },
	{ "id", NULL, "ID is already in use" },
};

void
admin_not_found(struct app_call *call, const char *resource)
{
	const char *msg = "Record not found";
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, resource) == 0 &&
		    names[i].not_found != NULL)
			msg = names[i].not_found;
	admin_error(call, 404, "not_found", msg, "resource", resource);
}

void
admin_already_in_use(struct app_call *call, const char *property)
{
	const char *msg = "Already in use";
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, property) == 0 &&
		    names[i].in_use != NULL)
			msg = names[i].in_use;
	admin_error(call, 409, "already_in_use", msg, "property", property);
}

void
admin_fail(struct app_call *call, int rc)
{
	http_response_perr(call->res, call->req, rc, NULL);
}

/* spec §0.4: application/json or application/...+json. */
static bool
is_json_content_type(const char *ct)
{
	size_t n;

	if (ct == NULL)
		return false;
	n = strcspn(ct, ";");
	while (n > 0 && ct[n - 1] == ' ')
		n--;
	return (n == 16 && strncasecmp(ct, "application/json", 16) == 0) ||
	    (n > 17 && strncasecmp(ct, "application/", 12) == 0 &&
	    strncasecmp(ct + n - 5, "+json", 5) == 0);
}

bool
admin_body_object(struct app_call *call, struct json_object **body)
{
	const char *why = NULL;

	if (http_request_json(call->req, body, &why) == PERR_OK)
		return true;
	http_response_error(call->res, call->req, 400, "invalid_request_body",
	    why != NULL ? why : "Request body is invalid");
	return false;
}

bool
admin_body_array(struct app_call *call, struct json_object **body)
{
	struct json_object *obj = NULL;

	*body = NULL;
	if (!is_json_content_type(http_param(call->req, "CONTENT_TYPE"))) {
		http_response_error(call->res, call->req, 400,
		    "invalid_request_body", "The request body must be JSON "
		    "(Content-Type: application/json)");
		return false;
	}
	if (ojson_parse((const char *)call->req->body, call->req->body_len,
	    &obj) != PERR_OK || !json_object_is_type(obj, json_type_array)) {
		json_object_put(obj);
		http_response_error(call->res, call->req, 400,
		    "invalid_request_body",
		    "The request body is not a valid JSON array");
		return false;
	}
	*body = obj;
	return true;
}

/* spec §0.4: ^[a-zA-Z0-9]([a-zA-Z0-9_.@-]*[a-zA-Z0-9])?$, 1-50 chars. */
bool
admin_is_valid_username(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > ADMIN_USERNAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool alnum = isascii(c) && isalnum(c);

		if ((i == 0 || i == n - 1) ? !alnum :
		    !(alnum || c == '_' || c == '.' || c == '@' || c == '-'))
			return false;
	}
	return true;
}

/*
 * An address as people type them: one '@', a non-empty local part
 * without blanks or control characters, a domain of dot-separated labels
 * (letters, digits, '-', or any non-ASCII for IDNs) with at least one dot.
 */
bool
admin_is_valid_email(const char *s)
{
	const char *at = strchr(s, '@'), *p;
	size_t label = 0;
	bool dot = false;

	if (strlen(s) > ADMIN_EMAIL_MAX || at == NULL || at == s ||
	    strchr(at + 1, '@') != NULL)
		return false;
	for (p = s; p < at; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '"' ||
		    *p == '(' || *p == ')' || *p == ',' || *p == ':' ||
		    *p == ';' || *p == '<' || *p == '>' || *p == '[' ||
		    *p == ']' || *p == '\\')
			return false;
	for (p = at + 1; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.') {
			if (label == 0)
				return false;
			dot = true;
			label = 0;
		} else if (isalnum(c) || c == '-' || c >= 0x80) {
			label++;
		} else {
			return false;
		}
	}
	return dot && label > 0;
}

size_t
admin_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

bool
admin_setting_is_true(struct app_call *call, const char *key)
{
	char *v = auth_app_setting(call, key);
	bool yes = v != NULL && str_eq_ci(v, "true");

	free(v);
	return yes;
}

bool
admin_json_string(struct json_object *obj, const char *name, char **out,
    struct admin_invalid *v)
{
	struct json_object *m;

	*out = NULL;
	if (!json_object_object_get_ex(obj, name, &m) ||
	    json_object_is_type(m, json_type_null))
		return true;
	if (!json_object_is_type(m, json_type_string)) {
		admin_invalid_add(v, name, "invalid_format",
		    "must be a string");
		return false;
	}
	if ((*out = str_dup(json_object_get_string(m))) == NULL) {
		admin_invalid_add(v, name, "invalid_value",
		    "could not be read");
		return false;
	}
	return true;
}

bool
admin_json_bool(struct json_object *obj, const char *name, bool *out,
    bool *present, struct admin_invalid *v)
{
	struct json_object *m;

	*out = false;
	if (present != NULL)
		*present = false;
	if (!json_object_object_get_ex(obj, name, &m) ||
	    json_object_is_type(m, json_type_null))
		return true;
	if (!json_object_is_type(m, json_type_boolean)) {
		admin_invalid_add(v, name, "invalid_format",
		    "must be true or false");
		return false;
	}
	*out = json_object_get_boolean(m);
	if (present != NULL)
		*present = true;
	return true;
}

int
admin_ids_json(struct json_object *arr, char **out)
{
	struct json_object *item;
	struct wbuf w;
	size_t i, n;
	const char *s;

	*out = NULL;
	if (arr == NULL || !json_object_is_type(arr, json_type_array))
		return PERR_INVALID;
	n = json_object_array_length(arr);
	if (n > ADMIN_IDS_MAX)
		return PERR_TOO_LARGE;
	wbuf_init(&w);
	wbuf_putc(&w, '[');
	for (i = 0; i < n; i++) {
		item = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(item, json_type_string) ||
		    !str_is_uuid(s = json_object_get_string(item))) {
			wbuf_free(&w);
			return PERR_INVALID;
		}
		if (i > 0)
			wbuf_putc(&w, ',');
		wbuf_put_json_string(&w, s, strlen(s));
	}
	wbuf_putc(&w, ']');
	if (wbuf_error(&w) != PERR_OK) {
		wbuf_free(&w);
		return PERR_NOMEM;
	}
	*out = wbuf_steal(&w, NULL);
	return PERR_OK;
}

bool
admin_json_ids(struct json_object *obj, const char *name, char **out,
    bool *present, struct admin_invalid *v)
{
	struct json_object *m;
	int rc;

	*out = NULL;
	if (present != NULL)
		*present = false;
	if (!json_object_object_get_ex(obj, name, &m) ||
	    json_object_is_type(m, json_type_null))
		return true;
	if ((rc = admin_ids_json(m, out)) != PERR_OK) {
		admin_invalid_add(v, name, rc == PERR_TOO_LARGE ? "too_long" :
		    "invalid_format", rc == PERR_TOO_LARGE ?
		    "has too many entries" : "must be a list of UUIDs");
		return false;
	}
	if (present != NULL)
		*present = true;
	return true;
}

bool
admin_path_uuid(struct app_call *call, const char *name, const char **id)
{
	*id = http_route_param(call->req, name);
	return *id != NULL && str_is_uuid(*id);
}

void
admin_user_not_found(struct app_call *call)
{
	http_response_error(call->res, call->req, 404, "user_not_found",
	    "User not found");
}

void
admin_claim_error(struct app_call *call, const char *code,
    const char *message, const char *key, const char *field_code,
    const char *field_message)
{
	struct wbuf json;

	wbuf_init(&json);
	wbuf_puts(&json, "{\"error\":");
	wbuf_put_json_string(&json, message, strlen(message));
	wbuf_puts(&json, ",\"code\":");
	wbuf_put_json_string(&json, code, strlen(code));
	wbuf_puts(&json, ",\"details\":{\"key\":");
	wbuf_put_json_string(&json, key, strlen(key));
	wbuf_puts(&json, ",\"fields\":[{\"field\":\"key\",\"code\":");
	wbuf_put_json_string(&json, field_code, strlen(field_code));
	wbuf_puts(&json, ",\"message\":");
	wbuf_put_json_string(&json, field_message, strlen(field_message));
	wbuf_puts(&json, "}]},\"request_id\":");
	wbuf_put_json_string(&json, call->req->request_id,
	    strlen(call->req->request_id));
	wbuf_putc(&json, '}');
	if (wbuf_error(&json) == PERR_OK)
		http_response_json(call->res, 400, (const char *)json.data);
	else
		admin_fail(call, PERR_NOMEM);
	wbuf_free(&json);
}
