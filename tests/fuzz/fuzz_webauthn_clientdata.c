/*
 * libFuzzer target: the JSON the browser sends. The same bytes go through
 * the clientDataJSON parser and both response parsers
 * (RegistrationResponseJSON, AuthenticationResponseJSON).
 */
#include "common/common.h"
#include "webauthn/webauthn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct webauthn_client_data cd;
	struct webauthn_reg_response *reg = NULL;
	struct webauthn_assert_response *as = NULL;

	if (webauthn_client_data_parse(data, size, &cd) == PERR_OK)
		webauthn_client_data_free(&cd);
	if (webauthn_reg_response_parse((const char *)data, size, &reg) ==
	    PERR_OK)
		webauthn_reg_response_free(reg);
	if (webauthn_assert_response_parse((const char *)data, size, &as) ==
	    PERR_OK)
		webauthn_assert_response_free(as);
	return 0;
}
