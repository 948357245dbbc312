/*
 * base64: the two base64 alphabets and hex, encoder and strict decoder.
 * The decoder is the one place untrusted base64 is read; it allocates only
 * after the length has been checked against CODEC_B64_INPUT_MAX.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "codec/codec.h"

static const char alphabet_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char alphabet_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static char *
encode_with(const char *alphabet, bool pad, const uint8_t *data, size_t n,
    size_t *out_len)
{
	size_t full = n / 3, rest = n % 3, cap, i, o = 0;
	char *out;

	if (n > (SIZE_MAX / 4) * 3 - 3)
		return NULL;
	cap = (full + 1) * 4 + 1;
	if ((out = malloc(cap)) == NULL)
		return NULL;
	for (i = 0; i < full * 3; i += 3) {
		uint32_t v = ((uint32_t)data[i] << 16) |
		    ((uint32_t)data[i + 1] << 8) | data[i + 2];
		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
		out[o++] = alphabet[(v >> 6) & 63];
		out[o++] = alphabet[v & 63];
	}
	if (rest > 0) {
		uint32_t v = (uint32_t)data[i] << 16;
		if (rest == 2)
			v |= (uint32_t)data[i + 1] << 8;
		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
		if (rest == 2)
			out[o++] = alphabet[(v >> 6) & 63];
		else if (pad)
			out[o++] = '=';
		if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	if (out_len != NULL)
		*out_len = o;
	return out;
}

char *
b64url_encode(const uint8_t *data, size_t n, size_t *out_len)
{
	return encode_with(alphabet_url, false, data, n, out_len);
}

char *
b64_encode(const uint8_t *data, size_t n, size_t *out_len)
{
	return encode_with(alphabet_std, true, data, n, out_len);
}

char *
hex_encode(const uint8_t *data, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *out;
	size_t i;

	if (n > SIZE_MAX / 2 - 1 || (out = malloc(n * 2 + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}

/* Value of c in alphabet, or -1. */
static int
sextet(const char *alphabet, char c)
{
	const char *hit;

	if (c == '\0' || (hit = strchr(alphabet, c)) == NULL)
		return -1;
	return (int)(hit - alphabet);
}

static int
decode_with(const char *alphabet, bool pad, const char *text, size_t len,
    uint8_t **out, size_t *out_len)
{
	size_t body = len, rest, i, o = 0;
	uint32_t acc = 0;
	uint8_t *bytes;
	int bits = 0, v;

	if (len > CODEC_B64_INPUT_MAX)
		return PERR_TOO_LARGE;
	if (pad) {
		if (len % 4 != 0)
			return PERR_INVALID;
		while (body > 0 && len - body < 2 && text[body - 1] == '=')
			body--;
	}
	rest = body % 4;
	if (rest == 1 || (pad && body + (rest ? 4 - rest : 0) != len))
		return PERR_INVALID;
	if ((bytes = malloc(body / 4 * 3 + 3)) == NULL)
		return PERR_NOMEM;
	for (i = 0; i < body; i++) {
		if ((v = sextet(alphabet, text[i])) < 0)
			goto invalid;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			bytes[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* Leftover bits must be zero: one encoding per byte string. */
	if (acc != 0)
		goto invalid;
	bytes[o] = '\0';
	*out = bytes;
	*out_len = o;
	return PERR_OK;
invalid:
	free(bytes);
	return PERR_INVALID;
}

int
b64url_decode(const char *text, size_t len, uint8_t **out, size_t *out_len)
{
	return decode_with(alphabet_url, false, text, len, out, out_len);
}

int
b64_decode(const char *text, size_t len, uint8_t **out, size_t *out_len)
{
	return decode_with(alphabet_std, true, text, len, out, out_len);
}
