/*
 * clientdata: CollectedClientData (WebAuthn L3 §5.8.1), the JSON the
 * browser signs over. Parsed strictly into a C struct; which values are
 * acceptable is decided by the ceremonies, not here. Unknown members (old
 * Edge's hashAlgorithm, Android's androidPackageName, the spec's extraData
 * example, tokenBinding) are ignored, as §5.8.1 asks.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "webauthn/wa_int.h"

/* Copies a JSON string member into *out; absent members leave it NULL. */
static int
get_string(struct json_object *obj, const char *name, size_t max,
    bool required, char **out)
{
	struct json_object *v;
	const char *s;
	size_t n;

	if (!json_object_object_get_ex(obj, name, &v))
		return required ? PERR_INVALID : PERR_OK;
	if (!json_object_is_type(v, json_type_string))
		return PERR_INVALID;
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (n > max)
		return PERR_TOO_LARGE;
	/* An embedded NUL would make the C string lie about its length. */
	if (memchr(s, '\0', n) != NULL)
		return PERR_INVALID;
	if ((*out = str_ndup(s, n)) == NULL)
		return PERR_NOMEM;
	return PERR_OK;
}

static int
parse_type(struct json_object *obj, enum webauthn_cd_type *out)
{
	char *type = NULL;
	int err;

	if ((err = get_string(obj, "type", 64, true, &type)) != PERR_OK)
		return err;
	if (strcmp(type, "webauthn.create") == 0)
		*out = WEBAUTHN_CD_CREATE;
	else if (strcmp(type, "webauthn.get") == 0)
		*out = WEBAUTHN_CD_GET;
	else
		*out = WEBAUTHN_CD_OTHER;
	free(type);
	return PERR_OK;
}

static int
parse_challenge(struct json_object *obj, struct webauthn_client_data *cd)
{
	char *text = NULL;
	int err;

	/* Base64url of at most WEBAUTHN_CHALLENGE_MAX bytes. */
	if ((err = get_string(obj, "challenge",
	    (WEBAUTHN_CHALLENGE_MAX * 4 + 2) / 3, true, &text)) != PERR_OK)
		return err;
	err = b64url_decode(text, strlen(text), &cd->challenge,
	    &cd->challenge_len);
	free(text);
	return err;
}

static int
parse_cross_origin(struct json_object *obj, bool *out)
{
	struct json_object *v;

	*out = false;
	if (!json_object_object_get_ex(obj, "crossOrigin", &v))
		return PERR_OK;
	if (!json_object_is_type(v, json_type_boolean))
		return PERR_INVALID;
	*out = json_object_get_boolean(v) != 0;
	return PERR_OK;
}

static int
parse_members(struct json_object *obj, struct webauthn_client_data *out)
{
	int err;

	if (!json_object_is_type(obj, json_type_object))
		return PERR_INVALID;
	if ((err = parse_type(obj, &out->type)) != PERR_OK ||
	    (err = parse_challenge(obj, out)) != PERR_OK ||
	    (err = get_string(obj, "origin", WEBAUTHN_ORIGIN_MAX, true,
	    &out->origin)) != PERR_OK ||
	    (err = parse_cross_origin(obj, &out->cross_origin)) != PERR_OK)
		return err;
	return get_string(obj, "topOrigin", WEBAUTHN_ORIGIN_MAX, false,
	    &out->top_origin);
}

int
webauthn_client_data_parse(const uint8_t *json, size_t len,
    struct webauthn_client_data *out)
{
	static const uint8_t bom[3] = { 0xef, 0xbb, 0xbf };
	struct json_object *obj = NULL;
	int err;

	memset(out, 0, sizeof(*out));
	if (len > WEBAUTHN_CLIENT_DATA_MAX)
		return PERR_TOO_LARGE;
	/* §7.1 step 5 / §7.2 step 8: UTF-8 decode strips a leading BOM. */
	if (len >= sizeof(bom) && memcmp(json, bom, sizeof(bom)) == 0) {
		json += sizeof(bom);
		len -= sizeof(bom);
	}
	if ((err = ojson_parse((const char *)json, len, &obj)) != PERR_OK)
		return err;
	err = parse_members(obj, out);
	json_object_put(obj);
	if (err != PERR_OK)
		webauthn_client_data_free(out);
	return err;
}

void
webauthn_client_data_free(struct webauthn_client_data *cd)
{
	if (cd == NULL)
		return;
	free(cd->challenge);
	free(cd->origin);
	free(cd->top_origin);
	memset(cd, 0, sizeof(*cd));
}
