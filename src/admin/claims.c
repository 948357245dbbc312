/*
 * claims: custom claims of users and groups (spec §1.9): full
 * replacement with reserved and repeated keys refused, and the key
 * suggestions. Keys and values are NFC-normalised before the checks.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "http/http.h"
#include "admin/admin.h"

#define CLAIMS_MAX 100
#define CLAIM_KEY_MAX 255	/* bytes: the column's varchar(255) */
#define CLAIM_VALUE_MAX 4096	/* bytes */

/* Keys the token endpoint sets itself (spec §1.9). */
static const char *const reserved_keys[] = {
	"given_name", "family_name", "name", "email", "email_verified",
	"preferred_username", "display_name", "groups", "type", "sub", "iss",
	"aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp",
	"client_id", "nbf", "jti",
};

static bool
is_reserved(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(reserved_keys) / sizeof(reserved_keys[0]); i++)
		if (strcmp(reserved_keys[i], key) == 0)
			return true;
	return false;
}

/* key i is strings[2i], its value strings[2i+1]: one store_nfc call. */
struct claims {
	char *strings[2 * CLAIMS_MAX];
	size_t n;
};

static void
claims_clear(struct claims *c)
{
	size_t i;

	for (i = 0; i < 2 * c->n; i++)
		free(c->strings[i]);
	memset(c, 0, sizeof(*c));
}

/* Copies the array's items into c; complaints into v. */
static void
claims_read(struct json_object *arr, struct claims *c,
    struct admin_invalid *v)
{
	struct json_object *item;
	char *key, *value;
	size_t n = json_object_array_length(arr), i;

	memset(c, 0, sizeof(*c));
	if (n > CLAIMS_MAX) {
		admin_invalid_add(v, "claims", "too_long",
		    "can hold at most 100 claims");
		return;
	}
	for (i = 0; i < n; i++) {
		item = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(item, json_type_object)) {
			admin_invalid_add(v, "claims", "invalid_format",
			    "must be a list of {key, value} objects");
			return;
		}
		key = value = NULL;
		(void)admin_json_string(item, "key", &key, v);
		(void)admin_json_string(item, "value", &value, v);
		c->strings[2 * i] = key;
		c->strings[2 * i + 1] = value;
		c->n = i + 1;
	}
}

/* Checks c after normalisation; on false the 400 is answered. */
static bool
claims_check(struct app_call *call, struct claims *c,
    struct admin_invalid *v)
{
	const char *key, *value;
	size_t i, j;

	for (i = 0; i < c->n && v->n == 0; i++) {
		key = c->strings[2 * i];
		value = c->strings[2 * i + 1];
		if (key == NULL || key[0] == '\0')
			admin_invalid_add(v, "key", "required", "is required");
		else if (strlen(key) > CLAIM_KEY_MAX)
			admin_invalid_add(v, "key", "too_long",
			    "must be at most 255 bytes long");
		if (value == NULL || value[0] == '\0')
			admin_invalid_add(v, "value", "required",
			    "is required");
		else if (strlen(value) > CLAIM_VALUE_MAX)
			admin_invalid_add(v, "value", "too_long",
			    "must be at most 4096 bytes long");
	}
	if (admin_invalid_respond(call, v))
		return false;
	for (i = 0; i < c->n; i++) {
		key = c->strings[2 * i];
		if (is_reserved(key)) {
			admin_claim_error(call, "reserved_claim",
			    "This claim is reserved and can't be used", key,
			    "reserved", "is reserved");
			return false;
		}
		for (j = 0; j < i; j++)
			if (strcmp(c->strings[2 * j], key) == 0) {
				admin_claim_error(call, "duplicate_claim",
				    "This claim is already defined", key,
				    "duplicate", "is listed more than once");
				return false;
			}
	}
	return true;
}

static char *
claims_json(const struct claims *c)
{
	struct wbuf w;
	size_t i;

	wbuf_init(&w);
	wbuf_putc(&w, '[');
	for (i = 0; i < c->n; i++) {
		if (i > 0)
			wbuf_putc(&w, ',');
		wbuf_puts(&w, "{\"key\":");
		wbuf_put_json_string(&w, c->strings[2 * i],
		    strlen(c->strings[2 * i]));
		wbuf_puts(&w, ",\"value\":");
		wbuf_put_json_string(&w, c->strings[2 * i + 1],
		    strlen(c->strings[2 * i + 1]));
		wbuf_putc(&w, '}');
	}
	wbuf_putc(&w, ']');
	if (wbuf_error(&w) != PERR_OK) {
		wbuf_free(&w);
		return NULL;
	}
	return wbuf_steal(&w, NULL);
}

typedef int (*claims_set_fn)(struct db *, const char *, const char *,
    char **);

static void
claims_replace(struct app_call *call, const char *owner, claims_set_fn set,
    bool is_user)
{
	struct json_object *body = NULL;
	struct admin_invalid v;
	struct claims c;
	char *in = NULL, *out = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	if (!admin_body_array(call, &body))
		return;
	admin_invalid_init(&v);
	claims_read(body, &c, &v);
	json_object_put(body);
	if (admin_invalid_respond(call, &v))
		goto out;
	admin_invalid_init(&v);
	if ((rc = store_nfc(call->app->db, c.strings, 2 * c.n)) != PERR_OK) {
		wbuf_free(&v.fields);
		admin_fail(call, rc);
		goto out;
	}
	if (!claims_check(call, &c, &v))
		goto out;
	if ((in = claims_json(&c)) == NULL) {
		admin_fail(call, PERR_NOMEM);
		goto out;
	}
	rc = set(call->app->db, owner, in, &out);
	if (rc == PERR_NOT_FOUND && is_user)
		admin_user_not_found(call);
	else if (rc == PERR_NOT_FOUND)
		admin_not_found(call, "User group");
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_json(call->res, 200, out);
out:
	free(in);
	free(out);
	claims_clear(&c);
}

void
admin_claims_user_set(struct app_call *call)
{
	const char *id;

	if (!admin_path_uuid(call, "userId", &id))
		admin_user_not_found(call);
	else
		claims_replace(call, id, store_claims_user_set, true);
}

void
admin_claims_group_set(struct app_call *call)
{
	const char *id;

	if (!admin_path_uuid(call, "userGroupId", &id))
		admin_not_found(call, "User group");
	else
		claims_replace(call, id, store_claims_group_set, false);
}

void
admin_claims_suggestions(struct app_call *call)
{
	char *json = NULL;
	int rc = store_claims_suggestions(call->app->db, &json);

	http_response_result(call->res, call->req, rc, 200, json);
	free(json);
}
