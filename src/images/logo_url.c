/*
 * logo_url: client logos named by URL (spec §1.7 logoUrl, darkLogoUrl):
 * fetched through the SSRF-guarded HTTPS client (src/net) with a 2 MiB
 * cap, recognised by their bytes and cleaned like an upload. The caller
 * fetches before it writes the client and stores the logo afterwards, so
 * a logo that fails leaves the client unchanged. Must not store anything
 * itself.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "http/http.h"
#include "net/net.h"
#include "images/images.h"

#define LOGO_FETCH_TIMEOUT_S 15

void
image_logo_clear(struct image_logo *l)
{
	free(l->bytes);
	memset(l, 0, sizeof(*l));
}

/* Keeps a copy of bytes as the logo, cleaned. */
static int
logo_keep(enum image_type type, const uint8_t *bytes, size_t len,
    struct image_logo *out)
{
	uint8_t *clean = NULL;
	size_t clean_len = 0;
	int rc;

	if ((rc = image_clean(type, bytes, len, &clean, &clean_len)) != PERR_OK)
		return rc;
	if (clean == NULL) {
		if ((clean = malloc(len)) == NULL)
			return PERR_NOMEM;
		memcpy(clean, bytes, len);
		clean_len = len;
	}
	out->type = type;
	out->bytes = clean;
	out->len = clean_len;
	return PERR_OK;
}

int
image_logo_fetch(const char *url, const struct cidr_list *blocked,
    struct image_logo *out, const char **code, const char **why)
{
	struct net_get opt = { .user_agent = NET_UA_DEFAULT,
	    .max_bytes = HTTP_UPLOAD_FILE_MAX,
	    .timeout_s = LOGO_FETCH_TIMEOUT_S, .blocked_extra = blocked };
	struct net_reply reply = { 0 };
	enum image_type type;
	int rc;

	memset(out, 0, sizeof(*out));
	*code = "logo_download_failed";
	if ((rc = net_https_get(url, &opt, &reply, why)) != PERR_OK) {
		if (rc == PERR_TOO_LARGE) {
			*code = "logo_too_large";
			*why = "The logo can't be larger than 2 MiB";
		}
		return rc == PERR_NOMEM ? rc : PERR_INVALID;
	}
	type = image_sniff((const uint8_t *)reply.body, reply.len);
	*code = "logo_type_not_supported";
	*why = "The logo is not a PNG, JPEG, GIF, WebP, ICO, SVG, AVIF or "
	    "HEIC image";
	rc = type == IMAGE_NONE ? PERR_INVALID :
	    logo_keep(type, (const uint8_t *)reply.body, reply.len, out);
	net_reply_clear(&reply);
	return rc;
}
