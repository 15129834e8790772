// Replays recorded histories against the current workflow code: a change that breaks determinism fails
// here. test/histories/ holds two contract runs (written by workflows/long-life.test.ts) and a billing run
// of several pages and its sweep (faults/billing-listing.test.ts), recorded with RECORD_HISTORIES=1 from
// the code as it is; docs/versioning.md says when they are recorded again and when they are kept.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { recordedWorkflowIds } from '../helpers/histories';
import { workflowBundle } from '../helpers/temporal';

const dir = join(__dirname, '..', 'histories');
const ids = recordedWorkflowIds();
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f in ids);
const load = (file: string) => temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8')));

it('has recorded histories to replay, each with its workflow id', () => {
  expect(files.sort()).toEqual(['billing-run.json', 'contract-first-year.json', 'contract-last-run.json']);
});

it.each(files)('replays %s against the current workflow code', async (file) => {
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, load(file), ids[file]);
});

it('fails when the workflow code changed in a non-deterministic way', async () => {
  const changed = await workflowBundle(join(__dirname, '..', 'fixtures', 'changed-contract.ts'));
  const file = files.find((f) => f.startsWith('contract-'))!;
  await expect(Worker.runReplayHistory({ workflowBundle: changed }, load(file), ids[file])).rejects.toThrow(/[Nn]ondetermin|DeterminismViolation/);
});
