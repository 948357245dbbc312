/*
 * location: where an audit event came from (spec §8): addresses on the
 * internal network are named without any database ("Internal Network"
 * with "LAN", "Tailscale" or "localhost"); the rest are left to the
 * GeoLite2 City database (GEOLITE_DB_PATH, admin/geo_db.c), and stay
 * unplaced (NULL) without one. Pure: no I/O.
 *
 * Precedence, as Pocket ID's: LOCAL_IPV6_RANGES, then Tailscale's CGNAT
 * range, then loopback, then the private and link-local ranges. Pocket ID
 * HEAD tests its broad "private" check before loopback, so 127.0.0.1
 * comes out as "LAN" there although its code and the spec say
 * "localhost"; we follow the spec.
 */
#include <arpa/inet.h>
#include <string.h>

#include "common/common.h"
#include "conf/conf.h"
#include "auth/auth.h"

#define INTERNAL "Internal Network"

/* Whether the first prefix bits of a and net agree. */
static bool
in_prefix(const uint8_t *a, const uint8_t *net, unsigned prefix)
{
	unsigned full = prefix / 8, rest = prefix % 8;
	uint8_t mask;

	if (memcmp(a, net, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (net[full] & mask);
}

struct range {
	uint8_t net[16];
	unsigned prefix;
};

static bool
in_any(const uint8_t *a, const struct range *ranges, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (in_prefix(a, ranges[i].net, ranges[i].prefix))
			return true;
	return false;
}

/* RFC 1918, link-local (RFC 3927), local multicast, "this host". */
static bool
is_private_v4(const uint8_t a[4])
{
	static const struct range ranges[] = {
		{ { 10 }, 8 }, { { 172, 16 }, 12 }, { { 192, 168 }, 16 },
		{ { 169, 254 }, 16 }, { { 224, 0, 0 }, 24 },
		{ { 0, 0, 0, 0 }, 32 },
	};

	return in_any(a, ranges, sizeof(ranges) / sizeof(ranges[0]));
}

/* Unique local (RFC 4193), link-local, link-local multicast, "::". */
static bool
is_private_v6(const uint8_t a[16])
{
	static const struct range ranges[] = {
		{ { 0xfc }, 7 }, { { 0xfe, 0x80 }, 10 }, { { 0xff, 0x02 }, 16 },
		{ { 0 }, 128 },
	};

	return in_any(a, ranges, sizeof(ranges) / sizeof(ranges[0]));
}

static bool
is_v4_mapped(const uint8_t a[16])
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff };

	return memcmp(a, prefix, sizeof(prefix)) == 0;
}

static void
classify_v4(const uint8_t a[4], const char **city)
{
	static const struct range cgnat = { { 100, 64 }, 10 };

	if (in_prefix(a, cgnat.net, cgnat.prefix))
		*city = "Tailscale";
	else if (a[0] == 127)
		*city = "localhost";
	else if (is_private_v4(a))
		*city = "LAN";
}

static void
classify_v6(const uint8_t a[16], const struct cidr_list *local,
    const char *ip, const char **city)
{
	static const uint8_t loopback[16] = { [15] = 1 };

	if (local != NULL && cidr_list_contains(local, ip))
		*city = "LAN";
	else if (memcmp(a, loopback, sizeof(loopback)) == 0)
		*city = "localhost";
	else if (is_private_v6(a))
		*city = "LAN";
}

void
auth_ip_location(const struct cidr_list *local_ipv6, const char *ip,
    const char **country, const char **city)
{
	uint8_t a[16];

	*country = NULL;
	*city = NULL;
	if (ip == NULL || ip[0] == '\0')
		return;
	if (inet_pton(AF_INET, ip, a) == 1)
		classify_v4(a, city);
	else if (inet_pton(AF_INET6, ip, a) == 1) {
		if (is_v4_mapped(a))
			classify_v4(a + 12, city);
		else
			classify_v6(a, local_ipv6, ip, city);
	}
	if (*city != NULL)
		*country = INTERNAL;
}
