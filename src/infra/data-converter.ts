/**
 * The one data converter of every client and worker (npm start, the worker, the CLI, the billing run's
 * client, the simulator, the tests, the bench, replay): the default payload converter, then the
 * AES-256-GCM codec. Built once per key set, so every part of a process shares it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, resolveCodecKeys, type CodecKey, type CodecKeySettings } from './codec';

const built = new Map<string, DataConverter>();

/** The data converter for `keys` (newest first), memoized per key set. */
export function dataConverterFor(keys: readonly CodecKey[]): DataConverter {
  const hash = createHash('sha256');
  for (const k of keys) hash.update(k.id).update('\0').update(k.key).update('\0');
  const fingerprint = hash.digest('hex');
  let dc = built.get(fingerprint);
  if (!dc) {
    dc = { payloadCodecs: [new AesGcmPayloadCodec(keys)] };
    built.set(fingerprint, dc);
  }
  return dc;
}

/** The codec of a data converter built here (for the codec server). */
export function codecOf(dc: DataConverter): AesGcmPayloadCodec {
  const codec = dc.payloadCodecs?.find((c): c is AesGcmPayloadCodec => c instanceof AesGcmPayloadCodec);
  if (!codec) throw new Error('this data converter has no AES-GCM payload codec');
  return codec;
}

/** The data converter the settings name (NEUTRIX_CODEC_KEYS, or the generated key under DATA_DIR). */
export function codecDataConverter(settings: CodecKeySettings): DataConverter {
  return dataConverterFor(resolveCodecKeys(settings).keys);
}

let ephemeral: DataConverter | undefined;
/**
 * A data converter with a random key held in memory only, for a process whose server is its own and
 * gone when it ends (the scenario simulator): its payloads are encrypted like everywhere else.
 */
export function ephemeralDataConverter(): DataConverter {
  ephemeral ??= dataConverterFor([{ id: `ephemeral-${randomBytes(3).toString('hex')}`, key: randomBytes(32) }]);
  return ephemeral;
}
