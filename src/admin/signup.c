/*
 * signup: self-service signup and signup tokens (spec §1.4).
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "http/http.h"
#include "admin/admin.h"

void
admin_signup_tokens_list(struct app_call *call)
{
	admin_list_respond(call, &store_list_signup_tokens, NULL);
}
