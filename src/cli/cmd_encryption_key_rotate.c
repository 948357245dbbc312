/*
 * encryption-key-rotate: re-seals every sealed value (signing keys, kv
 * jwt_private_key.json, the key check value) from the current
 * ENCRYPTION_KEY to a new one, in one transaction: afterwards only the new
 * key opens the data; an error or an interrupted run leaves everything
 * under the old key. Works while the service is stopped, and while it
 * runs (the workers keep the keys they loaded; restart them, or send
 * SIGHUP, with the new key).
 * The new key comes from --new-key K (as Pocket ID; visible to other
 * users in the process list) or --new-key-file FILE (ours; used byte for
 * byte, like ENCRYPTION_KEY_FILE, so the same file can then be
 * ENCRYPTION_KEY_FILE). Exit status: 0 done, 1 error or refused, 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "keys/keys.h"
#include "store/store.h"
#include "auth/auth.h"
#include "cli/cli.h"

static int
enc_rotate_usage(void)
{
	fprintf(stderr, "usage: pocket-id encryption-key-rotate "
	    "(--new-key KEY | --new-key-file FILE) [-y|--yes]\n");
	return 2;
}

/* Reads all of path, at most KEYS_ENCRYPTION_KEY_MAX bytes. */
static int
read_key_file(const char *path, uint8_t **out, size_t *len)
{
	uint8_t *buf = NULL;
	size_t n;
	FILE *f;
	int err = PERR_OK;

	*out = NULL;
	*len = 0;
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "pocket-id encryption-key-rotate: %s: %s\n",
		    path, strerror(errno));
		return PERR_IO;
	}
	if ((buf = malloc(KEYS_ENCRYPTION_KEY_MAX + 1)) == NULL) {
		fclose(f);
		return PERR_NOMEM;
	}
	n = fread(buf, 1, KEYS_ENCRYPTION_KEY_MAX + 1, f);
	if (ferror(f)) {
		fprintf(stderr, "pocket-id encryption-key-rotate: %s: read "
		    "error\n", path);
		err = PERR_IO;
	} else if (n > KEYS_ENCRYPTION_KEY_MAX) {
		fprintf(stderr, "pocket-id encryption-key-rotate: %s: longer "
		    "than %d bytes\n", path, KEYS_ENCRYPTION_KEY_MAX);
		err = PERR_TOO_LARGE;
	}
	fclose(f);
	if (err != PERR_OK) {
		crypto_secret_free(buf, KEYS_ENCRYPTION_KEY_MAX + 1);
		return err;
	}
	*out = buf;
	*len = n;
	return PERR_OK;
}

/* The application settings stored sealed (spec §4.2's passwords). */
static int
sealed_setting_keys(const char ***out)
{
	size_t i, n = 0;

	if ((*out = calloc(app_setting_defs_len + 1, sizeof(**out))) == NULL)
		return PERR_NOMEM;
	for (i = 0; i < app_setting_defs_len; i++)
		if (app_setting_defs[i].is_sensitive)
			(*out)[n++] = app_setting_defs[i].key;
	return PERR_OK;
}

static int
enc_rotate_run(int argc, char **argv)
{
	const char *new_key = NULL, *new_key_file = NULL, *value, *why = NULL;
	struct settings *settings = NULL;
	struct db *db = NULL;
	const char **sealed = NULL;
	uint8_t *key = NULL;
	size_t key_len = 0, n_keys = 0;
	bool yes = false;
	int i, rc, status = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-y") == 0 || strcmp(argv[i], "--yes") == 0)
			yes = true;
		else if ((value = cli_option_value(argc, argv, &i, NULL,
		    "--new-key-file")) != NULL)
			new_key_file = value;
		else if ((value = cli_option_value(argc, argv, &i, NULL,
		    "--new-key")) != NULL)
			new_key = value;
		else
			return enc_rotate_usage();
	}
	if ((new_key == NULL) == (new_key_file == NULL))
		return enc_rotate_usage();
	if (new_key_file != NULL) {
		if (read_key_file(new_key_file, &key, &key_len) != PERR_OK)
			return 1;
	} else {
		key_len = strlen(new_key);
		if ((key = malloc(key_len + 1)) == NULL)
			return 1;
		memcpy(key, new_key, key_len + 1);
	}
	if (key_len < KEYS_ENCRYPTION_KEY_MIN) {
		fprintf(stderr, "pocket-id encryption-key-rotate: the new key "
		    "must be at least %d bytes long (e.g. the output of "
		    "\"openssl rand -base64 32\")\n", KEYS_ENCRYPTION_KEY_MIN);
		goto out;
	}
	if (cli_load_settings(CONF_NEED_ENCRYPTION_KEY | CONF_NEED_DATABASE,
	    &settings, NULL) != PERR_OK)
		goto out;
	if (!cli_confirm("encryption-key-rotate", "This re-seals the secrets "
	    "in the database under the new key. Afterwards pocket-id must run "
	    "with ENCRYPTION_KEY set to the new key.", yes))
		goto out;
	if (cli_open_migrated("encryption-key-rotate", settings, &db) !=
	    PERR_OK)
		goto out;
	if ((rc = sealed_setting_keys(&sealed)) == PERR_OK)
		rc = keys_encryption_rotate(db, settings->encryption_key.data,
		    settings->encryption_key.len, key, key_len,
		    (const char *const *)sealed, &n_keys, &why);
	free(sealed);
	if (rc == PERR_WRONG_KEY)
		fprintf(stderr, "pocket-id encryption-key-rotate: the current "
		    "ENCRYPTION_KEY does not open the data, so it cannot be "
		    "re-sealed: set ENCRYPTION_KEY to the key the data was "
		    "sealed with. Nothing was changed.\n");
	else if (rc != PERR_OK)
		fprintf(stderr, "pocket-id encryption-key-rotate: %s\n",
		    why != NULL ? why : rc == PERR_DB ||
		    rc == PERR_DB_UNAVAILABLE ? db_error_message(db) :
		    perr_str(rc));
	else {
		printf("re-sealed %zu signing key%s and the key check value "
		    "under the new key\nnow run pocket-id with ENCRYPTION_KEY "
		    "set to the new key (restart it, or change the setting "
		    "and send SIGHUP)\n", n_keys, n_keys == 1 ? "" : "s");
		status = 0;
	}
out:
	crypto_secret_free(key, key_len);
	db_close(db);
	conf_free(settings);
	return status;
}

const struct cli_command cmd_encryption_key_rotate = {
	"encryption-key-rotate", "(--new-key KEY | --new-key-file FILE) [-y]",
	"re-seal the stored secrets under a new ENCRYPTION_KEY",
	enc_rotate_run, };
