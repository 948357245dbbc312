/*
 * authz: the pieces /authorize and the interaction endpoints share: the
 * request as stored in an interaction, its remaining steps, consent with
 * its audit event, and the document the web UI renders.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/authz.h"
#include "oidc/api.h"

/* The members of struct authz_request by name, for (de)serialising. */
#define AUTHZ_FIELD(name) { #name, offsetof(struct authz_request, name) }
static const struct {
	const char *name;
	size_t offset;
} authz_fields[] = {
	AUTHZ_FIELD(client_id), AUTHZ_FIELD(redirect_uri),
	AUTHZ_FIELD(response_type), AUTHZ_FIELD(response_mode),
	AUTHZ_FIELD(scope), AUTHZ_FIELD(state), AUTHZ_FIELD(nonce),
	AUTHZ_FIELD(code_challenge), AUTHZ_FIELD(code_challenge_method),
	AUTHZ_FIELD(prompt), AUTHZ_FIELD(max_age), AUTHZ_FIELD(resource),
	AUTHZ_FIELD(id_token_hint),
};
#define N_AUTHZ_FIELDS (sizeof(authz_fields) / sizeof(authz_fields[0]))

static char **
field(struct authz_request *a, size_t i)
{
	return (char **)((char *)a + authz_fields[i].offset);
}

const char *
authz_request_field_name(size_t i)
{
	return i < N_AUTHZ_FIELDS ? authz_fields[i].name : NULL;
}

char **
authz_request_field(struct authz_request *a, size_t i)
{
	return field(a, i);
}

void
authz_request_clear(struct authz_request *a)
{
	size_t i;

	for (i = 0; i < N_AUTHZ_FIELDS; i++)
		free(*field(a, i));
	memset(a, 0, sizeof(*a));
}

char *
authz_request_to_json(const struct authz_request *a)
{
	struct authz_request *m = (struct authz_request *)(uintptr_t)a;
	struct wbuf w;
	const char *v;
	size_t i;
	bool first = true;

	wbuf_init(&w);
	wbuf_putc(&w, '{');
	for (i = 0; i < N_AUTHZ_FIELDS; i++) {
		if ((v = *field(m, i)) == NULL)
			continue;
		wbuf_printf(&w, "%s\"%s\":", first ? "" : ",",
		    authz_fields[i].name);
		wbuf_put_json_string(&w, v, strlen(v));
		first = false;
	}
	wbuf_putc(&w, '}');
	return wbuf_steal(&w, NULL);
}

int
authz_request_from_json(const char *json, struct authz_request *a)
{
	struct json_object *obj = NULL, *v;
	size_t i;
	int rc;

	memset(a, 0, sizeof(*a));
	if ((rc = ojson_parse(json, strlen(json), &obj)) != PERR_OK)
		return rc;
	for (i = 0; i < N_AUTHZ_FIELDS && rc == PERR_OK; i++)
		if (json_object_object_get_ex(obj, authz_fields[i].name, &v) &&
		    json_object_is_type(v, json_type_string) &&
		    (*field(a, i) = str_dup(json_object_get_string(v))) == NULL)
			rc = PERR_NOMEM;
	json_object_put(obj);
	if (rc != PERR_OK)
		authz_request_clear(a);
	return rc;
}

int
authz_request_from_form(struct app_call *call, struct authz_request *a)
{
	size_t i;
	int err = PERR_OK;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < N_AUTHZ_FIELDS && err == PERR_OK; i++)
		*field(a, i) = http_form_get(call->req, authz_fields[i].name,
		    &err);
	if (err != PERR_OK)
		authz_request_clear(a);
	return err;
}

static const struct {
	unsigned bit;
	const char *name;
} step_names[] = {
	{ AUTHZ_AUTHENTICATE, "authenticate" },
	{ AUTHZ_SELECT_ACCOUNT, "select_account" },
	{ AUTHZ_REAUTHENTICATE, "reauthenticate" },
	{ AUTHZ_CONSENT, "consent" },
};
#define N_STEPS (sizeof(step_names) / sizeof(step_names[0]))

char *
authz_steps_to_json(unsigned steps)
{
	struct wbuf w;
	size_t i;
	bool first = true;

	wbuf_init(&w);
	wbuf_putc(&w, '[');
	for (i = 0; i < N_STEPS; i++)
		if (steps & step_names[i].bit) {
			wbuf_printf(&w, "%s\"%s\"", first ? "" : ",",
			    step_names[i].name);
			first = false;
		}
	wbuf_putc(&w, ']');
	return wbuf_steal(&w, NULL);
}

unsigned
authz_steps_from_json(const char *json)
{
	unsigned steps = 0;
	char quoted[32];
	size_t i;

	for (i = 0; i < N_STEPS; i++) {
		snprintf(quoted, sizeof(quoted), "\"%s\"", step_names[i].name);
		if (strstr(json, quoted) != NULL)
			steps |= step_names[i].bit;
	}
	return steps;
}

const char *
authz_step_name(unsigned steps)
{
	size_t i;

	for (i = 0; i < N_STEPS; i++)
		if (steps & step_names[i].bit)
			return step_names[i].name;
	return NULL;
}

static bool
has_prompt(const struct authz_request *a, const char *value)
{
	const char *p = a->prompt;
	size_t n = strlen(value);

	while (p != NULL && (p = strstr(p, value)) != NULL) {
		if ((p == a->prompt || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ' '))
			return true;
		p += n;
	}
	return false;
}

int
authz_steps_for_user(struct app_call *call, const struct oidc_client *c,
    const struct authz_request *a, const char *user_id, int64_t auth_time,
    unsigned *steps)
{
	char **keys = NULL;
	size_t n = 0;
	bool covered = false, exists = false;
	int64_t max_age = -1;
	int rc;

	*steps = 0;
	if (has_prompt(a, "select_account"))
		*steps |= AUTHZ_SELECT_ACCOUNT;
	if (a->max_age != NULL)
		(void)str_to_int64(a->max_age, 0, INT32_MAX, &max_age);
	if (has_prompt(a, "login") || c->requires_reauthentication ||
	    (max_age >= 0 && (int64_t)time(NULL) >= auth_time + max_age))
		*steps |= AUTHZ_REAUTHENTICATE;
	if ((rc = oidc_consent_keys(a->scope, a->resource, &keys, &n)) !=
	    PERR_OK)
		return rc;
	rc = oidc_consent_covers(call->app->db, user_id, c->id,
	    (const char *const *)keys, n, &covered, &exists);
	oidc_consent_keys_free(keys, n);
	if (rc != PERR_OK)
		return rc;
	if (has_prompt(a, "consent") || (!covered && !c->skip_consent))
		*steps |= AUTHZ_CONSENT;
	return PERR_OK;
}

int
authz_consent(struct app_call *call, const struct oidc_client *c,
    const struct authz_request *a, const char *user_id, bool final)
{
	char **keys = NULL;
	size_t n = 0;
	struct wbuf data;
	bool was_new = false;
	int rc;

	if ((rc = oidc_consent_keys(a->scope, a->resource, &keys, &n)) !=
	    PERR_OK)
		return rc;
	rc = oidc_consent_merge(call->app->db, user_id, c->id,
	    (const char *const *)keys, n, &was_new);
	oidc_consent_keys_free(keys, n);
	if (rc != PERR_OK)
		return rc;
	if (!was_new && !final)
		return PERR_OK;
	wbuf_init(&data);
	wbuf_puts(&data, "{\"clientName\":");
	wbuf_put_json_string(&data, c->name, strlen(c->name));
	wbuf_putc(&data, '}');
	if (wbuf_error(&data) == PERR_OK)
		auth_audit(call, was_new ? "NEW_CLIENT_AUTHORIZATION" :
		    "CLIENT_AUTHORIZATION", user_id, (const char *)data.data);
	wbuf_free(&data);
	return PERR_OK;
}

char *
authz_interaction_json(struct app_call *call, const char *id,
    const struct oidc_client *c, const struct authz_request *a,
    unsigned steps)
{
	const char *keys[5], *current = authz_step_name(steps), *p;
	char *meta = NULL, *step_list = authz_steps_to_json(steps);
	char *extra = NULL, *info = NULL;
	size_t n = oidc_scope_keys(oidc_scope_parse(a->scope), keys), i, len;
	struct wbuf w;

	/* Spec §2.11: with a resource, its permissions are shown too. */
	if (a->resource != NULL && a->resource[0] != '\0')
		extra = oidc_scope_extra(a->scope);
	else
		extra = str_dup("");
	info = oidc_resource_scope_info(call, a->resource, a->scope);
	if (oidc_client_meta_json(call->app->db, c->id, &meta) != PERR_OK ||
	    step_list == NULL || extra == NULL || info == NULL) {
		free(meta);
		free(step_list);
		free(extra);
		free(info);
		return NULL;
	}
	wbuf_init(&w);
	wbuf_printf(&w, "{\"id\":\"%s\",\"scopes\":[", id);
	for (i = 0; i < n; i++)
		wbuf_printf(&w, "%s\"%s\"", i > 0 ? "," : "", keys[i]);
	for (p = extra; *p != '\0'; p += len) {
		while (*p == ' ')
			p++;
		if ((len = strcspn(p, " ")) == 0)
			break;
		if (n++ > 0)
			wbuf_putc(&w, ',');
		wbuf_put_json_string(&w, p, len);
	}
	wbuf_printf(&w, "],\"scopeInfo\":%s,\"client\":%s,", info, meta);
	free(extra);
	free(info);
	if (current != NULL)
		wbuf_printf(&w, "\"currentStep\":\"%s\",", current);
	wbuf_printf(&w, "\"requiredSteps\":%s}", step_list);
	free(meta);
	free(step_list);
	return wbuf_steal(&w, NULL);
}
