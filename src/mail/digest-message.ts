// A digest email: the period's trending papers for one subscription, as an HTML part laid out with
// tables and inline styles (what mail clients render alike) and a plain-text part; math as readable
// Unicode text (mail clients render no TeX); per paper the title, the first lines of the abstract,
// upvotes and links. List-Unsubscribe with One-Click (RFC 8058) and a visible unsubscribe link that
// works without signing in. Pure.
import { mathToText } from '../domain/latex-text.ts';
import { isArxivId, arxivAbsUrl, arxivPdfUrl } from '../domain/arxiv-id.ts';
import type { Paper } from '../domain/paper.ts';
import type { OutgoingMessage } from '../store/outbox.ts';

export type DigestLinks = { site: string; manage: string; unsubscribe: string; paper: (id: string) => string };
/** A paper picked for the reader from their upvotes, with the titles of those that brought it (closest first). */
export type DigestPick = { paper: Paper; because: string[] };
export type DigestModel = {
  siteName: string;
  periodLabel: string;
  filterLabel: string | undefined;
  papers: Paper[];
  /** For a subscriber with an account and upvotes: papers of the period related to them, not among `papers`. */
  forYou?: DigestPick[];
  links: DigestLinks;
};

const becauseLine = (b: string[]) => `Because you upvoted “${mathToText(b[0] ?? '')}”${b.length > 1 ? ` and ${b.length - 1} more` : ''}`;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const ABSTRACT_CHARS = 320;

function firstLines(abstract: string): string {
  const text = mathToText(abstract).replace(/\s+/g, ' ').trim();
  if (text.length <= ABSTRACT_CHARS) return text;
  const cut = text.lastIndexOf(' ', ABSTRACT_CHARS);
  return `${text.slice(0, cut > 200 ? cut : ABSTRACT_CHARS)}…`;
}

/**
 * A paper's part of every digest it appears in (its text lines and its HTML row), rendered once per
 * paper object: a run sends the same few hundred papers to thousands of readers.
 */
const rendered = new WeakMap<Paper, { text: string; html: string }>();
function paperBlocks(p: Paper, l: DigestLinks): { text: string; html: string } {
  let r = rendered.get(p);
  if (r) return r;
  const cell = CELL;
  const links = paperLinks(p, l);
  const title = mathToText(p.title);
  const lines = firstLines(p.abstract);
  r = {
    text: [
      `${title}`,
      `   ▲ ${p.upvotes} · ${authorsLine(p)}${p.organization ? ` · ${p.organization.fullname}` : ''}`,
      `   ${lines}`,
      ...links.map((x) => `   ${x.label}: ${x.href}`),
    ].join('\n'),
    html: `<tr><td style="${cell}padding:16px 0;border-bottom:1px solid #d0d7de;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>
<td valign="top" width="56" style="${cell}font-size:14px;font-weight:600;color:#0a3d8f;">▲ ${p.upvotes}</td>
<td valign="top" style="${cell}">
<a href="${esc(l.paper(p.id))}" style="font-size:17px;font-weight:600;color:#0a58ca;text-decoration:none;">${esc(title)}</a>
<div style="font-size:13px;color:#57606a;margin:4px 0;">${esc(authorsLine(p))}${p.organization ? ` · ${esc(p.organization.fullname)}` : ''}</div>
<div style="font-size:14px;line-height:1.5;margin:6px 0;">${esc(lines)}</div>
<div style="font-size:13px;">${links.map((x) => `<a href="${esc(x.href)}" style="color:#0a58ca;">${esc(x.label)}</a>`).join(' · ')}</div>
</td></tr></table></td></tr>`,
  };
  rendered.set(p, r);
  return r;
}

const CELL = 'font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;';

const authorsLine = (p: Paper) => {
  const names = p.authors.slice(0, 3).join(', ');
  const more = Math.max(p.authorCount, p.authors.length) - 3;
  return more > 0 ? `${names} and ${more} more` : names;
};

function paperLinks(p: Paper, l: DigestLinks): { label: string; href: string }[] {
  const out = [{ label: 'Read on the site', href: l.paper(p.id) }];
  if (isArxivId(p.id)) out.push({ label: 'arXiv', href: arxivAbsUrl(p.id) }, { label: 'PDF', href: arxivPdfUrl(p.id) });
  if (p.githubRepo) out.push({ label: 'Code', href: p.githubRepo });
  return out;
}

export function digestMessage(m: DigestModel): OutgoingMessage {
  const forYou = m.forYou ?? [];
  const title = `${m.siteName}: trending papers, ${m.periodLabel}`;
  const intro = `${m.papers.length} trending paper${m.papers.length === 1 ? '' : 's'}${m.filterLabel ? ` matching “${m.filterLabel}”` : ''}, ${m.periodLabel}.`;
  const text = [
    intro,
    '',
    ...m.papers.flatMap((p, i) => [`${i + 1}. ${paperBlocks(p, m.links).text}`, '']),
    ...(forYou.length ? ['For you, related to your upvotes:', '', ...forYou.flatMap((x) => [`• ${paperBlocks(x.paper, m.links).text}`, `   ${becauseLine(x.because)}`, ''])] : []),
    `Change this digest: ${m.links.manage}`,
    `Unsubscribe: ${m.links.unsubscribe}`,
  ].join('\n');
  const cell = CELL;
  const rows = m.papers.map((p) => paperBlocks(p, m.links).html).join('\n');
  const picks = forYou.length
    ? `<tr><td style="${cell}padding:20px 0 0;font-size:16px;font-weight:700;">For you, related to your upvotes</td></tr>\n${forYou
        .map((x) => `<tr><td style="${cell}padding:12px 0 0;font-size:13px;color:#57606a;">${esc(becauseLine(x.because))}</td></tr>\n${paperBlocks(x.paper, m.links).html}`)
        .join('\n')}`
    : '';
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title></head>
<body style="margin:0;padding:0;background:#f6f8fa;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f6f8fa;"><tr><td align="center" style="padding:16px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px;">
<tr><td style="${cell}padding:20px 24px 0;"><a href="${esc(m.links.site)}" style="font-size:20px;font-weight:700;color:#1f2328;text-decoration:none;">${esc(m.siteName)}</a>
<p style="font-size:15px;margin:8px 0 0;">${esc(intro)}</p></td></tr>
<tr><td style="padding:0 24px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">${rows}${picks}</table></td></tr>
<tr><td style="${cell}padding:16px 24px 24px;font-size:12px;color:#57606a;">You get this because you subscribed at ${esc(m.links.site)}.
<a href="${esc(m.links.manage)}" style="color:#57606a;">Change this digest</a> · <a href="${esc(m.links.unsubscribe)}" style="color:#57606a;">Unsubscribe</a></td></tr>
</table></td></tr></table></body></html>`;
  return {
    subject: m.papers.length === 1 ? `${mathToText(m.papers[0]!.title).slice(0, 80)} · ${m.siteName}` : `${m.papers.length} trending papers · ${m.periodLabel} · ${m.siteName}`,
    text,
    html,
    headers: {
      'List-Unsubscribe': `<${m.links.unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `${m.siteName} digest <digest.${new URL(m.links.site).hostname}>`,
    },
  };
}

export function subscriptionConfirmMessage(site: string, link: string, schedule: string, filter: string | undefined): OutgoingMessage {
  const lines = [`Please confirm that you want ${site}'s trending papers by email: ${schedule}${filter ? `, narrowed to “${filter}”` : ''}.`, 'Nothing is sent until you confirm.'];
  const text = [...lines, '', `Confirm: ${link}`, '', 'If you did not ask for this, ignore this email.', '', `-- ${site}`].join('\n');
  const html = `<!doctype html><html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;line-height:1.5;color:#1f2328;max-width:560px;margin:0 auto;padding:16px">
${lines.map((l) => `<p>${esc(l)}</p>`).join('')}<p><a href="${esc(link)}" style="background:#1f6feb;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none;display:inline-block">Confirm my subscription</a></p>
<p style="font-size:13px;color:#57606a">If you did not ask for this, ignore this email. — ${esc(site)}</p></body></html>`;
  return { subject: `Confirm your ${site} digest`, text, html };
}
