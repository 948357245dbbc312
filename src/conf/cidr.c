/*
 * cidr: lists of IP addresses and ranges (TRUST_PROXY, LOCAL_IPV6_RANGES)
 * and the membership test the HTTP layer uses to decide whether a peer may
 * speak for the client. Pure: no I/O, no globals.
 *
 * Like Go's net.ParseCIDR, which Pocket ID uses, host bits in a range are
 * accepted and cleared ("10.1.2.3/8" is 10.0.0.0/8). IPv4-mapped IPv6
 * (::ffff:a.b.c.d) is folded to IPv4 on both sides, so a proxy that shows
 * up in either form matches the same entry.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

#define CIDR_TEXT_MAX 63	/* longest address text we look at */

static const uint8_t v4_mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0xff, 0xff };

/* Reads an address; IPv4-mapped IPv6 comes back as IPv4. */
static bool
addr_parse(const char *text, size_t len, uint8_t *family, uint8_t addr[16])
{
	char buf[CIDR_TEXT_MAX + 1];

	if (len == 0 || len > CIDR_TEXT_MAX)
		return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, buf, addr) == 1) {
		*family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, buf, addr) != 1)
		return false;
	*family = 6;
	if (memcmp(addr, v4_mapped_prefix, sizeof(v4_mapped_prefix)) == 0) {
		memmove(addr, addr + 12, 4);
		memset(addr + 4, 0, 12);
		*family = 4;
	}
	return true;
}

/* Clears the bits past prefix. */
static void
mask(uint8_t addr[16], unsigned prefix)
{
	unsigned i;

	for (i = 0; i < 16; i++) {
		if (prefix >= 8) {
			prefix -= 8;
			continue;
		}
		addr[i] &= (uint8_t)(0xff00u >> prefix);
		prefix = 0;
	}
}

static int
entry_parse(const char *text, size_t len, bool ipv6_only, struct cidr *out)
{
	const char *slash = memchr(text, '/', len);
	size_t alen = slash != NULL ? (size_t)(slash - text) : len;
	size_t i, plen;
	unsigned prefix = 0, max;
	uint8_t family;
	bool was_v6;

	if (!addr_parse(text, alen, &family, out->addr))
		return PERR_INVALID;
	was_v6 = memchr(text, ':', alen) != NULL;
	max = was_v6 ? 128 : 32;
	if (slash == NULL) {
		prefix = max;
	} else {
		plen = len - alen - 1;
		if (plen == 0 || plen > 3)
			return PERR_INVALID;
		for (i = 0; i < plen; i++) {
			if (slash[1 + i] < '0' || slash[1 + i] > '9')
				return PERR_INVALID;
			prefix = prefix * 10 + (unsigned)(slash[1 + i] - '0');
		}
		if (prefix > max)
			return PERR_INVALID;
	}
	/* ::ffff:10.0.0.0/104 is 10.0.0.0/8; a shorter mapped prefix is
	 * not an IPv4 range and is kept as IPv6. */
	if (was_v6 && family == 4) {
		if (prefix >= 96) {
			prefix -= 96;
		} else {
			memmove(out->addr + 12, out->addr, 4);
			memcpy(out->addr, v4_mapped_prefix, 12);
			family = 6;
		}
	}
	if (ipv6_only && family != 6)
		return PERR_INVALID;
	mask(out->addr, prefix);
	out->family = family;
	out->prefix = (uint8_t)prefix;
	return PERR_OK;
}

int
cidr_list_parse(const char *text, bool ipv6_only, struct cidr_list *out,
    const char **bad_entry, size_t *bad_len)
{
	struct cidr *v = NULL;
	const char *p = text, *end;
	size_t n = 0, a, b, len;
	int rc = PERR_OK;

	out->v = NULL;
	out->n = 0;
	if ((v = calloc(CONF_MAX_CIDRS, sizeof(*v))) == NULL)
		return PERR_NOMEM;
	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		a = 0;
		b = len;
		while (a < b && (p[a] == ' ' || p[a] == '\t'))
			a++;
		while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t'))
			b--;
		if (b > a) {
			if (n == CONF_MAX_CIDRS) {
				rc = PERR_TOO_LARGE;
				goto out;
			}
			if (entry_parse(p + a, b - a, ipv6_only, &v[n]) != 0) {
				*bad_entry = p + a;
				*bad_len = b - a;
				rc = PERR_INVALID;
				goto out;
			}
			n++;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	if (n == 0) {
		free(v);
	} else {
		/* Give back the unused slots; keeping them is harmless. */
		struct cidr *shrunk = realloc(v, n * sizeof(*v));

		out->v = shrunk != NULL ? shrunk : v;
		out->n = n;
	}
	v = NULL;
out:
	free(v);
	return rc;
}

void
cidr_list_free(struct cidr_list *list)
{
	if (list == NULL)
		return;
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

static bool
cidr_contains(const struct cidr *c, uint8_t family, const uint8_t addr[16])
{
	uint8_t masked[16];

	if (c->family != family)
		return false;
	memcpy(masked, addr, 16);
	mask(masked, c->prefix);
	return memcmp(masked, c->addr, family == 4 ? 4 : 16) == 0;
}

bool
cidr_list_contains(const struct cidr_list *list, const char *ip_text)
{
	uint8_t addr[16], family;
	size_t i;

	if (list == NULL || ip_text == NULL ||
	    !addr_parse(ip_text, strlen(ip_text), &family, addr))
		return false;
	for (i = 0; i < list->n; i++)
		if (cidr_contains(&list->v[i], family, addr))
			return true;
	return false;
}
