/*
 * health: /healthz (can this worker reach PostgreSQL?) and the version
 * routes. Cheap by design: /healthz is a Kubernetes probe and is never
 * rate-limited.
 */
#include "common/common.h"
#include "store/store.h"
#include "http/http.h"
#include "app/app.h"

void
app_healthz(struct app_call *call)
{
	int err = db_ping(call->app->db);

	if (err != PERR_OK) {
		http_response_perr(call->res, call->req,
		    PERR_DB_UNAVAILABLE, NULL);
		return;
	}
	http_response_no_content(call->res, 204);
}

/*
 * Pocket ID asks GitHub for the latest release; this machine class has no
 * outbound network by policy, so the answer is "" as with
 * VERSION_CHECK_DISABLED, and the UI shows no update banner.
 */
void
app_version_latest(struct app_call *call)
{
	http_response_header(call->res, "Cache-Control",
	    "public, max-age=300, stale-while-revalidate=900");
	http_response_json(call->res, 200, "{\"latestVersion\":\"\"}");
}
