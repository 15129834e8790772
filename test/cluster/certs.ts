/**
 * A throwaway certificate authority for the cluster suite, made with openssl (Node's crypto signs no
 * certificates): the CA, the server's certificate (SAN 127.0.0.1 and localhost) and one client certificate
 * per kind of client — worker, console, CLI, billing run — each its own key, all signed by the CA.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CLIENTS = ['worker', 'console', 'cli', 'billing-run'] as const;
export type ClientName = (typeof CLIENTS)[number];

export interface Certificates {
  dir: string;
  ca: string;
  client(name: ClientName): { cert: string; key: string };
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

function signed(dir: string, name: string, subject: string, extensions: string): void {
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject], dir);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
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

export function makeCertificates(dir: string): Certificates {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca-key.pem',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Neutrix test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  signed(
    dir,
    'server',
    '/CN=127.0.0.1',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n',
  );
  for (const c of CLIENTS) signed(dir, c, `/CN=neutrix-${c}`, 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n');
  return { dir, ca: join(dir, 'ca.pem'), client: (name) => ({ cert: join(dir, `${name}.pem`), key: join(dir, `${name}-key.pem`) }) };
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
