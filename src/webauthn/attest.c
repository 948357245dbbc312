/*
 * attest: the table of attestation statement formats (WebAuthn L3 §8):
 * one row per `fmt`, pointing at the verification procedure in its own file
 * and naming the attStmt members the format defines. Unknown formats have
 * no row and are refused (§7.1 step 21).
 */
#include <string.h>

#include "common/common.h"
#include "crypto/crypto.h"
#include "webauthn/wa_int.h"

#define S_ALG WEBAUTHN_STMT_ALG
#define S_SIG WEBAUTHN_STMT_SIG
#define S_X5C WEBAUTHN_STMT_X5C
#define S_VER WEBAUTHN_STMT_VER
#define S_CERT_INFO WEBAUTHN_STMT_CERT_INFO
#define S_PUB_AREA WEBAUTHN_STMT_PUB_AREA
#define S_RESPONSE WEBAUTHN_STMT_RESPONSE

static const struct {
	const char *fmt;
	wa_att_verify_fn verify;
	unsigned int members;
} formats[] = {
	{ "none", wa_att_none, 0 },
	{ "packed", wa_att_packed, S_ALG | S_SIG | S_X5C },
	{ "fido-u2f", wa_att_fido_u2f, S_SIG | S_X5C },
	{ "tpm", wa_att_tpm,
	    S_VER | S_ALG | S_X5C | S_SIG | S_CERT_INFO | S_PUB_AREA },
	{ "android-key", wa_att_android_key, S_ALG | S_SIG | S_X5C },
	{ "android-safetynet", wa_att_android_safetynet, S_VER | S_RESPONSE },
	{ "apple", wa_att_apple, S_X5C },
};

wa_att_verify_fn
wa_att_lookup(const char *fmt, unsigned int *allowed)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].fmt, fmt) == 0) {
			*allowed = formats[i].members;
			return formats[i].verify;
		}
	return NULL;
}

int
wa_att_to_be_signed_hash(const struct wa_att_input *in, enum crypto_hash h,
    uint8_t out[CRYPTO_HASH_MAX_LEN], size_t *out_len)
{
	struct wbuf msg;
	int err;

	wbuf_init(&msg);
	wbuf_put(&msg, in->ao->auth_data, in->ao->auth_data_len);
	wbuf_put(&msg, in->client_data_hash, 32);
	if ((err = wbuf_error(&msg)) == PERR_OK)
		err = crypto_hash(h, msg.data, msg.len, out);
	wbuf_free(&msg);
	*out_len = crypto_hash_len(h);
	return err;
}
