/**
 * The console by keyboard alone (issue 30, item 6), in Debian's headless Chromium on the dev server with the
 * real worker: signing in, the header's links, a payment recorded and a renewal declined through its
 * confirmation page — every interaction a key pressed (Tab, Shift+Tab, Enter, typing) with `page.keyboard`.
 * At every focus stop the focus is visible (WCAG 2.4.7: an outline or a shadow at least 2 px wide); Tab
 * goes round every focusable element of the page and out again (no trap, 2.1.2); the flash messages are
 * in live regions (status for a success, alert for a refusal: 4.1.3).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jstDateOf } from '../../src/domain/calendar';
import { stateQuery } from '../../src/workflows/contract/messages';
import { startE2e, type E2e } from '../e2e/harness';
import { CHROMIUM, PASSWORD, SHOTS, haveChromium, launchChromium, staffMember } from './support';

if (!haveChromium) console.warn(`keyboard.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

/** What has the focus: a key naming it, and how its focus shows. */
interface Focused {
  key: string;
  tag: string;
  href: string | null;
  name: string | null;
  form: string | null;
  /** The outline's or the box shadow's width in CSS px (0: nothing shows). */
  indicatorPx: number;
}

/**
 * The browser's side, as source (the project's TypeScript has no DOM types): a key naming an element — its
 * tag, id or place, href, name and form — the same for `focused` and `tabbable`.
 */
const KEY_OF = `(e) => {
  const form = e.closest('form')?.id || null;
  const href = e.getAttribute('href');
  const name = e.getAttribute('name');
  const index = [...document.querySelectorAll(e.tagName)].indexOf(e);
  return e.tagName.toLowerCase() + '#' + (e.id || index) + (href ? '[href=' + href + ']' : '') + (name ? '[name=' + name + ']' : '') + (form ? ' in #' + form : '');
}`;

function focused(page: Page): Promise<Focused> {
  return page.evaluate(`(() => {
    const keyOf = ${KEY_OF};
    const e = document.activeElement;
    if (!e || e === document.body) return { key: 'body', tag: 'body', href: null, name: null, form: null, indicatorPx: 0 };
    const s = getComputedStyle(e);
    const outline = s.outlineStyle === 'none' ? 0 : Number.parseFloat(s.outlineWidth) || 0;
    // A box shadow's widest length, e.g. "rgb(…) 0px 0px 0px 3px".
    const spread = s.boxShadow === 'none' ? 0 : Math.max(0, ...[...s.boxShadow.matchAll(/(-?[\\d.]+)px/g)].map((m) => Number(m[1])));
    return {
      key: keyOf(e),
      tag: e.tagName.toLowerCase(),
      href: e.getAttribute('href'),
      name: e.getAttribute('name'),
      form: e.closest('form')?.id || null,
      indicatorPx: Math.max(outline, spread),
    };
  })()`);
}

/** Every element Tab should stop at, in the document's order, as `focused` names them. */
function tabbable(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const keyOf = ${KEY_OF};
    return [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
      .filter((e) => e.tabIndex >= 0 && !e.disabled && e.type !== 'hidden' && e.getClientRects().length > 0)
      .map(keyOf);
  })()`);
}

describe.skipIf(!haveChromium)(`the console by keyboard alone (needs ${CHROMIUM})`, () => {
  let e2e: E2e;
  let browser: Browser;
  let personId: string;
  const today = jstDateOf(Date.now());
  const ID = 'C-KEYS';
  const stateOf = () => e2e.env.client.workflow.getHandle(ID).query(stateQuery);

  /**
   * Tab (or Shift+Tab) until `want` has the focus, checking at each stop that the focus shows; fails after
   * `max` presses. Returns the stops passed through.
   */
  async function tabTo(page: Page, want: (f: Focused) => boolean, opts: { back?: boolean; max?: number } = {}): Promise<Focused[]> {
    const stops: Focused[] = [];
    for (let i = 0; i < (opts.max ?? 150); i++) {
      await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
      const f = await focused(page);
      stops.push(f);
      if (f.key !== 'body')
        expect({ at: f.key, indicatorPx: f.indicatorPx >= 2 ? 'at least 2' : f.indicatorPx }).toEqual({ at: f.key, indicatorPx: 'at least 2' });
      if (want(f)) return stops;
    }
    throw new Error(`not reached in ${opts.max ?? 150} presses: ${stops.map((s) => s.key).join(' → ')}`);
  }

  /** Enter on the focused control and wait for the page it leads to. */
  async function enter(page: Page): Promise<void> {
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e2e = await startE2e();
    browser = await launchChromium();
    personId = (await staffMember(e2e.deps.ledger, 'kb-super', 'supervisor kb', 'supervisor')).id;
    expect((await e2e.cli(['apply', ID, '--name', 'キーボード株式会社', '--email', 'kb@example.co.jp', '--plan', 'standard', '--linux', '1'])).code).toBe(0);
    expect((await e2e.cli(['approve', ID, '--start-date', today])).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await e2e?.teardown();
  });

  it('signs in, follows the header, records a payment and declines a renewal through its confirmation, by keys only', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(`${e2e.consoleUrl}/sign-in`);
    await tabTo(page, (f) => f.name === 'login');
    await page.keyboard.type('kb-super');
    await tabTo(page, (f) => f.name === 'password');
    await page.keyboard.type(PASSWORD);
    await enter(page);
    expect(page.url()).toBe(`${e2e.consoleUrl}/`);

    // The header's links, in order, each reached by Tab; Shift+Tab walks back; Enter follows one.
    const headerLinks = await page.locator('header a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(headerLinks).toEqual(expect.arrayContaining(['/', '/contracts/new', '/contracts', '/billing-runs', '/provider-actions']));
    const forward = await tabTo(page, (f) => f.href === '/billing-runs');
    expect(forward.filter((f) => f.tag === 'a').map((f) => f.href)).toEqual(headerLinks.slice(0, headerLinks.indexOf('/billing-runs') + 1));
    const back = await tabTo(page, (f) => f.href === '/contracts', { back: true });
    expect(back.map((f) => f.href)).toEqual(headerLinks.slice(headerLinks.indexOf('/contracts'), headerLinks.indexOf('/billing-runs')).reverse());
    await enter(page);
    expect(page.url()).toBe(`${e2e.consoleUrl}/contracts`);

    // On the contract's page (its longest), Tab visits every control and leaves the page at the end: no trap.
    await page.goto(`${e2e.consoleUrl}/contracts/${ID}`);
    const all = await tabbable(page);
    expect(all.length).toBeGreaterThan(30);
    const round = await tabTo(page, (f) => f.key === 'body', { max: all.length * 4 });
    // A date or time field takes one stop per part (year, month, day…): the same element, once.
    expect(
      round
        .slice(0, -1)
        .map((f) => f.key)
        .filter((k, i, ks) => k !== ks[i - 1]),
    ).toEqual(all);
    expect((await tabTo(page, () => true))[0]!.key).toBe(all[0]); // and comes round again

    // A payment: a wrong amount is refused in an alert; the right one is recorded and said in a status message.
    await tabTo(page, (f) => f.form === 'pay' && f.name === 'amount');
    await page.keyboard.type('千円');
    await enter(page);
    expect(await page.locator('.msg').getAttribute('role')).toBe('alert');
    expect(await e2e.deps.ledger.listPayments(ID)).toEqual([]);
    await tabTo(page, (f) => f.form === 'pay' && f.name === 'amount');
    await page.keyboard.type('1,000');
    await page.screenshot({ path: join(SHOTS, 'keyboard-pay-focused.png'), fullPage: true });
    await enter(page);
    expect(await page.locator('.msg').getAttribute('role')).toBe('status');
    expect(await page.locator('.msg').getAttribute('class')).toContain('ok');
    expect((await e2e.deps.ledger.listPayments(ID)).map((p) => p.amount)).toEqual([1000]);
    const pay = (await e2e.deps.ledger.audit.list({ contractId: ID })).find((a) => a.command === 'pay')!;
    expect(pay).toMatchObject({ outcome: 'accepted', actor: { id: personId, via: 'console' } });

    // Declining the renewal: the form's button, its confirmation page, its confirm button — Space and Enter.
    await tabTo(page, (f) => f.form === 'decline-renewal' && f.tag === 'button');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Space')]);
    expect(page.url()).toContain(`/contracts/${ID}/confirm/decline-renewal`);
    expect((await stateOf()).end).toBeNull();
    await tabTo(page, (f) => f.form === 'confirm' && f.tag === 'button');
    await enter(page);
    expect(await page.locator('.msg').getAttribute('role')).toBe('status');
    expect((await stateOf()).end).toMatchObject({ kind: 'renewalDeclined', by: 'customer' });
    expect((await e2e.deps.ledger.audit.list({ contractId: ID }))[0]).toMatchObject({
      command: 'declineRenewal',
      outcome: 'accepted',
      actor: { id: personId, via: 'console' },
    });
    await context.close();
  }, 120_000);
});
