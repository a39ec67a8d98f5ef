// i18n.js — how the console speaks: Persian text for every API error code, Persian
// (or, per user, Latin) digits, Jalali dates in Tehran time, and the Persian names of
// the states people see. Every screen formats through here, so that a user's digit
// choice holds everywhere and no English message from the server reaches a person.
//
// The error codes are those of src/http/errors.h; tests/browser/i18n.test.mjs checks
// that every code there has a sentence here.

let latin = false;

// The user's choice (GET /api/v1/me → latin_digits). Screens re-render after it changes.
export function setLatinDigits(on) {
  latin = !!on;
}
export function latinDigits() {
  return latin;
}

const PERSIAN_ZERO = 0x06f0;
const ARABIC_ZERO = 0x0660;

// Persian (۰-۹) and Arabic-Indic (٠-٩) digits to Latin; everything else kept. For what
// a person typed before it goes to the server.
export function toLatin(s) {
  return String(s).replace(/[\u06f0-\u06f9\u0660-\u0669]/g, (d) => {
    const c = d.charCodeAt(0);
    return String(c >= PERSIAN_ZERO ? c - PERSIAN_ZERO : c - ARABIC_ZERO);
  });
}

// Digits as the user reads them: Persian unless they chose Latin.
export function digits(s) {
  const text = String(s);
  if (latin) return toLatin(text);
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(PERSIAN_ZERO + Number(d)));
}

// A number with grouping in the user's digits ("۱٬۲۴۲").
export function num(n) {
  return digits(new Intl.NumberFormat('en-US').format(n)).replace(/,/g, latin ? ',' : '٬');
}

const TZ = 'Asia/Tehran';
const jalaliDate = new Intl.DateTimeFormat('en-US-u-ca-persian-nu-latn', {
  timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit',
});
const clock = new Intl.DateTimeFormat('en-GB-u-nu-latn', {
  timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

// "۱۴۰۴/۰۷/۰۹" — the Jalali day of an RFC 3339 instant (or ms), in Tehran.
export function jalaliDay(t) {
  const parts = Object.fromEntries(jalaliDate.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  return digits(`${parts.year.replace(/\D/g, '')}/${parts.month}/${parts.day}`);
}
// "۱۴:۰۵:۳۰" in Tehran.
export function timeOfDay(t) {
  return digits(clock.format(new Date(t)));
}
// "۱۴۰۴/۰۷/۰۹ ۱۴:۰۵:۳۰"
export function dateTime(t) {
  return t ? `${jalaliDay(t)} ${timeOfDay(t)}` : '—';
}
// An age or a duration in seconds as "۳:۰۵" or "۱:۰۲:۰۵".
export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return digits(h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`);
}

// ---- names of states ------------------------------------------------------------------

export const INCIDENT_STATUS = {
  pending: 'در انتظار اعزام', dispatched: 'اعزام شده', en_route: 'در راه', on_scene: 'در محل',
  cleared: 'پایان کار در محل', closed: 'بسته',
};
export const UNIT_STATUS = {
  available: 'آماده', dispatched: 'اعزام شده', en_route: 'در راه', on_scene: 'در محل',
  busy: 'مشغول کار دیگر', out_of_service: 'خارج از خدمت',
};
export const UNIT_TYPE = { car: 'خودرو', motorcycle: 'موتورسیکلت', traffic: 'راهور', special: 'یگان ویژه' };
export const CALL_OUTCOME = {
  operation: 'عملیاتی', non_emergency: 'غیرفوری', guidance: 'راهنمایی', invalid: 'مزاحم یا نامرتبط',
};
export const PRIORITY = { 1: 'فوری', 2: 'مهم', 3: 'عادی', 4: 'کم' };
export const REPEAT_REASON = {
  same_caller: 'همان تماس‌گیرنده', nearby: 'نزدیک', same_type: 'همان نوع', related_type: 'نوع مرتبط',
  recent: 'به‌تازگی فعال',
};
export const FEEDBACK_KIND = {
  praise: 'قدردانی', complaint: 'شکایت', suggestion: 'پیشنهاد', report: 'گزارش', enquiry: 'پرسش',
};
export const FEEDBACK_STATUS = {
  received: 'دریافت شده', assigned: 'ارجاع شده', under_review: 'در حال بررسی', answered: 'پاسخ داده شده',
  closed: 'بسته',
};
export const FEEDBACK_OUTCOME = {
  substantiated: 'وارد', not_substantiated: 'غیر وارد', reconciled: 'سازش', withdrawn: 'انصراف',
  forwarded: 'ارجاع به مرجع دیگر',
};
export const FEEDBACK_CHANNEL = { phone: 'تلفن ۱۹۷', web: 'وب', in_person: 'حضوری', letter: 'نامه', open311: 'Open311' };
// The kinds of a 197 contact's timeline lines (docs/feedback.md): notes and replies are
// named apart so that no officer mistakes one for the other.
export const FEEDBACK_LINE = {
  received: 'دریافت', classified: 'طبقه‌بندی', assigned: 'ارجاع', status: 'تغییر وضعیت',
  reply: 'پاسخ به شهروند', note: 'یادداشت درونی', closed: 'بستن',
};
export const ROLE = {
  call_taker: 'پاسخگوی ۱۱۰', dispatcher: 'اعزام‌کننده', supervisor: 'سرشیفت', oversight: 'میز ۱۹۷',
  records: 'بایگانی', analyst: 'تحلیلگر', commander: 'فرمانده', admin: 'مدیر سامانه',
};

// The kinds of an incident's timeline lines (GET /api/v1/incidents/{id}/timeline).
export const TIMELINE_KIND = {
  created: 'ثبت رخداد', call_linked: 'تماس تکراری', priority: 'تغییر اولویت', status: 'تغییر وضعیت',
  assigned: 'اعزام یگان', note: 'یادداشت', unit_status: 'وضعیت یگان',
};
// Why a unit is recommended (GET /api/v1/incidents/{id}/recommendations).
export const RECOMMEND_REASON = {
  nearest: 'نزدیک‌ترین', type_preferred: 'نوع مناسب این رخداد', same_county: 'همان شهرستان',
  stale_position: 'موقعیت کهنه (محل کلانتری)',
};

// ---- errors ---------------------------------------------------------------------------

// One sentence per code of src/http/errors.h, saying what happened and what to do.
export const ERROR_MESSAGES = {
  bad_json: 'درخواست خراب به سرور رسید؛ صفحه را دوباره بارگذاری کنید و دوباره بفرستید.',
  invalid_utf8: 'متن نویسه‌های نامعتبر دارد؛ آن را دوباره بنویسید.',
  missing_field: 'بخشی که لازم است پر نشده است.',
  invalid_field: 'مقدار یکی از بخش‌ها پذیرفته نشد؛ آن را بررسی کنید.',
  unknown_field: 'فرم بخشی دارد که سرور نمی‌شناسد؛ صفحه را دوباره بارگذاری کنید.',
  bad_request: 'درخواست نادرست بود؛ صفحه را دوباره بارگذاری کنید.',
  unauthenticated: 'ابتدا وارد سامانه شوید.',
  session_expired: 'نشست شما به پایان رسید؛ دوباره وارد شوید. آنچه نوشته‌اید حفظ شده است.',
  bad_credentials: 'نام کاربری یا گذرواژه نادرست است.',
  totp_required: 'کد شش‌رقمی برنامهٔ احراز هویت را وارد کنید.',
  totp_invalid: 'کد یک‌بارمصرف نادرست یا کهنه است؛ کد تازه را وارد کنید.',
  account_locked: 'حساب پس از چند ورود ناموفق قفل شد؛ از مدیر سامانه بخواهید آن را باز کند.',
  account_disabled: 'این حساب غیرفعال است؛ با مدیر سامانه تماس بگیرید.',
  forbidden: 'نقش شما اجازهٔ این کار را نمی‌دهد.',
  csrf_failed: 'نشست این صفحه کهنه شده است؛ صفحه را دوباره بارگذاری کنید.',
  not_found: 'این مورد پیدا نشد؛ شاید حذف یا جابه‌جا شده باشد.',
  route_not_found: 'این بخش در سرور وجود ندارد؛ صفحه را دوباره بارگذاری کنید.',
  method_not_allowed: 'این کار در این بخش پذیرفته نیست؛ صفحه را دوباره بارگذاری کنید.',
  conflict: 'وضعیت این مورد در این فاصله تغییر کرده است؛ آن را دوباره ببینید و دوباره تلاش کنید.',
  already_exists: 'موردی با همین نام از پیش وجود دارد.',
  idempotency_mismatch: 'این درخواست با درخواست قبلی نمی‌خواند؛ فرم را دوباره بفرستید.',
  payload_too_large: 'متن از اندازهٔ مجاز بلندتر است؛ آن را کوتاه‌تر کنید.',
  uri_too_long: 'نشانی درخواست بیش از اندازه بلند است؛ فیلترها را کمتر کنید.',
  unsupported_media_type: 'سرور این قالب را نمی‌پذیرد؛ صفحه را دوباره بارگذاری کنید.',
  rate_limited: 'درخواست‌ها بیش از اندازه بود؛ کمی صبر کنید و دوباره تلاش کنید.',
  internal: 'خطایی در سرور رخ داد و ثبت شد؛ دوباره تلاش کنید و اگر تکرار شد به پشتیبانی خبر دهید.',
  unavailable: 'سرور در حال راه‌اندازی دوباره یا پربار است؛ چند لحظه دیگر دوباره تلاش کنید.',
  network: 'ارتباط با سرور برقرار نشد؛ شبکه را بررسی کنید. چیزی از دست نرفته است؛ دوباره بفرستید.',
};

// Persian names of the fields forms send, for "which field" in an error.
const FIELD_NAMES = {
  caller_number: 'شمارهٔ تماس‌گیرنده', caller_name: 'نام تماس‌گیرنده', location: 'موقعیت', address: 'نشانی',
  county: 'شهرستان', type: 'نوع رخداد', priority: 'اولویت', narrative: 'شرح', outcome: 'نتیجهٔ تماس',
  text: 'متن', kind: 'نوع', category: 'موضوع', status: 'وضعیت', disposition: 'نتیجهٔ پایانی',
  unit_id: 'یگان', user_id: 'کاربر', station: 'کلانتری', username: 'نام کاربری', password: 'گذرواژه',
  totp: 'کد یک‌بارمصرف', incident_id: 'رخداد', telephony_call_id: 'شناسهٔ تماس تلفنی',
  channel: 'راه تماس', for_citizen: 'گیرندهٔ پاسخ', 'citizen.name': 'نام شهروند', 'citizen.phone': 'تلفن شهروند',
  'citizen.national_id': 'کد ملی', 'subject.county': 'شهرستان', 'subject.station': 'کلانتری',
  'subject.unit': 'یگان', 'subject.officer': 'شمارهٔ پرسنلی مأمور', 'subject.officer_name': 'نام مأمور',
};

// The sentence for an ApiError (api.js) or any {code, field}.
export function errorText(err) {
  const base = ERROR_MESSAGES[err && err.code] || ERROR_MESSAGES.internal;
  const field = err && err.field && FIELD_NAMES[err.field];
  return field && /field$/.test(err.code) ? `${base} (${field})` : base;
}
