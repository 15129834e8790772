/**
 * The console answers only to its own host names (DNS rebinding: a page elsewhere that points its own name
 * at 127.0.0.1 reaches nothing): another Host gets 421 before the session is even looked up, on every
 * route — pages, sign-in, the codec, and the Web UI's door (a terminate through it included). Behind its own
 * name the door wants a session and refuses writes. Real console and door on free ports, real HTTP with the
 * Host header a rebinding browser would send.
 */
import { createServer, request, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { openInMemoryLedger, type Ledger } from '../../src/activities';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { AesGcmPayloadCodec } from '../../src/infra/codec';
import { loadSettings } from '../../src/settings';
import { People } from '../../src/backoffice/people';
import { signedInCookie } from '../helpers/console-session';
import { freePort } from '../helpers/ports';

let ledger: Ledger;
let server: ConsoleServer;
let dataDir: string;
let port: number;
let door: number;
let upstream: Server;
let cookie: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'neutrix-host-'));
  ledger = await openInMemoryLedger();
  const settings = loadSettings({
    DATA_DIR: dataDir,
    CONSOLE_SESSION_SECRET: 'host-check-secret-'.padEnd(40, 'x'),
    CONSOLE_HOSTS: 'console.neutrix.example, Ops.Neutrix.Example:8443',
  });
  const codec = new AesGcmPayloadCodec([{ id: 'k1', key: Buffer.alloc(32, 7) }]);
  // The Web UI's own listener: a stand-in that answers what it was sent.
  upstream = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ url: req.url, cookie: req.headers.cookie ?? null }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  door = await freePort();
  server = await startConsole({
    ledger,
    client: new Client(),
    settings,
    port: 0,
    codec: { codec, namespace: 'default', allowedOrigins: [] },
    webUi: { port: door, upstreamPort: (upstream.address() as { port: number }).port },
  });
  port = (server.app.server.address() as { port: number }).port;
  cookie = await signedInCookie(ledger, server.url, 'viewer-host');
});
afterAll(async () => {
  await server?.close();
  upstream?.close();
  await ledger?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function send(method: string, path: string, host: string | undefined, headers: Record<string, string> = {}, to = port) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: to, method, path, headers: { ...(host === undefined ? {} : { host }), ...headers }, setHost: host !== undefined },
      (res) => {
        let body = '';
        res.on('data', (b: Buffer) => (body += b.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(headers['content-type'] ? '{"reason":"rebinding"}' : undefined);
  });
}

const json = { 'content-type': 'application/json' };

it('refuses another Host with 421 on every route of the console and the door, session or not, and sets no cookie', async () => {
  for (const to of [port, door])
    for (const host of [
      'evil.example',
      `evil.example:${to}`,
      `localhost.evil.example:${to}`,
      'localhost',
      `127.0.0.2:${to}`,
      `console.neutrix.example:${to}`,
    ]) {
      for (const [method, path, headers] of [
        ['GET', '/', {}],
        ['GET', '/sign-in', {}],
        ['POST', '/sign-in', {}],
        ['POST', '/codec/decode', json],
        ['GET', '/namespaces/default/workflows', {}],
        ['GET', '/api/v1/namespaces/default/workflows', {}],
        ['POST', '/api/v1/namespaces/default/workflows/C-1/terminate', json],
      ] as const) {
        const r = await send(method, path, host, { ...headers, cookie }, to);
        expect(r.status, `${method} ${path} Host: ${host} (port ${to})`).toBe(421);
        expect(r.headers['set-cookie']).toBeUndefined();
        expect(r.body).toContain('does not answer to the host');
      }
    }
  // The door's port with the console's Host (or the other way round) is no name of either.
  expect((await send('GET', '/', `localhost:${port}`, {}, door)).status).toBe(421);
  expect((await send('GET', '/', `localhost:${door}`, {}, port)).status).toBe(421);
});

it('answers its own names: localhost, 127.0.0.1, [::1] with its port, and the configured ones', async () => {
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`, 'console.neutrix.example', 'ops.neutrix.example:8443']) {
    const r = await send('GET', '/', host);
    expect(r.status, host).toBe(303);
    expect(r.headers.location).toBe('/sign-in');
  }
});

it('refuses a request without a Host header: 400', async () => {
  expect((await send('GET', '/', undefined)).status).toBe(400);
});

it('behind its own name: the Web UI’s door needs a session (303 to the console’s sign-in) and refuses writes even with one (403)', async () => {
  const own = `localhost:${door}`;
  for (const path of ['/', '/namespaces/default/workflows', '/api/v1/namespaces/default/workflows']) {
    const anonymous = await send('GET', path, own, {}, door);
    expect(anonymous.status, path).toBe(303);
    expect(anonymous.headers.location).toBe(`http://localhost:${port}/sign-in`);
  }
  expect((await send('POST', '/api/v1/namespaces/default/workflows/C-1/terminate', own, json, door)).status).toBe(401);
  const terminate = await send('POST', '/api/v1/namespaces/default/workflows/C-1/terminate', own, { ...json, cookie }, door);
  expect(terminate.status).toBe(403);
  expect(terminate.body).toContain('read-only');
  for (const method of ['PUT', 'PATCH'])
    expect((await send(method, '/api/v1/namespaces/default/schedules/monthly-billing', own, { ...json, cookie }, door)).status, method).toBe(403);
  expect((await send('DELETE', '/api/v1/namespaces/default/schedules/monthly-billing', own, { cookie }, door)).status).toBe(403);
  // Signed in, a read passes every check and reaches the UI at its root — without the console's session cookie.
  const read = await send('GET', '/namespaces/default/workflows?query=x', own, { cookie: `${cookie}; _csrf=ui-token` }, door);
  expect(read.status).toBe(200);
  expect(JSON.parse(read.body)).toEqual({ url: '/namespaces/default/workflows?query=x', cookie: '_csrf=ui-token' });
  // The UI's routes answer only through its door: on the console's own port they do not exist.
  expect((await send('GET', '/temporal/namespaces/default/workflows', `localhost:${port}`, { cookie })).status).toBe(404);
});

it('sends a person who must still change the one-time password to the console’s /password, not into the Web UI', async () => {
  const people = new People(ledger.people);
  const { oneTimePassword } = await people.createPerson('fresh-host', 'fresh', 'viewer');
  const form = await fetch(`${server.url}/sign-in`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const jar = form.headers.getSetCookie().map((c) => c.split(';')[0]);
  const signIn = await fetch(`${server.url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; ') },
    body: new URLSearchParams({ _csrf: csrf, login: 'fresh-host', password: oneTimePassword }).toString(),
  });
  const fresh = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  expect(fresh).toContain('neutrix.sid=');
  const r = await send('GET', '/namespaces/default/workflows', `localhost:${door}`, { cookie: fresh }, door);
  expect(r.status).toBe(303);
  expect(r.headers.location).toBe(`http://localhost:${port}/password`);
});
