// The codec routes speak the Web UI's remote-codec protocol, served by the console under /codec behind its
// sign-in, on 127.0.0.1 only, let only the origins configured call them cross-origin (with credentials), and
// audit every decode. Real console on a free port, real HTTP, a signed-in session's cookie, the ledger's trail.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { openInMemoryLedger, type Ledger } from '../../src/activities';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { People } from '../../src/backoffice/people';
import { AesGcmPayloadCodec } from '../../src/infra/codec';
import { loadSettings } from '../../src/settings';
import { signedInCookie } from '../helpers/console-session';

const UI = 'http://localhost:8233';
const codec = new AesGcmPayloadCodec([{ id: 'k1', key: randomBytes(32) }]);
let ledger: Ledger;
let server: ConsoleServer;
let dataDir: string;
let cookie: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'neutrix-codec-'));
  ledger = await openInMemoryLedger();
  // The codec routes need no Temporal server: the client is lazy and never used.
  const settings = loadSettings({ DATA_DIR: dataDir, CONSOLE_SESSION_SECRET: 'codec-protocol-secret-'.padEnd(40, 'x') });
  server = await startConsole({ ledger, client: new Client(), settings, port: 0, codec: { codec, namespace: 'default', allowedOrigins: [UI] } });
  cookie = await signedInCookie(ledger, server.url, 'viewer-codec');
});
afterAll(async () => {
  await server?.close();
  await ledger?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const jsonPayload = (value: unknown) => ({ metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(value)) });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/codec${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: UI, cookie, ...headers },
    body: JSON.stringify(body),
  });

it('decodes {payloads: [...]} with base64 metadata and data, like the SDK codec; it never encodes (a forging oracle)', async () => {
  const value = { contractId: 'C-1', plan: 'premium', amount: 84_700 };
  const enc = await post('/encode', { payloads: [jsonPayload(value)] });
  expect(enc.status).toBe(403);
  expect(await enc.text()).toContain('only decodes');
  // Nothing to encode (the `temporal` CLI's query without arguments): nothing made, nothing refused.
  const none = await post('/encode', { payloads: [] });
  expect(none.status).toBe(200);
  expect(await none.json()).toEqual({ payloads: [] });
  const [made] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
  const encoded = {
    payloads: [
      {
        metadata: Object.fromEntries(Object.entries(made!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        data: Buffer.from(made!.data!).toString('base64'),
      },
    ],
  };
  expect(Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
  expect(Buffer.from(encoded.payloads[0]!.metadata['encryption-key-id']!, 'base64').toString()).toBe('k1');
  // What the server encoded, the SDK's codec decodes, and the other way round.
  const sdk = await codec.decode([
    {
      metadata: { encoding: Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64'), 'encryption-key-id': Buffer.from('k1') },
      data: Buffer.from(encoded.payloads[0]!.data, 'base64'),
    },
  ]);
  expect(defaultPayloadConverter.fromPayload(sdk[0]!)).toEqual(value);
  const dec = await post('/decode', encoded);
  expect(dec.status).toBe(200);
  expect(dec.headers.get('access-control-allow-origin')).toBe(UI);
  expect(dec.headers.get('access-control-allow-credentials')).toBe('true');
  const decoded = (await dec.json()) as { payloads: Array<{ data: string }> };
  expect(JSON.parse(Buffer.from(decoded.payloads[0]!.data, 'base64').toString())).toEqual(value);
  // A plaintext payload (a raw client's, which the worker refuses) is shown as stored, not as the refusal.
  const plain = jsonPayload({ requestId: 'x', actor: { id: 'system:billing-run' } });
  expect(await (await post('/decode', { payloads: [plain] })).json()).toEqual({ payloads: [plain] });
  expect(await (await post('/decode', { payloads: [] })).json()).toEqual({ payloads: [] });
  expect(await (await post('/decode', {})).json()).toEqual({ payloads: [] }); // what a Go client sends for none
});

it('answers the preflight for the Web UI origin only, with credentials and the X-Namespace header', async () => {
  const preflight = (origin: string) =>
    fetch(`${server.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
  const ok = await preflight(UI);
  expect(ok.status).toBe(204);
  expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
  expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
  expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-namespace');
  const other = await preflight('http://evil.example');
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
  const fromOther = await post('/decode', { payloads: [] }, { origin: 'http://evil.example' });
  expect(fromOther.headers.get('access-control-allow-origin')).toBeNull(); // a browser withholds the answer
});

it('clear errors: an unknown key names the key id (never the payload), a bad body, another namespace', async () => {
  const foreign = await new AesGcmPayloadCodec([{ id: 'retired-7', key: randomBytes(32) }]).encode([
    defaultPayloadConverter.toPayload({ secret: 'premium 84700' })!,
  ]);
  const body = {
    payloads: foreign.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data!).toString('base64'),
    })),
  };
  const r = await post('/decode', body);
  expect(r.status).toBe(400);
  const text = await r.text();
  expect(text).toContain("codec key 'retired-7'");
  expect(text).not.toContain(body.payloads[0]!.data);
  expect(text).not.toContain('premium');
  expect((await post('/decode', { payloads: 'nope' })).status).toBe(400);
  expect((await post('/decode', { payloads: [{ data: 7, metadata: [] }] })).status).toBe(400);
  const ns = await post('/decode', { payloads: [] }, { 'x-namespace': 'other' });
  expect(ns.status).toBe(403);
  expect(await ns.text()).toContain("serves namespace 'default', not 'other'");
});

it('answers no one not signed in: 401, nothing decrypted', async () => {
  const [p] = await codec.encode([defaultPayloadConverter.toPayload({ secret: 'premium 84700' })!]);
  const body = {
    payloads: [
      {
        metadata: Object.fromEntries(Object.entries(p!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        data: Buffer.from(p!.data!).toString('base64'),
      },
    ],
  };
  const r = await post('/decode', body, { cookie: '' });
  expect(r.status).toBe(401);
  expect(await r.text()).not.toContain('premium');
});

it('audits every decode: one row naming the person, the payload count, the namespace and the workflow of the page', async () => {
  const person = (await new People(ledger.people).byLogin('viewer-codec'))!;
  const [p] = await codec.encode([defaultPayloadConverter.toPayload({ plan: 'premium' })!]);
  const payload = {
    metadata: Object.fromEntries(Object.entries(p!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p!.data!).toString('base64'),
  };
  const decodes = async () => (await ledger.audit.every()).filter((e) => e.command === 'codecDecode').reverse(); // oldest first
  const before = (await decodes()).length;
  // As the proxied Web UI sends it: the page it decodes for is the Referer (the workflow's page).
  const page = '/namespaces/default/workflows/C-AUDIT%2F1x/run-1/history';
  expect((await post('/decode', { payloads: [payload, payload] }, { referer: `http://localhost:8233${page}` })).status).toBe(200);
  const wf = '/namespaces/default/workflows/C-AUDIT-9/0198-run/history';
  expect((await post('/decode', { payloads: [payload] }, { referer: `http://localhost:8233${wf}` })).status).toBe(200);
  expect((await post('/decode', { payloads: [payload] })).status).toBe(200); // the temporal CLI: no page
  expect((await post('/encode', { payloads: [payload] })).status).toBe(403); // never encodes: nothing to audit
  const rows = (await decodes()).slice(before);
  expect(rows).toHaveLength(3);
  for (const r of rows) expect(r).toMatchObject({ actor: { id: person.id, role: 'viewer', via: 'console' }, outcome: 'accepted' });
  expect(rows.map((r) => r.contractId)).toEqual([null, 'C-AUDIT-9', null]); // 'C-AUDIT/1x' is no contract id: kept as the page only
  expect(rows.map((r) => r.details)).toEqual([
    { payloads: 2, namespace: 'default', page },
    { payloads: 1, namespace: 'default', page: wf },
    { payloads: 1, namespace: 'default', page: null },
  ]);
  // Anonymous: refused before any decode, so no row either.
  expect((await post('/decode', { payloads: [payload] }, { cookie: '' })).status).toBe(401);
  expect((await decodes()).slice(before)).toHaveLength(3);
});

it('listens on 127.0.0.1 only', () => {
  expect((server.app.server.address() as { address: string }).address).toBe('127.0.0.1');
  expect(new URL(server.url).hostname).toBe('127.0.0.1');
});
