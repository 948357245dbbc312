/*
 * resource: RFC 8707 resource indicators against the OAuth APIs of spec
 * §2.11. It decides which API a request targets, which of its
 * permissions the client may get for the subject type, what the token's
 * scope and consent keys are, and answers the token endpoint's checks
 * for grants that remember a resource. SQL stays in store/apis.c; the
 * token itself is mint.c's.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "store/store.h"
#include "oidc/oidc.h"
#include "oidc/oidc_client.h"
#include "oidc/authz.h"
#include "oidc/api.h"

#define CONSENT_SEP "\x1f"	/* spec §2.9: resource U+001F key */

void
oidc_target_clear(struct oidc_target *t)
{
	if (t == NULL)
		return;
	free(t->resource);
	free(t->permissions);
	t->resource = t->permissions = NULL;
}

static bool
is_scheme_char(char ch, bool first)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
		return true;
	return !first && ((ch >= '0' && ch <= '9') || ch == '+' ||
	    ch == '-' || ch == '.');
}

int
oidc_resource_normalize(const char *in, char **out)
{
	size_t n, i;

	*out = NULL;
	if (in == NULL || (n = strlen(in)) == 0 || n > OIDC_RESOURCE_MAX)
		return PERR_INVALID;
	for (i = 0; i < n && in[i] != ':'; i++)
		if (!is_scheme_char(in[i], i == 0))
			return PERR_INVALID;
	/* RFC 8707 §2: absolute, no fragment. */
	if (i == 0 || i == n || i + 1 == n || strchr(in, '#') != NULL)
		return PERR_INVALID;
	if ((i == 10 && strncasecmp(in, "javascript", 10) == 0) ||
	    (i == 4 && strncasecmp(in, "data", 4) == 0))
		return PERR_INVALID;
	for (i = 0; i < n; i++)
		if ((unsigned char)in[i] <= 0x20 || in[i] == 0x7f)
			return PERR_INVALID;
	while (n > 0 && in[n - 1] == '/')
		n--;
	if (n == 0 || in[n - 1] == ':')
		return PERR_INVALID;
	if ((*out = str_ndup(in, n)) == NULL)
		return PERR_NOMEM;
	return PERR_OK;
}

/* Whether the token of n bytes at p is in the space-separated list. */
static bool
has_token(const char *list, const char *p, size_t n)
{
	const char *q = list;
	size_t m;

	while (q != NULL && *q != '\0') {
		while (*q == ' ')
			q++;
		m = strcspn(q, " ");
		if (m == n && m > 0 && strncmp(q, p, n) == 0)
			return true;
		q += m;
	}
	return false;
}

char *
oidc_scope_extra(const char *scope)
{
	const char *p = scope;
	struct wbuf w;
	char *tok;
	size_t n;

	wbuf_init(&w);
	wbuf_puts(&w, "");
	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if ((n = strcspn(p, " ")) == 0)
			break;
		if ((tok = str_ndup(p, n)) == NULL) {
			wbuf_free(&w);
			return NULL;
		}
		if (oidc_scope_parse(tok) == 0 && (w.len == 0 ||
		    !has_token((const char *)w.data, p, n))) {
			if (w.len > 0)
				wbuf_putc(&w, ' ');
			wbuf_put(&w, p, n);
		}
		free(tok);
		p += n;
	}
	return wbuf_steal(&w, NULL);
}

/* Every token of want is in have. */
static bool
is_subset(const char *want, const char *have)
{
	const char *p = want;
	size_t n;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n > 0 && !has_token(have, p, n))
			return false;
		p += n;
	}
	return true;
}

static const char *
resolve_none(struct app_call *call, const struct oidc_client *c,
    const char *extra, const char *subject, const char **why)
{
	bool found = false;

	if (extra[0] == '\0')
		return NULL;
	/* Client credentials without a resource: standard scopes only. */
	if (strcmp(subject, OIDC_SUBJECT_CLIENT) == 0)
		found = true;
	else if (store_api_client_has_keys(call->app->db, c->id, extra,
	    &found) != PERR_OK)
		return *why = "The scope could not be checked", "server_error";
	if (found)
		return *why = "API permissions need the resource parameter",
		    "invalid_scope";
	return NULL;
}

const char *
oidc_resource_resolve(struct app_call *call, const struct oidc_client *c,
    const char *resource, const char *scope, const char *subject,
    bool all_if_none, struct oidc_target *t, const char **why)
{
	char *extra = oidc_scope_extra(scope), *keys = NULL, *norm = NULL;
	const char *error = NULL;
	bool access = false;
	int rc;

	memset(t, 0, sizeof(*t));
	if (extra == NULL)
		return *why = "Out of memory", "server_error";
	if (resource == NULL || resource[0] == '\0') {
		error = resolve_none(call, c, extra, subject, why);
		goto out;
	}
	if (oidc_resource_normalize(resource, &norm) != PERR_OK) {
		error = "invalid_target";
		*why = "The resource must be an absolute URI without fragment";
		goto out;
	}
	rc = store_api_resolve(call->app->db, norm, c->id, subject, &access,
	    &keys);
	if (rc == PERR_NOT_FOUND) {
		error = "invalid_target";
		*why = "The resource is not a known API";
	} else if (rc != PERR_OK) {
		error = "server_error";
		*why = "The resource could not be checked";
	} else if (!access) {
		error = "access_denied";
		*why = "The client may not access this API";
	} else if (!is_subset(extra, keys)) {
		error = "invalid_scope";
		*why = "A requested scope is not granted for this API";
	} else {
		t->resource = norm;
		norm = NULL;
		if (extra[0] == '\0' && all_if_none) {
			t->permissions = keys;
			keys = NULL;
		} else {
			t->permissions = extra;
			extra = NULL;
		}
	}
out:
	free(extra);
	free(keys);
	free(norm);
	return error;
}

const char *
oidc_resource_authorize_check(struct app_call *call,
    const struct oidc_client *c, struct authz_request *a, const char **why)
{
	struct oidc_target t;
	const char *error;

	if (a->resource != NULL && a->resource[0] == '\0') {
		free(a->resource);
		a->resource = NULL;
	}
	error = oidc_resource_resolve(call, c, a->resource, a->scope,
	    OIDC_SUBJECT_USER, false, &t, why);
	if (error == NULL && t.resource != NULL) {
		/* The stored request carries the normalised form. */
		free(a->resource);
		a->resource = t.resource;
		t.resource = NULL;
	}
	oidc_target_clear(&t);
	if (error != NULL && strcmp(error, "server_error") != 0 &&
	    a->resource != NULL && a->resource[0] != '\0') {
		/* Spec §1.1 step 5: no hint about which part was wrong. */
		*why = OIDC_RESOURCE_COLLAPSED;
		return "invalid_request";
	}
	return error;
}

char *
oidc_target_scope(unsigned bits, const char *permissions)
{
	char *standard = oidc_scope_string(bits);
	struct wbuf w;

	if (standard == NULL || permissions == NULL || permissions[0] == '\0')
		return standard;
	wbuf_init(&w);
	wbuf_puts(&w, standard);
	if (standard[0] != '\0')
		wbuf_putc(&w, ' ');
	wbuf_puts(&w, permissions);
	free(standard);
	return wbuf_steal(&w, NULL);
}

void
oidc_consent_keys_free(char **keys, size_t n)
{
	size_t i;

	if (keys == NULL)
		return;
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

static int
keys_add(char ***keys, size_t *n, const char *a, const char *b,
    size_t b_len)
{
	char **grown;
	struct wbuf w;

	if ((grown = realloc(*keys, (*n + 1) * sizeof(**keys))) == NULL)
		return PERR_NOMEM;
	*keys = grown;
	wbuf_init(&w);
	wbuf_puts(&w, a);
	if (b != NULL) {
		wbuf_puts(&w, CONSENT_SEP);
		wbuf_put(&w, b, b_len);
	}
	if (((*keys)[*n] = wbuf_steal(&w, NULL)) == NULL)
		return PERR_NOMEM;
	(*n)++;
	return PERR_OK;
}

int
oidc_consent_keys(const char *scope, const char *resource, char ***keys,
    size_t *n)
{
	const char *names[5], *p;
	char *extra = NULL;
	size_t m, i, len;
	int rc = PERR_OK;

	*keys = NULL;
	*n = 0;
	m = oidc_scope_keys(oidc_scope_parse(scope), names);
	for (i = 0; i < m && rc == PERR_OK; i++)
		rc = keys_add(keys, n, names[i], NULL, 0);
	if (rc != PERR_OK || resource == NULL || resource[0] == '\0')
		goto out;
	if ((extra = oidc_scope_extra(scope)) == NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	if (extra[0] == '\0')
		rc = keys_add(keys, n, resource, "", 0);
	for (p = extra; *p != '\0' && rc == PERR_OK; p += len) {
		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (len > 0)
			rc = keys_add(keys, n, resource, p, len);
	}
out:
	free(extra);
	if (rc != PERR_OK) {
		oidc_consent_keys_free(*keys, *n);
		*keys = NULL;
		*n = 0;
	}
	return rc;
}

char *
oidc_resource_scope_info(struct app_call *call, const char *resource,
    const char *scope)
{
	char *extra, *json = NULL;

	if (resource == NULL || resource[0] == '\0')
		return str_dup("[]");
	if ((extra = oidc_scope_extra(scope)) == NULL)
		return NULL;
	if (store_api_scope_info(call->app->db, resource, extra, &json) !=
	    PERR_OK)
		json = NULL;
	free(extra);
	return json;
}

/* Refresh (spec §2.11): no permission beyond the grant's, and the
 * client's current user grants still cover the wanted ones. */
static const char *
recheck_grant(struct app_call *call, const struct oidc_client *c,
    const char *resource, const char *granted_scope,
    const char *wanted_scope, struct oidc_target *t, const char **why)
{
	char *had = oidc_scope_extra(granted_scope);
	char *want = oidc_scope_extra(wanted_scope);
	const char *error = NULL;

	if (had == NULL || want == NULL)
		error = "server_error", *why = "Out of memory";
	else if (!is_subset(want, had))
		error = "invalid_scope",
		    *why = "The requested scope exceeds the one granted";
	else
		error = oidc_resource_resolve(call, c, resource, wanted_scope,
		    OIDC_SUBJECT_USER, false, t, why);
	free(had);
	free(want);
	return error;
}

bool
oidc_resource_for_grant(struct app_call *call, const struct oidc_client *c,
    const char *grant_id, const char *stored_resource,
    const char *granted_scope, const char *wanted_scope, bool recheck,
    struct oidc_target *t)
{
	char *stored = NULL, *asked = NULL, *norm = NULL;
	const char *error, *why = NULL;
	bool ok = false;
	int err = PERR_OK;

	memset(t, 0, sizeof(*t));
	asked = http_form_get(call->req, "resource", &err);
	if (err != PERR_OK) {
		oidc_error(call, 400, "invalid_request",
		    "The resource parameter is not encoded correctly");
		goto out;
	}
	if (stored_resource != NULL ?
	    (stored = str_dup(stored_resource)) == NULL :
	    store_api_grant_resource_get(call->app->db, grant_id, &stored) !=
	    PERR_OK) {
		oidc_error(call, 500, "server_error", NULL);
		goto out;
	}
	/* Spec §2.11: a grant targets one API; asking another is wrong. */
	if (asked != NULL && (oidc_resource_normalize(asked, &norm) !=
	    PERR_OK || strcmp(norm, stored) != 0)) {
		oidc_error(call, 400, "invalid_target",
		    "The resource differs from the one authorized");
		goto out;
	}
	if (stored[0] == '\0') {
		ok = true;
	} else if (recheck) {
		if ((error = recheck_grant(call, c, stored, granted_scope,
		    wanted_scope, t, &why)) != NULL)
			oidc_error_of(call, error, why);
		else
			ok = true;
	} else if ((t->permissions = oidc_scope_extra(granted_scope)) ==
	    NULL) {
		oidc_error(call, 500, "server_error", NULL);
	} else {
		t->resource = stored;
		stored = NULL;
		ok = true;
	}
out:
	if (!ok)
		oidc_target_clear(t);
	free(stored);
	free(asked);
	free(norm);
	return ok;
}
