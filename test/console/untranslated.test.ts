/**
 * Nothing left untranslated (issue 30): every console page, opened in headless Chromium in Japanese and in
 * English, plus the pages a form leaves behind — a refused application (its problems), a payment amount that
 * cannot be read, a recorded application and a recorded payment (their banners) — has its visible text
 * (`innerText`) read. A Japanese page may show English only as data or a code (ALLOWED_IN_JA); an English
 * page Japanese only as data, a quoted term of the contract's terms in parentheses, or an example of what
 * may be typed (ALLOWED_IN_EN). Each offending string is listed with its page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jstDateOf } from '../../src/domain/calendar';
import { PLAN_IDS } from '../../src/domain/types';
import { startE2e, type E2e } from '../e2e/harness';
import { CHROMIUM, consolePages, haveChromium, launchChromium, signIn, staffMember } from './support';

type Lang = 'ja' | 'en';

/** The test's own data: what it typed, in whatever language it typed it, and the harness's supervisor (the CLI's person). */
const CUSTOMER = '翻訳確認株式会社';
const CUSTOMER_2 = '多言語商事株式会社';
const DATA = [
  CUSTOMER,
  CUSTOMER_2,
  '東京都千代田区丸の内1-1',
  '山田 太郎',
  'i18n-super',
  'Supervisor I18n',
  'i18n-admin',
  'Admin I18n',
  'twelve',
  'e2e-supervisor',
  '重大な契約違反のため',
];

/**
 * English a Japanese page may show, each for its reason: codes and product names as Japanese back offices
 * write them (PDF, CSV, API, CLI, JSON, UTF-8, BOM, ETF, JST, URL, ID, OS, VM, Linux, Windows), the brand,
 * the toggle's own name for English, the plans' ids (the terms' Appendix 2 names them so) and the date
 * formats a field asks for (YYYY-MM-DD).
 */
const ALLOWED_IN_JA = new Set([
  'PDF',
  'CSV',
  'API',
  'CLI',
  'JSON',
  'UTF',
  'BOM',
  'ETF',
  'JST',
  'URL',
  'ID',
  'OS',
  'VM',
  'Linux',
  'Windows',
  'Neutrix',
  'English',
  'YYYY',
  'MM',
  'DD',
  ...PLAN_IDS,
]);

/**
 * Removed before the scan: data and codes that are no words — e-mail addresses, URLs, UUIDs, request,
 * contract and customer ids, and a field's key after its label, `契約者名 (customer.name):` (as the API and
 * the CLI name the field).
 */
const NOT_WORDS = [
  /\([a-z][A-Za-z0-9_.[\]]*\):/g,
  /[\w.+-]+@[\w-]+(\.[\w-]+)+/g,
  /https?:\/\/\S+/g,
  /\b[\w-]*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
  /\bC-[A-Z0-9-]+\b/g,
  /\bcus-[\w-]+\b/g,
];

/**
 * Japanese an English page may show: the toggle's own name for Japanese; examples of what the amount field
 * reads (it takes full-width digits and 円); the names the bank prints on the statement files it sends.
 */
const ALLOWED_IN_EN = ['日本語', '８４，７００', '84,700円', '全銀協', '振込入金通知', '入出金取引明細'];
/** A term of the Japanese terms quoted in parentheses after its English, `the customer name (契約者名)`. */
const QUOTED_TERM = /\([\u3040-\u30ff\u3400-\u9fff\uff10-\uff19]{1,12}\)/g;
const JAPANESE_RUN = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]+/g;

function withoutData(text: string): string {
  let out = text;
  for (const d of DATA) out = out.replaceAll(d, ' ');
  for (const p of NOT_WORDS) out = out.replace(p, ' ');
  return out;
}

/** A time of day must name its zone (Japan time, JST); an ISO instant carries its offset. */
const TIME_WITHOUT_ZONE = /(?<![\d:T])\d{1,2}:\d{2}(?::\d{2})?(?![\d:+]| ?JST)/g;
/** An amount of yen of four digits or more has its separators: 12,345円, 12,345 yen. */
const YEN_WITHOUT_SEPARATORS = /(?<![\d,])\d{4,}(?= ?(円|yen\b))/g;

/** The offending strings of a page's text in `lang`, each with the line it is on. */
function untranslated(text: string, lang: Lang): string[] {
  const found = new Set<string>();
  for (const original of text.split('\n')) {
    const line = withoutData(original);
    for (const m of line.matchAll(TIME_WITHOUT_ZONE)) found.add(`time without its zone "${m[0]}" in: ${original.trim().slice(0, 160)}`);
    for (const m of line.matchAll(YEN_WITHOUT_SEPARATORS)) found.add(`yen without separators "${m[0]}" in: ${original.trim().slice(0, 160)}`);
    if (lang === 'ja') {
      for (const m of line.matchAll(/[A-Za-z][A-Za-z'’]+(?:[ -][A-Za-z][A-Za-z'’]+)*/g)) {
        const words = m[0].split(/[ -]/).filter((w) => w.length > 1 && !ALLOWED_IN_JA.has(w));
        if (words.length) found.add(`"${m[0]}" in: ${original.trim().slice(0, 160)}`);
      }
    } else {
      let rest = line.replace(QUOTED_TERM, ' ');
      for (const a of ALLOWED_IN_EN) rest = rest.replaceAll(a, ' ');
      for (const m of rest.matchAll(JAPANESE_RUN)) found.add(`"${m[0]}" in: ${original.trim().slice(0, 160)}`);
    }
  }
  return [...found];
}

/**
 * The page's visible text, without what is not the page's words: `code` (a literal to type: keys, commands) and
 * `.recorded` (an audit row's message, kept in the words it was recorded in).
 */
const bodyText = (page: Page) =>
  page.evaluate(() => {
    type El = { style: { display: string } };
    const doc = (globalThis as unknown as { document: { body: { innerText: string }; querySelectorAll(s: string): El[] } }).document;
    const skipped = [...doc.querySelectorAll('code, .recorded')];
    for (const e of skipped) e.style.display = 'none';
    const text = doc.body.innerText;
    for (const e of skipped) e.style.display = '';
    return text;
  });
const bannerText = async (page: Page) => ((await page.locator('.msg').count()) ? await page.locator('.msg').first().innerText() : '');

describe('the scan', () => {
  it('finds what it looks for (the check itself)', () => {
    expect(untranslated('契約 C-I18N の状態: active\n入金 12,345円 (PDF)', 'ja')).toEqual(['"active" in: 契約 C-I18N の状態: active']);
    expect(untranslated(`Customer ${CUSTOMER}, the customer name (契約者名)\nStatus: 利用中`, 'en')).toEqual(['"利用中" in: Status: 利用中']);
    expect(untranslated('2026-12-08 11:51 JST 12,345円\n2026-12-08 02:51 12345円', 'ja')).toEqual([
      'time without its zone "02:51" in: 2026-12-08 02:51 12345円',
      'yen without separators "12345" in: 2026-12-08 02:51 12345円',
    ]);
  });
});

describe.skipIf(!haveChromium)(`no console page shows a string left untranslated (needs ${CHROMIUM})`, () => {
  let e2e: E2e;
  let browser: Browser;
  const today = jstDateOf(Date.now());

  beforeAll(async () => {
    e2e = await startE2e();
    browser = await launchChromium();
    await staffMember(e2e.deps.ledger, 'i18n-super', 'Supervisor I18n', 'supervisor');
    await staffMember(e2e.deps.ledger, 'i18n-admin', 'Admin I18n', 'admin');
    const apply = ['apply', 'C-I18N', '--name', CUSTOMER, '--email', 'i18n@example.co.jp', '--plan', 'standard', '--linux', '2', '--windows', '1'];
    expect((await e2e.cli([...apply, '--address', '東京都千代田区丸の内1-1', '--contact-person', '山田 太郎'])).code).toBe(0);
    expect((await e2e.cli(['approve', 'C-I18N', '--start-date', today])).code).toBe(0);
    expect((await e2e.cli(['pay', 'C-I18N', '--amount', '12345'])).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await e2e?.teardown();
  });

  it('finds English in no Japanese page and Japanese in no English page, but as data', async () => {
    const customer = (await e2e.deps.ledger.customers.ofContract('C-I18N'))!.customerId;
    const pages = consolePages('C-I18N', customer, today);
    const page = await signIn(browser, e2e.consoleUrl, 'i18n-super');
    const found: string[] = [];
    const scan = async (where: string, lang: Lang) => {
      const text = await bodyText(page);
      for (const f of untranslated(text, lang)) found.push(`${where} (${lang}): ${f}`);
    };
    const open = async (path: string, lang: Lang) => {
      const r = await page.goto(`${e2e.consoleUrl}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      expect(r?.status(), path).toBeLessThan(400);
    };

    for (const lang of ['ja', 'en'] as const) {
      for (const path of pages) {
        await open(path, lang);
        await scan(path, lang);
      }

      // A refused application: its problems in the reader's language, each naming its field.
      await open('/contracts/new', lang);
      await page.fill('input[name=contractId]', `C-I18N-BAD-${lang.toUpperCase()}`);
      await page.fill('input[name=name]', ' ');
      await page.fill('input[name=email]', 'not-an-address');
      await page.fill('input[name=appliedOn]', '2026-02-30');
      await page.evaluate(() => {
        (globalThis as unknown as { document: { querySelector(s: string): { noValidate: boolean } } }).document.querySelector('#application').noValidate = true;
      });
      await Promise.all([page.waitForLoadState('load'), page.click('#application button[type=submit]')]);
      const refused = await bannerText(page);
      expect
        .soft(refused)
        .toContain(lang === 'ja' ? '契約者名 (customer.name): 入力されていません' : 'customer.name: expected the customer name (契約者名) as text');
      expect.soft(refused).toContain(lang === 'ja' ? 'メールアドレス (customer.email): ' : 'customer.email: expected an e-mail address');
      await scan('a refused application', lang);

      // A recorded application: its banner, the fees with separators.
      await open('/contracts/new', lang);
      await page.fill('input[name=contractId]', `C-I18N-${lang.toUpperCase()}`);
      await page.fill('input[name=name]', CUSTOMER_2);
      await page.fill('input[name=email]', `i18n-${lang}@example.co.jp`);
      await page.fill('input[name=linux]', '3');
      await page.selectOption('select[name=plan]', 'standard');
      await Promise.all([page.waitForURL(/\/contracts\/C-I18N-/), page.click('#application button[type=submit]')]);
      expect
        .soft(await bannerText(page))
        .toMatch(lang === 'ja' ? /申込を記録しました。月額 \d{1,3}(,\d{3})*円/ : /Application recorded: monthly \d{1,3}(,\d{3})* yen/);
      await scan('a recorded application', lang);

      // A payment amount that cannot be read, and a recorded payment.
      await open('/contracts/C-I18N', lang);
      await page.fill('#pay input[name=amount]', 'twelve');
      await Promise.all([page.waitForLoadState('load'), page.click('#pay button[type=submit]')]);
      expect.soft(await bannerText(page)).toContain(lang === 'ja' ? '金額 (amount):' : 'amount: "twelve" is not an amount');
      await scan('an amount that cannot be read', lang);
      await page.fill('#pay input[name=amount]', lang === 'ja' ? '１，０００' : '2,000');
      await Promise.all([page.waitForLoadState('load'), page.click('#pay button[type=submit]')]);
      expect.soft(await page.locator('.msg.ok').count(), await bannerText(page)).toBe(1);
      // The contract's answer from the message catalogue, in the page's language, the amount separated.
      expect.soft(await bannerText(page)).toContain(lang === 'ja' ? '入金の記録: 入金 1,000円 を充当しました' : 'Payment: payment of 2,000 yen applied');
      await scan('payment recorded', lang);
      // The contract's refusal (a payment dated before the approval), in the page's language with its rule.
      await page.fill('#pay input[name=amount]', '3000');
      await page.fill('#pay input[name=receivedOn]', '2026-01-05');
      await Promise.all([page.waitForLoadState('load'), page.click('#pay button[type=submit]')]);
      expect.soft(await page.locator('.msg.err').count(), await bannerText(page)).toBe(1);
      expect
        .soft(await bannerText(page))
        .toMatch(
          lang === 'ja'
            ? /契約が拒否しました: 入金日 2026-01-05 が承諾日 \S+ より前です \(別表3§3 D-11\)/
            : /Refused by the contract: a payment received on 2026-01-05 is before the approval on \S+ \(Appendix 3 §3 D-11\)/,
        );
      await scan('a refused payment', lang);
    }
    // A four-eyes request waiting (a termination for cause): the contract's approvals, the work list.
    await open('/contracts/C-I18N/confirm/terminate?kind=cause', 'ja');
    await page.fill('#confirm input[name=reason]', '重大な契約違反のため');
    await Promise.all([page.waitForURL(/\/contracts\/C-I18N$/), page.click('#confirm button[type=submit]')]);
    expect.soft(await page.locator('.msg.ok').count(), await bannerText(page)).toBe(1);
    for (const lang of ['ja', 'en'] as const)
      for (const path of ['/contracts/C-I18N', '/work', '/calendar', '/']) {
        await open(path, lang);
        await scan(`${path} with a four-eyes request`, lang);
      }
    await page.context().close();
    // The people page is the admin's.
    const adminPage = await signIn(browser, e2e.consoleUrl, 'i18n-admin');
    for (const lang of ['ja', 'en'] as const) {
      const r = await adminPage.goto(`${e2e.consoleUrl}/people?lang=${lang}`);
      expect(r?.status()).toBe(200);
      for (const f of untranslated(await bodyText(adminPage), lang)) found.push(`/people (${lang}): ${f}`);
    }
    await adminPage.context().close();
    expect(found).toEqual([]);
  }, 300_000);
});
