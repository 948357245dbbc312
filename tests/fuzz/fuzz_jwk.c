/*
 * libFuzzer target: JWK and JWK-set parsing of arbitrary bytes. Whatever
 * parses must serialise, parse again to the same key (same RFC 7638
 * thumbprint, same private/public state), and never crash.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "jose/jose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
round_trip(const struct jwk *key, bool with_private)
{
	struct jwk *again = NULL;
	char *json = NULL, *t1 = NULL, *t2 = NULL;
	size_t len;

	if (jwk_to_json(key, with_private, &json, &len) != PERR_OK)
		abort();
	if (jwk_parse(json, len, &again, NULL) != PERR_OK)
		abort();
	if (again->info.has_private != (with_private && key->info.has_private))
		abort();
	if (again->alg != key->alg || again->info.type != key->info.type)
		abort();
	if (jwk_thumbprint(key, CRYPTO_HASH_SHA256, &t1) != PERR_OK ||
	    jwk_thumbprint(again, CRYPTO_HASH_SHA256, &t2) != PERR_OK ||
	    strcmp(t1, t2) != 0)
		abort();
	free(t1);
	free(t2);
	str_free_secret(json);
	jwk_free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jwk *key = NULL;
	struct jwks *set = NULL;
	const char *why = NULL;
	size_t i;

	if (jwk_parse((const char *)data, size, &key, &why) == PERR_OK) {
		round_trip(key, false);
		round_trip(key, true);
		jwk_free(key);
	} else if (why == NULL && size <= JOSE_JWK_MAX_LEN) {
		abort();	/* every refusal explains itself */
	}
	if (jwks_parse((const char *)data, size, &set, NULL) == PERR_OK) {
		for (i = 0; i < set->n; i++) {
			if (set->keys[i]->info.has_private)
				abort();
			round_trip(set->keys[i], false);
		}
		jwks_free(set);
	}
	return 0;
}
