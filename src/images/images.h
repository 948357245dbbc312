/*
 * images: application images, client logos and profile pictures (spec
 * §1.5, §1.7, §1.11, §5.5). Two layers in one folder:
 *  - sniff.c is pure: it tells an image's type from its first bytes,
 *    reads its pixel size from its header (so that nothing is decoded
 *    whose size is unreasonable), maps file-name extensions, and works
 *    out the initials of an avatar. It reads only through struct rbuf.
 *  - gd.c decodes and encodes with libgd: re-encoding raster uploads drops
 *    EXIF/XMP and every other metadata chunk, profile pictures become
 *    centre-cropped 300x300 PNGs, and initials avatars are drawn.
 *    The font is found at run time: DejaVu Sans Bold (Debian
 *    fonts-dejavu-core), else Liberation Sans Bold, drawn through
 *    FreeType (gdImageStringFT); when neither file exists, or libgd was
 *    built without FreeType, libgd's built-in "giant" bitmap font is drawn
 *    small and scaled up (ASCII only; other letters become '?').
 *  - handlers.c answers the HTTP routes; storage is src/store/files.c.
 */
#ifndef POCKETID_IMAGES_H
#define POCKETID_IMAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum image_type {
	IMAGE_NONE = 0,
	IMAGE_PNG,
	IMAGE_JPEG,
	IMAGE_GIF,
	IMAGE_WEBP,
	IMAGE_ICO,
	IMAGE_SVG,
	IMAGE_AVIF,
	IMAGE_HEIC,
};

/* Named limits. */
#define IMAGE_SIDE_MAX 8192u		/* pixels, either side */
#define IMAGE_PIXELS_MAX (4096u * 4096u)	/* decoded at most */
#define IMAGE_SVG_PROLOG_MAX 4096u	/* bytes before <svg */
#define IMAGE_PROFILE_SIDE 300		/* profile pictures, spec §1.5 */
#define IMAGE_INITIALS_MAX 16		/* bytes, two UTF-8 letters + NUL */

/* The type the bytes are, by magic number (SVG by a sniff of the text:
 * optional BOM, XML declaration, comments and DOCTYPE, then <svg). */
enum image_type image_sniff(const uint8_t *data, size_t len);

/*
 * The pixel size in the header of a PNG, JPEG, GIF or WebP. PERR_INVALID
 * when the header is malformed, PERR_TRUNCATED when it ends early,
 * PERR_UNSUPPORTED for other types.
 */
int image_dimensions(enum image_type type, const uint8_t *data, size_t len,
    uint32_t *width, uint32_t *height);

/*
 * The EXIF orientation (1..8, TIFF tag 0x0112 of IFD0 in the first APP1
 * "Exif" segment) of a JPEG; 1 when there is none or it is malformed.
 * Walks marker segments only up to the start of scan.
 */
int image_jpeg_orientation(const uint8_t *data, size_t len);

/* The type a file name's extension names (jpg, jpeg, png, gif, webp, ico,
 * svg, avif, heic; any case), IMAGE_NONE for anything else. */
enum image_type image_type_from_filename(const char *filename);
/* "png", "jpg", ...; and the media type. */
const char *image_type_ext(enum image_type type);
const char *image_type_mime(enum image_type type);

/*
 * The initials of an avatar: the first letters of the first and the last
 * name, else the first two of the username; ASCII upper-cased, ASCII
 * non-alphanumerics skipped, other UTF-8 letters kept. Writes a string
 * into out (IMAGE_INITIALS_MAX bytes); "" when nothing fits.
 */
void image_initials(const char *first, const char *last,
    const char *username, char out[IMAGE_INITIALS_MAX]);

/*
 * gd.c. Each returns a new buffer in *out (caller frees) of *out_len
 * bytes, or PERR_INVALID (not decodable, or larger than the limits),
 * PERR_UNSUPPORTED (type not re-encodable), PERR_NOMEM.
 */
/*
 * Drops metadata (spec §12): PNG, JPEG and WebP are re-encoded (*out is
 * the clean copy); a GIF is kept whole (animation) once its header reads;
 * ICO, SVG, AVIF and HEIC are kept as they are. *out NULL: keep the
 * input. PERR_INVALID (not a readable image of its type), PERR_NOMEM.
 */
int image_clean(enum image_type type, const uint8_t *data, size_t len,
    uint8_t **out, size_t *out_len);
/* Decodes a PNG, JPEG or WebP and encodes it again in the same format,
 * which leaves every metadata block (EXIF, XMP, text chunks) behind. */
int image_reencode(enum image_type type, const uint8_t *data, size_t len,
    uint8_t **out, size_t *out_len);
/* Decodes a PNG, JPEG, GIF or WebP, crops the centre square and scales
 * it to IMAGE_PROFILE_SIDE pixels, as a PNG; a JPEG's EXIF orientation
 * is applied, so the picture is upright. */
int image_profile_picture(enum image_type type, const uint8_t *data,
    size_t len, uint8_t **out, size_t *out_len);
/* A 300x300 PNG: initials (UTF-8) in dark grey on white. */
int image_initials_avatar(const char *initials, uint8_t **out,
    size_t *out_len);

/* Handlers (routes.c lists them). */
struct app_call;
void images_app_get(struct app_call *call);
void images_app_put(struct app_call *call);
void images_app_delete(struct app_call *call);
void images_client_logo_get(struct app_call *call);
void images_client_logo_put(struct app_call *call);
void images_client_logo_delete(struct app_call *call);
void images_profile_get(struct app_call *call);
void images_profile_put(struct app_call *call);
void images_profile_put_me(struct app_call *call);
void images_profile_delete(struct app_call *call);
void images_profile_delete_me(struct app_call *call);

/* ---- logo_url.c ------------------------------------------------------ */
struct cidr_list;

/* A client logo fetched from its URL, cleaned; bytes are owned. */
struct image_logo {
	enum image_type type;
	uint8_t *bytes;
	size_t len;
};
/*
 * Fetches url over HTTPS with the SSRF guard (blocked: extra ranges, e.g.
 * LOCAL_IPV6_RANGES; NULL ok), at most 2 MiB, and keeps it when its bytes
 * are an image. PERR_INVALID with *code the 422 code of spec §0.3
 * (logo_download_failed, logo_too_large, logo_type_not_supported) and
 * *why a sentence; PERR_NOMEM. Clear *out with image_logo_clear.
 */
int image_logo_fetch(const char *url, const struct cidr_list *blocked,
    struct image_logo *out, const char **code, const char **why);
void image_logo_clear(struct image_logo *l);

#endif
