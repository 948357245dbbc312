/*
 * webauthn: the relying-party side of WebAuthn Level 3. Strict, bounded
 * parsers for the browser's JSON responses, clientDataJSON,
 * authenticatorData, attestationObject and COSE keys; the attestation
 * statement formats (one file each, one table mapping `fmt` to its
 * verifier); and the two ceremonies, registration (§7.1) and assertion
 * (§7.2), each step commented with its number in the spec.
 *
 * Pure: no I/O, no clock, no globals. The current time, the challenge the
 * server issued, the expected origins and the attestation trust anchors all
 * come in through struct webauthn_policy. Storage (challenge sessions,
 * credential records, "credential ID already registered", user handles) is
 * the caller's business: this module only says whether bytes verify.
 *
 * json-c objects and libcbor items never leave this module; everything the
 * caller sees is a plain C struct it frees with the matching _free().
 */
#ifndef POCKETID_WEBAUTHN_H
#define POCKETID_WEBAUTHN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Named limits. Inputs over a limit fail with PERR_TOO_LARGE. */
#define WEBAUTHN_RESPONSE_JSON_MAX (128u * 1024u) /* whole response JSON */
#define WEBAUTHN_CLIENT_DATA_MAX (16u * 1024u)	  /* clientDataJSON bytes */
#define WEBAUTHN_AUTH_DATA_MAX (16u * 1024u)	  /* authenticatorData */
#define WEBAUTHN_ATT_OBJECT_MAX (64u * 1024u)	  /* attestationObject */
#define WEBAUTHN_SIGNATURE_MAX 1024u		  /* assertion signature */
#define WEBAUTHN_USER_HANDLE_MAX 64u		  /* §5.4.3: at most 64 */
#define WEBAUTHN_CREDENTIAL_ID_MAX 1023u	  /* §7.1 step 25 */
#define WEBAUTHN_CHALLENGE_MAX 1024u		  /* decoded bytes */
#define WEBAUTHN_ORIGIN_MAX 2048u		  /* origin/topOrigin chars */
#define WEBAUTHN_TRANSPORTS_MAX 8u		  /* transports kept */
#define WEBAUTHN_TRANSPORT_LEN_MAX 32u		  /* chars per transport */
#define WEBAUTHN_FMT_MAX 32u			  /* §8.1: fmt octets */
#define WEBAUTHN_X5C_MAX 8u			  /* certificates in x5c */
#define WEBAUTHN_CERT_MAX (8u * 1024u)		  /* one DER certificate */
#define WEBAUTHN_CBOR_DEPTH_MAX 16u		  /* CBOR nesting */
#define WEBAUTHN_CBOR_ITEMS_MAX 2048u		  /* CBOR items per input */
#define WEBAUTHN_CBOR_MAP_MAX 64u		  /* pairs in one CBOR map */
#define WEBAUTHN_RSA_N_MIN 256u			  /* 2048-bit RSA modulus */
#define WEBAUTHN_RSA_N_MAX 1024u		  /* 8192-bit RSA modulus */
#define WEBAUTHN_RSA_E_MAX 8u
#define WEBAUTHN_EC_COORD_MAX 66u		  /* P-521 */

/* authenticatorData flag bits (§6.1). */
#define WEBAUTHN_FLAG_UP 0x01u
#define WEBAUTHN_FLAG_UV 0x04u
#define WEBAUTHN_FLAG_BE 0x08u
#define WEBAUTHN_FLAG_BS 0x10u
#define WEBAUTHN_FLAG_AT 0x40u
#define WEBAUTHN_FLAG_ED 0x80u

/* COSE algorithm identifiers (IANA COSE Algorithms registry). */
enum webauthn_alg {
	WEBAUTHN_ALG_ES256 = -7,
	WEBAUTHN_ALG_EDDSA = -8,
	WEBAUTHN_ALG_ES384 = -35,
	WEBAUTHN_ALG_ES512 = -36,
	WEBAUTHN_ALG_PS256 = -37,
	WEBAUTHN_ALG_PS384 = -38,
	WEBAUTHN_ALG_PS512 = -39,
	WEBAUTHN_ALG_RS256 = -257,
	WEBAUTHN_ALG_RS384 = -258,
	WEBAUTHN_ALG_RS512 = -259,
	/* RSASSA-PKCS1-v1_5 with SHA-1: only TPM attestation uses it. */
	WEBAUTHN_ALG_RS1 = -65535,
};

/* COSE key types and curves (RFC 9053). */
enum webauthn_kty { WEBAUTHN_KTY_OKP = 1, WEBAUTHN_KTY_EC2 = 2,
	WEBAUTHN_KTY_RSA = 3 };
enum webauthn_crv { WEBAUTHN_CRV_P256 = 1, WEBAUTHN_CRV_P384 = 2,
	WEBAUTHN_CRV_P521 = 3, WEBAUTHN_CRV_ED25519 = 6 };

/*
 * Pocket ID's offered pubKeyCredParams (spec §3.2), in its order: ES256,
 * ES384, ES512, RS256, RS384, RS512, PS256, PS384, PS512, EdDSA. A policy
 * with no algorithm list accepts exactly these.
 */
extern const int32_t webauthn_default_algs[10];

/*
 * Why a ceremony failed, one value per check, so the HTTP edge can pick the
 * right error code and a message a person can act on (e.g.
 * passkey_user_verification_required for WEBAUTHN_FAIL_USER_VERIFICATION,
 * "APP_URL must match the address in the browser" for ORIGIN/RP_ID).
 */
enum webauthn_fail {
	WEBAUTHN_FAIL_NONE = 0,
	WEBAUTHN_FAIL_MALFORMED,	 /* JSON, base64url, CBOR, key */
	WEBAUTHN_FAIL_TYPE,		 /* clientData.type */
	WEBAUTHN_FAIL_CHALLENGE,	 /* clientData.challenge */
	WEBAUTHN_FAIL_ORIGIN,		 /* clientData.origin */
	WEBAUTHN_FAIL_CROSS_ORIGIN,	 /* crossOrigin not allowed */
	WEBAUTHN_FAIL_TOP_ORIGIN,	 /* topOrigin not allowed */
	WEBAUTHN_FAIL_RP_ID,		 /* rpIdHash */
	WEBAUTHN_FAIL_USER_PRESENCE,	 /* UP clear */
	WEBAUTHN_FAIL_USER_VERIFICATION, /* UV clear but required */
	WEBAUTHN_FAIL_BACKUP_FLAGS,	 /* BS without BE, BE changed */
	WEBAUTHN_FAIL_ALGORITHM,	 /* credential alg not offered */
	WEBAUTHN_FAIL_CREDENTIAL_DATA,	 /* AT missing, credential ID */
	WEBAUTHN_FAIL_FORMAT,		 /* unknown attestation fmt */
	WEBAUTHN_FAIL_ATTESTATION,	 /* attStmt does not verify */
	WEBAUTHN_FAIL_CERTIFICATE,	 /* x5c expired, wrong fields */
	WEBAUTHN_FAIL_TRUST,		 /* no path to a trust anchor */
	WEBAUTHN_FAIL_SIGNATURE,	 /* assertion signature */
	WEBAUTHN_FAIL_INTERNAL,		 /* out of memory, library error */
};

/* A short static English name for f; never NULL. */
const char *webauthn_fail_str(enum webauthn_fail f);

/*
 * What the caller learns about a failure: the check that failed and a
 * short static sentence (never echoing input). Functions below fill it
 * when the pointer they get is not NULL.
 */
struct webauthn_status {
	enum webauthn_fail fail;
	const char *why;
};

/* An owned DER certificate (heap copy). */
struct webauthn_cert {
	uint8_t *der;
	size_t len;
};

/* A borrowed byte string (a DER certificate, for instance). */
struct webauthn_bytes {
	const uint8_t *data;
	size_t len;
};

/*
 * What the relying party expects, for one ceremony. Every pointer is
 * borrowed for the duration of the call. Zero-initialise, then fill: a zero
 * field is the strict choice wherever there is one.
 */
struct webauthn_policy {
	/* The challenge bytes issued (§7.1 step 8, §7.2 step 11). */
	const uint8_t *challenge;
	size_t challenge_len;
	/* Exact origins accepted in clientData.origin; at least one. */
	const char *const *origins;
	size_t origins_len;
	/* The RP ID; rpIdHash must be its SHA-256. */
	const char *rp_id;
	bool user_verification_required;
	/* Registration with conditional mediation only (§7.1 step 15). */
	bool user_presence_optional;
	/* Accepted credential algorithms; NULL = webauthn_default_algs. */
	const int32_t *algs;
	size_t algs_len;
	/* Whether the RP expects to run inside a cross-origin iframe, and the
	 * exact top-level origins it accepts then (§7.1 steps 10-11). */
	bool cross_origin_allowed;
	const char *const *top_origins;
	size_t top_origins_len;
	/* Current time, seconds since the epoch: certificate validity and the
	 * SafetyNet timestamp are judged against it. */
	int64_t now;
	/*
	 * Attestation trust anchors, DER certificates (§7.1 steps 23-24).
	 * None: attestation is verified (signatures, fields, validity at now)
	 * but not chained, and the result says att_trusted = false, which is
	 * Pocket ID's behaviour. Some: an x5c attestation must chain to one of
	 * them (any of them may be an intermediate) or the ceremony fails.
	 */
	const struct webauthn_bytes *trust_anchors;
	size_t trust_anchors_len;
};

/* Attestation types (§6.5.3). */
enum webauthn_att_type {
	WEBAUTHN_ATT_NONE = 0,
	WEBAUTHN_ATT_SELF,
	WEBAUTHN_ATT_BASIC,
	WEBAUTHN_ATT_ATTCA,
	WEBAUTHN_ATT_ANONCA,
};
/* "none", "self", "basic", "attca", "anonca"; never NULL. */
const char *webauthn_att_type_str(enum webauthn_att_type t);

/*
 * RegistrationResponseJSON (§5.1, toJSON()) as the browser posts it.
 * Binary members are base64url; canonical '=' padding is tolerated there,
 * as go-webauthn (Pocket ID) does, everything else is strict. `id` is only
 * required to be present: registration takes the credential ID from
 * authenticatorData (§7.1 step 27). Unknown members are ignored.
 */
struct webauthn_reg_response {
	char *id;
	uint8_t *client_data_json;
	size_t client_data_json_len;
	uint8_t *attestation_object;
	size_t attestation_object_len;
	char *transports[WEBAUTHN_TRANSPORTS_MAX]; /* as sent, unknown kept */
	size_t transports_len;
	char *authenticator_attachment; /* NULL when absent */
};

/*
 * Parses len bytes of JSON. On success *out is the caller's, freed with
 * webauthn_reg_response_free(). Errors: PERR_INVALID (not the expected
 * shape), PERR_TOO_LARGE (a named limit), PERR_NOMEM.
 */
int webauthn_reg_response_parse(const char *json, size_t len,
    struct webauthn_reg_response **out);
void webauthn_reg_response_free(struct webauthn_reg_response *r);

/*
 * AuthenticationResponseJSON. rawId must decode; when both are sent, id
 * must be rawId's base64url text. user_handle is NULL when absent or null.
 */
struct webauthn_assert_response {
	uint8_t *raw_id;
	size_t raw_id_len;
	uint8_t *client_data_json;
	size_t client_data_json_len;
	uint8_t *authenticator_data;
	size_t authenticator_data_len;
	uint8_t *signature;
	size_t signature_len;
	uint8_t *user_handle;
	size_t user_handle_len;
};
int webauthn_assert_response_parse(const char *json, size_t len,
    struct webauthn_assert_response **out);
void webauthn_assert_response_free(struct webauthn_assert_response *r);

/* The outcome of a successful registration: what to store. */
struct webauthn_registration {
	uint8_t *credential_id;
	size_t credential_id_len;
	uint8_t *public_key; /* the COSE_Key bytes from authenticatorData */
	size_t public_key_len;
	int32_t alg;
	uint32_t sign_count;
	uint8_t aaguid[16];
	uint8_t flags;
	bool user_verified;
	bool backup_eligible;
	bool backup_state;
	char fmt[WEBAUTHN_FMT_MAX + 1];
	enum webauthn_att_type att_type;
	/* True when the x5c chain verified up to a policy trust anchor. */
	bool att_trusted;
	/* The attestation trust path (x5c, leaf first), DER copies. */
	struct webauthn_cert trust_path[WEBAUTHN_X5C_MAX];
	size_t trust_path_len;
	char *transports[WEBAUTHN_TRANSPORTS_MAX];
	size_t transports_len;
};

/*
 * WebAuthn L3 §7.1 steps 5-25 on a parsed response. On success (PERR_OK)
 * *out is the caller's (webauthn_registration_free). The caller still has
 * to check that the credential ID is not yet registered (step 26) and
 * store the record (step 27). On failure *out stays NULL, st (optional)
 * says which check failed, and the return is PERR_VERIFY (a check failed),
 * PERR_INVALID (malformed input), PERR_UNSUPPORTED (fmt or algorithm we do
 * not know), PERR_TOO_LARGE, PERR_EXPIRED (certificate validity) or
 * PERR_NOMEM / PERR_CRYPTO.
 */
int webauthn_registration_verify(const struct webauthn_policy *policy,
    const struct webauthn_reg_response *resp,
    struct webauthn_registration **out, struct webauthn_status *st);
void webauthn_registration_free(struct webauthn_registration *reg);

/* The stored credential record an assertion is checked against. */
struct webauthn_credential {
	const uint8_t *public_key; /* COSE_Key bytes from registration */
	size_t public_key_len;
	uint32_t sign_count;
	/* §7.2 step 19, checked only when the record knows its BE flag. */
	bool has_backup_eligible;
	bool backup_eligible;
};

/* The outcome of a successful assertion: the state to update (step 24). */
struct webauthn_assertion {
	uint32_t sign_count;
	/*
	 * §7.2 step 22: the counter did not increase although one of the two
	 * is non-zero, a signal (not proof) of a cloned authenticator. Not a
	 * failure here: the caller logs and audits it.
	 */
	bool counter_regressed;
	uint8_t flags;
	bool user_verified;
	bool backup_eligible;
	bool backup_state;
};

/*
 * WebAuthn L3 §7.2 steps 8-22. The caller has already found the credential
 * record by resp->raw_id and checked resp->user_handle against its user
 * (steps 5-7). policy->algs, trust_anchors and now are not used, and UP
 * is always required (step 16), whatever user_presence_optional says. Returns
 * as webauthn_registration_verify; *out is filled only on PERR_OK.
 */
int webauthn_assertion_verify(const struct webauthn_policy *policy,
    const struct webauthn_credential *cred,
    const struct webauthn_assert_response *resp,
    struct webauthn_assertion *out, struct webauthn_status *st);

/*
 * Lower-level parsers, exported for the ceremonies, the tests and the
 * fuzzers. They keep no state and read only through bounded readers.
 */

/* CollectedClientData (§5.8.1). Unknown members are ignored. */
enum webauthn_cd_type { WEBAUTHN_CD_OTHER = 0, WEBAUTHN_CD_CREATE,
	WEBAUTHN_CD_GET };
struct webauthn_client_data {
	enum webauthn_cd_type type;
	uint8_t *challenge; /* strictly base64url-decoded */
	size_t challenge_len;
	char *origin;
	bool cross_origin; /* false when absent */
	char *top_origin;  /* NULL when absent */
};
/*
 * Parses clientDataJSON (a leading UTF-8 BOM is skipped, §7.1 step 5).
 * type, challenge and origin are required strings; crossOrigin, when
 * present, a boolean; topOrigin, when present, a string. Fills *out (free
 * with webauthn_client_data_free). Errors: PERR_INVALID, PERR_TOO_LARGE,
 * PERR_NOMEM.
 */
int webauthn_client_data_parse(const uint8_t *json, size_t len,
    struct webauthn_client_data *out);
void webauthn_client_data_free(struct webauthn_client_data *cd);

/*
 * authenticatorData (§6.1). Pointers point into the caller's buffer and
 * are valid as long as it is. The credential public key and the extensions
 * are checked to be exactly one well-formed CBOR item each (the COSE key is
 * not interpreted here: see webauthn_cose_key_parse). No trailing bytes.
 */
struct webauthn_auth_data {
	const uint8_t *rp_id_hash; /* 32 bytes */
	uint8_t flags;
	uint32_t sign_count;
	bool has_attested_credential; /* AT */
	const uint8_t *aaguid;	      /* 16 bytes, when AT */
	const uint8_t *credential_id;
	size_t credential_id_len;
	const uint8_t *public_key; /* COSE_Key bytes */
	size_t public_key_len;
	const uint8_t *extensions; /* CBOR map bytes, when ED */
	size_t extensions_len;
};
/* Errors: PERR_TRUNCATED, PERR_INVALID, PERR_TOO_LARGE. */
int webauthn_auth_data_parse(const uint8_t *data, size_t len,
    struct webauthn_auth_data *out);

/*
 * A credential public key, decoded from a COSE_Key (RFC 9052 §7) and
 * checked for consistency: kty, alg and crv agree, coordinates have their
 * curve's exact length, RSA sizes are within limits, no private or unknown
 * members, no duplicate labels.
 */
struct webauthn_cose_key {
	int32_t kty;
	int32_t alg;
	int32_t crv; /* EC2 and OKP */
	uint8_t x[WEBAUTHN_EC_COORD_MAX];
	uint8_t y[WEBAUTHN_EC_COORD_MAX];
	size_t coord_len; /* x (and y for EC2) length */
	uint8_t n[WEBAUTHN_RSA_N_MAX];
	size_t n_len; /* without leading zero bytes */
	uint8_t e[WEBAUTHN_RSA_E_MAX];
	size_t e_len;
};
/*
 * Parses exactly len bytes as one COSE_Key. Errors: PERR_INVALID,
 * PERR_UNSUPPORTED (well-formed key of an algorithm we do not handle),
 * PERR_TOO_LARGE, PERR_TRUNCATED, PERR_NOMEM.
 */
int webauthn_cose_key_parse(const uint8_t *data, size_t len,
    struct webauthn_cose_key *out);

/*
 * attestationObject (§6.5.4): a CBOR map {fmt: text, attStmt: map,
 * authData: bytes}. The statement members every defined format uses are
 * decoded into C fields; any other member makes the object invalid.
 * Everything is a heap copy (free with webauthn_att_object_free).
 */
#define WEBAUTHN_STMT_ALG 0x01u
#define WEBAUTHN_STMT_SIG 0x02u
#define WEBAUTHN_STMT_X5C 0x04u
#define WEBAUTHN_STMT_VER 0x08u
#define WEBAUTHN_STMT_CERT_INFO 0x10u
#define WEBAUTHN_STMT_PUB_AREA 0x20u
#define WEBAUTHN_STMT_RESPONSE 0x40u
struct webauthn_att_object {
	char fmt[WEBAUTHN_FMT_MAX + 1];
	uint8_t *auth_data;
	size_t auth_data_len;
	unsigned int present; /* WEBAUTHN_STMT_* bits */
	int32_t alg;
	uint8_t *sig;
	size_t sig_len;
	struct webauthn_cert x5c[WEBAUTHN_X5C_MAX];
	size_t x5c_len;
	char *ver;
	uint8_t *cert_info;
	size_t cert_info_len;
	uint8_t *pub_area;
	size_t pub_area_len;
	uint8_t *response;
	size_t response_len;
};
/*
 * Errors: PERR_INVALID (not the syntax above, indefinite lengths,
 * duplicate keys, trailing bytes), PERR_TOO_LARGE, PERR_TRUNCATED,
 * PERR_NOMEM.
 */
int webauthn_att_object_parse(const uint8_t *data, size_t len,
    struct webauthn_att_object *out);
void webauthn_att_object_free(struct webauthn_att_object *ao);

#endif
