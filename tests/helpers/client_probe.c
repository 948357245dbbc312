/*
 * client_probe: drives the protocol-facing client API (oidc_client.h)
 * against a real database for tests/e2e/oidc-clients.test.mjs, until the
 * token endpoint exercises it. Reads DB_CONNECTION_STRING; one command
 * per run (APP_URL, default http://localhost, is the audience of client
 * assertions):
 *   auth [--header AUTHORIZATION] BODY   oidc_client_authenticate on a
 *                                        form body
 *   load ID | meta ID
 *   allows CLIENT USER
 *   covers USER CLIENT [KEY...] | merge USER CLIENT [KEY...]
 * Prints one line: "ok ..." or "error <code> <why>". Not installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "conf/conf.h"
#include "http/http.h"
#include "auth/auth.h"
#include "store/store.h"
#include "oidc/oidc_client.h"

static const char *
code_of(int rc)
{
	switch (rc) {
	case PERR_INVALID: return "invalid";
	case PERR_VERIFY: return "verify";
	case PERR_NOT_FOUND: return "not_found";
	default: return perr_str(rc);
	}
}

static int
fail(int rc, const char *why)
{
	printf("error %s %s\n", code_of(rc), why != NULL ? why : "");
	return 1;
}

static int
cmd_auth(struct db *db, int argc, char **argv)
{
	static char default_app_url[] = "http://localhost";
	char method[] = "REQUEST_METHOD=POST";
	char uri[] = "REQUEST_URI=/api/oidc/token";
	char type[] = "CONTENT_TYPE=application/x-www-form-urlencoded";
	char *params[5] = { NULL };
	struct http_request req;
	struct http_response res;
	struct settings settings;
	struct app_ctx app = { .settings = &settings, .db = db };
	struct app_call call = { .req = &req, .res = &res, .app = &app };
	struct oidc_client *c = NULL;
	const char *why = NULL, *body;
	size_t n = 0, len;
	int rc;

	memset(&settings, 0, sizeof(settings));
	settings.app_url = getenv("APP_URL") != NULL ? getenv("APP_URL") :
	    default_app_url;
	params[n++] = method;
	params[n++] = uri;
	params[n++] = type;
	if (argc >= 2 && strcmp(argv[0], "--header") == 0) {
		len = strlen(argv[1]) + 20;
		if ((params[n] = malloc(len)) == NULL)
			return fail(PERR_NOMEM, NULL);
		snprintf(params[n++], len, "HTTP_AUTHORIZATION=%s", argv[1]);
		argc -= 2;
		argv += 2;
	}
	body = argc >= 1 ? argv[0] : "";
	if (http_request_init(&req, params, NULL, NULL, &why) != PERR_OK)
		return fail(PERR_INVALID, why);
	req.body = (uint8_t *)str_dup(body);
	req.body_len = strlen(body);
	http_response_init(&res);
	rc = oidc_client_authenticate(&call, &c, &why);
	if (rc == PERR_OK)
		printf("ok %s public=%d\n", c->id, c->is_public);
	else
		fail(rc, why);
	oidc_client_free(c);
	http_response_clear(&res);
	http_request_clear(&req);
	if (n == 4)
		free(params[3]);
	return rc == PERR_OK ? 0 : 1;
}

static void
print_list(const char *name, char **v, size_t n)
{
	size_t i;

	printf(" %s=", name);
	for (i = 0; i < n; i++)
		printf("%s%s", i > 0 ? "," : "", v[i]);
}

static int
cmd_load(struct db *db, const char *id)
{
	struct oidc_client *c = NULL;
	int rc = oidc_client_load(db, id, &c);

	if (rc != PERR_OK)
		return fail(rc, NULL);
	printf("ok id=%s name=%s launch=%s public=%d pkce=%d reauth=%d "
	    "par=%d skip=%d restricted=%d access=%lld refresh=%lld", c->id,
	    c->name, c->launch_url != NULL ? c->launch_url : "-",
	    c->is_public, c->pkce_enabled, c->requires_reauthentication,
	    c->requires_par, c->skip_consent, c->is_group_restricted,
	    (long long)c->access_token_minutes,
	    (long long)c->refresh_token_minutes);
	print_list("callbacks", c->callback_urls, c->n_callback_urls);
	print_list("logout", c->logout_callback_urls,
	    c->n_logout_callback_urls);
	printf("\n");
	oidc_client_free(c);
	return 0;
}

static int
cmd_consent(struct db *db, bool merge, int argc, char **argv)
{
	bool a = false, b = false;
	int rc;

	if (argc < 2)
		return fail(PERR_INVALID, "usage");
	if (merge)
		rc = oidc_consent_merge(db, argv[0], argv[1],
		    (const char *const *)argv + 2, (size_t)argc - 2, &a);
	else
		rc = oidc_consent_covers(db, argv[0], argv[1],
		    (const char *const *)argv + 2, (size_t)argc - 2, &a, &b);
	if (rc != PERR_OK)
		return fail(rc, NULL);
	if (merge)
		printf("ok new=%d\n", a);
	else
		printf("ok covered=%d exists=%d\n", a, b);
	return 0;
}

static int
run(struct db *db, int argc, char **argv)
{
	struct oidc_client *c = NULL;
	char *json = NULL;
	bool allowed = false;
	int rc;

	if (argc >= 1 && strcmp(argv[0], "auth") == 0)
		return cmd_auth(db, argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[0], "load") == 0)
		return cmd_load(db, argv[1]);
	if (argc == 2 && strcmp(argv[0], "meta") == 0) {
		if ((rc = oidc_client_meta_json(db, argv[1], &json)) !=
		    PERR_OK)
			return fail(rc, NULL);
		printf("ok %s\n", json);
		free(json);
		return 0;
	}
	if (argc == 3 && strcmp(argv[0], "allows") == 0) {
		if ((rc = oidc_client_load(db, argv[1], &c)) == PERR_OK)
			rc = oidc_client_allows_user(db, c, argv[2], &allowed);
		oidc_client_free(c);
		if (rc != PERR_OK)
			return fail(rc, NULL);
		printf("ok %s\n", allowed ? "true" : "false");
		return 0;
	}
	if (argc >= 1 && strcmp(argv[0], "covers") == 0)
		return cmd_consent(db, false, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "merge") == 0)
		return cmd_consent(db, true, argc - 1, argv + 1);
	return fail(PERR_INVALID, "usage: see the comment at the top");
}

int
main(int argc, char **argv)
{
	struct db *db = NULL;
	int rc;

	log_configure(LOG_WARN, false);
	if (db_open(getenv("DB_CONNECTION_STRING"), &db) != PERR_OK)
		return fail(PERR_DB_UNAVAILABLE, NULL);
	rc = run(db, argc - 1, argv + 1);
	db_close(db);
	return rc;
}
