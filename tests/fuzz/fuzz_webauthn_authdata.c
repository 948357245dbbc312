/*
 * libFuzzer target: authenticatorData through its bounded reader, and the
 * COSE key it carries (when AT is set) through the COSE parser and into an
 * OpenSSL key.
 */
#include <openssl/evp.h>

#include "common/common.h"
#include "webauthn/webauthn.h"
#include "webauthn/wa_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct webauthn_auth_data ad;
	struct webauthn_cose_key key;
	EVP_PKEY *pkey = NULL;

	if (webauthn_auth_data_parse(data, size, &ad) != PERR_OK ||
	    !ad.has_attested_credential)
		return 0;
	if (webauthn_cose_key_parse(ad.public_key, ad.public_key_len, &key) ==
	    PERR_OK && wa_cose_key_to_pkey(&key, &pkey) == PERR_OK)
		EVP_PKEY_free(pkey);
	return 0;
}
