/* open311.h — what the Open311 GeoReport v2 handlers (open311.c) share with their wire
 * formats (open311_xml.c): the two answer formats, the decoder of form-encoded bodies,
 * and the one writer that turns an answer into JSON or XML.
 *
 * An Open311 answer is built once, as a Jansson value shaped like the spec's JSON, and
 * written in the format the path asked for. XML follows the spec's mapping: the root
 * element is named by the caller ("services", "service_requests", "errors", ...), an
 * array's items are elements named by open311_item_name() ("service", "request",
 * "error", ...), object members are child elements in their order, true/false and
 * numbers are their text, and null is an empty element. Only fixed names become
 * element names; every text is escaped (open311_xml_escape).
 *
 * Memory: decoded forms live in the caller's arena; the writer appends to a struct buf
 * the caller owns.
 */
#ifndef HAMYAR_HTTP_OPEN311_H
#define HAMYAR_HTTP_OPEN311_H

#include <jansson.h>
#include <stddef.h>

#include "http/http.h"
#include "util/buf.h"

struct arena;

enum open311_format { OPEN311_JSON = 0, OPEN311_XML };

#define OPEN311_JSON_TYPE "application/json; charset=utf-8"
#define OPEN311_XML_TYPE "text/xml; charset=utf-8"

/* ---- form-encoded bodies ------------------------------------------------------------ */

#define OPEN311_FORM_FIELDS_MAX 64

struct open311_field {
  const char *name, *value; /* decoded, NUL-terminated, valid UTF-8 */
};

struct open311_form {
  struct open311_field fields[OPEN311_FORM_FIELDS_MAX];
  size_t n;
};

/* Decodes application/x-www-form-urlencoded text: name=value pairs joined by '&',
 * '+' for a space, %XX escapes. Empty pairs ("a=1&&b=2") are skipped. 0 on success;
 * -1 with *why (a static English sentence) when an escape is malformed, a name or
 * value decodes to a NUL byte or invalid UTF-8, a name is empty or given twice, there
 * are more than OPEN311_FORM_FIELDS_MAX fields, or memory ran out. */
int open311_form_parse(struct arena *a, const char *text, size_t len, struct open311_form *out,
                       const char **why);
/* The value of `name`, or NULL when the form does not have it. */
const char *open311_form_get(const struct open311_form *f, const char *name);

/* ---- XML ------------------------------------------------------------------------------ */

/* Appends `s` (UTF-8) as XML character data: & < > " ' as entities, and the control
 * characters XML 1.0 does not allow (everything below U+0020 but tab, LF and CR)
 * left out. 0, or -1 when the buffer is full. */
int open311_xml_escape(struct buf *b, const char *s);
/* The element name of the items of an array named `container` ("services" →
 * "service", "service_requests" → "request", "errors" → "error", "endpoints" →
 * "endpoint", "formats" → "format", "attributes" → "attribute", "values" → "value");
 * "item" for any other. */
const char *open311_item_name(const char *container);
/* Appends the XML declaration and `value` as the element `root` (see above). 0, or -1
 * when the buffer is full. */
int open311_xml_write(struct buf *b, const char *root, json_t *value);

/* ---- answering ------------------------------------------------------------------------ */

/* Sends `body` (stolen) with `status` in `fmt`: JSON with OPEN311_JSON_TYPE, or XML
 * under the element `root` with OPEN311_XML_TYPE. */
http_status_t open311_reply(struct http_req *req, enum open311_format fmt, int status, const char *root,
                            json_t *body);
/* The spec's error answer with HTTP `status`: [{"code":status,"description":...}] or
 * <errors><error><code>…</code><description>…</description></error></errors>. */
http_status_t open311_error(struct http_req *req, enum open311_format fmt, int status,
                            const char *description);

#endif
