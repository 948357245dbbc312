/*
 * request_object: unsigned request objects passed by value in the
 * "request" parameter of /authorize (OIDC Core §6.1, RFC 9101). We
 * advertise request_object_signing_alg_values_supported ["none"], so the
 * object must be a JWS with alg "none" and an empty signature; anything
 * signed, malformed or expired is refused (invalid_request_object). The
 * parameters it carries win over the front channel's.
 *
 * Pure: no I/O, no clock (now is an argument).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "oidc/authz.h"

/* The three dot-separated segments of the compact serialisation. */
struct ro_parts {
	const uint8_t *part[3];
	size_t len[3];
};

/* Splits the compact form with a bounded reader: exactly two dots. */
static int
split(const char *jwt, size_t len, struct ro_parts *p)
{
	struct rbuf r;
	const uint8_t *b;
	size_t i = 0, start = 0;
	uint8_t c;

	if (len == 0 || len > AUTHZ_REQUEST_OBJECT_MAX_LEN)
		return PERR_INVALID;
	memset(p, 0, sizeof(*p));
	rbuf_init(&r, jwt, len);
	while (rbuf_left(&r) > 0) {
		if (rbuf_u8(&r, &c) != PERR_OK)
			return PERR_TRUNCATED;
		if (c != '.')
			continue;
		if (i == 2)
			return PERR_INVALID;
		p->len[i] = r.off - 1 - start;
		start = r.off;
		i++;
	}
	if (i != 2)
		return PERR_INVALID;
	p->len[2] = len - start;
	rbuf_init(&r, jwt, len);
	for (i = 0; i < 3; i++) {
		if (rbuf_bytes(&r, p->len[i], &b) != PERR_OK)
			return PERR_TRUNCATED;
		p->part[i] = b;
		if (i < 2 && rbuf_bytes(&r, 1, &b) != PERR_OK)
			return PERR_TRUNCATED;
	}
	return PERR_OK;
}

/* A segment decoded and parsed as a JSON object. */
static int
segment_object(const uint8_t *part, size_t len, struct json_object **out)
{
	uint8_t *raw = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	if (len == 0)
		return PERR_INVALID;
	if ((rc = b64url_decode((const char *)part, len, &raw, &n)) != PERR_OK)
		return rc;
	rc = ojson_parse((const char *)raw, n, out);
	free(raw);
	if (rc == PERR_OK && !json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
		rc = PERR_INVALID;
	}
	return rc;
}

/* A parameter's value as the front channel would carry it: strings as
 * they are, integers (max_age) in decimal; other types are not ours. */
static int
param_value(struct json_object *v, char **out)
{
	char num[24];

	*out = NULL;
	if (json_object_is_type(v, json_type_string))
		*out = str_dup(json_object_get_string(v));
	else if (json_object_is_type(v, json_type_int)) {
		snprintf(num, sizeof(num), "%lld",
		    (long long)json_object_get_int64(v));
		*out = str_dup(num);
	} else
		return PERR_OK;
	return *out == NULL ? PERR_NOMEM : PERR_OK;
}

/* exp and nbf, when present, must be numbers that admit now. */
static bool
times_ok(struct json_object *claims, int64_t now, const char **why)
{
	struct json_object *v;

	if (json_object_object_get_ex(claims, "exp", &v) &&
	    (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) <= now))
		return *why = "The request object has expired", false;
	if (json_object_object_get_ex(claims, "nbf", &v) &&
	    (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) > now))
		return *why = "The request object is not valid yet", false;
	return true;
}

int
authz_request_object_apply(const char *jwt, size_t len, int64_t now,
    struct authz_request *a, const char **why)
{
	struct json_object *header = NULL, *claims = NULL, *alg, *v;
	struct authz_request got = { 0 };
	struct ro_parts p;
	char **slot, **into;
	size_t i;
	int rc;

	*why = "The request object is malformed";
	if ((rc = split(jwt, len, &p)) != PERR_OK ||
	    (rc = segment_object(p.part[0], p.len[0], &header)) != PERR_OK)
		goto out;
	if (!json_object_object_get_ex(header, "alg", &alg) ||
	    !json_object_is_type(alg, json_type_string)) {
		rc = PERR_INVALID;
		goto out;
	}
	if (strcmp(json_object_get_string(alg), "none") != 0 ||
	    p.len[2] != 0) {
		*why = "Only unsigned request objects (alg none) are supported";
		rc = PERR_INVALID;
		goto out;
	}
	if ((rc = segment_object(p.part[1], p.len[1], &claims)) != PERR_OK)
		goto out;
	if (!times_ok(claims, now, why)) {
		rc = PERR_INVALID;
		goto out;
	}
	for (i = 0; authz_request_field_name(i) != NULL; i++) {
		if (!json_object_object_get_ex(claims,
		    authz_request_field_name(i), &v))
			continue;
		if ((rc = param_value(v, authz_request_field(&got, i))) !=
		    PERR_OK)
			goto out;
	}
	/* RFC 9101 §5: the client_id inside must be the one outside. */
	if (got.client_id != NULL && a->client_id != NULL &&
	    strcmp(got.client_id, a->client_id) != 0) {
		*why = "The request object names another client_id";
		rc = PERR_INVALID;
		goto out;
	}
	for (i = 0; authz_request_field_name(i) != NULL; i++) {
		slot = authz_request_field(&got, i);
		if (*slot == NULL)
			continue;
		into = authz_request_field(a, i);
		free(*into);
		*into = *slot;
		*slot = NULL;
	}
	*why = NULL;
out:
	if (rc != PERR_OK && rc != PERR_NOMEM)
		rc = PERR_INVALID;
	authz_request_clear(&got);
	json_object_put(header);
	json_object_put(claims);
	return rc;
}
