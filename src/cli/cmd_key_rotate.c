/*
 * key-rotate: makes a new token signing key (flags as Pocket ID's:
 * -a/--alg, -c/--crv, -y/--yes). Unlike Pocket ID, nothing has to be
 * restarted and no token stops working: every worker of every replica
 * signs with the new key at once (LISTEN/NOTIFY), and the previous public
 * key stays in the JWKS until the tokens it signed have expired.
 * --prepublish DURATION (ours) publishes the new key first and lets it
 * sign only after DURATION, for relying parties behind a JWKS cache.
 * Exit status: 0 done, 1 error or refused, 2 usage.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/common.h"
#include "conf/conf.h"
#include "jose/jose.h"
#include "keys/keys.h"
#include "store/store.h"
#include "cli/cli.h"

/* Pre-publication longer than this is surely a typo. */
#define PREPUBLISH_MAX_S (30 * 24 * 3600)

static int
key_rotate_usage(void)
{
	fprintf(stderr, "usage: pocket-id key-rotate [-a|--alg ALG] "
	    "[-c|--crv Ed25519] [--prepublish DURATION] [-y|--yes]\n"
	    "  ALG: RS256 (default), RS384, RS512, ES256, ES384, ES512, "
	    "EdDSA\n  DURATION: seconds, or a number with s, m or h\n");
	return 2;
}

/* "90", "90s", "15m", "1h". */
static int
parse_duration(const char *text, int64_t *out)
{
	char digits[24];
	size_t n = strlen(text);
	int64_t unit = 1, v;

	if (n > 0 && strchr("smh", text[n - 1]) != NULL) {
		unit = text[n - 1] == 's' ? 1 : text[n - 1] == 'm' ? 60 : 3600;
		n--;
	}
	if (n == 0 || n >= sizeof(digits))
		return PERR_INVALID;
	memcpy(digits, text, n);
	digits[n] = '\0';
	if (str_to_int64(digits, 0, PREPUBLISH_MAX_S, &v) != PERR_OK ||
	    v * unit > PREPUBLISH_MAX_S)
		return PERR_INVALID;
	*out = v * unit;
	return PERR_OK;
}

/* Pocket ID takes the algorithm in any case, and EdDSA only on Ed25519. */
static const struct jose_alg_info *
parse_alg(const char *alg, const char *crv)
{
	static const char *const offered[] = { "RS256", "RS384", "RS512",
	    "ES256", "ES384", "ES512", "EdDSA" };
	size_t i;

	for (i = 0; i < sizeof(offered) / sizeof(offered[0]); i++)
		if (str_eq_ci(alg, offered[i]))
			break;
	if (i == sizeof(offered) / sizeof(offered[0])) {
		fprintf(stderr, "pocket-id key-rotate: unsupported algorithm; "
		    "supported: RS256, RS384, RS512, ES256, ES384, ES512, "
		    "EdDSA\n");
		return NULL;
	}
	if (strcmp(offered[i], "EdDSA") == 0 && crv != NULL &&
	    !str_eq_ci(crv, "Ed25519")) {
		fprintf(stderr, "pocket-id key-rotate: unsupported EdDSA "
		    "curve; supported: Ed25519\n");
		return NULL;
	}
	return jose_alg_by_name(offered[i]);
}

static void
format_time(int64_t t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, size, "%lld", (long long)t);
}

static void
key_rotate_print(const struct keys_rotation *r, const char *alg,
    int64_t prepublish_s)
{
	char when[32];

	if (prepublish_s == 0) {
		printf("new signing key %s (%s) signs new tokens now, on every "
		    "worker and replica\n", r->kid, alg);
	} else {
		format_time((int64_t)time(NULL) + prepublish_s, when,
		    sizeof(when));
		printf("new signing key %s (%s) is published now and signs "
		    "new tokens from %s\n", r->kid, alg, when);
	}
	if (r->old_kid[0] != '\0') {
		format_time(r->old_verify_until, when, sizeof(when));
		printf("previous key %s stays in the JWKS and verifies until "
		    "%s\n", r->old_kid, when);
	}
}

static int
key_rotate_run(int argc, char **argv)
{
	const char *alg_name = "RS256", *crv = NULL, *value, *why = NULL;
	const struct jose_alg_info *alg;
	struct keys_rotation rotation;
	struct settings *settings = NULL;
	struct db *db = NULL;
	int64_t prepublish_s = 0, lifetime = 0;
	bool yes = false;
	int i, rc, status = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-y") == 0 || strcmp(argv[i], "--yes") == 0)
			yes = true;
		else if ((value = cli_option_value(argc, argv, &i, "-a",
		    "--alg")) != NULL)
			alg_name = value;
		else if ((value = cli_option_value(argc, argv, &i, "-c",
		    "--crv")) != NULL)
			crv = value;
		else if ((value = cli_option_value(argc, argv, &i, NULL,
		    "--prepublish")) != NULL) {
			if (parse_duration(value, &prepublish_s) != PERR_OK)
				return key_rotate_usage();
		} else
			return key_rotate_usage();
	}
	if ((alg = parse_alg(alg_name, crv)) == NULL)
		return 1;
	if (cli_load_settings(CONF_NEED_ENCRYPTION_KEY | CONF_NEED_DATABASE,
	    &settings, NULL) != PERR_OK)
		return 1;
	if (!cli_confirm("key-rotate", "This makes a new token signing key. "
	    "Tokens signed with the current key stay valid until they "
	    "expire; its public key stays in the JWKS until then.", yes))
		goto out;
	if (cli_open_migrated("key-rotate", settings, &db) != PERR_OK)
		goto out;
	if ((rc = keys_retired_lifetime(db, &lifetime)) == PERR_OK)
		rc = keys_rotate(db, settings->encryption_key.data,
		    settings->encryption_key.len, alg->alg, prepublish_s,
		    lifetime, &rotation, &why);
	if (rc == PERR_WRONG_KEY)
		fprintf(stderr, "pocket-id key-rotate: %s\n",
		    keys_wrong_key_help);
	else if (rc != PERR_OK)
		fprintf(stderr, "pocket-id key-rotate: %s\n", why != NULL ?
		    why : rc == PERR_DB || rc == PERR_DB_UNAVAILABLE ?
		    db_error_message(db) : perr_str(rc));
	else {
		key_rotate_print(&rotation, alg->name, prepublish_s);
		status = 0;
	}
out:
	db_close(db);
	conf_free(settings);
	return status;
}

const struct cli_command cmd_key_rotate = {
	"key-rotate",
	"[-a ALG] [-c Ed25519] [--prepublish DURATION] [-y]",
	"make a new token signing key (the old one verifies until its tokens "
	"expire)", key_rotate_run,
};
