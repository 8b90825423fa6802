// The discussion under a paper: threaded comments (Markdown with math, sanitised), and the forms to
// post, reply, edit, delete, report and (moderators) hide. Forms work without JavaScript.
import type { CommentNode } from '../../domain/comment.ts';
import { renderMarkdown } from '../present/markdown.ts';
import { type Html, html } from './html.ts';
import { csrfField, type Viewer } from './layout.ts';

export type CommentPermissions = (c: CommentNode) => { edit: boolean; delete: boolean };

export type DiscussionModel = {
  paperId: string;
  threads: CommentNode[];
  count: number;
  viewer: Viewer | undefined;
  can: CommentPermissions;
  /** Where the sign-in link returns to. */
  here: string;
};

const when = (iso: string) => html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;

function commentBody(c: CommentNode, viewer: Viewer | undefined): Html {
  if (c.deleted) return html`<p class="gone">[deleted]</p>`;
  if (c.hidden && !viewer?.admin) return html`<p class="gone">[hidden by a moderator]</p>`;
  return html`<div class="comment-body${c.hidden ? ' hidden-by-mod' : ''}">${renderMarkdown(c.body)}</div>`;
}

function actions(m: DiscussionModel, c: CommentNode): Html {
  const v = m.viewer;
  if (!v || c.deleted) return html``;
  const can = m.can(c);
  return html`<div class="comment-actions">
  <details><summary>Reply</summary>
    <form method="post" action="/papers/${m.paperId}/comments">${csrfField(v)}<input type="hidden" name="parent" value="${c.id}">
      <label class="visually-hidden" for="reply-${c.id}">Your reply</label>
      <textarea id="reply-${c.id}" name="body" rows="3" maxlength="10000" required></textarea>
      <button type="submit">Reply</button></form>
  </details>
  ${can.edit ? html`<details><summary>Edit</summary>
    <form method="post" action="/comments/${c.id}/edit">${csrfField(v)}
      <label class="visually-hidden" for="edit-${c.id}">Edit your comment</label>
      <textarea id="edit-${c.id}" name="body" rows="3" maxlength="10000" required>${c.body}</textarea>
      <button type="submit">Save</button></form>
  </details>` : ''}
  ${can.delete ? html`<form method="post" action="/comments/${c.id}/delete" class="inline">${csrfField(v)}<button type="submit" class="link">Delete</button></form>` : ''}
  ${c.author.handle !== v.handle ? html`<details><summary>Report</summary>
    <form method="post" action="/comments/${c.id}/report">${csrfField(v)}
      <label for="report-${c.id}">What is wrong with it?</label>
      <input id="report-${c.id}" name="reason" maxlength="500">
      <button type="submit">Report</button></form>
  </details>` : ''}
  ${v.admin ? html`<form method="post" action="/admin/comments/${c.id}/${c.hidden ? 'show' : 'hide'}" class="inline">${csrfField(v)}<button type="submit" class="link">${c.hidden ? 'Show' : 'Hide'}</button></form>` : ''}
</div>`;
}

function comment(m: DiscussionModel, c: CommentNode): Html {
  return html`<li><article class="comment" id="comment-${c.id}">
  <header><a href="/users/${c.author.handle}">${c.author.displayName}</a> · <a href="#comment-${c.id}">${when(c.createdAt)}</a>${c.editedAt ? html` · <span title="${c.editedAt}">edited</span>` : ''}</header>
  ${commentBody(c, m.viewer)}
  ${actions(m, c)}
  ${c.replies.length ? html`<ol class="replies">${c.replies.map((r) => comment(m, r))}</ol>` : ''}
</article></li>`;
}

export function discussion(m: DiscussionModel): Html {
  return html`<section class="discussion" aria-labelledby="discussion-h">
  <h2 id="discussion-h">Discussion${m.count ? ` (${m.count})` : ''}</h2>
  ${m.viewer
    ? html`<form class="comment-form" method="post" action="/papers/${m.paperId}/comments">${csrfField(m.viewer)}
    <label for="new-comment">Add a comment <span class="hint">(Markdown and $math$ welcome)</span></label>
    <textarea id="new-comment" name="body" rows="4" maxlength="10000" required></textarea>
    <button type="submit">Post comment</button>
  </form>`
    : html`<p><a href="/login?next=${encodeURIComponent(m.here)}">Log in</a> to join the discussion.</p>`}
  ${m.threads.length ? html`<ol class="comments">${m.threads.map((c) => comment(m, c))}</ol>` : html`<p class="empty">No comments yet.</p>`}
</section>`;
}
