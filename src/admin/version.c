/*
 * version: GET /api/version/current (spec §1.15), the version this build
 * runs, for signed-in users. The latest release (/api/version/latest)
 * lives with /healthz in app/health.c: it needs no caller.
 */
#include "config.h"
#include "common/common.h"
#include "http/http.h"
#include "admin/admin_config.h"

void
version_current(struct app_call *call)
{
	http_response_json(call->res, 200,
	    "{\"currentVersion\":\"" PACKAGE_VERSION "\"}");
}
