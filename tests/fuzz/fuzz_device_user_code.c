/*
 * libFuzzer target for oidc_device_user_code_normalize (src/oidc/
 * device.c): whatever the typed bytes, no crash; an accepted code is
 * 8 characters of the user-code alphabet, and normalising it again gives
 * the same code.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "oidc/oidc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[OIDC_USER_CODE_LEN + 1], again[OIDC_USER_CODE_LEN + 1];
	char *typed = str_ndup((const char *)data, size);

	if (typed == NULL)
		abort();
	if (oidc_device_user_code_normalize(typed, out)) {
		if (strlen(out) != OIDC_USER_CODE_LEN ||
		    strspn(out, "ABCDEFGHJKMNPQRSTUVWXYZ0123456789") !=
		    OIDC_USER_CODE_LEN ||
		    !oidc_device_user_code_normalize(out, again) ||
		    strcmp(out, again) != 0)
			abort();
	}
	free(typed);
	return 0;
}
