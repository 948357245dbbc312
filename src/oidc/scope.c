/*
 * scope: the standard scopes of spec §2.3 as bits, so that every grant
 * compares and prints them the same way.
 */
#include <string.h>

#include "common/common.h"
#include "oidc/oidc.h"

static const struct {
	const char *name;
	unsigned bit;
} scope_names[] = {
	{ "openid", OIDC_SCOPE_OPENID },
	{ "profile", OIDC_SCOPE_PROFILE },
	{ "email", OIDC_SCOPE_EMAIL },
	{ "groups", OIDC_SCOPE_GROUPS },
	{ "offline_access", OIDC_SCOPE_OFFLINE_ACCESS },
};
#define N_SCOPES (sizeof(scope_names) / sizeof(scope_names[0]))

unsigned
oidc_scope_parse(const char *scope)
{
	unsigned bits = 0;
	const char *p = scope;
	size_t n, i;

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		for (i = 0; i < N_SCOPES; i++)
			if (strlen(scope_names[i].name) == n &&
			    strncmp(scope_names[i].name, p, n) == 0)
				bits |= scope_names[i].bit;
		p += n;
	}
	return bits;
}

char *
oidc_scope_string(unsigned bits)
{
	struct wbuf w;
	size_t i;

	wbuf_init(&w);
	wbuf_puts(&w, "");
	for (i = 0; i < N_SCOPES; i++)
		if (bits & scope_names[i].bit) {
			if (w.len > 0)
				wbuf_putc(&w, ' ');
			wbuf_puts(&w, scope_names[i].name);
		}
	return wbuf_steal(&w, NULL);
}

size_t
oidc_scope_keys(unsigned bits, const char *keys[5])
{
	size_t i, n = 0;

	for (i = 0; i < N_SCOPES; i++)
		if (bits & scope_names[i].bit)
			keys[n++] = scope_names[i].name;
	return n;
}
