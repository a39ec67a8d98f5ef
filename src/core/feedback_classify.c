/* feedback_classify.c — the 197 desk's public categories and the lexicon classifier;
 * see feedback_classify.h.
 *
 * How a term matches (the rule the lexicon below is written for):
 *  - Letters are compared after folding the forms people use interchangeably: أ إ آ ٱ
 *    as ا, ؤ as و, ئ and Arabic ي ى as ی, Arabic ك as ک, ة ۀ as ه, Latin,
 *    Arabic-Indic and Persian digits alike, Latin letters in lower case. Diacritics
 *    (fatha ... sukun, superscript alef, the hamza above of جریمهٔ) and tatweel are
 *    skipped on both sides.
 *  - ZWNJ is optional on both sides: "می‌خواستم" matches "میخواستم", "می خواستم" and
 *    "می‌خواستم". A space inside a term likewise matches a space, a ZWNJ or nothing,
 *    so "پلیس +۱۰" matches "پلیس+۱۰".
 *  - A term starts at a word start (the text's start, or after a character that is
 *    not a letter, digit, mark or ZWNJ) and ends at a word end, after which up to
 *    three suffixes from `suffixes` may follow, each optionally after a ZWNJ:
 *    "مامور" matches "ماموران", "مامورا", "ماموراشون"; "کتک" matches "کتکش". Verb
 *    prefixes (می، نمی، ن، ب) are not stripped: a verb is written in each form it is
 *    expected in.
 *  - Each entry counts once however often it occurs. A match lying inside a longer
 *    match (starting at the same word or inside an earlier match) is not counted:
 *    "برخورد فیزیکی" counts, the "برخورد" inside it does not. Entries of weight 0 are
 *    stop phrases: they count nothing and are no reason, but hide what they contain,
 *    so "زنگ زدم" is not taken for the "زد" of a blow.
 */
#include "core/feedback_classify.h"

#include <stdint.h>
#include <string.h>

#include "locale/locale.h"

#define ZW "\u200c"

/* ---- categories ------------------------------------------------------------------------ */

/* The lexicon refers to categories by these indexes: keep the two in the same order. */
enum cat {
  PRAISE_CONDUCT = 0,
  COMPLAINT_CONDUCT,
  COMPLAINT_DELAY,
  COMPLAINT_CORRUPTION,
  COMPLAINT_FORCE,
  COMPLAINT_TRAFFIC,
  COMPLAINT_SERVICE,
  SUGGESTION,
  REPORT_CRIME,
  ENQUIRY,
  CAT__COUNT,
  STOP = -1, /* a stop phrase's "category" */
};

static const struct fb_category categories[CAT__COUNT] = {
    [PRAISE_CONDUCT] = {"praise_conduct", FB_PRAISE, "قدردانی از مأموران", "Praise of officers",
                        "سپاس از رفتار یا کار مأموری که به شما کمک کرد.",
                        "تشکر,قدردانی,سپاس,تقدیر"},
    [COMPLAINT_CONDUCT] = {"complaint_conduct", FB_COMPLAINT, "رفتار نامناسب مأموران",
                           "Officer misconduct",
                           "بی" ZW "احترامی، توهین، داد زدن یا بی" ZW "اعتنایی مأمور به شما.",
                           "بی" ZW "احترامی,توهین,بد" ZW "رفتاری"},
    [COMPLAINT_DELAY] = {"complaint_delay", FB_COMPLAINT, "دیر رسیدن یا پاسخ ندادن",
                         "Late or no response",
                         "پاسخ ندادن ۱۱۰، دیر رسیدن گشت یا پیگیری نشدن پرونده.",
                         "تاخیر,۱۱۰,پاسخ ندادن,پیگیری"},
    [COMPLAINT_CORRUPTION] = {"complaint_corruption", FB_COMPLAINT, "درخواست رشوه یا پول",
                              "Bribery or money demanded",
                              "مأموری که برای انجام یا انجام ندادن کاری از شما پول خواست.",
                              "رشوه,پول,فساد"},
    [COMPLAINT_FORCE] = {"complaint_force", FB_COMPLAINT, "برخورد فیزیکی و زور", "Use of force",
                         "کتک زدن، هل دادن یا هر برخورد فیزیکی بی" ZW "جا.",
                         "ضرب و جرح,کتک,خشونت"},
    [COMPLAINT_TRAFFIC] = {"complaint_traffic", FB_COMPLAINT, "راهور: جریمه و توقیف خودرو",
                           "Traffic police: fines, impounding",
                           "اعتراض به جریمه، توقیف خودرو یا موتور، یا کار پلیس راهور و پلیس راه.",
                           "جریمه,توقیف,راهور,پارکینگ"},
    [COMPLAINT_SERVICE] = {"complaint_service", FB_COMPLAINT, "کندی خدمات اداری",
                           "Slow administrative services",
                           "گذرنامه، پلیس +۱۰، شماره" ZW "گذاری، گواهی عدم سوء پیشینه و کارهای اداری دیگر.",
                           "گذرنامه,پلیس +۱۰,نوبت,شماره" ZW "گذاری"},
    [SUGGESTION] = {"suggestion", FB_SUGGESTION, "پیشنهاد", "Suggestion",
                    "پیشنهادی برای بهتر شدن کار پلیس یا امنیت محله" ZW "تان.",
                    "پیشنهاد,ایده"},
    [REPORT_CRIME] = {"report_crime", FB_REPORT, "گزارش غیرفوری جرم", "Non-urgent crime report",
                      "خبر از جرمی که فوری نیست: مواد مخدر، مزاحمت، قاچاق، کلاهبرداری. "
                      "برای خطر فوری با ۱۱۰ تماس بگیرید.",
                      "مواد مخدر,مزاحمت,قاچاق,کلاهبرداری"},
    [ENQUIRY] = {"enquiry", FB_ENQUIRY, "پرسش و راهنمایی", "Question",
                 "پرسش درباره کارهای پلیس، مدارک لازم یا پس گرفتن وسیله گم" ZW "شده.",
                 "پرسش,راهنمایی,گم" ZW "شده"},
};

const struct fb_category *fb_categories(size_t *n) {
  *n = CAT__COUNT;
  return categories;
}

const struct fb_category *fb_category_find(const char *code) {
  if (!code) return NULL;
  for (size_t i = 0; i < CAT__COUNT; i++)
    if (strcmp(categories[i].code, code) == 0) return &categories[i];
  return NULL;
}

/* ---- the lexicon ------------------------------------------------------------------------- */

struct entry {
  const char *term;
  int cat; /* enum cat */
  int weight;
};

/* The lexicon: term, category, weight (1 a hint … 5 all but decisive). Written for
 * hamyar from how people write to the desk; a space stands for a space or ZWNJ (see
 * the rule at the top). Order matters only for listing equal-weight reasons. */
static const struct entry lexicon[] = {
    /* praise of officers */
    {"تشکر", PRAISE_CONDUCT, 3},
    {"تشکر می کنم", PRAISE_CONDUCT, 4},
    {"تشکر ویژه", PRAISE_CONDUCT, 4},
    {"متشکر", PRAISE_CONDUCT, 3},
    {"قدردانی", PRAISE_CONDUCT, 4},
    {"سپاس", PRAISE_CONDUCT, 3},
    {"سپاسگزار", PRAISE_CONDUCT, 4},
    {"ممنون", PRAISE_CONDUCT, 2},
    {"مرسی", PRAISE_CONDUCT, 2},
    {"تقدیر", PRAISE_CONDUCT, 4},
    {"درد نکنه", PRAISE_CONDUCT, 4},
    {"درد نکند", PRAISE_CONDUCT, 4},
    {"دمت گرم", PRAISE_CONDUCT, 4},
    {"دمش گرم", PRAISE_CONDUCT, 4},
    {"دمتون گرم", PRAISE_CONDUCT, 4},
    {"دمشون گرم", PRAISE_CONDUCT, 4},
    {"خدا قوت", PRAISE_CONDUCT, 4},
    {"خسته نباشید", PRAISE_CONDUCT, 4},
    {"خدا خیر", PRAISE_CONDUCT, 4},
    {"درود بر", PRAISE_CONDUCT, 3},
    {"زحمات", PRAISE_CONDUCT, 3},
    {"با ادب", PRAISE_CONDUCT, 3},
    {"مودب", PRAISE_CONDUCT, 3},
    {"محترمانه", PRAISE_CONDUCT, 3},
    {"مهربان", PRAISE_CONDUCT, 3},
    {"مهربون", PRAISE_CONDUCT, 3},
    {"دلسوز", PRAISE_CONDUCT, 3},
    {"منصف", PRAISE_CONDUCT, 2},
    {"شریف", PRAISE_CONDUCT, 2},
    {"وظیفه شناس", PRAISE_CONDUCT, 3},
    {"با حوصله", PRAISE_CONDUCT, 3},
    {"خوش برخورد", PRAISE_CONDUCT, 4},
    {"برخورد خوب", PRAISE_CONDUCT, 4},
    {"رفتار خوب", PRAISE_CONDUCT, 4},
    {"عالی بود", PRAISE_CONDUCT, 3},
    {"راضی", PRAISE_CONDUCT, 2},
    {"نجات", PRAISE_CONDUCT, 2},
    {"کمک کرد", PRAISE_CONDUCT, 2},
    {"کمکمون", PRAISE_CONDUCT, 2},
    {"برگردوند", PRAISE_CONDUCT, 2},
    {"برگرداند", PRAISE_CONDUCT, 2},
    {"پیدا کردن", PRAISE_CONDUCT, 1},
    {"انسانی", PRAISE_CONDUCT, 2},
    {"صمیمانه", PRAISE_CONDUCT, 2},
    {"پیگیری جدی", PRAISE_CONDUCT, 2},
    /* misconduct */
    {"بی ادب", COMPLAINT_CONDUCT, 4},
    {"بی احترامی", COMPLAINT_CONDUCT, 4},
    {"توهین", COMPLAINT_CONDUCT, 4},
    {"فحش", COMPLAINT_CONDUCT, 4},
    {"ناسزا", COMPLAINT_CONDUCT, 4},
    {"بد و بیراه", COMPLAINT_CONDUCT, 4},
    {"داد زد", COMPLAINT_CONDUCT, 3},
    {"داد کشید", COMPLAINT_CONDUCT, 3},
    {"داد و بیداد", COMPLAINT_CONDUCT, 4},
    {"تحقیر", COMPLAINT_CONDUCT, 4},
    {"تحقیر آمیز", COMPLAINT_CONDUCT, 4},
    {"توهین آمیز", COMPLAINT_CONDUCT, 4},
    {"تهدید آمیز", COMPLAINT_CONDUCT, 3},
    {"مسخره", COMPLAINT_CONDUCT, 3},
    {"بی اعتنا", COMPLAINT_CONDUCT, 3},
    {"بی حوصله", COMPLAINT_CONDUCT, 2},
    {"برخورد تند", COMPLAINT_CONDUCT, 3},
    {"برخورد بد", COMPLAINT_CONDUCT, 4},
    {"بد برخورد", COMPLAINT_CONDUCT, 4},
    {"رفتار بد", COMPLAINT_CONDUCT, 4},
    {"رفتار زننده", COMPLAINT_CONDUCT, 4},
    {"رفتار نامناسب", COMPLAINT_CONDUCT, 4},
    {"بد رفتاری", COMPLAINT_CONDUCT, 4},
    {"اخلاق بد", COMPLAINT_CONDUCT, 4},
    {"لحن", COMPLAINT_CONDUCT, 2},
    {"گوش نداد", COMPLAINT_CONDUCT, 3},
    {"مزاحم نشو", COMPLAINT_CONDUCT, 3},
    {"مربوط نیست", COMPLAINT_CONDUCT, 2},
    {"مثل مجرم", COMPLAINT_CONDUCT, 3},
    {"احترامی نذاشت", COMPLAINT_CONDUCT, 3},
    {"احترام نگذاشت", COMPLAINT_CONDUCT, 3},
    {"طرفداری", COMPLAINT_CONDUCT, 3},
    {"زشت", COMPLAINT_CONDUCT, 2},
    {"شکایت دارم", COMPLAINT_CONDUCT, 1},
    {"ناراحت", COMPLAINT_CONDUCT, 1},
    /* late or no response */
    {"دیر", COMPLAINT_DELAY, 2},
    {"دیر رسید", COMPLAINT_DELAY, 4},
    {"دیر اومد", COMPLAINT_DELAY, 4},
    {"دیر آمد", COMPLAINT_DELAY, 4},
    {"نیومد", COMPLAINT_DELAY, 3},
    {"نیامد", COMPLAINT_DELAY, 3},
    {"جواب نداد", COMPLAINT_DELAY, 3},
    {"جواب نمی ده", COMPLAINT_DELAY, 3},
    {"جواب نمی دهند", COMPLAINT_DELAY, 3},
    {"پاسخ نداد", COMPLAINT_DELAY, 3},
    {"پاسخ نمی دهند", COMPLAINT_DELAY, 3},
    {"پاسخگو نیست", COMPLAINT_DELAY, 3},
    {"جوابگو نیست", COMPLAINT_DELAY, 3},
    {"پشت خط", COMPLAINT_DELAY, 3},
    {"اشغال", COMPLAINT_DELAY, 3},
    {"قطع شد", COMPLAINT_DELAY, 2},
    {"منتظر", COMPLAINT_DELAY, 2},
    {"ساعت بعد", COMPLAINT_DELAY, 3},
    {"دقیقه بعد", COMPLAINT_DELAY, 2},
    {"پیگیری نکرد", COMPLAINT_DELAY, 4},
    {"پیگیری نشده", COMPLAINT_DELAY, 4},
    {"هیچ پیگیری", COMPLAINT_DELAY, 3},
    {"بی نتیجه", COMPLAINT_DELAY, 3},
    {"خبری نیست", COMPLAINT_DELAY, 3},
    {"نیرو نداریم", COMPLAINT_DELAY, 3},
    {"هنوز", COMPLAINT_DELAY, 1},
    {"۱۱۰", COMPLAINT_DELAY, 1},
    /* bribery */
    {"رشوه", COMPLAINT_CORRUPTION, 5},
    {"زیرمیزی", COMPLAINT_CORRUPTION, 5},
    {"شیرینی", COMPLAINT_CORRUPTION, 3},
    {"پول خواست", COMPLAINT_CORRUPTION, 5},
    {"درخواست پول", COMPLAINT_CORRUPTION, 5},
    {"پول گرفت", COMPLAINT_CORRUPTION, 4},
    {"ازم خواست", COMPLAINT_CORRUPTION, 3},
    {"از من خواست", COMPLAINT_CORRUPTION, 3},
    {"پول می گیر", COMPLAINT_CORRUPTION, 4},
    {"پولی بدی", COMPLAINT_CORRUPTION, 4},
    {"چیزی بدی", COMPLAINT_CORRUPTION, 4},
    {"پول اضافه", COMPLAINT_CORRUPTION, 4},
    {"کارت به کارت", COMPLAINT_CORRUPTION, 4},
    {"رسید ندادن", COMPLAINT_CORRUPTION, 3},
    {"ساخت و پاخت", COMPLAINT_CORRUPTION, 5},
    {"پارتی", COMPLAINT_CORRUPTION, 3},
    {"فساد", COMPLAINT_CORRUPTION, 4},
    {"باج", COMPLAINT_CORRUPTION, 5},
    {"تومن", COMPLAINT_CORRUPTION, 3},
    {"میلیون", COMPLAINT_CORRUPTION, 2},
    /* use of force */
    {"کتک", COMPLAINT_FORCE, 4},
    {"باتوم", COMPLAINT_FORCE, 5},
    {"مشت", COMPLAINT_FORCE, 4},
    {"سیلی", COMPLAINT_FORCE, 4},
    {"لگد", COMPLAINT_FORCE, 4},
    {"هل داد", COMPLAINT_FORCE, 4},
    {"ضرب و جرح", COMPLAINT_FORCE, 5},
    {"ضرب و شتم", COMPLAINT_FORCE, 5},
    {"خشونت", COMPLAINT_FORCE, 4},
    {"خشن", COMPLAINT_FORCE, 3},
    {"با زور", COMPLAINT_FORCE, 4},
    {"زور", COMPLAINT_FORCE, 2},
    {"برخورد فیزیکی", COMPLAINT_FORCE, 5},
    {"شکست", COMPLAINT_FORCE, 2},
    {"پاره کرد", COMPLAINT_FORCE, 2},
    {"دستبند", COMPLAINT_FORCE, 2},
    {"بازداشتگاه", COMPLAINT_FORCE, 2},
    {"زد", COMPLAINT_FORCE, 1},
    {"زنگ زد", STOP, 0},
    {"زنگ بزن", STOP, 0},
    {"حرف زد", STOP, 0},
    /* courtesies that close complaints and questions, not praise */
    {"با تشکر", STOP, 0},
    {"ممنون می شم", STOP, 0},
    {"ممنون میشوم", STOP, 0},
    /* traffic police */
    {"جریمه", COMPLAINT_TRAFFIC, 3},
    {"راهور", COMPLAINT_TRAFFIC, 3},
    {"راهنمایی رانندگی", COMPLAINT_TRAFFIC, 3},
    {"راهنمایی و رانندگی", COMPLAINT_TRAFFIC, 3},
    {"پلیس راه", COMPLAINT_TRAFFIC, 2},
    {"توقیف", COMPLAINT_TRAFFIC, 3},
    {"پارکینگ", COMPLAINT_TRAFFIC, 3},
    {"خوابوند", COMPLAINT_TRAFFIC, 3},
    {"نخوابون", COMPLAINT_TRAFFIC, 3},
    {"گواهینامه", COMPLAINT_TRAFFIC, 2},
    {"کروکی", COMPLAINT_TRAFFIC, 3},
    {"مقصر", COMPLAINT_TRAFFIC, 2},
    {"سبقت", COMPLAINT_TRAFFIC, 3},
    {"تخلف", COMPLAINT_TRAFFIC, 3},
    {"پلاک", COMPLAINT_TRAFFIC, 1},
    {"دوربین", COMPLAINT_TRAFFIC, 2},
    {"معاینه فنی", COMPLAINT_TRAFFIC, 3},
    {"جرثقیل", COMPLAINT_TRAFFIC, 3},
    {"پارک دوبل", COMPLAINT_TRAFFIC, 3},
    {"نمره منفی", COMPLAINT_TRAFFIC, 4},
    {"کلاه ایمنی", COMPLAINT_TRAFFIC, 3},
    {"شیشه دودی", COMPLAINT_TRAFFIC, 3},
    {"کمین", COMPLAINT_TRAFFIC, 2},
    {"ترخیص", COMPLAINT_TRAFFIC, 2},
    {"ضبط کرد", COMPLAINT_TRAFFIC, 2},
    /* administrative services */
    {"گذرنامه", COMPLAINT_SERVICE, 3},
    {"پاسپورت", COMPLAINT_SERVICE, 3},
    {"پلیس +۱۰", COMPLAINT_SERVICE, 3},
    {"پلیس ۱۰+", COMPLAINT_SERVICE, 3},
    {"دفتر پلیس", COMPLAINT_SERVICE, 3},
    {"سامانه", COMPLAINT_SERVICE, 2},
    {"نوبت", COMPLAINT_SERVICE, 3},
    {"صادر نشده", COMPLAINT_SERVICE, 4},
    {"صادر نمی", COMPLAINT_SERVICE, 3},
    {"صدور", COMPLAINT_SERVICE, 3},
    {"سوء پیشینه", COMPLAINT_SERVICE, 3},
    {"تعویض پلاک", COMPLAINT_SERVICE, 4},
    {"شماره گذاری", COMPLAINT_SERVICE, 4},
    {"تعویض گواهینامه", COMPLAINT_SERVICE, 4},
    {"کارت ماشین", COMPLAINT_SERVICE, 3},
    {"تشخیص هویت", COMPLAINT_SERVICE, 3},
    {"المثنی", COMPLAINT_SERVICE, 3},
    {"بلاتکلیف", COMPLAINT_SERVICE, 3},
    {"معطل", COMPLAINT_SERVICE, 3},
    {"سیستم قطع", COMPLAINT_SERVICE, 4},
    {"شلوغ", COMPLAINT_SERVICE, 2},
    {"صف", COMPLAINT_SERVICE, 2},
    {"تعرفه", COMPLAINT_SERVICE, 3},
    {"مدرک", COMPLAINT_SERVICE, 2},
    {"مجوز خروج", COMPLAINT_SERVICE, 4},
    {"خدمات", COMPLAINT_SERVICE, 2},
    {"اداری", COMPLAINT_SERVICE, 2},
    {"ماهه", COMPLAINT_SERVICE, 1},
    /* suggestions */
    {"پیشنهاد", SUGGESTION, 5},
    {"بهتره", SUGGESTION, 4},
    {"بهتر است", SUGGESTION, 4},
    {"بهتر نیست", SUGGESTION, 4},
    {"کاش", SUGGESTION, 4},
    {"ایکاش", SUGGESTION, 4},
    {"ای کاش", SUGGESTION, 4},
    {"خوبه که", SUGGESTION, 4},
    {"خوب میشه", SUGGESTION, 4},
    {"خوب می شد", SUGGESTION, 4},
    {"به نظرم", SUGGESTION, 2},
    {"ایده", SUGGESTION, 3},
    {"بذارید", SUGGESTION, 3},
    {"بگذارید", SUGGESTION, 3},
    {"نصب", SUGGESTION, 2},
    {"بیشتر بشه", SUGGESTION, 3},
    {"بیشتر شود", SUGGESTION, 3},
    {"راه اندازی", SUGGESTION, 2},
    {"سرعتگیر", SUGGESTION, 2},
    {"اضافه کنید", SUGGESTION, 2},
    {"امکان", SUGGESTION, 2},
    {"آموزش", SUGGESTION, 2},
    /* non-urgent crime reports */
    {"مواد", REPORT_CRIME, 3},
    {"مواد مخدر", REPORT_CRIME, 4},
    {"مواد می فروش", REPORT_CRIME, 5},
    {"ساقی", REPORT_CRIME, 5},
    {"معتاد", REPORT_CRIME, 3},
    {"قاچاق", REPORT_CRIME, 4},
    {"مشکوک", REPORT_CRIME, 4},
    {"مزاحم", REPORT_CRIME, 3},
    {"کلاهبردار", REPORT_CRIME, 3},
    {"قمار", REPORT_CRIME, 4},
    {"مشروب", REPORT_CRIME, 4},
    {"تیراندازی", REPORT_CRIME, 3},
    {"شکار غیرمجاز", REPORT_CRIME, 4},
    {"غیرمجاز", REPORT_CRIME, 2},
    {"جعلی", REPORT_CRIME, 3},
    {"تقلبی", REPORT_CRIME, 3},
    {"دزدی", REPORT_CRIME, 2},
    {"سرقت", REPORT_CRIME, 1},
    {"می فروش", REPORT_CRIME, 2},
    {"خرید و فروش", REPORT_CRIME, 3},
    {"رباخوار", REPORT_CRIME, 4},
    {"نزول", REPORT_CRIME, 3},
    {"انبار", REPORT_CRIME, 2},
    {"بدون مجوز", REPORT_CRIME, 3},
    {"بدون پلاک", REPORT_CRIME, 3},
    {"جنگل", REPORT_CRIME, 2},
    {"گزارش", REPORT_CRIME, 1},
    {"به اسم پلیس", REPORT_CRIME, 4},
    /* questions */
    {"چطور", ENQUIRY, 3},
    {"چگونه", ENQUIRY, 3},
    {"کجا", ENQUIRY, 2},
    {"چه مدارکی", ENQUIRY, 4},
    {"مدارک لازم", ENQUIRY, 4},
    {"چه مراحلی", ENQUIRY, 4},
    {"چه شرایطی", ENQUIRY, 3},
    {"آیا", ENQUIRY, 4},
    {"می خواستم بدونم", ENQUIRY, 4},
    {"می خواستم بپرسم", ENQUIRY, 4},
    {"بپرسم", ENQUIRY, 3},
    {"سوال", ENQUIRY, 2},
    {"راهنمایی کنید", ENQUIRY, 3},
    {"ساعت کاری", ENQUIRY, 4},
    {"شماره تلفن", ENQUIRY, 3},
    {"چیه", ENQUIRY, 2},
    {"کی می تونم", ENQUIRY, 3},
    {"چکار باید", ENQUIRY, 3},
    {"چه کار باید", ENQUIRY, 3},
    {"باید کجا", ENQUIRY, 3},
    {"استعلام", ENQUIRY, 3},
    {"گم شده", ENQUIRY, 2},
    {"گم کردم", ENQUIRY, 2},
    {"جا مونده", ENQUIRY, 2},
    {"مفقود", ENQUIRY, 2},
    {"تحویل", ENQUIRY, 1},
    {"کدام", ENQUIRY, 2},
    {"مراجعه کنم", ENQUIRY, 3},
    {"؟", ENQUIRY, 2},
};

#define NLEX (sizeof lexicon / sizeof lexicon[0])

static const char *const suffixes[] = {
    "ها", "های", "هایی", "ان", "ات", "ا", "ی", "یی", "ای", "ام", "اش", "ش", "م", "ت", "ه",
    "و", "ن", "ند", "ید", "یم", "مان", "تان", "شان", "مون", "تون", "شون", "ست", "تر", "ترین",
};

/* ---- code points ---------------------------------------------------------------------------- */

#define ZWNJ 0x200C

/* The code point at s[*i] (valid UTF-8, checked by fb_classify), *i moved past it. */
static uint32_t next_cp(const char *s, size_t *i) {
  const unsigned char *p = (const unsigned char *)s + *i;
  uint32_t c = p[0];
  size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (n > 1) c &= 0x3F >> (n - 1);
  for (size_t k = 1; k < n; k++) c = (c << 6) | (p[k] & 0x3F);
  *i += n;
  return c;
}

/* Diacritics and tatweel: skipped wherever they are. */
static bool is_mark(uint32_t c) {
  return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640;
}

static bool is_word(uint32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= 0x0620 && c <= 0x0669) || (c >= 0x066E && c <= 0x06D3) || c == 0x06D5 ||
         (c >= 0x06EE && c <= 0x06FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
         (c >= 0xFE70 && c <= 0xFEFF) || c == ZWNJ || c == 0x200D || c == 0x0670;
}

static uint32_t fold(uint32_t c) {
  switch (c) {
  case 0x0622: case 0x0623: case 0x0625: case 0x0671: return 0x0627; /* آ أ إ ٱ → ا */
  case 0x0624: return 0x0648;                                       /* ؤ → و */
  case 0x0626: case 0x064A: case 0x0649: return 0x06CC;             /* ئ ي ى → ی */
  case 0x0643: return 0x06A9;                                       /* ك → ک */
  case 0x0629: case 0x06C0: return 0x0647;                          /* ة ۀ → ه */
  default: break;
  }
  if (c >= '0' && c <= '9') return 0x06F0 + (c - '0');
  if (c >= 0x0660 && c <= 0x0669) return 0x06F0 + (c - 0x0660);
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c == '?') return 0x061F; /* ? → ؟ */
  return c;
}

/* The next code point at or after *i that is not a mark (0 at the end), *i past it. */
static uint32_t next_letter(const char *s, size_t len, size_t *i) {
  while (*i < len) {
    uint32_t c = next_cp(s, i);
    if (!is_mark(c)) return c;
  }
  return 0;
}

/* Whether a word ends at text[i]: the end, or a character that is not part of a word. */
static bool word_end(const char *t, size_t len, size_t i) {
  uint32_t c = next_letter(t, len, &i);
  return c == 0 || !is_word(c);
}

/* Matches the term (or suffix) `w` in t at i with the folding and ZWNJ rules above;
 * the end of the match, or SIZE_MAX. */
static size_t match_here(const char *t, size_t len, size_t i, const char *w) {
  size_t wi = 0, wlen = strlen(w);
  while (wi < wlen) {
    uint32_t wc = fold(next_cp(w, &wi));
    if (is_mark(wc)) continue;
    if (wc == ' ' || wc == ZWNJ) { /* a space or ZWNJ, or none */
      size_t j = i;
      uint32_t c = next_letter(t, len, &j);
      if (c == ' ' || c == ZWNJ) i = j;
      continue;
    }
    uint32_t c;
    do c = next_letter(t, len, &i);
    while (c == ZWNJ);
    if (fold(c) != wc) return SIZE_MAX;
  }
  return i;
}

/* The end of the word at i after up to `depth` suffixes, or SIZE_MAX when none ends it. */
static size_t word_with_suffixes(const char *t, size_t len, size_t i, int depth) {
  if (word_end(t, len, i)) return i;
  if (depth == 0) return SIZE_MAX;
  for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
    size_t end = match_here(t, len, i, suffixes[k]);
    if (end != SIZE_MAX && (end = word_with_suffixes(t, len, end, depth - 1)) != SIZE_MAX)
      return end;
  }
  return SIZE_MAX;
}

static size_t match_term(const char *t, size_t len, size_t i, const char *term) {
  size_t end = match_here(t, len, i, term);
  return end == SIZE_MAX ? end : word_with_suffixes(t, len, end, 3);
}

/* ---- classification ----------------------------------------------------------------------- */

/* Finds which entries match (matched[k]), following the containment rule above. */
static void find_entries(const char *t, size_t len, bool *matched) {
  size_t covered = 0; /* the end of the furthest match so far */
  size_t ends[NLEX];
  size_t i = 0;
  bool in_word = false;
  while (i < len) {
    size_t at = i;
    uint32_t c = next_cp(t, &i);
    /* Terms start at word starts; a question mark is a term of its own wherever it is. */
    bool starts = (is_word(c) && !is_mark(c) && c != ZWNJ && !in_word) || fold(c) == 0x061F;
    in_word = is_word(c);
    if (!starts) continue;
    size_t longest = 0;
    for (size_t k = 0; k < NLEX; k++) {
      ends[k] = match_term(t, len, at, lexicon[k].term);
      if (ends[k] != SIZE_MAX && ends[k] > longest) longest = ends[k];
    }
    if (longest <= covered) continue;
    /* Of entries covering the same words ("کلاهبردار" + "ی" and a "کلاهبرداری"
     * entry would), one counts: the heaviest, else the first. */
    size_t best = NLEX;
    for (size_t k = 0; k < NLEX; k++)
      if (ends[k] == longest && (best == NLEX || lexicon[k].weight > lexicon[best].weight)) best = k;
    matched[best] = true;
    covered = longest;
  }
}

void fb_classify(const char *text, struct fb_suggestion *out) {
  memset(out, 0, sizeof *out);
  if (!text || !*text || !loc_utf8_valid(text, strlen(text))) return;
  bool matched[NLEX] = {0};
  find_entries(text, strlen(text), matched);

  int total[CAT__COUNT] = {0};
  for (size_t k = 0; k < NLEX; k++)
    if (matched[k] && lexicon[k].weight > 0) {
      out->found = true;
      total[lexicon[k].cat] += lexicon[k].weight;
    }
  if (!out->found) return;
  int win = 0;
  for (int c = 1; c < CAT__COUNT; c++)
    if (total[c] > total[win]) win = c; /* strictly more: ties stay with the earlier */
  out->kind = categories[win].kind;
  out->category = categories[win].code;
  out->score = total[win];

  /* Reasons, strongest first; among equals, in lexicon order (an insertion that only
   * passes strictly weaker entries keeps that order). */
  for (size_t k = 0; k < NLEX; k++) {
    if (!matched[k] || lexicon[k].weight <= 0) continue;
    struct fb_reason r = {.term = lexicon[k].term, .category = categories[lexicon[k].cat].code,
                          .weight = lexicon[k].weight};
    size_t at = out->nreasons;
    while (at > 0 && out->reasons[at - 1].weight < r.weight) at--;
    if (at >= FB_REASONS_MAX) continue;
    size_t last = out->nreasons < FB_REASONS_MAX ? out->nreasons : FB_REASONS_MAX - 1;
    memmove(&out->reasons[at + 1], &out->reasons[at], (last - at) * sizeof r);
    out->reasons[at] = r;
    if (out->nreasons < FB_REASONS_MAX) out->nreasons++;
  }
}
