/*
 * geo_db: places a public IP address with a GeoLite2-City database
 * (GEOLITE_DB_PATH, spec §4.1 and §8) for the audit log. Each worker
 * holds its own handle; before every lookup it looks at the file again
 * and reopens it when it changed (hot reload), so a new database dropped
 * in place is used without a restart. libmaxminddb reads the file; this
 * module only asks it for the English country and city names and checks
 * what comes back before it reaches the database.
 *
 * It must never stop a worker: a missing file means "no location", a
 * file libmaxminddb refuses is logged once per change of the file and
 * also means "no location". Addresses of the internal network never come
 * here (auth_ip_location names them). It downloads nothing.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include <maxminddb.h>

#include "common/common.h"
#include "admin/admin_config.h"

struct geo_db {
	char *path;
	bool is_open;
	MMDB_s mmdb;
	/* The file as last seen, opened or not; a change triggers reopening. */
	bool has_seen;
	struct stat seen;
};

static void
geo_db_close(struct geo_db *g)
{
	if (g->is_open)
		MMDB_close(&g->mmdb);
	g->is_open = false;
}

static bool
is_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Opens, reopens or closes the database to match the file now. */
static void
geo_db_refresh(struct geo_db *g)
{
	struct stat st;
	int rc;

	if (stat(g->path, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (g->is_open || !g->has_seen)
			log_info("GEOLITE_DB_PATH %s: no database, audit "
			    "events get no location", g->path);
		geo_db_close(g);
		g->has_seen = true;
		memset(&g->seen, 0, sizeof(g->seen));
		return;
	}
	if (g->has_seen && is_same_file(&st, &g->seen))
		return;
	geo_db_close(g);
	g->has_seen = true;
	g->seen = st;
	rc = MMDB_open(g->path, MMDB_MODE_MMAP, &g->mmdb);
	if (rc != MMDB_SUCCESS) {
		log_error("GEOLITE_DB_PATH %s: not a usable MaxMind database "
		    "(%s); audit events get no location", g->path,
		    MMDB_strerror(rc));
		return;
	}
	g->is_open = true;
	log_info("GEOLITE_DB_PATH %s: loaded %s", g->path,
	    g->mmdb.metadata.database_type != NULL ?
	    g->mmdb.metadata.database_type : "database");
}

int
geo_db_new(const char *path, struct geo_db **out)
{
	struct geo_db *g = NULL;

	*out = NULL;
	if (path == NULL || path[0] == '\0')
		return PERR_OK;
	if ((g = calloc(1, sizeof(*g))) == NULL ||
	    (g->path = str_dup(path)) == NULL) {
		free(g);
		return PERR_NOMEM;
	}
	geo_db_refresh(g);
	*out = g;
	return PERR_OK;
}

void
geo_db_free(struct geo_db *g)
{
	if (g == NULL)
		return;
	geo_db_close(g);
	free(g->path);
	free(g);
}

bool
geo_name_is_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > GEO_NAME_MAX || !str_is_utf8(s, len))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* The English name at path[0]/"names"/"en", or NULL. */
static char *
geo_name(MMDB_entry_s *entry, const char *what)
{
	MMDB_entry_data_s data;

	if (MMDB_get_value(entry, &data, what, "names", "en", NULL) !=
	    MMDB_SUCCESS || !data.has_data ||
	    data.type != MMDB_DATA_TYPE_UTF8_STRING ||
	    !geo_name_is_ok(data.utf8_string, data.data_size))
		return NULL;
	return str_ndup(data.utf8_string, data.data_size);
}

void
geo_db_lookup(struct geo_db *g, const char *ip, char **country, char **city)
{
	MMDB_lookup_result_s found;
	int gai_rc = 0, mmdb_rc = MMDB_SUCCESS;

	*country = NULL;
	*city = NULL;
	if (g == NULL || ip == NULL || ip[0] == '\0')
		return;
	geo_db_refresh(g);
	if (!g->is_open)
		return;
	found = MMDB_lookup_string(&g->mmdb, ip, &gai_rc, &mmdb_rc);
	if (gai_rc != 0 || mmdb_rc != MMDB_SUCCESS) {
		if (mmdb_rc != MMDB_SUCCESS)
			log_warn("GEOLITE_DB_PATH %s: lookup failed: %s",
			    g->path, MMDB_strerror(mmdb_rc));
		return;
	}
	if (!found.found_entry)
		return;
	*country = geo_name(&found.entry, "country");
	*city = geo_name(&found.entry, "city");
}
