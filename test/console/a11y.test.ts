/**
 * Accessibility (issue 30): axe-core (the rules Deque publishes for WCAG 2.1 A and AA) run in headless
 * Chromium on every page of the console, signed in as a supervisor, on the dev server with the real worker
 * and a contract to show. Each violation is reported with its rule and the elements it found.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jstDateOf } from '../../src/domain/calendar';
import { startE2e, type E2e } from '../e2e/harness';
import { CHROMIUM, consolePages, haveChromium, launchChromium, signIn, staffMember } from './support';

const AXE = require.resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return (found as AxeViolation[]).map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(!haveChromium)(`every console page passes axe-core's WCAG 2.1 AA rules (needs ${CHROMIUM})`, () => {
  let e2e: E2e;
  let browser: Browser;
  const today = jstDateOf(Date.now());

  beforeAll(async () => {
    e2e = await startE2e();
    browser = await launchChromium();
    await staffMember(e2e.deps.ledger, 'a11y-super', 'supervisor a11y', 'supervisor');
    expect(
      (await e2e.cli(['apply', 'C-A11Y', '--name', 'アクセシビリティ株式会社', '--email', 'a11y@example.co.jp', '--plan', 'standard', '--linux', '1'])).code,
    ).toBe(0);
    expect((await e2e.cli(['approve', 'C-A11Y', '--start-date', today])).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await e2e?.teardown();
  });

  it('finds no violation on any page, in Japanese and in English', async () => {
    const customer = (await e2e.deps.ledger.customers.ofContract('C-A11Y'))!.customerId;
    const pages = consolePages('C-A11Y', customer, today);
    // The console's CSP allows no script; axe is the test's, injected past it (the page's own rules are unchanged).
    const page = await signIn(browser, e2e.consoleUrl, 'a11y-super', { bypassCSP: true });
    const found: string[] = [];
    for (const lang of ['ja', 'en']) {
      for (const path of pages) {
        const r = await page.goto(`${e2e.consoleUrl}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect(r?.status(), `${path}`).toBeLessThan(400);
        for (const v of await violations(page)) found.push(`${path} (${lang}): ${v}`);
      }
    }
    // Usable at 390 px (a phone): no page scrolls sideways; wide tables scroll in their own box.
    await page.setViewportSize({ width: 390, height: 844 });
    const wide: string[] = [];
    for (const path of pages) {
      await page.goto(`${e2e.consoleUrl}${path}`);
      const width = await page.evaluate(
        () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
      );
      if (width > 390) wide.push(`${path}: ${width} px`);
      for (const v of await violations(page)) wide.push(`${path} (390 px): ${v}`);
    }
    expect(wide).toEqual([]);
    await page.context().close();
    const control = await (await browser.newContext({ bypassCSP: true })).newPage();
    // The check itself: a page with an unlabelled field and no language is found wanting.
    await control.setContent('<!doctype html><html><head><title>x</title></head><body><main><input type="text"></main></body></html>');
    expect((await violations(control)).map((v) => v.split(' ')[0])).toEqual(expect.arrayContaining(['html-has-lang', 'label']));
    const signInPage = await (await browser.newContext({ bypassCSP: true })).newPage();
    await signInPage.goto(`${e2e.consoleUrl}/sign-in`);
    for (const v of await violations(signInPage)) found.push(`/sign-in: ${v}`);
    expect(found).toEqual([]);
  });
});
