/*
 * jose/internal.h: helpers shared by the files of src/jose; json-c types
 * appear here and nowhere outside the module.
 */
#ifndef POCKETID_JOSE_INTERNAL_H
#define POCKETID_JOSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "jose/jose.h"

/* Sets *why (when why is not NULL) and returns err. */
int jose_fail(const char **why, int err, const char *reason);

/*
 * Looks up member name of obj as a string without embedded NUL bytes and
 * at most max bytes long. PERR_NOT_FOUND when absent; PERR_INVALID when
 * of another type, too long or containing NUL.
 */
int jose_json_string(struct json_object *obj, const char *name, size_t max,
    const char **out, size_t *out_len);

/* True when the key's type and curve fit the algorithm. */
bool jose_alg_fits_key(const struct jose_alg_info *alg,
    const struct crypto_key_info *info);

/* The algorithm a key signs with: its own alg, or the only algorithm of
 * its curve (EC, Ed25519); NULL for an RSA key without alg. */
const struct jose_alg_info *jose_key_alg(const struct jwk *key);

/* jwk_parse without the text step: obj must be a JSON object. */
int jwk_from_object(struct json_object *obj, struct jwk **out,
    const char **why);

#endif
