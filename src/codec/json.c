/*
 * json: the bounded front end to json-c. It checks size, NUL bytes and
 * UTF-8 before parsing, caps the nesting depth and refuses trailing bytes,
 * so every module parses untrusted JSON the same way.
 */
#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"

/*
 * json-c accepts single-quoted strings even in strict mode; JSON does not.
 * True when a quote character appears outside a double-quoted string.
 */
static bool
has_single_quote_outside_strings(const char *text, size_t len)
{
	bool in_string = false, escaped = false;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = text[i];

		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '\'') {
			return true;
		}
	}
	return false;
}

int
ojson_parse(const char *text, size_t len, struct json_object **out)
{
	struct json_tokener *tok;
	struct json_object *value;
	enum json_tokener_error jerr;
	size_t used;

	*out = NULL;
	if (len > CODEC_JSON_INPUT_MAX)
		return PERR_TOO_LARGE;
	if (len == 0 || !str_is_utf8(text, len) ||
	    has_single_quote_outside_strings(text, len))
		return PERR_INVALID;
	if ((tok = json_tokener_new_ex(CODEC_JSON_DEPTH_MAX)) == NULL)
		return PERR_NOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	value = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (value == NULL || jerr != json_tokener_success) {
		json_object_put(value);
		return PERR_INVALID;
	}
	/* Only white space may follow the value. */
	for (; used < len; used++) {
		char c = text[used];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			json_object_put(value);
			return PERR_INVALID;
		}
	}
	*out = value;
	return PERR_OK;
}
