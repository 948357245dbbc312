/*
 * redirect: which redirect URIs a client's registered callback-URL patterns
 * admit (spec §2.8), checked when a client is saved and again at every
 * authorization and logout. Pure: no I/O, no clock, no globals; every
 * string is measured against OIDC_REDIRECT_URI_MAX before it is read.
 *
 * Both sides are cut into parts by one small parser (struct uri) that
 * never copies: scheme ":" ["//" [userinfo "@"] host [":" port]] path
 * ["?" query]. The fragment is cut off before parsing. Patterns may carry
 * '*' where oidc_client.h says; requested URIs are read strictly (no
 * backslash, control character or space: browsers rewrite those, so what
 * we matched would not be where the browser goes).
 *
 * Where Pocket ID (go-urlpattern) and spec §2.8 differ, we follow §2.8
 * and take the stricter reading: '*' in a host is one label, not any run
 * of labels; userinfo must be present on both sides or neither; a
 * wildcard never matches a "." or ".." path segment.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "http/http.h"
#include "oidc/oidc_client.h"

/* Longest port text a pattern may carry ("*", "80*", "8443"). */
#define PORT_PATTERN_MAX 8
/* Longest host text we hand to inet_pton. */
#define IP_TEXT_MAX 64

struct span {
	const char *p;
	size_t n;
};

struct uri {
	struct span scheme;
	bool has_authority;
	bool has_userinfo;
	struct span userinfo;
	bool host_is_ip6;
	unsigned char ip6[16];
	struct span host;	/* without the brackets of an IPv6 literal */
	struct span port;	/* empty: none, or the scheme's default */
	struct span path;	/* "/" when an authority has an empty path */
	bool has_query;
	struct span query;	/* without the '?' */
};

enum parse_mode { AS_PATTERN, AS_REQUEST };

static bool
span_eq_ci(struct span a, const char *b)
{
	return a.n == strlen(b) && strncasecmp(a.p, b, a.n) == 0;
}

static bool
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_scheme_char(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
}

/* RFC 3986 unreserved, sub-delims and '%' (reg-name, userinfo). */
static bool
is_name_char(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c >= 0x80 ||
	    strchr("-._~%!$&'()*+,;=", c) != NULL;
}

/* What a '*' may stand for in a host label: letters, digits, - and _. */
static bool
is_label_star_char(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '_';
}

static bool
is_userinfo_star_char(unsigned char c)
{
	return c != ':' && is_name_char(c);
}

static bool
is_path_star_char(unsigned char c)
{
	return c != '/';
}

/* The text before the first '#' (fragments are ignored, §2.8). */
static struct span
cut_fragment(const char *s, size_t n)
{
	const char *hash = memchr(s, '#', n);
	struct span out = { s, hash != NULL ? (size_t)(hash - s) : n };

	return out;
}

static int
parse_ip6(struct span host, unsigned char out[16])
{
	char text[IP_TEXT_MAX];

	if (host.n == 0 || host.n >= sizeof(text))
		return PERR_INVALID;
	memcpy(text, host.p, host.n);
	text[host.n] = '\0';
	return inet_pton(AF_INET6, text, out) == 1 ? PERR_OK : PERR_INVALID;
}

static bool
is_loopback_v4(struct span host)
{
	char text[IP_TEXT_MAX];
	unsigned char a[4];

	if (host.n == 0 || host.n >= sizeof(text))
		return false;
	memcpy(text, host.p, host.n);
	text[host.n] = '\0';
	return inet_pton(AF_INET, text, a) == 1 && a[0] == 127;
}

/* localhost, 127.0.0.0/8, ::1 or ::ffff:127.x.y.z (RFC 8252 §7.3). */
static bool
is_loopback(const struct uri *u)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0xff, 0xff };
	static const unsigned char one[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 1 };

	if (u->host_is_ip6)
		return memcmp(u->ip6, one, sizeof(one)) == 0 ||
		    (memcmp(u->ip6, mapped, sizeof(mapped)) == 0 &&
		    u->ip6[12] == 127);
	return span_eq_ci(u->host, "localhost") || is_loopback_v4(u->host);
}

/* The WHATWG "special" schemes: browsers give them an authority even
 * when the slashes are missing or doubled, so we insist on "//host". */
static bool
is_special_scheme(struct span scheme)
{
	return span_eq_ci(scheme, "http") || span_eq_ci(scheme, "https") ||
	    span_eq_ci(scheme, "ws") || span_eq_ci(scheme, "wss") ||
	    span_eq_ci(scheme, "ftp") || span_eq_ci(scheme, "file");
}

static int
parse_scheme(struct rbuf *r, enum parse_mode mode, struct uri *u,
    const char **why)
{
	const uint8_t *colon = memchr(r->data + r->off, ':', rbuf_left(r));
	const uint8_t *p;
	size_t n, i;

	*why = "The URL has no scheme";
	if (colon == NULL || colon == r->data + r->off)
		return PERR_INVALID;
	n = (size_t)(colon - (r->data + r->off));
	if (rbuf_bytes(r, n, &p) != PERR_OK || rbuf_bytes(r, 1, &colon) !=
	    PERR_OK)
		return PERR_TRUNCATED;
	for (i = 0; i < n; i++)
		if (!(is_scheme_char(p[i]) || (mode == AS_PATTERN &&
		    p[i] == '*')) || (i == 0 && is_digit(p[i])))
			return PERR_INVALID;
	u->scheme.p = (const char *)p;
	u->scheme.n = n;
	return PERR_OK;
}

/* A port: digits (and '*' in a pattern); empty or default is "none". */
static int
parse_port(struct span port, enum parse_mode mode, struct uri *u)
{
	size_t i;
	int64_t value;
	char text[PORT_PATTERN_MAX + 1];

	if (port.n > PORT_PATTERN_MAX)
		return PERR_INVALID;
	for (i = 0; i < port.n; i++)
		if (!is_digit((unsigned char)port.p[i]) &&
		    !(mode == AS_PATTERN && port.p[i] == '*'))
			return PERR_INVALID;
	memcpy(text, port.p, port.n);
	text[port.n] = '\0';
	if (memchr(port.p, '*', port.n) == NULL && port.n > 0) {
		if (str_to_int64(text, 0, 65535, &value) != PERR_OK)
			return PERR_INVALID;
		if ((value == 80 && span_eq_ci(u->scheme, "http")) ||
		    (value == 443 && span_eq_ci(u->scheme, "https")))
			port.n = 0;
	}
	u->port = port;
	return PERR_OK;
}

/* host [":" port] of an authority; IPv6 literals in brackets. */
static int
parse_hostport(struct span hp, enum parse_mode mode, struct uri *u,
    const char **why)
{
	const char *close, *colon = NULL;
	struct span port = { hp.p + hp.n, 0 };
	size_t i;

	*why = "The URL's host is not valid";
	if (hp.n > 0 && hp.p[0] == '[') {
		close = memchr(hp.p, ']', hp.n);
		if (close == NULL)
			return PERR_INVALID;
		u->host.p = hp.p + 1;
		u->host.n = (size_t)(close - hp.p) - 1;
		u->host_is_ip6 = true;
		if (parse_ip6(u->host, u->ip6) != PERR_OK)
			return PERR_INVALID;
		if (close + 1 < hp.p + hp.n) {
			if (close[1] != ':')
				return PERR_INVALID;
			colon = close + 1;
		}
	} else {
		for (i = hp.n; i > 0; i--)
			if (hp.p[i - 1] == ':') {
				colon = hp.p + i - 1;
				break;
			}
		u->host.p = hp.p;
		u->host.n = colon != NULL ? (size_t)(colon - hp.p) : hp.n;
		for (i = 0; i < u->host.n; i++)
			if (!is_name_char((unsigned char)u->host.p[i]))
				return PERR_INVALID;
	}
	if (colon != NULL) {
		port.p = colon + 1;
		port.n = (size_t)(hp.p + hp.n - port.p);
	}
	*why = "The URL's port is not valid";
	return parse_port(port, mode, u);
}

static bool
host_labels_ok(struct span host)
{
	size_t i, label = 0;

	for (i = 0; i < host.n; i++) {
		if (host.p[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else {
			label++;
		}
	}
	return label > 0;
}

static int
parse_authority(struct span a, enum parse_mode mode, struct uri *u,
    const char **why)
{
	struct span hp = a;
	size_t i;
	int rc;

	for (i = a.n; i > 0; i--)
		if (a.p[i - 1] == '@')
			break;
	if (i > 0) {
		u->has_userinfo = true;
		u->userinfo.p = a.p;
		u->userinfo.n = i - 1;
		hp.p = a.p + i;
		hp.n = a.n - i;
		*why = "The URL's user information is not valid";
		for (i = 0; i < u->userinfo.n; i++)
			if (!is_name_char((unsigned char)u->userinfo.p[i]) &&
			    u->userinfo.p[i] != ':')
				return PERR_INVALID;
	}
	if ((rc = parse_hostport(hp, mode, u, why)) != PERR_OK)
		return rc;
	*why = "The URL's host is not valid";
	if (u->host.n == 0)
		return is_special_scheme(u->scheme) || u->has_userinfo ||
		    u->port.n > 0 ? PERR_INVALID : PERR_OK;
	if (!u->host_is_ip6 && !host_labels_ok(u->host))
		return PERR_INVALID;
	return PERR_OK;
}

/*
 * Parses s[0..n) (fragment already cut) into u, pointing into s.
 * Requested URIs refuse bytes browsers would rewrite or drop.
 */
static int
parse_uri(const char *s, size_t n, enum parse_mode mode, struct uri *u,
    const char **why)
{
	struct rbuf r;
	struct span auth;
	const uint8_t *q, *p, *slash;
	size_t i, rest;
	int rc;

	memset(u, 0, sizeof(*u));
	*why = "The URL has a space, a control character or a backslash";
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f || s[i] == '\\')
			return PERR_INVALID;
	*why = "The URL is not valid UTF-8";
	if (!str_is_utf8(s, n))
		return PERR_INVALID;
	rbuf_init(&r, s, n);
	if ((rc = parse_scheme(&r, mode, u, why)) != PERR_OK)
		return rc;
	rest = rbuf_left(&r);
	q = memchr(r.data + r.off, '?', rest);
	if (q != NULL) {
		u->has_query = true;
		u->query.p = (const char *)q + 1;
		u->query.n = (size_t)(r.data + r.len - q) - 1;
		rest = (size_t)(q - (r.data + r.off));
	}
	if (rest >= 2 && memcmp(r.data + r.off, "//", 2) == 0) {
		(void)rbuf_bytes(&r, 2, &p);
		rest -= 2;
		slash = memchr(r.data + r.off, '/', rest);
		auth.n = slash != NULL ? (size_t)(slash - (r.data + r.off)) :
		    rest;
		if (rbuf_bytes(&r, auth.n, &p) != PERR_OK)
			return PERR_TRUNCATED;
		auth.p = (const char *)p;
		u->has_authority = true;
		if ((rc = parse_authority(auth, mode, u, why)) != PERR_OK)
			return rc;
		rest -= auth.n;
	} else if (is_special_scheme(u->scheme)) {
		*why = "The URL has no host";
		return PERR_INVALID;
	}
	if (rbuf_bytes(&r, rest, &p) != PERR_OK)
		return PERR_TRUNCATED;
	u->path.p = (const char *)p;
	u->path.n = rest;
	if (u->has_authority && rest == 0) {
		u->path.p = "/";
		u->path.n = 1;
	}
	return PERR_OK;
}

/*
 * A glob over bytes, by dynamic programming over match positions (so no
 * input makes it backtrack exponentially): '*' matches one or more bytes
 * star_ok accepts; with globstar, "**" matches any run of bytes, none
 * included; any other byte matches itself (ASCII case folded when ci).
 */
static bool
glob_span(struct span pat, struct span s, bool ci, bool globstar,
    bool (*star_ok)(unsigned char))
{
	bool *base, *cur, *next, *tmp, any, run, alive;
	size_t i = 0, j;
	unsigned char a, b;

	if ((base = calloc(2 * (s.n + 1), sizeof(bool))) == NULL)
		return false;
	cur = base;
	next = base + s.n + 1;
	cur[0] = true;
	while (i < pat.n) {
		memset(next, 0, (s.n + 1) * sizeof(bool));
		if (pat.p[i] == '*' && globstar && i + 1 < pat.n &&
		    pat.p[i + 1] == '*') {
			for (any = false, j = 0; j <= s.n; j++)
				next[j] = any = any || cur[j];
			i += 2;
		} else if (pat.p[i] == '*') {
			for (run = false, j = 1; j <= s.n; j++) {
				run = star_ok((unsigned char)s.p[j - 1]) &&
				    (run || cur[j - 1]);
				next[j] = run;
			}
			i++;
		} else {
			for (j = 0; j < s.n; j++) {
				a = (unsigned char)pat.p[i];
				b = (unsigned char)s.p[j];
				if (ci && a >= 'A' && a <= 'Z')
					a = (unsigned char)(a + 32);
				if (ci && b >= 'A' && b <= 'Z')
					b = (unsigned char)(b + 32);
				next[j + 1] = cur[j] && a == b;
			}
			i++;
		}
		tmp = cur, cur = next, next = tmp;
		for (alive = false, j = 0; j <= s.n && !alive; j++)
			alive = cur[j];
		if (!alive)
			break;
	}
	any = cur[s.n] && i >= pat.n;
	free(base);
	return any;
}

/* Label by label, the same number of labels on both sides. */
static bool
host_matches(const struct uri *p, const struct uri *u)
{
	struct span pl, ul;
	const char *pe = p->host.p + p->host.n, *ue = u->host.p + u->host.n;
	const char *pd, *ud;

	if (p->host_is_ip6 || u->host_is_ip6)
		return p->host_is_ip6 && u->host_is_ip6 &&
		    memcmp(p->ip6, u->ip6, sizeof(p->ip6)) == 0;
	if (p->host.n == 0 || u->host.n == 0)
		return p->host.n == u->host.n;
	pl.p = p->host.p;
	ul.p = u->host.p;
	for (;;) {
		pd = memchr(pl.p, '.', (size_t)(pe - pl.p));
		ud = memchr(ul.p, '.', (size_t)(ue - ul.p));
		pl.n = (size_t)((pd != NULL ? pd : pe) - pl.p);
		ul.n = (size_t)((ud != NULL ? ud : ue) - ul.p);
		if (!glob_span(pl, ul, true, false, is_label_star_char))
			return false;
		if (pd == NULL || ud == NULL)
			return pd == NULL && ud == NULL;
		pl.p = pd + 1;
		ul.p = ud + 1;
	}
}

static bool
port_matches(const struct uri *p, const struct uri *u)
{
	if (p->port.n == 1 && p->port.p[0] == '*')
		return true;
	if (p->port.n == 0 || u->port.n == 0)
		return p->port.n == u->port.n;
	return glob_span(p->port, u->port, false, false,
	    (bool (*)(unsigned char))is_digit);
}

/* A "." or ".." segment, raw or with %2e. */
static bool
has_dot_segment(struct span path)
{
	size_t i = 0, dots, len;

	while (i <= path.n) {
		dots = 0;
		len = 0;
		while (i < path.n && path.p[i] != '/') {
			if (path.p[i] == '.') {
				dots++, i++;
			} else if (path.n - i >= 3 && path.p[i] == '%' &&
			    path.p[i + 1] == '2' && (path.p[i + 2] == 'e' ||
			    path.p[i + 2] == 'E')) {
				dots++, i += 3;
			} else {
				len++, i++;
			}
		}
		if (len == 0 && (dots == 1 || dots == 2))
			return true;
		i++;
	}
	return false;
}

static bool
path_matches(struct span pat, struct span path)
{
	if (memchr(pat.p, '*', pat.n) == NULL)
		return pat.n == path.n && memcmp(pat.p, path.p, pat.n) == 0;
	if (has_dot_segment(path))
		return false;
	return glob_span(pat, path, false, true, is_path_star_char);
}

/* ---- query values: Go path.Match globs ------------------------------- */

/* The code point at s (valid UTF-8: the text was decoded and checked). */
static size_t
utf8_next(const char *s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		*cp = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
		return 2;
	}
	if ((p[0] & 0xf0) == 0xe0) {
		*cp = (uint32_t)(p[0] & 0x0f) << 12 |
		    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		return 3;
	}
	*cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
	    (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
	return 4;
}

/* One end of a class range; Go's getEsc rules. */
static int
class_char(const char **pp, uint32_t *cp)
{
	const char *p = *pp;

	if (*p == '\0' || *p == '-' || *p == ']')
		return PERR_INVALID;
	if (*p == '\\' && *++p == '\0')
		return PERR_INVALID;
	p += utf8_next(p, cp);
	if (*p == '\0')
		return PERR_INVALID;
	*pp = p;
	return PERR_OK;
}

/*
 * Matches the pattern item at *pp ('?', "[...]", "\c" or a literal)
 * against code point c and steps over it: 1 match, 0 no match,
 * PERR_INVALID for a malformed item.
 */
static int
glob_item(const char **pp, uint32_t c)
{
	const char *p = *pp;
	uint32_t lo, hi;
	bool negated = false, matched = false;
	size_t nrange = 0;

	if (*p == '?') {
		*pp = p + 1;
		return c != '/';
	}
	if (*p != '[') {
		if (*p == '\\' && *++p == '\0')
			return PERR_INVALID;
		*pp = p + utf8_next(p, &lo);
		return lo == c;
	}
	if (*++p == '^')
		negated = true, p++;
	for (;;) {
		if (*p == ']' && nrange > 0) {
			p++;
			break;
		}
		if (class_char(&p, &lo) != PERR_OK)
			return PERR_INVALID;
		hi = lo;
		if (*p == '-') {
			p++;
			if (class_char(&p, &hi) != PERR_OK)
				return PERR_INVALID;
		}
		if (lo <= c && c <= hi)
			matched = true;
		nrange++;
	}
	*pp = p;
	return matched != negated;
}

/* Whether pattern is a well-formed glob (Go's ErrBadPattern cases). */
static bool
glob_is_valid(const char *p)
{
	while (*p != '\0') {
		if (*p == '*')
			p++;
		else if (glob_item(&p, 0) < 0)
			return false;
	}
	return true;
}

/*
 * Go path.Match over two valid UTF-8 strings, the pattern valid: '*' any
 * run without '/', '?' one code point but '/'. Backtracks only to the
 * last star, which is exact for these globs: a star never crosses '/',
 * so an earlier star could only take over what the last one would take.
 */
static bool
glob_go(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL, *q;
	uint32_t c;
	size_t k;

	for (;;) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*s == '\0')
			break;
		k = utf8_next(s, &c);
		q = p;
		if (*p != '\0' && glob_item(&q, c) == 1) {
			p = q;
			s += k;
			continue;
		}
		if (star_p == NULL || *star_s == '/' || *star_s == '\0')
			return false;
		star_s += utf8_next(star_s, &c);
		s = star_s;
		p = star_p;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

struct qpair {
	char *key;
	char *value;
};

struct query {
	struct qpair v[OIDC_REDIRECT_QUERY_PARAMS_MAX];
	size_t n;
};

static void
query_clear(struct query *q)
{
	while (q->n > 0) {
		q->n--;
		free(q->v[q->n].key);
		free(q->v[q->n].value);
	}
}

/*
 * Splits a query the way Go's url.ParseQuery does: pairs at '&', empty
 * pairs skipped, a ';' anywhere is an error, keys and values
 * percent-decoded with '+' as space. Our decoder is stricter (no %00, no
 * invalid UTF-8).
 */
static int
query_parse(struct span s, struct query *q)
{
	const char *end, *p = s.p, *amp, *eq;
	size_t n;
	int err = PERR_OK;

	q->n = 0;
	if (s.n == 0)
		return PERR_OK;
	end = s.p + s.n;
	if (memchr(s.p, ';', s.n) != NULL)
		return PERR_INVALID;
	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		n = (size_t)((amp != NULL ? amp : end) - p);
		if (n > 0) {
			if (q->n == OIDC_REDIRECT_QUERY_PARAMS_MAX) {
				err = PERR_TOO_LARGE;
				break;
			}
			eq = memchr(p, '=', n);
			q->v[q->n].key = http_percent_decode(p, eq != NULL ?
			    (size_t)(eq - p) : n, true, &err);
			if (q->v[q->n].key == NULL)
				break;
			q->v[q->n].value = eq != NULL ? http_percent_decode(
			    eq + 1, n - (size_t)(eq + 1 - p), true, &err) :
			    str_dup("");
			if (q->v[q->n].value == NULL) {
				free(q->v[q->n].key);
				err = err != PERR_OK ? err : PERR_NOMEM;
				break;
			}
			q->n++;
		}
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	if (err != PERR_OK)
		query_clear(q);
	return err;
}

static size_t
query_count(const struct query *q, const char *key)
{
	size_t i, n = 0;

	for (i = 0; i < q->n; i++)
		n += strcmp(q->v[i].key, key) == 0;
	return n;
}

/* The index of the k-th pair (0-based) with key, from position 0. */
static size_t
query_nth(const struct query *q, const char *key, size_t k)
{
	size_t i;

	for (i = 0; i < q->n; i++)
		if (strcmp(q->v[i].key, key) == 0 && k-- == 0)
			return i;
	return q->n;
}

static size_t
query_distinct(const struct query *q)
{
	size_t i, n = 0;

	for (i = 0; i < q->n; i++)
		n += query_nth(q, q->v[i].key, 0) == i;
	return n;
}

/* Same keys, same number of values per key, values glob-matched in
 * order. */
static bool
query_matches(const struct query *pq, const struct query *uq)
{
	size_t i, k, n, ui;

	if (query_distinct(pq) != query_distinct(uq))
		return false;
	for (i = 0; i < pq->n; i++) {
		if (query_nth(pq, pq->v[i].key, 0) != i)
			continue;
		n = query_count(pq, pq->v[i].key);
		if (query_count(uq, pq->v[i].key) != n)
			return false;
		for (k = 0; k < n; k++) {
			ui = query_nth(uq, pq->v[i].key, k);
			if (!glob_is_valid(pq->v[query_nth(pq, pq->v[i].key,
			    k)].value) || !glob_go(pq->v[query_nth(pq,
			    pq->v[i].key, k)].value, uq->v[ui].value))
				return false;
		}
	}
	return true;
}

/* Everything but the query, after both sides were parsed. */
static bool
parts_match(const struct uri *p, const struct uri *u)
{
	if (!glob_span(p->scheme, u->scheme, true, false, is_scheme_char) ||
	    p->has_authority != u->has_authority)
		return false;
	if (p->has_authority) {
		if (p->has_userinfo != u->has_userinfo ||
		    (p->has_userinfo && !glob_span(p->userinfo, u->userinfo,
		    false, false, is_userinfo_star_char)) ||
		    !host_matches(p, u) || !port_matches(p, u))
			return false;
	}
	return path_matches(p->path, u->path);
}

bool
oidc_redirect_matches(const char *pattern, const char *uri)
{
	struct query pq = { .n = 0 }, uq = { .n = 0 };
	struct uri p, u;
	struct span ps, us;
	const char *why;
	size_t pn, un;
	bool ok = false;

	if (strcmp(pattern, uri) == 0 || strcmp(pattern, "*") == 0)
		return true;
	pn = strnlen(pattern, OIDC_REDIRECT_URI_MAX + 1);
	un = strnlen(uri, OIDC_REDIRECT_URI_MAX + 1);
	if (pn > OIDC_REDIRECT_URI_MAX || un > OIDC_REDIRECT_URI_MAX)
		return false;
	ps = cut_fragment(pattern, pn);
	us = cut_fragment(uri, un);
	if (parse_uri(ps.p, ps.n, AS_PATTERN, &p, &why) != PERR_OK ||
	    parse_uri(us.p, us.n, AS_REQUEST, &u, &why) != PERR_OK ||
	    query_parse(p.query, &pq) != PERR_OK)
		return false;
	if (query_parse(u.query, &uq) != PERR_OK)
		goto out;
	if (!query_matches(&pq, &uq))
		goto out;
	ok = parts_match(&p, &u);
	/* RFC 8252 §7.3: any port for an http loopback redirect URI. */
	if (!ok && u.port.n > 0 && span_eq_ci(u.scheme, "http") &&
	    is_loopback(&u)) {
		u.port.n = 0;
		ok = parts_match(&p, &u);
	}
out:
	query_clear(&pq);
	query_clear(&uq);
	return ok;
}

static bool
is_forbidden_scheme(struct span scheme)
{
	return span_eq_ci(scheme, "javascript") || span_eq_ci(scheme, "data") ||
	    span_eq_ci(scheme, "vbscript");
}

bool
oidc_redirect_is_valid_pattern(const char *pattern, const char **why)
{
	struct query q = { .n = 0 };
	struct uri u;
	struct span s;
	const char *reason = NULL;
	size_t n, i;

	if (why != NULL)
		*why = NULL;
	if (strcmp(pattern, "*") == 0)
		return true;
	n = strnlen(pattern, OIDC_REDIRECT_URI_MAX + 1);
	if (n > OIDC_REDIRECT_URI_MAX)
		reason = "The URL is too long";
	s = cut_fragment(pattern, n);
	if (reason == NULL && parse_uri(s.p, s.n, AS_PATTERN, &u, &reason) ==
	    PERR_OK) {
		reason = NULL;
		if (is_forbidden_scheme(u.scheme))
			reason = "The URL's scheme is not allowed";
		else if (query_parse(u.query, &q) != PERR_OK)
			reason = "The URL's query is not valid";
		for (i = 0; reason == NULL && i < q.n; i++)
			if (!glob_is_valid(q.v[i].value))
				reason = "A query value is not a valid pattern";
		query_clear(&q);
	}
	if (why != NULL)
		*why = reason;
	return reason == NULL;
}

/* A requested redirect URI as RFC 6749 §3.1.2 wants it: absolute, no
 * fragment, under the limit, and not a script. */
static int
parse_request_uri(const char *s, struct uri *u)
{
	const char *why;
	size_t n = strnlen(s, OIDC_REDIRECT_URI_MAX + 1);

	if (n > OIDC_REDIRECT_URI_MAX || memchr(s, '#', n) != NULL ||
	    parse_uri(s, n, AS_REQUEST, u, &why) != PERR_OK ||
	    is_forbidden_scheme(u->scheme))
		return PERR_INVALID;
	return PERR_OK;
}

static bool
is_insecure(const struct uri *u)
{
	const char *suffix = ".localhost";
	size_t n = strlen(suffix);

	if (!span_eq_ci(u->scheme, "http") || is_loopback(u))
		return false;
	return u->host_is_ip6 || u->host.n <= n ||
	    strncasecmp(u->host.p + u->host.n - n, suffix, n) != 0;
}

int
oidc_redirect_choose(const char *const *patterns, size_t n,
    const char *requested, bool allow_insecure, char **chosen)
{
	const char *uri = requested;
	struct uri u;
	size_t i;

	*chosen = NULL;
	if (requested == NULL || requested[0] == '\0') {
		if (n != 1 || strchr(patterns[0], '*') != NULL)
			return PERR_INVALID;
		uri = patterns[0];
	}
	if (parse_request_uri(uri, &u) != PERR_OK)
		return PERR_INVALID;
	if (uri == requested) {
		for (i = 0; i < n; i++)
			if (oidc_redirect_matches(patterns[i], uri))
				break;
		if (i == n)
			return PERR_NOT_FOUND;
	}
	if (!allow_insecure && is_insecure(&u))
		return PERR_FORBIDDEN;
	if ((*chosen = str_dup(uri)) == NULL)
		return PERR_NOMEM;
	return PERR_OK;
}
