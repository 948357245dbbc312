/*
 * admin: the admin and account REST handlers (spec §1.4-§1.6, §1.9,
 * §1.10, §1.12, §1.13, §1.15) and the conventions they share, written
 * once here: list requests (spec §0.5), validation errors with
 * details.fields (spec §0.3, §0.4), the username and email rules, TTLs.
 * Handlers validate, call store/ and answer; they never build SQL.
 */
#ifndef POCKETID_ADMIN_H
#define POCKETID_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"
#include "auth/auth.h"
#include "store/store.h"

struct json_object;

/*
 * Lists (spec §0.5). The query parameters:
 *   pagination[page]   >= 1, default 1 (a page past the end is clamped)
 *   pagination[limit]  1..STORE_LIST_LIMIT_MAX, default 20
 *   sort[column]       a sortable field of the list, default its own
 *   sort[direction]    asc | desc (any case), default asc
 *   filters[f]=v, filters[f][i]=v, filters[f][]=v: f filterable, values
 *                      converted by the column's type; several values
 *                      of one field mean "any of them"
 *   search             where the list has one
 * Empty values count as absent; the first of repeated scalars wins;
 * other parameters are left to the endpoint. Anything under pagination[,
 * sort[ or filters[ that the list does not have is refused.
 */
#define ADMIN_LIST_SEARCH_MAX 255	/* bytes */
#define ADMIN_LIST_VALUE_MAX 255	/* bytes of one filter value */
#define ADMIN_LIST_FILTER_VALUES_MAX 100

/* One field's complaint: static strings (spec §0.3 fields[] item). */
struct admin_field_error {
	const char *field;	/* JSON or query name: "pagination[limit]" */
	const char *code;	/* required, invalid_format, ... */
	const char *message;	/* "must be between 1 and 100" */
};

/*
 * Parses a raw query string (NULL or "" for none) against def into *out
 * (store_list_query_clear it on success; on failure nothing is left to
 * free). PERR_INVALID with *err set: the request is wrong (answer 400).
 * PERR_TOO_LARGE: the query is over HTTP_QUERY_MAX. PERR_NOMEM.
 * Pure: no I/O, so it is unit-tested and fuzzed alone.
 */
int admin_list_parse(const char *query, const struct store_list_def *def,
    struct store_list_query *out, struct admin_field_error *err);

/* Parses the request's query for def and answers the page (200), or the
 * 400 that explains what is wrong. scope: def->n_scope values. */
void admin_list_respond(struct app_call *call,
    const struct store_list_def *def, const char *const *scope);

/*
 * Validation errors (spec §0.3): collect every field's complaint, then
 * answer 400 validation_failed with details.fields in one go.
 */
struct admin_invalid {
	struct wbuf fields;	/* the JSON array's items so far */
	size_t n;
	const char *first_field, *first_message;
};
void admin_invalid_init(struct admin_invalid *v);
void admin_invalid_add(struct admin_invalid *v, const char *field,
    const char *code, const char *message);
/* When something was added: answers the 400 and returns true. Always
 * frees what v holds. */
bool admin_invalid_respond(struct app_call *call, struct admin_invalid *v);

/* One field's 400 validation_failed. */
void admin_invalid_field(struct app_call *call, const char *field,
    const char *code, const char *message);
/* An error with one string in details ({"property": "email"}); key may
 * be NULL for none. message is static. */
void admin_error(struct app_call *call, int status, const char *code,
    const char *message, const char *key, const char *value);
/* 404 not_found with details.resource, message "<resource> not found". */
void admin_not_found(struct app_call *call, const char *resource);
/* 409 already_in_use with details.property. */
void admin_already_in_use(struct app_call *call, const char *property);
/* 400 reserved_claim / duplicate_claim (spec §1.9): details.key and
 * one fields[] item for "key". */
void admin_claim_error(struct app_call *call, const char *code,
    const char *message, const char *key, const char *field_code,
    const char *field_message);
/* An enum perr that has no better answer (500, 503...). */
void admin_fail(struct app_call *call, int rc);

/*
 * The request body as a JSON object (spec §0.4); on false the 400
 * invalid_request_body is already answered. *body is the caller's.
 */
bool admin_body_object(struct app_call *call, struct json_object **body);
/* The same for a JSON array body. */
bool admin_body_array(struct app_call *call, struct json_object **body);

/* spec §0.4 rules. */
#define ADMIN_USERNAME_MAX 50		/* characters */
#define ADMIN_EMAIL_MAX 255		/* bytes */
#define ADMIN_TTL_MAX_S (31 * 24 * 3600)
bool admin_is_valid_username(const char *s);
bool admin_is_valid_email(const char *s);
/* A language tag as the UI sends them ("en", "zh-CN"). */
bool admin_is_valid_locale(const char *s);
/* Unicode code points in a valid UTF-8 string. */
size_t admin_utf8_chars(const char *s);

/* A boolean application setting (spec §4.2) is "true". */
bool admin_setting_is_true(struct app_call *call, const char *key);

/*
 * JSON members. Absent or null: *out NULL / false, *present false, and
 * true is returned. The wrong type: a complaint in v, false returned.
 * Strings are heap copies the caller frees.
 */
#define ADMIN_IDS_MAX 1000
bool admin_json_string(struct json_object *obj, const char *name,
    char **out, struct admin_invalid *v);
bool admin_json_bool(struct json_object *obj, const char *name, bool *out,
    bool *present, struct admin_invalid *v);
/* An array of UUID strings as JSON text (for the store). */
bool admin_json_ids(struct json_object *obj, const char *name, char **out,
    bool *present, struct admin_invalid *v);
/* The same for an array value: PERR_INVALID (not an array of UUIDs),
 * PERR_TOO_LARGE (over ADMIN_IDS_MAX), PERR_NOMEM. */
int admin_ids_json(struct json_object *arr, char **out);

/* Route parameter name as a UUID; false when absent or not a UUID. */
bool admin_path_uuid(struct app_call *call, const char *name,
    const char **id);
/* 404 user_not_found. */
void admin_user_not_found(struct app_call *call);

/*
 * A UserCreateDto (spec §1.5) or signup body (spec §1.4), read from JSON,
 * NFC-normalised and checked. Shared by users.c and signup.c.
 */
#define ADMIN_NAME_MAX 50		/* firstName, lastName: characters */
#define ADMIN_DISPLAY_NAME_MAX 100
#define ADMIN_LOCALE_MAX 35
struct admin_user_body {
	char *id, *username, *email, *first_name, *last_name;
	char *display_name, *locale, *token;
	bool email_verified, is_admin, disabled;
	bool has_email_verified;
	char *group_ids;		/* JSON array, NULL: absent or [] */
};
/* Reads the members; type errors into v. */
void admin_user_body_read(struct json_object *obj,
    struct admin_user_body *b, struct admin_invalid *v);
/*
 * NFC-normalises the strings (spec §0.4) and checks the rules: username,
 * email (required when requireUserEmail), name lengths, locale, id.
 * Fills display_name as "first last" when it is empty. Complaints go to
 * v; an error return (database) means answer admin_fail.
 */
int admin_user_body_check(struct app_call *call, struct admin_user_body *b,
    struct admin_invalid *v);
void admin_user_body_clear(struct admin_user_body *b);
/*
 * The user body of the request, read and checked (the two steps above);
 * self_service (setup, signup) keeps only names, email and token. False:
 * answered. Clear b with admin_user_body_clear either way.
 */
bool admin_user_body_request(struct app_call *call, struct admin_user_body *b,
    bool self_service);
/* The store's view of b (pointers into b). */
void admin_user_body_input(const struct admin_user_body *b,
    struct store_user_input *u);
/* Answers a store error of a user create/update/signup: 409 with the
 * property for PERR_CONFLICT, else admin_fail. */
void admin_user_write_failed(struct app_call *call, int rc,
    const char *conflict);
/* Signup default groups and claims (spec §4.2) as JSON text for the
 * store, NULL when none or unreadable (logged). Caller frees. */
char *admin_default_groups(struct app_call *call);
char *admin_default_claims(struct app_call *call);

/* Handlers (src/app/routes.c lists them). */
void admin_users_list(struct app_call *call);
void admin_user_get(struct app_call *call);
void admin_user_create(struct app_call *call);
void admin_user_update(struct app_call *call);
void admin_user_update_me(struct app_call *call);
void admin_user_delete(struct app_call *call);
void admin_user_groups_get(struct app_call *call);
void admin_user_groups_set(struct app_call *call);
void admin_user_passkeys_list(struct app_call *call);
void admin_user_passkey_delete(struct app_call *call);
void admin_groups_list(struct app_call *call);
void admin_group_get(struct app_call *call);
void admin_group_create(struct app_call *call);
void admin_group_update(struct app_call *call);
void admin_group_delete(struct app_call *call);
void admin_group_users_set(struct app_call *call);
void admin_group_clients_set(struct app_call *call);
void admin_claims_suggestions(struct app_call *call);
void admin_claims_user_set(struct app_call *call);
void admin_claims_group_set(struct app_call *call);
void admin_signup(struct app_call *call);
/* spec §1.4: GET/POST /api/signup/setup, the first account (admin). */
void admin_setup_status(struct app_call *call);
void admin_setup_create(struct app_call *call);
/* Answers the UserDto of id with status (404 user_not_found). */
void admin_respond_user(struct app_call *call, const char *id, int status);
void admin_signup_tokens_list(struct app_call *call);
void admin_signup_token_create(struct app_call *call);
void admin_signup_token_delete(struct app_call *call);

/* --- Application configuration, API keys, audit log, version: the
 * admin-config work adds its declarations below this line. --- */

#endif
