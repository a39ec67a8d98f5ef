/* random_fixture.h — the same numbers on every run for tests that try many inputs:
 * xorshift64 over a state the test seeds (any value but 0). Not for anything that
 * must be unpredictable. Included by the test's own .c file after <stdint.h>. */
#ifndef HAMYAR_TESTS_RANDOM_FIXTURE_H
#define HAMYAR_TESTS_RANDOM_FIXTURE_H

static uint64_t fixture_random(uint64_t *state) {
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return *state;
}

#endif
