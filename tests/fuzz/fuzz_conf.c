/*
 * libFuzzer target: the config-file lexer and every value parser behind
 * it. The input is the config file; any NAME_FILE it names reads the same
 * bytes, so secrets and byte-exact files are exercised too. The result is
 * dumped and checked, to run the output paths on whatever got through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "conf/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *data;
	size_t size;
};

static int
fuzz_read_file(void *ctx, const char *path, size_t max, uint8_t **data,
    size_t *len, int *sys_errno)
{
	const struct input *in = ctx;

	(void)path;
	*sys_errno = 0;
	if (in->size > max)
		return PERR_TOO_LARGE;
	if ((*data = malloc(in->size + 1)) == NULL)
		return PERR_NOMEM;
	if (in->size > 0)
		memcpy(*data, in->data, in->size);
	(*data)[in->size] = '\0';
	*len = in->size;
	return PERR_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	static char cfg[] = "POCKET_ID_CONFIG_FILE=/fuzz/pocket-id.conf";
	static char *envp[] = { cfg, NULL };
	struct input in = { data, size };
	struct conf_io io = { fuzz_read_file, &in };
	struct conf_problems problems;
	struct settings *s = NULL;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	conf_problems_init(&problems);
	if (conf_load_with(envp, &io, &s, &problems) != PERR_NOMEM) {
		conf_require(s, CONF_NEED_ENCRYPTION_KEY | CONF_NEED_DATABASE,
		    &problems);
		if (conf_dump(s, sink) != PERR_OK)
			abort();
		cidr_list_contains(&s->trust_proxy, "10.1.2.3");
		cidr_list_contains(&s->local_ipv6_ranges, "fd00::1");
	}
	conf_check(&problems, sink);
	conf_problems_free(&problems);
	conf_free(s);
	return 0;
}
