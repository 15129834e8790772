/** The console's one template: every value escaped, only its own output passed through. */
import { describe, expect, it } from 'vitest';
import { html } from '../../src/console/html';
import * as views from '../../src/console/views';
import { translator } from '../../src/console/html';

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const evil = `<script>alert("x")</script>' onmouseover='x' \``;
    const out = html`<p title="${evil}">${evil}</p>${[evil, html`<b>${evil}</b>`]}${null}${undefined}${false}`.value;
    expect(out).not.toContain('<script>');
    expect(out).not.toMatch(/'\s*onmouseover/);
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x&#39; &#96;');
    expect(out).toContain('<b>&lt;script&gt;');
    expect(out.endsWith('</b>')).toBe(true);
  });
  it('renders a customer-supplied name on a page escaped', () => {
    const { body } = views.signIn(translator('ja'), 'token', '"><img src=x onerror=alert(1)>');
    expect(body.value).not.toContain('<img');
    expect(body.value).toContain('&quot;&gt;&lt;img');
  });
});
