/**
 * Provider-wide actions in the ledger (migration 9): the price-list versions as announced (D-17) — the
 * record every contract's copy came from — and what each contract answered a provider-wide run or its dry
 * run, for staff to read ("what will each owe") and to compare the dry run with the real one.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ProviderActionPreview } from '../../domain/contract';
import { FIRST_PRICE_LIST } from '../../domain/catalog';
import { asAnnounced, type PriceListChange } from '../../domain/price-lists';
import type { ProviderAction } from '../../domain/provider-actions';
import type { IsoDate } from '../../domain/types';
import { instant, type Db } from './db';

export type BulkOutcomeKind = 'changed' | 'unchanged' | 'refused' | 'failed';

export interface ProviderActionOutcome {
  runId: string;
  contractId: string;
  command: string;
  dryRun: boolean;
  outcome: BulkOutcomeKind;
  reason: string | null;
  preview: ProviderActionPreview | null;
}

export interface ProviderActionRequest {
  id: string;
  action: ProviderAction;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}

export interface PriceListRecord {
  version: PriceListChange;
  announcedOn: IsoDate;
  announcedBy: string;
  createdAt: string;
}

type Row = Record<string, unknown>;
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
/** Key order fixed, so the same version compares equal however its JSON was written. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );

export class ProviderActions {
  constructor(private readonly db: Db) {}

  /**
   * Record a version once (D-17). The same id with the same content again is a repeat ('same'); another
   * content under a known id, or a second version for a month, is refused naming the field.
   */
  async recordPriceList(version: PriceListChange, announcedOn: IsoDate, announcedBy: string): Promise<'recorded' | 'same'> {
    return this.db.transaction(async (tx) => {
      await tx.query('LOCK TABLE price_list_versions IN SHARE ROW EXCLUSIVE MODE');
      const known = await tx.query<Row>('SELECT id, effective_month, change FROM price_list_versions WHERE id = $1 OR effective_month = $2', [
        version.id,
        version.effectiveMonth,
      ]);
      for (const r of known.rows) {
        if (String(r.id) === version.id && canonical(json(r.change)) === canonical(version)) return 'same';
        if (String(r.id) === version.id)
          throw ApplicationFailure.nonRetryable(
            `version.id: ${version.id} is already recorded with other content; a new version needs a new id`,
            'PriceListConflict',
          );
        throw ApplicationFailure.nonRetryable(
          `version.effectiveMonth: ${version.effectiveMonth} already has version ${String(r.id)}; one version per month`,
          'PriceListConflict',
        );
      }
      await tx.query('INSERT INTO price_list_versions (id, effective_month, change, announced_on, announced_by) VALUES ($1, $2, $3, $4, $5)', [
        version.id,
        version.effectiveMonth,
        JSON.stringify(version),
        announcedOn,
        announcedBy,
      ]);
      return 'recorded';
    });
  }

  /** The first version, Appendix 2 as the terms publish it (the catalog's), recorded once when the ledger opens. */
  async recordFirstPriceList(): Promise<void> {
    await this.db.query(
      `INSERT INTO price_list_versions (id, effective_month, change, announced_on, announced_by) VALUES ($1, $2, $3, $4, 'system:terms') ON CONFLICT DO NOTHING`,
      [FIRST_PRICE_LIST.id, FIRST_PRICE_LIST.effectiveMonth, JSON.stringify(asAnnounced(FIRST_PRICE_LIST)), `${FIRST_PRICE_LIST.effectiveMonth}-01`],
    );
  }

  /** Every version recorded, oldest effective month first (the first, Appendix 2 of 2025-04, is the catalog's). */
  async priceLists(): Promise<PriceListRecord[]> {
    const r = await this.db.query<Row>('SELECT change, announced_on, announced_by, created_at FROM price_list_versions ORDER BY effective_month');
    return r.rows.map((x) => ({
      version: json<PriceListChange>(x.change),
      announcedOn: String(x.announced_on),
      announcedBy: String(x.announced_by),
      createdAt: instant(x.created_at) ?? '',
    }));
  }

  /** A batch's answers; a retried batch writes its rows again (the latest attempt stands). */
  async recordOutcomes(rows: readonly ProviderActionOutcome[]): Promise<void> {
    for (const o of rows)
      await this.db.query(
        `INSERT INTO provider_action_outcomes (run_id, contract_id, command, dry_run, outcome, reason, preview) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (run_id, contract_id) DO UPDATE SET outcome = EXCLUDED.outcome, reason = EXCLUDED.reason, preview = EXCLUDED.preview, recorded_at = now()`,
        [o.runId, o.contractId, o.command, o.dryRun, o.outcome, o.reason, o.preview ? JSON.stringify(o.preview) : null],
      );
  }

  /** One run's answers, by contract id. */
  async outcomes(runId: string): Promise<ProviderActionOutcome[]> {
    const r = await this.db.query<Row>('SELECT * FROM provider_action_outcomes WHERE run_id = $1 ORDER BY contract_id', [runId]);
    return r.rows.map((x) => ({
      runId: String(x.run_id),
      contractId: String(x.contract_id),
      command: String(x.command),
      dryRun: Boolean(x.dry_run),
      outcome: String(x.outcome) as BulkOutcomeKind,
      reason: x.reason === null ? null : String(x.reason),
      preview: x.preview === null ? null : json<ProviderActionPreview>(x.preview),
    }));
  }

  /** Ask for an action a second supervisor must approve; the same id again is the same request. */
  async request(r: { id: string; action: ProviderAction; reason: string; requestedBy: string }): Promise<ProviderActionRequest> {
    await this.db.query('INSERT INTO provider_action_requests (id, action, reason, requested_by) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [
      r.id,
      JSON.stringify(r.action),
      r.reason,
      r.requestedBy,
    ]);
    const stored = (await this.findRequest(r.id))!;
    if (canonical(stored.action) !== canonical(r.action) || stored.requestedBy !== r.requestedBy)
      throw ApplicationFailure.nonRetryable(`requestId: ${r.id} was already used for another request; use a new request id`, 'ProviderActionRequestConflict');
    return stored;
  }

  /**
   * The second supervisor's approval, once: refused for the requester and for a request already approved
   * (the row's CHECK holds the first rule in the database too).
   */
  async approve(id: string, approvedBy: string): Promise<ProviderActionRequest> {
    const r = await this.findRequest(id);
    if (!r) throw ApplicationFailure.nonRetryable(`request: no provider-wide request ${id}`, 'ProviderActionRequestRefused');
    if (r.requestedBy === approvedBy)
      throw ApplicationFailure.nonRetryable(
        `approvedBy: ${approvedBy} asked for this; another supervisor approves it (four eyes)`,
        'ProviderActionRequestRefused',
      );
    const done = await this.db.query('UPDATE provider_action_requests SET approved_by = $2, approved_at = now() WHERE id = $1 AND approved_by IS NULL', [
      id,
      approvedBy,
    ]);
    if (done.rowCount === 0) throw ApplicationFailure.nonRetryable(`request: ${id} was already approved by ${r.approvedBy}`, 'ProviderActionRequestRefused');
    return (await this.findRequest(id))!;
  }

  async findRequest(id: string): Promise<ProviderActionRequest | undefined> {
    const r = await this.db.query<Row>('SELECT * FROM provider_action_requests WHERE id = $1', [id]);
    return r.rows[0] ? toRequest(r.rows[0]) : undefined;
  }

  /** The newest requests first (at most `limit`). */
  async requests(limit = 50): Promise<ProviderActionRequest[]> {
    const r = await this.db.query<Row>('SELECT * FROM provider_action_requests ORDER BY requested_at DESC LIMIT $1', [limit]);
    return r.rows.map(toRequest);
  }
}

function toRequest(x: Row): ProviderActionRequest {
  return {
    id: String(x.id),
    action: json<ProviderAction>(x.action),
    reason: String(x.reason),
    requestedBy: String(x.requested_by),
    requestedAt: instant(x.requested_at) ?? '',
    approvedBy: x.approved_by === null ? null : String(x.approved_by),
    approvedAt: instant(x.approved_at),
  };
}
