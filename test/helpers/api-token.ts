/** A person of the back office with a personal API token, made as an admin would (for the CLI and API tests). */
import type { Client } from '@temporalio/client';
import type { Ledger } from '../../src/activities';
import { startConsole } from '../../src/console/app';
import type { Settings } from '../../src/settings';
import { ApiTokens } from '../../src/backoffice/api-tokens';
import { ledgerAccessOf } from '../../src/backoffice/ledger-client';
import { People } from '../../src/backoffice/people';
import type { Actor, Role } from '../../src/domain/actor';

const ADMIN: Actor = { id: 'system:test-admin', role: 'system', via: 'system' };

export async function personWithToken(ledger: Ledger, login: string, role: Role): Promise<{ personId: string; token: string; tokenId: string }> {
  const people = new People(ledger.people);
  const person = (await people.byLogin(login)) ?? (await people.createPerson(login, login, role)).person;
  const tokens = new ApiTokens(ledger.apiTokens, ledger.people, ledgerAccessOf(ledger).audit);
  const { token, record } = await tokens.issue(ADMIN, person.id, { label: `test ${login}`, requestId: `test-token-${login}-${Date.now()}` });
  return { personId: person.id, token, tokenId: record.id };
}

/** The console on a free port with its HTTP API, and a supervisor's token: what the CLI calls in a test. */
export async function apiFor(
  ledger: Ledger,
  client: Client,
  settings: Settings,
  login = 'api-supervisor',
): Promise<{ url: string; token: string; close(): Promise<void> }> {
  const server = await startConsole({ ledger, client, settings: { ...settings, CONSOLE_SESSION_SECRET: 'api-test-session-secret-'.padEnd(40, 'x') }, port: 0 });
  const { token } = await personWithToken(ledger, login, 'supervisor');
  return { url: `${server.url.replace('127.0.0.1', 'localhost')}/api/v1`, token, close: () => server.close() };
}
