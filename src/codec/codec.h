/*
 * codec: text encodings of bytes (base64url without padding, standard
 * base64 with padding, lower-case hex) and a bounded JSON parser front end.
 * Decoders are strict: they reject stray characters, wrong padding and
 * non-zero trailing bits, so every byte string has one encoding.
 * json-c types stop at the module that parses: callers copy what they need
 * out of the object and put it back with json_object_put().
 */
#ifndef POCKETID_CODEC_H
#define POCKETID_CODEC_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

/* Largest input any decoder here accepts, in encoded characters. */
#define CODEC_B64_INPUT_MAX (16u * 1024u * 1024u)

/*
 * Encodes n bytes; returns a NUL-terminated string the caller frees, or NULL
 * when out of memory. *out_len (optional) receives its length.
 */
char *b64url_encode(const uint8_t *data, size_t n, size_t *out_len);
char *b64_encode(const uint8_t *data, size_t n, size_t *out_len);
char *hex_encode(const uint8_t *data, size_t n);

/*
 * Decodes len characters of text. On success *out holds a heap copy the
 * caller frees (NUL-terminated for convenience) and *out_len its length.
 * Errors: PERR_INVALID (alphabet, padding, trailing bits, length),
 * PERR_TOO_LARGE (over CODEC_B64_INPUT_MAX), PERR_NOMEM.
 * b64url_decode rejects '=' padding; b64_decode requires it.
 */
int b64url_decode(const char *text, size_t len, uint8_t **out, size_t *out_len);
int b64_decode(const char *text, size_t len, uint8_t **out, size_t *out_len);

/* Limits the JSON front end applies before json-c sees the text. */
#define CODEC_JSON_DEPTH_MAX 32
#define CODEC_JSON_INPUT_MAX (1024u * 1024u)

/*
 * Parses exactly len bytes as one JSON value (no trailing bytes, no NUL,
 * valid UTF-8, depth at most CODEC_JSON_DEPTH_MAX). On success *out is a new
 * reference the caller releases with json_object_put().
 * Errors: PERR_INVALID, PERR_TOO_LARGE, PERR_NOMEM.
 */
int ojson_parse(const char *text, size_t len, struct json_object **out);

/*
 * A TTL (spec §0.4): NULL, JSON null and 0 give *seconds = 0 (the caller
 * decides what that means); otherwise more than 1 s and at most
 * max_seconds, else PERR_INVALID. Fractions of a second are dropped.
 */
int ojson_ttl_seconds(struct json_object *v, int64_t max_seconds,
    int64_t *seconds);

#endif
