/*
 * users: the admin's user routes (spec §1.5) and PUT /api/users/me.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "http/http.h"
#include "admin/admin.h"

void
admin_users_list(struct app_call *call)
{
	admin_list_respond(call, &store_list_users, NULL);
}
