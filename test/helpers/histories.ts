/** Recorded workflow histories for the replay test (test/histories/), in the JSON the Web UI exports. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const DIR = join(__dirname, '..', 'histories');

export function writeHistory(history: temporal.api.history.v1.IHistory, file: string): void {
  const { History } = temporal.api.history.v1;
  writeFileSync(join(DIR, file), JSON.stringify(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }), null, 1));
}

export async function recordHistory(client: Client, workflowId: string, file: string): Promise<void> {
  writeHistory(await client.workflow.getHandle(workflowId).fetchHistory(), file);
}
