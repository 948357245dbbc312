/*
 * libFuzzer target: the attestationObject and everything behind it. The
 * input is clientDataHash (32 bytes) || now (8 bytes, big-endian seconds)
 * || attestationObject, so seeds taken from real ceremonies reach the
 * format verifiers (x5c and DER parsing, TPM structures, SafetyNet JWS)
 * with the hash and clock that make them succeed. The bytes after the
 * prefix are also tried as a bare COSE key.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/common.h"
#include "webauthn/webauthn.h"
#include "webauthn/wa_int.h"

#define PREFIX_LEN 40u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
try_cose(const uint8_t *data, size_t size)
{
	struct webauthn_cose_key key;
	EVP_PKEY *pkey = NULL;

	if (webauthn_cose_key_parse(data, size, &key) == PERR_OK &&
	    wa_cose_key_to_pkey(&key, &pkey) == PERR_OK)
		EVP_PKEY_free(pkey);
}

/* Runs fmt's verification procedure the way the registration does. */
static void
try_statement(const struct webauthn_att_object *ao, const uint8_t *cdh,
    int64_t now)
{
	struct webauthn_auth_data ad;
	struct webauthn_cose_key key;
	struct wa_att_input in;
	struct wa_att_result res;
	struct webauthn_status st;
	wa_att_verify_fn verify;
	unsigned int allowed;
	EVP_PKEY *pkey = NULL;

	if (webauthn_auth_data_parse(ao->auth_data, ao->auth_data_len, &ad) !=
	    PERR_OK || !ad.has_attested_credential ||
	    webauthn_cose_key_parse(ad.public_key, ad.public_key_len, &key) !=
	    PERR_OK || wa_cose_key_to_pkey(&key, &pkey) != PERR_OK)
		return;
	if ((verify = wa_att_lookup(ao->fmt, &allowed)) != NULL &&
	    (ao->present & ~allowed) == 0) {
		memset(&in, 0, sizeof(in));
		memset(&res, 0, sizeof(res));
		in.ao = ao;
		in.ad = &ad;
		in.cred_key = &key;
		in.cred_pkey = pkey;
		in.client_data_hash = cdh;
		in.now = now;
		(void)verify(&in, &res, &st);
		sk_X509_pop_free(res.path, X509_free);
	}
	EVP_PKEY_free(pkey);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct webauthn_att_object ao;
	uint64_t now = 0;
	size_t i;

	if (size < PREFIX_LEN)
		return 0;
	for (i = 32; i < PREFIX_LEN; i++)
		now = now << 8 | data[i];
	/* Keep the clock within what time_t and the validity checks take. */
	now &= 0x3ffffffffull;
	try_cose(data + PREFIX_LEN, size - PREFIX_LEN);
	if (webauthn_att_object_parse(data + PREFIX_LEN, size - PREFIX_LEN,
	    &ao) != PERR_OK)
		return 0;
	try_statement(&ao, data, (int64_t)now);
	webauthn_att_object_free(&ao);
	return 0;
}
