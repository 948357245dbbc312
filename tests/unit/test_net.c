/*
 * Unit tests for src/net that need no network: which addresses the SSRF
 * guard refuses, and that URLs it must never fetch are refused before any
 * connection (plain http, no host, literal internal addresses). The
 * fetches themselves, over real TLS, are in tests/e2e/oidc-cimd.test.mjs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "conf/conf.h"
#include "net/net.h"

static void
test_blocked_addresses(void **state)
{
	static const char *const blocked[] = {
		"0.0.0.0", "127.0.0.1", "127.255.0.9", "10.1.2.3",
		"172.16.0.1", "172.31.255.255", "192.168.1.1",
		"169.254.169.254", "100.64.0.1", "100.127.255.254",
		"224.0.0.1", "239.1.1.1", "255.255.255.255", "240.0.0.1",
		"::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
		"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.1.1",
		"", "localhost", "1.2.3", "not an address",
	};
	static const char *const allowed[] = {
		"1.1.1.1", "8.8.8.8", "198.51.100.7", "203.0.113.5",
		"172.32.0.1", "100.128.0.1", "2606:4700::1111",
		"::ffff:8.8.8.8",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(blocked) / sizeof(blocked[0]); i++)
		assert_true(net_addr_is_blocked(blocked[i], NULL));
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		assert_false(net_addr_is_blocked(allowed[i], NULL));
	assert_true(net_addr_is_blocked(NULL, NULL));
}

static void
test_blocked_extra(void **state)
{
	struct cidr_list extra;
	const char *bad;
	size_t bad_len;

	(void)state;
	assert_int_equal(cidr_list_parse("2001:db8:1::/48", true, &extra,
	    &bad, &bad_len), PERR_OK);
	assert_true(net_addr_is_blocked("2001:db8:1::5", &extra));
	assert_false(net_addr_is_blocked("2001:db8:2::5", &extra));
	cidr_list_free(&extra);
}

static int
get(const char *url, const char **why)
{
	struct net_get opt = { .user_agent = NET_UA_CIMD, .max_bytes = 1024,
	    .timeout_s = 2 };
	struct net_reply r;
	int rc = net_https_get(url, &opt, &r, why);

	assert_null(r.body);
	net_reply_clear(&r);
	return rc;
}

static void
test_refused_urls(void **state)
{
	const char *why = NULL;

	(void)state;
	assert_int_equal(get("http://example.com/x", &why), PERR_INVALID);
	assert_non_null(why);
	assert_int_equal(get("ftp://example.com/x", &why), PERR_INVALID);
	assert_int_not_equal(get("https:///x", &why), PERR_OK);
	assert_int_equal(get("not a url", &why), PERR_INVALID);
	assert_int_equal(get("https://127.0.0.1/x", &why), PERR_FORBIDDEN);
	assert_non_null(strstr(why, "loopback"));
	assert_int_equal(get("https://10.0.0.8:8443/x", &why),
	    PERR_FORBIDDEN);
	assert_int_equal(get("https://[::1]/x", &why), PERR_FORBIDDEN);
	assert_int_equal(get("https://[::ffff:192.168.0.1]/x", &why),
	    PERR_FORBIDDEN);
	assert_int_equal(get("https://169.254.169.254/latest/meta-data",
	    &why), PERR_FORBIDDEN);
	assert_int_equal(get("https://localhost/x", &why), PERR_FORBIDDEN);
}

static int64_t
cc(const char *line)
{
	int64_t age = -1;

	net_cache_control_read(line, strlen(line), &age);
	return age;
}

static void
test_cache_control(void **state)
{
	static const char line[] = "Cache-Control: public, max-age=600\r\n";
	int64_t age;
	size_t i;
	char *cut;

	(void)state;
	assert_int_equal(cc(line), 600);
	assert_int_equal(cc("cache-control:max-age=5"), 5);
	assert_int_equal(cc("Cache-Control: no-store\r\n"), 0);
	assert_int_equal(cc("Cache-Control: max-age=60, no-cache\r\n"), 0);
	assert_int_equal(cc("Cache-Control: no-cache, max-age=60\r\n"), 0);
	assert_int_equal(cc("Cache-Control: max-age=x\r\n"), -1);
	assert_int_equal(cc("Cache-Control: max-age=99999999999999999999\r\n"),
	    365LL * 24 * 3600);
	assert_int_equal(cc("Content-Type: application/json\r\n"), -1);
	assert_int_equal(cc("Cache-Control: private\r\n"), -1);
	assert_int_equal(cc("X-Cache-Control: max-age=5\r\n"), -1);
	/* Every prefix of the line, through a heap copy without a NUL
	 * (ASan catches a read past the cut). */
	for (i = 0; i <= sizeof(line) - 1; i++) {
		cut = malloc(i > 0 ? i : 1);
		assert_non_null(cut);
		memcpy(cut, line, i);
		age = -1;
		net_cache_control_read(cut, i, &age);
		assert_true(age == -1 || (age >= 0 && age <= 600));
		free(cut);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocked_addresses),
		cmocka_unit_test(test_blocked_extra),
		cmocka_unit_test(test_refused_urls),
		cmocka_unit_test(test_cache_control),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
