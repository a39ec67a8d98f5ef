// desk_contact.js — one 197 contact on the desk (GET /api/v1/feedback/{id}): who wrote,
// about whom, the text, the classifier's suggestion with its reasons and the control
// to confirm or correct it, the workflow actions the contact's status allows, the
// reply box, and the timeline.
//
// The actions follow docs/feedback.md's table so that the officer is offered only
// moves the server will take; the server still decides (a refused move is shown with
// errorText). Replies for the citizen and internal notes are one box with an explicit
// choice, internal by default, each drawn in its own colour on the timeline, because
// mixing them up is the one mistake here that reaches the citizen.
//
// What is being typed (the reply, the assignee, the correction) survives a reload of
// the contact — a live event about it, or the officer's own action — since those
// controls are built once per opened contact and only re-attached.

import { el } from './app.js';
import { api } from '../lib/api.js';
import {
  FEEDBACK_CHANNEL, FEEDBACK_KIND, FEEDBACK_LINE, FEEDBACK_OUTCOME, FEEDBACK_STATUS,
  dateTime, digits, errorText, num, toLatin,
} from '../lib/i18n.js';
import {
  categories, field, knownSupervisors, learnSupervisors, loadAssignees, overdueFlag, placeNames, select, setOptions,
  submitOnCtrlEnter, supervisorName,
} from './desk_parts.js';

// Moves POST .../status offers from each status (docs/feedback.md); "assigned" is not
// among them: only an assignment moves a contact there.
const MOVES = {
  received: [],
  assigned: ['under_review'],
  under_review: ['answered'],
  answered: ['under_review'],
  closed: [],
};
const MOVE_LABEL = { under_review: 'شروع بررسی', answered: 'پاسخ داده شد' };
const REOPEN_LABEL = 'بازگشایی (شهروند دوباره نوشت)';
// Outcomes a contact may close with before it is answered.
const EARLY_OUTCOMES = ['withdrawn', 'forwarded'];

// The contact pane. ctx: the shell's; onLoaded(feedback) tells the inbox the row's
// fresh state. Returns {node, open(id), reload(detail?), close(), id(), focusReply()}.
export function contactPane(ctx, { onLoaded, onClose }) {
  const desk = ctx.user.roles.includes('oversight');
  const node = el('section', { class: 'panel contact', 'aria-labelledby': 'desk-contact-title' });
  const announce = el('p', { class: 'sr-only', 'aria-live': 'polite' });
  let current = null; // {id, detail, controls}

  function controlsFor(id) {
    const c = { id };
    // classification
    c.kind = select('kind', FEEDBACK_KIND);
    c.category = select('category', {}, { empty: 'بدون موضوع' });
    c.touched = false; // the officer changed the classification controls and has not sent them
    c.kind.addEventListener('change', () => {
      c.touched = true;
      fillCategories(c);
    });
    c.category.addEventListener('change', () => { c.touched = true; });
    // assignment
    c.assignee = el('input', { name: 'user_id', inputmode: 'numeric', dir: 'ltr', list: `desk-sup-${id}`, autocomplete: 'off', size: 8 });
    c.supList = el('datalist', { id: `desk-sup-${id}` });
    // closing
    c.outcome = select('outcome', {}, { empty: 'نتیجه را برگزینید' });
    // reply
    c.replyText = submitOnCtrlEnter(el('textarea', { name: 'text', rows: 3, required: true }));
    c.internal = el('input', { type: 'radio', name: `for-${id}`, value: 'note', checked: true });
    c.citizen = el('input', { type: 'radio', name: `for-${id}`, value: 'reply' });
    c.replySend = el('button', { class: 'primary', type: 'submit' });
    const relabel = () => {
      const forCitizen = c.citizen.checked;
      c.replySend.textContent = forCitizen ? 'فرستادن پاسخ به شهروند' : 'ثبت یادداشت درونی';
      c.replyForm.dataset.for = forCitizen ? 'citizen' : 'internal';
    };
    c.replyForm = el('form', { class: 'reply', 'aria-label': 'نوشتن پاسخ یا یادداشت' },
      el('fieldset', {},
        el('legend', {}, 'این نوشته برای کیست؟'),
        el('label', {}, c.internal, ' یادداشت درونی — شهروند آن را نمی‌بیند'),
        el('label', {}, c.citizen, ' پاسخ به شهروند — در صفحهٔ پیگیری دیده می‌شود')),
      field('متن', c.replyText, el('span', {}, 'فرستادن: ', el('kbd', {}, 'Ctrl'), '+', el('kbd', {}, 'Enter'))),
      c.replySend);
    c.internal.addEventListener('change', relabel);
    c.citizen.addEventListener('change', relabel);
    c.replyForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      sendReply(c);
    });
    relabel();
    return c;
  }

  async function fillCategories(c) {
    const cats = await categories();
    setOptions(c.category, cats.ofKind(c.kind.value), 'بدون موضوع');
  }

  // ---- actions ------------------------------------------------------------------------

  // Runs one request for the open contact; on success reloads it and says `done`.
  async function act(button, request, done) {
    const id = current?.id;
    if (button) button.disabled = true;
    try {
      await request();
      ctx.toast(done, 'ok');
      announce.textContent = done;
      if (current && current.id === id) await reload();
      return true;
    } catch (err) {
      ctx.toast(errorText(err), 'error');
      return false;
    } finally {
      if (button) button.disabled = false;
    }
  }

  async function sendReply(c) {
    const text = c.replyText.value.trim();
    if (!text) {
      ctx.toast('متن پاسخ یا یادداشت خالی است.', 'error');
      c.replyText.focus();
      return;
    }
    const forCitizen = c.citizen.checked;
    const ok = await act(c.replySend, () => api('POST', `/api/v1/feedback/${c.id}/replies`, { body: { text, for_citizen: forCitizen } }),
      forCitizen ? 'پاسخ برای شهروند فرستاده شد.' : 'یادداشت درونی ثبت شد.');
    if (ok) {
      c.replyText.value = '';
      c.internal.checked = true;
      c.internal.dispatchEvent(new Event('change'));
      c.replyText.focus();
    }
  }

  // ---- rendering ----------------------------------------------------------------------

  function row(label, ...value) {
    return [el('dt', {}, label), el('dd', {}, ...value.flat(Infinity))];
  }
  const ltr = (s) => el('span', { class: 'ltr' }, digits(s));

  function summary(f, places) {
    const cit = f.citizen;
    const s = f.subject;
    const about = [s.station ? places.station[s.station] || s.station : null, s.county ? places.county[s.county] || s.county : null,
      s.unit ? `یگان ${digits(s.unit)}` : null, s.officer_name, s.officer ? ['شمارهٔ پرسنلی ', ltr(s.officer)] : null].filter(Boolean);
    return el('dl', { class: 'facts' },
      row('راه تماس', FEEDBACK_CHANNEL[f.channel] || f.channel),
      row('دریافت', dateTime(f.received_at)),
      row('مهلت پاسخ', dateTime(f.due_at), ' ', overdueFlag(f)),
      f.assigned_to ? row('ارجاع به', supervisorName(f.assigned_to)) : null,
      f.answered_at ? row('پاسخ', dateTime(f.answered_at)) : null,
      f.closed_at ? row('بسته شد', dateTime(f.closed_at), ' — ', FEEDBACK_OUTCOME[f.outcome] || '') : null,
      row('شهروند', cit ? [cit.name || 'بی‌نام', cit.phone ? ['، تلفن ', ltr(cit.phone)] : null,
        cit.national_id ? ['، کد ملی ', ltr(cit.national_id)] : null] : 'ناشناس'),
      row('دربارهٔ', about.length ? about.flatMap((x, i) => (i ? ['، ', x] : [x])) : 'نامشخص'),
      f.address ? row('نشانی', f.address) : null);
  }

  function classification(c, d, cats) {
    const f = d.feedback;
    const sug = d.classification;
    const catName = (code) => cats.byCode.get(code)?.name_fa || code;
    const box = el('section', { class: 'classify', 'aria-labelledby': `desk-cls-${f.id}` },
      el('h3', { id: `desk-cls-${f.id}` }, 'طبقه‌بندی'),
      el('p', {}, 'اکنون: ', el('strong', {}, FEEDBACK_KIND[f.kind] || f.kind), f.category ? ` — ${catName(f.category)}` : '',
        ' ', f.classification_confirmed
          ? el('span', { class: 'status confirmed' }, 'تأیید شده')
          : el('span', { class: 'status unconfirmed' }, 'تأیید نشده')),
      sug.found
        ? el('div', { class: 'suggestion' },
          el('p', {}, 'پیشنهاد سامانه: ', el('strong', {}, FEEDBACK_KIND[sug.kind]), ` — ${catName(sug.category)}`, ` (امتیاز ${num(sug.score)})`),
          el('p', { class: 'reasons-title' }, 'به این دلیل که در متن آمده است:'),
          el('ul', { class: 'reasons' }, sug.reasons.map((r) =>
            el('li', {}, el('q', {}, r.term), ` → ${catName(r.category)} `, el('span', { class: 'weight' }, `وزن ${num(r.weight)}`)))))
        : el('p', { class: 'empty' }, 'سامانه در متن نشانه‌ای برای پیشنهاد نیافت.'));
    if (!desk || f.status === 'closed') return box;
    if (!c.touched) c.kind.value = f.kind;
    setOptions(c.category, cats.ofKind(c.kind.value), 'بدون موضوع');
    if (!c.touched) c.category.value = f.category || '';
    const confirm = el('button', { type: 'button', class: 'secondary' }, 'تأیید همین طبقه‌بندی');
    confirm.addEventListener('click', () => act(confirm, () => api('PATCH', `/api/v1/feedback/${f.id}`, { body: {} }), 'طبقه‌بندی تأیید شد.'));
    const correct = el('button', { type: 'submit', class: 'primary' }, 'اصلاح طبقه‌بندی');
    const form = el('form', { class: 'row' }, field('نوع', c.kind), field('موضوع', c.category), correct,
      f.classification_confirmed ? null : confirm);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const body = { kind: c.kind.value, category: c.category.value || null };
      act(correct, () => api('PATCH', `/api/v1/feedback/${f.id}`, { body }), 'طبقه‌بندی اصلاح و تأیید شد.')
        .then((ok) => { if (ok) c.touched = false; });
    });
    box.append(form);
    return box;
  }

  function actions(c, d) {
    const f = d.feedback;
    const parts = [];
    if (f.status === 'closed') return el('p', { class: 'empty' }, 'این پیام بسته شده است و کاری روی آن نمی‌ماند جز یادداشت درونی.');
    if (desk && ['received', 'assigned', 'under_review'].includes(f.status)) {
      const offer = () => c.supList.replaceChildren(...knownSupervisors().map((s) => el('option', { value: String(s.id) }, s.display_name ? `${s.display_name} (${s.username})` : s.username)));
      offer();
      loadAssignees().then(offer, () => { /* the id field still works */ });
      const go = el('button', { type: 'submit', class: 'primary' }, f.assigned_to ? 'ارجاع دوباره' : 'ارجاع');
      const form = el('form', { class: 'row assign' },
        field('سرپرست (شناسهٔ کاربر)', c.assignee, 'سرپرستان فعال در فهرست پیشنهادها هستند؛ یکی را برگزینید یا شناسهٔ کاربری‌اش را بنویسید.'),
        c.supList, go);
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const uid = Number(toLatin(c.assignee.value.trim()));
        if (!Number.isInteger(uid) || uid < 1) {
          ctx.toast('شناسهٔ کاربری سرپرست را (یک عدد) وارد کنید.', 'error');
          c.assignee.focus();
          return;
        }
        act(go, () => api('POST', `/api/v1/feedback/${f.id}/assign`, { body: { user_id: uid } }), `به ${supervisorName(uid)} ارجاع شد.`)
          .then((ok) => { if (ok) c.assignee.value = ''; });
      });
      parts.push(form);
    }
    const moves = el('div', { class: 'row moves' });
    const hasReply = d.timeline.some((l) => l.kind === 'reply');
    for (const to of MOVES[f.status] || []) {
      const label = f.status === 'answered' ? REOPEN_LABEL : MOVE_LABEL[to];
      const b = el('button', { type: 'button', class: 'secondary', 'data-move': to }, label);
      if (to === 'answered' && !hasReply) {
        b.disabled = true;
        b.title = 'نخست پاسخی برای شهروند بنویسید.';
      }
      b.addEventListener('click', () => act(b, () => api('POST', `/api/v1/feedback/${f.id}/status`, { body: { status: to } }),
        `وضعیت: ${FEEDBACK_STATUS[to]}`));
      moves.append(b);
    }
    if (f.status === 'under_review' && !hasReply) moves.append(el('small', { class: 'hint' }, 'برای «پاسخ داده شد» نخست پاسخی برای شهروند بنویسید.'));
    if (moves.childElementCount) parts.push(moves);
    const allowed = f.status === 'answered' ? Object.keys(FEEDBACK_OUTCOME) : EARLY_OUTCOMES;
    setOptions(c.outcome, Object.fromEntries(allowed.map((o) => [o, FEEDBACK_OUTCOME[o]])), 'نتیجه را برگزینید');
    const close = el('button', { type: 'submit', class: 'secondary danger' }, 'بستن پیام');
    const closeForm = el('form', { class: 'row close' }, field('نتیجه', c.outcome), close);
    closeForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!c.outcome.value) {
        ctx.toast('برای بستن، نتیجه را برگزینید.', 'error');
        c.outcome.focus();
        return;
      }
      act(close, () => api('POST', `/api/v1/feedback/${f.id}/status`, { body: { status: 'closed', outcome: c.outcome.value } }), 'پیام بسته شد.');
    });
    parts.push(closeForm);
    return el('section', { class: 'actions', 'aria-label': 'کارها' }, el('h3', {}, 'کارها'), parts);
  }

  function lineText(l) {
    const d = l.data || {};
    switch (l.kind) {
      case 'received': return `از راه ${FEEDBACK_CHANNEL[d.channel] || d.channel || ''}`;
      case 'assigned': return `به ${d.username ? (d.display_name ? `${d.display_name} (${d.username})` : d.username) : supervisorName(d.user_id)}`;
      case 'status': return `${FEEDBACK_STATUS[d.from] || d.from || ''} ← ${FEEDBACK_STATUS[d.to] || d.to || ''}`;
      case 'closed': return FEEDBACK_OUTCOME[d.outcome] || '';
      case 'classified': return `${FEEDBACK_KIND[d.to?.kind] || ''}${d.to?.category ? ` / ${d.to.category}` : ''}`;
      default: return '';
    }
  }

  function timeline(d, cats) {
    const catName = (code) => cats.byCode.get(code)?.name_fa || code;
    return el('section', { class: 'timeline', 'aria-labelledby': `desk-tl-${d.feedback.id}` },
      el('h3', { id: `desk-tl-${d.feedback.id}` }, 'گردش کار'),
      el('ol', {}, d.timeline.map((l) => {
        let what = lineText(l);
        if (l.kind === 'classified' && l.data?.to?.category) what = `${FEEDBACK_KIND[l.data.to.kind] || ''} / ${catName(l.data.to.category)}`;
        return el('li', { 'data-kind': l.kind },
          el('div', { class: 'line-head' },
            el('span', { class: 'line-kind' }, FEEDBACK_LINE[l.kind] || l.kind),
            ' ', el('time', { datetime: l.time }, dateTime(l.time)),
            ' ', el('span', { class: 'actor ltr' }, l.actor)),
          what ? el('div', { class: 'line-what' }, what) : null,
          l.text ? el('p', { class: 'line-text' }, l.text) : null);
      })));
  }

  async function render(d) {
    const [places, cats] = await Promise.all([placeNames(ctx), categories()]);
    learnSupervisors(d.timeline);
    const f = d.feedback;
    if (!current || current.id !== f.id) return;
    current.detail = d;
    const c = current.controls;
    if (f.status === 'closed') {
      c.citizen.disabled = true;
      c.internal.checked = true;
      c.internal.dispatchEvent(new Event('change'));
    } else c.citizen.disabled = false;
    const closeBtn = el('button', { type: 'button', class: 'close', 'aria-label': 'بستن این پیام' }, '×');
    closeBtn.addEventListener('click', () => close());
    node.replaceChildren(
      el('header', { class: 'contact-head' },
        el('h2', { id: 'desk-contact-title', tabindex: '-1' }, 'پیام ', el('span', { class: 'ltr' }, f.number)),
        el('span', { class: 'kind' }, FEEDBACK_KIND[f.kind] || f.kind),
        el('span', { class: 'status', 'data-status': f.status }, FEEDBACK_STATUS[f.status] || f.status),
        overdueFlag(f), closeBtn, el('kbd', {}, 'Esc')),
      announce,
      summary(f, places),
      el('section', { class: 'text', 'aria-label': 'متن پیام' }, el('h3', {}, 'متن'), el('p', { class: 'body' }, f.text)),
      classification(c, d, cats),
      actions(c, d),
      el('section', { class: 'write', 'aria-label': 'پاسخ یا یادداشت' }, el('h3', {}, 'نوشتن ', el('kbd', {}, 'Alt'), '+', el('kbd', {}, 'R')), c.replyForm),
      timeline(d, cats));
    onLoaded?.(f);
  }

  async function reload(detail) {
    if (!current) return;
    const id = current.id;
    try {
      const d = detail || await api('GET', `/api/v1/feedback/${id}`);
      await render(d);
    } catch (err) {
      if (current && current.id === id) node.replaceChildren(el('p', { class: 'msg', role: 'alert' }, errorText(err)));
    }
  }

  async function open(id) {
    if (!current || current.id !== id) current = { id, detail: null, controls: controlsFor(id) };
    node.hidden = false;
    node.replaceChildren(el('p', { class: 'empty' }, 'در حال خواندن…'));
    await reload();
    node.querySelector('#desk-contact-title')?.focus();
  }

  function close() {
    current = null;
    node.replaceChildren();
    node.hidden = true;
    onClose?.();
  }

  node.hidden = true;
  return {
    node,
    open,
    reload,
    close,
    id: () => current?.id ?? null,
    focusReply: () => current?.controls.replyText.focus(),
  };
}
