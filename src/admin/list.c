/*
 * list: the one parser of list requests (spec §0.5) and the one handler
 * body that answers them. The parser checks every sort column and filter
 * against the endpoint's store_list_def and refuses the others with a
 * 400 that names the parameter; it turns filter values into JSON of the
 * column's type, which the store binds as one parameter. It does no I/O.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "http/http.h"
#include "admin/admin.h"

/* Scratch state of one parse. */
struct list_parse {
	const struct store_list_def *def;
	struct store_list_query *q;
	struct admin_field_error *err;
	struct wbuf *values;	/* per filter column: "v1,v2" JSON items */
	size_t n_values;
	bool seen_page, seen_limit, seen_sort, seen_dir, seen_search;
};

static int
refuse(struct list_parse *p, const char *field, const char *code,
    const char *message)
{
	p->err->field = field;
	p->err->code = code;
	p->err->message = message;
	return PERR_INVALID;
}

static int
take_page(struct list_parse *p, const char *v)
{
	int64_t n;

	if (p->seen_page || v[0] == '\0')
		return PERR_OK;
	p->seen_page = true;
	if (str_to_int64(v, 1, INT32_MAX, &n) != PERR_OK)
		return refuse(p, "pagination[page]", "invalid_value",
		    "must be a whole number of at least 1");
	p->q->page = n;
	return PERR_OK;
}

static int
take_limit(struct list_parse *p, const char *v)
{
	int64_t n;

	if (p->seen_limit || v[0] == '\0')
		return PERR_OK;
	p->seen_limit = true;
	if (str_to_int64(v, 1, STORE_LIST_LIMIT_MAX, &n) != PERR_OK)
		return refuse(p, "pagination[limit]", "invalid_value",
		    "must be a whole number from 1 to 100");
	p->q->limit = n;
	return PERR_OK;
}

static int
take_sort(struct list_parse *p, const char *v)
{
	size_t i;

	if (p->seen_sort || v[0] == '\0')
		return PERR_OK;
	p->seen_sort = true;
	for (i = 0; i < p->def->n_sort; i++)
		if (strcmp(p->def->sort[i].name, v) == 0) {
			p->q->sort = p->def->sort[i].name;
			return PERR_OK;
		}
	return refuse(p, "sort[column]", "invalid_value",
	    "is not a sortable column of this list");
}

static int
take_direction(struct list_parse *p, const char *v)
{
	if (p->seen_dir || v[0] == '\0')
		return PERR_OK;
	p->seen_dir = true;
	if (str_eq_ci(v, "asc"))
		p->q->desc = false;
	else if (str_eq_ci(v, "desc"))
		p->q->desc = true;
	else
		return refuse(p, "sort[direction]", "invalid_value",
		    "must be asc or desc");
	return PERR_OK;
}

static int
take_search(struct list_parse *p, const char *v)
{
	if (!p->def->has_search)
		return refuse(p, "search", "invalid_value",
		    "cannot be used on this list");
	if (p->seen_search || v[0] == '\0')
		return PERR_OK;
	p->seen_search = true;
	if (strlen(v) > ADMIN_LIST_SEARCH_MAX)
		return refuse(p, "search", "too_long",
		    "must be at most 255 bytes long");
	if ((p->q->search = str_dup(v)) == NULL)
		return PERR_NOMEM;
	return PERR_OK;
}

/* Appends v, converted to the column's type, to that column's values. */
static int
take_filter_value(struct list_parse *p, size_t col, const char *v)
{
	struct wbuf *w = &p->values[col];
	int64_t n;

	if (v[0] == '\0')
		return PERR_OK;
	if (++p->n_values > ADMIN_LIST_FILTER_VALUES_MAX)
		return refuse(p, "filters", "invalid_value",
		    "has more than 100 values");
	if (w->len > 0)
		wbuf_putc(w, ',');
	switch (p->def->filter[col].type) {
	case STORE_LIST_BOOL:
		if (str_eq_ci(v, "true"))
			wbuf_puts(w, "true");
		else if (str_eq_ci(v, "false"))
			wbuf_puts(w, "false");
		else
			return refuse(p, "filters", "invalid_value",
			    "must be true or false for this field");
		break;
	case STORE_LIST_INT:
		if (str_to_int64(v, INT64_MIN, INT64_MAX, &n) != PERR_OK)
			return refuse(p, "filters", "invalid_value",
			    "must be a whole number for this field");
		wbuf_printf(w, "%lld", (long long)n);
		break;
	case STORE_LIST_TEXT:
	default:
		if (strlen(v) > ADMIN_LIST_VALUE_MAX)
			return refuse(p, "filters", "too_long",
			    "values must be at most 255 bytes long");
		wbuf_put_json_string(w, v, strlen(v));
		break;
	}
	return wbuf_error(w);
}

/*
 * rest follows "filters[": "name]", "name][]" or "name][digits]". Finds
 * the column; anything else is refused.
 */
static int
take_filter(struct list_parse *p, const char *rest, const char *v)
{
	const char *close = strchr(rest, ']'), *tail;
	size_t len, i;

	if (close == NULL || close == rest)
		return refuse(p, "filters", "invalid_format",
		    "must look like filters[field] or filters[field][0]");
	len = (size_t)(close - rest);
	tail = close + 1;
	if (*tail != '\0') {
		if (*tail++ != '[')
			return refuse(p, "filters", "invalid_format",
			    "must look like filters[field] or "
			    "filters[field][0]");
		while (*tail >= '0' && *tail <= '9')
			tail++;
		if (strcmp(tail, "]") != 0)
			return refuse(p, "filters", "invalid_format",
			    "must look like filters[field] or "
			    "filters[field][0]");
	}
	for (i = 0; i < p->def->n_filter; i++)
		if (strlen(p->def->filter[i].name) == len &&
		    memcmp(p->def->filter[i].name, rest, len) == 0)
			return take_filter_value(p, i, v);
	return refuse(p, "filters", "invalid_value",
	    "names a field this list cannot be filtered by");
}

/* One decoded key=value pair. */
static int
take_pair(struct list_parse *p, const char *key, const char *v)
{
	if (strcmp(key, "search") == 0)
		return take_search(p, v);
	if (str_has_prefix(key, "pagination[")) {
		if (strcmp(key, "pagination[page]") == 0)
			return take_page(p, v);
		if (strcmp(key, "pagination[limit]") == 0)
			return take_limit(p, v);
		return refuse(p, "pagination", "invalid_value",
		    "only pagination[page] and pagination[limit] exist");
	}
	if (str_has_prefix(key, "sort[")) {
		if (strcmp(key, "sort[column]") == 0)
			return take_sort(p, v);
		if (strcmp(key, "sort[direction]") == 0)
			return take_direction(p, v);
		return refuse(p, "sort", "invalid_value",
		    "only sort[column] and sort[direction] exist");
	}
	if (str_has_prefix(key, "filters["))
		return take_filter(p, key + strlen("filters["), v);
	return PERR_OK;		/* the endpoint's own parameter */
}

/* Decodes one "key=value" (no '&') and hands it on. */
static int
take_raw_pair(struct list_parse *p, const uint8_t *s, size_t len)
{
	const uint8_t *eq = memchr(s, '=', len);
	size_t klen = eq != NULL ? (size_t)(eq - s) : len;
	char *key = NULL, *value = NULL;
	int rc = PERR_OK, derr = PERR_OK;

	if (klen == 0)
		return PERR_OK;
	if ((key = http_percent_decode((const char *)s, klen, true,
	    &derr)) == NULL)
		goto bad;
	value = eq != NULL ? http_percent_decode((const char *)eq + 1,
	    len - klen - 1, true, &derr) : str_dup("");
	if (value == NULL)
		goto bad;
	rc = take_pair(p, key, value);
	goto out;
bad:
	rc = derr == PERR_NOMEM || derr == PERR_OK ? PERR_NOMEM :
	    refuse(p, "query", "invalid_format",
	    "is not a valid percent-encoded query string");
out:
	free(key);
	free(value);
	return rc;
}

/* Walks the '&'-separated pairs of the query through a bounded reader. */
static int
walk_query(struct list_parse *p, const char *query)
{
	struct rbuf r;
	const uint8_t *start;
	size_t len = strlen(query), begin;
	uint8_t c = 0;
	int rc;

	rbuf_init(&r, query, len);
	while (rbuf_left(&r) > 0) {
		begin = r.off;
		while (rbuf_u8(&r, &c) == PERR_OK && c != '&')
			;
		len = r.off - begin - (c == '&' ? 1 : 0);
		start = (const uint8_t *)query + begin;
		if ((rc = take_raw_pair(p, start, len)) != PERR_OK)
			return rc;
	}
	return PERR_OK;
}

/* {"field": [values], ...} of the columns that have values, or NULL. */
static int
build_filters(struct list_parse *p)
{
	struct wbuf w;
	size_t i;
	bool any = false;

	wbuf_init(&w);
	wbuf_putc(&w, '{');
	for (i = 0; i < p->def->n_filter; i++) {
		if (p->values[i].len == 0)
			continue;
		if (any)
			wbuf_putc(&w, ',');
		any = true;
		wbuf_put_json_string(&w, p->def->filter[i].name,
		    strlen(p->def->filter[i].name));
		wbuf_putc(&w, ':');
		wbuf_putc(&w, '[');
		wbuf_put(&w, p->values[i].data, p->values[i].len);
		wbuf_putc(&w, ']');
	}
	wbuf_putc(&w, '}');
	if (wbuf_error(&w) != PERR_OK) {
		wbuf_free(&w);
		return PERR_NOMEM;
	}
	if (any)
		p->q->filters = wbuf_steal(&w, NULL);
	wbuf_free(&w);
	return PERR_OK;
}

int
admin_list_parse(const char *query, const struct store_list_def *def,
    struct store_list_query *out, struct admin_field_error *err)
{
	struct list_parse p;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	memset(&p, 0, sizeof(p));
	out->page = 1;
	out->limit = STORE_LIST_LIMIT_DEFAULT;
	out->desc = def->default_desc;
	p.def = def;
	p.q = out;
	p.err = err;
	if (query == NULL)
		query = "";
	if (strlen(query) > HTTP_QUERY_MAX)
		return PERR_TOO_LARGE;
	if (def->n_filter > 0 &&
	    (p.values = calloc(def->n_filter, sizeof(*p.values))) == NULL)
		return PERR_NOMEM;
	for (i = 0; i < def->n_filter; i++)
		wbuf_init(&p.values[i]);
	if ((rc = walk_query(&p, query)) == PERR_OK)
		rc = build_filters(&p);
	/* A column named without a direction sorts ascending. */
	if (rc == PERR_OK && out->sort != NULL && !p.seen_dir)
		out->desc = false;
	for (i = 0; i < def->n_filter; i++)
		wbuf_free(&p.values[i]);
	free(p.values);
	if (rc != PERR_OK)
		store_list_query_clear(out);
	return rc;
}

void
admin_list_respond(struct app_call *call, const struct store_list_def *def,
    const char *const *scope)
{
	struct store_list_query q;
	struct admin_field_error e;
	char *json = NULL;
	int rc;

	rc = admin_list_parse(call->req->query, def, &q, &e);
	if (rc == PERR_INVALID) {
		admin_invalid_field(call, e.field, e.code, e.message);
		return;
	}
	if (rc != PERR_OK) {
		admin_fail(call, rc);
		return;
	}
	rc = store_list_page(call->app->db, def, &q, scope, &json);
	if (rc != PERR_OK)
		admin_fail(call, rc);
	else
		http_response_json(call->res, 200, json);
	free(json);
	store_list_query_clear(&q);
}
