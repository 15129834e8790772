// Replays recorded histories against the current workflow code: a change that breaks determinism fails
// here. test/histories/ holds two contract runs (written by workflows/long-life.test.ts) and a billing run
// of several pages and its sweep (faults/billing-listing.test.ts), recorded with RECORD_HISTORIES=1 from
// the code as it is; docs/versioning.md says when they are recorded again and when they are kept.
// They are encrypted like every history (the committed test key, test/fixtures/codec-keys), so replay
// runs through the codec — and fails, naming the key, without the right one.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { dataConverterFor } from '../../src/infra/data-converter';
import { resolveCodecKeys } from '../../src/infra/codec';
import { recordedWorkflowIds } from '../helpers/histories';
import { TEST_CODEC_KEYS, testDataConverter, workflowBundle } from '../helpers/temporal';
import { payloadsIn } from '../helpers/payloads';

const dir = join(__dirname, '..', 'histories');
const ids = recordedWorkflowIds();
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f in ids);
const load = (file: string) => temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8')));
const testKeyId = resolveCodecKeys({ NEUTRIX_CODEC_KEYS: TEST_CODEC_KEYS, DATA_DIR: '/nonexistent' }).keys[0]!.id;

it('has recorded histories to replay, each with its workflow id', () => {
  expect(files.sort()).toEqual(['billing-run.json', 'contract-first-year.json', 'contract-last-run.json']);
});

it.each(files)('%s is encrypted: every payload but the server’s own marker metadata', (file) => {
  const found = payloadsIn(load(file));
  const plain = found.filter((p) => p.encoding !== 'binary/encrypted');
  expect(found.filter((p) => p.encoding === 'binary/encrypted').length).toBeGreaterThan(0);
  // Left plaintext by the SDK's core only: a local-activity marker's own `data` (seq, activity type, times).
  expect(plain.filter((p) => !/markerRecordedEventAttributes\.details\.data\.payloads\[\d+\]$/.test(p.path))).toEqual([]);
  expect(found.filter((p) => p.encoding === 'binary/encrypted').every((p) => p.keyId === testKeyId)).toBe(true);
  expect(readFileSync(join(dir, file), 'utf8')).not.toMatch(/株式会社|example\.co\.jp/);
});

it.each(files)('replays %s against the current workflow code', async (file) => {
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: testDataConverter }, load(file), ids[file]);
});

// Why those payloads stay plaintext: the SDK's core writes a local-activity marker's `data` itself
// (sdk-core build_local_activity_marker_details) and reads it back as JSON on replay, past any codec. So
// encrypting it, as the recording could, makes every recorded contract unreplayable.
it('cannot replay a contract whose local-activity marker metadata was encrypted: core reads it as JSON itself', async () => {
  const file = files.find((f) => f.startsWith('contract-'))!;
  const history = load(file);
  const codec = testDataConverter.payloadCodecs![0]!;
  let encrypted = 0;
  for (const e of history.events ?? []) {
    const data = e.markerRecordedEventAttributes?.details?.data;
    if (data?.payloads?.length) {
      data.payloads = await codec.encode(data.payloads);
      encrypted += data.payloads.length;
    }
  }
  expect(encrypted).toBeGreaterThan(0);
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: testDataConverter }, history, ids[file])).rejects.toThrow(
    /[Ll]ocal activity marker was unparsable/,
  );
});

it('fails with a clear error naming the key when replayed with the wrong key', async () => {
  const file = files.find((f) => f.startsWith('contract-'))!;
  const wrongKey = dataConverterFor([{ id: testKeyId, key: randomBytes(32) }]);
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: wrongKey }, load(file), ids[file])).rejects.toThrow(
    new RegExp(`contract start waits: its input is payload encrypted with codec key '${testKeyId}' failed authentication`),
  );
  const otherKey = dataConverterFor([{ id: 'k-other', key: randomBytes(32) }]);
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: otherKey }, load(file), ids[file])).rejects.toThrow(
    new RegExp(`contract start waits: its input is payload encrypted with codec key '${testKeyId}', which is not among the configured keys \\(k-other\\)`),
  );
});

it('fails when the workflow code changed in a non-deterministic way', async () => {
  const changed = await workflowBundle(join(__dirname, '..', 'fixtures', 'changed-contract.ts'));
  const file = files.find((f) => f.startsWith('contract-'))!;
  await expect(Worker.runReplayHistory({ workflowBundle: changed, dataConverter: testDataConverter }, load(file), ids[file])).rejects.toThrow(
    /[Nn]ondetermin|DeterminismViolation/,
  );
});
