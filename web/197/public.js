// public.js — what the 197 desk's two public pages do in the browser: the form
// (index.html, body data-page="form") and the tracking page (track.html,
// data-page="track"). One ES module without a framework and without anything fetched
// from elsewhere, because citizens open these pages on slow phones and the server's
// Content-Security-Policy allows only its own files.
//
// The API (docs/api.md, "The 197 desk's public face"):
//   GET  /api/v1/public/categories       the form's subjects
//   POST /api/v1/public/feedback         the form; 201 with the tracking code
//   GET  /api/v1/public/feedback/{code}  the tracking page
// Every error code those routes can answer has a Persian sentence below (MESSAGES),
// saying what to do; text from the server's English messages is never shown.

// Digits as the console writes them: citizens read Persian digits (i18n.js's default).
import { digits, toLatin } from '/lib/i18n.js';

const API = '/api/v1/public';

// ---- Persian dates and numbers -----------------------------------------------------------

const faNumber = new Intl.NumberFormat('fa-IR');
const jalali = new Intl.DateTimeFormat('fa-IR-u-ca-persian', {
  timeZone: 'Asia/Tehran',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

// A <time> element showing an RFC 3339 instant in the Jalali calendar, Tehran time.
function timeElement(iso) {
  const t = document.createElement('time');
  t.dateTime = iso;
  t.textContent = jalali.format(new Date(iso));
  return t;
}

// ---- talking to the server ---------------------------------------------------------------

// One request. Never throws: a network failure is {status: 0}. json is the parsed body
// when the answer is JSON.
async function request(method, path, body) {
  const init = { method, headers: { accept: 'application/json' }, credentials: 'omit' };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    const res = await fetch(path, init);
    let json = null;
    if ((res.headers.get('content-type') || '').includes('json')) json = await res.json().catch(() => null);
    return { status: res.status, json, retryAfter: res.headers.get('retry-after'), requestId: res.headers.get('x-request-id') };
  } catch {
    return { status: 0, json: null };
  }
}

// Persian sentences for the error codes (src/http/errors.h) these routes answer, and for
// a failed connection. Functions take the answer (for Retry-After and the field).
const RESEND = 'صفحه را دوباره بارگذاری کنید و دوباره بفرستید.';
const FIELD_MESSAGES = {
  text: 'متن پیام پذیرفته نشد: یا خالی است یا از اندازهٔ مجاز بلندتر است. آن را بررسی و کوتاه‌تر کنید.',
  name: 'نام بیش از اندازه بلند است؛ آن را کوتاه‌تر بنویسید.',
  phone: 'شمارهٔ تلفن درست نیست؛ فقط رقم‌ها را بنویسید (۳ تا ۲۰ رقم).',
  officer_name: 'نام یا مشخصات مأمور بیش از اندازه بلند است؛ آن را کوتاه‌تر بنویسید.',
  kind: 'نوع پیام پذیرفته نشد؛ یکی از گزینه‌ها را دوباره انتخاب کنید.',
  category: 'این موضوع با نوع پیامی که انتخاب کرده‌اید جور نیست؛ موضوع یا نوع دیگری انتخاب کنید.',
};
const MESSAGES = {
  network: () => 'ارتباط با سامانه برقرار نشد. اتصال اینترنت را بررسی کنید و دوباره امتحان کنید.',
  rate_limited: (r) => {
    const s = Number(r.retryAfter);
    const when = Number.isFinite(s) && s > 0 ? `${faNumber.format(Math.ceil(s / 60))} دقیقهٔ دیگر` : 'چند دقیقهٔ دیگر';
    return `در این چند دقیقه از این نشانی درخواست‌های زیادی رسیده است. لطفاً ${when} دوباره امتحان کنید.`;
  },
  payload_too_large: () => 'پیام بیش از اندازه بلند است. متن را کوتاه‌تر کنید و دوباره بفرستید.',
  invalid_field: (r) => FIELD_MESSAGES[r.field] || 'یکی از بخش‌های فرم پذیرفته نشد؛ آن را بررسی کنید و دوباره بفرستید.',
  missing_field: (r) => (r.field === 'text' ? 'متن پیام را بنویسید.' : 'بخشی از فرم که لازم است پر نشده است.'),
  invalid_utf8: () => 'متن نویسه‌هایی دارد که سامانه نمی‌تواند بخواند؛ آن را دوباره تایپ کنید.',
  bad_json: () => `مرورگر پیام را درست نفرستاد. ${RESEND}`,
  unknown_field: () => `مرورگر پیام را درست نفرستاد. ${RESEND}`,
  bad_request: () => `مرورگر پیام را درست نفرستاد. ${RESEND}`,
  unsupported_media_type: () => `مرورگر پیام را درست نفرستاد. ${RESEND}`,
  uri_too_long: () => 'آنچه وارد کرده‌اید بیش از اندازه بلند است؛ آن را کوتاه‌تر کنید.',
  not_found: () => 'پیامی با این کد پیگیری پیدا نشد. دوازده رقم کد را دوباره بررسی کنید و دوباره امتحان کنید.',
  route_not_found: () => `این صفحه با نسخهٔ کنونی سامانه هماهنگ نیست. ${RESEND}`,
  method_not_allowed: () => `این صفحه با نسخهٔ کنونی سامانه هماهنگ نیست. ${RESEND}`,
  internal: () => 'در سامانه خطایی رخ داد و ثبت شد. لطفاً چند دقیقهٔ دیگر دوباره امتحان کنید.',
  unavailable: () => 'سامانه اکنون بیش از اندازه شلوغ است یا دوباره راه‌اندازی می‌شود. لطفاً کمی بعد دوباره امتحان کنید.',
};

// {code, field, text} for a failed answer: the code as the server named it, and the
// Persian sentence to show.
function describeError(res) {
  const err = (res.json && res.json.error) || {};
  const code = res.status === 0 ? 'network' : err.code;
  const info = { retryAfter: res.retryAfter, field: err.field };
  let text = MESSAGES[code]
    ? MESSAGES[code](info)
    : `درخواست انجام نشد (خطای ${digits(res.status)}). لطفاً دوباره امتحان کنید.`;
  if (code === 'internal' && res.requestId) text += ` شناسهٔ درخواست برای پیگیری: ${res.requestId}`;
  return { code, field: err.field, text };
}

// ---- small page helpers --------------------------------------------------------------------

const $ = (id) => document.getElementById(id);

// Shows (or clears, with '') a field's own message and marks the control invalid.
function fieldError(control, message) {
  const out = $(`${control.id}-error`);
  if (out) out.textContent = message;
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

function busy(button, statusEl, message) {
  button.disabled = Boolean(message);
  statusEl.textContent = message || '';
}

// ---- the form ---------------------------------------------------------------------------------

// The server's text limit is in UTF-8 bytes after normalisation (feedback_text_max,
// 8000 by default, data-max-bytes on the textarea). A Persian letter takes two bytes,
// so the counter shows half the bytes as "characters": exact for Persian letters,
// generous for spaces and Latin digits, and never lets a text past the server's limit.
const encoder = new TextEncoder();

function textState(textarea) {
  const maxBytes = Number(textarea.dataset.maxBytes) || 8000;
  const bytes = encoder.encode(textarea.value.trim()).length;
  return { used: Math.ceil(bytes / 2), max: Math.floor(maxBytes / 2), over: bytes > maxBytes };
}

function updateCounter(textarea) {
  const s = textState(textarea);
  const counter = $('text-counter');
  counter.textContent = `${faNumber.format(s.used)} از ${faNumber.format(s.max)} نویسه`;
  counter.classList.toggle('over', s.over);
  if (s.over) fieldError(textarea, 'متن از اندازهٔ مجاز بلندتر است؛ آن را کوتاه‌تر کنید.');
  else if (textarea.getAttribute('aria-invalid')) fieldError(textarea, '');
}

// The categories, kept to filter the list by the chosen kind.
let categories = [];

function chosenKind(form) {
  return form.querySelector('input[name="kind"]:checked')?.value || '';
}

// Fills the subject list: the chosen kind's categories, or all of them grouped by kind.
function fillCategories(form) {
  const select = $('category');
  const kind = chosenKind(form);
  const keep = select.value;
  select.replaceChildren(new Option('— بدون موضوع —', ''));
  const groups = new Map();
  for (const c of categories) {
    if (kind && c.kind !== kind) continue;
    if (!groups.has(c.kind_fa)) groups.set(c.kind_fa, []);
    groups.get(c.kind_fa).push(c);
  }
  for (const [label, items] of groups) {
    const parent = kind ? select : document.createElement('optgroup');
    if (!kind) {
      parent.label = label;
      select.append(parent);
    }
    for (const c of items) parent.append(new Option(c.name_fa, c.code));
  }
  select.value = categories.some((c) => c.code === keep && (!kind || c.kind === kind)) ? keep : '';
  describeCategory();
}

function describeCategory() {
  const c = categories.find((x) => x.code === $('category').value);
  $('category-hint').textContent = c ? c.description_fa : 'اگر موضوعی را انتخاب نکنید، کارشناس ۱۹۷ آن را تعیین می‌کند.';
}

async function loadCategories(form) {
  const select = $('category');
  const res = await request('GET', `${API}/categories`);
  if (res.status === 200 && Array.isArray(res.json?.items)) {
    categories = res.json.items;
    select.disabled = false;
    fillCategories(form);
  } else {
    select.replaceChildren(new Option('فهرست موضوع‌ها در دسترس نیست', ''));
    $('category-hint').textContent = 'فهرست موضوع‌ها بارگیری نشد؛ بدون موضوع هم می‌توانید پیام را بفرستید.';
  }
}

function formBody(form) {
  const body = { text: $('text').value.trim() };
  const kind = chosenKind(form);
  if (kind) body.kind = kind;
  if ($('category').value) body.category = $('category').value;
  for (const id of ['name', 'phone', 'officer_name']) {
    const v = $(id).value.trim();
    if (v) body[id] = v;
  }
  return body;
}

function showReceipt(r) {
  $('receipt-code').textContent = r.tracking_code_fa;
  $('receipt-number').textContent = r.number_fa;
  $('receipt-status').textContent = r.status_fa;
  // The server's sentence holds the code; isolate it left-to-right so its groups keep
  // their order inside the right-to-left sentence.
  const [head, ...rest] = r.message_fa.split(r.tracking_code_fa);
  const code = document.createElement('bdi');
  code.dir = 'ltr';
  code.textContent = r.tracking_code_fa;
  $('receipt-message').replaceChildren(...(rest.length ? [head, code, rest.join(r.tracking_code_fa)] : [head]));
  $('track-link').href = `/197/track.html?code=${encodeURIComponent(r.tracking_code)}`;
  $('feedback-form').hidden = true;
  $('receipt').hidden = false;
  $('receipt-title').focus();
}

// Clipboard API where the page is a secure context; otherwise the old way, by selecting
// the code and asking the browser to copy the selection.
async function copyCode() {
  const el = $('receipt-code');
  let ok = false;
  try {
    await navigator.clipboard.writeText(el.textContent);
    ok = true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(el);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
  }
  $('copy-status').textContent = ok ? 'کد پیگیری کپی شد.' : 'کپی نشد؛ کد را خودتان انتخاب و یادداشت کنید.';
}

async function submitForm(form) {
  const alert = $('form-alert');
  const textarea = $('text');
  alert.textContent = '';
  for (const id of ['text', 'name', 'phone', 'officer_name']) fieldError($(id), '');
  const s = textState(textarea);
  const problem = s.used === 0 ? 'متن پیام را بنویسید.' : s.over ? 'متن از اندازهٔ مجاز بلندتر است؛ آن را کوتاه‌تر کنید.' : '';
  if (problem) {
    fieldError(textarea, problem);
    alert.textContent = problem;
    textarea.focus();
    return;
  }
  const button = $('submit');
  busy(button, $('form-status'), 'در حال فرستادن…');
  const res = await request('POST', `${API}/feedback`, formBody(form));
  busy(button, $('form-status'), '');
  if (res.status === 201 && res.json) {
    showReceipt(res.json);
    return;
  }
  const e = describeError(res);
  alert.textContent = e.text;
  const control = e.field && form.elements.namedItem(e.field);
  if (control && control.id) {
    fieldError(control, e.text);
    control.focus();
  }
}

function initForm() {
  const form = $('feedback-form');
  const textarea = $('text');
  textarea.addEventListener('input', () => updateCounter(textarea));
  updateCounter(textarea);
  form.addEventListener('change', (ev) => {
    if (ev.target.name === 'kind') fillCategories(form);
  });
  $('category').addEventListener('change', () => {
    // A subject implies its kind: check that kind's button, as the server will file it.
    const c = categories.find((x) => x.code === $('category').value);
    const radio = c && form.querySelector(`input[name="kind"][value="${c.kind}"]`);
    if (radio && !radio.checked) {
      radio.checked = true;
      fillCategories(form);
    }
    describeCategory();
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitForm(form);
  });
  $('copy-code').addEventListener('click', copyCode);
  loadCategories(form);
}

// ---- the tracking page -----------------------------------------------------------------------

// The 12 digits of a code typed in any digits, with dashes or spaces; null otherwise.
function codeDigits(input) {
  const s = toLatin(input).replace(/[\s\-\u2010-\u2015\u2212_.]/g, '');
  return /^[0-9]{12}$/.test(s) ? s : null;
}

function setFact(id, value) {
  const dd = $(id);
  const dt = document.querySelector(`dt[data-for="${id}"]`);
  const empty = value === null || value === undefined || value === '';
  dd.replaceChildren(empty ? '' : value);
  dd.hidden = empty && Boolean(dt);
  if (dt) dt.hidden = empty;
}

function showTracking(f) {
  $('r-number').textContent = f.number_fa;
  let reached = true;
  for (const li of document.querySelectorAll('ol.steps li')) {
    const current = li.dataset.status === f.status;
    li.classList.toggle('done', reached && !current);
    if (current) {
      li.setAttribute('aria-current', 'step');
      reached = false;
    } else li.removeAttribute('aria-current');
  }
  setFact('r-status', f.status_fa);
  setFact('r-kind', f.kind_fa);
  setFact('r-category', f.category_fa || 'هنوز تعیین نشده');
  setFact('r-received', timeElement(f.received_at));
  setFact('r-answered', f.answered_at ? timeElement(f.answered_at) : null);
  setFact('r-closed', f.closed_at ? timeElement(f.closed_at) : null);
  setFact('r-outcome', f.outcome_fa);
  const list = $('r-replies');
  list.replaceChildren(
    ...f.replies.map((r) => {
      const li = document.createElement('li');
      const p = document.createElement('p');
      p.textContent = r.text;
      li.append(timeElement(r.time), p);
      return li;
    }),
  );
  $('r-no-replies').hidden = f.replies.length > 0;
  $('result').hidden = false;
  $('result-title').focus();
}

async function track() {
  const input = $('code');
  const alert = $('track-alert');
  alert.textContent = '';
  fieldError(input, '');
  $('result').hidden = true;
  const digits = codeDigits(input.value);
  if (!digits) {
    const msg = input.value.trim()
      ? 'کد پیگیری ۱۲ رقم دارد؛ رقم‌ها را دوباره بررسی کنید.'
      : 'کد پیگیری را وارد کنید.';
    fieldError(input, msg);
    input.focus();
    return;
  }
  const button = $('track-submit');
  busy(button, $('track-status'), 'در حال جست‌وجو…');
  const res = await request('GET', `${API}/feedback/${digits}`);
  busy(button, $('track-status'), '');
  if (res.status === 200 && res.json) {
    showTracking(res.json);
    return;
  }
  alert.textContent = describeError(res).text;
  input.focus();
}

function initTrack() {
  const form = $('track-form');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    track();
  });
  // track.html?code=…: fill the box, drop the code from the address (so it does not stay
  // in the history or a shared link), and look it up.
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  if (code) {
    $('code').value = digits(code);
    history.replaceState(null, '', window.location.pathname);
    track();
  }
}

const page = document.body.dataset.page;
if (page === 'form') initForm();
else if (page === 'track') initTrack();
