/**
 * Every payload encrypted (Art. 34: plans and amounts are confidential): an AES-256-GCM
 * PayloadCodec over the whole serialized Payload, with a fresh 12-byte IV each time, and the key list
 * it uses (newest first: new payloads take the newest key, decoding picks the key by its id).
 *
 * Wire format of an encrypted payload: metadata `encoding: binary/encrypted`, `encryption-key-id: <id>`;
 * data = IV (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes), the key id bound in as additional data.
 * Decoding refuses any other payload (operations.md#encryption): a plaintext one, or one that fails
 * authentication, decodes to the refused-payload value (src/workflows/refused-payload.ts) the workflows
 * refuse — never a throw, which would fail the workflow task again and again. So is a payload under a
 * key id we do not hold (a forger's invented id, or ours on a worker missing a key): the workflows make a
 * start or an accepted command read that way wait (its task retried until the key is configured) and
 * reject a new command. The codec server shows payloads as stored (`decodeForDisplay`): plaintext
 * unchanged, an error naming the key id otherwise.
 *
 * Keys: the NEUTRIX_CODEC_KEYS setting, either the keys themselves (`id1:base64key,id0:base64key`) or a
 * path to a file holding them (one `id:base64key` a line, newest first, `#` comments); without it, on the
 * embedded dev server only, a key generated at first start into DATA_DIR/keys/codec-keys (0600, folder
 * 0700). Errors name the setting and the key id, never key material or a payload.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { decode, encode } from '@temporalio/common/lib/encoding';
import { temporal } from '@temporalio/proto';
import { writeFileOnce } from '../files';
import { REFUSED_PAYLOAD, type RefusedPayload } from '../workflows/refused-payload';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export interface CodecKey {
  /** Written into every payload's metadata: letters, digits, `.`, `_`, `-`. */
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

/** A payload the codec cannot decode: names the key id, never the payload or the key. */
export class PayloadCodecError extends Error {
  override name = 'PayloadCodecError';
}

const SHOWN_ENCODING = /^[A-Za-z0-9._/-]{1,40}$/;

/** The refused-payload value as a JSON payload: why, never what it held. */
export function refusedPayload(why: string, plaintext: boolean): Payload {
  const refused: RefusedPayload = { reason: `${why}: not encrypted with one of our keys`, plaintext };
  return { metadata: { [METADATA_ENCODING_KEY]: encode('json/plain') }, data: encode(JSON.stringify({ [REFUSED_PAYLOAD]: refused })) };
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const ITEM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:[A-Za-z0-9+/]+={0,2}$/;

const additionalData = (id: string) => Buffer.from(`neutrix-payload-v1:${id}`, 'utf8');

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly newest: CodecKey;

  /** `keys` newest first: the first encrypts, all decrypt. */
  constructor(keys: readonly CodecKey[]) {
    if (keys.length === 0) throw new Error('the payload codec needs at least one key');
    this.byId = new Map();
    for (const k of keys) {
      if (!ID.test(k.id)) throw new Error(`codec key id '${k.id}': expected letters, digits, '.', '_' or '-' (at most 64)`);
      if (k.key.length !== KEY_BYTES) throw new Error(`codec key '${k.id}': ${k.key.length} bytes, expected ${KEY_BYTES} (AES-256)`);
      if (this.byId.has(k.id)) throw new Error(`codec key '${k.id}' is listed twice`);
      this.byId.set(k.id, k.key);
    }
    this.newest = keys[0]!;
  }

  /** The ids it knows, newest first. */
  get keyIds(): string[] {
    return [...this.byId.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encrypt(p));
  }

  /** What workers and clients act on: our payloads decrypted, any other refused (see the file's comment). */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decryptOrRefuse(p));
  }

  /** What the codec server shows: payloads as stored, ours decrypted, a plaintext one unchanged. */
  async decodeForDisplay(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => (isEncrypted(p) ? this.decrypt(p) : p));
  }

  private decryptOrRefuse(payload: Payload): Payload {
    if (!isEncrypted(payload)) {
      const raw = payload.metadata?.[METADATA_ENCODING_KEY];
      const encoding = raw ? decode(raw) : '';
      return refusedPayload(SHOWN_ENCODING.test(encoding) ? `a ${encoding} payload` : 'a payload without a known encoding', true);
    }
    try {
      return this.decrypt(payload);
    } catch (err) {
      if (!(err instanceof PayloadCodecError)) throw err;
      return refusedPayload(err.message, false);
    }
  }

  encrypt(payload: Payload): Payload {
    const { id, key } = this.newest;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(id));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: encode(ENCRYPTED_ENCODING), [METADATA_KEY_ID]: encode(id) },
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  }

  /** An encrypted payload decrypted, or a PayloadCodecError naming the key id. */
  decrypt(payload: Payload): Payload {
    const rawId = payload.metadata?.[METADATA_KEY_ID];
    if (!rawId) throw new PayloadCodecError(`an encrypted payload has no '${METADATA_KEY_ID}' metadata: it cannot be decrypted`);
    const id = decode(rawId);
    const key = this.byId.get(id);
    if (!key)
      throw new PayloadCodecError(
        `payload encrypted with codec key '${id}', which is not among the configured keys (${this.keyIds.join(', ')}): add it to NEUTRIX_CODEC_KEYS`,
      );
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadCodecError(`payload encrypted with codec key '${id}' is truncated (${data.length} bytes)`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadCodecError(
        `payload encrypted with codec key '${id}' failed authentication: the key configured as '${id}' is not the one it was encrypted with, or the payload was altered`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plain) as Payload;
  }
}

function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return encoding !== undefined && decode(encoding) === ENCRYPTED_ENCODING;
}

// ---------------------------------------------------------------------------------------------------
// Keys

/** A new random key line `id:base64key` (the id says when it was made). */
export function newCodecKey(now = new Date()): CodecKey {
  const stamp = now.toISOString().slice(0, 10).replace(/-/g, '');
  return { id: `k${stamp}-${randomBytes(3).toString('hex')}`, key: randomBytes(KEY_BYTES) };
}

export const formatCodecKey = (k: CodecKey) => `${k.id}:${k.key.toString('base64')}`;

/**
 * Parse a key list: items `id:base64key` separated by commas or new lines, newest first; blank lines and
 * lines starting with `#` are skipped. `source` names where they came from, for the error messages.
 */
export function parseCodecKeys(text: string, source: string): CodecKey[] {
  const items = text
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new Error(`${source}: no key (expected id:base64key, newest first)`);
  const keys: CodecKey[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const colon = item.indexOf(':');
    const id = colon > 0 ? item.slice(0, colon) : '';
    const b64 = colon > 0 ? item.slice(colon + 1) : '';
    const where = `${source}: key ${i + 1}`;
    if (!ID.test(id)) throw new Error(`${where}: expected id:base64key with an id of letters, digits, '.', '_' or '-'`);
    if (!BASE64.test(b64)) throw new Error(`${where} ('${id}'): the key is not base64`);
    const key = Buffer.from(b64, 'base64');
    if (key.length !== KEY_BYTES)
      throw new Error(`${where} ('${id}'): ${key.length} bytes, expected ${KEY_BYTES} (base64 of 32 random bytes: openssl rand -base64 32)`);
    if (seen.has(id)) throw new Error(`${where}: the id '${id}' is listed twice`);
    seen.add(id);
    keys.push({ id, key });
  });
  return keys;
}

/** True when a NEUTRIX_CODEC_KEYS value is the keys themselves rather than a path to a file. */
export function isInlineKeyList(value: string): boolean {
  return value
    .split(',')
    .map((s) => s.trim())
    .every((s) => ITEM.test(s));
}

/** The key file `npm start` makes on the embedded dev server when NEUTRIX_CODEC_KEYS is not set. */
export const defaultKeyFile = (dataDir: string) => join(dataDir, 'keys', 'codec-keys');

/**
 * Read the key file at `path`, creating it with one new key first if it does not exist (mode 0600, its
 * folder 0700). Several processes starting at once agree on one key: the file appears whole (written
 * beside it, then linked into place only if still absent).
 */
export function ensureKeyFile(path: string): CodecKey[] {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  if (!existsSync(path))
    writeFileOnce(
      path,
      [
        '# Neutrix Cloud payload encryption keys (AES-256-GCM), newest first: id:base64key, one a line.',
        '# Made at first start. Keep every key that encrypted a history still kept (docs/operations.md: Encryption).',
        formatCodecKey(newCodecKey()),
        '',
      ].join('\n'),
    );
  return parseCodecKeys(readFileSync(path, 'utf8'), `codec key file ${path}`);
}

export interface CodecKeySettings {
  NEUTRIX_CODEC_KEYS?: string | undefined;
  DATA_DIR: string;
  TEMPORAL_ADDRESS?: string | undefined;
  TEMPORAL_PROFILE?: string | undefined;
}

/**
 * The keys the settings name: NEUTRIX_CODEC_KEYS (inline or a file); unset, the generated key file
 * under DATA_DIR — on the embedded dev server only: processes sharing a real cluster must share keys,
 * so there the setting is required.
 */
export function resolveCodecKeys(settings: CodecKeySettings): { keys: CodecKey[]; source: string } {
  const value = settings.NEUTRIX_CODEC_KEYS?.trim();
  if (value) {
    if (isInlineKeyList(value)) return { keys: parseCodecKeys(value, 'NEUTRIX_CODEC_KEYS'), source: 'NEUTRIX_CODEC_KEYS' };
    const path = resolve(value);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(
        `NEUTRIX_CODEC_KEYS: cannot read the key file ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give the keys as id:base64key,… or a path to a file holding them`,
      );
    }
    return { keys: parseCodecKeys(text, `NEUTRIX_CODEC_KEYS (file ${path})`), source: path };
  }
  if (settings.TEMPORAL_ADDRESS || settings.TEMPORAL_PROFILE)
    throw new Error(
      'NEUTRIX_CODEC_KEYS: required with TEMPORAL_ADDRESS or TEMPORAL_PROFILE (every worker and client of a cluster must use the same keys): id:base64key,… or a path to a file holding them',
    );
  const path = defaultKeyFile(settings.DATA_DIR);
  return { keys: ensureKeyFile(path), source: path };
}
