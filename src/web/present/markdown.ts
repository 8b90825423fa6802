// Comments' Markdown subset -> safe HTML: paragraphs, emphasis, strong, strikethrough, inline code
// and code blocks, lists, block quotes, links (rel="nofollow ugc noopener", http(s) and mailto only)
// and LaTeX math ($…$ inline, $$…$$ display) rendered by KaTeX. Raw HTML is shown as text, never
// interpreted; images, headings and tables are off (a comment is not a page).
import MarkdownIt from 'markdown-it';
import { Html } from '../views/html.ts';
import { renderTex } from './math.ts';

const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false, breaks: true });
md.disable(['image', 'heading', 'lheading', 'table', 'hr', 'reference', 'html_block', 'html_inline']);

const SAFE_LINK = /^(https?:|mailto:)/i;
md.validateLink = (url) => SAFE_LINK.test(url.trim());

type InlineRule = Parameters<typeof md.inline.ruler.after>[2];

const math: InlineRule = (state, silent) => {
  const src = state.src;
  if (src.charCodeAt(state.pos) !== 0x24 /* $ */) return false;
  const display = src.startsWith('$$', state.pos);
  const open = display ? 2 : 1;
  let end = state.pos + open;
  for (; end < state.posMax; end++) {
    if (src[end] === '\\') {
      end++;
      continue;
    }
    if (src.startsWith(display ? '$$' : '$', end)) break;
  }
  if (end >= state.posMax || end === state.pos + open) return false;
  if (!silent) {
    const t = state.push(display ? 'math_display' : 'math_inline', 'math', 0);
    t.content = src.slice(state.pos + open, end);
  }
  state.pos = end + open;
  return true;
};
md.inline.ruler.after('escape', 'math', math);
md.renderer.rules.math_inline = (tokens, i) => renderTex(tokens[i]!.content, false, 'htmlAndMathml');
md.renderer.rules.math_display = (tokens, i) => renderTex(tokens[i]!.content, true, 'htmlAndMathml');

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, i, opts, _env, self) => self.renderToken(tokens, i, opts));
md.renderer.rules.link_open = (tokens, i, opts, env, self) => {
  tokens[i]!.attrSet('rel', 'nofollow ugc noopener');
  return defaultLinkOpen(tokens, i, opts, env, self);
};

export function renderMarkdown(text: string): Html {
  return new Html(md.render(text));
}
