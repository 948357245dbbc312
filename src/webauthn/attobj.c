/*
 * attobj: the attestationObject (WebAuthn L3 §6.5.4), a CBOR map of fmt,
 * attStmt and authData. The statement is decoded here, once, into the C
 * fields every defined format draws from (alg, sig, x5c, ver, certInfo,
 * pubArea, response); the format files then work on plain C data and never
 * see libcbor. Members outside that set make the object invalid.
 */
#include <stdlib.h>
#include <string.h>

#include <cbor.h>

#include "common/common.h"
#include "webauthn/wa_int.h"

/* Longest TPM version or SafetyNet "ver" we keep. */
#define STMT_VER_MAX 32u

static int
copy_bytes(const cbor_item_t *v, size_t max, uint8_t **out, size_t *len)
{
	size_t n;

	if (!cbor_isa_bytestring(v))
		return PERR_INVALID;
	n = cbor_bytestring_length(v);
	if (n > max)
		return PERR_TOO_LARGE;
	if ((*out = malloc(n > 0 ? n : 1)) == NULL)
		return PERR_NOMEM;
	if (n > 0)
		memcpy(*out, cbor_bytestring_handle(v), n);
	*len = n;
	return PERR_OK;
}

/* §8.1: at most 32 printable US-ASCII characters, no '"' and no '\'. */
static int
copy_fmt(const cbor_item_t *v, char out[WEBAUTHN_FMT_MAX + 1])
{
	const uint8_t *s;
	size_t i, n;

	if (v == NULL || !cbor_isa_string(v))
		return PERR_INVALID;
	n = cbor_string_length(v);
	s = cbor_string_handle(v);
	if (n == 0 || n > WEBAUTHN_FMT_MAX)
		return PERR_INVALID;
	for (i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\')
			return PERR_INVALID;
	memcpy(out, s, n);
	out[n] = '\0';
	return PERR_OK;
}

static int
stmt_alg(const cbor_item_t *v, struct webauthn_att_object *ao)
{
	int64_t alg;

	if (wa_cbor_int(v, &alg) != PERR_OK || alg < INT32_MIN ||
	    alg > INT32_MAX)
		return PERR_INVALID;
	ao->alg = (int32_t)alg;
	return PERR_OK;
}

static int
stmt_x5c(const cbor_item_t *v, struct webauthn_att_object *ao)
{
	cbor_item_t **certs;
	size_t i, n;
	int err;

	if (!cbor_isa_array(v))
		return PERR_INVALID;
	n = cbor_array_size(v);
	if (n == 0)
		return PERR_INVALID;
	if (n > WEBAUTHN_X5C_MAX)
		return PERR_TOO_LARGE;
	certs = cbor_array_handle(v);
	for (i = 0; i < n; i++) {
		if ((err = copy_bytes(certs[i], WEBAUTHN_CERT_MAX,
		    &ao->x5c[i].der, &ao->x5c[i].len)) != PERR_OK)
			return err;
		ao->x5c_len = i + 1;
		if (ao->x5c[i].len == 0)
			return PERR_INVALID;
	}
	return PERR_OK;
}

static int
stmt_ver(const cbor_item_t *v, struct webauthn_att_object *ao)
{
	size_t n;

	if (!cbor_isa_string(v))
		return PERR_INVALID;
	n = cbor_string_length(v);
	if (n > STMT_VER_MAX)
		return PERR_TOO_LARGE;
	/* The scan checked UTF-8, which excludes NUL bytes too. */
	if ((ao->ver = str_ndup((const char *)cbor_string_handle(v), n)) ==
	    NULL)
		return PERR_NOMEM;
	return PERR_OK;
}

/* One attStmt member by name. */
static int
stmt_member(const char *name, size_t name_len, const cbor_item_t *v,
    struct webauthn_att_object *ao)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} names[] = {
		{ "alg", WEBAUTHN_STMT_ALG }, { "sig", WEBAUTHN_STMT_SIG },
		{ "x5c", WEBAUTHN_STMT_X5C }, { "ver", WEBAUTHN_STMT_VER },
		{ "certInfo", WEBAUTHN_STMT_CERT_INFO },
		{ "pubArea", WEBAUTHN_STMT_PUB_AREA },
		{ "response", WEBAUTHN_STMT_RESPONSE },
	};
	unsigned int bit = 0;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == name_len &&
		    memcmp(names[i].name, name, name_len) == 0)
			bit = names[i].bit;
	if (bit == 0)
		return PERR_INVALID;
	ao->present |= bit;
	switch (bit) {
	case WEBAUTHN_STMT_ALG:
		return stmt_alg(v, ao);
	case WEBAUTHN_STMT_SIG:
		return copy_bytes(v, WEBAUTHN_SIGNATURE_MAX, &ao->sig,
		    &ao->sig_len);
	case WEBAUTHN_STMT_X5C:
		return stmt_x5c(v, ao);
	case WEBAUTHN_STMT_VER:
		return stmt_ver(v, ao);
	case WEBAUTHN_STMT_CERT_INFO:
		return copy_bytes(v, WEBAUTHN_AUTH_DATA_MAX, &ao->cert_info,
		    &ao->cert_info_len);
	case WEBAUTHN_STMT_PUB_AREA:
		return copy_bytes(v, WEBAUTHN_AUTH_DATA_MAX, &ao->pub_area,
		    &ao->pub_area_len);
	default:
		return copy_bytes(v, WEBAUTHN_ATT_OBJECT_MAX, &ao->response,
		    &ao->response_len);
	}
}

static int
parse_stmt(const cbor_item_t *stmt, struct webauthn_att_object *ao)
{
	struct cbor_pair *p;
	size_t i, n;
	int err;

	if (stmt == NULL || !cbor_isa_map(stmt))
		return PERR_INVALID;
	p = cbor_map_handle(stmt);
	n = cbor_map_size(stmt);
	for (i = 0; i < n; i++) {
		if (!cbor_isa_string(p[i].key))
			return PERR_INVALID;
		if ((err = stmt_member((const char *)cbor_string_handle(
		    p[i].key), cbor_string_length(p[i].key), p[i].value,
		    ao)) != PERR_OK)
			return err;
	}
	return PERR_OK;
}

static int
parse_object(const cbor_item_t *root, struct webauthn_att_object *ao)
{
	const cbor_item_t *auth_data;
	int err;

	/* Exactly the three members of §6.5.4. */
	if (!cbor_isa_map(root) || cbor_map_size(root) != 3)
		return PERR_INVALID;
	if ((err = copy_fmt(wa_cbor_map_get_text(root, "fmt"), ao->fmt)) !=
	    PERR_OK)
		return err;
	auth_data = wa_cbor_map_get_text(root, "authData");
	if (auth_data == NULL)
		return PERR_INVALID;
	if ((err = copy_bytes(auth_data, WEBAUTHN_AUTH_DATA_MAX,
	    &ao->auth_data, &ao->auth_data_len)) != PERR_OK)
		return err;
	return parse_stmt(wa_cbor_map_get_text(root, "attStmt"), ao);
}

int
webauthn_att_object_parse(const uint8_t *data, size_t len,
    struct webauthn_att_object *out)
{
	cbor_item_t *root = NULL;
	int err;

	memset(out, 0, sizeof(*out));
	if (len > WEBAUTHN_ATT_OBJECT_MAX)
		return PERR_TOO_LARGE;
	if (len == 0)
		return PERR_TRUNCATED;
	if ((err = wa_cbor_decode(data, len, &root)) != PERR_OK)
		return err;
	err = parse_object(root, out);
	cbor_decref(&root);
	if (err != PERR_OK)
		webauthn_att_object_free(out);
	return err;
}

void
webauthn_att_object_free(struct webauthn_att_object *ao)
{
	size_t i;

	if (ao == NULL)
		return;
	free(ao->auth_data);
	free(ao->sig);
	for (i = 0; i < ao->x5c_len; i++)
		free(ao->x5c[i].der);
	free(ao->ver);
	free(ao->cert_info);
	free(ao->pub_area);
	free(ao->response);
	memset(ao, 0, sizeof(*ao));
}
