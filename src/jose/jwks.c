/*
 * jwks: JWK sets (RFC 7517 §5) — the document we publish at
 * /.well-known/jwks.json, and the sets we fetch from federated identities.
 * Publishing writes public members only, whatever the keys hold.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "jose/jose.h"
#include "jose/internal.h"

void
jwks_free(struct jwks *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		jwk_free(set->keys[i]);
	free(set->keys);
	free(set);
}

/* Adds the key of entry obj to set, or skips it when we cannot use it. */
static int
add_entry(struct jwks *set, struct json_object *obj, const char **why)
{
	struct jwk *key = NULL;
	int err;

	err = jwk_from_object(obj, &key, why);
	if (err == PERR_UNSUPPORTED)
		return PERR_OK;	/* RFC 7517 §5: ignore what we do not know */
	if (err != PERR_OK)
		return err;
	if (key->info.has_private) {
		jwk_free(key);
		return jose_fail(why, PERR_INVALID,
		    "a JWK set must not carry private keys");
	}
	if (key->use == JWK_USE_OTHER) {
		jwk_free(key);
		return PERR_OK;
	}
	set->keys[set->n++] = key;
	return PERR_OK;
}

int
jwks_parse(const char *json, size_t len, struct jwks **out, const char **why)
{
	struct json_object *root = NULL, *keys;
	struct jwks *set = NULL;
	size_t i, n;
	int err;

	*out = NULL;
	if (len > JOSE_JWKS_MAX_LEN)
		return jose_fail(why, PERR_TOO_LARGE, "JWK set too large");
	if ((err = ojson_parse(json, len, &root)) != PERR_OK)
		return jose_fail(why, err == PERR_NOMEM ? err : PERR_INVALID,
		    "JWK set is not valid JSON");
	err = PERR_INVALID;
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "keys", &keys) ||
	    !json_object_is_type(keys, json_type_array)) {
		jose_fail(why, err, "JWK set has no \"keys\" array");
		goto out;
	}
	n = json_object_array_length(keys);
	if (n > JOSE_JWKS_KEYS_MAX) {
		err = jose_fail(why, PERR_TOO_LARGE, "too many keys in set");
		goto out;
	}
	if ((set = calloc(1, sizeof(*set))) == NULL ||
	    (n > 0 && (set->keys = calloc(n, sizeof(*set->keys))) == NULL)) {
		err = PERR_NOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		if ((err = add_entry(set, json_object_array_get_idx(keys, i),
		    why)) != PERR_OK)
			goto out;
	*out = set;
	set = NULL;
	err = PERR_OK;
out:
	jwks_free(set);
	json_object_put(root);
	return err;
}

const struct jwk *
jwks_find(const struct jwks *set, const char *kid)
{
	size_t i;

	if (set == NULL || kid == NULL)
		return NULL;
	for (i = 0; i < set->n; i++)
		if (set->keys[i]->kid != NULL &&
		    strcmp(set->keys[i]->kid, kid) == 0)
			return set->keys[i];
	return NULL;
}

int
jwks_to_json(const struct jwk *const *keys, size_t n, char **out,
    size_t *out_len)
{
	struct wbuf w;
	char *one;
	size_t i, len;
	int err = PERR_OK;

	*out = NULL;
	if (n > JOSE_JWKS_KEYS_MAX)
		return PERR_INVALID;
	wbuf_init(&w);
	wbuf_puts(&w, "{\"keys\":[");
	for (i = 0; i < n && err == PERR_OK; i++) {
		if ((err = jwk_to_json(keys[i], false, &one, &len)) != PERR_OK)
			break;
		if (i > 0)
			wbuf_putc(&w, ',');
		wbuf_put(&w, one, len);
		free(one);
	}
	wbuf_puts(&w, "]}");
	if (err == PERR_OK)
		err = wbuf_error(&w);
	if (err != PERR_OK) {
		wbuf_free(&w);
		return err;
	}
	*out = wbuf_steal(&w, &len);
	if (out_len != NULL)
		*out_len = len;
	return PERR_OK;
}
