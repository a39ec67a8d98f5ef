/* feedback_classify.h — the 197 desk's public categories and the lexicon classifier
 * that suggests a contact's kind and category from its text.
 *
 * Categories are what a citizen chooses from on the public form and what Open311
 * clients see as services; each belongs to one kind (a praise category, complaint
 * categories, ...). The list is fixed in code (feedback_classify.c) with Persian and
 * English names.
 *
 * The classifier is transparent on purpose: an officer must see why it suggested what
 * it did, and correct it. It is a weighted Persian lexicon: each entry is a term (a
 * word or a short phrase, in normalised Persian: ی/ک, ZWNJ kept), the category it
 * points to (which implies a kind), and a weight. A term matches at word boundaries
 * (a word may carry common Persian suffixes such as ها، ی، ان، های). The category with
 * the highest total wins; ties go to the earlier category in the list. The kind is the
 * winner's kind. Every matched entry is a reason, strongest first.
 *
 * Accuracy is measured on the labelled set tests/data/feedback-labelled.tsv by
 * tests/unit/test_core_feedback_classify.c (docs/feedback.md has the figure).
 *
 * Thread-safe; no allocation; all strings returned are static.
 */
#ifndef HAMYAR_CORE_FEEDBACK_CLASSIFY_H
#define HAMYAR_CORE_FEEDBACK_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/feedback.h"

struct fb_category {
  const char *code;           /* "complaint_conduct": snake_case, stable (Open311 service_code) */
  enum fb_kind kind;
  const char *name_fa;        /* "رفتار نامناسب مأموران" */
  const char *name_en;
  const char *description_fa; /* one sentence for the public form and Open311 */
  const char *keywords;       /* comma-separated Persian keywords (Open311 `keywords`) */
};

/* The categories in their fixed order, *n set to their number. */
const struct fb_category *fb_categories(size_t *n);
/* The category with that code, or NULL. */
const struct fb_category *fb_category_find(const char *code);

#define FB_REASONS_MAX 8

struct fb_reason {
  const char *term;     /* the lexicon term that matched */
  const char *category; /* the category it points to */
  int weight;
};

struct fb_suggestion {
  bool found;                     /* false: no term matched; kind/category are unset */
  enum fb_kind kind;
  const char *category;
  int score;                      /* the winner's total weight */
  size_t nreasons;                /* matched entries, strongest first, at most FB_REASONS_MAX */
  struct fb_reason reasons[FB_REASONS_MAX];
};

/* Classifies `text`, which must already be normalised (loc_normalize). NULL or empty
 * text gives found = false. */
void fb_classify(const char *text, struct fb_suggestion *out);

#endif
