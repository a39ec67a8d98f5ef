// desk_intake.js — the desk officer takes a contact that came by phone, in person or by
// letter (POST /api/v1/feedback). As the officer types the text, the classifier's
// suggestion (POST /api/v1/feedback/classify, nothing stored) shows beside it with its
// reasons, at most one request in flight per pause in typing; the officer may take it,
// choose another kind and category, or leave both empty, in which case the server files
// the suggestion unconfirmed (docs/feedback.md).
//
// After saving, the tracking code is shown once, large, to be read to the citizen: the
// server keeps only its hash and never shows it again. The form is sent with an
// Idempotency-Key (api.js create), so a retry after a lost answer neither files the
// contact twice nor loses its code.

import { el } from './app.js';
import { api } from '../lib/api.js';
import { FEEDBACK_CHANNEL, FEEDBACK_KIND, digits, errorText, num, toLatin } from '../lib/i18n.js';
import { categories, field, placeNames, select, setOptions, submitOnCtrlEnter } from './desk_parts.js';

const CHANNELS = ['phone', 'in_person', 'letter'];
const PREVIEW_DELAY_MS = 400;

// The intake pane; onSaved(feedback) after a contact is filed, onCancel() on Escape or
// the cancel button (what was typed is kept for the next start()), onOpen(id) to open
// the contact just filed. Returns {node, start(fresh), stop()}.
export function intakePane(ctx, { onSaved, onCancel, onOpen }) {
  const node = el('section', { class: 'panel intake', 'aria-labelledby': 'desk-intake-title' });
  node.hidden = true;
  let timer = null;
  let seq = 0; // the newest preview asked for; older answers are dropped
  let suggestion = null;
  let saved = true; // the form shown last was filed (or there was none): start afresh

  const channel = select('channel', Object.fromEntries(CHANNELS.map((c) => [c, FEEDBACK_CHANNEL[c]])), { value: 'phone' });
  const name = el('input', { name: 'citizen.name', autocomplete: 'off' });
  const phone = el('input', { name: 'citizen.phone', inputmode: 'tel', dir: 'ltr', autocomplete: 'off' });
  const nid = el('input', { name: 'citizen.national_id', inputmode: 'numeric', dir: 'ltr', autocomplete: 'off' });
  const county = select('subject.county', {}, { empty: 'نامشخص' });
  const station = select('subject.station', {}, { empty: 'نامشخص' });
  const officer = el('input', { name: 'subject.officer', inputmode: 'numeric', dir: 'ltr', autocomplete: 'off' });
  const officerName = el('input', { name: 'subject.officer_name', autocomplete: 'off' });
  const text = submitOnCtrlEnter(el('textarea', { name: 'text', rows: 6, required: true }));
  const kind = select('kind', FEEDBACK_KIND, { empty: 'پیشنهاد سامانه' });
  const category = select('category', {}, { empty: 'پیشنهاد سامانه' });
  const preview = el('div', { class: 'preview', 'aria-live': 'polite', id: 'desk-intake-preview' });
  const take = el('button', { type: 'button', class: 'secondary', disabled: true }, 'پذیرفتن پیشنهاد');
  const save = el('button', { type: 'submit', class: 'primary' }, 'ثبت پیام');
  const cancel = el('button', { type: 'button', class: 'secondary' }, 'انصراف ', el('kbd', {}, 'Esc'));
  const msg = el('p', { class: 'msg', role: 'alert' });

  const form = el('form', { novalidate: true },
    el('div', { class: 'grid2' },
      field('راه تماس', channel),
      field('نام شهروند', name, 'برای پیام ناشناس خالی بگذارید.'),
      field('تلفن شهروند', phone),
      field('کد ملی', nid, 'ده رقم؛ رقم کنترل بررسی می‌شود.'),
      field('شهرستان', county),
      field('کلانتری', station),
      field('شمارهٔ پرسنلی مأمور', officer),
      field('نام مأمور', officerName)),
    field('متن پیام', text, el('span', {}, 'ثبت: ', el('kbd', {}, 'Ctrl'), '+', el('kbd', {}, 'Enter'))),
    el('section', { class: 'classify', 'aria-label': 'طبقه‌بندی' },
      el('h3', {}, 'طبقه‌بندی'),
      preview,
      el('div', { class: 'row' }, field('نوع', kind), field('موضوع', category), take)),
    msg,
    el('div', { class: 'row' }, save, cancel));

  node.append(el('h2', { id: 'desk-intake-title', tabindex: '-1' }, 'ثبت پیام تازه'), form);

  async function fillCategories() {
    const cats = await categories();
    setOptions(category, cats.ofKind(kind.value), 'پیشنهاد سامانه');
  }
  async function fillStations() {
    const p = await placeNames(ctx);
    setOptions(station, p.stationsOf(county.value), 'نامشخص');
  }
  kind.addEventListener('change', fillCategories);
  county.addEventListener('change', fillStations);

  function showPreview(s, cats) {
    suggestion = s.found ? s : null;
    take.disabled = !suggestion;
    if (!s.found) {
      preview.replaceChildren(el('p', { class: 'empty' }, 'سامانه هنوز نشانه‌ای در متن نیافته است؛ بی‌انتخاب، «پرسش» ثبت می‌شود.'));
      return;
    }
    const catName = (code) => cats.byCode.get(code)?.name_fa || code;
    preview.replaceChildren(
      el('p', {}, 'پیشنهاد سامانه: ', el('strong', { 'data-kind': s.kind }, FEEDBACK_KIND[s.kind]), ` — ${catName(s.category)}`, ` (امتیاز ${num(s.score)})`),
      el('ul', { class: 'reasons' }, s.reasons.map((r) =>
        el('li', {}, el('q', {}, r.term), ` → ${catName(r.category)} `, el('span', { class: 'weight' }, `وزن ${num(r.weight)}`)))));
  }

  async function classify() {
    const t = text.value.trim();
    const mine = ++seq;
    if (!t) {
      suggestion = null;
      take.disabled = true;
      preview.replaceChildren();
      return;
    }
    try {
      const [s, cats] = await Promise.all([api('POST', '/api/v1/feedback/classify', { body: { text: t } }), categories()]);
      if (mine === seq) showPreview(s, cats);
    } catch (err) {
      if (mine === seq) preview.replaceChildren(el('p', { class: 'msg' }, errorText(err)));
    }
  }
  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(classify, PREVIEW_DELAY_MS);
  });

  take.addEventListener('click', async () => {
    if (!suggestion) return;
    kind.value = suggestion.kind;
    await fillCategories();
    category.value = suggestion.category;
    kind.focus();
  });

  function body() {
    const b = { channel: channel.value, text: text.value.trim() };
    const citizen = {};
    if (name.value.trim()) citizen.name = name.value.trim();
    if (phone.value.trim()) citizen.phone = toLatin(phone.value.trim());
    if (nid.value.trim()) citizen.national_id = toLatin(nid.value.trim());
    if (Object.keys(citizen).length) b.citizen = citizen;
    const subject = {};
    if (county.value) subject.county = county.value;
    if (station.value) subject.station = station.value;
    if (officer.value.trim()) subject.officer = toLatin(officer.value.trim());
    if (officerName.value.trim()) subject.officer_name = officerName.value.trim();
    if (Object.keys(subject).length) b.subject = subject;
    if (kind.value) b.kind = kind.value;
    if (category.value) b.category = category.value;
    return b;
  }

  // The receipt: the tracking code, once.
  function receipt(r) {
    const f = r.feedback;
    const code = el('output', { class: 'tracking-code ltr', 'aria-label': 'کد پیگیری' }, digits(r.tracking_code));
    const openIt = el('button', { type: 'button', class: 'primary' }, 'دیدن پیام');
    const again = el('button', { type: 'button', class: 'secondary' }, 'ثبت پیام دیگر');
    openIt.addEventListener('click', () => onOpen?.(f.id));
    again.addEventListener('click', () => start(true));
    node.replaceChildren(
      el('h2', { id: 'desk-intake-title', tabindex: '-1' }, 'پیام ', el('span', { class: 'ltr' }, f.number), ' ثبت شد'),
      el('div', { class: 'receipt', role: 'status' },
        el('p', {}, 'کد پیگیری شهروند:'), code,
        el('p', { class: 'warn' }, 'این کد فقط همین یک بار نشان داده می‌شود. آن را اکنون برای شهروند بخوانید یا بنویسید؛ با آن پاسخ را در صفحهٔ پیگیری ۱۹۷ می‌بیند.')),
      el('div', { class: 'row' }, openIt, again));
    openIt.focus();
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.textContent = '';
    if (!text.value.trim()) {
      msg.textContent = 'متن پیام را بنویسید.';
      text.focus();
      return;
    }
    save.disabled = true;
    try {
      const r = await api('POST', '/api/v1/feedback', { body: body(), create: true });
      saved = true;
      onSaved?.(r.feedback);
      receipt(r);
    } catch (err) {
      msg.textContent = errorText(err);
      const bad = err.field && form.querySelector(`[name="${CSS.escape(err.field)}"]`);
      if (bad) bad.focus();
    } finally {
      save.disabled = false;
    }
  });
  cancel.addEventListener('click', () => onCancel?.());

  // Shows the form: as it was left when the officer stepped away (Escape keeps what was
  // typed), or fresh after a contact was saved or when `fresh` is asked for.
  async function start(fresh = false) {
    if (!fresh && !saved && form.isConnected) {
      node.hidden = false;
      text.focus();
      return;
    }
    saved = false;
    clearTimeout(timer);
    seq += 1;
    suggestion = null;
    form.reset();
    msg.textContent = '';
    preview.replaceChildren();
    take.disabled = true;
    node.replaceChildren(el('h2', { id: 'desk-intake-title', tabindex: '-1' }, 'ثبت پیام تازه'), form);
    node.hidden = false;
    try {
      const p = await placeNames(ctx);
      setOptions(county, p.county, 'نامشخص');
      await Promise.all([fillStations(), fillCategories()]);
    } catch (err) {
      msg.textContent = errorText(err);
    }
    channel.focus();
  }

  function stop() {
    clearTimeout(timer);
    seq += 1;
    node.hidden = true;
  }

  return { node, start, stop };
}
