/*
 * str: small string helpers with explicit bounds: range-checked integer
 * parsing (instead of atoi), duplication, UTF-8 validation.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "common/common.h"

int
str_to_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end = NULL;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return PERR_INVALID;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return PERR_INVALID;
	if (v < min || v > max)
		return PERR_INVALID;
	*out = (int64_t)v;
	return PERR_OK;
}

char *
str_ndup(const char *s, size_t n)
{
	char *copy;

	if ((copy = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(copy, s, n);
	copy[n] = '\0';
	return copy;
}

char *
str_dup(const char *s)
{
	return str_ndup(s, strlen(s));
}

bool
str_eq_ci(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

bool
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Length of the UTF-8 sequence led by c, 0 when c cannot lead one. */
static size_t
utf8_sequence_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

bool
str_is_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, seq;
	uint32_t cp;

	while (i < n) {
		if (p[i] == 0)
			return false;
		if ((seq = utf8_sequence_length(p[i])) == 0 || seq > n - i)
			return false;
		cp = seq == 1 ? p[i] : (uint32_t)(p[i] & (0x7f >> seq));
		for (k = 1; k < seq; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((seq == 3 && cp < 0x800) || (seq == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += seq;
	}
	return true;
}

void
str_free_secret(char *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

bool
str_is_uuid(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}
