/*
 * fetch: net_https_get, the one outbound HTTPS GET for URLs that untrusted
 * input names (net.h). The SSRF guard resolves the host itself, refuses
 * it when any address is not public, pins libcurl to the first checked
 * address (CURLOPT_RESOLVE) and checks the address again in the socket
 * callback, so neither a second DNS answer (rebinding) nor a literal
 * address in the URL reaches an internal service. Proxies from the
 * environment are ignored: the proxy would make the connection, not us.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "common/common.h"
#include "conf/conf.h"
#include "net/net.h"

/* Everything that is not the public internet (see net.h). */
static const char blocked_ranges[] =
    "0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16,"
    "172.16.0.0/12, 192.0.0.0/24, 192.168.0.0/16, 198.18.0.0/15,"
    "224.0.0.0/4, 240.0.0.0/4,"
    "::/96, ::1/128, fc00::/7, fe80::/10, fec0::/10, ff00::/8";

#define HOST_MAX 255
#define HEADER_LINE_MAX 1024
#define MAX_AGE_MAX (365LL * 24 * 3600)

bool
net_addr_is_blocked(const char *ip_text, const struct cidr_list *extra)
{
	struct cidr_list fixed = { NULL, 0 };
	const char *bad = NULL;
	size_t bad_len = 0;
	unsigned char probe[16];
	bool blocked;

	if (ip_text == NULL || (inet_pton(AF_INET, ip_text, probe) != 1 &&
	    inet_pton(AF_INET6, ip_text, probe) != 1))
		return true;
	if (cidr_list_parse(blocked_ranges, false, &fixed, &bad, &bad_len) !=
	    PERR_OK)
		return true;	/* out of memory: refuse, never allow */
	blocked = cidr_list_contains(&fixed, ip_text) ||
	    (extra != NULL && cidr_list_contains(extra, ip_text));
	cidr_list_free(&fixed);
	return blocked;
}

void
net_reply_clear(struct net_reply *r)
{
	if (r == NULL)
		return;
	free(r->body);
	r->body = NULL;
	r->len = 0;
	r->max_age = -1;
}

struct transfer {
	struct wbuf body;
	size_t max_bytes;
	bool too_large;
	bool refused;		/* the socket callback saw a blocked address */
	int64_t max_age;
	const struct cidr_list *extra;
};

static size_t
on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct transfer *t = ctx;
	size_t len = size * n;	/* size is 1 for bodies */

	if (len > t->max_bytes || t->body.len > t->max_bytes - len) {
		t->too_large = true;
		return 0;	/* aborts the transfer */
	}
	wbuf_put(&t->body, data, len);
	return wbuf_error(&t->body) == PERR_OK ? len : 0;
}

/* The delta-seconds after "max-age=" in v[0..len), or -1. */
static int64_t
read_max_age(const char *v, size_t len)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; i < len && v[i] >= '0' && v[i] <= '9'; i++) {
		n = n * 10 + (v[i] - '0');
		if (n > MAX_AGE_MAX)
			n = MAX_AGE_MAX;
	}
	return i > 0 ? n : -1;
}

void
net_cache_control_read(const char *line, size_t len, int64_t *max_age)
{
	static const char name[] = "cache-control:";
	size_t i, tok;

	if (len > HEADER_LINE_MAX || len < sizeof(name) - 1 ||
	    strncasecmp(line, name, sizeof(name) - 1) != 0)
		return;
	for (i = sizeof(name) - 1; i < len; i += tok + 1) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		for (tok = 0; i + tok < len && line[i + tok] != ',' &&
		    line[i + tok] != '\r' && line[i + tok] != '\n'; tok++)
			;
		if ((tok == 8 && strncasecmp(line + i, "no-store", 8) == 0) ||
		    (tok == 8 && strncasecmp(line + i, "no-cache", 8) == 0))
			*max_age = 0;
		else if (tok > 8 && strncasecmp(line + i, "max-age=", 8) == 0 &&
		    *max_age != 0)
			*max_age = read_max_age(line + i + 8, tok - 8);
	}
}

/* Headers: only Cache-Control matters. */
static size_t
on_header(char *line, size_t size, size_t n, void *ctx)
{
	struct transfer *t = ctx;

	net_cache_control_read(line, size * n, &t->max_age);
	return size * n;
}

/* Second check, as libcurl opens the socket: the address it dials. */
static curl_socket_t
on_open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct transfer *t = ctx;
	char text[INET6_ADDRSTRLEN];
	const void *raw = NULL;

	(void)purpose;
	if (a->family == AF_INET)
		raw = &((const struct sockaddr_in *)(const void *)&a->addr)->
		    sin_addr;
	else if (a->family == AF_INET6)
		raw = &((const struct sockaddr_in6 *)(const void *)&a->addr)->
		    sin6_addr;
	if (raw == NULL || inet_ntop(a->family, raw, text, sizeof(text)) ==
	    NULL || net_addr_is_blocked(text, t->extra)) {
		t->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* The URL's host (brackets of an IPv6 literal removed) and port. */
static int
url_host_port(const char *url, char host[HOST_MAX + 1], long *port)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *h = NULL, *p = NULL;
	size_t len;
	int rc = PERR_INVALID;

	if (u == NULL)
		return PERR_NOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    strcasecmp(scheme, "https") != 0 ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK)
		goto out;
	len = strlen(h);
	if (len >= 2 && h[0] == '[' && h[len - 1] == ']') {
		memmove(h, h + 1, len - 2);
		h[len -= 2] = '\0';
	}
	if (len == 0 || len > HOST_MAX ||
	    str_to_int64(p, 1, 65535, &(int64_t){ 0 }) != PERR_OK)
		goto out;
	memcpy(host, h, len + 1);
	*port = strtol(p, NULL, 10);
	rc = PERR_OK;
out:
	curl_free(scheme);
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
	return rc;
}

/*
 * Resolves host once; every address must be public. *pinned is the
 * first one, as text.
 */
static int
resolve_checked(const char *host, const struct cidr_list *extra,
    char pinned[INET6_ADDRSTRLEN], const char **why)
{
	struct addrinfo hints, *res = NULL, *ai;
	char text[INET6_ADDRSTRLEN];
	const void *raw;
	int rc = PERR_OK;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	pinned[0] = '\0';
	if (getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL) {
		*why = "The URL's host name does not resolve";
		return PERR_NOT_FOUND;
	}
	for (ai = res; ai != NULL && rc == PERR_OK; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			raw = &((const struct sockaddr_in *)(const void *)
			    ai->ai_addr)->sin_addr;
		else if (ai->ai_family == AF_INET6)
			raw = &((const struct sockaddr_in6 *)(const void *)
			    ai->ai_addr)->sin6_addr;
		else
			continue;
		if (inet_ntop(ai->ai_family, raw, text, sizeof(text)) == NULL ||
		    net_addr_is_blocked(text, extra)) {
			*why = "The URL's host is a loopback, private, "
			    "link-local or otherwise non-public address, "
			    "which is never fetched";
			rc = PERR_FORBIDDEN;
		} else if (pinned[0] == '\0') {
			memcpy(pinned, text, strlen(text) + 1);
		}
	}
	freeaddrinfo(res);
	if (rc == PERR_OK && pinned[0] == '\0') {
		*why = "The URL's host name does not resolve";
		rc = PERR_NOT_FOUND;
	}
	return rc;
}

static bool
is_literal(const char *host)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1;
}

static void
set_trust_anchors(CURL *curl)
{
	const char *file = getenv("SSL_CERT_FILE");
	const char *dir = getenv("SSL_CERT_DIR");

	if (file != NULL && file[0] != '\0')
		curl_easy_setopt(curl, CURLOPT_CAINFO, file);
	if (dir != NULL && dir[0] != '\0')
		curl_easy_setopt(curl, CURLOPT_CAPATH, dir);
}

/* The result of a finished transfer, as our error and sentence. */
static int
transfer_result(const struct transfer *t, CURLcode cc, long status,
    const char **why)
{
	if (t->refused) {
		*why = "The URL's host is a loopback, private, link-local or "
		    "otherwise non-public address, which is never fetched";
		return PERR_FORBIDDEN;
	}
	if (t->too_large) {
		*why = "The response is larger than allowed";
		return PERR_TOO_LARGE;
	}
	if (cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT ||
	    cc == CURLE_SSL_CONNECT_ERROR) {
		*why = "The server's TLS certificate is not trusted or the TLS "
		    "handshake failed";
		return PERR_IO;
	}
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		*why = "The server did not answer in time";
		return PERR_IO;
	}
	if (cc != CURLE_OK) {
		*why = "The server could not be reached";
		return PERR_IO;
	}
	if (status >= 300 && status < 400) {
		*why = "The server answered with a redirect, which is not "
		    "followed";
		return PERR_IO;
	}
	if (status != 200) {
		*why = "The server did not answer 200 OK";
		return PERR_IO;
	}
	return wbuf_error(&t->body);
}

int
net_https_get(const char *url, const struct net_get *opt,
    struct net_reply *out, const char **why)
{
	struct transfer t;
	struct curl_slist *resolve = NULL, *headers = NULL;
	char host[HOST_MAX + 1], pinned[INET6_ADDRSTRLEN], entry[HOST_MAX + 80];
	CURL *curl = NULL;
	CURLcode cc;
	long port = 0, status = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->max_age = -1;
	memset(&t, 0, sizeof(t));
	wbuf_init(&t.body);
	t.max_bytes = opt->max_bytes;
	t.max_age = -1;
	t.extra = opt->blocked_extra;
	*why = "The URL is not an https URL with a host";
	if (strlen(url) > NET_URL_MAX ||
	    (rc = url_host_port(url, host, &port)) != PERR_OK) {
		rc = PERR_INVALID;
		goto out;
	}
	if ((rc = resolve_checked(host, opt->blocked_extra, pinned, why)) !=
	    PERR_OK)
		goto out;
	rc = PERR_NOMEM;
	if ((curl = curl_easy_init()) == NULL)
		goto out;
	/* Pin a name to the address we checked ("[v6]" for IPv6); a
	 * literal address is not resolved by libcurl at all. */
	if (!is_literal(host) &&
	    (snprintf(entry, sizeof(entry), strchr(pinned, ':') != NULL ?
	    "%s:%ld:[%s]" : "%s:%ld:%s", host, port, pinned) >=
	    (int)sizeof(entry) ||
	    (resolve = curl_slist_append(NULL, entry)) == NULL))
		goto out;
	if ((headers = curl_slist_append(NULL,
	    "Accept: application/json")) == NULL)
		goto out;
	curl_easy_setopt(curl, CURLOPT_URL, url);
	if (resolve != NULL)
		curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_PROXY, "");
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, opt->timeout_s);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, opt->timeout_s);
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)opt->max_bytes);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, opt->user_agent != NULL ?
	    opt->user_agent : NET_UA_DEFAULT);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	set_trust_anchors(curl);
	curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &t);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
	cc = curl_easy_perform(curl);
	if (cc == CURLE_FILESIZE_EXCEEDED)
		t.too_large = true;
	if (cc == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if ((rc = transfer_result(&t, cc, status, why)) != PERR_OK) {
		log_warn("fetch of %s failed: %s (%s, HTTP %ld)", url, *why,
		    curl_easy_strerror(cc), status);
		goto out;
	}
	out->max_age = t.max_age;
	if ((out->body = wbuf_steal(&t.body, &out->len)) == NULL)
		rc = PERR_NOMEM;
	*why = NULL;
out:
	if (rc != PERR_OK && rc != PERR_IO)
		log_warn("fetch of %s refused: %s", url, *why != NULL ? *why :
		    "out of memory");
	curl_slist_free_all(resolve);
	curl_slist_free_all(headers);
	if (curl != NULL)
		curl_easy_cleanup(curl);
	wbuf_free(&t.body);
	return rc;
}
