/*
 * gd: the only file that calls libgd. Decoding happens only after
 * sniff.c read the pixel size from the header and found it within
 * IMAGE_SIDE_MAX and IMAGE_PIXELS_MAX, so an upload cannot make a worker
 * allocate gigabytes. Encoders write fresh files, which is what strips
 * metadata: libgd keeps no EXIF, XMP or text chunk of its input.
 * The avatar font is looked up at run time (see images.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gd.h>
#include <gdfontg.h>

#include "common/common.h"
#include "images/images.h"

#define JPEG_QUALITY 90
#define WEBP_QUALITY 90

static const char *const avatar_fonts[] = {
	"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
	"/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
};

/* libgd reports decoding trouble on stderr by default; keep it quiet. */
static void
gd_quiet(int priority, const char *format, va_list args)
{
	(void)priority;
	(void)format;
	(void)args;
}

static void
gd_setup(void)
{
	gdSetErrorMethod(gd_quiet);
}

static int
check_size(enum image_type type, const uint8_t *data, size_t len)
{
	uint32_t w, h;

	if (len > INT32_MAX)
		return PERR_INVALID;
	if (image_dimensions(type, data, len, &w, &h) != PERR_OK)
		return PERR_INVALID;
	if (w > IMAGE_SIDE_MAX || h > IMAGE_SIDE_MAX ||
	    (uint64_t)w * h > IMAGE_PIXELS_MAX)
		return PERR_INVALID;
	return PERR_OK;
}

static int
decode(enum image_type type, const uint8_t *data, size_t len,
    gdImagePtr *out)
{
	void *p = (void *)(uintptr_t)data;	/* libgd does not write */
	int n = (int)len, rc;

	*out = NULL;
	gd_setup();
	if ((rc = check_size(type, data, len)) != PERR_OK)
		return rc;
	switch (type) {
	case IMAGE_PNG:
		*out = gdImageCreateFromPngPtr(n, p);
		break;
	case IMAGE_JPEG:
		*out = gdImageCreateFromJpegPtrEx(n, p, 1);
		break;
	case IMAGE_GIF:
		*out = gdImageCreateFromGifPtr(n, p);
		break;
	case IMAGE_WEBP:
		*out = gdImageCreateFromWebpPtr(n, p);
		break;
	default:
		return PERR_UNSUPPORTED;
	}
	return *out != NULL ? PERR_OK : PERR_INVALID;
}

/* Copies libgd's buffer into one the caller frees with free(). */
static int
take(void *gdbuf, int size, uint8_t **out, size_t *out_len)
{
	if (gdbuf == NULL || size <= 0) {
		gdFree(gdbuf);
		return PERR_NOMEM;
	}
	if ((*out = malloc((size_t)size)) == NULL) {
		gdFree(gdbuf);
		return PERR_NOMEM;
	}
	memcpy(*out, gdbuf, (size_t)size);
	*out_len = (size_t)size;
	gdFree(gdbuf);
	return PERR_OK;
}

static int
encode(enum image_type type, gdImagePtr im, uint8_t **out, size_t *out_len)
{
	void *buf = NULL;
	int size = 0;

	switch (type) {
	case IMAGE_PNG:
		gdImageSaveAlpha(im, 1);
		buf = gdImagePngPtrEx(im, &size, 9);
		break;
	case IMAGE_JPEG:
		buf = gdImageJpegPtr(im, &size, JPEG_QUALITY);
		break;
	case IMAGE_WEBP:
		gdImageSaveAlpha(im, 1);
		buf = gdImageWebpPtrEx(im, &size, WEBP_QUALITY);
		break;
	default:
		return PERR_UNSUPPORTED;
	}
	return take(buf, size, out, out_len);
}

int
image_reencode(enum image_type type, const uint8_t *data, size_t len,
    uint8_t **out, size_t *out_len)
{
	gdImagePtr im = NULL;
	int rc;

	*out = NULL;
	*out_len = 0;
	if (type != IMAGE_PNG && type != IMAGE_JPEG && type != IMAGE_WEBP)
		return PERR_UNSUPPORTED;
	if ((rc = decode(type, data, len, &im)) != PERR_OK)
		return rc;
	rc = encode(type, im, out, out_len);
	gdImageDestroy(im);
	return rc;
}

/*
 * Turns a square image upright by its EXIF orientation (CIPA DC-008
 * §4.6.4 tag 0x0112: how the stored pixels must be flipped or rotated for
 * display). On a square, cropping the centre commutes with these, so it
 * is applied after the crop. Returns the image to use (im or a new one
 * that replaced it); NULL when out of memory (im is freed then too).
 */
static gdImagePtr
orient_square(gdImagePtr im, int orientation)
{
	int n = gdImageSX(im), x, y, sx, sy;
	gdImagePtr out;

	if (orientation <= 1 || orientation > 8)
		return im;
	if ((out = gdImageCreateTrueColor(n, n)) == NULL) {
		gdImageDestroy(im);
		return NULL;
	}
	gdImageAlphaBlending(out, 0);
	for (y = 0; y < n; y++) {
		for (x = 0; x < n; x++) {
			switch (orientation) {
			case 2: sx = n - 1 - x; sy = y; break;
			case 3: sx = n - 1 - x; sy = n - 1 - y; break;
			case 4: sx = x; sy = n - 1 - y; break;
			case 5: sx = y; sy = x; break;
			case 6: sx = y; sy = n - 1 - x; break;
			case 7: sx = n - 1 - y; sy = n - 1 - x; break;
			default: sx = n - 1 - y; sy = x; break;
			}
			gdImageSetPixel(out, x, y,
			    gdImageGetTrueColorPixel(im, sx, sy));
		}
	}
	gdImageDestroy(im);
	return out;
}

int
image_profile_picture(enum image_type type, const uint8_t *data,
    size_t len, uint8_t **out, size_t *out_len)
{
	gdImagePtr im = NULL, dst = NULL;
	int rc, side, x, y;

	*out = NULL;
	*out_len = 0;
	if ((rc = decode(type, data, len, &im)) != PERR_OK)
		return rc;
	if ((dst = gdImageCreateTrueColor(IMAGE_PROFILE_SIDE,
	    IMAGE_PROFILE_SIDE)) == NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	/* Keep transparency: start transparent, copy without blending. */
	gdImageAlphaBlending(dst, 0);
	gdImageFilledRectangle(dst, 0, 0, IMAGE_PROFILE_SIDE - 1,
	    IMAGE_PROFILE_SIDE - 1, gdTrueColorAlpha(0, 0, 0,
	    gdAlphaTransparent));
	side = gdImageSX(im) < gdImageSY(im) ? gdImageSX(im) : gdImageSY(im);
	x = (gdImageSX(im) - side) / 2;
	y = (gdImageSY(im) - side) / 2;
	gdImageCopyResampled(dst, im, 0, 0, x, y, IMAGE_PROFILE_SIDE,
	    IMAGE_PROFILE_SIDE, side, side);
	if (type == IMAGE_JPEG && (dst = orient_square(dst,
	    image_jpeg_orientation(data, len))) == NULL) {
		rc = PERR_NOMEM;
		goto out;
	}
	gdImageSaveAlpha(dst, 1);
	rc = encode(IMAGE_PNG, dst, out, out_len);
out:
	if (dst != NULL)
		gdImageDestroy(dst);
	gdImageDestroy(im);
	return rc;
}

static const char *
find_font(void)
{
	size_t i;

	for (i = 0; i < sizeof(avatar_fonts) / sizeof(avatar_fonts[0]); i++)
		if (access(avatar_fonts[i], R_OK) == 0)
			return avatar_fonts[i];
	return NULL;
}

/* Centres initials with FreeType; false when that is not possible. */
static bool
draw_ttf(gdImagePtr im, int color, const char *initials)
{
	const char *font = find_font();
	char *text = (char *)(uintptr_t)initials;	/* not written */
	char *fontpath = (char *)(uintptr_t)font;
	double size = 110.0;
	int box[8];

	/* Measure first (NULL image), then draw the box centred. */
	if (font == NULL || gdImageStringFT(NULL, box, color, fontpath, size,
	    0.0, 0, 0, text) != NULL)
		return false;
	return gdImageStringFT(im, box, color, fontpath, size, 0.0,
	    (IMAGE_PROFILE_SIDE - (box[2] - box[0])) / 2 - box[0],
	    (IMAGE_PROFILE_SIDE - (box[1] - box[5])) / 2 - box[5],
	    text) == NULL;
}

/* The built-in bitmap font, drawn on a small canvas and scaled up. */
static int
draw_bitmap(gdImagePtr im, const char *initials)
{
	gdFontPtr font = gdFontGetGiant();
	unsigned char text[IMAGE_INITIALS_MAX];
	gdImagePtr small;
	size_t i, n = 0;
	int w, h, scale;

	for (i = 0; initials[i] != '\0' && n < 2; i++) {
		unsigned char c = (unsigned char)initials[i];

		if (c >= 0x80 && c < 0xc0)
			continue;	/* continuation byte */
		text[n++] = c < 0x80 ? c : '?';
	}
	text[n] = '\0';
	w = font->w * (int)(n > 0 ? n : 1);
	h = font->h;
	if ((small = gdImageCreateTrueColor(w + 4, h + 4)) == NULL)
		return PERR_NOMEM;
	gdImageFilledRectangle(small, 0, 0, w + 3, h + 3,
	    gdImageColorResolve(small, 255, 255, 255));
	gdImageString(small, font, 2, 2, text,
	    gdImageColorResolve(small, 64, 64, 64));
	scale = (IMAGE_PROFILE_SIDE / 2) / (h + 4);
	if (scale < 1)
		scale = 1;
	gdImageCopyResampled(im, small,
	    (IMAGE_PROFILE_SIDE - (w + 4) * scale) / 2,
	    (IMAGE_PROFILE_SIDE - (h + 4) * scale) / 2, 0, 0,
	    (w + 4) * scale, (h + 4) * scale, w + 4, h + 4);
	gdImageDestroy(small);
	return PERR_OK;
}

int
image_initials_avatar(const char *initials, uint8_t **out, size_t *out_len)
{
	gdImagePtr im;
	int bg, fg, rc = PERR_OK;

	*out = NULL;
	*out_len = 0;
	gd_setup();
	if ((im = gdImageCreateTrueColor(IMAGE_PROFILE_SIDE,
	    IMAGE_PROFILE_SIDE)) == NULL)
		return PERR_NOMEM;
	bg = gdImageColorResolve(im, 255, 255, 255);
	fg = gdImageColorResolve(im, 64, 64, 64);
	gdImageFilledRectangle(im, 0, 0, IMAGE_PROFILE_SIDE - 1,
	    IMAGE_PROFILE_SIDE - 1, bg);
	if (initials[0] != '\0' && !draw_ttf(im, fg, initials))
		rc = draw_bitmap(im, initials);
	if (rc == PERR_OK)
		rc = encode(IMAGE_PNG, im, out, out_len);
	gdImageDestroy(im);
	return rc;
}

int
image_clean(enum image_type type, const uint8_t *data, size_t len,
    uint8_t **out, size_t *out_len)
{
	uint32_t w, h;
	int rc;

	*out = NULL;
	*out_len = 0;
	if (type == IMAGE_GIF)
		return image_dimensions(type, data, len, &w, &h) == PERR_OK ?
		    PERR_OK : PERR_INVALID;
	rc = image_reencode(type, data, len, out, out_len);
	if (rc == PERR_UNSUPPORTED)
		return PERR_OK;
	return rc == PERR_NOMEM ? rc : rc == PERR_OK ? PERR_OK : PERR_INVALID;
}
