/**
 * Where Temporal is: a real cluster configured the standard way (@temporalio/envconfig: TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS variables, temporal.toml profiles), or the embedded dev server.
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { loadSettings } from '../settings';
import { codecDataConverter } from './data-converter';

export type ConnectConfig = ReturnType<typeof loadClientConnectConfig>['connectionOptions'];

/** True when the environment names a cluster to use, so no embedded server is started. */
export function externalClusterConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.TEMPORAL_ADDRESS || env.TEMPORAL_PROFILE);
}

export function connectConfig(embeddedAddress?: string): { connectionOptions: ConnectConfig; namespace: string } {
  const { connectionOptions, namespace } = loadClientConnectConfig();
  if (embeddedAddress && !externalClusterConfigured()) connectionOptions.address = embeddedAddress;
  return { connectionOptions, namespace: namespace ?? 'default' };
}

/**
 * A client with the payload codec: `dataConverter`, or the one the environment's settings name
 * (NEUTRIX_CODEC_KEYS, or the embedded server's key under DATA_DIR) — the worker's.
 */
export async function connectClient(
  embeddedAddress?: string,
  dataConverter?: DataConverter,
): Promise<{ client: Client; connection: Connection; namespace: string; dataConverter: DataConverter }> {
  const dc = dataConverter ?? codecDataConverter(loadSettings());
  const { connectionOptions, namespace } = connectConfig(embeddedAddress);
  const connection = await Connection.connect(connectionOptions);
  return { client: new Client({ connection, namespace, dataConverter: dc }), connection, namespace, dataConverter: dc };
}

export async function connectWorker(embeddedAddress?: string): Promise<{ connection: NativeConnection; namespace: string }> {
  const { connectionOptions, namespace } = connectConfig(embeddedAddress);
  return { connection: await NativeConnection.connect(connectionOptions), namespace };
}
