/* errors.c — the registry's lookups; see errors.h. */
#include "http/errors.h"

static const struct {
  int status;
  const char *code;
  const char *message;
} registry[] = {
#define X(sym, status, code, msg) {status, code, msg},
    HAMYAR_ERRORS(X)
#undef X
};

int err_status(enum err_code code) { return code < ERR__COUNT ? registry[code].status : 500; }

const char *err_code_name(enum err_code code) {
  return code < ERR__COUNT ? registry[code].code : "internal";
}

const char *err_default_message(enum err_code code) {
  return code < ERR__COUNT ? registry[code].message : registry[ERR_INTERNAL].message;
}
