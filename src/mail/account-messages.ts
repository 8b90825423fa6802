// The account emails (confirm address, reset password, sign-in link, already registered): pure
// renderers of subject, plain text and a simple HTML part. Links are absolute and carry one-time tokens.
import type { OutgoingMessage } from '../store/outbox.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function message(site: string, subject: string, lines: string[], link: { href: string; label: string }, footer: string): OutgoingMessage {
  const text = [...lines, '', `${link.label}: ${link.href}`, '', footer, '', `-- ${site}`].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;line-height:1.5;color:#1f2328;max-width:560px;margin:0 auto;padding:16px">
${lines.map((l) => `<p style="margin:0 0 12px">${esc(l)}</p>`).join('\n')}
<p style="margin:20px 0"><a href="${esc(link.href)}" style="background:#1f6feb;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none;display:inline-block">${esc(link.label)}</a></p>
<p style="margin:0 0 12px;font-size:13px;color:#57606a">Or paste this address into your browser: ${esc(link.href)}</p>
<p style="margin:0 0 12px;font-size:13px;color:#57606a">${esc(footer)}</p>
<p style="font-size:13px;color:#57606a">— ${esc(site)}</p>
</body></html>`;
  return { subject, text, html };
}

export const verifyEmailMessage = (site: string, handle: string, link: string, hours: number): OutgoingMessage =>
  message(
    site,
    `Confirm your email address for ${site}`,
    [`Welcome to ${site}, ${handle}!`, 'Please confirm that this is your email address.'],
    { href: link, label: 'Confirm my address' },
    `The link works once and for ${hours} hours. If you did not sign up, ignore this email: nothing happens without the confirmation.`,
  );

export const resetPasswordMessage = (site: string, link: string, minutes: number): OutgoingMessage =>
  message(
    site,
    `Reset your ${site} password`,
    ['Someone (hopefully you) asked to reset the password of the account with this email address.'],
    { href: link, label: 'Choose a new password' },
    `The link works once and for ${minutes} minutes. If you did not ask, ignore this email: your password stays as it is.`,
  );

export const signInLinkMessage = (site: string, link: string, minutes: number): OutgoingMessage =>
  message(
    site,
    `Your ${site} sign-in link`,
    ['Use this link to sign in, no password needed.'],
    { href: link, label: 'Sign in' },
    `The link works once and for ${minutes} minutes. If you did not ask for it, ignore this email.`,
  );

/** Sent when someone signs up with an address that has an account: the form itself reveals nothing. */
export const alreadyRegisteredMessage = (site: string, loginLink: string): OutgoingMessage =>
  message(
    site,
    `You already have a ${site} account`,
    ['Someone (hopefully you) tried to sign up with this email address, which already has an account.', 'Sign in instead, or reset your password if you forgot it.'],
    { href: loginLink, label: 'Sign in' },
    'If this was not you, ignore this email.',
  );
