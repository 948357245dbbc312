/*
 * duration: the time-to-live values of spec §0.4 in request bodies: whole
 * seconds as a JSON number, or a Go-style duration string ("15m",
 * "1h30m", "1.5h", "2000ms"). Owns only the parsing; what a missing or
 * zero value means is the caller's (a default, or "required").
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"

/* Go's time.ParseDuration units, in seconds. */
static const struct {
	const char *unit;
	double seconds;
} ttl_units[] = {
	{ "ns", 1e-9 }, { "us", 1e-6 }, { "\xc2\xb5s", 1e-6 },
	{ "\xce\xbcs", 1e-6 }, { "ms", 1e-3 }, { "s", 1 }, { "m", 60 },
	{ "h", 3600 },
};

/* "1h30m", "1.5h", "90s": a sequence of decimal numbers with units. */
static int
parse_duration(const char *s, double *out)
{
	double total = 0, v, frac;
	size_t i, best, blen;

	if (*s == '+')
		s++;
	if (*s == '\0')
		return PERR_INVALID;
	if (strcmp(s, "0") == 0) {
		*out = 0;
		return PERR_OK;
	}
	while (*s != '\0') {
		if (!(isdigit((unsigned char)*s) || (*s == '.' &&
		    isdigit((unsigned char)s[1]))))
			return PERR_INVALID;
		for (v = 0; isdigit((unsigned char)*s) && v < 1e12; s++)
			v = v * 10 + (*s - '0');
		if (*s == '.')
			for (s++, frac = 0.1; isdigit((unsigned char)*s);
			    s++, frac /= 10)
				v += (*s - '0') * frac;
		if (isdigit((unsigned char)*s))
			return PERR_INVALID;	/* too many digits */
		best = sizeof(ttl_units) / sizeof(ttl_units[0]);
		blen = 0;
		for (i = 0; i < sizeof(ttl_units) / sizeof(ttl_units[0]);
		    i++)
			if (str_has_prefix(s, ttl_units[i].unit) &&
			    strlen(ttl_units[i].unit) > blen) {
				best = i;
				blen = strlen(ttl_units[i].unit);
			}
		if (blen == 0)
			return PERR_INVALID;
		total += v * ttl_units[best].seconds;
		s += blen;
		if (total > 1e12)
			return PERR_INVALID;
	}
	*out = total;
	return PERR_OK;
}

int
ojson_ttl_seconds(struct json_object *v, int64_t max_seconds, int64_t *seconds)
{
	double d;

	*seconds = 0;
	if (v == NULL || json_object_is_type(v, json_type_null))
		return PERR_OK;
	if (json_object_is_type(v, json_type_int)) {
		int64_t n = json_object_get_int64(v);

		if (n < 0 || n > max_seconds)
			return PERR_INVALID;
		d = (double)n;
	} else if (json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		if (!isfinite(d))
			return PERR_INVALID;
	} else if (json_object_is_type(v, json_type_string)) {
		if (parse_duration(json_object_get_string(v), &d) != PERR_OK)
			return PERR_INVALID;
	} else {
		return PERR_INVALID;
	}
	if (d == 0)
		return PERR_OK;
	if (d <= 1 || d > (double)max_seconds)
		return PERR_INVALID;
	*seconds = (int64_t)d;
	return PERR_OK;
}
