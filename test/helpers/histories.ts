/** Recorded workflow histories for the replay test (test/histories/), in the JSON the Web UI exports. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const DIR = join(__dirname, '..', 'histories');

/** Which workflow id each recorded history ran under (a contract refuses to run under another id). */
export const WORKFLOW_IDS_FILE = join(DIR, 'workflow-ids.json');

export function recordedWorkflowIds(): Record<string, string> {
  return existsSync(WORKFLOW_IDS_FILE) ? (JSON.parse(readFileSync(WORKFLOW_IDS_FILE, 'utf8')) as Record<string, string>) : {};
}

export function writeHistory(history: temporal.api.history.v1.IHistory, file: string, workflowId: string): void {
  const { History } = temporal.api.history.v1;
  writeFileSync(join(DIR, file), JSON.stringify(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }), null, 1));
  const ids = { ...recordedWorkflowIds(), [file]: workflowId };
  writeFileSync(WORKFLOW_IDS_FILE, `${JSON.stringify(Object.fromEntries(Object.entries(ids).sort()), null, 1)}\n`);
}

export async function recordHistory(client: Client, workflowId: string, file: string): Promise<void> {
  writeHistory(await client.workflow.getHandle(workflowId).fetchHistory(), file, workflowId);
}
