/*
 * net: outbound HTTPS requests to hosts named by untrusted input (CIMD
 * client_ids, federated JWKS URLs), with the server-side request forgery
 * guard of spec §12: https only; the host is resolved once, every address
 * it resolves to must be public, and the connection goes only to the
 * address that was checked (pinned with CURLOPT_RESOLVE, checked again
 * as the socket opens); no redirects, no proxies from the environment, a
 * size cap and a timeout. Trust anchors: the system's, or SSL_CERT_FILE
 * (and SSL_CERT_DIR) when set, as Go programs such as Pocket ID read them,
 * so an operator with an internal CA can add it.
 * libcurl's types stay in this module.
 */
#ifndef POCKETID_NET_H
#define POCKETID_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cidr_list;

/* The user agent of metadata-document fetches (spec §2.12). */
#define NET_UA_CIMD "pocket-id/oidc-client-metadata-fetcher"
/* The user agent of other fetches (federated JWKS). */
#define NET_UA_DEFAULT "pocket-id"
#define NET_URL_MAX 2048

/* What to fetch with. */
struct net_get {
	const char *user_agent;
	size_t max_bytes;		/* larger bodies are refused */
	long timeout_s;			/* whole transfer, connect included */
	const struct cidr_list *blocked_extra;	/* LOCAL_IPV6_RANGES; NULL ok */
};

/* A 200 answer. body is NUL-terminated (len excludes the NUL). */
struct net_reply {
	char *body;
	size_t len;
	int64_t max_age;	/* Cache-Control max-age; 0 for no-store or
				 * no-cache; -1 when the server gave none */
};

/*
 * GET url (https only) and return the body of a 200 answer in *out
 * (clear with net_reply_clear). Errors, each with a static sentence in
 * *why: PERR_INVALID (not an https URL with a host, or too long),
 * PERR_FORBIDDEN (the host is, or resolves to, an address that is not
 * public: see net_addr_is_blocked), PERR_NOT_FOUND (the host does not
 * resolve), PERR_TOO_LARGE (body over max_bytes), PERR_IO (connection,
 * TLS, timeout, or an answer other than 200 - redirects included),
 * PERR_NOMEM. Details are logged at warn level.
 */
int net_https_get(const char *url, const struct net_get *opt,
    struct net_reply *out, const char **why);
void net_reply_clear(struct net_reply *r);

/*
 * Reads one response header line (len bytes, need not be NUL-terminated;
 * longer than 1024 bytes: ignored). When it is Cache-Control, sets
 * *max_age: 0 for no-store or no-cache (these win over max-age), else the
 * max-age delta-seconds, capped at a year (-1 when malformed). Other
 * lines leave *max_age alone. Pure.
 */
void net_cache_control_read(const char *line, size_t len, int64_t *max_age);

/*
 * Whether a fetch must not connect to ip_text (an IPv4 or IPv6 address):
 * unspecified, loopback, private (RFC 1918), CGNAT (100.64/10), link-local
 * (169.254/16, fe80::/10), unique-local (fc00::/7), multicast, reserved
 * and broadcast IPv4, IPv4-mapped forms of all these, and any range in
 * extra. Text that is not an address is blocked. Pure.
 */
bool net_addr_is_blocked(const char *ip_text, const struct cidr_list *extra);

#endif
