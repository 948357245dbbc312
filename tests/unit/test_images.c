/* Unit tests for src/images: type sniffing, header dimensions (with
 * truncation at every offset), initials, and the libgd work: metadata
 * stripped, profile pictures 300x300, initials avatars. */
#include "config.h"	/* _GNU_SOURCE: memmem */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gd.h>

#include "common/common.h"
#include "images/images.h"

/* A PNG of w x h made with libgd (caller frees with gdFree). */
static uint8_t *
make_image(enum image_type type, int w, int h, int *size)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);
	void *out = NULL;

	assert_non_null(im);
	gdImageFilledRectangle(im, 0, 0, w / 2, h - 1,
	    gdTrueColor(200, 10, 10));
	if (type == IMAGE_PNG)
		out = gdImagePngPtr(im, size);
	else if (type == IMAGE_JPEG)
		out = gdImageJpegPtr(im, size, 80);
	else if (type == IMAGE_GIF)
		out = gdImageGifPtr(im, size);
	else if (type == IMAGE_WEBP)
		out = gdImageWebpPtr(im, size);
	gdImageDestroy(im);
	assert_non_null(out);
	return out;
}

static void
assert_png_size(const uint8_t *png, size_t len, uint32_t w, uint32_t h)
{
	uint32_t gw, gh;

	assert_int_equal(image_sniff(png, len), IMAGE_PNG);
	assert_int_equal(image_dimensions(IMAGE_PNG, png, len, &gw, &gh),
	    PERR_OK);
	assert_int_equal(gw, w);
	assert_int_equal(gh, h);
}

static void
test_sniff(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		enum image_type want;
	} cases[] = {
		{ "\x89PNG\r\n\x1a\n", 8, IMAGE_PNG },
		{ "\xff\xd8\xff\xe0", 4, IMAGE_JPEG },
		{ "GIF89a", 6, IMAGE_GIF },
		{ "RIFF\0\0\0\0WEBPVP8 ", 16, IMAGE_WEBP },
		{ "\0\0\1\0\1\0", 6, IMAGE_ICO },
		{ "\0\0\1\0\0\0", 6, IMAGE_NONE },
		{ "\0\0\0\x18" "ftypavif\0\0\0\0mif1miaf", 24, IMAGE_AVIF },
		{ "\0\0\0\x18" "ftypmif1\0\0\0\0mif1heic", 24, IMAGE_HEIC },
		{ "\0\0\0\x14" "ftypisom\0\0\0\0mp41", 20, IMAGE_NONE },
		/* Length 0: strlen. */
		{ "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", 0, IMAGE_SVG },
		{ "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- c -->\n"
		  "<!DOCTYPE svg>\n<svg>\n", 0, IMAGE_SVG },
		{ "<svgx>", 0, IMAGE_NONE },
		{ "<html><svg>", 0, IMAGE_NONE },
		{ "<!-- never closed <svg>", 0, IMAGE_NONE },
		{ "", 0, IMAGE_NONE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(image_sniff((const uint8_t *)cases[i].bytes,
		    cases[i].len != 0 ? cases[i].len :
		    strlen(cases[i].bytes)), cases[i].want);
}

static void
test_dimensions_truncated_everywhere(void **state)
{
	static const enum image_type types[] = { IMAGE_PNG, IMAGE_JPEG,
	    IMAGE_GIF, IMAGE_WEBP };
	uint32_t w, h;
	uint8_t *img, *copy;
	size_t i, n, header;
	int size;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		img = make_image(types[i], 37, 23, &size);
		assert_int_equal(image_dimensions(types[i], img, (size_t)size,
		    &w, &h), PERR_OK);
		assert_int_equal(w, 37);
		assert_int_equal(h, 23);
		/* Every prefix either fails or reads the same size. */
		header = 0;
		for (n = 0; n < (size_t)size; n++) {
			copy = malloc(n > 0 ? n : 1);
			assert_non_null(copy);
			memcpy(copy, img, n);
			if (image_dimensions(types[i], copy, n, &w, &h) ==
			    PERR_OK) {
				assert_int_equal(w, 37);
				assert_int_equal(h, 23);
				if (header == 0)
					header = n;
			} else {
				assert_int_equal(header, 0);
			}
			free(copy);
		}
		assert_true(header > 0);
		gdFree(img);
	}
}

static void
test_extensions(void **state)
{
	(void)state;
	assert_int_equal(image_type_from_filename("a.PNG"), IMAGE_PNG);
	assert_int_equal(image_type_from_filename("x.y.jpeg"), IMAGE_JPEG);
	assert_int_equal(image_type_from_filename("x.jpg"), IMAGE_JPEG);
	assert_int_equal(image_type_from_filename("x.svg"), IMAGE_SVG);
	assert_int_equal(image_type_from_filename("x.heic"), IMAGE_HEIC);
	assert_int_equal(image_type_from_filename("x.txt"), IMAGE_NONE);
	assert_int_equal(image_type_from_filename("png"), IMAGE_NONE);
	assert_int_equal(image_type_from_filename(NULL), IMAGE_NONE);
	assert_string_equal(image_type_mime(IMAGE_SVG), "image/svg+xml");
	assert_string_equal(image_type_ext(IMAGE_JPEG), "jpg");
}

static void
test_initials(void **state)
{
	char out[IMAGE_INITIALS_MAX];

	(void)state;
	image_initials("tim", "cook", "tim", out);
	assert_string_equal(out, "TC");
	image_initials("Tim", "", "tim", out);
	assert_string_equal(out, "T");
	image_initials("", "", "craig.f", out);
	assert_string_equal(out, "CR");
	image_initials(" (élodie", "Ünal", "x", out);
	assert_string_equal(out, "éÜ");
	image_initials("", "", "a", out);
	assert_string_equal(out, "A");
	image_initials("...", "", "", out);
	assert_string_equal(out, "");
}

/* Inserts a chunk or segment at off: metadata the re-encode must drop. */
static uint8_t *
insert(const uint8_t *img, size_t len, size_t off, const void *what,
    size_t n, size_t *out_len)
{
	uint8_t *out = malloc(len + n);

	assert_non_null(out);
	memcpy(out, img, off);
	memcpy(out + off, what, n);
	memcpy(out + off + n, img + off, len - off);
	*out_len = len + n;
	return out;
}

static void
test_reencode_strips_metadata(void **state)
{
	/* A tEXt chunk "GPS" = "here" with its CRC. */
	static const uint8_t text[] = { 0, 0, 0, 8, 't', 'E', 'X', 't',
	    'G', 'P', 'S', 0, 'h', 'e', 'r', 'e', 0xe6, 0xc2, 0x9d, 0xb2 };
	static const uint8_t exif[] = { 0xff, 0xe1, 0, 18, 'E', 'x', 'i',
	    'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 'G', 'P' };
	uint8_t *img, *dirty, *clean = NULL;
	size_t dlen, clen;
	int size;

	(void)state;
	img = make_image(IMAGE_JPEG, 40, 40, &size);
	dirty = insert(img, (size_t)size, 2, exif, sizeof(exif), &dlen);
	assert_non_null(memmem(dirty, dlen, "Exif", 4));
	assert_int_equal(image_reencode(IMAGE_JPEG, dirty, dlen, &clean,
	    &clen), PERR_OK);
	assert_int_equal(image_sniff(clean, clen), IMAGE_JPEG);
	assert_null(memmem(clean, clen, "Exif", 4));
	free(clean);
	free(dirty);
	gdFree(img);

	img = make_image(IMAGE_PNG, 40, 40, &size);
	dirty = insert(img, (size_t)size, 33, text, sizeof(text), &dlen);
	assert_non_null(memmem(dirty, dlen, "tEXt", 4));
	assert_int_equal(image_reencode(IMAGE_PNG, dirty, dlen, &clean,
	    &clen), PERR_OK);
	assert_null(memmem(clean, clen, "tEXt", 4));
	assert_png_size(clean, clen, 40, 40);
	free(clean);
	free(dirty);
	gdFree(img);
}

static void
test_refuses_bad_and_huge(void **state)
{
	/* A PNG header claiming 100000 x 100000 pixels. */
	static const uint8_t bomb[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
	    '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 1, 0x86, 0xa0, 0, 1,
	    0x86, 0xa0, 8, 6, 0, 0, 0, 0, 0, 0, 0 };
	uint8_t *out = NULL;
	size_t n;

	(void)state;
	assert_int_equal(image_profile_picture(IMAGE_PNG, bomb, sizeof(bomb),
	    &out, &n), PERR_INVALID);
	assert_int_equal(image_reencode(IMAGE_PNG, bomb, 20, &out, &n),
	    PERR_INVALID);
	assert_int_equal(image_reencode(IMAGE_SVG, (const uint8_t *)"<svg>",
	    5, &out, &n), PERR_UNSUPPORTED);
	assert_null(out);
}

static void
test_profile_picture_is_300_square(void **state)
{
	static const enum image_type types[] = { IMAGE_PNG, IMAGE_JPEG,
	    IMAGE_GIF, IMAGE_WEBP };
	uint8_t *img, *out;
	size_t i, n;
	int size;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		img = make_image(types[i], 640, 200, &size);
		assert_int_equal(image_profile_picture(types[i], img,
		    (size_t)size, &out, &n), PERR_OK);
		assert_png_size(out, n, 300, 300);
		free(out);
		gdFree(img);
	}
}

/* APP1 Exif with IFD0 holding one entry: orientation o. */
static uint8_t *
jpeg_with_orientation(bool big_endian, uint8_t o, size_t *len)
{
	uint8_t be[] = { 0xff, 0xe1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
	    'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1,
	    0, o, 0, 0, 0, 0, 0, 0 };
	uint8_t le[] = { 0xff, 0xe1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
	    'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
	    o, 0, 0, 0, 0, 0, 0, 0 };
	uint8_t *img, *out;
	int size;

	img = make_image(IMAGE_JPEG, 40, 20, &size);
	out = insert(img, (size_t)size, 2, big_endian ? be : le, sizeof(be),
	    len);
	gdFree(img);
	return out;
}

static void
test_jpeg_orientation(void **state)
{
	uint8_t *img, *copy;
	size_t len, n;
	int o;

	(void)state;
	img = jpeg_with_orientation(true, 6, &len);
	assert_int_equal(image_jpeg_orientation(img, len), 6);
	/* Truncated anywhere: 1 (none) or 6, never a crash. */
	for (n = 0; n < len; n++) {
		copy = malloc(n > 0 ? n : 1);
		assert_non_null(copy);
		memcpy(copy, img, n);
		o = image_jpeg_orientation(copy, n);
		assert_true(o == 1 || o == 6);
		if (n < 38)	/* SOI and the whole APP1 segment */
			assert_int_equal(o, 1);
		free(copy);
	}
	free(img);
	img = jpeg_with_orientation(false, 8, &len);
	assert_int_equal(image_jpeg_orientation(img, len), 8);
	free(img);
	img = jpeg_with_orientation(false, 9, &len);
	assert_int_equal(image_jpeg_orientation(img, len), 1);
	free(img);
}

/* The colour at (x, y) of a PNG. */
static int
png_pixel(const uint8_t *png, size_t len, int x, int y)
{
	gdImagePtr im = gdImageCreateFromPngPtr((int)len,
	    (void *)(uintptr_t)png);
	int c;

	assert_non_null(im);
	c = gdImageGetTrueColorPixel(im, x, y);
	gdImageDestroy(im);
	return c;
}

static bool
is_red(int c)
{
	return gdTrueColorGetRed(c) > 150 && gdTrueColorGetBlue(c) < 100;
}

static void
test_profile_picture_is_upright(void **state)
{
	uint8_t *img, *out;
	size_t len, n;

	(void)state;
	/* Unrotated: the red half is on the left. */
	img = jpeg_with_orientation(true, 1, &len);
	assert_int_equal(image_profile_picture(IMAGE_JPEG, img, len, &out,
	    &n), PERR_OK);
	assert_true(is_red(png_pixel(out, n, 10, 150)));
	assert_false(is_red(png_pixel(out, n, 290, 150)));
	free(out);
	free(img);
	/* Orientation 6 (turn 90 degrees clockwise): red on top. */
	img = jpeg_with_orientation(true, 6, &len);
	assert_int_equal(image_profile_picture(IMAGE_JPEG, img, len, &out,
	    &n), PERR_OK);
	assert_png_size(out, n, 300, 300);
	assert_true(is_red(png_pixel(out, n, 150, 10)));
	assert_false(is_red(png_pixel(out, n, 150, 290)));
	free(out);
	free(img);
}

static void
test_initials_avatar(void **state)
{
	uint8_t *out;
	size_t n;

	(void)state;
	assert_int_equal(image_initials_avatar("TC", &out, &n), PERR_OK);
	assert_png_size(out, n, 300, 300);
	free(out);
	assert_int_equal(image_initials_avatar("éÜ", &out, &n), PERR_OK);
	assert_png_size(out, n, 300, 300);
	free(out);
	assert_int_equal(image_initials_avatar("", &out, &n), PERR_OK);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_dimensions_truncated_everywhere),
		cmocka_unit_test(test_extensions),
		cmocka_unit_test(test_initials),
		cmocka_unit_test(test_reencode_strips_metadata),
		cmocka_unit_test(test_refuses_bad_and_huge),
		cmocka_unit_test(test_profile_picture_is_300_square),
		cmocka_unit_test(test_initials_avatar),
		cmocka_unit_test(test_jpeg_orientation),
		cmocka_unit_test(test_profile_picture_is_upright),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
