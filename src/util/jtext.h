/* jtext.h — JSON values written straight into a struct buf, byte for byte as Jansson
 * writes them.
 *
 * Jansson (DESIGN.md §3) reads and writes hamyar's JSON. A few texts are made for every
 * 110 call and every audited request: the call's JSON (its answer and its live event)
 * and the audit row's canonical text. Built as Jansson values and dumped, they were
 * the largest part of a call's cost on the HTTP threads. These functions write the
 * same bytes without the values in between; tests/unit/test_util_jtext.c holds them
 * to Jansson's own output, so a text written here and one dumped by Jansson never
 * differ.
 *
 * Every function appends to b and returns 0, or -1 when the text is not well-formed
 * UTF-8, the number is not finite, or b reached its maximum (b may then hold part of
 * the value: the caller drops the buffer).
 */
#ifndef HAMYAR_UTIL_JTEXT_H
#define HAMYAR_UTIL_JTEXT_H
#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

/* s as a JSON string: '"' and '\\' escaped, the short forms \b \f \n \r \t, \u00XX
 * (upper-case hex) for other control characters. With ascii, as JSON_ENSURE_ASCII:
 * everything past ASCII as \uXXXX too, surrogate pairs past the BMP; without, as it is.
 * '/' and DEL are written as they are either way. */
int jtext_string(struct buf *b, const char *s, bool ascii);

/* As jtext_string, or null when s is NULL. */
int jtext_string_or_null(struct buf *b, const char *s);

/* v in decimal. */
int jtext_int(struct buf *b, int64_t v);

/* v as a JSON real the way Jansson writes it with JSON_REAL_PRECISION(precision): "%.*g",
 * ".0" added when that looks like an integer, the exponent without '+' or leading
 * zeros (1e20, 1e-5). */
int jtext_real(struct buf *b, double v, int precision);

#endif
