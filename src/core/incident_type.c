/* incident_type.c — the incident-type list and its search; see incident_type.h.
 *
 * Persian text here is written with Persian ی (U+06CC) and ک (U+06A9) and a ZWNJ
 * (\u200c) where standard spelling puts one; test_core_incident_type checks that every
 * string is already what loc_normalize would make of it, so a stored type name and a
 * normalised query compare byte for byte. */
#include "core/incident_type.h"

#include <string.h>

#include "locale/locale.h"

#define ZW "\u200c"

static const struct incident_group_info groups[IGROUP__COUNT] = {
    {IGROUP_VIOLENCE, "violence", "خشونت علیه اشخاص", "Violence against persons"},
    {IGROUP_PROPERTY, "property", "سرقت و اموال", "Theft and property"},
    {IGROUP_TRAFFIC, "traffic", "ترافیک و تصادف", "Traffic and crashes"},
    {IGROUP_DISORDER, "disorder", "نظم عمومی و اختلاف", "Public order and disputes"},
    {IGROUP_DRUGS, "drugs", "مواد مخدر و قاچاق", "Drugs and smuggling"},
    {IGROUP_PERSONS, "persons", "افراد مفقود، مشکوک یا در خطر", "Missing, suspicious or at-risk persons"},
    {IGROUP_HAZARD, "hazard", "حوادث و بحران", "Hazards and disasters"},
    {IGROUP_CYBER_FRAUD, "cyber_fraud", "جرایم سایبری و کلاهبرداری", "Cyber crime and fraud"},
    {IGROUP_NON_EMERGENCY, "non_emergency", "غیرفوریتی", "Non-emergency"},
};

/* APCO names are the short names of ANS 2.103.1 types (the part before its " - "
 * description), e.g. "Abduction Non-Family" for ABDUCTNF, "Domestic Violent" for DVA. */
static const struct incident_type types[] = {
    /* ---- violence ---- */
    {"shooting", "تیراندازی", "Shooting", "Shooting", 1, IGROUP_VIOLENCE,
     {"شلیک", "اسلحه", "گلوله", "تفنگ", "اسلحه گرم", "زخمی"}},
    {"stabbing", "چاقوکشی و قمه" ZW "کشی", "Stabbing", "Stabbing", 1, IGROUP_VIOLENCE,
     {"چاقو", "قمه", "سلاح سرد", "ضربه چاقو", "زخمی", "خونریزی"}},
    {"assault", "ضرب و جرح", "Assault", "Assault", 2, IGROUP_VIOLENCE,
     {"کتک", "کتک" ZW "کاری", "حمله", "مصدوم", "زخمی"}},
    {"fight", "نزاع و درگیری", "Fight", "Fight", 2, IGROUP_VIOLENCE,
     {"دعوا", "درگیری", "زد و خورد", "نزاع دسته" ZW "جمعی", "چند نفر"}},
    {"kidnapping", "آدم" ZW "ربایی", "Kidnapping", "Abduction Non-Family", 1, IGROUP_VIOLENCE,
     {"ربودن", "گروگان", "گروگان" ZW "گیری", "بچه" ZW "ربایی", "به زور سوار کردن"}},
    {"sexual_assault", "تعرض و آزار جنسی", "Sexual assault", "Sex Offense", 1, IGROUP_VIOLENCE,
     {"تجاوز", "تعرض", "آزار جنسی", "هتک حرمت"}},
    {"domestic_violence", "خشونت خانگی", "Domestic violence", "Domestic Violent", 1, IGROUP_VIOLENCE,
     {"همسرآزاری", "کتک زدن همسر", "خانواده", "شوهر", "زن", "خانه"}},

    /* ---- property ---- */
    {"armed_robbery", "سرقت مسلحانه", "Armed robbery", "Robbery", 1, IGROUP_PROPERTY,
     {"سرقت با سلاح", "دزدی مسلحانه", "بانک", "طلافروشی", "صرافی", "اسلحه"}},
    {"street_robbery", "زورگیری و کیف" ZW "قاپی", "Street robbery and snatching", "Robbery", 2,
     IGROUP_PROPERTY, {"زورگیری", "کیف" ZW "قاپی", "موبایل" ZW "قاپی", "گوشی", "قاپیدن", "موتورسوار"}},
    {"burglary", "سرقت از منزل یا مغازه", "Burglary", "Burglary", 2, IGROUP_PROPERTY,
     {"دزد", "دزدی", "سارق", "منزل", "مغازه", "شکستن قفل", "دزدگیر", "ورود به خانه"}},
    {"vehicle_theft", "سرقت خودرو یا موتورسیکلت", "Vehicle theft", "Stolen Vehicle", 2, IGROUP_PROPERTY,
     {"دزدی ماشین", "خودرو", "ماشین", "موتور", "موتورسیکلت", "سرقت خودرو"}},
    {"theft", "سرقت (سایر)", "Theft", "Larceny", 3, IGROUP_PROPERTY,
     {"دزدی", "سرقت", "قطعات خودرو", "ضبط ماشین", "لوازم", "کابل", "احشام", "دام"}},
    {"vandalism", "تخریب اموال", "Vandalism", "Vandalism", 3, IGROUP_PROPERTY,
     {"شکستن شیشه", "تخریب", "خسارت", "آسیب به اموال", "آتش زدن"}},

    /* ---- traffic ---- */
    {"crash_injury", "تصادف جرحی یا فوتی", "Traffic crash with injury or death",
     "Motor Vehicle Accident with Injury", 1, IGROUP_TRAFFIC,
     {"تصادف", "مصدوم", "زخمی", "فوت", "کشته", "عابر", "واژگونی", "برخورد"}},
    {"crash_damage", "تصادف خسارتی", "Traffic crash, damage only", "Motor Vehicle Accident", 3,
     IGROUP_TRAFFIC, {"تصادف", "خسارت", "کروکی", "برخورد", "بیمه"}},
    {"hit_and_run", "تصادف و فرار", "Hit and run", "Hit and Run", 2, IGROUP_TRAFFIC,
     {"فرار راننده", "زد و رفت", "فرار از صحنه", "تصادف"}},
    {"reckless_driving", "رانندگی خطرناک", "Reckless or drunk driving", "Reckless Driver", 2,
     IGROUP_TRAFFIC,
     {"حرکات نمایشی", "سرعت غیرمجاز", "سبقت", "لایی", "مستی", "راننده مست", "دور دور"}},
    {"traffic_obstruction", "ترافیک سنگین و انسداد راه", "Traffic jam or road blocked",
     "Traffic Hazard", 3, IGROUP_TRAFFIC,
     {"ترافیک", "راه" ZW "بندان", "جاده بسته", "انسداد", "پارک مزاحم", "سد معبر", "مانع"}},

    /* ---- disorder ---- */
    {"disturbance", "اخلال در نظم عمومی", "Disturbance", "Disorderly", 3, IGROUP_DISORDER,
     {"شرارت", "اراذل", "هیاهو", "مزاحمت", "فرد مست", "مشروب", "دعوای همسایه"}},
    {"noise", "مزاحمت صوتی", "Noise", "Noise", 4, IGROUP_DISORDER,
     {"سر و صدا", "صدای بلند", "موسیقی", "بوق", "همسایه"}},
    {"harassment", "مزاحمت و آزار", "Harassment", "Harassment", 3, IGROUP_DISORDER,
     {"مزاحمت خیابانی", "مزاحمت تلفنی", "مزاحم", "تعقیب", "پیامک مزاحم", "مزاحمت برای بانوان"}},
    {"threats", "تهدید", "Threats", "Threats", 2, IGROUP_DISORDER,
     {"تهدید به قتل", "ارعاب", "تهدید با سلاح", "ترساندن"}},
    {"family_dispute", "اختلاف خانوادگی", "Family dispute", "Domestic Non-Violent", 3,
     IGROUP_DISORDER, {"مشاجره", "دعوای خانوادگی", "زن و شوهر", "مشاوره", "مصالحه", "طلاق"}},

    /* ---- drugs and smuggling ---- */
    {"drug_dealing", "خرید و فروش مواد مخدر", "Drug dealing", "Drugs", 3, IGROUP_DRUGS,
     {"مواد", "ساقی", "توزیع مواد", "شیشه", "تریاک", "هروئین", "گل", "پاتوق"}},
    {"drug_use", "مصرف مواد مخدر در معابر", "Public drug use", "Drugs", 3, IGROUP_DRUGS,
     {"معتاد", "معتادان متجاهر", "مصرف", "کارتن" ZW "خواب", "پاتوق", "سرنگ"}},
    {"smuggling", "قاچاق کالا و سوخت", "Smuggling of goods or fuel", NULL, 3, IGROUP_DRUGS,
     {"کالای قاچاق", "قاچاق سوخت", "احتکار", "انبار", "گمرک", "کالا"}},

    /* ---- persons ---- */
    {"missing_person", "مفقودی افراد", "Missing person", "Missing Person", 2, IGROUP_PERSONS,
     {"گمشده", "ناپدید", "گم شدن", "مفقود", "سالمند", "آلزایمر"}},
    {"missing_child", "گم" ZW "شدن کودک", "Missing child", "Missing Person", 1, IGROUP_PERSONS,
     {"کودک گمشده", "بچه", "فرزند", "دختر", "پسر", "مفقود"}},
    {"suspicious", "فرد یا خودروی مشکوک", "Suspicious person or vehicle", "Suspicious", 3,
     IGROUP_PERSONS, {"مشکوک", "پرسه", "خودروی رها" ZW "شده", "پلاک", "غریبه"}},
    {"suicide_attempt", "اقدام به خودکشی", "Suicide attempt or threat", "Suicide Threats", 1,
     IGROUP_PERSONS, {"خودکشی", "پریدن", "پل", "خودزنی", "قرص"}},
    {"child_abuse", "کودک" ZW "آزاری و سالمندآزاری", "Child or elder abuse", "Abuse", 2,
     IGROUP_PERSONS, {"آزار کودک", "کودک" ZW "آزاری", "سالمندآزاری", "بدرفتاری", "کودک کار"}},
    {"body_found", "کشف جسد", "Body found", "Death", 2, IGROUP_PERSONS,
     {"جسد", "جنازه", "فوت", "مرده", "قتل"}},
    {"illegal_aliens", "اتباع غیرمجاز", "Unauthorised foreign nationals", "Immigration", 4,
     IGROUP_PERSONS, {"اتباع بیگانه", "تبعه", "مهاجر غیرمجاز", "غیرمجاز"}},

    /* ---- hazards and disasters ---- */
    {"fire", "آتش" ZW "سوزی", "Fire", "Fire Structure", 1, IGROUP_HAZARD,
     {"آتش", "حریق", "دود", "جنگل", "آتش" ZW "سوزی جنگل", "شعله"}},
    {"flood", "سیل، آب" ZW "گرفتگی و رانش زمین", "Flood, flooding or landslide", "Major Incident", 2,
     IGROUP_HAZARD,
     {"سیلاب", "طغیان رودخانه", "آب" ZW "گرفتگی", "بارندگی", "رانش", "ریزش کوه", "بحران", "طوفان"}},
    {"drowning", "غرق" ZW "شدگی", "Drowning", "Drowning", 1, IGROUP_HAZARD,
     {"غریق", "دریا", "ساحل", "رودخانه", "استخر", "غرق"}},
    {"hazmat", "نشت گاز و مواد خطرناک", "Gas leak or hazardous materials", "Hazmat", 1, IGROUP_HAZARD,
     {"بوی گاز", "نشت گاز", "مواد شیمیایی", "گاز", "انفجار", "گازگرفتگی"}},
    {"explosive", "بمب یا بسته مشکوک", "Bomb or suspicious package", "Bomb", 1, IGROUP_HAZARD,
     {"بمب", "بسته مشکوک", "مواد منفجره", "نارنجک", "انفجار"}},

    /* ---- cyber crime and fraud ---- */
    {"cyber_fraud", "کلاهبرداری اینترنتی و برداشت غیرمجاز", "Online fraud or unauthorised withdrawal",
     "Fraud", 3, IGROUP_CYBER_FRAUD,
     {"برداشت غیرمجاز", "فیشینگ", "حساب بانکی", "کارت بانکی", "درگاه جعلی", "پیامک جعلی", "رمز"}},
    {"fraud", "کلاهبرداری", "Fraud", "Fraud", 4, IGROUP_CYBER_FRAUD,
     {"کلاهبردار", "فریب", "جعل", "چک", "پول", "طلا"}},
    {"cyber_extortion", "اخاذی و مزاحمت اینترنتی", "Online extortion or harassment", "Extort", 3,
     IGROUP_CYBER_FRAUD, {"اخاذی", "باج", "انتشار عکس", "هک", "فضای مجازی", "اینستاگرام"}},

    /* ---- non-emergency ---- */
    {"information", "راهنمایی و اطلاعات", "Information or guidance", "Info", 4, IGROUP_NON_EMERGENCY,
     {"راهنمایی", "سؤال", "پرسش", "آدرس", "اطلاعات", "مشاوره"}},
    {"lost_property", "اشیا و مدارک گم" ZW "شده", "Lost property or documents", "Lost Property", 4,
     IGROUP_NON_EMERGENCY, {"گم کردن", "مدارک", "کیف پول", "کارت ملی", "گواهینامه", "پلاک"}},
    {"citizen_assist", "درخواست کمک شهروند", "Citizen assist", "Citizen Assist", 3,
     IGROUP_NON_EMERGENCY, {"کمک", "گیر افتادن", "قفل شدن در", "خودروی خراب", "در راه ماندن"}},
    {"other", "سایر", "Other", NULL, 4, IGROUP_NON_EMERGENCY, {"غیره", "نامشخص"}},
};

#define NTYPES (sizeof types / sizeof types[0])

/* Pairs across groups that callers describe one event with. Order within a pair is
 * irrelevant: the lookup checks both ways. */
static const char *const related_pairs[][2] = {
    {"fight", "disturbance"},       {"domestic_violence", "family_dispute"},
    {"missing_child", "kidnapping"}, {"drowning", "missing_person"},
    {"drowning", "body_found"},      {"suspicious", "burglary"},
    {"street_robbery", "assault"},   {"armed_robbery", "shooting"},
    {"threats", "cyber_extortion"},  {"harassment", "cyber_extortion"},
    {"flood", "traffic_obstruction"}, {"stabbing", "body_found"},
    {"shooting", "body_found"},
};

const struct incident_type *incident_type_all(size_t *n) {
  *n = NTYPES;
  return types;
}

const struct incident_type *incident_type_find(const char *code) {
  if (!code) return NULL;
  for (size_t i = 0; i < NTYPES; i++)
    if (strcmp(types[i].code, code) == 0) return &types[i];
  return NULL;
}

const struct incident_group_info *incident_group_info(enum incident_group g) {
  return (int)g >= 0 && g < IGROUP__COUNT ? &groups[g] : NULL;
}

const char *incident_type_group_code(const char *type_code) {
  const struct incident_type *t = incident_type_find(type_code);
  return t ? groups[t->group].code : NULL;
}

bool incident_types_related(const char *a, const char *b) {
  if (!a || !b) return false;
  if (strcmp(a, b) == 0) return true;
  const struct incident_type *ta = incident_type_find(a), *tb = incident_type_find(b);
  if (!ta || !tb) return false;
  if (ta->group == tb->group) return true;
  for (size_t i = 0; i < sizeof related_pairs / sizeof related_pairs[0]; i++) {
    const char *x = related_pairs[i][0], *y = related_pairs[i][1];
    if ((strcmp(a, x) == 0 && strcmp(b, y) == 0) || (strcmp(a, y) == 0 && strcmp(b, x) == 0))
      return true;
  }
  return false;
}

/* ---- search ---------------------------------------------------------------------- */

#define QUERY_MAX 256
#define LOOSE_MAX 1024
#define WORDS_MAX 32

/* Text with separators removed and ASCII lower-cased, and where each word began. */
struct loose {
  char s[LOOSE_MAX];
  size_t len;
  size_t starts[WORDS_MAX];
  size_t nstarts;
};

/* Length of the separator at p (space, tab, newline, '_', '-', ZWNJ), or 0. */
static size_t separator_len(const char *p) {
  if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '_' || *p == '-') return 1;
  if (strncmp(p, ZW, 3) == 0) return 3;
  return 0;
}

static int loosen(const char *in, struct loose *out) {
  out->len = out->nstarts = 0;
  bool word_start = true;
  for (const char *p = in; *p;) {
    size_t sep = separator_len(p);
    if (sep) {
      word_start = true;
      p += sep;
      continue;
    }
    if (out->len + 1 >= LOOSE_MAX) return -1;
    if (word_start && out->nstarts < WORDS_MAX) out->starts[out->nstarts++] = out->len;
    word_start = false;
    char c = *p++;
    out->s[out->len++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  out->s[out->len] = '\0';
  return 0;
}

enum { RANK_EXACT = 0, RANK_PREFIX, RANK_WORD, RANK_INSIDE, RANK_NONE };

static bool is_word_start(const struct loose *f, size_t pos) {
  for (size_t i = 0; i < f->nstarts; i++)
    if (f->starts[i] == pos) return true;
  return false;
}

/* The best rank of q in one field. A keyword never ranks above RANK_WORD: a name or
 * code that starts with the query is the better answer. */
static int rank_field(const struct loose *q, const char *field, bool is_name) {
  struct loose f;
  if (!field || loosen(field, &f) != 0 || q->len > f.len) return RANK_NONE;
  int best = RANK_NONE;
  const char *hit = f.s;
  while ((hit = memmem(hit, f.len - (size_t)(hit - f.s), q->s, q->len)) != NULL) {
    size_t pos = (size_t)(hit - f.s);
    int r;
    if (pos == 0 && is_name)
      r = q->len == f.len ? RANK_EXACT : RANK_PREFIX;
    else if (pos == 0 || is_word_start(&f, pos))
      r = RANK_WORD;
    else
      r = RANK_INSIDE;
    if (r < best) best = r;
    hit++;
  }
  return best;
}

static int rank_type(const struct loose *q, const struct incident_type *t) {
  int best = RANK_NONE;
  const char *names[] = {t->name_fa, t->name_en, t->code};
  for (size_t i = 0; i < 3; i++) {
    int r = rank_field(q, names[i], true);
    if (r < best) best = r;
  }
  for (size_t i = 0; i < INCIDENT_TYPE_KEYWORDS_MAX && t->keywords[i]; i++) {
    int r = rank_field(q, t->keywords[i], false);
    if (r < best) best = r;
  }
  return best;
}

int incident_type_search(const char *query, const struct incident_type **out, size_t max) {
  if (!query) return 0;
  size_t qlen = strlen(query);
  if (qlen > QUERY_MAX || !loc_utf8_valid(query, qlen)) return -1;
  char norm[3 * QUERY_MAX + 1];
  if (loc_normalize(query, qlen, norm, sizeof norm) < 0) return -1;
  struct loose q;
  if (loosen(norm, &q) != 0) return -1;
  if (q.len == 0) return 0;

  /* One pass per rank keeps list order within a rank without sorting. */
  int ranks[NTYPES];
  for (size_t i = 0; i < NTYPES; i++) ranks[i] = rank_type(&q, &types[i]);
  size_t n = 0;
  for (int r = RANK_EXACT; r < RANK_NONE && n < max; r++)
    for (size_t i = 0; i < NTYPES && n < max; i++)
      if (ranks[i] == r) out[n++] = &types[i];
  return (int)n;
}
