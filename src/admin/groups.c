/*
 * groups: user groups (spec §1.6).
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "http/http.h"
#include "admin/admin.h"

void
admin_groups_list(struct app_call *call)
{
	admin_list_respond(call, &store_list_user_groups, NULL);
}
