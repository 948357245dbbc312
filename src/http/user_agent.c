/*
 * user_agent: the "device" a User-Agent names, "<browser> on <OS> <OS
 * version>" (spec §0.6), as the audit log and the session list show it,
 * derived at read time as Pocket ID does. Pure, and a parser of untrusted
 * bytes: it reads through a bounded cursor, looks at HTTP_UA_MAX bytes at
 * most, keeps HTTP_UA_TOKENS_MAX pieces at most and never fails on input.
 *
 * A User-Agent is a list of products ("Name/version") and comments in
 * parentheses whose parts are separated by ';' ("Windows NT 10.0",
 * "Intel Mac OS X 10_15_7"). We cut it into (key, value) tokens, then
 * pick the operating system and the browser by the tokens present, with
 * the precedence browsers force on us: every Chromium browser also says
 * "Chrome" and "Safari", Edge says "Edg", Opera "OPR", Chrome on iOS
 * "CriOS". The names are those Pocket ID's parser gives, so both show the
 * same strings for the same agent.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "http/http.h"

struct ua_token {
	const char *key;	/* points into the User-Agent */
	size_t key_len;
	const char *val;
	size_t val_len;
};

struct ua {
	struct ua_token t[HTTP_UA_TOKENS_MAX];
	size_t n;
};

/* Where a token being read starts and where its value starts. */
struct ua_cut {
	const char *base;
	size_t start;		/* offset of the token's first byte */
	size_t slash;		/* offset of its '/', or 0 when none */
	bool in_value;
	bool is_url;
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

static bool
is_key(const struct ua_token *t, const char *key)
{
	return t->key_len == strlen(key) &&
	    memcmp(t->key, key, t->key_len) == 0;
}

/* Tokens that carry nothing (Pocket ID's parser drops the same ones). */
static bool
is_ignored(const struct ua_token *t)
{
	static const char *const ignored[] = { "KHTML, like Gecko", "U",
		"compatible", "Mozilla", "WOW64", "en", "en-us", "en-gb",
		"ru-ru" };
	size_t i;

	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (is_key(t, ignored[i]))
			return true;
	return false;
}

/*
 * Comment parts such as "Windows NT 10.0" or "Android 14" carry their
 * version after the last blank; "CrOS x86_64 14541.0.0" after the second.
 */
static void
split_version(struct ua_token *t)
{
	static const char *const named[] = { "Linux", "Windows NT",
		"Windows Phone OS", "MSIE", "Android" };
	size_t i, blank = t->key_len;

	while (blank > 0 && t->key[blank - 1] != ' ')
		blank--;
	if (blank == 0)
		return;
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (blank - 1 == strlen(named[i]) &&
		    memcmp(t->key, named[i], blank - 1) == 0) {
			t->val = t->key + blank;
			t->val_len = t->key_len - blank;
			t->key_len = blank - 1;
			return;
		}
	/* "CrOS x86_64 14541.0.0": Pocket ID shows the architecture. */
	if (blank > 6 && memcmp(t->key, "CrOS ", 5) == 0 &&
	    memchr(t->key + 5, ' ', blank - 6) == NULL) {
		t->val = t->key + 5;
		t->val_len = blank - 6;
		t->key_len = 4;
	}
}

/* Ends the token that runs from cut->start to end (exclusive). */
static void
token_end(struct ua *ua, struct ua_cut *cut, size_t end)
{
	struct ua_token t = { 0 };

	if (end > cut->start && ua->n < HTTP_UA_TOKENS_MAX) {
		t.key = cut->base + cut->start;
		t.key_len = (cut->in_value ? cut->slash : end) - cut->start;
		if (cut->in_value) {
			t.val = cut->base + cut->slash + 1;
			t.val_len = end - cut->slash - 1;
		}
		trim(&t.key, &t.key_len);
		trim(&t.val, &t.val_len);
		if (t.key_len > 0 && !is_ignored(&t)) {
			if (!cut->in_value)
				split_version(&t);
			ua->t[ua->n++] = t;
		}
	}
	cut->start = end + 1;
	cut->slash = 0;
	cut->in_value = false;
	cut->is_url = false;
}

/* "http:" or "https:" just before offset at, within the token. */
static bool
ends_with_scheme(const struct ua_cut *cut, size_t at)
{
	size_t n = at - cut->start;
	const char *s = cut->base + cut->start;

	return (n >= 5 && memcmp(s + n - 5, "http:", 5) == 0) ||
	    (n >= 6 && memcmp(s + n - 6, "https:", 6) == 0);
}

static void
tokenize(struct ua *ua, const char *text, size_t len)
{
	struct ua_cut cut = { text, 0, 0, false, false };
	bool in_comment = false;
	struct rbuf r;
	uint8_t c, next;
	size_t at;

	rbuf_init(&r, text, len);
	while (rbuf_u8(&r, &c) == PERR_OK) {
		at = r.off - 1;
		if (c == '(' || c == '[')
			in_comment = true;
		else if (c == ')' || c == ']')
			in_comment = false;
		if (c == '(' || c == ')' || c == '[' || c == ']' ||
		    (c == ';' && in_comment) || (c == ' ' && cut.in_value))
			token_end(ua, &cut, at);
		else if (c == '/' && !cut.in_value && !cut.is_url) {
			next = at + 1 < len ? (uint8_t)text[at + 1] : 0;
			if (next == '/' && ends_with_scheme(&cut, at))
				cut.is_url = true;
			else {
				cut.in_value = true;
				cut.slash = at;
			}
		}
	}
	token_end(ua, &cut, len);
}

static const struct ua_token *
find(const struct ua *ua, const char *key)
{
	size_t i;

	for (i = 0; i < ua->n; i++)
		if (is_key(&ua->t[i], key))
			return &ua->t[i];
	return NULL;
}

/* The token key with a non-empty value, as "Firefox/121.0" has. */
static bool
has_version(const struct ua *ua, const char *key)
{
	const struct ua_token *t = find(ua, key);

	return t != NULL && t->val_len > 0;
}

/* A piece of the answer: a slice of the User-Agent or a static name. */
struct piece {
	const char *s;
	size_t n;
	bool underscores_are_dots;	/* macOS and iOS versions */
};

static void
piece_static(struct piece *p, const char *s)
{
	p->s = s;
	p->n = strlen(s);
	p->underscores_are_dots = false;
}

static bool
is_version_char(char c)
{
	return (c >= '0' && c <= '9') || c == '.' || c == '_';
}

/* The first run of digits, dots and underscores in s. */
static bool
first_version(const char *s, size_t n, struct piece *out)
{
	size_t i = 0, j;

	while (i < n && !is_version_char(s[i]))
		i++;
	if (i == n)
		return false;
	for (j = i; j < n && is_version_char(s[j]); j++)
		;
	out->s = s + i;
	out->n = j - i;
	out->underscores_are_dots = true;
	return true;
}

static bool
has_os_word(const struct ua_token *t)
{
	size_t i;

	for (i = 0; i + 1 < t->key_len; i++)
		if (t->key[i] == 'O' && t->key[i + 1] == 'S')
			return true;
	return false;
}

/* Apple platforms: "CPU iPhone OS 17_1 like Mac OS X" -> 17.1. */
static void
apple_version(const struct ua *ua, struct piece *out)
{
	const struct ua_token *t;
	size_t i;

	for (i = 0; i < ua->n; i++) {
		t = &ua->t[i];
		if (!has_os_word(t))
			continue;
		if (first_version(t->val, t->val_len, out) ||
		    first_version(t->key, t->key_len, out))
			return;
	}
}

static void
value_of(const struct ua *ua, const char *key, struct piece *out)
{
	const struct ua_token *t = find(ua, key);

	if (t != NULL) {
		out->s = t->val;
		out->n = t->val_len;
	}
}

static void
detect_os(const struct ua *ua, struct piece *os, struct piece *version)
{
	static const struct {
		const char *token, *os;
		bool apple;
	} oses[] = {
		{ "Android", "Android", false },
		{ "iPhone", "iOS", true },
		{ "iPad", "iOS", true },
		{ "Windows NT", "Windows", false },
		{ "Windows Phone OS", "Windows Phone", false },
		{ "Macintosh", "macOS", true },
		{ "Linux", "Linux", false },
		{ "CrOS", "ChromeOS", false },
	};
	size_t i;

	for (i = 0; i < sizeof(oses) / sizeof(oses[0]); i++) {
		if (find(ua, oses[i].token) == NULL)
			continue;
		piece_static(os, oses[i].os);
		if (oses[i].apple)
			apple_version(ua, version);
		else
			value_of(ua, oses[i].token, version);
		return;
	}
}

/* Keys that name no browser: engines, platforms, generic words. */
static bool
is_generic(const struct ua_token *t)
{
	static const char *const generic[] = { "Chrome", "Firefox", "Safari",
		"Version", "Mobile", "Mobile Safari", "Mozilla", "AppleWebKit",
		"Windows NT", "Windows Phone OS", "Android", "Macintosh",
		"Linux", "GSA", "CrOS" };
	size_t i;

	for (i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (is_key(t, generic[i]))
			return true;
	return t->key[0] >= '0' && t->key[0] <= '9';
}

/* The first specific product, with a version when with_version. */
static const struct ua_token *
best_match(const struct ua *ua, bool with_version)
{
	size_t i;

	for (i = 0; i < ua->n; i++)
		if (!is_generic(&ua->t[i]) &&
		    (!with_version || ua->t[i].val_len > 0))
			return &ua->t[i];
	return NULL;
}

/* Products that name their browser, most specific first. */
static const struct {
	const char *token, *name;
	bool needs_version;
} browsers[] = {
	{ "Opera Mini", "Opera Mini", true },
	{ "OPR", "Opera", true },
	{ "OPT", "Opera Touch", true },
	{ "OPiOS", "Opera", true },
	{ "CriOS", "Chrome", true },
	{ "FxiOS", "Firefox", true },
	{ "Firefox", "Firefox", true },
	{ "Vivaldi", "Vivaldi", true },
	{ "MSIE", "Internet Explorer", false },
	{ "EdgiOS", "Edge", true },
	{ "Edge", "Edge", true },
	{ "Edg", "Edge", true },
	{ "EdgA", "Edge", true },
	{ "SamsungBrowser", "Samsung Browser", true },
	{ "HeadlessChrome", "Headless Chrome", true },
};

static void
detect_browser(const struct ua *ua, const char *text, size_t len,
    const struct piece *os, struct piece *name)
{
	const struct ua_token *t;
	size_t i;

	for (i = 0; i < sizeof(browsers) / sizeof(browsers[0]); i++)
		if (browsers[i].needs_version ? has_version(ua,
		    browsers[i].token) : find(ua, browsers[i].token) != NULL) {
			piece_static(name, browsers[i].name);
			return;
		}
	/* Chromium browsers that are not Chrome add a product of theirs. */
	if (find(ua, "Chrome") != NULL && find(ua, "Safari") != NULL &&
	    (t = best_match(ua, true)) != NULL) {
		name->s = t->key;
		name->n = t->key_len;
	} else if (find(ua, "Chrome") != NULL)
		piece_static(name, "Chrome");
	else if (find(ua, "Safari") != NULL)
		piece_static(name, "Safari");
	else if (os->s != NULL && strcmp(os->s, "Android") == 0 &&
	    has_version(ua, "Version"))
		piece_static(name, "Android browser");
	else if ((t = best_match(ua, false)) != NULL) {
		name->s = t->key;
		name->n = t->key_len;
	} else {	/* nothing to go by: the agent names itself */
		name->s = text;
		name->n = len;
	}
}

static void
put_piece(struct wbuf *w, const struct piece *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		char c = p->s[i];

		if (p->underscores_are_dots && c == '_')
			c = '.';
		/* Bytes cut from a longer agent may not be UTF-8. */
		wbuf_putc(w, (unsigned char)c < 0x20 ||
		    (unsigned char)c >= 0x7f ? '?' : c);
	}
}

int
http_user_agent_device(const char *ua_text, size_t len, char **out)
{
	struct piece name = { "", 0, false }, os = { "", 0, false };
	struct piece version = { "", 0, false };
	struct ua *ua;
	struct wbuf w;

	*out = NULL;
	if (len > HTTP_UA_MAX)
		len = HTTP_UA_MAX;
	if (ua_text == NULL)
		len = 0;
	if ((ua = calloc(1, sizeof(*ua))) == NULL)
		return PERR_NOMEM;
	tokenize(ua, ua_text != NULL ? ua_text : "", len);
	detect_os(ua, &os, &version);
	detect_browser(ua, ua_text != NULL ? ua_text : "", len, &os, &name);
	wbuf_init(&w);
	put_piece(&w, &name);
	wbuf_puts(&w, " on ");
	put_piece(&w, &os);
	wbuf_putc(&w, ' ');
	put_piece(&w, &version);
	free(ua);
	if (wbuf_error(&w) != PERR_OK) {
		wbuf_free(&w);
		return PERR_NOMEM;
	}
	*out = wbuf_steal(&w, NULL);
	return PERR_OK;
}

/* Sets row[to] to the device of the user agent in row[from]. */
static int
row_device(struct json_object *row, const char *from, const char *to)
{
	struct json_object *ua, *device;
	char *dev = NULL;
	int rc;

	if (!json_object_object_get_ex(row, from, &ua) ||
	    !json_object_is_type(ua, json_type_string))
		return PERR_INTERNAL;
	if ((rc = http_user_agent_device(json_object_get_string(ua),
	    (size_t)json_object_get_string_len(ua), &dev)) != PERR_OK)
		return rc;
	device = json_object_new_string(dev);
	free(dev);
	if (device == NULL || json_object_object_add(row, to, device) != 0) {
		json_object_put(device);
		return PERR_NOMEM;
	}
	return PERR_OK;
}

int
http_json_devices(const char *json, const char *member, const char *from,
    const char *to, char **out)
{
	struct json_object *root = NULL, *rows;
	const char *text;
	size_t i, n;
	int rc;

	*out = NULL;
	if ((rc = ojson_parse(json, strlen(json), &root)) != PERR_OK)
		return rc;
	rows = root;
	if ((member != NULL && !json_object_object_get_ex(root, member,
	    &rows)) || !json_object_is_type(rows, json_type_array)) {
		rc = PERR_INTERNAL;
		goto out;
	}
	n = json_object_array_length(rows);
	for (i = 0; i < n && rc == PERR_OK; i++)
		rc = row_device(json_object_array_get_idx(rows, i), from, to);
	if (rc != PERR_OK)
		goto out;
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL || (*out = str_dup(text)) == NULL)
		rc = PERR_NOMEM;
out:
	json_object_put(root);
	return rc;
}
