/*
 * client_secret: client secrets (spec §1.7, §2.5): making one (32 random
 * alphanumerics, or a declared value of 16+ printable ASCII characters),
 * checking one against a stored hash (SHA-256 hex; bcrypt for hashes
 * imported from Pocket ID), and the admin routes that list, create and
 * delete them. A value is shown once, in the creation response; only its
 * SHA-256 and first four characters are stored.
 */
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "http/http.h"
#include "auth/auth.h"
#include "admin/admin.h"
#include "store/store.h"
#include "oidc/oidc_client.h"

static const char alphanumerics[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

int
oidc_client_secret_generate(char out[OIDC_CLIENT_SECRET_GEN_LEN + 1])
{
	return crypto_random_string(alphanumerics, OIDC_CLIENT_SECRET_GEN_LEN,
	    out);
}

static bool
verify_sha256(const char *secret, const char *hash)
{
	char hex[65];
	bool ok;

	if (strlen(hash) != 64 || auth_token_hash(secret, hex) != PERR_OK)
		return false;
	ok = crypto_memeq(hex, hash, 64);
	OPENSSL_cleanse(hex, sizeof(hex));
	return ok;
}

/* bcrypt through libxcrypt; its failure tokens start with '*'. */
static bool
verify_bcrypt(const char *secret, const char *hash)
{
	struct crypt_data *cd;
	const char *got;
	size_t n = strlen(hash);
	bool ok = false;

	if (!(str_has_prefix(hash, "$2a$") || str_has_prefix(hash, "$2b$") ||
	    str_has_prefix(hash, "$2y$")) || n != 60)
		return false;
	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return false;
	got = crypt_r(secret, hash, cd);
	if (got != NULL && got[0] != '*' && strlen(got) == n)
		ok = crypto_memeq(got, hash, n);
	OPENSSL_cleanse(cd, sizeof(*cd));
	free(cd);
	return ok;
}

bool
oidc_client_secret_verify(const char *secret, const char *alg,
    const char *hash)
{
	if (strcmp(alg, "sha256") == 0)
		return verify_sha256(secret, hash);
	if (strcmp(alg, "bcrypt") == 0)
		return verify_bcrypt(secret, hash);
	return false;
}

void
oidc_client_secrets_list(struct app_call *call)
{
	char *id = oidc_client_id_param(call, "id"), *json = NULL;
	int rc;

	if (id == NULL) {
		oidc_client_not_found(call);
		return;
	}
	rc = store_client_secrets_list(call->app->db, id, &json);
	oidc_client_respond(call, rc, json);
	free(id);
	free(json);
}

static bool
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* RFC 3339 date-time: 2006-01-02T15:04:05[.frac](Z|+hh:mm|-hh:mm). */
static bool
is_rfc3339(const char *s)
{
	size_t n = strlen(s), i = 19;

	if (n < 20 || n > 40 || !digits(s, 4) || s[4] != '-' ||
	    !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2) ||
	    (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' ||
	    !digits(s + 17, 2))
		return false;
	if (s[i] == '.') {
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 20)
			return false;
	}
	if ((s[i] == 'Z' || s[i] == 'z') && s[i + 1] == '\0')
		return true;
	return (s[i] == '+' || s[i] == '-') && strlen(s + i) == 6 &&
	    digits(s + i + 1, 2) && s[i + 3] == ':' && digits(s + i + 4, 2);
}

/* A declared secret: 16 to 256 printable ASCII characters. */
static bool
is_valid_declared(const char *s)
{
	size_t n = strlen(s), i;

	if (n < OIDC_CLIENT_SECRET_MIN_LEN || n > OIDC_CLIENT_SECRET_MAX_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

struct secret_body {
	const char *secret;	/* NULL: generate one */
	const char *expires_at;	/* NULL: never */
};

/* The optional body {secret?, expiresAt?}; on false the 400 is sent. */
static bool
parse_secret_body(struct app_call *call, struct json_object *body,
    struct secret_body *b)
{
	struct json_object *v;

	memset(b, 0, sizeof(*b));
	if (body == NULL)
		return true;
	if (json_object_object_get_ex(body, "secret", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_string)) {
			admin_invalid_field(call, "secret", "invalid_format",
			    "must be a string");
			return false;
		}
		b->secret = json_object_get_string(v);
		if (b->secret[0] == '\0') {
			b->secret = NULL;
		} else if (!is_valid_declared(b->secret)) {
			admin_invalid_field(call, "secret", "invalid_value",
			    "must be 16 to 256 printable ASCII characters");
			return false;
		}
	}
	if (json_object_object_get_ex(body, "expiresAt", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_string) ||
		    !is_rfc3339(json_object_get_string(v))) {
			admin_invalid_field(call, "expiresAt", "invalid_format",
			    "must be an RFC 3339 date and time");
			return false;
		}
		b->expires_at = json_object_get_string(v);
	}
	return true;
}

/* {...OidcClientSecretDto, "secret": value}: the only time it is shown. */
static void
respond_created(struct app_call *call, const char *dto, const char *secret)
{
	const char *end = strrchr(dto, '}');
	struct wbuf w;

	if (end == NULL) {
		admin_fail(call, PERR_INTERNAL);
		return;
	}
	wbuf_init(&w);
	wbuf_put(&w, dto, (size_t)(end - dto));
	wbuf_puts(&w, ", \"secret\": ");
	wbuf_put_json_string(&w, secret, strlen(secret));
	wbuf_putc(&w, '}');
	if (wbuf_error(&w) != PERR_OK)
		admin_fail(call, PERR_NOMEM);
	else
		http_response_json(call->res, 201, (const char *)w.data);
	wbuf_free(&w);
}

static void
answer_add_error(struct app_call *call, int rc)
{
	switch (rc) {
	case PERR_NOT_FOUND:
		oidc_client_not_found(call);
		break;
	case PERR_FORBIDDEN:
		http_response_error(call->res, call->req, 400,
		    "validation_failed",
		    "Cannot create a secret for a public client");
		break;
	case PERR_TOO_LARGE:
		http_response_error(call->res, call->req, 400,
		    "validation_failed",
		    "A client cannot have more than 20 secrets");
		break;
	case PERR_EXPIRED:
		http_response_error(call->res, call->req, 400,
		    "validation_failed", "The expiration date of a client "
		    "secret must be in the future");
		break;
	case PERR_INVALID:
		admin_invalid_field(call, "expiresAt", "invalid_format",
		    "must be an RFC 3339 date and time");
		break;
	default:
		admin_fail(call, rc);
	}
}

void
oidc_client_secret_create(struct app_call *call)
{
	struct store_client_secret_new s = { .max_per_client =
		OIDC_CLIENT_SECRETS_MAX };
	struct json_object *body = NULL;
	struct secret_body b;
	char *id = oidc_client_id_param(call, "id"), *dto = NULL;
	char gen[OIDC_CLIENT_SECRET_GEN_LEN + 1], hash[65];
	char secret_id[STORE_ID_LEN + 1];
	char prefix[OIDC_CLIENT_SECRET_PREFIX_LEN + 1];
	const char *value;
	int rc;

	gen[0] = '\0';
	if (id == NULL) {
		oidc_client_not_found(call);
		return;
	}
	/* The body is optional (Pocket ID's BindOptionalJSON). */
	if (call->req->body_len > 0 && !admin_body_object(call, &body))
		goto out;
	if (!parse_secret_body(call, body, &b))
		goto out;
	if (b.secret == NULL && (rc = oidc_client_secret_generate(gen)) !=
	    PERR_OK)
		goto fail;
	value = b.secret != NULL ? b.secret : gen;
	if ((rc = auth_token_hash(value, hash)) != PERR_OK ||
	    (rc = crypto_uuid_v4(secret_id)) != PERR_OK)
		goto fail;
	/* Pocket ID keeps no prefix of a secret of four characters or less;
	 * ours are at least 16. */
	memcpy(prefix, value, OIDC_CLIENT_SECRET_PREFIX_LEN);
	prefix[OIDC_CLIENT_SECRET_PREFIX_LEN] = '\0';
	s.id = secret_id;
	s.client_id = id;
	s.hash = hash;
	s.prefix = prefix;
	s.expires_at = b.expires_at;
	rc = store_client_secret_add(call->app->db, &s, &dto);
	if (rc != PERR_OK) {
		answer_add_error(call, rc);
		goto out;
	}
	respond_created(call, dto, value);
	goto out;
fail:
	admin_fail(call, rc);
out:
	OPENSSL_cleanse(gen, sizeof(gen));
	free(id);
	free(dto);
	json_object_put(body);
}

void
oidc_client_secret_delete(struct app_call *call)
{
	char *id = oidc_client_id_param(call, "id");
	const char *secret_id = http_route_param(call->req, "secretId");
	bool client_exists = false;
	int rc;

	if (id == NULL) {
		oidc_client_not_found(call);
		return;
	}
	/* A malformed secret id names no secret; the nil UUID does the
	 * same and still tells whether the client exists. */
	if (secret_id == NULL || !str_is_uuid(secret_id))
		secret_id = "00000000-0000-0000-0000-000000000000";
	rc = store_client_secret_delete(call->app->db, id, secret_id,
	    &client_exists);
	if (rc == PERR_NOT_FOUND && !client_exists)
		oidc_client_not_found(call);
	else if (rc == PERR_NOT_FOUND)
		admin_error(call, 404, "not_found", "Client secret not found",
		    "resource", "Client secret");
	else if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_no_content(call->res, 204);
	free(id);
}
