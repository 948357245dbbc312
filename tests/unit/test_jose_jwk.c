/*
 * Unit tests for src/jose keys: the algorithm table, JWK parsing and
 * serialisation (every vector key truncated at every byte, every member
 * truncated at every character), RFC 7638 thumbprints from the public
 * vectors, generation, and JWK sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "codec/codec.h"
#include "crypto/crypto.h"
#include "jose/jose.h"
#include "test_jose_util.h"

/* RFC 8037 A.1 / A.2 key. */
static const char ed_priv[] = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
    "\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\","
    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
static const char ed_pub_x[] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
/* RFC 7515 A.3 P-256 public key. */
static const char p256_pub[] = "{\"kty\":\"EC\",\"crv\":\"P-256\","
    "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";

static int
parse(const char *json, struct jwk **out, const char **why)
{
	return jwk_parse(json, strlen(json), out, why);
}

/* ---- algorithm table ------------------------------------------------------- */

static void
test_alg_table(void **state)
{
	static const char *const names[] = { "RS256", "RS384", "RS512",
	    "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA" };
	static const char *const refused[] = { "none", "HS256", "HS384",
	    "HS512", "es256", "ES256K", "Ed25519", "RSA-OAEP", "" };
	const struct jose_alg_info *a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		a = jose_alg_by_name(names[i]);
		assert_non_null(a);
		assert_ptr_equal(jose_alg_get(a->alg), a);
		assert_string_equal(a->name, names[i]);
		assert_int_equal(a->alg, (int)i + 1);
		assert_true(crypto_hash_len(a->token_hash) > 0);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_null(jose_alg_by_name(refused[i]));
	assert_null(jose_alg_by_name(NULL));
	assert_null(jose_alg_get(JOSE_ALG_UNKNOWN));
	/* RFC 7518 §3.4: R || S lengths. */
	assert_int_equal(jose_alg_get(JOSE_ALG_ES256)->sig_len, 64);
	assert_int_equal(jose_alg_get(JOSE_ALG_ES384)->sig_len, 96);
	assert_int_equal(jose_alg_get(JOSE_ALG_ES512)->sig_len, 132);
	assert_int_equal(jose_alg_get(JOSE_ALG_EDDSA)->sig_len, 64);
	assert_int_equal(jose_alg_get(JOSE_ALG_PS384)->scheme,
	    CRYPTO_SIG_RSA_PSS);
	assert_int_equal(jose_alg_get(JOSE_ALG_ES512)->curve,
	    CRYPTO_CURVE_P521);
}

/* ---- thumbprints --------------------------------------------------------------- */

static void
thumbprint_vector(const char *name, struct json_object *v)
{
	const char *json = vjson(v, "jwk");
	struct jwk *key = NULL;
	char *canon, *thp;

	printf("# %s\n", name);
	assert_string_equal(vstr(v, "hash"), "SHA-256");
	assert_int_equal(parse(json, &key, NULL), PERR_OK);
	assert_int_equal(jwk_thumbprint_json(key, &canon), PERR_OK);
	assert_string_equal(canon, vstr(v, "canonical_json"));
	assert_int_equal(jwk_thumbprint(key, CRYPTO_HASH_SHA256, &thp),
	    PERR_OK);
	assert_string_equal(thp, vstr(v, "thumbprint"));
	free(canon);
	free(thp);
	jwk_free(key);
}

static void
test_rfc7638_thumbprints(void **state)
{
	char *dir = vectors_dir("jose-jwk-thumbprint");

	(void)state;
	if (dir == NULL)
		skip();
	assert_int_equal(for_each_vector(dir, thumbprint_vector), 2);
	free(dir);
}

/* ---- parsing: every vector key, truncated everywhere ------------------------------ */

static void
assert_every_prefix_refused(const char *json)
{
	struct jwk *key;
	size_t i, len = strlen(json);

	for (i = 0; i < len; i++) {
		key = NULL;
		assert_int_not_equal(jwk_parse(json, i, &key, NULL), PERR_OK);
		assert_null(key);
	}
}

/* Each base64url member of obj cut short at every character. */
static void
assert_every_member_cut_refused(struct json_object *obj)
{
	static const char *const members[] = { "n", "e", "d", "p", "q", "dp",
	    "dq", "qi", "x", "y" };
	struct json_object *copy, *m;
	struct jwk *key;
	const char *text, *json;
	char *orig;
	size_t i, k;

	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		if (!json_object_object_get_ex(obj, members[i], &m))
			continue;
		orig = str_dup(json_object_get_string(m));
		for (k = 0; k < strlen(orig); k++) {
			copy = NULL;
			assert_int_equal(json_object_deep_copy(obj, &copy,
			    NULL), 0);
			json_object_object_add(copy, members[i],
			    json_object_new_string_len(orig, (int)k));
			json = json_object_to_json_string(copy);
			key = NULL;
			assert_int_not_equal(jwk_parse(json, strlen(json), &key,
			    NULL), PERR_OK);
			assert_null(key);
			json_object_put(copy);
		}
		free(orig);
	}
	(void)text;
}

static void
jwk_vector(const char *name, struct json_object *v)
{
	const char *priv_json = vjson(v, "jwk"), *why = NULL;
	struct json_object *priv_obj;
	struct jwk *key = NULL, *again = NULL;
	char *out, *t1, *t2;
	size_t len;

	if (strcmp(vstr(v, "alg"), "none") == 0 ||
	    strncmp(vstr(v, "alg"), "HS", 2) == 0) {
		assert_int_equal(parse(priv_json, &key, &why),
		    PERR_UNSUPPORTED);
		assert_string_equal(why, "unsupported JWK kty");
		return;
	}
	printf("# %s\n", name);
	assert_int_equal(parse(priv_json, &key, NULL), PERR_OK);
	assert_true(key->info.has_private);
	/* Private JSON round trip keeps the key and its thumbprint. */
	assert_int_equal(jwk_to_json(key, true, &out, &len), PERR_OK);
	assert_int_equal(jwk_parse(out, len, &again, NULL), PERR_OK);
	assert_true(again->info.has_private);
	str_free_secret(out);
	assert_int_equal(jwk_thumbprint(key, CRYPTO_HASH_SHA256, &t1), PERR_OK);
	assert_int_equal(jwk_thumbprint(again, CRYPTO_HASH_SHA256, &t2),
	    PERR_OK);
	assert_string_equal(t1, t2);
	free(t1);
	free(t2);
	jwk_free(again);
	jwk_free(key);
	assert_every_prefix_refused(priv_json);
	assert_every_prefix_refused(vjson(v, "jwk_public"));
	assert_true(json_object_object_get_ex(v, "jwk", &priv_obj));
	assert_every_member_cut_refused(priv_obj);
}

static void
test_vector_keys_round_trip_and_truncate(void **state)
{
	char *dir = vectors_dir("jose-jws");

	(void)state;
	if (dir == NULL)
		skip();
	assert_int_equal(for_each_vector(dir, jwk_vector), 8);
	free(dir);
}

static void
test_builtin_keys_truncate(void **state)
{
	(void)state;
	/* The same checks without the vector directory. */
	assert_every_prefix_refused(ed_priv);
	assert_every_prefix_refused(p256_pub);
}

/* ---- parsing: rules ------------------------------------------------------------------ */

static void
test_jwk_rules(void **state)
{
	static const struct {
		const char *json;
		int err;
	} cases[] = {
		{ "{\"kty\":\"oct\",\"k\":\"AAAA\"}", PERR_UNSUPPORTED },
		{ "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\","
		  "\"oth\":[]}", PERR_UNSUPPORTED },
		{ "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":"
		  "\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}",
		  PERR_UNSUPPORTED },
		{ "{\"kty\":\"OKP\",\"crv\":\"Ed448\",\"x\":\"AA\"}",
		  PERR_UNSUPPORTED },
		{ "{\"kty\":\"EC\",\"crv\":\"secp256k1\",\"x\":\"AA\","
		  "\"y\":\"AA\"}", PERR_UNSUPPORTED },
		{ "{\"crv\":\"P-256\"}", PERR_INVALID },
		{ "{\"kty\":7}", PERR_INVALID },
		{ "{\"kty\":\"EC\",\"x\":\"AA\",\"y\":\"AA\"}", PERR_INVALID },
		{ "{\"kty\":\"OKP\",\"crv\":\"Ed25519\"}", PERR_INVALID },
		{ "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":"
		  "\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"}",
		  PERR_INVALID },
		{ "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":"
		  "\"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}",
		  PERR_INVALID },
		{ "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":"
		  "\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURoA\"}",
		  PERR_INVALID },
		{ "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":12}",
		  PERR_INVALID },
		{ "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"alg\":\"HS256\","
		  "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}",
		  PERR_UNSUPPORTED },
		{ "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"alg\":\"ES256\","
		  "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}",
		  PERR_INVALID },
		{ "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":[1],"
		  "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}",
		  PERR_INVALID },
		{ "{\"kty\":\"EC\",\"crv\":\"P-384\",\"alg\":\"ES384\","
		  "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
		  "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}",
		  PERR_INVALID },
		{ "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES384\","
		  "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
		  "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}",
		  PERR_INVALID },
		/* Point off the curve (last y character changed). */
		{ "{\"kty\":\"EC\",\"crv\":\"P-256\","
		  "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
		  "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a4\"}",
		  PERR_INVALID },
		{ "[]", PERR_INVALID },
		{ "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":"
		  "\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"} x",
		  PERR_INVALID },
	};
	const char *why;
	struct jwk *key;
	size_t i;
	int err;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		key = NULL;
		why = NULL;
		err = parse(cases[i].json, &key, &why);
		if (err != cases[i].err)
			print_error("case %zu: %d (%s)\n", i, err,
			    why ? why : "-");
		assert_int_equal(err, cases[i].err);
		assert_null(key);
		assert_non_null(why);
	}
}

static void
test_jwk_params_and_serialisation(void **state)
{
	struct jwk *key = NULL;
	char *out, kid[300];
	size_t len;
	struct wbuf w;

	(void)state;
	assert_int_equal(parse(ed_priv, &key, NULL), PERR_OK);
	assert_int_equal(key->alg, JOSE_ALG_UNKNOWN);
	assert_int_equal(key->use, JWK_USE_ABSENT);
	assert_null(key->kid);
	assert_int_equal(key->info.type, CRYPTO_KEY_ED25519);
	assert_int_equal(jwk_to_json(key, true, &out, &len), PERR_OK);
	assert_string_equal(out, "{\"crv\":\"Ed25519\","
	    "\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\","
	    "\"kty\":\"OKP\","
	    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
	str_free_secret(out);
	jwk_free(key);
	/* alg, kid, use come back in lexicographic order; escaping works. */
	wbuf_init(&w);
	wbuf_printf(&w, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"use\":\"sig\","
	    "\"alg\":\"EdDSA\",\"kid\":\"k\\\"1\",\"x\":\"%s\"}", ed_pub_x);
	assert_int_equal(jwk_parse((char *)w.data, w.len, &key, NULL),
	    PERR_OK);
	wbuf_free(&w);
	assert_int_equal(key->alg, JOSE_ALG_EDDSA);
	assert_int_equal(key->use, JWK_USE_SIG);
	assert_string_equal(key->kid, "k\"1");
	assert_int_equal(jwk_to_json(key, true, &out, &len), PERR_OK);
	assert_string_equal(out, "{\"alg\":\"EdDSA\",\"crv\":\"Ed25519\","
	    "\"kid\":\"k\\\"1\",\"kty\":\"OKP\",\"use\":\"sig\","
	    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
	free(out);
	jwk_free(key);
	/* use "enc" parses but is marked unusable for JWS. */
	wbuf_init(&w);
	wbuf_printf(&w, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"use\":\"enc\","
	    "\"x\":\"%s\"}", ed_pub_x);
	assert_int_equal(jwk_parse((char *)w.data, w.len, &key, NULL),
	    PERR_OK);
	assert_int_equal(key->use, JWK_USE_OTHER);
	wbuf_free(&w);
	jwk_free(key);
	/* kid length limit. */
	memset(kid, 'k', sizeof(kid));
	kid[JOSE_KID_MAX_LEN + 1] = '\0';
	wbuf_init(&w);
	wbuf_printf(&w, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"%s\","
	    "\"x\":\"%s\"}", kid, ed_pub_x);
	assert_int_equal(jwk_parse((char *)w.data, w.len, &key, NULL),
	    PERR_INVALID);
	wbuf_free(&w);
	/* Size limit. */
	out = malloc(JOSE_JWK_MAX_LEN + 1);
	assert_non_null(out);
	memset(out, ' ', JOSE_JWK_MAX_LEN + 1);
	assert_int_equal(jwk_parse(out, JOSE_JWK_MAX_LEN + 1, &key, NULL),
	    PERR_TOO_LARGE);
	free(out);
}

static void
test_generate_every_alg(void **state)
{
	static const struct {
		enum jose_alg alg;
		unsigned bits;
		enum crypto_key_type type;
		unsigned want_bits;
	} cases[] = {
		{ JOSE_ALG_RS256, 0, CRYPTO_KEY_RSA, 2048 },
		{ JOSE_ALG_RS384, 3072, CRYPTO_KEY_RSA, 3072 },
		{ JOSE_ALG_PS512, 4096, CRYPTO_KEY_RSA, 4096 },
		{ JOSE_ALG_ES256, 0, CRYPTO_KEY_EC, 256 },
		{ JOSE_ALG_ES384, 0, CRYPTO_KEY_EC, 384 },
		{ JOSE_ALG_ES512, 0, CRYPTO_KEY_EC, 521 },
		{ JOSE_ALG_EDDSA, 0, CRYPTO_KEY_ED25519, 256 },
	};
	struct jwk *key, *pub;
	char *out;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(jwk_generate(cases[i].alg, cases[i].bits,
		    NULL, &key), PERR_OK);
		assert_int_equal(key->info.type, cases[i].type);
		assert_int_equal(key->info.bits, cases[i].want_bits);
		assert_true(key->info.has_private);
		assert_int_equal(key->alg, cases[i].alg);
		assert_int_equal(key->use, JWK_USE_SIG);
		/* Spec §2.6: kid is 8 random bytes, base64url. */
		assert_int_equal(strlen(key->kid), 11);
		assert_int_equal(jwk_to_json(key, false, &out, &len), PERR_OK);
		assert_int_equal(jwk_parse(out, len, &pub, NULL), PERR_OK);
		assert_false(pub->info.has_private);
		assert_int_equal(pub->alg, cases[i].alg);
		assert_string_equal(pub->kid, key->kid);
		free(out);
		jwk_free(pub);
		jwk_free(key);
	}
	assert_int_equal(jwk_generate(JOSE_ALG_RS256, 1024, NULL, &key),
	    PERR_UNSUPPORTED);
	assert_int_equal(jwk_generate(JOSE_ALG_UNKNOWN, 0, NULL, &key),
	    PERR_UNSUPPORTED);
}

static void
test_from_pkey_checks_fit(void **state)
{
	EVP_PKEY *pk = NULL;
	struct jwk *key;

	(void)state;
	assert_int_equal(crypto_pkey_generate_ec(CRYPTO_CURVE_P384, &pk),
	    PERR_OK);
	assert_int_equal(jwk_from_pkey(pk, JOSE_ALG_ES256, NULL, &key),
	    PERR_INVALID);
	assert_int_equal(jwk_from_pkey(pk, JOSE_ALG_RS256, NULL, &key),
	    PERR_INVALID);
	assert_int_equal(jwk_from_pkey(pk, JOSE_ALG_ES384, "a", &key),
	    PERR_OK);
	assert_ptr_equal(key->pkey, pk);
	jwk_free(key);	/* owns pk now */
}

/* ---- JWKS ------------------------------------------------------------------------------ */

static void
test_jwks_publish_and_parse(void **state)
{
	struct jwk *k[2];
	struct jwks *set = NULL;
	const char *why = NULL;
	char *json;
	size_t len;

	(void)state;
	assert_int_equal(jwk_generate(JOSE_ALG_ES256, 0, "one", &k[0]),
	    PERR_OK);
	assert_int_equal(jwk_generate(JOSE_ALG_EDDSA, 0, "two", &k[1]),
	    PERR_OK);
	assert_int_equal(jwks_to_json((const struct jwk *const *)k, 2, &json,
	    &len), PERR_OK);
	assert_true(strncmp(json, "{\"keys\":[{\"alg\":\"ES256\"", 23) == 0);
	assert_null(strstr(json, "\"d\""));
	assert_int_equal(jwks_parse(json, len, &set, NULL), PERR_OK);
	assert_int_equal(set->n, 2);
	assert_string_equal(jwks_find(set, "two")->kid, "two");
	assert_int_equal(jwks_find(set, "one")->alg, JOSE_ALG_ES256);
	assert_null(jwks_find(set, "three"));
	assert_null(jwks_find(set, NULL));
	jwks_free(set);
	free(json);
	/* A set with a private key is refused outright. */
	assert_int_equal(jwk_to_json(k[0], true, &json, &len), PERR_OK);
	{
		struct wbuf w;

		wbuf_init(&w);
		wbuf_printf(&w, "{\"keys\":[%s]}", json);
		assert_int_equal(jwks_parse((char *)w.data, w.len, &set, &why),
		    PERR_INVALID);
		assert_string_equal(why,
		    "a JWK set must not carry private keys");
		wbuf_free(&w);
	}
	str_free_secret(json);
	assert_int_equal(jwks_to_json(NULL, 0, &json, &len), PERR_OK);
	assert_string_equal(json, "{\"keys\":[]}");
	free(json);
	jwk_free(k[0]);
	jwk_free(k[1]);
}

static void
test_jwks_skips_what_it_cannot_use(void **state)
{
	static const char *const bad[] = {
		"{}", "{\"keys\":{}}", "{\"keys\":[1]}",
		("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\","
		"\"y\":\"AA\"}]}"), "[]",
	};
	struct jwks *set = NULL;
	struct wbuf w;
	size_t i;

	(void)state;
	wbuf_init(&w);
	wbuf_printf(&w, "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"},"
	    "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"%s\"},"
	    "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"use\":\"enc\",\"x\":\"%s\"},"
	    "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"ok\",\"x\":\"%s\"},"
	    "%s]}", ed_pub_x, ed_pub_x, ed_pub_x, p256_pub);
	assert_int_equal(jwks_parse((char *)w.data, w.len, &set, NULL),
	    PERR_OK);
	assert_int_equal(set->n, 2);
	assert_non_null(jwks_find(set, "ok"));
	jwks_free(set);
	wbuf_free(&w);
	/* A malformed entry spoils the set. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(jwks_parse(bad[i], strlen(bad[i]), &set,
		    NULL), PERR_INVALID);
	/* Too many keys. */
	wbuf_init(&w);
	wbuf_puts(&w, "{\"keys\":[");
	for (i = 0; i <= JOSE_JWKS_KEYS_MAX; i++)
		wbuf_printf(&w, "%s%s", i ? "," : "", p256_pub);
	wbuf_puts(&w, "]}");
	assert_int_equal(jwks_parse((char *)w.data, w.len, &set, NULL),
	    PERR_TOO_LARGE);
	wbuf_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alg_table),
		cmocka_unit_test(test_rfc7638_thumbprints),
		cmocka_unit_test(test_vector_keys_round_trip_and_truncate),
		cmocka_unit_test(test_builtin_keys_truncate),
		cmocka_unit_test(test_jwk_rules),
		cmocka_unit_test(test_jwk_params_and_serialisation),
		cmocka_unit_test(test_generate_every_alg),
		cmocka_unit_test(test_from_pkey_checks_fit),
		cmocka_unit_test(test_jwks_publish_and_parse),
		cmocka_unit_test(test_jwks_skips_what_it_cannot_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
