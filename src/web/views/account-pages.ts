// Pages of the people side: sign up, log in (password or emailed link), password reset, the
// "check your inbox" and link-confirmation pages, settings (profile, password, sessions, API tokens),
// paper submission, profiles, an organization's panel, and the moderation desk.
import type { Organization, Paper } from '../../domain/paper.ts';
import type { Claim, AuditEntry } from '../../store/moderation.ts';
import type { Report } from '../../store/comments.ts';
import type { OrgMember } from '../../store/organizations.ts';
import type { ApiToken, SessionInfo } from '../../store/users.ts';
import type { SavedFilter, Subscription } from '../../store/subscriptions.ts';
import type { DeliveryLogEntry, Webhook } from '../../store/webhooks.ts';
import { describeSchedule } from '../../domain/digest.ts';
import { feedPath } from './feed-links.ts';
import { cardList } from './cards.ts';
import { field, type FormState, formMessage } from './forms.ts';
import { type Html, html } from './html.ts';
import { csrfField, layout, type Viewer } from './layout.ts';

type Csrf = { csrf: string };
const page = (siteName: string, title: string, body: Html, viewer?: Viewer) => layout({ title, siteName, nav: 'none', math: false, body, viewer });
const head = (title: string, sub?: Html | string) => html`<div class="page-head"><h1>${title}</h1>${sub ? html`<p class="byline">${sub}</p>` : ''}</div>`;
const nextField = (next: string | undefined) => (next ? html`<input type="hidden" name="next" value="${next}">` : '');

export function signupPage(siteName: string, c: Csrf, s: FormState = {}): Html {
  return page(siteName, 'Sign up', html`${head('Create your account', 'Upvote papers, submit new ones and join the discussion.')}
<form class="form" method="post" action="/signup" novalidate>${csrfField(c)}
  ${formMessage(s)}
  ${field({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', required: true, maxlength: 254 }, s)}
  ${field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', required: true, hint: 'At least 10 characters.', maxlength: 256 }, s)}
  ${field({ name: 'handle', label: 'Handle (optional)', autocomplete: 'username', hint: 'Your public name in URLs, e.g. ada-l. Left empty, one is made from your address.', maxlength: 30 }, s)}
  ${field({ name: 'displayName', label: 'Display name (optional)', autocomplete: 'name', maxlength: 80 }, s)}
  <button type="submit">Sign up</button>
</form>
<p>Already have an account? <a href="/login">Log in</a>.</p>`);
}

export function loginPage(siteName: string, c: Csrf, next: string | undefined, s: FormState = {}): Html {
  return page(siteName, 'Log in', html`${head('Log in')}
<form class="form" method="post" action="/login" novalidate>${csrfField(c)}${nextField(next)}
  ${formMessage(s)}
  ${field({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', required: true, maxlength: 254 }, s)}
  ${field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 256 }, s)}
  <button type="submit">Log in</button>
</form>
<p><a href="/login/link">Email me a sign-in link instead</a> · <a href="/reset">Forgot your password?</a> · <a href="/signup">Create an account</a></p>`);
}

/** Asks for an address to mail a link to (purpose: a sign-in link or a password reset). */
export function requestLinkPage(siteName: string, c: Csrf, purpose: 'login' | 'reset', s: FormState = {}): Html {
  const login = purpose === 'login';
  return page(siteName, login ? 'Sign in by email' : 'Reset your password', html`${head(login ? 'Sign in with a link' : 'Reset your password', login ? 'We email you a link that signs you in, no password needed.' : 'We email you a link to choose a new password.')}
<form class="form" method="post" action="${login ? '/login/link' : '/reset'}" novalidate>${csrfField(c)}
  ${formMessage(s)}
  ${field({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', required: true, maxlength: 254 }, s)}
  <button type="submit">Email me a link</button>
</form>`);
}

export function checkInboxPage(siteName: string, email: string, what: string): Html {
  return page(siteName, 'Check your inbox', html`${head('Check your inbox')}
<div class="prose"><p>If <strong>${email}</strong> can receive mail from us, a message is on its way: ${what}</p>
<p>Nothing arrived after a few minutes? Look in your spam folder, or try again.</p></div>`);
}

/**
 * The page an emailed link opens: one button that does it. Mail scanners fetch links; only the
 * person clicking the button confirms, signs in or resets.
 */
export function confirmLinkPage(siteName: string, c: Csrf, o: { title: string; text: string; action: string; token: string; button: string; password?: FormState }): Html {
  return page(siteName, o.title, html`${head(o.title)}
<form class="form" method="post" action="${o.action}" novalidate>${csrfField(c)}<input type="hidden" name="token" value="${o.token}">
  <p>${o.text}</p>
  ${o.password ? html`${formMessage(o.password)}${field({ name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', required: true, hint: 'At least 10 characters.', maxlength: 256 }, o.password)}` : ''}
  <button type="submit">${o.button}</button>
</form>`);
}

export type SettingsModel = {
  viewer: Viewer;
  email: string;
  displayName: string;
  upvotesPublic: boolean;
  hasPassword: boolean;
  sessions: (SessionInfo & { current: boolean; id: string })[];
  tokens: ApiToken[];
  /** A token just created: shown once. */
  newToken?: string;
  orgs: Organization[];
  claims: Claim[];
  filters: SavedFilter[];
  /** Each digest subscription of the user's address, with its signed manage link. */
  digests: (Subscription & { manage: string })[];
  webhooks: (Webhook & { log: DeliveryLogEntry[] })[];
  state?: FormState;
  saved?: string;
};

export function settingsPage(siteName: string, m: SettingsModel): Html {
  const v = m.viewer;
  return page(siteName, 'Settings', html`${head('Settings', html`Signed in as <strong>${m.email}</strong>`)}
${m.saved ? html`<p class="notice" role="status">${m.saved}</p>` : ''}
<section aria-labelledby="profile-h"><h2 id="profile-h">Profile</h2>
<form class="form" method="post" action="/settings/profile">${csrfField(v)}
  ${field({ name: 'displayName', label: 'Display name', autocomplete: 'name', maxlength: 80 }, { values: { displayName: m.displayName } })}
  <div class="field"><label><input type="checkbox" name="upvotesPublic" value="1"${m.upvotesPublic ? ' checked' : ''}> Show the papers I upvote on my profile</label></div>
  <button type="submit">Save profile</button>
</form></section>
<section aria-labelledby="password-h"><h2 id="password-h">Password</h2>
<form class="form" method="post" action="/settings/password" novalidate>${csrfField(v)}
  ${formMessage(m.state)}
  ${m.hasPassword ? field({ name: 'current', label: 'Current password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 256 }, m.state) : ''}
  ${field({ name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', required: true, hint: 'At least 10 characters. Your other sessions are signed out.', maxlength: 256 }, m.state)}
  <button type="submit">Change password</button>
</form></section>
<section aria-labelledby="sessions-h"><h2 id="sessions-h">Where you are signed in</h2>
<table class="table"><thead><tr><th>Device</th><th>Address</th><th>Signed in</th><th>Last seen</th><th></th></tr></thead><tbody>
${m.sessions.map((s) => html`<tr><td>${s.userAgent || 'unknown'}${s.current ? html` <strong>(this one)</strong>` : ''}</td><td>${s.ip}</td><td>${s.createdAt.slice(0, 16).replace('T', ' ')}</td><td>${s.lastSeenAt.slice(0, 16).replace('T', ' ')}</td>
<td>${s.current ? '' : html`<form method="post" action="/settings/sessions/revoke" class="inline">${csrfField(v)}<input type="hidden" name="id" value="${s.id}"><button type="submit" class="link">Sign out</button></form>`}</td></tr>`)}
</tbody></table></section>
<section aria-labelledby="tokens-h"><h2 id="tokens-h">API tokens</h2>
<p>Scripts use a token to upvote, submit and comment through the <a href="/api/docs">API</a> (header <code>Authorization: Bearer TOKEN</code>). A token with only the read scope is safe to give a feed reader: <code>/feeds/foryou.rss?token=TOKEN</code> is your <a href="/for-you">For you</a> list as a feed.</p>
${m.newToken ? html`<p class="notice" role="status">Your new token (copy it now: it is not shown again): <code class="token">${m.newToken}</code></p>` : ''}
${m.tokens.length ? html`<table class="table"><thead><tr><th>Name</th><th>Scopes</th><th>Created</th><th>Last used</th><th></th></tr></thead><tbody>
${m.tokens.map((t) => html`<tr><td>${t.name}</td><td>${t.scopes.join(', ')}</td><td>${t.createdAt.slice(0, 10)}</td><td>${t.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? 'never'}</td>
<td>${t.revoked ? 'revoked' : html`<form method="post" action="/settings/tokens/revoke" class="inline">${csrfField(v)}<input type="hidden" name="id" value="${t.id}"><button type="submit" class="link">Revoke</button></form>`}</td></tr>`)}
</tbody></table>` : ''}
<form class="form" method="post" action="/settings/tokens">${csrfField(v)}
  ${field({ name: 'name', label: 'Token name', required: true, maxlength: 80, hint: 'What it is for, e.g. "my reading script".' })}
  <fieldset><legend>Scopes</legend>
    <label><input type="checkbox" name="scope" value="read"> read (your For you list and feed)</label>
    <label><input type="checkbox" name="scope" value="vote" checked> vote</label>
    <label><input type="checkbox" name="scope" value="submit"> submit</label>
    <label><input type="checkbox" name="scope" value="comment"> comment</label>
  </fieldset>
  <button type="submit">Create token</button>
</form></section>
<section aria-labelledby="digests-h"><h2 id="digests-h">Email digests</h2>
${m.digests.length ? html`<ul>${m.digests.map((d) => html`<li>${describeSchedule(d)}${d.query ? html`, matching <code>${d.query}</code>` : ''} — ${d.status === 'active' ? 'active' : d.status === 'pending' ? 'waiting for confirmation' : d.status === 'bouncing' ? 'paused (bouncing)' : 'ended'} · <a href="${d.manage}">change</a></li>`)}</ul>` : html`<p>No digests yet.</p>`}
<p><a href="/subscribe">Add a digest</a></p></section>
<section aria-labelledby="filters-h"><h2 id="filters-h">Saved filters</h2>
<p>A filter is a query of the search language (for example <code>cat:cs.RO -cat:cs.CV manipulation</code>). Each has a private feed, narrows a digest, and can call a webhook.</p>
${m.filters.length ? html`<table class="table"><thead><tr><th>Name</th><th>Query</th><th>Feeds</th><th></th></tr></thead><tbody>
${m.filters.map((f) => html`<tr><td>${f.name}</td><td><a href="/search?q=${encodeURIComponent(f.query)}"><code>${f.query}</code></a></td>
<td><a href="${feedPath('filter', 'rss', { token: f.feedToken })}">RSS</a> · <a href="${feedPath('filter', 'atom', { token: f.feedToken })}">Atom</a> · <a href="${feedPath('filter', 'json', { token: f.feedToken })}">JSON</a> · <a href="/subscribe?query=${encodeURIComponent(f.query)}">digest</a></td>
<td><form method="post" action="/settings/filters/${f.id}/delete" class="inline">${csrfField(v)}<button type="submit" class="link">Delete</button></form></td></tr>`)}
</tbody></table>` : ''}
<form class="form" method="post" action="/settings/filters">${csrfField(v)}
  ${field({ name: 'name', label: 'Filter name', required: true, maxlength: 80 })}
  ${field({ name: 'query', label: 'Query', required: true, maxlength: 1000, hint: 'Words, "phrases", -excluded, author:"Name", cat:cs.LG, -cat:cs.CV, org:name, -org:name.' })}
  <button type="submit">Save filter</button>
</form></section>
${webhooksSection(v, m.filters, m.webhooks)}
<section aria-labelledby="orgs-h"><h2 id="orgs-h">Organizations</h2>
${m.orgs.length ? html`<ul>${m.orgs.map((o) => html`<li><a href="/orgs/${o.name}">${o.fullname}</a></li>`)}</ul>` : html`<p>You belong to no organization yet.</p>`}
<p><a href="/orgs/new">Create an organization</a></p>
${m.claims.length ? html`<h3>Your claims</h3><ul>${m.claims.map((c) => html`<li>${c.kind === 'author' ? html`Author of <a href="/papers/${c.target}">${c.target}</a>` : html`Organization <a href="/orgs/${c.target}">${c.target}</a>`}: ${c.status}</li>`)}</ul>` : ''}
</section>`, v);
}

function webhooksSection(v: Viewer, filters: SavedFilter[], hooks: SettingsModel['webhooks']): Html {
  return html`<section aria-labelledby="webhooks-h"><h2 id="webhooks-h">Webhooks</h2>
<p>New papers matching a saved filter are POSTed as JSON to your URL, signed: header <code>X-Paperboy-Signature: t=TIME,v1=HMAC</code>,
the hex HMAC-SHA256 of <code>TIME.BODY</code> with the hook's secret. Failed deliveries are retried with backoff; after 3 given up in a row the hook is switched off.</p>
${hooks.map((h) => html`<article class="hook"><h3>${h.filterName} → <code>${h.url}</code></h3>
<p>${h.active ? 'Active' : html`<strong>Switched off</strong> after failed deliveries`} · <details class="inline"><summary>Signing secret</summary><code class="token">${h.secret}</code></details>
<form method="post" action="/settings/webhooks/${h.id}/${h.active ? 'disable' : 'enable'}" class="inline">${csrfField(v)}<button type="submit" class="link">${h.active ? 'Switch off' : 'Switch on'}</button></form>
· <form method="post" action="/settings/webhooks/${h.id}/delete" class="inline">${csrfField(v)}<button type="submit" class="link">Delete</button></form></p>
${h.log.length ? html`<table class="table"><caption>Recent deliveries</caption><thead><tr><th>#</th><th>Queued</th><th>Papers</th><th>Status</th><th>Attempts</th><th>Last answer</th></tr></thead><tbody>
${h.log.map((e) => html`<tr><td>${e.id}</td><td>${e.createdAt.slice(0, 16).replace('T', ' ')}</td><td>${e.papers}</td><td>${e.status}</td><td>${e.attempts}</td><td>${e.lastStatus ?? ''} ${e.lastError ?? ''}</td></tr>`)}
</tbody></table>` : html`<p class="hint">No deliveries yet.</p>`}</article>`)}
${filters.length ? html`<form class="form" method="post" action="/settings/webhooks">${csrfField(v)}
  <div class="field"><label for="f-filter">Saved filter</label><select id="f-filter" name="filter">${filters.map((f) => html`<option value="${f.id}">${f.name}</option>`)}</select></div>
  ${field({ name: 'url', label: 'URL', type: 'url', required: true, maxlength: 500, hint: 'https://… on a public address.' })}
  <button type="submit">Add webhook</button>
</form>` : html`<p class="hint">Save a filter first: webhooks send what a filter matches.</p>`}
</section>`;
}

export function submitPage(siteName: string, v: Viewer, rules: { perDay: number; maxAgeDays: number; requireVerifiedEmail: boolean }, s: FormState & { duplicate?: string } = {}): Html {
  return page(siteName, 'Submit a paper', html`${head('Submit a paper', 'Found a paper the community should read? Add it to today’s feed.')}
<form class="form" method="post" action="/submit" novalidate>${csrfField(v)}
  ${s.duplicate ? html`<p class="notice" role="alert">This paper is already here: <a href="/papers/${s.duplicate}">see it and upvote it</a>.</p>` : formMessage(s)}
  ${field({ name: 'id', label: 'arXiv id or URL', required: true, hint: 'e.g. 2506.01234 or https://arxiv.org/abs/2506.01234', maxlength: 200 }, s)}
  <button type="submit">Submit</button>
</form>
<div class="prose"><h2>The rules</h2><ul>
  ${rules.requireVerifiedEmail ? html`<li>Your email address is confirmed.</li>` : ''}
  <li>At most ${rules.perDay} submissions in 24 hours.</li>
  <li>The paper reached arXiv at most ${rules.maxAgeDays} days ago.</li>
  <li>A paper already on the site is not submitted again: upvote it instead.</li>
</ul></div>`, v);
}

export type ProfileModel = { handle: string; displayName: string; joined: string; submitted: Paper[]; upvoted: Paper[] | undefined; authored: Paper[]; viewer: Viewer | undefined };

export function profilePage(siteName: string, m: ProfileModel): Html {
  return page(siteName, m.displayName, html`<div class="page-head"><p class="eyebrow">Member since ${m.joined.slice(0, 10)}</p><h1>${m.displayName}</h1><p class="byline">@${m.handle}</p></div>
<section aria-labelledby="authored-h"><h2 id="authored-h">Author of</h2>${cardList(m.authored, 'No papers claimed yet.', m.viewer)}</section>
<section aria-labelledby="submitted-h"><h2 id="submitted-h">Submitted</h2>${cardList(m.submitted, 'No submissions yet.', m.viewer)}</section>
<section aria-labelledby="upvoted-h"><h2 id="upvoted-h">Upvoted</h2>${m.upvoted ? cardList(m.upvoted, 'No upvotes yet.', m.viewer) : html`<p class="empty">${m.displayName} keeps their upvotes private.</p>`}</section>`, m.viewer);
}

export type OrgPanelModel = { org: Organization; members: OrgMember[]; hasOwner: boolean; viewer: Viewer | undefined; viewerRole: 'owner' | 'member' | undefined };

export function orgPanel(m: OrgPanelModel): Html {
  const v = m.viewer;
  return html`<section class="org-panel" aria-labelledby="members-h">
  <h2 id="members-h">Members</h2>
  ${m.members.length ? html`<ul class="members">${m.members.map((u) => html`<li><a href="/users/${u.handle}">${u.displayName}</a>${u.role === 'owner' ? ' (owner)' : ''}${
    v && (m.viewerRole === 'owner' || v.admin) && u.handle !== v.handle
      ? html` <form method="post" action="/orgs/${m.org.name}/members" class="inline">${csrfField(v)}<input type="hidden" name="handle" value="${u.handle}"><input type="hidden" name="action" value="remove"><button type="submit" class="link">Remove</button></form>`
      : ''
  }</li>`)}</ul>` : html`<p>Nobody runs this organization here yet.</p>`}
  ${v && !m.hasOwner ? html`<form method="post" action="/orgs/${m.org.name}/claim" class="inline">${csrfField(v)}<button type="submit" class="secondary">Claim this organization</button></form> <span class="hint">A moderator confirms claims.</span>` : ''}
  ${v && (m.viewerRole === 'owner' || v.admin) ? html`<form class="form inline-form" method="post" action="/orgs/${m.org.name}/members">${csrfField(v)}<input type="hidden" name="action" value="add">
    <label for="member-handle">Add a member by handle</label> <input id="member-handle" name="handle" required maxlength="30"> <button type="submit">Add</button></form>` : ''}
</section>`;
}

export function newOrgPage(siteName: string, v: Viewer, s: FormState = {}): Html {
  return page(siteName, 'New organization', html`${head('Create an organization', 'Labs, companies and communities: their papers get a badge and a page.')}
<form class="form" method="post" action="/orgs" novalidate>${csrfField(v)}
  ${formMessage(s)}
  ${field({ name: 'name', label: 'Short name', required: true, hint: 'Lower-case letters, digits, - or _; the page is /orgs/NAME.', maxlength: 40 }, s)}
  ${field({ name: 'fullname', label: 'Full name', required: true, maxlength: 120 }, s)}
  <button type="submit">Create</button>
</form>`, v);
}

export type AdminModel = { viewer: Viewer; claims: Claim[]; reports: Report[]; audit: AuditEntry[] };

export function adminPage(siteName: string, m: AdminModel): Html {
  const v = m.viewer;
  return page(siteName, 'Moderation', html`${head('Moderation')}
<section aria-labelledby="claims-h"><h2 id="claims-h">Pending claims</h2>
${m.claims.length ? html`<ul>${m.claims.map((c) => html`<li>${c.handle} claims ${c.kind === 'author' ? html`authorship of <a href="/papers/${c.target}">${c.target}</a>` : html`organization <a href="/orgs/${c.target}">${c.target}</a>`}
  <form method="post" action="/admin/claims/${c.id}" class="inline">${csrfField(v)}<button type="submit" name="decision" value="approve">Approve</button> <button type="submit" name="decision" value="reject" class="secondary">Reject</button></form></li>`)}</ul>` : html`<p class="empty">No pending claims.</p>`}
</section>
<section aria-labelledby="reports-h"><h2 id="reports-h">Reported comments</h2>
${m.reports.length ? html`<ul>${m.reports.map((r) => html`<li><a href="/papers/${r.paperId}#comment-${r.commentId}">Comment ${r.commentId}</a> reported by ${r.reporter}: “${r.reason}”<blockquote>${r.body.slice(0, 300)}</blockquote>
  <form method="post" action="/admin/comments/${r.commentId}/hide" class="inline">${csrfField(v)}<button type="submit">Hide it</button></form>
  <form method="post" action="/admin/comments/${r.commentId}/show" class="inline">${csrfField(v)}<button type="submit" class="secondary">Keep it</button></form></li>`)}</ul>` : html`<p class="empty">No open reports.</p>`}
</section>
<section aria-labelledby="ban-h"><h2 id="ban-h">Ban or unban a user</h2>
<form class="form inline-form" method="post" action="/admin/users/ban">${csrfField(v)}
  <label for="ban-handle">Handle</label> <input id="ban-handle" name="handle" required maxlength="30">
  <label for="ban-reason">Reason</label> <input id="ban-reason" name="reason" maxlength="300">
  <button type="submit" name="action" value="ban">Ban</button> <button type="submit" name="action" value="unban" class="secondary">Unban</button>
</form></section>
<section aria-labelledby="audit-h"><h2 id="audit-h">Audit log</h2>
<table class="table"><thead><tr><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Detail</th></tr></thead><tbody>
${m.audit.map((e) => html`<tr><td>${e.createdAt.slice(0, 16).replace('T', ' ')}</td><td>${e.actor}</td><td>${e.action}</td><td>${e.target}</td><td>${e.detail}</td></tr>`)}
</tbody></table></section>`, v);
}
