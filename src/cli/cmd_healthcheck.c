/*
 * healthcheck: exit 0 when the running service answers /healthz with a
 * 2xx through nginx (HEALTHCHECK_URL), 1 otherwise. Usable as a container
 * HEALTHCHECK or a Kubernetes exec probe. Options as in Pocket ID:
 * -e/--endpoint URL overrides the setting, -v/--verbose says why.
 */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "common/common.h"
#include "conf/conf.h"
#include "cli/cli.h"

/* The body is not needed; discard it. */
static size_t
discard(char *data, size_t size, size_t n, void *ctx)
{
	(void)data;
	(void)ctx;
	return size * n;
}

/* GETs url; returns the HTTP status, or 0 when there was no answer. */
static long
http_get_status(const char *url, int64_t timeout_s, char *error,
    size_t error_len)
{
	CURL *curl;
	long status = 0;
	CURLcode rc;

	error[0] = '\0';
	if ((curl = curl_easy_init()) == NULL) {
		snprintf(error, error_len, "cannot initialise libcurl");
		return 0;
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)timeout_s);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = curl_easy_perform(curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	else if (error[0] == '\0')
		snprintf(error, error_len, "%s", curl_easy_strerror(rc));
	curl_easy_cleanup(curl);
	return status;
}

static int
healthcheck_run(int argc, char **argv)
{
	struct settings *settings = NULL;
	const char *endpoint = NULL;
	char error[CURL_ERROR_SIZE];
	bool verbose = false;
	long status;
	int i, rc = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0 ||
		    strcmp(argv[i], "--verbose") == 0)
			verbose = true;
		else if ((strcmp(argv[i], "-e") == 0 ||
		    strcmp(argv[i], "--endpoint") == 0) && i + 1 < argc)
			endpoint = argv[++i];
		else {
			fprintf(stderr, "usage: pocket-id healthcheck "
			    "[-e URL] [-v]\n");
			return 2;
		}
	}
	if (cli_load_settings(0, &settings, NULL) != PERR_OK)
		return 1;
	if (endpoint == NULL)
		endpoint = settings->healthcheck_url;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	status = http_get_status(endpoint, settings->healthcheck_timeout,
	    error, sizeof(error));
	curl_global_cleanup();
	rc = status >= 200 && status < 300 ? 0 : 1;
	if (verbose || rc != 0) {
		if (status == 0)
			fprintf(rc ? stderr : stdout, "healthcheck: %s: no "
			    "answer (%s)\n", endpoint, error);
		else
			fprintf(rc ? stderr : stdout, "healthcheck: %s: HTTP "
			    "%ld\n", endpoint, status);
	}
	conf_free(settings);
	return rc;
}

const struct cli_command cmd_healthcheck = {
	"healthcheck", "[-e URL] [-v]",
	"exit 0 when the running service answers /healthz", healthcheck_run,
};
