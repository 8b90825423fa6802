import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { html, trusted } from './html.ts';

describe('html', () => {
  it('escapes interpolated text, attributes included', () => {
    const evil = `<script>alert("x")</script>' onmouseover='x`;
    assert.equal(
      html`<p title="${evil}">${evil}</p>`.value,
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x</p>',
    );
  });
  it('nests trusted fragments and arrays, drops empty values', () => {
    assert.equal(html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}</ul>${null}${undefined}${false}${0}`.value, '<ul><li>a</li><li>b</li></ul>0');
    assert.equal(html`${trusted('<b>ok</b>')}`.value, '<b>ok</b>');
  });
});
