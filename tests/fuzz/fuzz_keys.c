/*
 * libFuzzer target: what src/keys reads back from the database, which an
 * import may have filled: a stored private JWK (normalised by
 * keys_jwk_from_json: kid from the thumbprint, default alg, use "sig"),
 * and sealed values (base64, nonce, tag). The first byte picks the reader.
 * A key that is accepted must be private, signing, named and sealable;
 * its sealing must open to a key with the same kid; nothing may crash.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "jose/jose.h"
#include "keys/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_EK "fuzzing-encryption-key-0123456789"
#define FUZZ_IID "00000000-0000-4000-8000-000000000000"

static void
check_key(const struct keys_master *m, const char *json, size_t len)
{
	struct jwk *key = NULL, *again = NULL;
	char *sealed = NULL;

	if (keys_jwk_from_json(json, len, &key) != PERR_OK)
		return;
	if (!key->info.has_private || key->kid == NULL ||
	    key->alg == JOSE_ALG_UNKNOWN || key->use != JWK_USE_SIG)
		abort();
	if (keys_seal_key(m, key, &sealed) != PERR_OK ||
	    keys_open_key(m, sealed, &again) != PERR_OK ||
	    strcmp(again->kid, key->kid) != 0 || again->alg != key->alg)
		abort();
	free(sealed);
	jwk_free(again);
	jwk_free(key);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keys_master m;
	char *text, *plain = NULL;
	size_t len = 0;
	int err;

	if (size < 1)
		return 0;
	if (keys_master_derive((const uint8_t *)FUZZ_EK, strlen(FUZZ_EK),
	    FUZZ_IID, &m) != PERR_OK)
		abort();
	if ((text = str_ndup((const char *)data + 1, size - 1)) == NULL)
		abort();
	switch (data[0] % 4) {
	case 0:
		check_key(&m, (const char *)data + 1, size - 1);
		break;
	case 1:
		err = keys_open_string(&m, text, &plain, &len);
		break;
	case 2:
		(void)keys_check_value_verify(&m, text);
		break;
	default:
		err = keys_open_jwk(&m, text, &plain, &len);
		break;
	}
	(void)err;
	crypto_secret_free(plain, len);
	free(text);
	keys_master_wipe(&m);
	return 0;
}
