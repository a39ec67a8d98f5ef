/* apikeys.c — /api/v1/apikeys: keys for integrations (the phone system, Open311
 * clients, a patrol unit's own device), admin only. A key of role unit names the one
 * unit (unit_id) it may act for.
 *
 * A key is shown once, in the answer that creates it; the store keeps its SHA-256 and
 * its first ten characters (the prefix that lists show so keys can be told apart).
 * Revoking is idempotent: revoking a key that is already revoked answers 204 again and
 * changes nothing (and writes no second audit row); an unknown id answers 404.
 */
#include "http/accounts.h"
#include "http/routes.h"
#include "util/arena.h"
#include "util/clock.h"

static const char *key_subject(struct http_req *req, int64_t id) {
  return arena_printf(req->arena, "apikey:%lld", (long long)id);
}

/* ---- GET /api/v1/apikeys ---------------------------------------------------------- */

static enum store_rc list_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct apikey *keys;
  size_t n;
  enum store_rc rc = store_of(tx)->apikey_list(tx, req->arena, &keys, &n);
  if (rc != STORE_OK) return rc;
  rc = http_audit(req, tx, "apikey.list", "", NULL);
  if (rc != STORE_OK) return rc;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, http_apikey_json(&keys[i]));
  http_set_result(req, 200, json_pack("{s:o}", "items", items));
  return STORE_OK;
}

http_status_t apikeys_list(struct http_req *req) { return http_write(req, list_tx); }

/* ---- POST /api/v1/apikeys ---------------------------------------------------------- */

static const char *const integration_roles[] = {"telephony", "open311", "unit", NULL};
static const enum role integration_role_of[] = {ROLE_TELEPHONY, ROLE_OPEN311, ROLE_UNIT};

struct new_key {
  struct apikey k;
  char key[ACCOUNT_APIKEY_SIZE];
  char prefix[ACCOUNT_APIKEY_PREFIX_LEN + 1];
};

static enum store_rc create_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct new_key *nk = req->ctx;
  struct apikey k = nk->k;
  enum store_rc rc = store_of(tx)->apikey_insert(tx, &k);
  if (rc == STORE_CONFLICT) {
    http_set_error(req, ERR_ALREADY_EXISTS, "name", "An API key with that name already exists.");
    return STORE_OK;
  }
  if (rc == STORE_NOT_FOUND) { /* the only reference a key holds is its unit */
    http_set_error(req, ERR_INVALID_FIELD, "unit_id", "No unit has that id; GET /api/v1/units lists them.");
    return STORE_OK;
  }
  if (rc != STORE_OK) return rc;
  const char *subject = key_subject(req, k.id);
  json_t *shown = http_apikey_json(&k);
  json_t *detail = json_pack("{s:s,s:s,s:s}", "name", k.name, "role", role_name(k.role), "prefix", k.prefix);
  if (k.unit_id) json_object_set_new(detail, "unit_id", json_integer((json_int_t)k.unit_id));
  rc = http_audit(req, tx, "apikey.create", subject, detail);
  if (rc == STORE_OK) rc = http_event(req, tx, "apikey.created", subject, shown, ROLE_ADMIN);
  json_decref(detail);
  if (rc == STORE_OK) {
    json_object_set_new(shown, "key", json_string(nk->key));
    http_set_result(req, 201, shown);
  } else {
    json_decref(shown);
  }
  return rc;
}

http_status_t apikeys_create(struct http_req *req) {
  const char *name;
  int role_index = 0;
  int64_t unit_id = 0;
  struct jspec spec[] = {
      JSPEC_STRING("name", &name, 1, ACCOUNT_NAME_MAX),
      JSPEC_ENUM("role", &role_index, integration_roles),
      JSPEC_OPTIONAL(INT, "unit_id", &unit_id, 1, INT64_MAX),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  /* A unit's device key acts for exactly one unit; no other key acts for any. */
  enum role role = integration_role_of[role_index];
  if (role == ROLE_UNIT && unit_id == 0)
    return http_reply_error(req, ERR_MISSING_FIELD, "unit_id", "A key with role unit needs the unit_id it acts for.");
  if (role != ROLE_UNIT && unit_id != 0)
    return http_reply_error(req, ERR_INVALID_FIELD, "unit_id", "Only a key with role unit is bound to a unit.");
  if (!account_name_valid(name))
    return http_reply_error(req, ERR_INVALID_FIELD, "name",
                            "A key name is 1 to 64 characters of a-z, 0-9, '.', '_' and '-'.");
  struct new_key *nk = arena_alloc(req->arena, sizeof *nk);
  if (!nk) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  account_apikey_new(nk->key, nk->prefix);
  nk->k = (struct apikey){
      .name = name,
      .role = role,
      .unit_id = unit_id,
      .prefix = nk->prefix,
      .created_ms = clock_now_ms(),
      .created_by = req->who.id,
  };
  account_token_hash(nk->key, nk->k.key_hash);
  req->ctx = nk;
  return http_write(req, create_tx);
}

/* ---- DELETE /api/v1/apikeys/{id} ----------------------------------------------------- */

static enum store_rc revoke_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const int64_t *id = req->ctx;
  struct store *s = store_of(tx);
  struct apikey k;
  enum store_rc rc = s->apikey_by_id(tx, *id, req->arena, &k);
  if (rc != STORE_OK) return rc;
  if (k.revoked_ms == 0) {
    k.revoked_ms = clock_now_ms();
    rc = s->apikey_revoke(tx, k.id, k.revoked_ms);
    const char *subject = key_subject(req, k.id);
    json_t *detail = json_pack("{s:s}", "name", k.name);
    if (rc == STORE_OK) rc = http_audit(req, tx, "apikey.revoke", subject, detail);
    json_decref(detail);
    json_t *shown = http_apikey_json(&k);
    if (rc == STORE_OK) rc = http_event(req, tx, "apikey.revoked", subject, shown, ROLE_ADMIN);
    json_decref(shown);
  }
  if (rc == STORE_OK) http_set_result(req, 204, NULL);
  return rc;
}

http_status_t apikeys_revoke(struct http_req *req) {
  int64_t *id = arena_alloc(req->arena, sizeof *id);
  if (!id) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, id) != 0) return http_last_status(req);
  req->ctx = id;
  return http_write(req, revoke_tx);
}

