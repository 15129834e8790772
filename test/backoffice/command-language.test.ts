/**
 * The back office's doors check input in the reader's language when the door says which (the console),
 * and in English otherwise (the CLI and the API): nothing is asked of the contract or the ledger either way.
 */
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { recordApplication } from '../../src/backoffice/commands/apply';
import { InvalidCommand, sendCommand } from '../../src/backoffice/commands/contract-command';
import type { AuditAccess } from '../../src/backoffice/ledger-client';
import type { Actor } from '../../src/domain/actor';

const clerk: Actor = { id: 'u-1', role: 'clerk', via: 'console' };
/** Every use of the client, the ledger or the audit fails the test: a bad input must stop before them. */
const untouchable = new Proxy({}, { get: (_t, p) => (p === 'then' ? undefined : () => expect.fail(`touched ${String(p)}`)) });
const deps = { client: untouchable as Client, audit: untouchable as AuditAccess };

async function problemsOf(p: Promise<unknown>): Promise<string[]> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidCommand);
  return (err as InvalidCommand).problems;
}

describe('a contract command checked in the reader’s language', () => {
  const pay = (lang?: 'ja' | 'en') =>
    sendCommand(deps, {
      actor: clerk,
      contractId: 'C-1',
      name: 'pay',
      input: { requestId: 'r-1', amount: 0.5 },
      today: '2026-12-08',
      ...(lang ? { lang } : {}),
    });

  it('answers in English unless told (the CLI, the API)', async () => {
    expect(await problemsOf(pay())).toEqual(['amount: expected the payment in whole yen, without fractions']);
  });
  it('answers in Japanese, the field by its label and key, when the console says so', async () => {
    expect(await problemsOf(pay('ja'))).toEqual(['金額 (amount): 円単位の整数で入力してください (小数は使えません)']);
  });
});

describe('an application checked in the reader’s language', () => {
  it('names each problem in Japanese, and records nothing', async () => {
    const problems = await problemsOf(
      recordApplication(
        { ...deps, ledger: untouchable as never, taskQueue: 'q' },
        {
          actor: clerk,
          requestId: 'apply-1',
          today: '2026-12-08',
          lang: 'ja',
          form: {
            contractId: 'C-1',
            customer: { name: '株式会社サンプル', email: 'nope' },
            terms: { plan: 'gold', components: [{ os: 'linux' }] },
            appliedOn: '2026-12-08',
          },
        },
      ),
    );
    expect(problems).toEqual([
      'メールアドレス (customer.email): メールアドレスの形式が正しくありません',
      'プラン (terms.plan): 次のいずれかを選んでください: entry, standard, advanced, premium',
    ]);
  });
});
