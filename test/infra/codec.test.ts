// The payload codec (AES-256-GCM) and its keys: round trip, a fresh IV each time, rotation, clear errors
// that name the key id and never the payload, the key file made at first start.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { decode } from '@temporalio/common/lib/encoding';
import { temporal } from '@temporalio/proto';
import {
  AesGcmPayloadCodec,
  defaultKeyFile,
  ensureKeyFile,
  formatCodecKey,
  isInlineKeyList,
  parseCodecKeys,
  PayloadCodecError,
  resolveCodecKeys,
  type CodecKey,
} from '../../src/infra/codec';
import { refusedPayloadOf } from '../../src/workflows/refused-payload';
import { codecDataConverter, dataConverterFor } from '../../src/infra/data-converter';
import { loadSettings } from '../../src/settings';

const key = (id: string): CodecKey => ({ id, key: randomBytes(32) });
const secret = { contractId: 'C-1', customer: { name: '株式会社サンプル', email: 'billing@example.co.jp' }, plan: 'premium', amount: 84_700 };
const plainPayload = (): Payload => defaultPayloadConverter.toPayload(secret)!;
const meta = (p: Payload, k: string) => decode(p.metadata![k]!);

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'neutrix-codec-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('AesGcmPayloadCodec', () => {
  it('encrypts the whole serialized payload and decodes it back exactly', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const original = plainPayload();
    const [enc] = await codec.encode([original]);
    expect(meta(enc!, 'encoding')).toBe('binary/encrypted');
    expect(meta(enc!, 'encryption-key-id')).toBe('k1');
    expect(Object.keys(enc!.metadata!).sort()).toEqual(['encoding', 'encryption-key-id']); // json/plain is inside, not beside
    const raw = Buffer.from(enc!.data!).toString('latin1');
    for (const clear of ['json/plain', 'premium', '84700', 'example.co.jp', 'C-1']) expect(raw).not.toContain(clear);
    // IV (12) ‖ the serialized Payload, metadata and all, encrypted ‖ GCM tag (16)
    expect(enc!.data!.length).toBe(12 + temporal.api.common.v1.Payload.encode(original).finish().length + 16);
    const [dec] = await codec.decode([enc!]);
    expect(meta(dec!, 'encoding')).toBe('json/plain');
    expect(Buffer.from(dec!.data!)).toEqual(Buffer.from(original.data!));
    expect(defaultPayloadConverter.fromPayload(dec!)).toEqual(secret);
  });

  it('uses a fresh 12-byte IV every time: the same payload never encrypts the same twice', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const encs = await codec.encode(Array.from({ length: 50 }, plainPayload));
    const ivs = new Set(encs.map((e) => Buffer.from(e.data!.subarray(0, 12)).toString('hex')));
    const bodies = new Set(encs.map((e) => Buffer.from(e.data!).toString('hex')));
    expect(ivs.size).toBe(50);
    expect(bodies.size).toBe(50);
  });

  it('rotation: a payload encoded with the older key still decodes after a newer key is added first', async () => {
    const old = key('k2026-01');
    const before = new AesGcmPayloadCodec([old]);
    const [encOld] = await before.encode([plainPayload()]);
    const rotated = new AesGcmPayloadCodec([key('k2026-07'), old]);
    const [encNew] = await rotated.encode([plainPayload()]);
    expect(meta(encNew!, 'encryption-key-id')).toBe('k2026-07'); // new payloads take the newest key
    const [a, b] = await rotated.decode([encOld!, encNew!]);
    expect(defaultPayloadConverter.fromPayload(a!)).toEqual(secret);
    expect(defaultPayloadConverter.fromPayload(b!)).toEqual(secret);
    // …and the old codec alone cannot read the new payload: it says which key it lacks.
    await expect(before.decodeForDisplay([encNew!])).rejects.toThrow(/codec key 'k2026-07', which is not among the configured keys \(k2026-01\)/);
    const [refused] = await before.decode([encNew!]); // a worker acts on the refusal, which says which key it lacks
    expect(refusedPayloadOf(defaultPayloadConverter.fromPayload(refused!))).toEqual({
      reason:
        "payload encrypted with codec key 'k2026-07', which is not among the configured keys (k2026-01): add it to NEUTRIX_CODEC_KEYS: not encrypted with one of our keys",
      plaintext: false,
    });
  });

  it('as the codec server shows it, an unknown key id is a clear error naming the key id, never the payload', async () => {
    const [enc] = await new AesGcmPayloadCodec([key('retired-1')]).encode([plainPayload()]);
    const err = await new AesGcmPayloadCodec([key('k1')]).decodeForDisplay([enc!]).catch((e: Error) => e);
    expect(err).toBeInstanceOf(PayloadCodecError);
    expect((err as Error).message).toContain("'retired-1'");
    expect((err as Error).message).toContain('NEUTRIX_CODEC_KEYS');
    expect((err as Error).message).not.toMatch(/premium|example|84700|C-1/);
  });

  it('as the codec server shows it, a tampered ciphertext, or the right id with the wrong key, fails authentication with the key id', async () => {
    const k = key('k1');
    const codec = new AesGcmPayloadCodec([k]);
    const [enc] = await codec.encode([plainPayload()]);
    const tampered = Buffer.from(enc!.data!);
    tampered[20] = tampered[20]! ^ 0x01;
    const err = await codec.decodeForDisplay([{ ...enc!, data: new Uint8Array(tampered) }]).catch((e: Error) => e);
    expect(err).toBeInstanceOf(PayloadCodecError);
    expect((err as Error).message).toMatch(/codec key 'k1' failed authentication/);
    await expect(new AesGcmPayloadCodec([key('k1')]).decodeForDisplay([enc!])).rejects.toThrow(/codec key 'k1' failed authentication/);
    // The key id is bound to the ciphertext: relabelling a payload with another configured id fails too.
    const two = new AesGcmPayloadCodec([key('k2'), k]);
    const relabelled = { ...enc!, metadata: { ...enc!.metadata, 'encryption-key-id': new TextEncoder().encode('k2') } };
    await expect(two.decodeForDisplay([relabelled])).rejects.toThrow(/codec key 'k2' failed authentication/);
  });

  it('refuses a payload not encrypted with one of our keys: plaintext or altered decode to the refused value, naming why, never what it held', async () => {
    const k = key('k1');
    const codec = new AesGcmPayloadCodec([k]);
    const [enc] = await codec.encode([plainPayload()]);
    const tampered = Buffer.from(enc!.data!);
    tampered[20] = tampered[20]! ^ 0x01;
    const noKeyId = { ...enc!, metadata: { encoding: enc!.metadata!.encoding! } };
    const decoded = await codec.decode([plainPayload(), { ...enc!, data: new Uint8Array(tampered) }, noKeyId, { metadata: {}, data: new Uint8Array() }]);
    const values = decoded.map((p) => defaultPayloadConverter.fromPayload(p) as Record<string, string>);
    expect(values.map(refusedPayloadOf)).toEqual([
      { reason: 'a json/plain payload: not encrypted with one of our keys', plaintext: true },
      {
        reason: expect.stringMatching(/^payload encrypted with codec key 'k1' failed authentication: .*: not encrypted with one of our keys$/),
        plaintext: false,
      },
      { reason: "an encrypted payload has no 'encryption-key-id' metadata: it cannot be decrypted: not encrypted with one of our keys", plaintext: false },
      { reason: 'a payload without a known encoding: not encrypted with one of our keys', plaintext: true },
    ]);
    expect(JSON.stringify(values)).not.toMatch(/premium|example|84700|C-1/);
    // A key id it does not hold (invented, or a key missing here) is refused too, never thrown: a throw would wedge the contract.
    const [unknown] = await new AesGcmPayloadCodec([key('k2')]).decode([enc!]);
    expect(refusedPayloadOf(defaultPayloadConverter.fromPayload(unknown!))).toMatchObject({
      reason: expect.stringMatching(/codec key 'k1', which is not among/),
      plaintext: false,
    });
    // The codec server shows payloads as stored: a plaintext one unchanged, ours decrypted.
    const plain = plainPayload();
    const shown = await codec.decodeForDisplay([plain, enc!]);
    expect(shown[0]).toBe(plain);
    expect(defaultPayloadConverter.fromPayload(shown[1]!)).toEqual(secret);
  });

  it('refuses a bad key list', () => {
    expect(() => new AesGcmPayloadCodec([])).toThrow(/at least one key/);
    expect(() => new AesGcmPayloadCodec([{ id: 'short', key: randomBytes(16) }])).toThrow(/'short': 16 bytes, expected 32/);
    expect(() => new AesGcmPayloadCodec([key('k1'), key('k1')])).toThrow(/listed twice/);
  });
});

describe('codec keys', () => {
  it('parses id:base64key lists, newest first, inline or from a file, and names the problem without the key', () => {
    const [a, b] = [key('id1'), key('id0')];
    const inline = `${formatCodecKey(a)},${formatCodecKey(b)}`;
    expect(isInlineKeyList(inline)).toBe(true);
    expect(isInlineKeyList('/etc/neutrix/codec-keys')).toBe(false);
    expect(isInlineKeyList('secrets/codec-keys')).toBe(false);
    expect(parseCodecKeys(inline, 'X').map((k) => k.id)).toEqual(['id1', 'id0']);
    expect(parseCodecKeys(inline, 'X')[0]!.key).toEqual(a.key);
    const file = `# a comment\n\n${formatCodecKey(a)}\n${formatCodecKey(b)}\n`;
    expect(parseCodecKeys(file, 'X').map((k) => k.id)).toEqual(['id1', 'id0']);
    const short = `k:${randomBytes(31).toString('base64')}`;
    expect(() => parseCodecKeys(short, 'NEUTRIX_CODEC_KEYS')).toThrow(/NEUTRIX_CODEC_KEYS: key 1 \('k'\): 31 bytes, expected 32/);
    let message = '';
    try {
      parseCodecKeys(`nocolon${randomBytes(32).toString('base64')}`, 'NEUTRIX_CODEC_KEYS');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/key 1: expected id:base64key/);
    expect(message).not.toContain('nocolon');
    expect(() => parseCodecKeys(`${formatCodecKey(a)},${formatCodecKey({ ...b, id: 'id1' })}`, 'X')).toThrow(/'id1' is listed twice/);
    expect(() => parseCodecKeys('# only a comment\n', 'X')).toThrow(/no key/);
  });

  it('NEUTRIX_CODEC_KEYS: the keys themselves, or a path to a file holding them', () => {
    const [a, b] = [key('id1'), key('id0')];
    const settings = (v: string) => loadSettings({ NEUTRIX_CODEC_KEYS: v, DATA_DIR: tempDir() });
    expect(resolveCodecKeys(settings(`${formatCodecKey(a)},${formatCodecKey(b)}`)).keys.map((k) => k.id)).toEqual(['id1', 'id0']);
    const file = join(tempDir(), 'keys');
    writeFileSync(file, `${formatCodecKey(b)}\n`, { mode: 0o600 });
    expect(resolveCodecKeys(settings(file))).toEqual({ keys: [b], source: file });
    expect(() => resolveCodecKeys(settings(join(tempDir(), 'absent')))).toThrow(/NEUTRIX_CODEC_KEYS: cannot read the key file .*absent \(ENOENT\)/);
    // Against a configured cluster a generated key would differ per machine: the setting is required there.
    expect(() => resolveCodecKeys(loadSettings({ TEMPORAL_ADDRESS: 'temporal.example:7233', DATA_DIR: tempDir() }))).toThrow(
      /NEUTRIX_CODEC_KEYS: required with TEMPORAL_ADDRESS/,
    );
  });

  it('on the embedded default, a key is made at first start into DATA_DIR (file 0600, folder 0700) and kept', () => {
    const dataDir = tempDir();
    const first = resolveCodecKeys(loadSettings({ DATA_DIR: dataDir }));
    const path = defaultKeyFile(dataDir);
    expect(first.source).toBe(path);
    expect(first.keys).toHaveLength(1);
    expect(first.keys[0]!.id).toMatch(/^k\d{8}-[0-9a-f]{6}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'keys')).mode & 0o777).toBe(0o700);
    expect(readFileSync(path, 'utf8')).toContain(formatCodecKey(first.keys[0]!));
    // The next start reads the same key; so does the memoized converter (one per key set).
    expect(ensureKeyFile(path)).toEqual(first.keys);
    expect(codecDataConverter(loadSettings({ DATA_DIR: dataDir }))).toBe(dataConverterFor(first.keys));
    expect(dataConverterFor([key('other')])).not.toBe(dataConverterFor(first.keys));
  });
});
