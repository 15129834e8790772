/** The API tokens store's schema: its migrations, frozen once shipped (add the next one, never edit one). */
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 12,
    name: 'back office: personal API tokens',
    statements: [
      // A person's token for the back office's HTTP API (the CLI, integrations): shown once, kept only as the
      // SHA-256 of its secret (the secret is 32 random bytes, so a fast hash is enough — no password to stretch).
      // A token acts as its person, with the person's role at the time of each call; it expires and can be revoked.
      `CREATE TABLE api_tokens (
         id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
         person_id text NOT NULL REFERENCES people (id),
         label text NOT NULL CHECK (label <> '' AND length(label) <= 100),
         secret_sha256 text NOT NULL CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
         created_at timestamptz NOT NULL DEFAULT now(),
         created_by text NOT NULL,
         expires_at timestamptz NOT NULL,
         revoked_at timestamptz,
         revoked_by text,
         last_used_at timestamptz,
         CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
       )`,
      `CREATE INDEX api_tokens_by_person ON api_tokens (person_id, created_at)`,
    ],
  },
];
