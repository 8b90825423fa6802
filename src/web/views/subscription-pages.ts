// Subscription pages: the subscribe form (email, daily or weekly, weekday, hour, time zone, filter),
// confirmation, the manage page a signed link opens, and unsubscribing. Saved filters and webhooks
// are listed on the settings page (settingsSections).
import { describeSchedule, WEEKDAYS } from '../../domain/digest.ts';
import type { SavedFilter, Subscription } from '../../store/subscriptions.ts';
import { field, type FormState, formMessage } from './forms.ts';
import { type Html, html } from './html.ts';
import { csrfField, layout, type Viewer } from './layout.ts';

type Csrf = { csrf: string };
const page = (siteName: string, title: string, body: Html, viewer?: Viewer) => layout({ title, siteName, nav: 'none', math: false, body, viewer });
const pad = (n: number) => String(n).padStart(2, '0');
/** Every zone this runtime knows, offered as suggestions (the field takes any valid name). */
const ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');

/** The schedule and filter fields, shared by the subscribe and manage forms. */
function scheduleFields(s: FormState, filters: SavedFilter[]): Html {
  const v = s.values ?? {};
  const error = (f: string) => s.errors?.find((e) => e.field === f)?.message;
  const freq = v.frequency || 'daily';
  return html`<fieldset><legend>How often</legend>
    <label><input type="radio" name="frequency" value="daily"${freq === 'daily' ? ' checked' : ''}> Daily (days with nothing new are skipped)</label>
    <label><input type="radio" name="frequency" value="weekly"${freq === 'weekly' ? ' checked' : ''}> Weekly, on
      <select name="weekday" aria-label="Day of the week">${WEEKDAYS.map((d, i) => html`<option value="${i + 1}"${String(i + 1) === (v.weekday || '1') ? ' selected' : ''}>${d}</option>`)}</select></label>
  </fieldset>
  <div class="field"><label for="f-hour">At</label>
    <select id="f-hour" name="hour">${Array.from({ length: 24 }, (_, h) => html`<option value="${h}"${String(h) === (v.hour || '7') ? ' selected' : ''}>${pad(h)}:00</option>`)}</select>
    ${error('hour') ? html`<p class="field-error">${error('hour')}</p>` : ''}</div>
  ${field({ name: 'timeZone', label: 'Time zone', hint: 'An IANA name such as Europe/Paris or America/New_York (your browser fills it in).', maxlength: 60, list: 'time-zones' }, { ...s, values: { ...v, timeZone: v.timeZone || 'UTC' } })}
  <datalist id="time-zones">${ZONES.map((z) => html`<option value="${z}"></option>`)}</datalist>
  ${field({ name: 'query', label: 'Only papers matching (optional)', hint: 'The search language: cat:cs.RO -cat:cs.CV, author:"Name", org:name, words and "phrases". Empty = all trending papers.', maxlength: 1000 }, s)}
  ${filters.length ? html`<p class="hint">Your saved filters: ${filters.map((f, i) => html`${i ? ' · ' : ''}<code>${f.query}</code> (${f.name})`)}</p>` : ''}`;
}

export function subscribePage(siteName: string, c: Csrf, s: FormState = {}, filters: SavedFilter[] = [], viewer?: Viewer): Html {
  return page(siteName, 'Subscribe', html`<div class="page-head"><h1>Trending papers in your inbox</h1>
<p class="byline">The day's or the week's trending papers by email, narrowed to what you follow if you like.</p></div>
<form class="form" method="post" action="/subscribe" novalidate data-timezone="guess">${csrfField(c)}
  ${formMessage(s)}
  ${field({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', required: true, maxlength: 254 }, s)}
  ${scheduleFields(s, filters)}
  <button type="submit">Subscribe</button>
</form>
<div class="prose"><p>We send a confirmation link first: nothing arrives until you follow it. Every email has a link to change or end
the subscription, no account needed. Prefer a feed reader? Every list links its RSS, Atom and JSON feeds.</p></div>`, viewer);
}

export function subscribedPage(siteName: string, o: { email: string; confirmed: boolean; manage?: string }, viewer?: Viewer): Html {
  return page(siteName, o.confirmed ? 'Subscribed' : 'Check your inbox', html`<div class="page-head"><h1>${o.confirmed ? 'You are subscribed' : 'Check your inbox'}</h1></div>
<div class="prose">${o.confirmed
    ? html`<p>Digests go to <strong>${o.email}</strong>.${o.manage ? html` <a href="${o.manage}">Change or end this subscription</a> any time (the link is in every email too).` : ''}</p>`
    : html`<p>If <strong>${o.email}</strong> can receive mail from us, a confirmation link is on its way. Your digest starts when you follow it.</p>`}</div>`, viewer);
}

export function confirmSubscriptionPage(siteName: string, c: Csrf, token: string): Html {
  return page(siteName, 'Confirm your subscription', html`<div class="page-head"><h1>Confirm your subscription</h1></div>
<form class="form" method="post" action="/subscriptions/confirm">${csrfField(c)}<input type="hidden" name="token" value="${token}">
  <p>One click and your digest starts.</p><button type="submit">Confirm my subscription</button></form>`);
}

export function manageSubscriptionPage(siteName: string, c: Csrf, sub: Subscription, action: string, s: FormState = {}, saved?: string): Html {
  const values = s.values ?? { frequency: sub.frequency, weekday: String(sub.weekday), hour: String(sub.hour), timeZone: sub.timeZone, query: sub.query };
  const status = { pending: 'waiting for the confirmation link', active: describeSchedule(sub), unsubscribed: 'ended: nothing is sent', bouncing: 'paused: mail to this address keeps bouncing' }[sub.status];
  return page(siteName, 'Your digest', html`<div class="page-head"><h1>Your digest</h1><p class="byline">To <strong>${sub.email}</strong>: ${status}.</p></div>
${saved ? html`<p class="notice" role="status">${saved}</p>` : ''}
<form class="form" method="post" action="${action}" novalidate>${csrfField(c)}
  ${formMessage(s)}
  ${scheduleFields({ ...s, values }, [])}
  <button type="submit" name="action" value="save">Save</button>
  ${sub.status === 'unsubscribed' || sub.status === 'bouncing' ? html`<button type="submit" name="action" value="resume" class="secondary">Start sending again</button>` : html`<button type="submit" name="action" value="unsubscribe" class="secondary">Unsubscribe</button>`}
</form>`);
}

export function unsubscribePage(siteName: string, c: Csrf, action: string, email: string, done: boolean): Html {
  return page(siteName, 'Unsubscribe', html`<div class="page-head"><h1>${done ? 'Unsubscribed' : 'Unsubscribe'}</h1></div>
${done
    ? html`<div class="prose"><p>No more digests go to <strong>${email}</strong>.</p></div>`
    : html`<form class="form" method="post" action="${action}">${csrfField(c)}<p>Stop the digests to <strong>${email}</strong>?</p><button type="submit">Unsubscribe</button></form>`}`);
}
