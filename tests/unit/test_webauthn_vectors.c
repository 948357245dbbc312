/*
 * Every public WebAuthn vector in $PI_VECTORS_DIR/webauthn-registration/
 * and webauthn-authentication/ must be accepted or rejected exactly as its
 * `expect` says, and each rejection must come from the check its `reason`
 * names (the table below). Each case is reported by name. Without the
 * vectors the tests skip and say so.
 *
 * How the case fields become a policy (see the vectors' README):
 *  - challenge: the base64url the server issued, decoded strictly; where
 *    that text is not canonical base64url (a reject case's made-up
 *    "shouldhavebeenthisvalue"), its ASCII bytes stand for the issued
 *    challenge, which cannot match anything a browser encodes.
 *  - origins_allowed or [origin]; rp_id; user_verification_required;
 *    user_presence_required (default true); cross_origin_allowed and
 *    top_origins_allowed (default false / none).
 *  - now: the case's instant, or the real clock when the case has none
 *    (its certificates are then valid for decades).
 *  - trust_anchors when the case ships them (the W3C cases); otherwise
 *    none, which is Pocket ID's policy (attestation verified, not chained).
 *  - algs: Pocket ID's default list, plus RS1 for the one case whose
 *    credential key is RS1 (a TPM key certified with SHA-1).
 *  - The assertion counter rule flags rather than fails; the case that
 *    expects rejection for it is counted as rejected when the flag is set.
 */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "common/common.h"
#include "codec/codec.h"
#include "webauthn/webauthn.h"

#define MAX_CASES 128
#define MAX_LIST 8

/* Why each reject case must fail: the first check that catches it. */
static const struct {
	const char *name;
	enum webauthn_fail fail;
	bool counter_regressed; /* rejected through the counter flag */
} reject_reasons[] = {
	{ "py-reject-empty-attestation-object", WEBAUTHN_FAIL_MALFORMED,
	    false },
	{ "sw-reject-packed-aaguid-ext-mismatch", WEBAUTHN_FAIL_ATTESTATION,
	    false },
	{ "sw-reject-reg-challenge-mismatch", WEBAUTHN_FAIL_CHALLENGE, false },
	{ "sw-reject-reg-origin-mismatch", WEBAUTHN_FAIL_ORIGIN, false },
	{ "sw-reject-reg-rp-id-mismatch", WEBAUTHN_FAIL_RP_ID, false },
	{ "sw-reject-safetynet-cts-profile-mismatch",
	    WEBAUTHN_FAIL_ATTESTATION, false },
	{ "sw-reject-tpm-aaguid-ext-mismatch", WEBAUTHN_FAIL_ATTESTATION,
	    false },
	{ "w3c-android-key-es256-reg", WEBAUTHN_FAIL_ATTESTATION, false },
	{ "w3c-none-es256-cross-origin-not-allowed-reg",
	    WEBAUTHN_FAIL_CROSS_ORIGIN, false },
	{ "w3c-none-es256-top-origin-not-allowed-reg",
	    WEBAUTHN_FAIL_CROSS_ORIGIN, false },
	{ "py-reject-assertion-uv-required", WEBAUTHN_FAIL_USER_VERIFICATION,
	    false },
	{ "py-reject-assertion-wrong-public-key", WEBAUTHN_FAIL_SIGNATURE,
	    false },
	{ "sw-reject-assertion-challenge-mismatch", WEBAUTHN_FAIL_CHALLENGE,
	    false },
	{ "sw-reject-assertion-counter-not-increased", WEBAUTHN_FAIL_NONE,
	    true },
	{ "sw-reject-assertion-origin-mismatch", WEBAUTHN_FAIL_ORIGIN, false },
	{ "sw-reject-assertion-rp-id-mismatch", WEBAUTHN_FAIL_RP_ID, false },
	{ "w3c-none-es256-cross-origin-not-allowed-auth",
	    WEBAUTHN_FAIL_CROSS_ORIGIN, false },
	{ "w3c-none-es256-top-origin-not-allowed-auth",
	    WEBAUTHN_FAIL_CROSS_ORIGIN, false },
};

/* Cases that need an algorithm beyond Pocket ID's default offer. */
static const char *const rs1_cases[] = { "net-tpm-rs1-sha1" };

/*
 * Cases whose attestationObject text uses the standard base64 alphabet
 * ('+', '/') inside a base64url field, which py_webauthn's lenient decoder
 * takes. Browsers never send that; our response parser refuses it, as
 * go-webauthn (Pocket ID) does. For these the test checks that refusal,
 * then runs the ceremony on the decoded bytes, which must be accepted.
 */
static const char *const std_alphabet_cases[] = { "py-tpm-dell-xps-13",
	"py-tpm-lenovo-carbon-x1", "py-tpm-surface-pro-4" };

static bool
in_names(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

/* A case's policy and the memory behind it. */
struct case_policy {
	struct webauthn_policy p;
	uint8_t *challenge;
	const char *origins[MAX_LIST];
	const char *top_origins[MAX_LIST];
	struct webauthn_bytes anchors[MAX_LIST];
	int32_t algs[16];
};

static void
case_policy_free(struct case_policy *cp)
{
	size_t i;

	free(cp->challenge);
	for (i = 0; i < cp->p.trust_anchors_len; i++)
		free((void *)(uintptr_t)cp->anchors[i].data);
}

static const char *
vectors_dir(void)
{
	const char *dir = getenv("PI_VECTORS_DIR");

	if (dir == NULL || *dir == '\0') {
		print_message("PI_VECTORS_DIR is not set: public vectors not "
		    "found, skipping\n");
		return NULL;
	}
	return dir;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted *.json names in dir/sub; returns how many (or -1). */
static int
list_cases(const char *dir, const char *sub, char **names, size_t max)
{
	char path[4096];
	struct dirent *de;
	DIR *d;
	size_t n = 0, len;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL && n < max) {
		len = strlen(de->d_name);
		if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	return (int)n;
}

static const char *
get_str(struct json_object *obj, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool
get_bool(struct json_object *obj, const char *name, bool dflt)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, name, &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return dflt;
	return json_object_get_boolean(v);
}

/* "2025-01-30T23:59:59.000Z" or "2021-09-01T00:00:00Z" to epoch seconds. */
static int64_t
parse_instant(const char *s)
{
	struct tm tm;
	int y, mo, d, h, mi, sec;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec) != 6)
		fail_msg("bad instant %s", s);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return (int64_t)timegm(&tm);
}

static size_t
get_list(struct json_object *obj, const char *name, const char **out)
{
	struct json_object *arr;
	size_t i, n;

	if (!json_object_object_get_ex(obj, name, &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return 0;
	n = json_object_array_length(arr);
	assert_true(n <= MAX_LIST);
	for (i = 0; i < n; i++)
		out[i] = json_object_get_string(
		    json_object_array_get_idx(arr, i));
	return n;
}

static void
build_policy(struct json_object *c, const char *name, struct case_policy *cp)
{
	const char *chal = get_str(c, "challenge"), *now;
	const char *anchors[MAX_LIST];
	size_t i, n;

	memset(cp, 0, sizeof(*cp));
	assert_non_null(chal);
	if (b64url_decode(chal, strlen(chal), &cp->challenge,
	    &cp->p.challenge_len) != PERR_OK) {
		cp->challenge = (uint8_t *)strdup(chal);
		cp->p.challenge_len = strlen(chal);
	}
	cp->p.challenge = cp->challenge;
	cp->p.origins_len = get_list(c, "origins_allowed", cp->origins);
	if (cp->p.origins_len == 0) {
		cp->origins[0] = get_str(c, "origin");
		cp->p.origins_len = 1;
	}
	cp->p.origins = cp->origins;
	cp->p.rp_id = get_str(c, "rp_id");
	cp->p.user_verification_required = get_bool(c,
	    "user_verification_required", false);
	cp->p.user_presence_optional = !get_bool(c, "user_presence_required",
	    true);
	cp->p.cross_origin_allowed = get_bool(c, "cross_origin_allowed",
	    false);
	cp->p.top_origins_len = get_list(c, "top_origins_allowed",
	    cp->top_origins);
	cp->p.top_origins = cp->top_origins;
	now = get_str(c, "now");
	cp->p.now = now != NULL ? parse_instant(now) : (int64_t)time(NULL);
	n = get_list(c, "trust_anchors", anchors);
	for (i = 0; i < n; i++) {
		uint8_t *der;
		size_t der_len;

		assert_int_equal(b64_decode(anchors[i], strlen(anchors[i]),
		    &der, &der_len), PERR_OK);
		cp->anchors[i].data = der;
		cp->anchors[i].len = der_len;
	}
	cp->p.trust_anchors = n > 0 ? cp->anchors : NULL;
	cp->p.trust_anchors_len = n;
	if (in_names(name, rs1_cases, sizeof(rs1_cases) /
	    sizeof(rs1_cases[0]))) {
		memcpy(cp->algs, webauthn_default_algs,
		    sizeof(webauthn_default_algs));
		cp->algs[10] = WEBAUTHN_ALG_RS1;
		cp->p.algs = cp->algs;
		cp->p.algs_len = 11;
	}
}

/* Decodes base64url or standard base64, padded or not (test side only). */
static void
decode_any_base64(const char *text, uint8_t **out, size_t *out_len)
{
	size_t i, n = strlen(text);
	char *std = calloc(1, n + 4);

	assert_non_null(std);
	for (i = 0; i < n && text[i] != '='; i++)
		std[i] = text[i] == '-' ? '+' : text[i] == '_' ? '/' : text[i];
	while (i % 4 != 0)
		std[i++] = '=';
	assert_int_equal(b64_decode(std, i, out, out_len), PERR_OK);
	free(std);
}

/* The response of a std_alphabet_cases case, built from decoded bytes. */
static struct webauthn_reg_response *
response_from_bytes(struct json_object *cred)
{
	struct webauthn_reg_response *r = calloc(1, sizeof(*r));
	struct json_object *resp;

	assert_non_null(r);
	assert_true(json_object_object_get_ex(cred, "response", &resp));
	r->id = strdup(get_str(cred, "id"));
	decode_any_base64(get_str(resp, "clientDataJSON"),
	    &r->client_data_json, &r->client_data_json_len);
	decode_any_base64(get_str(resp, "attestationObject"),
	    &r->attestation_object, &r->attestation_object_len);
	return r;
}

/* The outcome of one case, compared with what the case expects. */
struct outcome {
	int err;
	struct webauthn_status st;
	bool counter_regressed;
};

static bool
judge(const char *name, const char *expect, const struct outcome *o)
{
	size_t i;
	bool accepted = o->err == PERR_OK && !o->counter_regressed;

	if (strcmp(expect, "accept") == 0) {
		if (accepted) {
			print_message("  ok     %s\n", name);
			return true;
		}
		print_message("  FAIL   %s: expected accept, got %s (%s: %s)\n",
		    name, perr_str(o->err), webauthn_fail_str(o->st.fail),
		    o->st.why ? o->st.why : "-");
		return false;
	}
	for (i = 0; i < sizeof(reject_reasons) / sizeof(reject_reasons[0]);
	    i++) {
		if (strcmp(reject_reasons[i].name, name) != 0)
			continue;
		if (!accepted && o->st.fail == reject_reasons[i].fail &&
		    o->counter_regressed ==
		    reject_reasons[i].counter_regressed) {
			print_message("  ok     %s (rejected: %s: %s)\n", name,
			    o->counter_regressed ? "counter" :
			    webauthn_fail_str(o->st.fail),
			    o->counter_regressed ? "did not increase" :
			    o->st.why);
			return true;
		}
		print_message("  FAIL   %s: expected reject by %s, got %s "
		    "(%s: %s)\n", name,
		    reject_reasons[i].counter_regressed ? "counter" :
		    webauthn_fail_str(reject_reasons[i].fail),
		    accepted ? "accept" : perr_str(o->err),
		    webauthn_fail_str(o->st.fail), o->st.why ? o->st.why : "-");
		return false;
	}
	print_message("  FAIL   %s: reject case missing from the reasons\n",
	    name);
	return false;
}

/* Accepted registrations: the result says what the case says. */
static bool
check_registration(struct json_object *c,
    const struct webauthn_registration *reg, const struct case_policy *cp)
{
	const char *fmt = get_str(c, "attestation_format");
	struct webauthn_cose_key key;

	if (fmt != NULL && strcmp(reg->fmt, fmt) != 0)
		return false;
	if (webauthn_cose_key_parse(reg->public_key, reg->public_key_len,
	    &key) != PERR_OK || key.alg != reg->alg)
		return false;
	/* With the case's anchors the chain must have been verified. */
	if (reg->att_trusted != (cp->p.trust_anchors_len > 0 &&
	    reg->trust_path_len > 0))
		return false;
	return reg->credential_id_len > 0 &&
	    reg->credential_id_len <= WEBAUTHN_CREDENTIAL_ID_MAX;
}

static bool
run_registration(struct json_object *c, const char *name)
{
	struct case_policy cp;
	struct webauthn_reg_response *resp = NULL;
	struct webauthn_registration *reg = NULL;
	struct json_object *cred;
	struct outcome o;
	const char *text;
	bool ok;

	memset(&o, 0, sizeof(o));
	build_policy(c, name, &cp);
	assert_true(json_object_object_get_ex(c, "credential", &cred));
	text = json_object_to_json_string_ext(cred, JSON_C_TO_STRING_PLAIN);
	o.err = webauthn_reg_response_parse(text, strlen(text), &resp);
	if (in_names(name, std_alphabet_cases, sizeof(std_alphabet_cases) /
	    sizeof(std_alphabet_cases[0]))) {
		if (o.err != PERR_INVALID) {
			print_message("  FAIL   %s: standard base64 alphabet "
			    "not refused\n", name);
			webauthn_reg_response_free(resp);
			case_policy_free(&cp);
			return false;
		}
		print_message("  note   %s: attestationObject is standard "
		    "base64, refused by the parser; verifying its bytes\n",
		    name);
		resp = response_from_bytes(cred);
		o.err = PERR_OK;
	}
	if (o.err != PERR_OK) {
		o.st.fail = WEBAUTHN_FAIL_MALFORMED;
		o.st.why = "response JSON did not parse";
	} else {
		o.err = webauthn_registration_verify(&cp.p, resp, &reg, &o.st);
	}
	ok = judge(name, get_str(c, "expect"), &o);
	if (ok && reg != NULL && !check_registration(c, reg, &cp)) {
		print_message("  FAIL   %s: accepted, wrong result\n", name);
		ok = false;
	}
	webauthn_registration_free(reg);
	webauthn_reg_response_free(resp);
	case_policy_free(&cp);
	return ok;
}

static bool
run_authentication(struct json_object *c, const char *name)
{
	struct case_policy cp;
	struct webauthn_assert_response *resp = NULL;
	struct webauthn_credential rec;
	struct webauthn_assertion res;
	struct json_object *cred, *count;
	struct outcome o;
	const char *text, *pk;
	uint8_t *key = NULL;
	bool ok;

	memset(&o, 0, sizeof(o));
	memset(&rec, 0, sizeof(rec));
	build_policy(c, name, &cp);
	pk = get_str(c, "credential_public_key");
	assert_non_null(pk);
	assert_int_equal(b64url_decode(pk, strlen(pk), &key,
	    &rec.public_key_len), PERR_OK);
	rec.public_key = key;
	assert_true(json_object_object_get_ex(c, "sign_count_before",
	    &count));
	rec.sign_count = (uint32_t)json_object_get_int64(count);
	assert_true(json_object_object_get_ex(c, "credential", &cred));
	text = json_object_to_json_string_ext(cred, JSON_C_TO_STRING_PLAIN);
	o.err = webauthn_assert_response_parse(text, strlen(text), &resp);
	if (o.err != PERR_OK) {
		o.st.fail = WEBAUTHN_FAIL_MALFORMED;
		o.st.why = "response JSON did not parse";
	} else {
		o.err = webauthn_assertion_verify(&cp.p, &rec, resp, &res,
		    &o.st);
		o.counter_regressed = o.err == PERR_OK && res.counter_regressed;
	}
	ok = judge(name, get_str(c, "expect"), &o);
	webauthn_assert_response_free(resp);
	free(key);
	case_policy_free(&cp);
	return ok;
}

static void
run_dir(const char *sub, bool (*run)(struct json_object *, const char *))
{
	const char *dir = vectors_dir();
	char *names[MAX_CASES], path[4096];
	struct json_object *c;
	int i, n, failed = 0;

	if (dir == NULL)
		skip();
	if ((n = list_cases(dir, sub, names, MAX_CASES)) < 0) {
		print_message("%s/%s not found: public vectors absent, "
		    "skipping\n", dir, sub);
		skip();
	}
	assert_true(n > 0);
	print_message("%s: %d cases\n", sub, n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, names[i]);
		names[i][strlen(names[i]) - 5] = '\0';
		if ((c = json_object_from_file(path)) == NULL)
			fail_msg("%s: not JSON", path);
		if (!run(c, names[i]))
			failed++;
		json_object_put(c);
		free(names[i]);
	}
	print_message("%s: %d passed, %d failed\n", sub, n - failed, failed);
	assert_int_equal(failed, 0);
}

static void
test_registration_vectors(void **state)
{
	(void)state;
	run_dir("webauthn-registration", run_registration);
}

static void
test_authentication_vectors(void **state)
{
	(void)state;
	run_dir("webauthn-authentication", run_authentication);
}

/* ---- derived cases: the vectors, changed in one known way --------------- */

/* One vector case, loaded by name; NULL (and a skip) without vectors. */
static struct json_object *
load_case(const char *sub, const char *name)
{
	const char *dir = vectors_dir();
	char path[4096];
	struct json_object *c;

	if (dir == NULL)
		skip();
	snprintf(path, sizeof(path), "%s/%s/%s.json", dir, sub, name);
	if ((c = json_object_from_file(path)) == NULL) {
		print_message("%s not found: public vectors absent, skipping\n",
		    path);
		skip();
	}
	return c;
}

static struct webauthn_reg_response *
case_response(struct json_object *c, const char *name)
{
	struct webauthn_reg_response *r = NULL;
	struct json_object *cred;
	const char *text;

	assert_true(json_object_object_get_ex(c, "credential", &cred));
	if (in_names(name, std_alphabet_cases, sizeof(std_alphabet_cases) /
	    sizeof(std_alphabet_cases[0])))
		return response_from_bytes(cred);
	text = json_object_to_json_string_ext(cred, JSON_C_TO_STRING_PLAIN);
	assert_int_equal(webauthn_reg_response_parse(text, strlen(text), &r),
	    PERR_OK);
	return r;
}

static int
verify_case(struct webauthn_reg_response *r, const struct case_policy *cp,
    struct webauthn_status *st)
{
	struct webauthn_registration *reg = NULL;
	int err = webauthn_registration_verify(&cp->p, r, &reg, st);

	webauthn_registration_free(reg);
	return err;
}

/* Every accepted registration vector, by name, with its format. */
static int
accepted_registrations(char **names, struct json_object **cases, size_t max)
{
	const char *dir = vectors_dir();
	char *all[MAX_CASES], path[4096];
	struct json_object *c;
	int i, n, kept = 0;

	if (dir == NULL)
		skip();
	if ((n = list_cases(dir, "webauthn-registration", all, MAX_CASES)) <
	    0) {
		print_message("registration vectors absent, skipping\n");
		skip();
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/webauthn-registration/%s", dir,
		    all[i]);
		all[i][strlen(all[i]) - 5] = '\0';
		c = json_object_from_file(path);
		assert_non_null(c);
		if (strcmp(get_str(c, "expect"), "accept") == 0 &&
		    (size_t)kept < max) {
			names[kept] = all[i];
			cases[kept++] = c;
		} else {
			json_object_put(c);
			free(all[i]);
		}
	}
	return kept;
}

/*
 * The attestation binds the client data: with one blank added to
 * clientDataJSON (still valid JSON with the same members, so every
 * client-data check passes) every format but "none" must fail, each at its
 * own binding (signature, TPM extraData, SafetyNet or Apple nonce).
 */
static void
test_attestation_binds_client_data(void **state)
{
	char *names[MAX_CASES];
	struct json_object *cases[MAX_CASES];
	struct webauthn_reg_response *r;
	struct webauthn_status st;
	struct case_policy cp;
	uint8_t *cd;
	int i, n, err;
	bool is_none;

	(void)state;
	n = accepted_registrations(names, cases, MAX_CASES);
	for (i = 0; i < n; i++) {
		build_policy(cases[i], names[i], &cp);
		r = case_response(cases[i], names[i]);
		cd = malloc(r->client_data_json_len + 1);
		assert_non_null(cd);
		assert_int_equal(r->client_data_json[0], '{');
		cd[0] = '{';
		cd[1] = ' ';
		memcpy(cd + 2, r->client_data_json + 1,
		    r->client_data_json_len - 1);
		free(r->client_data_json);
		r->client_data_json = cd;
		r->client_data_json_len++;
		err = verify_case(r, &cp, &st);
		is_none = strcmp(get_str(cases[i], "attestation_format"),
		    "none") == 0;
		print_message("  %s  %s: %s\n", is_none ? "none " : "bound",
		    names[i], st.why ? st.why : "accepted");
		if (is_none)
			assert_int_equal(err, PERR_OK);
		else
			assert_int_equal(st.fail, WEBAUTHN_FAIL_ATTESTATION);
		webauthn_reg_response_free(r);
		case_policy_free(&cp);
		json_object_put(cases[i]);
		free(names[i]);
	}
}

/* The TPM certifies pubArea by its Name: change pubArea, lose the Name. */
static void
test_tpm_name_binds_pub_area(void **state)
{
	char *names[MAX_CASES];
	struct json_object *cases[MAX_CASES];
	struct webauthn_reg_response *r;
	struct webauthn_att_object ao;
	struct webauthn_status st;
	struct case_policy cp;
	uint8_t *p;
	int i, n, tested = 0;

	(void)state;
	n = accepted_registrations(names, cases, MAX_CASES);
	for (i = 0; i < n; i++) {
		if (strcmp(get_str(cases[i], "attestation_format"), "tpm") ==
		    0) {
			build_policy(cases[i], names[i], &cp);
			r = case_response(cases[i], names[i]);
			assert_int_equal(webauthn_att_object_parse(
			    r->attestation_object, r->attestation_object_len,
			    &ao), PERR_OK);
			p = memmem(r->attestation_object,
			    r->attestation_object_len, ao.pub_area,
			    ao.pub_area_len);
			assert_non_null(p);
			/* objectAttributes: not part of the key itself. */
			p[4] ^= 0x80;
			assert_int_equal(verify_case(r, &cp, &st),
			    PERR_VERIFY);
			assert_non_null(strstr(st.why, "name"));
			tested++;
			webauthn_att_object_free(&ao);
			webauthn_reg_response_free(r);
			case_policy_free(&cp);
		}
		json_object_put(cases[i]);
		free(names[i]);
	}
	assert_true(tested >= 5);
}

/* Trust anchors: the right root, the chain's own root, a wrong root. */
static void
test_trust_anchors(void **state)
{
	struct json_object *w3c, *feitian;
	struct webauthn_reg_response *r;
	struct webauthn_registration *reg = NULL;
	struct webauthn_att_object ao;
	struct webauthn_status st;
	struct case_policy cp, cpf;
	struct webauthn_bytes root;

	(void)state;
	w3c = load_case("webauthn-registration", "w3c-packed-es256-reg");
	feitian = load_case("webauthn-registration", "net-packed-x5c-feitian");
	/* The W3C case verifies with its root... */
	build_policy(w3c, "w3c-packed-es256-reg", &cp);
	r = case_response(w3c, "w3c-packed-es256-reg");
	assert_int_equal(webauthn_registration_verify(&cp.p, r, &reg, &st),
	    PERR_OK);
	assert_true(reg->att_trusted);
	assert_int_equal(reg->att_type, WEBAUTHN_ATT_BASIC);
	assert_int_equal(reg->trust_path_len, 1);
	webauthn_registration_free(reg);
	/* ... but not in 2023, before its certificates were issued. */
	cp.p.now = 1672531200;
	assert_int_equal(webauthn_registration_verify(&cp.p, r, &reg, &st),
	    PERR_EXPIRED);
	assert_int_equal(st.fail, WEBAUTHN_FAIL_CERTIFICATE);
	webauthn_reg_response_free(r);
	/* The Feitian chain does not reach the W3C root... */
	build_policy(feitian, "net-packed-x5c-feitian", &cpf);
	cpf.p.trust_anchors = cp.anchors;
	cpf.p.trust_anchors_len = 1;
	r = case_response(feitian, "net-packed-x5c-feitian");
	assert_int_equal(webauthn_registration_verify(&cpf.p, r, &reg, &st),
	    PERR_VERIFY);
	assert_int_equal(st.fail, WEBAUTHN_FAIL_TRUST);
	/* ... but its own root, the last x5c entry, is acceptable. */
	assert_int_equal(webauthn_att_object_parse(r->attestation_object,
	    r->attestation_object_len, &ao), PERR_OK);
	assert_int_equal(ao.x5c_len, 3);
	root.data = ao.x5c[2].der;
	root.len = ao.x5c[2].len;
	cpf.p.trust_anchors = &root;
	assert_int_equal(webauthn_registration_verify(&cpf.p, r, &reg, &st),
	    PERR_OK);
	assert_true(reg->att_trusted);
	assert_int_equal(reg->trust_path_len, 3);
	webauthn_registration_free(reg);
	/* So is the intermediate (§7.1 step 24: any acceptable cert). */
	root.data = ao.x5c[1].der;
	root.len = ao.x5c[1].len;
	assert_int_equal(webauthn_registration_verify(&cpf.p, r, &reg, &st),
	    PERR_OK);
	assert_true(reg->att_trusted);
	webauthn_registration_free(reg);
	cpf.p.trust_anchors_len = 0;
	webauthn_att_object_free(&ao);
	webauthn_reg_response_free(r);
	case_policy_free(&cpf);
	case_policy_free(&cp);
	json_object_put(w3c);
	json_object_put(feitian);
}

/* The parsers, truncated at every byte offset, on every vector's bytes. */
static void
test_truncation_on_vector_bytes(void **state)
{
	char *names[MAX_CASES];
	struct json_object *cases[MAX_CASES];
	struct webauthn_reg_response *r;
	struct webauthn_att_object ao;
	struct webauthn_auth_data ad;
	struct webauthn_cose_key key;
	size_t cut;
	int i, n;

	(void)state;
	n = accepted_registrations(names, cases, MAX_CASES);
	for (i = 0; i < n; i++) {
		r = case_response(cases[i], names[i]);
		for (cut = 0; cut < r->attestation_object_len; cut++)
			assert_int_not_equal(webauthn_att_object_parse(
			    r->attestation_object, cut, &ao), PERR_OK);
		assert_int_equal(webauthn_att_object_parse(
		    r->attestation_object, r->attestation_object_len, &ao),
		    PERR_OK);
		for (cut = 0; cut < ao.auth_data_len; cut++)
			assert_int_not_equal(webauthn_auth_data_parse(
			    ao.auth_data, cut, &ad), PERR_OK);
		assert_int_equal(webauthn_auth_data_parse(ao.auth_data,
		    ao.auth_data_len, &ad), PERR_OK);
		for (cut = 0; cut < ad.public_key_len; cut++)
			assert_int_not_equal(webauthn_cose_key_parse(
			    ad.public_key, cut, &key), PERR_OK);
		assert_int_equal(webauthn_cose_key_parse(ad.public_key,
		    ad.public_key_len, &key), PERR_OK);
		webauthn_att_object_free(&ao);
		webauthn_reg_response_free(r);
		json_object_put(cases[i]);
		free(names[i]);
	}
	print_message("truncated %d attestation objects at every offset\n", n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registration_vectors),
		cmocka_unit_test(test_authentication_vectors),
		cmocka_unit_test(test_attestation_binds_client_data),
		cmocka_unit_test(test_tpm_name_binds_pub_area),
		cmocka_unit_test(test_trust_anchors),
		cmocka_unit_test(test_truncation_on_vector_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
