/* fuzz_normalize.c — libFuzzer harness for loc_normalize: any bytes in, and either a
 * refusal (exactly when the input is not valid UTF-8) or valid UTF-8 out that
 * normalising again leaves unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "locale/locale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    if (loc_init() != 0) abort();
    ready = 1;
  }
  /* The header's bound: never more than 3 × input + 1 bytes. */
  size_t cap = 3 * size + 1;
  char *once = malloc(cap), *twice = malloc(cap);
  if (!once || !twice) abort();
  int n = loc_normalize((const char *)data, size, once, cap);
  if ((n >= 0) != loc_utf8_valid((const char *)data, size)) abort();
  if (n >= 0) {
    if (!loc_utf8_valid(once, (size_t)n) || once[n] != '\0') abort();
    /* Only code points past the BMP (4-byte sequences, lead byte F0..F4) can grow past
     * twice their length under NFC; without them the output fits 2 × input. */
    if (!memchr(data, 0xF0, size) && !memchr(data, 0xF1, size) && !memchr(data, 0xF2, size) &&
        !memchr(data, 0xF3, size) && !memchr(data, 0xF4, size) && (size_t)n > 2 * size)
      abort();
    int m = loc_normalize(once, (size_t)n, twice, cap);
    if (m != n || memcmp(once, twice, (size_t)n) != 0) abort();
  }
  free(once);
  free(twice);
  return 0;
}
