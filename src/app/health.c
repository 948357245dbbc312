/*
 * health: /healthz (can this worker reach PostgreSQL?) and the version
 * routes. Cheap by design: /healthz is a Kubernetes probe and is never
 * rate-limited.
 */
#include <string.h>

#include "common/common.h"
#include "conf/conf.h"
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
 * The newest release, as Pocket ID learns it from GitHub. This build makes
 * no outbound request (no network by policy), so it knows none and says
 * "", the answer the UI takes for "no update banner".
 */
static const char *
latest_release(void)
{
	return "";
}

/* VERSION_CHECK_DISABLED: no lookup at all, and "" (spec §1.15). */
void
app_version_latest(struct app_call *call)
{
	const char *latest = call->app->settings->version_check_disabled ?
	    "" : latest_release();
	struct wbuf json;

	wbuf_init(&json);
	wbuf_puts(&json, "{\"latestVersion\":");
	wbuf_put_json_string(&json, latest, strlen(latest));
	wbuf_putc(&json, '}');
	http_response_header(call->res, "Cache-Control",
	    "public, max-age=300, stale-while-revalidate=900");
	if (wbuf_error(&json) != PERR_OK)
		http_response_perr(call->res, call->req, PERR_NOMEM, NULL);
	else
		http_response_json(call->res, 200, (const char *)json.data);
	wbuf_free(&json);
}
