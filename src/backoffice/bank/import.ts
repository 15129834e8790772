/**
 * A bank statement imported (issue 29): read whole or refused whole (nothing recorded), recorded with all its
 * lines in one transaction (a line seen before is a duplicate there and then), then each line carried to
 * its end (apply-line.ts). Lines an earlier import left unfinished (a crash, a restart) are finished first:
 * the ledger, not the process, holds where an import stands. A dry run reads, matches and plans without
 * recording or sending anything. The import, and every payment it sends, is audited as the person.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { BankLineRecord, LinePlan } from '../../activities';
import type { Actor } from '../../domain/actor';
import { ediReferences, receiptIdentity, type CustomerDirectory } from '../../domain/bank/receipts';
import { payerNameKey } from '../../domain/bank/payer-name';
import type { IsoDate, Yen } from '../../domain/types';
import { audited, EdgeRefusal } from '../command-path';
import { detectBankFileFormat, readBankFile, type BankFileFormat } from './bank-file';
import { carryOut, planLine, requestReversals, type LineDeps } from './apply-line';
import type { TransferLine } from './zengin-transfer';

export interface BankImportRequest {
  actor: Actor;
  fileName: string;
  /** Detected from the file when not given (a 全銀協 header names its 種別コード; else CSV). */
  format?: BankFileFormat;
  bytes: Uint8Array;
  dryRun: boolean;
  today: IsoDate;
  /** The import's own id (a retry with it answers the first import); the back office makes one if absent. */
  requestId?: string;
}

/** A line as the clerk, the CLI and the simulator's `bankLines` read it. */
export interface ImportedLine {
  record: number;
  ref: string;
  valueDate: IsoDate;
  amount: Yen;
  payer: string;
  outcome: string;
  applied: Yen;
  advance: Yen;
  shortfall: Yen;
  likelyFee: boolean;
  customerId: string | null;
  matchedBy: string | null;
  note: string | null;
}

export interface BankImportResult {
  fileId: string | null;
  fileName: string;
  format: BankFileFormat;
  sha256: string;
  dryRun: boolean;
  alreadyImported: boolean;
  lines: ImportedLine[];
}

/** Who may import a statement: whoever may record a payment. */
const IMPORTERS: readonly Actor['role'][] = ['clerk', 'supervisor', 'system'];

export const flatLine = (l: TransferLine) => ({
  bankCode: l.account.bankCode,
  branchCode: l.account.branchCode,
  accountNumber: l.account.accountNumber,
  inquiryNumber: l.inquiryNumber,
  bookedOn: l.bookedOn,
  amount: l.amount,
  payerCode: l.payerCode,
  payerName: l.payerName,
  edi: l.edi,
  cancels: l.cancels,
});

export function importedLine(l: BankLineRecord | (ReturnType<typeof flatLine> & { record: number } & Partial<LinePlan>)): ImportedLine {
  const r = l as Partial<BankLineRecord> & ReturnType<typeof flatLine> & { record: number };
  return {
    record: r.record,
    ref: r.inquiryNumber,
    valueDate: r.bookedOn,
    amount: r.amount,
    payer: r.payerName,
    outcome: r.outcome ?? 'pending',
    applied: r.applied ?? 0,
    advance: r.advance ?? 0,
    shortfall: r.shortfall ?? 0,
    likelyFee: (l as BankLineRecord).likelyFee ?? (l as Partial<LinePlan>).likelyFee ?? false,
    customerId: r.customerId ?? null,
    matchedBy: r.matchedBy ?? null,
    note: r.note ?? null,
  };
}

/** The directory for these lines: every key they name, looked up at once. */
export async function directoryFor(ledger: LineDeps['ledger'], lines: ReadonlyArray<ReturnType<typeof flatLine>>): Promise<CustomerDirectory> {
  const snap = await ledger.payers.directory({
    accounts: [...new Set(lines.map((l) => l.accountNumber))],
    codes: [...new Set(lines.flatMap((l) => (l.payerCode ? [l.payerCode] : [])))],
    references: [...new Set(lines.flatMap((l) => ediReferences(l.edi)))],
    nameKeys: [...new Set(lines.map((l) => payerNameKey(l.payerName)).filter((k) => k !== ''))],
  });
  return {
    byVirtualAccount: (a) => snap.virtualAccounts.get(a),
    byPayerCode: (c) => snap.payerCodes.get(c),
    byReference: (r) => snap.references.get(r),
    byPayerName: (k) => snap.payerNames.get(k) ?? [],
  };
}

/** Who carries a file's lines on: the person who imported it, with their role now — none if they may no longer import. */
async function importerOf(deps: LineDeps, fileId: string, current: Actor | undefined, known: Map<string, Actor | null>): Promise<Actor | undefined> {
  if (!known.has(fileId)) {
    const file = await deps.ledger.bankLines.file(fileId);
    const person = file && file.importedBy !== current?.id ? await deps.ledger.people.get(file.importedBy) : undefined;
    const actor: Actor | null =
      file && current && file.importedBy === current.id
        ? current
        : person && !person.disabled && IMPORTERS.includes(person.role)
          ? { id: person.id, role: person.role, via: 'bank' }
          : null;
    known.set(fileId, actor);
  }
  return known.get(fileId) ?? undefined;
}

/**
 * Carries every line not yet done — this import's, and any an earlier import left (a crash, Temporal away) —
 * to its end, each as the person who imported its file. Lines whose importer may no longer import wait
 * (counted in `waiting`) for a clerk to import again.
 */
export async function finishUnfinished(deps: LineDeps, today: IsoDate, current?: Actor): Promise<{ finished: number; waiting: number }> {
  const open = await deps.ledger.bankLines.unfinished();
  if (open.length === 0) return { finished: 0, waiting: 0 };
  const directory = await directoryFor(deps.ledger, open);
  const known = new Map<string, Actor | null>();
  let waiting = 0;
  for (const first of open) {
    const actor = await importerOf(deps, first.fileId, current, known);
    if (!actor) {
      waiting++;
      continue;
    }
    let line = first;
    let payments: LinePlan['payments'];
    if (line.state === 'pending') {
      const plan = await planLine(deps, line, directory);
      const stored = await deps.ledger.bankLines.plan(line.fileId, line.record, plan, actor.id);
      line = stored.line;
      payments = stored.payments;
      if (stored.planned && line.outcome === 'cancelled')
        await deps.ledger.bankLines.annotate(line.fileId, line.record, await requestReversals(deps, actor, line, today));
    } else payments = (await deps.ledger.bankLines.receipt(line.identity))?.payments ?? [];
    if (line.state === 'planned') await carryOut(deps, actor, line, payments, today);
  }
  return { finished: open.length - waiting, waiting };
}

async function dryRun(deps: LineDeps, lines: Array<ReturnType<typeof flatLine> & { record: number }>): Promise<ImportedLine[]> {
  const directory = await directoryFor(deps.ledger, lines);
  const seen = new Set<string>();
  const out: ImportedLine[] = [];
  for (const l of lines) {
    const identity = receiptIdentity(l);
    const before = seen.has(identity) || (await deps.ledger.bankLines.receipt(identity)) !== undefined;
    seen.add(identity);
    const fake = { ...l, fileId: 'dry-run', identity, state: 'pending' } as BankLineRecord;
    const plan: Partial<LinePlan> = before ? { outcome: 'duplicate', note: 'imported before' } : await planLine(deps, fake, directory);
    out.push(importedLine({ ...l, ...plan }));
  }
  return out;
}

export async function importBankFile(deps: LineDeps, req: BankImportRequest): Promise<BankImportResult> {
  if (!IMPORTERS.includes(req.actor.role)) throw new EdgeRefusal('role', `a ${req.actor.role} may not import a bank statement (clerks and supervisors do)`);
  if (!req.fileName.trim() || req.fileName.length > 255) throw new EdgeRefusal('fileName', 'expected the file name, 1–255 characters');
  const requestId = req.requestId ?? randomUUID();
  if (!/^[0-9A-Za-z-]{1,60}$/.test(requestId)) throw new EdgeRefusal('requestId', '1–60 letters, digits or -');
  const fileId = `BF-${requestId}`;
  const sha256 = createHash('sha256').update(req.bytes).digest('hex');
  const format = req.format ?? detectBankFileFormat(req.bytes);
  const base = { fileName: req.fileName, format, sha256, dryRun: req.dryRun };
  return audited(deps.audit, {
    actor: req.actor,
    contractId: null,
    command: req.dryRun ? 'bankImportDryRun' : 'bankImport',
    requestId: fileId,
    details: { fileName: req.fileName, format, sha256, bytes: req.bytes.length },
    summary: (r) => summaryOf(r.lines),
    run: async () => {
      const notice = readBankFile(req.bytes, format); // refused whole: nothing recorded
      const lines = notice.lines.map((l) => ({ ...flatLine(l), record: l.record }));
      if (req.dryRun) return { ...base, fileId: null, alreadyImported: false, lines: await dryRun(deps, lines) };
      const earlier = await deps.ledger.bankLines.file(fileId);
      if (earlier && earlier.sha256 !== sha256) throw new EdgeRefusal('requestId', `${requestId} was used for another file (${earlier.fileName})`);
      if (!earlier)
        await deps.ledger.bankLines.recordFile(
          { fileId, fileName: req.fileName, format, sha256, importedBy: req.actor.id },
          lines.map((l) => ({ ...l, identity: receiptIdentity(l) })),
        );
      await finishUnfinished(deps, req.today, req.actor);
      return { ...base, fileId, alreadyImported: earlier !== undefined, lines: (await deps.ledger.bankLines.linesOf(fileId)).map(importedLine) };
    },
  });
}

export function summaryOf(lines: readonly ImportedLine[]): string {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.outcome, (counts.get(l.outcome) ?? 0) + 1);
  const applied = lines.reduce((s, l) => s + l.applied, 0);
  return `${lines.length} line(s): ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}; ${applied} yen applied`;
}
