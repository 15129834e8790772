/** The people store's schema: its migrations, frozen once shipped (add the next one, never edit one). */
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 5,
    name: 'console: people and their sessions',
    statements: [
      // The back-office console's people. No default password: a person is created with a
      // one-time password (shown once) that must be changed at first sign-in. The hash is scrypt's,
      // `scrypt$N$r$p$salt$hash` (src/backoffice/people.ts); never the password itself.
      `CREATE TABLE people (
         id text PRIMARY KEY CHECK (id ~ '^u-[0-9a-f-]{36}$'),
         login text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
         display_name text NOT NULL CHECK (display_name <> ''),
         role text NOT NULL CHECK (role IN ('viewer', 'clerk', 'supervisor', 'admin')),
         password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
         must_change_password boolean NOT NULL DEFAULT true,
         failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
         locked_until timestamptz,
         disabled boolean NOT NULL DEFAULT false,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      // The console's sessions (@fastify/session's store): the signed-in person's id, the language, the
      // CSRF secret. Expired rows are ignored on read and swept on write.
      `CREATE TABLE console_sessions (
         sid text PRIMARY KEY,
         data jsonb NOT NULL,
         expires_at timestamptz NOT NULL
       )`,
      `CREATE INDEX console_sessions_expiry ON console_sessions (expires_at)`,
    ],
  },
  {
    version: 7,
    name: 'console: people linked to a single sign-on identity',
    statements: [
      // Single sign-on by OpenID Connect (src/console/oidc.ts): an admin links a person to the identity
      // provider's issuer and subject (`sub`), the one stable identifier OpenID Connect gives; an ID token
      // signs in the person linked to its issuer and subject, nobody else. Both or neither; one person per identity.
      `ALTER TABLE people ADD COLUMN oidc_issuer text, ADD COLUMN oidc_subject text`,
      `ALTER TABLE people ADD CONSTRAINT people_oidc_identity_whole CHECK (
         (oidc_issuer IS NULL) = (oidc_subject IS NULL)
         AND (oidc_subject IS NULL OR (oidc_issuer <> '' AND oidc_subject <> '' AND length(oidc_subject) <= 255))
       )`,
      `CREATE UNIQUE INDEX people_oidc_identity ON people (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL`,
    ],
  },
  {
    version: 11,
    name: 'console: sign-in throttled per account, address and known browser; one-time passwords used once, within 24 hours',
    statements: [
      // A one-time password (a new person's, an admin's reset) signs in once, within 24 hours of being
      // made (src/backoffice/people.ts). One pending today counts from this migration.
      `ALTER TABLE people ADD COLUMN one_time_password_issued_at timestamptz, ADD COLUMN one_time_password_used_at timestamptz`,
      `UPDATE people SET one_time_password_issued_at = now() WHERE must_change_password`,
      // Failures in a row from one client address; past the limit, attempts from it wait a window that grows.
      `CREATE TABLE sign_in_addresses (
         address text PRIMARY KEY CHECK (address <> '' AND length(address) <= 100),
         failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
         throttled_until timestamptz,
         last_failure_at timestamptz
       )`,
      // A browser where the person signed in before (its cookie's SHA-256, never the token): its own
      // failure count instead of the account's and the address's, so a stranger's failures cannot keep
      // the person out.
      `CREATE TABLE sign_in_devices (
         token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
         person_id text NOT NULL REFERENCES people (id) ON DELETE CASCADE,
         failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
         created_at timestamptz NOT NULL,
         last_used_at timestamptz NOT NULL
       )`,
      `CREATE INDEX sign_in_devices_by_person ON sign_in_devices (person_id)`,
    ],
  },
];
