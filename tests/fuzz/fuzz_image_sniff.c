/* libFuzzer target: sniffing, reading the header size and the JPEG EXIF
 * orientation of any bytes
 * must not crash or read outside them; a size read must be non-zero. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "images/images.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum image_type t = image_sniff(data, size);
	uint32_t w, h;
	int o;

	if (image_dimensions(t, data, size, &w, &h) == PERR_OK &&
	    (w == 0 || h == 0))
		abort();
	o = image_jpeg_orientation(data, size);
	if (o < 1 || o > 8)
		abort();
	return 0;
}
