/* demo_feedback_text.c — the Persian of the 197 demo (demo_feedback.c): fragments a
 * contact's text is put together from, by kind, and the replies, notes and reasons
 * the desk writes. Written for hamyar; everyday Gilan speech, in normalised form
 * (Persian ی and ک, ZWNJ inside words), so nothing needs normalising on the way in.
 *
 * A text is an opening, sometimes when it happened, the body, sometimes where and the
 * officer's name, and a closing: with five to eight bodies per kind and the other
 * parts varying, a few hundred contacts do not read alike, and the classifier meets
 * the words real contacts use. See demo.h.
 */
#include <string.h>

#include "cli/demo.h"
#include "util/arena.h"

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

static const char *any(struct demo_sim *s, const char *const *t, size_t n) {
  return t[demo_between(s, 0, (int64_t)n - 1)];
}
#define ANY(s, table) any((s), (table), COUNT(table))

/* A body, and whether it tells of one event (then "yesterday", "last night", ... may
 * come before it) rather than of something that goes on. */
struct body {
  const char *text;
  bool dated;
};

static const struct body praise[] = {
    {"از رفتار محترمانه و صبور مأموران هنگام رسیدگی به تصادف جلوی خانه‌مان سپاسگزارم", true},
    {"مأمور گشت کیف پولم را که در تاکسی جا گذاشته بودم با همه‌ی مدارکش به من برگرداند", true},
    {"همکاران کلانتری تا نیمه‌شب برای پیدا کردن پدر سالمندم که راه خانه را گم کرده بود تلاش کردند", true},
    {"گشت پلیس چند دقیقه پس از تماس با ۱۱۰ رسید و سارق را همان‌جا دستگیر کرد", true},
    {"مأمور راهنمایی و رانندگی زیر باران کمک کرد خودروی خاموش‌شده‌ام را از وسط جاده کنار بکشم", true},
    {"برخورد مهربان مأمور با فرزندم که در شلوغی بازار گم شده بود را فراموش نمی‌کنم", false},
    {"کارکنان پذیرش کلانتری با حوصله کارم را راه انداختند و معطل نشدم", true},
};

static const struct body complaint[] = {
    {"مأمور گشت هنگام بازرسی خودرو با لحن تند و توهین‌آمیز با من صحبت کرد", true},
    {"برای ثبت شکایت سرقت به کلانتری رفتم اما سه ساعت معطل ماندم و کسی پاسخگو نبود", true},
    {"پس از تماس با ۱۱۰ برای درگیری همسایه‌ها، گشت بیش از یک ساعت بعد رسید", true},
    {"خودروی پلیس جلوی پارکینگ ما ایستاده بود و با خواهش ما هم جابه‌جا نشد", true},
    {"دو ماه است پرونده‌ی سرقت موتورسیکلتم بدون هیچ پیگیری مانده است", false},
    {"مأمور بدون توضیح گواهینامه‌ام را گرفت و رسیدی به من نداد", true},
    {"در پاسگاه به درخواستم برای دیدن صورت‌جلسه توجهی نشد و با بی‌احترامی بیرونم کردند", true},
    {"مأموری که برای دعوای خیابانی آمد بی‌آنکه حرف مرا بشنود فقط به طرف مقابل گوش داد", true},
};

static const struct body suggestion[] = {
    {"پیشنهاد می‌کنم در ساعت‌های شلوغ عصر یک گشت ثابت کنار میدان اصلی شهر بایستد", false},
    {"بهتر است بتوان وضعیت پرونده‌ها را از راه اینترنت پیگیری کرد", false},
    {"نصب دوربین در کوچه‌های تاریک محله جلوی دزدی‌های شبانه را می‌گیرد", false},
    {"لطفاً هنگام تعطیلی مدرسه‌ها در مسیر دبستان مأمور راهنمایی و رانندگی بگذارید", false},
    {"خوب است کلانتری برای سالمندان یک روز در هفته نوبت ویژه بگذارد", false},
};

static const struct body report[] = {
    {"چند شب است خودرویی بی‌پلاک در کوچه‌ی ما پرسه می‌زند و همسایه‌ها نگران‌اند", false},
    {"در پارک محله چند نفر آشکارا مواد مخدر خرید و فروش می‌کنند", false},
    {"موتورسوارها با سرعت زیاد از پیاده‌رو می‌گذرند و برای بچه‌ها خطرناک است", false},
    {"سروصدای بلند و آتش‌بازی در ساختمان روبه‌رو آرامش محله را گرفت", true},
    {"کسی تلفنی خودش را مأمور معرفی کرد و از مادرم شماره‌ی کارت بانکی خواست", true},
    {"کنار جاده‌ی ساحلی چند خودرو هر شب مسابقه‌ی سرعت می‌گذارند", false},
};

/* Questions, and the answers the desk gives them, in the same order. */
static const struct body enquiry[] = {
    {"برای گرفتن گواهی عدم سوءپیشینه باید به کجا مراجعه کنم", false},
    {"خودروی توقیف‌شده‌ام را چطور می‌توانم از پارکینگ ترخیص کنم", false},
    {"پذیرش کلانتری در روزهای تعطیل تا چه ساعتی باز است", false},
    {"شکایتی که هفته‌ی پیش ثبت کردم به کدام کلانتری فرستاده شده است", false},
    {"برای اعلام گم شدن مدارک شناسایی چه کاری باید انجام دهم", false},
};
static const char *const enquiry_answer[] = {
    "برای گواهی عدم سوءپیشینه با کارت ملی به یکی از دفترهای پلیس +۱۰ بروید؛ گواهی چند روز بعد صادر می‌شود.",
    "با سند خودرو و کارت ملی به دفتر پلیس +۱۰ بروید و پس از گرفتن مجوز ترخیص، خودرو را از پارکینگ تحویل بگیرید.",
    "پذیرش کلانتری‌ها شبانه‌روز باز است؛ کارهای اداری پرونده‌ها در روزهای کاری انجام می‌شود.",
    "شکایت شما به کلانتری محل سکونتتان فرستاده شده است؛ با کد پیگیری می‌توانید وضعیت آن را ببینید.",
    "گم شدن مدارک را در دفتر پلیس +۱۰ اعلام کنید تا برایتان گواهی مفقودی صادر شود.",
};
_Static_assert(COUNT(enquiry) == COUNT(enquiry_answer), "one answer per question");

static const char *const openings[] = {"سلام. ", "با سلام و احترام، ", "", "وقت بخیر. ", "سلام و خسته نباشید. "};
static const char *const when[] = {"دیروز ", "امروز صبح ", "دیشب ", "پریروز ", "", "عصر امروز "};
static const char *const close_praise[] = {" خدا قوت.", " دستشان درد نکند.", " خدا خیرشان بدهد.", ""};
static const char *const close_complaint[] = {" لطفاً رسیدگی کنید.", " خواهش می‌کنم پیگیری شود.",
                                              " انتظار برخورد مناسب دارم.", ""};
static const char *const close_report[] = {" لطفاً گشت بفرستید.", " ممنون می‌شوم رسیدگی کنید.", ""};
static const char *const close_other[] = {" با تشکر.", " ممنون.", ""};

const char *demo_fb_compose(struct demo_sim *s, enum fb_kind kind, const char *station_fa, const char *officer_fa,
                            int *topic) {
  const struct body *bodies = praise;
  size_t n = COUNT(praise);
  const char *const *closings = close_praise;
  size_t nclosings = COUNT(close_praise);
  switch (kind) {
  case FB_COMPLAINT:
    bodies = complaint, n = COUNT(complaint), closings = close_complaint, nclosings = COUNT(close_complaint);
    break;
  case FB_SUGGESTION:
    bodies = suggestion, n = COUNT(suggestion), closings = close_other, nclosings = COUNT(close_other);
    break;
  case FB_REPORT:
    bodies = report, n = COUNT(report), closings = close_report, nclosings = COUNT(close_report);
    break;
  case FB_ENQUIRY:
    bodies = enquiry, n = COUNT(enquiry), closings = close_other, nclosings = COUNT(close_other);
    break;
  default: break;
  }
  *topic = (int)demo_between(s, 0, (int64_t)n - 1);
  const struct body *b = &bodies[*topic];
  const char *opening = ANY(s, openings);
  const char *time = b->dated ? ANY(s, when) : "";
  bool placed = station_fa && kind != FB_SUGGESTION && kind != FB_ENQUIRY && demo_chance(s, 0.6);
  const char *place = !placed               ? ""
                      : kind == FB_REPORT ? arena_printf(s->arena, " محله‌ی ما در حوزه‌ی %s است.", station_fa)
                                          : arena_printf(s->arena, " این اتفاق در حوزه‌ی %s افتاد.", station_fa);
  const char *officer = "";
  if (officer_fa && kind == FB_PRAISE) officer = arena_printf(s->arena, " به‌ویژه از زحمات %s قدردانی می‌کنم.", officer_fa);
  else if (officer_fa) officer = arena_printf(s->arena, " نام مأمور %s بود.", officer_fa);
  return arena_printf(s->arena, "%s%s%s%s%s%s%s", opening, time, b->text, kind == FB_ENQUIRY ? "؟" : ".", place,
                      officer, any(s, closings, nclosings));
}

static const char *const lines[DEMO_FB_LINE__COUNT] = {
    [DEMO_FB_ACK_COMPLAINT] = "شکایت شما ثبت و به کلانتری مربوط فرستاده شد؛ نتیجه‌ی بررسی را به شما اعلام می‌کنیم.",
    [DEMO_FB_REPLY_PRAISE] = "از پیام پرمهر شما سپاسگزاریم؛ قدردانی شما به همکارانمان رسید و در پرونده‌ی خدمتی ثبت شد.",
    [DEMO_FB_REPLY_SUGGESTION] = "پیشنهاد شما به بخش مربوط در فرماندهی فرستاده شد. از همراهی شما سپاسگزاریم.",
    [DEMO_FB_REPLY_REPORT_ACTED] = "با گزارش شما مأموران به محل رفتند و با متخلفان برخورد شد. سپاس از هوشیاری شما.",
    [DEMO_FB_REPLY_REPORT_FORWARDED] = "گزارش شما به کلانتری محل فرستاده شد و گشت‌زنی در آن محدوده بیشتر می‌شود.",
    [DEMO_FB_NOTE_PRAISE] = "قدردانی شهروند در پرونده‌ی خدمتی همکار ثبت شد.",
    [DEMO_FB_NOTE_WAITING] = "گزارش کلانتری هنوز نرسیده است؛ از فرمانده‌ی کلانتری پیگیری شود.",
    [DEMO_FB_NOTE_WITHDRAWN] = "شاکی تماس گرفت و از شکایت خود گذشت.",
};

const char *demo_fb_line(enum demo_fb_line which) {
  return which >= 0 && which < DEMO_FB_LINE__COUNT ? lines[which] : "";
}

const char *demo_fb_complaint_reply(enum fb_outcome outcome) {
  switch (outcome) {
  case FB_SUBSTANTIATED:
    return "بررسی‌ها درستی شکایت شما را نشان داد و با همکار خاطی برخورد انضباطی می‌شود. پوزش ما را بپذیرید.";
  case FB_NOT_SUBSTANTIATED:
    return "گزارش مأموران و شواهد بررسی شد و تخلفی دیده نشد. اگر مدرک تازه‌ای دارید با ۱۹۷ تماس بگیرید.";
  default:
    return "فرمانده‌ی کلانتری با شما گفت‌وگو کرد و موضوع با رضایت شما حل شد. از صبر و همراهی شما سپاسگزاریم.";
  }
}

const char *demo_fb_enquiry_reply(int topic) {
  return topic >= 0 && (size_t)topic < COUNT(enquiry_answer) ? enquiry_answer[topic] : enquiry_answer[0];
}

static const char *const notes_complaint[] = {
    "با شاکی تماس تلفنی گرفته شد و توضیحات تکمیلی ثبت شد.",
    "گزارش مأمور و فرمانده‌ی گشت آن شیفت خواسته شد.",
    "فیلم دوربین خودروی گشت بررسی شود.",
    "شاکی برای جلسه‌ی سازش به کلانتری دعوت شد.",
    "با مأمور نام‌برده گفت‌وگو شد؛ روایت او در پرونده آمد.",
};
static const char *const notes_report[] = {
    "موضوع به فرمانده‌ی کلانتری اطلاع داده شد.",
    "گشت محل در شیفت شب بیشتر شد.",
    "گزارش به پلیس مبارزه با مواد مخدر هم فرستاده شد.",
};

const char *demo_fb_note(struct demo_sim *s, enum fb_kind kind) {
  return kind == FB_REPORT ? ANY(s, notes_report) : ANY(s, notes_complaint);
}

static const char *const reasons[] = {
    "مصدوم تصادف جاده‌ی رشت به قزوین را تا رسیدن آمبولانس یاری کرد.",
    "کودک گمشده را در بازار پیدا کرد و به کلانتری رساند.",
    "با فیلم دوربین مغازه‌اش شناسایی کیف‌قاپ محله را ممکن کرد.",
    "هنگام آتش‌سوزی انبار، ساکنان ساختمان کناری را بیرون آورد.",
    "کیف پولی پر از پول و مدارک را به کلانتری تحویل داد.",
    "در آب‌گرفتگی روستا به مأموران در جابه‌جایی سالمندان کمک کرد.",
    "سارق موتورسیکلت را تا رسیدن گشت زیر نظر گرفت و نشانی‌اش را داد.",
    "راننده‌ی خواب‌آلوده‌ای را در جاده متوقف کرد و جلوی تصادف را گرفت.",
};

const char *demo_fb_commendation_reason(struct demo_sim *s) { return ANY(s, reasons); }

const char demo_fb_reporter_reason[] = "با گزارش به‌موقع خود به ۱۹۷ به شناسایی و دستگیری متخلفان کمک کرد.";
