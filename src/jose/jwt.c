/*
 * jwt: JWT claims sets (RFC 7519) — parsing with type checks of the
 * registered claims, and validation of iss, aud, exp, nbf and iat against
 * what the caller expects, with the current time and the allowed clock
 * skew as arguments. The signature is jws.c's business.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "jose/jose.h"
#include "jose/internal.h"

/* Longest iss, sub, jti or audience we accept. */
#define JWT_STRING_MAX_LEN 2048u
/* Largest allowed clock skew, in seconds. */
#define JWT_SKEW_MAX 86400

struct jwt_claims {
	struct json_object *obj;
	struct json_object *aud;	/* string, array, or NULL */
	bool has_exp, has_nbf, has_iat;
	int64_t exp, nbf, iat;
};

void
jwt_claims_free(struct jwt_claims *c)
{
	if (c == NULL)
		return;
	json_object_put(c->obj);
	free(c);
}

/* RFC 7519 §2 NumericDate: a JSON number of seconds, possibly fractional. */
static int
numeric_date(struct json_object *v, int64_t *out)
{
	double d;
	int64_t i;

	if (json_object_is_type(v, json_type_int)) {
		i = json_object_get_int64(v);
		if (i < 0 || i > JOSE_TIME_MAX)
			return PERR_INVALID;
		*out = i;
		return PERR_OK;
	}
	if (json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		if (!isfinite(d) || d < 0 || d > (double)JOSE_TIME_MAX)
			return PERR_INVALID;
		*out = (int64_t)d;	/* d >= 0: truncation is floor */
		return PERR_OK;
	}
	return PERR_INVALID;
}

static int
read_date(struct jwt_claims *c, const char *name, bool *has, int64_t *out,
    const char **why)
{
	struct json_object *v;

	if (!json_object_object_get_ex(c->obj, name, &v))
		return PERR_OK;
	if (numeric_date(v, out) != PERR_OK)
		return jose_fail(why, PERR_INVALID,
		    "a JWT time claim is not a valid NumericDate");
	*has = true;
	return PERR_OK;
}

static int
read_aud(struct jwt_claims *c, const char **why)
{
	struct json_object *v, *e;
	const char *s;
	size_t i, n;

	if (!json_object_object_get_ex(c->obj, "aud", &v))
		return PERR_OK;
	if (json_object_is_type(v, json_type_string)) {
		if (jose_json_string(c->obj, "aud", JWT_STRING_MAX_LEN, &s,
		    NULL) != PERR_OK)
			return jose_fail(why, PERR_INVALID, "JWT aud is bad");
		c->aud = v;
		return PERR_OK;
	}
	if (!json_object_is_type(v, json_type_array))
		return jose_fail(why, PERR_INVALID,
		    "JWT aud is neither a string nor an array");
	if ((n = json_object_array_length(v)) > JOSE_AUD_MAX)
		return jose_fail(why, PERR_TOO_LARGE, "JWT aud too long");
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(v, i);
		if (!json_object_is_type(e, json_type_string) ||
		    (size_t)json_object_get_string_len(e) > JWT_STRING_MAX_LEN ||
		    strlen(json_object_get_string(e)) !=
		    (size_t)json_object_get_string_len(e))
			return jose_fail(why, PERR_INVALID,
			    "JWT aud holds a bad entry");
	}
	c->aud = v;
	return PERR_OK;
}

static int
check_strings(struct jwt_claims *c, const char **why)
{
	static const char *const names[] = { "iss", "sub", "jti" };
	const char *s;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (jose_json_string(c->obj, names[i], JWT_STRING_MAX_LEN, &s,
		    NULL) == PERR_INVALID)
			return jose_fail(why, PERR_INVALID,
			    "JWT iss, sub or jti is not a short string");
	return PERR_OK;
}

int
jwt_claims_parse(const uint8_t *payload, size_t len, struct jwt_claims **out,
    const char **why)
{
	struct jwt_claims *c;
	int err;

	*out = NULL;
	if (len > JOSE_JWS_MAX_LEN)
		return jose_fail(why, PERR_TOO_LARGE, "JWT claims too large");
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return PERR_NOMEM;
	if ((err = ojson_parse((const char *)payload, len, &c->obj)) !=
	    PERR_OK) {
		err = jose_fail(why, err == PERR_NOMEM ? err : PERR_INVALID,
		    "JWT claims are not valid JSON");
		goto out;
	}
	if (!json_object_is_type(c->obj, json_type_object)) {
		err = jose_fail(why, PERR_INVALID,
		    "JWT claims are not a JSON object");
		goto out;
	}
	if ((err = check_strings(c, why)) != PERR_OK ||
	    (err = read_aud(c, why)) != PERR_OK ||
	    (err = read_date(c, "exp", &c->has_exp, &c->exp, why)) != PERR_OK ||
	    (err = read_date(c, "nbf", &c->has_nbf, &c->nbf, why)) != PERR_OK ||
	    (err = read_date(c, "iat", &c->has_iat, &c->iat, why)) != PERR_OK)
		goto out;
	*out = c;
	c = NULL;
out:
	jwt_claims_free(c);
	return err;
}

/* ---- accessors ------------------------------------------------------------- */

const char *
jwt_claims_string(const struct jwt_claims *c, const char *name)
{
	const char *s = NULL;

	if (jose_json_string(c->obj, name, JOSE_JWS_MAX_LEN, &s, NULL) !=
	    PERR_OK)
		return NULL;
	return s;
}

int
jwt_claims_int64(const struct jwt_claims *c, const char *name, int64_t *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(c->obj, name, &v))
		return PERR_NOT_FOUND;
	return numeric_date(v, out);
}

size_t
jwt_claims_aud_count(const struct jwt_claims *c)
{
	if (c->aud == NULL)
		return 0;
	if (json_object_is_type(c->aud, json_type_string))
		return 1;
	return json_object_array_length(c->aud);
}

const char *
jwt_claims_aud(const struct jwt_claims *c, size_t i)
{
	if (i >= jwt_claims_aud_count(c))
		return NULL;
	if (json_object_is_type(c->aud, json_type_string))
		return json_object_get_string(c->aud);
	return json_object_get_string(json_object_array_get_idx(c->aud, i));
}

/* ---- checks ------------------------------------------------------------------ */

static bool
has_aud(const struct jwt_claims *c, const char *aud)
{
	size_t i, n = jwt_claims_aud_count(c);

	for (i = 0; i < n; i++)
		if (strcmp(jwt_claims_aud(c, i), aud) == 0)
			return true;
	return false;
}

/* RFC 7519 §4.1.4, §4.1.5, §4.1.6, with skew either way. */
static int
check_times(const struct jwt_claims *c, const struct jwt_expect *e,
    const char **why)
{
	if (c->has_exp && e->now >= c->exp + e->skew)
		return jose_fail(why, PERR_EXPIRED, "JWT has expired");
	if (!c->has_exp && e->exp_required)
		return jose_fail(why, PERR_VERIFY, "JWT has no exp");
	if (c->has_nbf && c->nbf > e->now + e->skew)
		return jose_fail(why, PERR_EXPIRED, "JWT is not valid yet");
	if (c->has_iat && c->iat > e->now + e->skew)
		return jose_fail(why, PERR_EXPIRED,
		    "JWT was issued in the future");
	if (!c->has_iat && e->iat_required)
		return jose_fail(why, PERR_VERIFY, "JWT has no iat");
	return PERR_OK;
}

int
jwt_claims_check(const struct jwt_claims *c, const struct jwt_expect *e,
    const char **why)
{
	const char *iss;
	int err;

	if (e->now < 0 || e->now > JOSE_TIME_MAX || e->skew < 0 ||
	    e->skew > JWT_SKEW_MAX)
		return jose_fail(why, PERR_INVALID, "bad time or skew");
	if ((err = check_times(c, e, why)) != PERR_OK)
		return err;
	if (e->iss != NULL && ((iss = jwt_claims_string(c, "iss")) == NULL ||
	    strcmp(iss, e->iss) != 0))
		return jose_fail(why, PERR_VERIFY, "JWT iss is not expected");
	if (e->aud != NULL && !has_aud(c, e->aud))
		return jose_fail(why, PERR_VERIFY,
		    "JWT aud does not include us");
	return PERR_OK;
}

/* ---- all together -------------------------------------------------------------- */

/* RFC 7515 §4.1.9: media types compare case-insensitively, and the
 * "application/" prefix may be left out. */
static const char *
typ_core(const char *t)
{
	static const char prefix[] = "application/";
	size_t n = sizeof(prefix) - 1;

	if (strlen(t) > n && strncasecmp(t, prefix, n) == 0 &&
	    strchr(t + n, '/') == NULL)
		return t + n;
	return t;
}

static int
check_typ(const struct jws *jws, const struct jwt_expect *e, const char **why)
{
	const char *typ = jws_typ(jws);

	if (typ == NULL)
		return e->typ_required ? jose_fail(why, PERR_VERIFY,
		    "JWT typ is missing") : PERR_OK;
	if (e->typ != NULL && !str_eq_ci(typ_core(typ), typ_core(e->typ)))
		return jose_fail(why, PERR_VERIFY, "JWT typ is not expected");
	return PERR_OK;
}

/* Claims of a verified jws. */
static int
finish(const struct jws *jws, const struct jwt_expect *e,
    struct jwt_claims **out, const char **why)
{
	struct jwt_claims *c = NULL;
	const uint8_t *payload;
	size_t len;
	int err;

	if ((err = check_typ(jws, e, why)) != PERR_OK)
		return err;
	payload = jws_payload(jws, &len);
	if ((err = jwt_claims_parse(payload, len, &c, why)) != PERR_OK)
		return err;
	if ((err = jwt_claims_check(c, e, why)) != PERR_OK) {
		jwt_claims_free(c);
		return err;
	}
	if (out != NULL)
		*out = c;
	else
		jwt_claims_free(c);
	return PERR_OK;
}

int
jwt_verify(const char *compact, size_t len, const struct jwk *key,
    const struct jwt_expect *expect, struct jwt_claims **out,
    const char **why)
{
	struct jws *jws = NULL;
	int err;

	if (out != NULL)
		*out = NULL;
	if ((err = jws_parse(compact, len, &jws, why)) == PERR_OK &&
	    (err = jws_verify(jws, key, why)) == PERR_OK)
		err = finish(jws, expect, out, why);
	jws_free(jws);
	return err;
}

int
jwt_verify_set(const char *compact, size_t len, const struct jwks *set,
    const struct jwt_expect *expect, struct jwt_claims **out,
    const char **why)
{
	struct jws *jws = NULL;
	const struct jwk *key;
	size_t i;
	int err;

	if (out != NULL)
		*out = NULL;
	if ((err = jws_parse(compact, len, &jws, why)) != PERR_OK)
		goto out;
	if (jws_kid(jws) != NULL) {
		if ((key = jwks_find(set, jws_kid(jws))) == NULL)
			err = jose_fail(why, PERR_VERIFY,
			    "no key with the JWS kid");
		else
			err = jws_verify(jws, key, why);
	} else {
		err = jose_fail(why, PERR_VERIFY, "no key verifies the JWS");
		for (i = 0; set != NULL && i < set->n && err != PERR_OK; i++)
			err = jws_verify(jws, set->keys[i], NULL);
		if (err != PERR_OK)
			err = jose_fail(why, err, "no key verifies the JWS");
	}
	if (err == PERR_OK)
		err = finish(jws, expect, out, why);
out:
	jws_free(jws);
	return err;
}
