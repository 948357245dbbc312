/* Unit tests for src/oidc/redirect.c: spec §2.8, rule by rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "oidc/oidc_client.h"

struct match_case {
	const char *pattern;
	const char *uri;
	bool expected;
};

static const struct match_case match_cases[] = {
	/* Exact equality and "*". */
	{ "https://example.com/callback",
	  "https://example.com/callback", true },
	{ "https://example.org/callback", "https://example.com/callback",
	  false },
	{ "https://10.1.0.1/callback", "https://10.1.0.1/callback", true },
	{ "https://[2001:db8:1:1::a:1]/callback",
	  "https://[2001:db8:1:1::a:1]/callback", true },
	{ "*", "https://anything.example.com/x", true },
	{ "*", "not even a URL", true },
	{ "https://example.com/a/../b", "https://example.com/a/../b", true },

	/* Scheme: case-insensitive, '*' for any scheme. */
	{ "https://example.com/callback",
	  "http://example.com/callback", false },
	{ "*://example.com/callback", "https://example.com/callback", true },
	{ "*://example.com/callback", "myapp://example.com/callback", true },
	{ "https://example.com/cb", "HTTPS://EXAMPLE.COM/cb", true },
	{ "HTTPS://Example.COM/cb", "https://example.com/cb", true },
	{ "https://example.com/Callback", "https://example.com/callback",
	  false },

	/* Host: '*' is one label (or part of one). */
	{ "https://*.example.com/callback",
	  "https://subdomain.example.com/callback", true },
	{ "https://*.example.com/callback", "https://example.com/callback",
	  false },
	{ "https://*.example.com/callback",
	  "https://a.b.example.com/callback", false },
	{ "https://*.example.com/callback", "https://evilexample.com/callback",
	  false },
	{ "https://*.example.com/callback",
	  "https://sub.example.com.evil.net/callback", false },
	{ "https://*.example.com/cb", "https://x_y-z.example.com/cb", true },
	{ "https://*.example.com/cb", "https://a%2Fb.example.com/cb", false },
	{ "https://app*.example.com/callback",
	  "https://app1.example.com/callback", true },
	{ "https://app*.example.com/callback",
	  "https://app.example.com/callback", false },
	{ "https://*-prod.example.com/callback",
	  "https://api-prod.example.com/callback", true },
	{ "https://app-*-server.example.com/callback",
	  "https://app-staging-server.example.com/callback", true },
	{ "https://*.example.com/callback",
	  "https://malicious.site?url=abc.example.com/callback", false },
	{ "https://example.com/callback", "https://examp1e.com/callback",
	  false },
	{ "https://example.com/callback",
	  "https://\xd0\xb5xample.com/callback", false },
	{ "https://example.com/callback", "https://example.com./callback",
	  false },
	{ "https://*.*.*.*/cb", "https://10.1.0.1/cb", true },

	/* Port. */
	{ "https://example.com:8080/callback",
	  "https://example.com:9090/callback",
	  false },
	{ "https://example.com:*/callback", "https://example.com:8080/callback",
	  true },
	{ "https://example.com:*/callback", "https://example.com/callback",
	  true },
	{ "https://example.com:80*/callback",
	  "https://example.com:8080/callback", true },
	{ "https://example.com:80*/callback", "https://example.com/callback",
	  false },
	{ "https://10.1.0.1:*/callback", "https://10.1.0.1:8080/callback",
	  true },
	{ "https://10.1.0.1:80*/callback", "https://10.1.0.1:8080/callback",
	  true },
	{ "https://[2001:db8:1:1::a:1]:*/callback",
	  "https://[2001:db8:1:1::a:1]:8080/callback", true },
	{ "https://[2001:db8:1:1::a:1]:80*/callback",
	  "https://[2001:db8:1:1::a:1]:8080/callback", true },
	{ "https://example.com/cb", "https://example.com:8443/cb", false },
	{ "https://example.com/cb", "https://example.com:443/cb", true },
	{ "https://example.com:443/cb", "https://example.com/cb", true },
	{ "http://example.com:80/cb", "http://example.com/cb", true },
	{ "https://example.com/cb", "https://example.com:80/cb", false },
	{ "https://example.com:8080/cb", "https://example.com:99999/cb",
	  false },

	/* Path: '*' one segment (one or more characters), '**' anything. */
	{ "https://example.com/callback", "https://example.com/other", false },
	{ "https://example.com/api/*/callback",
	  "https://example.com/api/v1/callback", true },
	{ "https://example.com/api/*/callback",
	  "https://example.com/api/v1/v2/callback", false },
	{ "https://example.com/api/*/callback",
	  "https://example.com/api//callback", false },
	{ "https://example.com/*", "https://example.com/callback", true },
	{ "https://example.com/*", "https://example.com/", false },
	{ "https://example.com/*", "https://example.com/a/b", false },
	{ "https://10.1.0.1/*", "https://10.1.0.1/callback", true },
	{ "https://[2001:db8:1:1::a:1]/*",
	  "https://[2001:db8:1:1::a:1]/callback", true },
	{ "https://example.com/test*", "https://example.com/testcase", true },
	{ "https://example.com/test*", "https://example.com/test", false },
	{ "https://example.com/*-callback",
	  "https://example.com/oauth-callback",
	  true },
	{ "https://example.com/api-*-v1/callback",
	  "https://example.com/api-internal-v1/callback", true },
	{ "https://example.com/*/test*/callback",
	  "https://example.com/v1/testing/callback", true },
	{ "https://example.com/**/callback",
	  "https://example.com/api/v1/foo/bar/callback", true },
	{ "https://example.com/**/v1/**/callback",
	  "https://example.com/api/v1/foo/bar/callback", true },
	{ "https://example.com/**/v1/**/callback",
	  "https://example.com/api/v2/foo/bar/callback", false },
	{ "https://example.com/foo-*", "https://example.com/foo-bar", true },
	{ "https://example.com/cb/**", "https://example.com/cb/", true },
	{ "https://example.com/cb/**", "https://example.com/cb/a/b/c", true },
	{ "https://example.com/cb/**", "https://example.com/cb", false },
	{ "https://example.com/cb/**", "https://example.com/cbx/a", false },
	{ "https://example.com/**", "https://example.com", true },
	{ "https://example.com/", "https://example.com", true },
	{ "https://example.com", "https://example.com/", true },
	{ "https://example.com/app/*", "https://example.com/app/..", false },
	{ "https://example.com/app/**", "https://example.com/app/../admin",
	  false },
	{ "https://example.com/app/**",
	  "https://example.com/app/%2e%2E/admin", false },
	{ "https://example.com/app/**", "https://example.com/app/./x", false },
	{ "https://example.com/app/*", "https://example.com/app/.well", true },
	{ "https://example.com/app/*", "https://example.com/app/...", true },
	{ "https://example.com/cb%2fx", "https://example.com/cb%2Fx", false },
	{ "https://example.com/cb%20x", "https://example.com/cb x", false },

	/* Userinfo. */
	{ "https://user:pass@example.com/callback",
	  "https://admin:pass@example.com/callback", false },
	{ "https://user:pass@example.com/callback",
	  "https://example.com/callback", false },
	{ "https://example.com/callback",
	  "https://user@example.com/callback", false },
	{ "https://user:*@example.com/callback",
	  "https://user:secret123@example.com/callback", true },
	{ "https://user:*@example.com/callback",
	  "https://user:a:b@example.com/callback", false },
	{ "https://admin*:pass@example.com/callback",
	  "https://admin123:pass@example.com/callback", true },
	{ "https://user:pass*@example.com/callback",
	  "https://user:password123@example.com/callback", true },
	{ "https://user:*@example.com/callback",
	  "https://user:password@malicious.site#example.com/callback", false },
	{ "https://user:pass@example.com/callback",
	  "https://user:pass@evil.com@example.com/callback", false },
	{ "https://*@example.com/callback",
	  "https://x@evil.com@example.com/callback", false },

	/* Query: same keys and value counts, glob values. */
	{ "https://example.com/callback?code=*",
	  "https://example.com/callback?code=abc123&extra=value", false },
	{ "https://example.com/callback?code=*&state=*",
	  "https://example.com/callback?code=abc123", false },
	{ "https://example.com/callback?code=123",
	  "https://example.com/callback#section?code=123", false },
	{ "https://example.com/callback?code=*",
	  "https://example.com/callback?token=abc123", false },
	{ "https://example.com/callback?code=*",
	  "https://example.com/callback?code=abc123", true },
	{ "https://example.com/callback?code=*&state=*",
	  "https://example.com/callback?code=abc123&state=xyz789", true },
	{ "https://example.com/callback?state=*&code=*",
	  "https://example.com/callback?code=abc123&state=xyz789", true },
	{ "https://example.com/callback?mode=production",
	  "https://example.com/callback?mode=development", false },
	{ "https://example.com/callback?mode=production&code=*",
	  "https://example.com/callback?mode=production&code=abc123", true },
	{ "https://example.com/callback?mode=production&code=*",
	  "https://example.com/callback?mode=development&code=abc123", false },
	{ "https://example.com/callback?param=*&param=*",
	  "https://example.com/callback?param=value1&param=value2", true },
	{ "https://example.com/callback?param=*&param=*",
	  "https://example.com/callback?param=value1", false },
	{ "https://example.com/cb?a=1&a=2", "https://example.com/cb?a=2&a=1",
	  false },
	{ "https://example.com/callback",
	  "https://example.com/callback?extra=value", false },
	{ "https://example.com/callback?code=*",
	  "https://example.com/callback?code=123&redirect=https://evil.com",
	  false },
	{ "https://example.com/callback?state=*",
	  "https://example.com/callback?state=abc&next=//evil.com", false },
	{ "https://example.com/cb?", "https://example.com/cb", true },
	{ "https://example.com/cb?v=a?c",
	  "https://example.com/cb?v=abc", true },
	{ "https://example.com/cb?v=a?c", "https://example.com/cb?v=a%2Fc",
	  false },
	{ "https://example.com/cb?v=a?c",
	  "https://example.com/cb?v=ac", false },
	{ "https://example.com/cb?v=[0-9]",
	  "https://example.com/cb?v=5", true },
	{ "https://example.com/cb?v=[0-9]", "https://example.com/cb?v=x",
	  false },
	{ "https://example.com/cb?v=[^0-9]", "https://example.com/cb?v=x",
	  true },
	{ "https://example.com/cb?v=[^0-9]", "https://example.com/cb?v=7",
	  false },
	{ "https://example.com/cb?v=[a", "https://example.com/cb?v=a", false },
	{ "https://example.com/cb?v=*", "https://example.com/cb?v=a%2Fb",
	  false },
	{ "https://example.com/cb?v=*", "https://example.com/cb?v=", true },
	{ "https://example.com/cb?v=%2A",
	  "https://example.com/cb?v=abc", true },
	{ "https://example.com/cb?v=%5C*", "https://example.com/cb?v=*", true },
	{ "https://example.com/cb?v=%5C*",
	  "https://example.com/cb?v=x", false },
	{ "https://example.com/cb?v=a+b", "https://example.com/cb?v=a%20b",
	  true },
	{ "https://example.com/cb?v=*", "https://example.com/cb?v=%E4%B8%AD",
	  true },
	{ "https://example.com/cb?v=?", "https://example.com/cb?v=%E4%B8%AD",
	  true },
	{ "https://example.com/cb?a=*", "https://example.com/cb?a=1;b=2",
	  false },
	{ "https://example.com/cb?a=*", "https://example.com/cb?a=%zz", false },
	{ "https://example.com/cb?a=*", "https://example.com/cb?a=%00", false },
	{ "https://example.com/cb?a=*", "https://example.com/cb?&a=1&&", true },

	/* Fragments are ignored on both sides. */
	{ "https://example.com/callback#fragment",
	  "https://example.com/callback#fragment", true },
	{ "https://example.com/callback#fragment",
	  "https://example.com/callback", true },
	{ "https://example.com/callback",
	  "https://example.com/callback#section", true },

	/* Traversal and injection attempts. */
	{ "https://example.com/callback",
	  "https://example.com/../admin/callback", false },
	{ "https://example.com/callback", "https://example.com\\callback",
	  false },
	{ "https://example.com/*", "https://example.com/a\\..\\b", false },
	{ "https://example.com/callback",
	  "https://example.com//evil.com/callback", false },
	{ "https://example.com/callback",
	  "https://example.com/callback%0d%0aLocation:%20https://evil.com",
	  false },
	{ "https://example.com/callback",
	  "https://example.com/callback%00.evil.com", false },
	{ "https://example.com/*", "https://example.com/a\tb", false },
	{ "https://*/*", "https:/evil.com/x", false },

	/* Loopback (RFC 8252 §7.3): any port for http. */
	{ "http://127.0.0.1/callback", "http://127.0.0.1:8080/callback", true },
	{ "http://127.0.0.1:8080/callback", "http://127.0.0.1:8080/callback",
	  true },
	{ "http://127.0.0.1:8080/callback", "http://127.0.0.1:9999/callback",
	  false },
	{ "http://[::1]/callback", "http://[::1]:8080/callback", true },
	{ "http://[::1]/auth/*", "http://[::1]:8080/auth/callback", true },
	{ "http://localhost/callback", "http://localhost:8080/callback", true },
	{ "http://localhost/callback", "HTTP://LocalHost:8080/callback", true },
	{ "http://127.0.0.2/cb", "http://127.0.0.2:9/cb", true },
	{ "http://[::ffff:127.0.0.1]/cb", "http://[::ffff:127.0.0.1]:8080/cb",
	  true },
	{ "https://127.0.0.1/callback", "https://127.0.0.1:8080/callback",
	  false },
	{ "http://127.0.0.1/auth/*", "http://127.0.0.1:3000/auth/callback",
	  true },
	{ "http://127.0.0.1:*/auth/callback",
	  "http://127.0.0.1:3000/auth/callback", true },
	{ "http://[::1]:*/auth/callback", "http://[::1]:3000/auth/callback",
	  true },
	{ "http://127.0.0.1/callback", "http://127.0.0.1:8080/different",
	  false },
	{ "http://192.168.1.1/callback", "http://192.168.1.1:8080/callback",
	  false },
	{ "http://localhost.example.com/cb",
	  "http://localhost.example.com:8080/cb", false },
	{ "http://127.0.0.1/cb", "http://localhost:8080/cb", false },
	{ "*", "http://127.0.0.1:8080/callback", true },

	/* IPv6 literals compare as addresses. */
	{ "https://[2001:db8::1]/cb", "https://[2001:DB8:0::1]/cb", true },
	{ "https://[::1]/cb", "https://[::2]/cb", false },
	{ "https://[::1]/cb", "https://[::1/cb", false },
	{ "https://*/cb", "https://[::1]/cb", false },

	/* Non-http schemes (native apps). */
	{ "com.example.app:/oauth2redirect", "com.example.app:/oauth2redirect",
	  true },
	{ "com.example.app:/*", "com.example.app:/cb", true },
	{ "com.example.app:/*", "com.example.other:/cb", false },
	{ "myapp://callback", "myapp://callback/", true },
	{ "myapp://*/done", "myapp://cb/done", true },
	{ "myapp:cb", "myapp:cb", true },
};

static void
test_match_table(void **state)
{
	size_t i;
	bool got;

	(void)state;
	for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		got = oidc_redirect_matches(match_cases[i].pattern,
		    match_cases[i].uri);
		if (got != match_cases[i].expected)
			fail_msg("case %zu: %s vs %s: expected %d, got %d", i,
			    match_cases[i].pattern, match_cases[i].uri,
			    match_cases[i].expected, got);
	}
}

struct valid_case {
	const char *pattern;
	bool valid;
};

static const struct valid_case valid_cases[] = {
	{ "https://example.com/callback", true },
	{ "*://example.com/callback", true },
	{ "https://example.com:*/callback", true },
	{ "https://example.com:80*/callback", true },
	{ "https://user:*@example.com/callback", true },
	{ "*", true },
	{ "https://*.example.com/**", true },
	{ "https://[::1]:*/cb", true },
	{ "http://localhost/cb", true },
	{ "com.example.app:/oauth2redirect", true },
	{ "myapp://callback", true },
	{ "https://example.com/cb#frag", true },
	{ "https://example.com/cb?x=[0-9]&y=*", true },
	{ "/callback", false },
	{ "https//example.com/callback", false },
	{ "https://exa[mple.com/callback", false },
	{ "http://[::1", false },
	{ "javascript:alert(1)", false },
	{ "JavaScript:alert(1)", false },
	{ "data:text/html;base64,PGgxPkhlbGxvPC9oMT4=", false },
	{ "DATA:text/html,x", false },
	{ "https://example.com/cb?x=[", false },
	{ "https://example.com/cb?x=a\\", false },
	{ "https://example.com/cb?x=[]", false },
	{ "https://example.com/cb?x=[-a]", false },
	{ "https://example.com/cb?a=1;b=2", false },
	{ "https://example.com/cb?a=%zz", false },
	{ "https://a..b/cb", false },
	{ "https://example.com:abc/cb", false },
	{ "https://example.com:99999/cb", false },
	{ "https:/example.com", false },
	{ "https://exa mple.com/", false },
	{ "https://example.com/\\x", false },
	{ "https://", false },
	{ "https:///cb", false },
	{ "https://[fe80::1%25eth0]/cb", false },
	{ "https://[*]/cb", false },
	{ "1https://example.com", false },
	{ "", false },
	{ "https://example.com/\xff", false },
};

static void
test_pattern_validation(void **state)
{
	const char *why;
	size_t i;
	bool got;

	(void)state;
	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
		why = "unset";
		got = oidc_redirect_is_valid_pattern(valid_cases[i].pattern,
		    &why);
		if (got != valid_cases[i].valid)
			fail_msg("case %zu: %s: expected %d, got %d", i,
			    valid_cases[i].pattern, valid_cases[i].valid, got);
		if (got)
			assert_null(why);
		else
			assert_non_null(why);
	}
	assert_false(oidc_redirect_is_valid_pattern("javascript:x", NULL));
}

static void
test_length_limit(void **state)
{
	char *long_uri = malloc(OIDC_REDIRECT_URI_MAX + 2);
	size_t prefix = strlen("https://example.com/");

	(void)state;
	assert_non_null(long_uri);
	memcpy(long_uri, "https://example.com/", prefix);
	memset(long_uri + prefix, 'a', OIDC_REDIRECT_URI_MAX + 1 - prefix);
	long_uri[OIDC_REDIRECT_URI_MAX + 1] = '\0';
	assert_false(oidc_redirect_is_valid_pattern(long_uri, NULL));
	assert_false(oidc_redirect_matches("https://example.com/**",
	    long_uri));
	/* Exact equality needs no parsing, even over the limit. */
	assert_true(oidc_redirect_matches(long_uri, long_uri));
	long_uri[OIDC_REDIRECT_URI_MAX] = '\0';
	assert_true(oidc_redirect_is_valid_pattern(long_uri, NULL));
	assert_true(oidc_redirect_matches("https://example.com/**",
	    long_uri));
	free(long_uri);
}

static void
test_too_many_query_params(void **state)
{
	struct wbuf w;
	size_t i;

	(void)state;
	wbuf_init(&w);
	wbuf_puts(&w, "https://example.com/cb?");
	for (i = 0; i <= OIDC_REDIRECT_QUERY_PARAMS_MAX; i++)
		wbuf_printf(&w, "k%zu=*&", i);
	assert_int_equal(wbuf_error(&w), PERR_OK);
	assert_false(oidc_redirect_is_valid_pattern((char *)w.data, NULL));
	wbuf_free(&w);
}

/* Many stars against a long near-miss must stay fast (no backtracking
 * blow-up): dynamic programming in the path, last-star in the query. */
static void
test_wildcards_do_not_blow_up(void **state)
{
	struct wbuf pat, uri;
	size_t i;

	(void)state;
	wbuf_init(&pat);
	wbuf_init(&uri);
	wbuf_puts(&pat, "https://example.com/");
	wbuf_puts(&uri, "https://example.com/");
	for (i = 0; i < 500; i++)
		wbuf_puts(&pat, "**a");
	for (i = 0; i < 3000; i++)
		wbuf_putc(&uri, 'a');
	wbuf_putc(&uri, 'b');
	wbuf_puts(&pat, "?q=");
	wbuf_puts(&uri, "?q=");
	for (i = 0; i < 200; i++)
		wbuf_puts(&pat, "*a");
	for (i = 0; i < 1000; i++)
		wbuf_putc(&uri, 'a');
	wbuf_putc(&uri, 'b');
	assert_false(oidc_redirect_matches((char *)pat.data,
	    (char *)uri.data));
	wbuf_free(&pat);
	wbuf_free(&uri);
}

/* Every prefix of a URI with every part, against patterns with every
 * kind of wildcard, and every prefix as a pattern: no crash, no read
 * past the end (ASan), and the full strings still match. */
static void
test_every_truncation(void **state)
{
	static const char *uri =
	    "https://user:pw@app.example.com:8443/a/b/c?x=1&y=two&y=3#frag";
	static const char *patterns[] = {
		"https://user:*@*.example.com:*/a/**?x=[0-9]&y=*&y=?",
		"https://user:pw@app.example.com:8443/a/*/c?y=t*&y=3&x=1",
		"*://*:*@app.example.com:84*/**/c?x=*&y=*&y=*#x",
	};
	char *buf;
	size_t i, j, n = strlen(uri);

	(void)state;
	for (j = 0; j < sizeof(patterns) / sizeof(patterns[0]); j++) {
		assert_true(oidc_redirect_is_valid_pattern(patterns[j], NULL));
		assert_true(oidc_redirect_matches(patterns[j], uri));
		for (i = 0; i < n; i++) {
			buf = str_ndup(uri, i);
			assert_non_null(buf);
			(void)oidc_redirect_matches(patterns[j], buf);
			free(buf);
		}
		for (i = 0; i < strlen(patterns[j]); i++) {
			buf = str_ndup(patterns[j], i);
			assert_non_null(buf);
			(void)oidc_redirect_is_valid_pattern(buf, NULL);
			(void)oidc_redirect_matches(buf, uri);
			free(buf);
		}
	}
	/* Cut inside the query or the port, nothing matches by accident. */
	assert_false(oidc_redirect_matches(patterns[0],
	    "https://user:pw@app.example.com:8443/a/b/c?x=1&y=two"));
}

static void
test_choose(void **state)
{
	const char *one[] = { "https://app.example.com/cb" };
	const char *two[] = { "https://app.example.com/cb",
		"https://app.example.com/cb2" };
	const char *wild[] = { "https://*.example.com/cb" };
	const char *any[] = { "*" };
	const char *plain_http[] = { "http://app.example.com/cb" };
	const char *loop[] = { "http://127.0.0.1/cb", "http://localhost/cb",
		"http://dev.localhost/cb", "http://[::1]/cb",
		"com.example.app:/cb" };
	char *chosen = NULL;

	(void)state;
	/* No redirect_uri: only a single plain registration will do. */
	assert_int_equal(oidc_redirect_choose(one, 1, NULL, false, &chosen),
	    PERR_OK);
	assert_string_equal(chosen, one[0]);
	free(chosen);
	assert_int_equal(oidc_redirect_choose(one, 1, "", false, &chosen),
	    PERR_OK);
	free(chosen);
	assert_int_equal(oidc_redirect_choose(two, 2, NULL, false, &chosen),
	    PERR_INVALID);
	assert_null(chosen);
	assert_int_equal(oidc_redirect_choose(wild, 1, NULL, false, &chosen),
	    PERR_INVALID);
	assert_int_equal(oidc_redirect_choose(any, 1, NULL, false, &chosen),
	    PERR_INVALID);
	assert_int_equal(oidc_redirect_choose(one, 0, NULL, false, &chosen),
	    PERR_INVALID);

	/* A requested URI is used as sent when a pattern admits it. */
	assert_int_equal(oidc_redirect_choose(two, 2,
	    "https://app.example.com/cb2", false, &chosen), PERR_OK);
	assert_string_equal(chosen, "https://app.example.com/cb2");
	free(chosen);
	assert_int_equal(oidc_redirect_choose(wild, 1,
	    "https://Tenant.example.com/cb", false, &chosen), PERR_OK);
	assert_string_equal(chosen, "https://Tenant.example.com/cb");
	free(chosen);
	assert_int_equal(oidc_redirect_choose(two, 2,
	    "https://evil.example.net/cb", false, &chosen), PERR_NOT_FOUND);
	assert_null(chosen);

	/* RFC 6749 §3.1.2: no fragment; no scripts even under "*". */
	assert_int_equal(oidc_redirect_choose(one, 1,
	    "https://app.example.com/cb#x", false, &chosen), PERR_INVALID);
	assert_int_equal(oidc_redirect_choose(any, 1, "javascript:alert(1)",
	    true, &chosen), PERR_INVALID);
	assert_int_equal(oidc_redirect_choose(any, 1, "not a uri", true,
	    &chosen), PERR_INVALID);
	assert_int_equal(oidc_redirect_choose(any, 1,
	    "https://any.example.org/x", false, &chosen), PERR_OK);
	free(chosen);

	/* ALLOW_INSECURE_CALLBACK_URLS. */
	assert_int_equal(oidc_redirect_choose(plain_http, 1,
	    "http://app.example.com/cb", false, &chosen), PERR_FORBIDDEN);
	assert_null(chosen);
	assert_int_equal(oidc_redirect_choose(plain_http, 1, NULL, false,
	    &chosen), PERR_FORBIDDEN);
	assert_int_equal(oidc_redirect_choose(plain_http, 1,
	    "http://app.example.com/cb", true, &chosen), PERR_OK);
	free(chosen);
	assert_int_equal(oidc_redirect_choose(any, 1,
	    "http://app.example.com/cb", false, &chosen), PERR_FORBIDDEN);
	assert_int_equal(oidc_redirect_choose(loop, 5,
	    "http://127.0.0.1:51004/cb", false, &chosen), PERR_OK);
	assert_string_equal(chosen, "http://127.0.0.1:51004/cb");
	free(chosen);
	assert_int_equal(oidc_redirect_choose(loop, 5,
	    "http://localhost:3000/cb", false, &chosen), PERR_OK);
	free(chosen);
	assert_int_equal(oidc_redirect_choose(loop, 5,
	    "http://dev.localhost/cb", false, &chosen), PERR_OK);
	free(chosen);
	assert_int_equal(oidc_redirect_choose(loop, 5, "http://[::1]:8/cb",
	    false, &chosen), PERR_OK);
	free(chosen);
	assert_int_equal(oidc_redirect_choose(loop, 5, "com.example.app:/cb",
	    false, &chosen), PERR_OK);
	free(chosen);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_table),
		cmocka_unit_test(test_pattern_validation),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_too_many_query_params),
		cmocka_unit_test(test_wildcards_do_not_blow_up),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_choose),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
