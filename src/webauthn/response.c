/*
 * response: RegistrationResponseJSON and AuthenticationResponseJSON
 * (WebAuthn L3 §5.1, the toJSON() shapes) into C structs of decoded bytes.
 * Nothing here judges the ceremony; it only checks the shape and the
 * limits. Unknown members (clientExtensionResults, publicKey,
 * publicKeyAlgorithm, ...) are ignored: the signed bytes are authoritative.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "webauthn/wa_int.h"

/* Base64url characters (with padding) that n decoded bytes can take. */
#define B64_CHARS(n) ((((size_t)(n) + 2) / 3) * 4)

/* The member name, or NULL when absent or JSON null. */
static struct json_object *
member(struct json_object *obj, const char *name)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(obj, name, &v))
		return NULL;
	return v;
}

/* A base64url member decoded into *out; max bounds the decoded size. */
static int
get_b64(struct json_object *obj, const char *name, size_t max,
    bool required, uint8_t **out, size_t *out_len)
{
	struct json_object *v = member(obj, name);
	size_t n;
	int err;

	*out = NULL;
	*out_len = 0;
	if (v == NULL)
		return required ? PERR_INVALID : PERR_OK;
	if (!json_object_is_type(v, json_type_string))
		return PERR_INVALID;
	n = (size_t)json_object_get_string_len(v);
	if (n > B64_CHARS(max))
		return PERR_TOO_LARGE;
	if ((err = wa_b64url_decode_lenient(json_object_get_string(v), n, out,
	    out_len)) != PERR_OK)
		return err;
	if (*out_len > max) {
		free(*out);
		*out = NULL;
		return PERR_TOO_LARGE;
	}
	return PERR_OK;
}

/* A short printable-ASCII string member (id, transports, attachment). */
static int
get_token(struct json_object *v, size_t max, char **out)
{
	const char *s;
	size_t i, n;

	if (!json_object_is_type(v, json_type_string))
		return PERR_INVALID;
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (n > max)
		return PERR_TOO_LARGE;
	if (n == 0)
		return PERR_INVALID;
	for (i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return PERR_INVALID;
	if ((*out = str_ndup(s, n)) == NULL)
		return PERR_NOMEM;
	return PERR_OK;
}

/* type must be "public-key"; returns the "response" object. */
static int
check_envelope(struct json_object *obj, struct json_object **response)
{
	struct json_object *type;

	if (!json_object_is_type(obj, json_type_object))
		return PERR_INVALID;
	type = member(obj, "type");
	if (type == NULL || !json_object_is_type(type, json_type_string) ||
	    strcmp(json_object_get_string(type), "public-key") != 0)
		return PERR_INVALID;
	*response = member(obj, "response");
	if (*response == NULL ||
	    !json_object_is_type(*response, json_type_object))
		return PERR_INVALID;
	return PERR_OK;
}

static int
parse_json(const char *json, size_t len, struct json_object **obj)
{
	if (len > WEBAUTHN_RESPONSE_JSON_MAX)
		return PERR_TOO_LARGE;
	return ojson_parse(json, len, obj);
}

static int
reg_transports(struct json_object *response, struct webauthn_reg_response *r)
{
	struct json_object *arr = member(response, "transports");
	size_t i, n;
	int err;

	if (arr == NULL)
		return PERR_OK;
	if (!json_object_is_type(arr, json_type_array))
		return PERR_INVALID;
	n = json_object_array_length(arr);
	if (n > WEBAUTHN_TRANSPORTS_MAX)
		return PERR_TOO_LARGE;
	for (i = 0; i < n; i++) {
		if ((err = get_token(json_object_array_get_idx(arr, i),
		    WEBAUTHN_TRANSPORT_LEN_MAX, &r->transports[i])) != PERR_OK)
			return err;
		r->transports_len = i + 1;
	}
	return PERR_OK;
}

static int
reg_members(struct json_object *obj, struct webauthn_reg_response *r)
{
	struct json_object *response, *v;
	size_t id_max = B64_CHARS(WEBAUTHN_CREDENTIAL_ID_MAX);
	int err;

	if ((err = check_envelope(obj, &response)) != PERR_OK)
		return err;
	if ((v = member(obj, "id")) == NULL)
		return PERR_INVALID;
	if ((err = get_token(v, id_max, &r->id)) != PERR_OK)
		return err;
	/* rawId is id's bytes; both come from the same browser object. */
	if ((v = member(obj, "rawId")) != NULL &&
	    (!json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), r->id) != 0))
		return PERR_INVALID;
	if ((err = get_b64(response, "clientDataJSON",
	    WEBAUTHN_CLIENT_DATA_MAX, true, &r->client_data_json,
	    &r->client_data_json_len)) != PERR_OK ||
	    (err = get_b64(response, "attestationObject",
	    WEBAUTHN_ATT_OBJECT_MAX, true, &r->attestation_object,
	    &r->attestation_object_len)) != PERR_OK ||
	    (err = reg_transports(response, r)) != PERR_OK)
		return err;
	if ((v = member(obj, "authenticatorAttachment")) != NULL &&
	    (err = get_token(v, WEBAUTHN_TRANSPORT_LEN_MAX,
	    &r->authenticator_attachment)) != PERR_OK)
		return err;
	return PERR_OK;
}

int
webauthn_reg_response_parse(const char *json, size_t len,
    struct webauthn_reg_response **out)
{
	struct webauthn_reg_response *r = NULL;
	struct json_object *obj = NULL;
	int err;

	*out = NULL;
	if ((err = parse_json(json, len, &obj)) != PERR_OK)
		return err;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		err = PERR_NOMEM;
		goto out;
	}
	if ((err = reg_members(obj, r)) != PERR_OK)
		goto out;
	*out = r;
	r = NULL;
out:
	webauthn_reg_response_free(r);
	json_object_put(obj);
	return err;
}

void
webauthn_reg_response_free(struct webauthn_reg_response *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->id);
	free(r->client_data_json);
	free(r->attestation_object);
	for (i = 0; i < r->transports_len; i++)
		free(r->transports[i]);
	free(r->authenticator_attachment);
	free(r);
}

static int
assert_members(struct json_object *obj, struct webauthn_assert_response *r)
{
	struct json_object *response;
	uint8_t *id = NULL;
	size_t id_len;
	int err;

	if ((err = check_envelope(obj, &response)) != PERR_OK)
		return err;
	if ((err = get_b64(obj, "rawId", WEBAUTHN_CREDENTIAL_ID_MAX, true,
	    &r->raw_id, &r->raw_id_len)) != PERR_OK)
		return err;
	if (r->raw_id_len == 0)
		return PERR_INVALID;
	/* The store looks the credential up by rawId; id must agree. */
	if ((err = get_b64(obj, "id", WEBAUTHN_CREDENTIAL_ID_MAX, false, &id,
	    &id_len)) != PERR_OK)
		return err;
	if (id != NULL && (id_len != r->raw_id_len ||
	    memcmp(id, r->raw_id, id_len) != 0))
		err = PERR_INVALID;
	free(id);
	if (err != PERR_OK)
		return err;
	if ((err = get_b64(response, "clientDataJSON",
	    WEBAUTHN_CLIENT_DATA_MAX, true, &r->client_data_json,
	    &r->client_data_json_len)) != PERR_OK ||
	    (err = get_b64(response, "authenticatorData",
	    WEBAUTHN_AUTH_DATA_MAX, true, &r->authenticator_data,
	    &r->authenticator_data_len)) != PERR_OK ||
	    (err = get_b64(response, "signature", WEBAUTHN_SIGNATURE_MAX, true,
	    &r->signature, &r->signature_len)) != PERR_OK)
		return err;
	if ((err = get_b64(response, "userHandle", WEBAUTHN_USER_HANDLE_MAX,
	    false, &r->user_handle, &r->user_handle_len)) != PERR_OK)
		return err;
	/* A user handle is 1 to 64 bytes (§5.4.3): an empty one is none. */
	if (r->user_handle != NULL && r->user_handle_len == 0) {
		free(r->user_handle);
		r->user_handle = NULL;
	}
	return PERR_OK;
}

int
webauthn_assert_response_parse(const char *json, size_t len,
    struct webauthn_assert_response **out)
{
	struct webauthn_assert_response *r = NULL;
	struct json_object *obj = NULL;
	int err;

	*out = NULL;
	if ((err = parse_json(json, len, &obj)) != PERR_OK)
		return err;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		err = PERR_NOMEM;
		goto out;
	}
	if ((err = assert_members(obj, r)) != PERR_OK)
		goto out;
	*out = r;
	r = NULL;
out:
	webauthn_assert_response_free(r);
	json_object_put(obj);
	return err;
}

void
webauthn_assert_response_free(struct webauthn_assert_response *r)
{
	if (r == NULL)
		return;
	free(r->raw_id);
	free(r->client_data_json);
	free(r->authenticator_data);
	free(r->signature);
	free(r->user_handle);
	free(r);
}
