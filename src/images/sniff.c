/*
 * sniff: what an upload is, from its bytes alone. Magic numbers for the
 * raster formats and ICO, the ISO BMFF "ftyp" box for AVIF and HEIC, a
 * bounded look at the text for SVG, and the pixel size from the headers
 * of PNG, JPEG, GIF and WebP so that gd.c refuses a decompression bomb
 * before decoding it. Pure: no I/O, no globals; reads through rbuf.
 */
#include "config.h"	/* _GNU_SOURCE: memmem */

#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "images/images.h"

static bool
starts_with(const uint8_t *data, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(data, magic, n) == 0;
}

static bool
is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skips "<?...?>", "<!--...-->" or "<!...>" at r; false when r is not at
 * one or it is not closed. */
static bool
skip_markup(struct rbuf *r)
{
	const uint8_t *p = r->data + r->off, *end;
	size_t left = rbuf_left(r);
	const char *close;

	if (starts_with(p, left, "<?", 2))
		close = "?>";
	else if (starts_with(p, left, "<!--", 4))
		close = "-->";
	else if (starts_with(p, left, "<!", 2))
		close = ">";
	else
		return false;
	if ((end = memmem(p + 2, left - 2, close, strlen(close))) == NULL)
		return false;
	return rbuf_bytes(r, (size_t)(end - p) + strlen(close), &p) ==
	    PERR_OK;
}

static bool
is_svg(const uint8_t *data, size_t len)
{
	struct rbuf r;
	const uint8_t *p;
	size_t limit = len < IMAGE_SVG_PROLOG_MAX ? len : IMAGE_SVG_PROLOG_MAX;

	if (memchr(data, '\0', len) != NULL)
		return false;
	rbuf_init(&r, data, limit);
	if (starts_with(data, limit, "\xef\xbb\xbf", 3))
		(void)rbuf_bytes(&r, 3, &p);
	for (;;) {
		while (rbuf_left(&r) > 0 && is_space(r.data[r.off]))
			r.off++;
		if (starts_with(r.data + r.off, rbuf_left(&r), "<svg", 4))
			break;
		if (!skip_markup(&r))
			return false;
	}
	return rbuf_left(&r) > 4 && (is_space(r.data[r.off + 4]) ||
	    r.data[r.off + 4] == '>' || r.data[r.off + 4] == '/');
}

/* ISO BMFF: size, "ftyp", major brand, minor version, compatible brands. */
static enum image_type
ftyp_type(const uint8_t *data, size_t len)
{
	static const char *const heic[] = { "heic", "heix", "heim", "heis",
	    "hevc", "hevx" };
	struct rbuf r;
	const uint8_t *brand, *type;
	uint32_t size, minor;
	size_t i, n;

	rbuf_init(&r, data, len);
	if (rbuf_u32be(&r, &size) != PERR_OK ||
	    rbuf_bytes(&r, 4, &type) != PERR_OK || memcmp(type, "ftyp", 4) ||
	    size < 16 || size > len || size % 4 != 0 ||
	    rbuf_bytes(&r, 4, &brand) != PERR_OK ||
	    rbuf_u32be(&r, &minor) != PERR_OK)
		return IMAGE_NONE;
	/* The major brand, then each compatible brand, decides. */
	for (n = (size - 16) / 4;; n--) {
		if (memcmp(brand, "avif", 4) == 0 ||
		    memcmp(brand, "avis", 4) == 0)
			return IMAGE_AVIF;
		for (i = 0; i < sizeof(heic) / sizeof(heic[0]); i++)
			if (memcmp(brand, heic[i], 4) == 0)
				return IMAGE_HEIC;
		if (n == 0 || rbuf_bytes(&r, 4, &brand) != PERR_OK)
			return IMAGE_NONE;
	}
}

enum image_type
image_sniff(const uint8_t *data, size_t len)
{
	if (starts_with(data, len, "\x89PNG\r\n\x1a\n", 8))
		return IMAGE_PNG;
	if (starts_with(data, len, "\xff\xd8\xff", 3))
		return IMAGE_JPEG;
	if (starts_with(data, len, "GIF87a", 6) ||
	    starts_with(data, len, "GIF89a", 6))
		return IMAGE_GIF;
	if (len >= 12 && starts_with(data, len, "RIFF", 4) &&
	    memcmp(data + 8, "WEBP", 4) == 0)
		return IMAGE_WEBP;
	/* ICONDIR: reserved 0, type 1, at least one image. */
	if (starts_with(data, len, "\0\0\1\0", 4) && len >= 6 &&
	    (data[4] != 0 || data[5] != 0))
		return IMAGE_ICO;
	if (len >= 12 && memcmp(data + 4, "ftyp", 4) == 0)
		return ftyp_type(data, len);
	if (len > 0 && is_svg(data, len))
		return IMAGE_SVG;
	return IMAGE_NONE;
}

static int
u16le(struct rbuf *r, uint32_t *out)
{
	uint8_t b[2];
	int rc;

	if ((rc = rbuf_copy(r, b, 2)) == PERR_OK)
		*out = (uint32_t)b[0] | (uint32_t)b[1] << 8;
	return rc;
}

static int
u24le(struct rbuf *r, uint32_t *out)
{
	uint8_t b[3];
	int rc;

	if ((rc = rbuf_copy(r, b, 3)) == PERR_OK)
		*out = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
		    (uint32_t)b[2] << 16;
	return rc;
}

/* PNG: signature, then the IHDR chunk first (PNG §5.6). */
static int
png_size(struct rbuf *r, uint32_t *w, uint32_t *h)
{
	const uint8_t *p;
	uint32_t n;
	int rc;

	if ((rc = rbuf_bytes(r, 8, &p)) != PERR_OK ||
	    (rc = rbuf_u32be(r, &n)) != PERR_OK ||
	    (rc = rbuf_bytes(r, 4, &p)) != PERR_OK)
		return rc;
	if (n != 13 || memcmp(p, "IHDR", 4) != 0)
		return PERR_INVALID;
	if ((rc = rbuf_u32be(r, w)) != PERR_OK ||
	    (rc = rbuf_u32be(r, h)) != PERR_OK)
		return rc;
	return PERR_OK;
}

/* JPEG: walk the marker segments up to the first SOFn (T.81 B.2). */
static int
jpeg_size(struct rbuf *r, uint32_t *w, uint32_t *h)
{
	const uint8_t *p;
	uint8_t m, precision;
	uint16_t seglen, v;
	int rc;

	if ((rc = rbuf_bytes(r, 2, &p)) != PERR_OK)
		return rc;
	for (;;) {
		if ((rc = rbuf_u8(r, &m)) != PERR_OK)
			return rc;
		if (m != 0xff)
			return PERR_INVALID;
		do {	/* fill bytes */
			if ((rc = rbuf_u8(r, &m)) != PERR_OK)
				return rc;
		} while (m == 0xff);
		if (m == 0xd8 || m == 0xd9 || m == 0xda || m == 0x01 ||
		    (m >= 0xd0 && m <= 0xd7))
			return PERR_INVALID;	/* no frame header first */
		if ((rc = rbuf_u16be(r, &seglen)) != PERR_OK)
			return rc;
		if (seglen < 2)
			return PERR_INVALID;
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
		    m != 0xcc) {
			if ((rc = rbuf_u8(r, &precision)) != PERR_OK ||
			    (rc = rbuf_u16be(r, &v)) != PERR_OK)
				return rc;
			*h = v;
			if ((rc = rbuf_u16be(r, &v)) != PERR_OK)
				return rc;
			*w = v;
			return PERR_OK;
		}
		if ((rc = rbuf_bytes(r, (size_t)seglen - 2, &p)) != PERR_OK)
			return rc;
	}
}

static int
gif_size(struct rbuf *r, uint32_t *w, uint32_t *h)
{
	const uint8_t *p;
	int rc;

	if ((rc = rbuf_bytes(r, 6, &p)) != PERR_OK ||
	    (rc = u16le(r, w)) != PERR_OK || (rc = u16le(r, h)) != PERR_OK)
		return rc;
	return PERR_OK;
}

/* WebP: the first chunk is VP8, VP8L or VP8X (RFC 9649 §2.5-2.7). */
static int
webp_size(struct rbuf *r, uint32_t *w, uint32_t *h)
{
	const uint8_t *p, *fourcc;
	uint32_t a, b;
	int rc;

	if ((rc = rbuf_bytes(r, 12, &p)) != PERR_OK ||
	    (rc = rbuf_bytes(r, 4, &fourcc)) != PERR_OK ||
	    (rc = rbuf_bytes(r, 4, &p)) != PERR_OK)
		return rc;
	if (memcmp(fourcc, "VP8 ", 4) == 0) {
		if ((rc = rbuf_bytes(r, 6, &p)) != PERR_OK)
			return rc;
		if (memcmp(p + 3, "\x9d\x01\x2a", 3) != 0)
			return PERR_INVALID;
		if ((rc = u16le(r, &a)) != PERR_OK ||
		    (rc = u16le(r, &b)) != PERR_OK)
			return rc;
		*w = a & 0x3fff;
		*h = b & 0x3fff;
	} else if (memcmp(fourcc, "VP8L", 4) == 0) {
		if ((rc = rbuf_bytes(r, 1, &p)) != PERR_OK)
			return rc;
		if (p[0] != 0x2f)
			return PERR_INVALID;
		if ((rc = rbuf_bytes(r, 4, &p)) != PERR_OK)
			return rc;
		a = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		*w = (a & 0x3fff) + 1;
		*h = ((a >> 14) & 0x3fff) + 1;
	} else if (memcmp(fourcc, "VP8X", 4) == 0) {
		if ((rc = rbuf_bytes(r, 4, &p)) != PERR_OK ||
		    (rc = u24le(r, &a)) != PERR_OK ||
		    (rc = u24le(r, &b)) != PERR_OK)
			return rc;
		*w = a + 1;
		*h = b + 1;
	} else {
		return PERR_INVALID;
	}
	return PERR_OK;
}

int
image_dimensions(enum image_type type, const uint8_t *data, size_t len,
    uint32_t *width, uint32_t *height)
{
	struct rbuf r;
	int rc;

	*width = *height = 0;
	if (image_sniff(data, len) != type)
		return PERR_INVALID;
	rbuf_init(&r, data, len);
	switch (type) {
	case IMAGE_PNG:
		rc = png_size(&r, width, height);
		break;
	case IMAGE_JPEG:
		rc = jpeg_size(&r, width, height);
		break;
	case IMAGE_GIF:
		rc = gif_size(&r, width, height);
		break;
	case IMAGE_WEBP:
		rc = webp_size(&r, width, height);
		break;
	default:
		return PERR_UNSUPPORTED;
	}
	if (rc == PERR_OK && (*width == 0 || *height == 0))
		rc = PERR_INVALID;
	if (rc != PERR_OK)
		*width = *height = 0;
	return rc;
}

/* TIFF integers in the byte order the header chose. */
static int
tiff_u16(struct rbuf *r, bool be, uint16_t *out)
{
	uint8_t b[2];
	unsigned v;
	int rc;

	if ((rc = rbuf_copy(r, b, 2)) == PERR_OK) {
		v = be ? (unsigned)b[0] << 8 | b[1] : (unsigned)b[1] << 8 | b[0];
		*out = (uint16_t)v;
	}
	return rc;
}

static int
tiff_u32(struct rbuf *r, bool be, uint32_t *out)
{
	uint16_t a, b;
	int rc;

	if ((rc = tiff_u16(r, be, &a)) != PERR_OK ||
	    (rc = tiff_u16(r, be, &b)) != PERR_OK)
		return rc;
	*out = be ? (uint32_t)a << 16 | b : (uint32_t)b << 16 | a;
	return PERR_OK;
}

#define EXIF_IFD_ENTRIES_MAX 512u

/* The orientation tag of the TIFF structure in an Exif APP1 (CIPA DC-008
 * §4.6.4: "II"/"MM", 42, offset of IFD0; entries of 12 bytes). */
static int
exif_orientation(const uint8_t *tiff, size_t len)
{
	struct rbuf r;
	const uint8_t *p;
	uint32_t ifd, count32;
	uint16_t magic, n, tag, type, value, i;
	bool be;

	rbuf_init(&r, tiff, len);
	if (rbuf_bytes(&r, 2, &p) != PERR_OK)
		return 1;
	if (memcmp(p, "MM", 2) == 0)
		be = true;
	else if (memcmp(p, "II", 2) == 0)
		be = false;
	else
		return 1;
	if (tiff_u16(&r, be, &magic) != PERR_OK || magic != 42 ||
	    tiff_u32(&r, be, &ifd) != PERR_OK || ifd < 8 || ifd >= len)
		return 1;
	r.off = ifd;
	if (tiff_u16(&r, be, &n) != PERR_OK || n > EXIF_IFD_ENTRIES_MAX)
		return 1;
	for (i = 0; i < n; i++) {
		if (tiff_u16(&r, be, &tag) != PERR_OK ||
		    tiff_u16(&r, be, &type) != PERR_OK ||
		    tiff_u32(&r, be, &count32) != PERR_OK ||
		    tiff_u16(&r, be, &value) != PERR_OK ||
		    rbuf_bytes(&r, 2, &p) != PERR_OK)
			return 1;
		if (tag == 0x0112)
			return type == 3 && count32 == 1 && value >= 1 &&
			    value <= 8 ? value : 1;
	}
	return 1;
}

int
image_jpeg_orientation(const uint8_t *data, size_t len)
{
	struct rbuf r;
	const uint8_t *p;
	uint16_t seglen;
	uint8_t m;

	if (image_sniff(data, len) != IMAGE_JPEG)
		return 1;
	rbuf_init(&r, data, len);
	(void)rbuf_bytes(&r, 2, &p);
	for (;;) {
		if (rbuf_u8(&r, &m) != PERR_OK || m != 0xff)
			return 1;
		do {
			if (rbuf_u8(&r, &m) != PERR_OK)
				return 1;
		} while (m == 0xff);
		/* Standalone markers, or the scan: no EXIF before it. */
		if (m == 0xd8 || m == 0xd9 || m == 0xda || m == 0x01 ||
		    (m >= 0xd0 && m <= 0xd7))
			return 1;
		if (rbuf_u16be(&r, &seglen) != PERR_OK || seglen < 2 ||
		    rbuf_bytes(&r, (size_t)seglen - 2, &p) != PERR_OK)
			return 1;
		if (m == 0xe1 && seglen - 2 >= 6 &&
		    memcmp(p, "Exif\0\0", 6) == 0)
			return exif_orientation(p + 6, (size_t)seglen - 8);
	}
}

static const struct {
	const char *ext;
	enum image_type type;
} extensions[] = {
	{ "png", IMAGE_PNG }, { "jpg", IMAGE_JPEG }, { "jpeg", IMAGE_JPEG },
	{ "gif", IMAGE_GIF }, { "webp", IMAGE_WEBP }, { "ico", IMAGE_ICO },
	{ "svg", IMAGE_SVG }, { "avif", IMAGE_AVIF }, { "heic", IMAGE_HEIC },
};

enum image_type
image_type_from_filename(const char *filename)
{
	const char *dot = filename != NULL ? strrchr(filename, '.') : NULL;
	size_t i;

	if (dot == NULL)
		return IMAGE_NONE;
	for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
		if (strcasecmp(dot + 1, extensions[i].ext) == 0)
			return extensions[i].type;
	return IMAGE_NONE;
}

const char *
image_type_ext(enum image_type type)
{
	switch (type) {
	case IMAGE_PNG: return "png";
	case IMAGE_JPEG: return "jpg";
	case IMAGE_GIF: return "gif";
	case IMAGE_WEBP: return "webp";
	case IMAGE_ICO: return "ico";
	case IMAGE_SVG: return "svg";
	case IMAGE_AVIF: return "avif";
	case IMAGE_HEIC: return "heic";
	case IMAGE_NONE: break;
	}
	return "";
}

const char *
image_type_mime(enum image_type type)
{
	switch (type) {
	case IMAGE_PNG: return "image/png";
	case IMAGE_JPEG: return "image/jpeg";
	case IMAGE_GIF: return "image/gif";
	case IMAGE_WEBP: return "image/webp";
	case IMAGE_ICO: return "image/x-icon";
	case IMAGE_SVG: return "image/svg+xml";
	case IMAGE_AVIF: return "image/avif";
	case IMAGE_HEIC: return "image/heic";
	case IMAGE_NONE: break;
	}
	return "application/octet-stream";
}

/* Appends the first letter of s (skipping ASCII non-alphanumerics) to
 * out at *n; true when one was added. */
static bool
add_initial(const char *s, char *out, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k, seq;

	for (; p != NULL && *p != '\0'; p++) {
		if (*p < 0x80) {
			if ((*p >= '0' && *p <= '9') ||
			    (*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z')) {
				out[(*n)++] = (char)(*p >= 'a' && *p <= 'z' ?
				    *p - 'a' + 'A' : *p);
				return true;
			}
			continue;
		}
		/* A UTF-8 sequence: its length from the lead byte. */
		seq = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 0;
		if (seq == 0 || !str_is_utf8((const char *)p,
		    strnlen((const char *)p, seq)) ||
		    strnlen((const char *)p, seq) != seq)
			return false;
		for (k = 0; k < seq; k++)
			out[(*n)++] = (char)p[k];
		return true;
	}
	return false;
}

void
image_initials(const char *first, const char *last, const char *username,
    char out[IMAGE_INITIALS_MAX])
{
	size_t n = 0;
	const char *u;

	memset(out, 0, IMAGE_INITIALS_MAX);
	if (add_initial(first, out, &n)) {
		(void)add_initial(last, out, &n);
		return;
	}
	if (!add_initial(username, out, &n))
		return;
	/* The second letter of the username, after the first one. */
	for (u = username; *u != '\0'; u++) {
		if ((unsigned char)*u >= 0x80 || (*u >= '0' && *u <= '9') ||
		    (*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z'))
			break;
	}
	if (*u != '\0') {
		if ((unsigned char)*u < 0x80)
			u++;
		else
			while ((unsigned char)*++u >= 0x80 &&
			    (unsigned char)*u < 0xc0)
				;
		(void)add_initial(u, out, &n);
	}
}
