/*
 * handlers: the image routes (spec §1.5 profile pictures, §1.7 client
 * logos, §1.11 application images). An upload is read from the form
 * field "file" (src/http/multipart.c), checked (size, extension, bytes),
 * cleaned (sniff.c, gd.c) and stored (src/store/files.c). SVG is served
 * with a CSP that forbids script, so an uploaded SVG cannot run any.
 *
 * Not done here: bundled default images (favicon, background, email
 * logo: GET answers 404 until an admin uploads one), the ".deleted"
 * markers that go with them, downloading logoUrl/darkLogoUrl, and S3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "http/http.h"
#include "auth/auth.h"
#include "admin/admin.h"
#include "store/store.h"
#include "oidc/oidc_client.h"
#include "images/images.h"

#define CACHE_APP_IMAGE "public, max-age=900, stale-while-revalidate=86400"
#define CACHE_CLIENT_LOGO "public, max-age=900, stale-while-revalidate=43200"
#define CACHE_PROFILE "public, max-age=900, stale-while-revalidate=3600"
#define SVG_CSP "default-src 'none'; style-src 'unsafe-inline'; sandbox"
#define PATH_MAX_LEN 256

#define T(x) (1u << (x))
#define ANY_IMAGE (T(IMAGE_PNG) | T(IMAGE_JPEG) | T(IMAGE_GIF) | \
	T(IMAGE_WEBP) | T(IMAGE_ICO) | T(IMAGE_SVG) | T(IMAGE_AVIF) | \
	T(IMAGE_HEIC))
#define RASTER (T(IMAGE_PNG) | T(IMAGE_JPEG) | T(IMAGE_GIF) | T(IMAGE_WEBP))

/* The application images (spec §1.11, storage names of §5.5). */
static const struct app_image {
	const char *route;
	const char *light;	/* storage name */
	const char *dark;	/* with ?light=false, or NULL */
	unsigned allowed;	/* image types by extension */
	const char *wrong_type;	/* the 415 message */
	bool deletable;
	bool as_profile;	/* stored as a 300x300 PNG */
} app_images[] = {
	{ "logo", "logoLight", "logoDark", ANY_IMAGE,
	  "File type not supported", true, false },
	{ "email", "logoEmail", NULL, T(IMAGE_PNG) | T(IMAGE_JPEG),
	  "File must be of type PNG or JPEG", false, false },
	{ "background", "background", NULL, ANY_IMAGE,
	  "File type not supported", true, false },
	{ "favicon", "favicon", NULL, T(IMAGE_SVG) | T(IMAGE_PNG) |
	  T(IMAGE_ICO), "File must be of type SVG, PNG or ICO", false, false },
	{ "default-profile-picture", "default-profile-picture", NULL, RASTER,
	  "File must be of type PNG, JPEG, GIF or WebP", true, true },
};

/* A checked upload: the part, its type, and its cleaned bytes. */
struct upload {
	struct http_multipart_part part;
	enum image_type type;
	uint8_t *clean;		/* owned */
	size_t clean_len;
	const uint8_t *bytes;	/* clean or part.data */
	size_t len;
};

static void
upload_clear(struct upload *up)
{
	http_multipart_part_clear(&up->part);
	free(up->clean);
	memset(up, 0, sizeof(*up));
}

static void
invalid_image(struct app_call *call)
{
	http_response_error(call->res, call->req, 400, "invalid_image",
	    "The file is not a valid image");
}

static void
image_not_found(struct app_call *call)
{
	http_response_error(call->res, call->req, 404, "image_not_found",
	    "Image not found");
}

/* Reads the form's "file" and checks size, extension and bytes. */
static bool
upload_read(struct app_call *call, unsigned allowed, const char *wrong_type,
    struct upload *up)
{
	const char *why = NULL;
	int rc;

	memset(up, 0, sizeof(*up));
	rc = http_request_multipart(call->req, "file", &up->part, &why);
	if (rc == PERR_NOT_FOUND) {
		admin_invalid_field(call, "file", "required",
		    "File is required");
		return false;
	}
	if (rc != PERR_OK) {
		http_response_error(call->res, call->req, 400,
		    "invalid_request_body", why != NULL ? why :
		    "The form is malformed");
		return false;
	}
	if (up->part.len > HTTP_UPLOAD_FILE_MAX) {
		admin_error(call, 413, "file_too_large",
		    "The file can't be larger than 2 MiB", "max_size", "2MiB");
		return false;
	}
	up->type = image_type_from_filename(up->part.filename);
	if (up->type == IMAGE_NONE || (T(up->type) & allowed) == 0) {
		http_response_error(call->res, call->req, 415,
		    "file_type_not_supported", wrong_type);
		return false;
	}
	/* The bytes must be what the name says. */
	if (image_sniff(up->part.data, up->part.len) != up->type) {
		invalid_image(call);
		return false;
	}
	up->bytes = up->part.data;
	up->len = up->part.len;
	return true;
}

/* Drops metadata from an upload (image_clean); false: answered. */
static bool
upload_clean(struct app_call *call, struct upload *up)
{
	int rc = image_clean(up->type, up->bytes, up->len, &up->clean,
	    &up->clean_len);

	if (rc != PERR_OK) {
		if (rc == PERR_NOMEM)
			http_response_perr(call->res, call->req, rc, NULL);
		else
			invalid_image(call);
		return false;
	}
	if (up->clean != NULL) {
		up->bytes = up->clean;
		up->len = up->clean_len;
	}
	return true;
}

/* Makes a profile picture of the upload (spec §1.5). */
static bool
upload_profile(struct app_call *call, struct upload *up)
{
	int rc;

	rc = image_profile_picture(up->type, up->part.data, up->part.len,
	    &up->clean, &up->clean_len);
	if (rc != PERR_OK) {
		if (rc == PERR_NOMEM)
			http_response_perr(call->res, call->req, rc, NULL);
		else
			invalid_image(call);
		return false;
	}
	up->type = IMAGE_PNG;
	up->bytes = up->clean;
	up->len = up->clean_len;
	return true;
}

static void
send_file(struct app_call *call, const struct store_file *f,
    const char *cache)
{
	if (cache != NULL)
		http_response_header(call->res, "Cache-Control", cache);
	if (strcmp(f->content_type, "image/svg+xml") == 0)
		http_response_header(call->res, "Content-Security-Policy",
		    SVG_CSP);
	http_response_bytes(call->res, 200, f->content_type, f->data, f->len);
}

/* The answer to a store call whose only expected failure is absence. */
static void
answer_rc(struct app_call *call, int rc, void (*not_found)(struct app_call *))
{
	if (rc == PERR_OK)
		http_response_no_content(call->res, 204);
	else if (rc == PERR_NOT_FOUND)
		not_found(call);
	else
		http_response_perr(call->res, call->req, rc, NULL);
}

/* ?light=: absent or "true" means the light image, as in Pocket ID. */
static bool
is_light(struct app_call *call)
{
	char *v = http_query_get(call->req, "light", &(int){ 0 });
	bool light = v == NULL || strcmp(v, "true") == 0;

	free(v);
	return light;
}

/* ---- application images ---------------------------------------------- */

static const struct app_image *
app_image_find(struct app_call *call)
{
	const char *name = http_route_param(call->req, "name");
	size_t i;

	/* The admin-only GET row of routes.c names the image literally. */
	if (name == NULL && call->req->path != NULL &&
	    (name = strrchr(call->req->path, '/')) != NULL)
		name++;

	for (i = 0; name != NULL && i < sizeof(app_images) /
	    sizeof(app_images[0]); i++)
		if (strcmp(app_images[i].route, name) == 0)
			return &app_images[i];
	http_response_error(call->res, call->req, 404, "not_found",
	    "API endpoint not found");
	return NULL;
}

/* "application-images/<name>." for the image and ?light=. */
static void
app_image_prefix(struct app_call *call, const struct app_image *img,
    char out[PATH_MAX_LEN])
{
	const char *name = img->dark != NULL && !is_light(call) ? img->dark :
	    img->light;

	snprintf(out, PATH_MAX_LEN, "application-images/%s.", name);
}

void
images_app_get(struct app_call *call)
{
	const struct app_image *img = app_image_find(call);
	struct store_file f;
	char prefix[PATH_MAX_LEN];
	int rc;

	if (img == NULL)
		return;
	app_image_prefix(call, img, prefix);
	rc = store_file_get_prefix(call->app->db, prefix, &f);
	if (rc == PERR_OK)
		send_file(call, &f, CACHE_APP_IMAGE);
	else
		answer_rc(call, rc, image_not_found);
	store_file_clear(&f);
}

void
images_app_put(struct app_call *call)
{
	const struct app_image *img = app_image_find(call);
	struct upload up;
	char prefix[PATH_MAX_LEN], path[PATH_MAX_LEN];
	int rc;

	if (img == NULL)
		return;
	if (!upload_read(call, img->allowed, img->wrong_type, &up))
		goto out;
	if (!(img->as_profile ? upload_profile(call, &up) :
	    upload_clean(call, &up)))
		goto out;
	app_image_prefix(call, img, prefix);
	snprintf(path, sizeof(path), "%s%s", prefix, image_type_ext(up.type));
	rc = store_file_put_prefix(call->app->db, prefix, path, up.bytes,
	    up.len, image_type_mime(up.type));
	answer_rc(call, rc, image_not_found);
out:
	upload_clear(&up);
}

void
images_app_delete(struct app_call *call)
{
	const struct app_image *img = app_image_find(call);
	char prefix[PATH_MAX_LEN];

	if (img == NULL)
		return;
	if (!img->deletable) {
		http_response_error(call->res, call->req, 404, "not_found",
		    "API endpoint not found");
		return;
	}
	app_image_prefix(call, img, prefix);
	answer_rc(call, store_file_delete_prefix(call->app->db, prefix),
	    image_not_found);
}

/* ---- client logos ---------------------------------------------------- */

void
images_client_logo_get(struct app_call *call)
{
	char *id = oidc_client_id_param(call, "id");
	struct store_file f;
	bool light = is_light(call);
	int rc;

	memset(&f, 0, sizeof(f));
	if (id == NULL) {
		image_not_found(call);
		return;
	}
	/* A dark logo that is absent falls back to the light one. */
	rc = store_file_client_logo_get(call->app->db, id, !light, &f);
	if (rc == PERR_NOT_FOUND && !light)
		rc = store_file_client_logo_get(call->app->db, id, false, &f);
	if (rc == PERR_OK)
		send_file(call, &f, CACHE_CLIENT_LOGO);
	else
		answer_rc(call, rc, image_not_found);
	store_file_clear(&f);
	free(id);
}

void
images_client_logo_put(struct app_call *call)
{
	char *id = oidc_client_id_param(call, "id");
	struct upload up;
	int rc;

	memset(&up, 0, sizeof(up));
	if (id == NULL) {
		oidc_client_not_found(call);
		return;
	}
	if (!upload_read(call, ANY_IMAGE, "File type not supported", &up) ||
	    !upload_clean(call, &up))
		goto out;
	rc = store_file_client_logo_put(call->app->db, id, !is_light(call),
	    image_type_ext(up.type), up.bytes, up.len,
	    image_type_mime(up.type));
	answer_rc(call, rc, oidc_client_not_found);
out:
	upload_clear(&up);
	free(id);
}

void
images_client_logo_delete(struct app_call *call)
{
	char *id = oidc_client_id_param(call, "id");

	if (id == NULL) {
		image_not_found(call);
		return;
	}
	answer_rc(call, store_file_client_logo_delete(call->app->db, id,
	    !is_light(call)), image_not_found);
	free(id);
}

/* ---- profile pictures ------------------------------------------------ */

static void
profile_path(const char *user_id, char out[PATH_MAX_LEN])
{
	snprintf(out, PATH_MAX_LEN, "profile-pictures/%s.png", user_id);
}

/* The initials avatar of a user, from storage or drawn and cached. */
static int
initials_picture(struct app_call *call, const char *first,
    const char *last, const char *username, struct store_file *out)
{
	char initials[IMAGE_INITIALS_MAX], path[PATH_MAX_LEN];
	uint8_t *png = NULL;
	size_t len = 0;
	int rc;

	image_initials(first, last, username, initials);
	snprintf(path, sizeof(path), "profile-pictures/defaults/%s.png",
	    initials[0] != '\0' ? initials : "_");
	rc = store_file_get(call->app->db, path, out);
	if (rc != PERR_NOT_FOUND)
		return rc;
	if ((rc = image_initials_avatar(initials, &png, &len)) != PERR_OK)
		return rc;
	/* A failed cache write costs a redraw next time, nothing more. */
	if (store_file_put(call->app->db, path, png, len, "image/png") !=
	    PERR_OK)
		log_warn("images: could not cache an initials picture");
	out->data = png;
	out->len = len;
	if ((out->content_type = str_dup("image/png")) == NULL) {
		store_file_clear(out);
		return PERR_NOMEM;
	}
	return PERR_OK;
}

void
images_profile_get(struct app_call *call)
{
	const char *id = http_route_param(call->req, "id");
	char *first = NULL, *last = NULL, *username = NULL;
	char path[PATH_MAX_LEN], *skip;
	struct store_file f;
	int rc;

	memset(&f, 0, sizeof(f));
	if (id == NULL || !str_is_uuid(id)) {
		admin_invalid_field(call, "userId", "invalid_format",
		    "Invalid user ID");
		return;
	}
	rc = store_file_user_names(call->app->db, id, &first, &last,
	    &username);
	if (rc == PERR_NOT_FOUND) {
		admin_user_not_found(call);
		goto out;
	}
	profile_path(id, path);
	if (rc == PERR_OK)
		rc = store_file_get(call->app->db, path, &f);
	if (rc == PERR_NOT_FOUND)
		rc = store_file_get_prefix(call->app->db,
		    "application-images/default-profile-picture.", &f);
	if (rc == PERR_NOT_FOUND)
		rc = initials_picture(call, first, last, username, &f);
	if (rc != PERR_OK) {
		http_response_perr(call->res, call->req, rc, NULL);
		goto out;
	}
	skip = http_query_get(call->req, "skipCache", &(int){ 0 });
	send_file(call, &f, skip == NULL ? CACHE_PROFILE : NULL);
	free(skip);
out:
	store_file_clear(&f);
	free(first);
	free(last);
	free(username);
}

static void
profile_put(struct app_call *call, const char *user_id)
{
	struct upload up;

	if (!upload_read(call, ANY_IMAGE, "File type not supported", &up) ||
	    !upload_profile(call, &up))
		goto out;
	answer_rc(call, store_file_put_user_picture(call->app->db, user_id,
	    up.bytes, up.len), admin_user_not_found);
out:
	upload_clear(&up);
}

static void
profile_delete(struct app_call *call, const char *user_id)
{
	char *first = NULL, *last = NULL, *username = NULL;
	char path[PATH_MAX_LEN];
	int rc;

	rc = store_file_user_names(call->app->db, user_id, &first, &last,
	    &username);
	if (rc == PERR_OK) {
		profile_path(user_id, path);
		rc = store_file_delete(call->app->db, path);
		if (rc == PERR_NOT_FOUND)
			rc = PERR_OK;	/* already the default */
	}
	answer_rc(call, rc, admin_user_not_found);
	free(first);
	free(last);
	free(username);
}

static const char *
path_user_id(struct app_call *call)
{
	const char *id = http_route_param(call->req, "id");

	if (id == NULL || !str_is_uuid(id)) {
		admin_invalid_field(call, "userId", "invalid_format",
		    "Invalid user ID");
		return NULL;
	}
	return id;
}

void
images_profile_put(struct app_call *call)
{
	const char *id = path_user_id(call);

	if (id != NULL)
		profile_put(call, id);
}

void
images_profile_put_me(struct app_call *call)
{
	profile_put(call, call->caller.user_id);
}

void
images_profile_delete(struct app_call *call)
{
	const char *id = path_user_id(call);

	if (id != NULL)
		profile_delete(call, id);
}

void
images_profile_delete_me(struct app_call *call)
{
	profile_delete(call, call->caller.user_id);
}
