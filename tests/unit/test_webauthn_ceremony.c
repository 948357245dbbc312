/*
 * Unit tests for the two ceremonies of src/webauthn, driven by a software
 * authenticator (ES256, Ed25519, RSA-PSS keys made by src/crypto):
 * registration with "none" and packed self attestation, one test per check
 * of §7.1 and §7.2, the counter and backup rules, and every single-bit
 * change of a signed assertion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "webauthn/webauthn.h"
#include "webauthn/wa_int.h"
#include "webauthn_test_util.h"

#define RP_ID "login.example.com"
#define ORIGIN "https://login.example.com"
#define NOW 1750000000 /* 2025-06-15 */

/* ---- a software authenticator -------------------------------------------- */

struct soft {
	EVP_PKEY *key;
	int32_t alg;
	struct wbuf cose;
	uint8_t cred_id[16];
};

static void
soft_init(struct soft *a, int32_t alg)
{
	struct crypto_key_parts parts;

	memset(a, 0, sizeof(*a));
	memset(a->cred_id, 0xc1, sizeof(a->cred_id));
	a->alg = alg;
	wbuf_init(&a->cose);
	memset(&parts, 0, sizeof(parts));
	if (alg == WEBAUTHN_ALG_ES256)
		assert_int_equal(crypto_pkey_generate_ec(CRYPTO_CURVE_P256,
		    &a->key), PERR_OK);
	else if (alg == WEBAUTHN_ALG_EDDSA)
		assert_int_equal(crypto_pkey_generate_ed25519(&a->key),
		    PERR_OK);
	else
		assert_int_equal(crypto_pkey_generate_rsa(2048, &a->key),
		    PERR_OK);
	assert_int_equal(crypto_pkey_export(a->key, false, &parts), PERR_OK);
	if (alg == WEBAUTHN_ALG_ES256) {
		cose_ec2(&a->cose, alg, 1, parts.x.p, parts.y.p, 32);
	} else if (alg == WEBAUTHN_ALG_EDDSA) {
		cb_head(&a->cose, 5, 4);
		cb_int(&a->cose, 1);
		cb_int(&a->cose, 1);
		cb_int(&a->cose, 3);
		cb_int(&a->cose, alg);
		cb_int(&a->cose, -1);
		cb_int(&a->cose, 6);
		cb_int(&a->cose, -2);
		cb_bytes(&a->cose, parts.x.p, parts.x.len);
	} else {
		cb_head(&a->cose, 5, 4);
		cb_int(&a->cose, 1);
		cb_int(&a->cose, 3);
		cb_int(&a->cose, 3);
		cb_int(&a->cose, alg);
		cb_int(&a->cose, -1);
		cb_bytes(&a->cose, parts.n.p, parts.n.len);
		cb_int(&a->cose, -2);
		cb_bytes(&a->cose, parts.e.p, parts.e.len);
	}
	crypto_key_parts_clear(&parts);
	assert_int_equal(wbuf_error(&a->cose), PERR_OK);
}

static void
soft_free(struct soft *a)
{
	EVP_PKEY_free(a->key);
	wbuf_free(&a->cose);
}

/* Signs a || b as the credential's algorithm prescribes. */
static void
soft_sign(const struct soft *a, const uint8_t *p, size_t n, const uint8_t *q,
    size_t m, uint8_t **sig, size_t *sig_len)
{
	const struct wa_alg *alg = wa_alg_find(a->alg);
	struct wbuf msg;

	wbuf_init(&msg);
	wbuf_put(&msg, p, n);
	wbuf_put(&msg, q, m);
	assert_int_equal(crypto_sign(a->key, alg->scheme, alg->hash, msg.data,
	    msg.len, sig, sig_len), PERR_OK);
	wbuf_free(&msg);
}

static const uint8_t challenge[16] = { 'c', 'h', 'a', 'l', 'l', 'e', 'n',
	'g', 'e', '-', 'b', 'y', 't', 'e', 's', '!' };

static char *
client_json(const char *type, const char *origin, const char *extra)
{
	char *b64 = b64url_encode(challenge, sizeof(challenge), NULL);
	struct wbuf w;

	wbuf_init(&w);
	wbuf_printf(&w, "{\"type\":\"%s\",\"challenge\":\"%s\","
	    "\"origin\":\"%s\"%s}", type, b64, origin, extra);
	free(b64);
	return wbuf_steal(&w, NULL);
}

static void
policy_init(struct webauthn_policy *p)
{
	static const char *const origins[] = { ORIGIN };

	memset(p, 0, sizeof(*p));
	p->challenge = challenge;
	p->challenge_len = sizeof(challenge);
	p->origins = origins;
	p->origins_len = 1;
	p->rp_id = RP_ID;
	p->now = NOW;
}

/* What a registration test varies. */
struct reg_opts {
	const char *type, *origin, *extra, *fmt;
	uint8_t flags;
	bool self_attest, bad_sig, extra_member;
	int32_t stmt_alg;
};

static const struct reg_opts reg_default = { "webauthn.create", ORIGIN, "",
	"none", 0x45, false, false, false, 0 };

static struct webauthn_reg_response *
make_registration(const struct soft *a, const struct reg_opts *o)
{
	struct webauthn_reg_response *r = calloc(1, sizeof(*r));
	struct wbuf ad, obj;
	uint8_t cdh[32], *sig = NULL;
	size_t sig_len = 0;
	char *cd;

	assert_non_null(r);
	cd = client_json(o->type, o->origin, o->extra);
	r->client_data_json = (uint8_t *)cd;
	r->client_data_json_len = strlen(cd);
	assert_int_equal(crypto_hash(CRYPTO_HASH_SHA256, cd, strlen(cd), cdh),
	    PERR_OK);
	wbuf_init(&ad);
	auth_data(&ad, RP_ID, o->flags, 0, a->cred_id, sizeof(a->cred_id),
	    (o->flags & 0x40) ? a->cose.data : NULL, a->cose.len, NULL, 0);
	wbuf_init(&obj);
	cb_head(&obj, 5, 3);
	cb_text(&obj, "fmt");
	cb_text(&obj, o->fmt);
	cb_text(&obj, "attStmt");
	if (o->self_attest) {
		soft_sign(a, ad.data, ad.len, cdh, 32, &sig, &sig_len);
		if (o->bad_sig)
			sig[sig_len / 2] ^= 1;
		cb_head(&obj, 5, o->extra_member ? 3 : 2);
		cb_text(&obj, "alg");
		cb_int(&obj, o->stmt_alg ? o->stmt_alg : a->alg);
		cb_text(&obj, "sig");
		cb_bytes(&obj, sig, sig_len);
	} else {
		cb_head(&obj, 5, o->extra_member ? 1 : 0);
	}
	if (o->extra_member) {
		cb_text(&obj, "ver");
		cb_text(&obj, "2.0");
	}
	cb_text(&obj, "authData");
	cb_bytes(&obj, ad.data, ad.len);
	assert_int_equal(wbuf_error(&obj), PERR_OK);
	r->attestation_object = (uint8_t *)wbuf_steal(&obj,
	    &r->attestation_object_len);
	r->id = str_dup("id");
	r->transports[0] = str_dup("usb");
	r->transports[1] = str_dup("hybrid");
	r->transports_len = 2;
	free(sig);
	wbuf_free(&ad);
	return r;
}

/* Runs a registration and returns the failure it reports. */
static enum webauthn_fail
register_with(const struct soft *a, const struct reg_opts *o,
    const struct webauthn_policy *p)
{
	struct webauthn_reg_response *r = make_registration(a, o);
	struct webauthn_registration *reg = NULL;
	struct webauthn_status st;
	int err;

	err = webauthn_registration_verify(p, r, &reg, &st);
	assert_true((err == PERR_OK) == (st.fail == WEBAUTHN_FAIL_NONE));
	assert_true((err == PERR_OK) == (reg != NULL));
	webauthn_registration_free(reg);
	webauthn_reg_response_free(r);
	return st.fail;
}

static void
test_registration_none_and_self(void **state)
{
	struct webauthn_reg_response *r;
	struct webauthn_registration *reg = NULL;
	struct webauthn_policy p;
	struct webauthn_status st;
	struct reg_opts o = reg_default;
	struct soft a;

	(void)state;
	soft_init(&a, WEBAUTHN_ALG_ES256);
	policy_init(&p);
	r = make_registration(&a, &o);
	assert_int_equal(webauthn_registration_verify(&p, r, &reg, &st),
	    PERR_OK);
	assert_int_equal(reg->credential_id_len, sizeof(a.cred_id));
	assert_memory_equal(reg->credential_id, a.cred_id, sizeof(a.cred_id));
	assert_int_equal(reg->public_key_len, a.cose.len);
	assert_memory_equal(reg->public_key, a.cose.data, a.cose.len);
	assert_int_equal(reg->alg, WEBAUTHN_ALG_ES256);
	assert_int_equal(reg->aaguid[0], 0xaa);
	assert_true(reg->user_verified);
	assert_false(reg->backup_eligible);
	assert_string_equal(reg->fmt, "none");
	assert_int_equal(reg->att_type, WEBAUTHN_ATT_NONE);
	assert_false(reg->att_trusted);
	assert_int_equal(reg->trust_path_len, 0);
	assert_int_equal(reg->transports_len, 2);
	assert_string_equal(reg->transports[1], "hybrid");
	webauthn_registration_free(reg);
	webauthn_reg_response_free(r);
	/* Packed self attestation, and each way it can be wrong. */
	o.fmt = "packed";
	o.self_attest = true;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_NONE);
	o.bad_sig = true;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_ATTESTATION);
	o.bad_sig = false;
	o.stmt_alg = WEBAUTHN_ALG_ES384;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_ATTESTATION);
	o.stmt_alg = 0;
	o.extra_member = true; /* "ver" is not a packed member */
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_ATTESTATION);
	soft_free(&a);
}

static void
test_registration_each_check(void **state)
{
	static const int32_t eddsa_only[] = { WEBAUTHN_ALG_EDDSA };
	static const char *const tops[] = { "https://top.example" };
	struct webauthn_policy p;
	struct reg_opts o;
	struct soft a;

	(void)state;
	soft_init(&a, WEBAUTHN_ALG_ES256);
	policy_init(&p);
	o = reg_default;
	o.fmt = "None"; /* §7.1 step 21 is case-sensitive */
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_FORMAT);
	o = reg_default;
	o.extra_member = true; /* "none" has an empty statement */
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_ATTESTATION);
	o = reg_default;
	o.type = "webauthn.get";
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_TYPE);
	o = reg_default;
	o.origin = "https://login.example.com:8443";
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_ORIGIN);
	o = reg_default;
	o.flags = 0x44; /* UP clear */
	assert_int_equal(register_with(&a, &o, &p),
	    WEBAUTHN_FAIL_USER_PRESENCE);
	p.user_presence_optional = true;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_NONE);
	p.user_presence_optional = false;
	o.flags = 0x41; /* UV clear */
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_NONE);
	p.user_verification_required = true;
	assert_int_equal(register_with(&a, &o, &p),
	    WEBAUTHN_FAIL_USER_VERIFICATION);
	p.user_verification_required = false;
	o.flags = 0x55; /* BS without BE */
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_BACKUP_FLAGS);
	o.flags = 0x5d;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_NONE);
	o.flags = 0x05; /* no attested credential data */
	assert_int_equal(register_with(&a, &o, &p),
	    WEBAUTHN_FAIL_CREDENTIAL_DATA);
	o = reg_default;
	p.algs = eddsa_only;
	p.algs_len = 1;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_ALGORITHM);
	policy_init(&p);
	p.rp_id = "example.com";
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_RP_ID);
	policy_init(&p);
	p.challenge_len--;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_CHALLENGE);
	policy_init(&p);
	/* Cross-origin iframes: allowed only when expected, top page known. */
	o.extra = ",\"crossOrigin\":true";
	assert_int_equal(register_with(&a, &o, &p),
	    WEBAUTHN_FAIL_CROSS_ORIGIN);
	p.cross_origin_allowed = true;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_NONE);
	o.extra = ",\"crossOrigin\":true,\"topOrigin\":\"https://top.example\"";
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_TOP_ORIGIN);
	p.top_origins = tops;
	p.top_origins_len = 1;
	assert_int_equal(register_with(&a, &o, &p), WEBAUTHN_FAIL_NONE);
	p.cross_origin_allowed = false;
	o.extra = ",\"topOrigin\":\"https://top.example\"";
	assert_int_equal(register_with(&a, &o, &p),
	    WEBAUTHN_FAIL_CROSS_ORIGIN);
	/* A policy without a challenge is the caller's bug. */
	policy_init(&p);
	p.challenge = NULL;
	assert_int_equal(register_with(&a, &reg_default, &p),
	    WEBAUTHN_FAIL_INTERNAL);
	soft_free(&a);
}

/* ---- assertions ---------------------------------------------------------- */

static struct webauthn_assert_response *
make_assertion(const struct soft *a, uint8_t flags, uint32_t count)
{
	struct webauthn_assert_response *r = calloc(1, sizeof(*r));
	uint8_t cdh[32];
	struct wbuf ad;
	char *cd;

	assert_non_null(r);
	cd = client_json("webauthn.get", ORIGIN, "");
	r->client_data_json = (uint8_t *)cd;
	r->client_data_json_len = strlen(cd);
	assert_int_equal(crypto_hash(CRYPTO_HASH_SHA256, cd, strlen(cd), cdh),
	    PERR_OK);
	wbuf_init(&ad);
	auth_data(&ad, RP_ID, flags, count, NULL, 0, NULL, 0, NULL, 0);
	soft_sign(a, ad.data, ad.len, cdh, 32, &r->signature,
	    &r->signature_len);
	r->authenticator_data = (uint8_t *)wbuf_steal(&ad,
	    &r->authenticator_data_len);
	r->raw_id = malloc(sizeof(a->cred_id));
	assert_non_null(r->raw_id);
	memcpy(r->raw_id, a->cred_id, sizeof(a->cred_id));
	r->raw_id_len = sizeof(a->cred_id);
	return r;
}

static int
assert_with(const struct webauthn_credential *rec,
    const struct webauthn_assert_response *r, struct webauthn_assertion *res,
    enum webauthn_fail *fail)
{
	struct webauthn_policy p;
	struct webauthn_status st;
	int err;

	policy_init(&p);
	err = webauthn_assertion_verify(&p, rec, r, res, &st);
	*fail = st.fail;
	return err;
}

static void
check_assertions_for(int32_t alg)
{
	struct webauthn_assert_response *r;
	struct webauthn_credential rec;
	struct webauthn_assertion res;
	enum webauthn_fail fail;
	struct soft a;

	soft_init(&a, alg);
	memset(&rec, 0, sizeof(rec));
	rec.public_key = a.cose.data;
	rec.public_key_len = a.cose.len;
	rec.sign_count = 41;
	r = make_assertion(&a, 0x05, 42);
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_OK);
	assert_int_equal(res.sign_count, 42);
	assert_false(res.counter_regressed);
	assert_true(res.user_verified);
	/* §7.2 step 22: not growing is flagged, not failed. */
	rec.sign_count = 42;
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_OK);
	assert_true(res.counter_regressed);
	/* §7.2 step 19: a known BE flag must not change. */
	rec.has_backup_eligible = true;
	rec.backup_eligible = true;
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_VERIFY);
	assert_int_equal(fail, WEBAUTHN_FAIL_BACKUP_FLAGS);
	rec.backup_eligible = false;
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_OK);
	webauthn_assert_response_free(r);
	/* Both counters zero: nothing to compare. */
	rec.sign_count = 0;
	r = make_assertion(&a, 0x01, 0);
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_OK);
	assert_false(res.counter_regressed);
	webauthn_assert_response_free(r);
	/* UP clear fails even though the signature is good. */
	r = make_assertion(&a, 0x04, 50);
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_VERIFY);
	assert_int_equal(fail, WEBAUTHN_FAIL_USER_PRESENCE);
	webauthn_assert_response_free(r);
	soft_free(&a);
}

static void
test_assertion_es256(void **state)
{
	(void)state;
	check_assertions_for(WEBAUTHN_ALG_ES256);
}

static void
test_assertion_eddsa(void **state)
{
	(void)state;
	check_assertions_for(WEBAUTHN_ALG_EDDSA);
}

static void
test_assertion_ps256(void **state)
{
	(void)state;
	check_assertions_for(WEBAUTHN_ALG_PS256);
}

/* Every single-bit change to a signed assertion is refused. */
static void
flip_all(const struct webauthn_credential *rec,
    struct webauthn_assert_response *r, uint8_t *buf, size_t len)
{
	struct webauthn_assertion res;
	enum webauthn_fail fail;
	size_t i;
	int bit;

	for (i = 0; i < len; i++)
		for (bit = 0; bit < 8; bit++) {
			buf[i] ^= (uint8_t)(1u << bit);
			assert_int_not_equal(assert_with(rec, r, &res,
			    &fail), PERR_OK);
			assert_int_not_equal(fail, WEBAUTHN_FAIL_NONE);
			buf[i] ^= (uint8_t)(1u << bit);
		}
}

static void
test_assertion_bit_flips(void **state)
{
	struct webauthn_assert_response *r;
	struct webauthn_credential rec;
	struct webauthn_assertion res;
	enum webauthn_fail fail;
	struct soft a;

	(void)state;
	soft_init(&a, WEBAUTHN_ALG_ES256);
	memset(&rec, 0, sizeof(rec));
	rec.public_key = a.cose.data;
	rec.public_key_len = a.cose.len;
	r = make_assertion(&a, 0x01, 1);
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_OK);
	flip_all(&rec, r, r->authenticator_data,
	    r->authenticator_data_len);
	flip_all(&rec, r, r->client_data_json, r->client_data_json_len);
	flip_all(&rec, r, r->signature, r->signature_len);
	/* And the stored key. */
	flip_all(&rec, r, a.cose.data, a.cose.len);
	assert_int_equal(assert_with(&rec, r, &res, &fail), PERR_OK);
	webauthn_assert_response_free(r);
	soft_free(&a);
}

/* The software authenticator's packed object parses, and not a prefix. */
static void
test_att_object_parse(void **state)
{
	struct webauthn_reg_response *r;
	struct webauthn_att_object ao;
	struct reg_opts o = reg_default;
	struct soft a;
	size_t cut;

	(void)state;
	soft_init(&a, WEBAUTHN_ALG_ES256);
	o.fmt = "packed";
	o.self_attest = true;
	r = make_registration(&a, &o);
	assert_int_equal(webauthn_att_object_parse(r->attestation_object,
	    r->attestation_object_len, &ao), PERR_OK);
	assert_string_equal(ao.fmt, "packed");
	assert_int_equal(ao.present, WEBAUTHN_STMT_ALG | WEBAUTHN_STMT_SIG);
	assert_int_equal(ao.alg, WEBAUTHN_ALG_ES256);
	webauthn_att_object_free(&ao);
	for (cut = 0; cut < r->attestation_object_len; cut++)
		assert_int_not_equal(webauthn_att_object_parse(
		    r->attestation_object, cut, &ao), PERR_OK);
	webauthn_reg_response_free(r);
	soft_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_att_object_parse),
		cmocka_unit_test(test_registration_none_and_self),
		cmocka_unit_test(test_registration_each_check),
		cmocka_unit_test(test_assertion_es256),
		cmocka_unit_test(test_assertion_eddsa),
		cmocka_unit_test(test_assertion_ps256),
		cmocka_unit_test(test_assertion_bit_flips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
