/**
 * Throwaway certificate authorities for the cluster suite, made with openssl (Node's crypto signs no
 * certificates): the cluster's CA and the server's certificate (SAN 127.0.0.1 and localhost), which the
 * services present to each other and the frontend to its clients; and the client CA with one certificate
 * per kind of client, each its own key and its CommonName `neutrix-<kind>` — the name the server's
 * authorizer gives roles by (ops/cluster/certificate-roles.yaml):
 * - worker, backoffice (the console and its API; it also starts billing runs): writers on the namespace;
 * - ops: a reader; admin: the operator's provisioning certificate (registers the namespace and its search
 *   attributes), a system admin;
 * - intruder: signed by the same client CA, with a name the roles file does not list — refused.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CLIENTS = ['worker', 'backoffice', 'ops', 'admin', 'intruder'] as const;
export type ClientName = (typeof CLIENTS)[number];

export interface Certificates {
  dir: string;
  /** The cluster's CA: clients verify the frontend by it (the services each other). */
  ca: string;
  /** The clients' CA: the frontend verifies client certificates by it (and nothing else does). */
  clientCa: string;
  client(name: ClientName): { cert: string; key: string };
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

function signed(dir: string, name: string, subject: string, extensions: string, ca = 'ca'): void {
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject], dir);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}-key.pem`,
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-sha256',
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  );
}

function authority(dir: string, name: string, subject: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}-key.pem`,
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-subj',
      subject,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

/** The common name of a kind of client's certificate. */
export const commonName = (name: ClientName) => `neutrix-${name}`;

export function makeCertificates(dir: string): Certificates {
  authority(dir, 'ca', '/CN=Neutrix test cluster CA');
  authority(dir, 'client-ca', '/CN=Neutrix test client CA');
  signed(
    dir,
    'server',
    '/CN=127.0.0.1',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n',
  );
  for (const c of CLIENTS)
    signed(dir, c, `/CN=${commonName(c)}`, 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n', 'client-ca');
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    clientCa: join(dir, 'client-ca.pem'),
    client: (name) => ({ cert: join(dir, `${name}.pem`), key: join(dir, `${name}-key.pem`) }),
  };
}

/** The standard client settings (@temporalio/envconfig) for one client of the cluster. */
export function tlsEnv(certs: Certificates, name: ClientName, address: string, namespace: string): NodeJS.ProcessEnv {
  const { cert, key } = certs.client(name);
  return {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TLS: 'true',
    TEMPORAL_TLS_CLIENT_CERT_PATH: cert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: key,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.ca,
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
  };
}

/**
 * The same client settings as a `temporal.toml` profile (@temporalio/envconfig's file form, as the
 * `temporal` CLI reads it): written to `file`; the environment names only the file and the profile.
 */
export function tomlProfile(certs: Certificates, name: ClientName, address: string, namespace: string, file: string): NodeJS.ProcessEnv {
  const { cert, key } = certs.client(name);
  const q = (v: string) => JSON.stringify(v); // a TOML basic string is a JSON string for these paths
  writeFileSync(
    file,
    [
      `[profile.${name}]`,
      `address = ${q(address)}`,
      `namespace = ${q(namespace)}`,
      '',
      `[profile.${name}.tls]`,
      `client_cert_path = ${q(cert)}`,
      `client_key_path = ${q(key)}`,
      `server_ca_cert_path = ${q(certs.ca)}`,
      `server_name = "localhost"`,
      '',
    ].join('\n'),
  );
  return { TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: name };
}
