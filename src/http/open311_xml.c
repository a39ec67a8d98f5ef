/* open311_xml.c — the Open311 endpoint's wire formats: form-encoded request bodies in,
 * JSON or XML answers out (see open311.h for the mapping).
 *
 * libmicrohttpd decodes form bodies only through a post processor bound to the
 * connection, which the dispatcher does not use (bodies are collected whole, under
 * the body cap, before the handler runs), so the body in req->raw_body is decoded
 * here. The XML is written by hand: the answers are a handful of flat elements, and
 * an escaper of a few lines is easier to check than a library binding.
 */
#include <stdlib.h>
#include <string.h>

#include "http/open311.h"
#include "http/request.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/log.h"

/* The largest XML answer: 1000 requests of well under 1 KiB each fit with room. */
#define XML_MAX (8u << 20)

/* ---- form-encoded bodies ------------------------------------------------------------ */

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes len bytes of one name or value into the arena. NULL when malformed. */
static char *form_decode(struct arena *a, const char *in, size_t len, const char **why) {
  char *out = arena_alloc(a, len + 1);
  size_t n = 0;
  if (!out) {
    *why = "The form is too large to decode.";
    return NULL;
  }
  for (size_t i = 0; i < len; i++) {
    if (in[i] == '+') {
      out[n++] = ' ';
    } else if (in[i] == '%') {
      int hi = i + 2 < len ? hex_value(in[i + 1]) : -1;
      int lo = i + 2 < len ? hex_value(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        *why = "The form has a malformed %-escape; encode it as application/x-www-form-urlencoded.";
        return NULL;
      }
      out[n++] = (char)(hi * 16 + lo);
      i += 2;
    } else {
      out[n++] = in[i];
    }
  }
  out[n] = '\0';
  if (!loc_utf8_valid(out, n)) {
    *why = "Every form field must be UTF-8 text without NUL characters.";
    return NULL;
  }
  return out;
}

const char *open311_form_get(const struct open311_form *f, const char *name) {
  for (size_t i = 0; i < f->n; i++)
    if (strcmp(f->fields[i].name, name) == 0) return f->fields[i].value;
  return NULL;
}

int open311_form_parse(struct arena *a, const char *text, size_t len, struct open311_form *out,
                       const char **why) {
  out->n = 0;
  size_t start = 0;
  while (start <= len && len > 0) {
    const char *amp = memchr(text + start, '&', len - start);
    size_t end = amp ? (size_t)(amp - text) : len;
    if (end > start) {
      const char *pair = text + start;
      size_t plen = end - start;
      const char *eq = memchr(pair, '=', plen);
      size_t nlen = eq ? (size_t)(eq - pair) : plen;
      if (out->n == OPEN311_FORM_FIELDS_MAX) {
        *why = "The form has too many fields.";
        return -1;
      }
      const char *name = form_decode(a, pair, nlen, why);
      const char *value = name ? form_decode(a, eq ? eq + 1 : "", eq ? plen - nlen - 1 : 0, why) : NULL;
      if (!name || !value) return -1;
      if (!*name) {
        *why = "A form field has no name.";
        return -1;
      }
      if (open311_form_get(out, name)) {
        *why = "A form field is given twice; send each field once.";
        return -1;
      }
      out->fields[out->n++] = (struct open311_field){.name = name, .value = value};
    }
    if (!amp) break;
    start = end + 1;
  }
  return 0;
}

/* ---- XML ------------------------------------------------------------------------------ */

int open311_xml_escape(struct buf *b, const char *s) {
  int rc = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p && rc == 0; p++) {
    switch (*p) {
      case '&': rc = buf_puts(b, "&amp;"); break;
      case '<': rc = buf_puts(b, "&lt;"); break;
      case '>': rc = buf_puts(b, "&gt;"); break;
      case '"': rc = buf_puts(b, "&quot;"); break;
      case '\'': rc = buf_puts(b, "&apos;"); break;
      default:
        /* XML 1.0 has no way to write the other C0 controls, not even as entities. */
        if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r') rc = buf_putc(b, (char)*p);
    }
  }
  return rc;
}

static const struct {
  const char *container, *item;
} item_names[] = {
    {"services", "service"},   {"service_requests", "request"}, {"errors", "error"},
    {"endpoints", "endpoint"}, {"formats", "format"},           {"attributes", "attribute"},
    {"values", "value"},
};

const char *open311_item_name(const char *container) {
  for (size_t i = 0; i < sizeof item_names / sizeof item_names[0]; i++)
    if (strcmp(item_names[i].container, container) == 0) return item_names[i].item;
  return "item";
}

static int write_element(struct buf *b, const char *name, json_t *v) {
  if (json_is_null(v) || !v) return buf_printf(b, "<%s/>", name);
  int rc = buf_printf(b, "<%s>", name);
  if (rc == 0) {
    switch (json_typeof(v)) {
      case JSON_OBJECT: {
        const char *key;
        json_t *member;
        json_object_foreach(v, key, member) {
          if ((rc = write_element(b, key, member)) != 0) break;
        }
        break;
      }
      case JSON_ARRAY: {
        size_t i;
        json_t *item;
        const char *item_name = open311_item_name(name);
        json_array_foreach(v, i, item) {
          if ((rc = write_element(b, item_name, item)) != 0) break;
        }
        break;
      }
      case JSON_STRING:
        rc = open311_xml_escape(b, json_string_value(v));
        break;
      case JSON_INTEGER:
        rc = buf_printf(b, "%lld", (long long)json_integer_value(v));
        break;
      case JSON_REAL:
        rc = buf_printf(b, "%.15g", json_real_value(v));
        break;
      default:
        rc = buf_puts(b, json_is_true(v) ? "true" : "false");
    }
  }
  return rc == 0 ? buf_printf(b, "</%s>", name) : rc;
}

int open311_xml_write(struct buf *b, const char *root, json_t *value) {
  if (buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n") != 0) return -1;
  if (write_element(b, root, value) != 0) return -1;
  return buf_putc(b, '\n');
}

/* ---- answering ------------------------------------------------------------------------ */

http_status_t open311_reply(struct http_req *req, enum open311_format fmt, int status, const char *root,
                            json_t *body) {
  http_status_t rc;
  if (!body) {
    log_msg(LOG_ERROR, "open311.reply", "no answer was built (out of memory?)");
    return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  }
  if (fmt == OPEN311_JSON) {
    char *text = json_dumps(body, HTTP_JSON_DUMP_FLAGS | JSON_ENCODE_ANY);
    rc = text ? http_reply_text(req, status, OPEN311_JSON_TYPE, text, strlen(text))
              : http_reply_error(req, ERR_INTERNAL, NULL, NULL);
    free(text);
  } else {
    struct buf b;
    buf_init(&b, XML_MAX);
    rc = open311_xml_write(&b, root, body) == 0 ? http_reply_text(req, status, OPEN311_XML_TYPE, b.data, b.len)
                                                : http_reply_error(req, ERR_INTERNAL, NULL, NULL);
    buf_free(&b);
  }
  json_decref(body);
  return rc;
}

http_status_t open311_error(struct http_req *req, enum open311_format fmt, int status,
                            const char *description) {
  json_t *err = json_pack("{s:i,s:s}", "code", status, "description", description);
  if (!err) err = json_pack("{s:i,s:s}", "code", status, "description", "The request is invalid.");
  return open311_reply(req, fmt, status, "errors", json_pack("[o]", err));
}
