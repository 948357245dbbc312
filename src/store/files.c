/*
 * files: stored objects (images) in table storage (sql/0009_images.sql).
 * Content crosses libpq as text-format bytea: "\x" and hex on the way in,
 * PQunescapeBytea on the way out, because every statement of the table in
 * statements.c takes text parameters. This file knows paths and bytes,
 * never what an image is.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/internal.h"

void
store_file_clear(struct store_file *f)
{
	free(f->data);
	free(f->content_type);
	memset(f, 0, sizeof(*f));
}

/* "\x" followed by lower-case hex: bytea's text input form. */
static char *
bytea_text(const uint8_t *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *out;
	size_t i;

	if (len > STORE_FILE_MAX)
		return NULL;
	if ((out = malloc(2 * len + 3)) == NULL)
		return NULL;
	out[0] = '\\';
	out[1] = 'x';
	for (i = 0; i < len; i++) {
		out[2 + 2 * i] = digits[data[i] >> 4];
		out[3 + 2 * i] = digits[data[i] & 0x0f];
	}
	out[2 + 2 * len] = '\0';
	return out;
}

/* Copies row 0 (content, content_type) of res into out. */
static int
file_from_result(const PGresult *res, struct store_file *out)
{
	unsigned char *raw = NULL;
	size_t n = 0;

	if (PQntuples(res) == 0)
		return PERR_NOT_FOUND;
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 0),
	    &n);
	if (raw == NULL)
		return PERR_NOMEM;
	/* A copy with malloc, so that callers free with free(). */
	out->data = malloc(n > 0 ? n : 1);
	out->content_type = str_dup(PQgetvalue(res, 0, 1));
	if (out->data == NULL || out->content_type == NULL) {
		PQfreemem(raw);
		store_file_clear(out);
		return PERR_NOMEM;
	}
	if (n > 0)
		memcpy(out->data, raw, n);
	out->len = n;
	PQfreemem(raw);
	return PERR_OK;
}

static int
file_query(struct db *db, enum stmt id, const char *const *params,
    struct store_file *out)
{
	PGresult *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_exec(db, id, params, &res)) != PERR_OK)
		return rc;
	rc = file_from_result(res, out);
	PQclear(res);
	return rc;
}

static bool
is_path_ok(const char *path)
{
	size_t n = strlen(path);

	return n > 0 && n <= STORE_FILE_PATH_MAX;
}

int
store_file_get(struct db *db, const char *path, struct store_file *out)
{
	const char *params[1] = { path };

	memset(out, 0, sizeof(*out));
	if (!is_path_ok(path))
		return PERR_INVALID;
	return file_query(db, STMT_FILE_GET, params, out);
}

int
store_file_get_prefix(struct db *db, const char *prefix,
    struct store_file *out)
{
	const char *params[1] = { prefix };

	memset(out, 0, sizeof(*out));
	if (!is_path_ok(prefix))
		return PERR_INVALID;
	return file_query(db, STMT_FILE_GET_PREFIX, params, out);
}

int
store_file_put(struct db *db, const char *path, const uint8_t *data,
    size_t len, const char *content_type)
{
	const char *params[3] = { path, NULL, content_type };
	char *hex = NULL;
	int rc;

	if (!is_path_ok(path))
		return PERR_INVALID;
	if (len > STORE_FILE_MAX)
		return PERR_TOO_LARGE;
	if ((hex = bytea_text(data, len)) == NULL)
		return PERR_NOMEM;
	params[1] = hex;
	rc = db_exec(db, STMT_FILE_PUT, params, NULL);
	free(hex);
	return rc;
}

int
store_file_put_prefix(struct db *db, const char *prefix, const char *path,
    const uint8_t *data, size_t len, const char *content_type)
{
	const char *params[4] = { prefix, path, NULL, content_type };
	char *hex = NULL;
	int rc;

	if (!is_path_ok(path) || !is_path_ok(prefix) ||
	    !str_has_prefix(path, prefix))
		return PERR_INVALID;
	if (len > STORE_FILE_MAX)
		return PERR_TOO_LARGE;
	if ((hex = bytea_text(data, len)) == NULL)
		return PERR_NOMEM;
	params[2] = hex;
	rc = db_exec(db, STMT_FILE_PUT_PREFIX, params, NULL);
	free(hex);
	return rc;
}

static int
affected_or_not_found(int rc)
{
	if (rc < 0)
		return rc;
	return rc == 0 ? PERR_NOT_FOUND : PERR_OK;
}

int
store_file_delete(struct db *db, const char *path)
{
	const char *params[1] = { path };

	if (!is_path_ok(path))
		return PERR_INVALID;
	return affected_or_not_found(db_exec_affected(db, STMT_FILE_DELETE,
	    params));
}

int
store_file_delete_prefix(struct db *db, const char *prefix)
{
	const char *params[1] = { prefix };

	if (!is_path_ok(prefix))
		return PERR_INVALID;
	return affected_or_not_found(db_exec_affected(db,
	    STMT_FILE_DELETE_PREFIX, params));
}

int
store_file_put_user_picture(struct db *db, const char *user_id,
    const uint8_t *png, size_t len)
{
	const char *params[2] = { user_id, NULL };
	char *hex = NULL;
	int rc;

	if (!str_is_uuid(user_id))
		return PERR_NOT_FOUND;
	if (len > STORE_FILE_MAX)
		return PERR_TOO_LARGE;
	if ((hex = bytea_text(png, len)) == NULL)
		return PERR_NOMEM;
	params[1] = hex;
	rc = affected_or_not_found(db_exec_affected(db,
	    STMT_FILE_PUT_USER_PICTURE, params));
	free(hex);
	return rc;
}

int
store_file_user_names(struct db *db, const char *user_id, char **first,
    char **last, char **username)
{
	const char *params[1] = { user_id };
	PGresult *res = NULL;
	int rc;

	*first = *last = *username = NULL;
	if (!str_is_uuid(user_id))
		return PERR_NOT_FOUND;
	if ((rc = db_exec(db, STMT_FILE_USER_NAMES, params, &res)) != PERR_OK)
		return rc;
	if (PQntuples(res) == 0) {
		rc = PERR_NOT_FOUND;
	} else {
		*first = str_dup(PQgetvalue(res, 0, 0));
		*last = str_dup(PQgetvalue(res, 0, 1));
		*username = str_dup(PQgetvalue(res, 0, 2));
		if (*first == NULL || *last == NULL || *username == NULL) {
			free(*first);
			free(*last);
			free(*username);
			*first = *last = *username = NULL;
			rc = PERR_NOMEM;
		}
	}
	PQclear(res);
	return rc;
}

int
store_file_client_logo_get(struct db *db, const char *client_id, bool dark,
    struct store_file *out)
{
	const char *params[2] = { client_id, dark ? "true" : "false" };

	return file_query(db, STMT_FILE_CLIENT_LOGO_GET, params, out);
}

int
store_file_client_logo_put(struct db *db, const char *client_id, bool dark,
    const char *ext, const uint8_t *data, size_t len,
    const char *content_type)
{
	const char *params[5] = { client_id, dark ? "true" : "false", ext,
	    NULL, content_type };
	char *hex = NULL;
	int rc;

	if (len > STORE_FILE_MAX)
		return PERR_TOO_LARGE;
	if ((hex = bytea_text(data, len)) == NULL)
		return PERR_NOMEM;
	params[3] = hex;
	rc = affected_or_not_found(db_exec_affected(db,
	    STMT_FILE_CLIENT_LOGO_PUT, params));
	free(hex);
	return rc;
}

int
store_file_client_logo_delete(struct db *db, const char *client_id,
    bool dark)
{
	const char *params[2] = { client_id, dark ? "true" : "false" };
	PGresult *res = NULL;
	int rc;

	if ((rc = db_exec(db, STMT_FILE_CLIENT_LOGO_DELETE, params, &res)) !=
	    PERR_OK)
		return rc;
	rc = PQntuples(res) > 0 ? PERR_OK : PERR_NOT_FOUND;
	PQclear(res);
	return rc;
}
