/*
 * keys_probe: drives a worker's keyring (src/keys/ring.c) against a real
 * database, for tests/e2e/keys.test.mjs: it signs a JWT before a rotation
 * and checks, after "pocket-id key-rotate" ran in another process, that it
 * noticed (LISTEN/NOTIFY) without a restart. Until an endpoint signs
 * tokens (the OIDC issue), this is how the end-to-end tests reach signing.
 * Reads DB_CONNECTION_STRING and ENCRYPTION_KEY; one command per line:
 *   refresh          keys_ring_refresh now
 *   kid              the kid of the key that signs now
 *   sign JSON        a JWT of the claims JSON (typ "JWT")
 *   verify JWT       keys_verify_jwt (no claim checks but the signature)
 *   jwks             the JWKS document
 * and answers one line each: "ok", "ok VALUE", or "error <reason>".
 * Test tool only: not installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/common.h"
#include "jose/jose.h"
#include "keys/keys.h"
#include "store/store.h"

#define PROBE_LINE_MAX 65536

static void
answer(int rc, const char *value, const char *why)
{
	if (rc != PERR_OK)
		printf("error %s\n", why != NULL ? why : perr_str(rc));
	else if (value != NULL)
		printf("ok %s\n", value);
	else
		printf("ok\n");
	fflush(stdout);
}

static void
probe_command(struct keyring *kr, struct db *db, char *line)
{
	struct jwt_expect expect;
	const struct jwk *signer;
	const char *json = NULL, *why = NULL;
	char *arg = strchr(line, ' '), *out = NULL;
	int64_t now = (int64_t)time(NULL);
	size_t len = 0;
	int rc;

	if (arg != NULL)
		*arg++ = '\0';
	if (strcmp(line, "refresh") == 0) {
		answer(keys_ring_refresh(kr, db, now), NULL, NULL);
	} else if (strcmp(line, "kid") == 0) {
		signer = keys_ring_signer(kr, now);
		answer(signer != NULL ? PERR_OK : PERR_NOT_FOUND,
		    signer != NULL ? signer->kid : NULL, NULL);
	} else if (strcmp(line, "sign") == 0 && arg != NULL) {
		rc = keys_sign_jwt(kr, now, "JWT", arg, strlen(arg), &out,
		    &len);
		answer(rc, out, NULL);
	} else if (strcmp(line, "verify") == 0 && arg != NULL) {
		memset(&expect, 0, sizeof(expect));
		expect.now = now;
		rc = keys_verify_jwt(kr, arg, strlen(arg), &expect, NULL,
		    &why);
		answer(rc, NULL, why);
	} else if (strcmp(line, "jwks") == 0) {
		rc = keys_ring_jwks(kr, now, &json, &len);
		answer(rc, json, NULL);
	} else {
		answer(PERR_INVALID, NULL, "unknown command");
	}
	free(out);
}

int
main(void)
{
	const char *ek = getenv("ENCRYPTION_KEY");
	struct keyring *kr = NULL;
	struct db *db = NULL;
	char *line;
	size_t n;

	log_configure(LOG_WARN, false);
	if (ek == NULL || db_new(getenv("DB_CONNECTION_STRING"), &db) !=
	    PERR_OK || keys_ring_new((const uint8_t *)ek, strlen(ek), &kr) !=
	    PERR_OK)
		return 1;
	if ((line = malloc(PROBE_LINE_MAX)) == NULL)
		return 1;
	while (fgets(line, PROBE_LINE_MAX, stdin) != NULL) {
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		probe_command(kr, db, line);
	}
	free(line);
	keys_ring_free(kr);
	db_close(db);
	return 0;
}
