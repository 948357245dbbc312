/*
 * error: the text of each enum perr value. Messages are static and never
 * carry input; the HTTP edge decides what a caller sees.
 */
#include "common/common.h"

const char *
perr_str(int err)
{
	switch (err) {
	case PERR_OK: return "success";
	case PERR_NOMEM: return "out of memory";
	case PERR_INVALID: return "malformed input";
	case PERR_TOO_LARGE: return "input too large";
	case PERR_TRUNCATED: return "input truncated";
	case PERR_UNSUPPORTED: return "not supported";
	case PERR_VERIFY: return "verification failed";
	case PERR_EXPIRED: return "expired or not yet valid";
	case PERR_NOT_FOUND: return "not found";
	case PERR_CONFLICT: return "conflict";
	case PERR_CRYPTO: return "cryptographic library failure";
	case PERR_IO: return "input/output error";
	case PERR_DB_UNAVAILABLE: return "database unavailable";
	case PERR_DB: return "database error";
	case PERR_CONFIG: return "configuration error";
	case PERR_FORBIDDEN: return "forbidden";
	case PERR_INTERNAL: return "internal error";
	case PERR_WRONG_KEY: return "wrong key";
	}
	return "unknown error";
}
