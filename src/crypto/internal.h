/*
 * crypto/internal.h: helpers shared by the files of src/crypto and not
 * exported to other modules.
 */
#ifndef POCKETID_CRYPTO_INTERNAL_H
#define POCKETID_CRYPTO_INTERNAL_H

#include <openssl/types.h>

#include "crypto/crypto.h"

/* The EVP digest of h; NULL for CRYPTO_HASH_NONE or an unknown value. */
const EVP_MD *crypto_hash_md(enum crypto_hash h);

/* OpenSSL group name of c ("prime256v1", ...); NULL if unknown. */
const char *crypto_curve_group(enum crypto_curve c);

#endif
