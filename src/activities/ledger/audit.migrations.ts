/** The audit store's schema: its migrations, frozen once shipped (add the next one, never edit one). */
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 4,
    name: 'ledger: the audit trail of every command attempted',
    statements: [
      // Every command attempted through the console or the CLI, accepted or refused: who, when,
      // which contract, what (the update's input: ids and figures, no personal data), the request id, and
      // how it ended. Written before the command is sent ('pending'), its outcome once, and never again.
      `CREATE TABLE audit_trail (
         id bigserial PRIMARY KEY,
         at timestamptz NOT NULL DEFAULT now(),
         actor_id text NOT NULL CHECK (actor_id <> ''),
         actor_role text NOT NULL CHECK (actor_role IN ('viewer', 'clerk', 'supervisor', 'admin', 'system')),
         via text NOT NULL CHECK (via IN ('console', 'cli', 'system')),
         contract_id text,
         command text NOT NULL,
         request_id text NOT NULL,
         details jsonb NOT NULL DEFAULT '{}'::jsonb,
         outcome text NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'accepted', 'refused', 'failed')),
         message text,
         decided_at timestamptz,
         CHECK ((outcome = 'pending') = (decided_at IS NULL))
       )`,
      `CREATE INDEX audit_trail_by_contract ON audit_trail (contract_id, id)`,
      `CREATE INDEX audit_trail_by_actor ON audit_trail (actor_id, id)`,
      // Append-only: no row is deleted; a row's facts never change; its outcome is set once, from pending.
      `CREATE FUNCTION audit_trail_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           RAISE EXCEPTION 'the audit trail is append-only: row % cannot be deleted', OLD.id USING ERRCODE = 'P0001';
         END IF;
         IF OLD.outcome <> 'pending' THEN
           RAISE EXCEPTION 'the audit trail is append-only: row % is decided (%)', OLD.id, OLD.outcome USING ERRCODE = 'P0001';
         END IF;
         IF (NEW.id, NEW.at, NEW.actor_id, NEW.actor_role, NEW.via, NEW.contract_id, NEW.command, NEW.request_id, NEW.details)
            IS DISTINCT FROM (OLD.id, OLD.at, OLD.actor_id, OLD.actor_role, OLD.via, OLD.contract_id, OLD.command, OLD.request_id, OLD.details) THEN
           RAISE EXCEPTION 'the audit trail is append-only: only the outcome of row % may be recorded', OLD.id USING ERRCODE = 'P0001';
         END IF;
         RETURN NEW;
       END $$`,
      `CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON audit_trail FOR EACH ROW EXECUTE FUNCTION audit_trail_guard()`,
      `CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
    ],
  },
  {
    version: 12,
    name: 'audit: commands sent through the HTTP API',
    statements: [
      // A call with a personal API token (the CLI, an integration) is recorded as via 'api'.
      `ALTER TABLE audit_trail DROP CONSTRAINT audit_trail_via_check`,
      `ALTER TABLE audit_trail ADD CONSTRAINT audit_trail_via_check CHECK (via IN ('console', 'cli', 'system', 'api'))`,
    ],
  },
  {
    version: 13,
    name: 'audit: payments read from a bank statement',
    statements: [
      // A payment applied from a bank statement's line is recorded as via 'bank', as the person who imported it.
      `ALTER TABLE audit_trail DROP CONSTRAINT audit_trail_via_check`,
      `ALTER TABLE audit_trail ADD CONSTRAINT audit_trail_via_check CHECK (via IN ('console', 'cli', 'system', 'api', 'bank'))`,
    ],
  },
];
