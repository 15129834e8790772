/**
 * The back office's HTTP API (the one door, issue 28) over real HTTP on the console with the dev server and
 * the real worker: who calls is the token's person (never what the body says), every command is checked,
 * audited and answered with a status that says what happened — 401 without a valid token, 403 for a role
 * that may not, 422 naming the field, 404 for an unknown id, 409 for the contract's refusal, 413 for a body
 * too large — and nothing but an accepted command changes anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokens } from '../../src/backoffice/api-tokens';
import { ledgerAccessOf } from '../../src/backoffice/ledger-client';
import { People } from '../../src/backoffice/people';
import { jstDateOf } from '../../src/domain/calendar';
import { stateQuery } from '../../src/workflows/contract/messages';
import { personWithToken } from '../helpers/api-token';
import { startE2e, type E2e } from '../e2e/harness';

describe('the HTTP API /api/v1', () => {
  let e2e: E2e;
  let api: string;
  const id = 'C-API-1';
  const today = jstDateOf(Date.now());
  const call = (method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  // biome-ignore lint/suspicious/noExplicitAny: the answers are read field by field in the assertions
  const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, any> });

  beforeAll(async () => {
    e2e = await startE2e();
    api = `${e2e.consoleUrl}/api/v1`;
    const applied = await json(
      await call('POST', '/contracts', e2e.supervisorToken, {
        requestId: 'api-apply-1',
        application: {
          contractId: id,
          customer: { name: '株式会社エーピーアイ', email: 'api@example.co.jp' },
          terms: { plan: 'entry', components: [{ os: 'linux' }] },
          appliedOn: today,
        },
      }),
    );
    expect(applied).toMatchObject({ status: 200, body: { contractId: id, alreadyApplied: false, initialFee: 50_000 } });
    expect((await call('POST', `/contracts/${id}/commands/approve`, e2e.supervisorToken, { requestId: 'api-approve-1', startDate: today })).status).toBe(200);
  }, 120_000);
  afterAll(() => e2e?.teardown());

  it('serves its OpenAPI document, written from the schemas it checks', async () => {
    const { status, body } = await json(await fetch(`${api}/openapi.json`));
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const pay = body.paths['/api/v1/contracts/{id}/commands/pay'].post;
    expect(pay.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['requestId', 'amount']));
    expect(pay.requestBody.content['application/json'].schema.properties).not.toHaveProperty('actor'); // the caller is the token's person
    expect(pay.description).toBe('Roles: clerk, supervisor.');
    expect(body.components.securitySchemes.token).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/v1/contracts', '/api/v1/billing-runs', '/api/v1/invoices.csv', '/api/v1/me']));
  });

  it('answers 401 without a valid token — none, malformed, unknown, revoked, expired, of a disabled person — and a session cookie is no token', async () => {
    const refused = async (token: string | undefined, headers: Record<string, string> = {}) => {
      const r = await json(await call('GET', `/contracts/${id}`, token, undefined, headers));
      expect(r).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    };
    await refused(undefined);
    await refused('not-a-token');
    await refused(`ntx_${'a'.repeat(16)}_${'B'.repeat(43)}`);
    const tokens = new ApiTokens(e2e.deps.ledger.apiTokens, e2e.deps.ledger.people, ledgerAccessOf(e2e.deps.ledger).audit);
    const admin = { id: 'system:test', role: 'system', via: 'system' } as const;
    const revoked = await personWithToken(e2e.deps.ledger, 'api-revoked', 'clerk');
    expect((await call('GET', '/me', revoked.token)).status).toBe(200);
    await tokens.revoke(admin, revoked.tokenId, 'api-revoke-1');
    await refused(revoked.token);
    const expired = await personWithToken(e2e.deps.ledger, 'api-expired', 'clerk');
    await e2e.deps.ledger.db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.tokenId]);
    await refused(expired.token);
    const disabled = await personWithToken(e2e.deps.ledger, 'api-disabled', 'clerk');
    await new People(e2e.deps.ledger.people).setDisabled(disabled.personId, true);
    await refused(disabled.token);
    const cookie = await e2e.codecSession(); // a signed-in browser's session
    await refused(undefined, { cookie });
  });

  it("acts as the token's person: an actor in the body is refused, a viewer may only read, and the audit names the person and 'api'", async () => {
    const clerk = await personWithToken(e2e.deps.ledger, 'api-clerk', 'clerk');
    const forged = await json(
      await call('POST', `/contracts/${id}/commands/pay`, clerk.token, {
        requestId: 'api-forged',
        amount: 1000,
        actor: { id: 'system:billing-run', role: 'system', via: 'system' },
      }),
    );
    expect(forged).toMatchObject({ status: 422, body: { error: { code: 'invalid-input' } } });
    expect(forged.body.error.problems.join()).toMatch(/actor/);
    const viewer = await personWithToken(e2e.deps.ledger, 'api-viewer', 'viewer');
    expect(await json(await call('POST', `/contracts/${id}/commands/pay`, viewer.token, { requestId: 'api-v', amount: 1000 }))).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect((await call('GET', `/contracts/${id}`, viewer.token)).status).toBe(200);
    const paid = await json(await call('POST', `/contracts/${id}/commands/pay`, clerk.token, { requestId: 'api-pay-1', amount: 1000 }));
    expect(paid).toMatchObject({ status: 200, body: { command: 'pay', fourEyes: false } });
    const row = (await e2e.deps.ledger.audit.list({ contractId: id })).find((e) => e.requestId === 'api-pay-1');
    expect(row).toMatchObject({ actor: { id: clerk.personId, role: 'clerk', via: 'api' }, command: 'pay', outcome: 'accepted' });
    // A clerk may not approve: the contract's own refusal, 409 with its rule, audited as refused.
    const approve = await json(await call('POST', `/contracts/${id}/commands/approveChange`, clerk.token, { requestId: 'api-ac-1' }));
    expect(approve.status).toBe(409);
    expect(approve.body.error).toMatchObject({ code: 'refused' });
  });

  it('names the field of bad input (422), answers 404 for unknown ids and routes, 413 for a body too large; nothing changes', async () => {
    const before = await e2e.env.client.workflow.getHandle(id).query(stateQuery);
    const bad = await json(await call('POST', `/contracts/${id}/commands/pay`, e2e.supervisorToken, { requestId: 'api-bad-1', amount: '１２\u0000' }));
    expect(bad.status).toBe(422);
    expect(bad.body.error.problems[0]).toMatch(/^amount: /);
    const nul = await json(
      await call('POST', `/contracts/${id}/commands/cancel`, e2e.supervisorToken, { requestId: 'api-bad-2', endDate: '2027-01-31\u0000' }),
    );
    expect(nul.status).toBe(422);
    expect(nul.body.error.problems[0]).toMatch(/^endDate: /);
    const noSuch = await json(await call('POST', '/contracts/C-NO-SUCH/commands/pay', e2e.supervisorToken, { requestId: 'api-404-1', amount: 1000 }));
    expect(noSuch).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
    expect((await call('GET', '/contracts/C-NO-SUCH', e2e.supervisorToken)).status).toBe(404);
    expect((await call('GET', `/contracts/${id}/invoices/2020-01`, e2e.supervisorToken)).status).toBe(404);
    expect((await call('GET', '/billing-runs/billing-run-2020-01-now-nothing', e2e.supervisorToken)).status).toBe(404);
    const rerun = await json(
      await call('POST', '/billing-runs', e2e.supervisorToken, { requestId: 'api-rerun-1', rerunFailed: 'billing-run-2020-01-now-nothing' }),
    );
    expect(rerun.status).toBe(404);
    expect((await call('GET', '/no-such-route', e2e.supervisorToken)).status).toBe(404);
    const big = await call('POST', `/contracts/${id}/commands/cancel`, e2e.supervisorToken, { requestId: 'api-big-1', endDate: 'x'.repeat(3_000_000) });
    expect(big.status).toBe(413);
    const malformed = await call('POST', `/contracts/${id}/commands/pay`, e2e.supervisorToken, '{"requestId": ');
    expect(malformed.status).toBe(400);
    const after = await e2e.env.client.workflow.getHandle(id).query(stateQuery);
    expect(after.payments).toEqual(before.payments);
    expect((await e2e.deps.ledger.audit.list({ contractId: id })).filter((e) => /api-(bad|404|big)/.test(e.requestId))).toEqual([]);
  });

  it('/me says who the token acts as', async () => {
    const me = await json(await call('GET', '/me', e2e.supervisorToken));
    expect(me).toMatchObject({ status: 200, body: { person: { login: 'e2e-supervisor', role: 'supervisor' } } });
  });
});
