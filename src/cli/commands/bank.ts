/**
 * `neutrix bank …`: import a bank statement (入金消込) and work the clerk's queue, through the API (the
 * person's token; the back office matches, applies and audits). A file that is not well-formed is refused
 * whole (exit 3) naming the record and the field; nothing of it is applied.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BankImportResult, ImportedLine } from '../../backoffice/bank/import';
import { CliError, countArg, UsageError, type CommandSpec } from '../command';
import { table, yen } from '../format';

const lineTable = (lines: Array<ImportedLine & { fileId?: string }>, withFile = false) =>
  table(lines, [
    ...(withFile ? [{ header: 'FILE', value: (l: ImportedLine & { fileId?: string }) => l.fileId ?? '' }] : []),
    { header: 'REC', value: (l) => String(l.record), align: 'right' as const },
    { header: '照会番号', value: (l) => l.ref },
    { header: '勘定日', value: (l) => l.valueDate },
    { header: 'AMOUNT', value: (l) => yen(l.amount), align: 'right' as const },
    { header: 'PAYER', value: (l) => l.payer },
    { header: 'OUTCOME', value: (l) => `${l.outcome}${l.likelyFee ? ' (transfer fee?)' : ''}` },
    { header: 'APPLIED', value: (l) => yen(l.applied), align: 'right' as const },
    { header: 'CUSTOMER', value: (l) => l.customerId ?? '' },
    { header: 'NOTE', value: (l) => (l.note ?? '').replace(/\s+/g, ' ') },
  ]);

const recordArg = (v: string | undefined) => {
  const n = countArg(v);
  if (typeof n !== 'number' || n < 1) throw new UsageError(`<record>: expected the line's record number (got "${v ?? ''}")`);
  return n;
};

export const bankCommands: CommandSpec[] = [
  {
    name: 'bank import',
    args: ['file'],
    summary: 'Import a bank statement (全銀協 振込入金通知 01 / 入出金取引明細 03, or the documented CSV): each line matched and applied.',
    sendsRequest: true,
    options: {
      'dry-run': { type: 'boolean', help: 'read, match and plan each line; record and send nothing' },
      format: { type: 'string', value: 'FORMAT', help: 'zengin01, zengin03 or csv (default: read from the file)' },
    },
    fields: { format: '--format', data: '<file>', fileName: '<file>' },
    notes: [
      'Lines imported before (same bank, branch, account, 照会番号, 勘定日 and amount) are duplicates, whatever the file is called: never applied twice.',
      'Unmatched lines wait in `neutrix bank unmatched`; give one to a customer with `neutrix bank assign`.',
    ],
    async run(ctx, values, [path]) {
      let bytes: Buffer;
      try {
        bytes = await readFile(path!);
      } catch (err) {
        throw new UsageError(`<file>: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const r = await ctx.api().send<BankImportResult>('POST', '/bank/imports', {
        requestId: ctx.requestId,
        fileName: basename(path!),
        data: bytes.toString('base64'),
        dryRun: values['dry-run'] === true,
        ...(typeof values.format === 'string' ? { format: values.format } : {}),
      });
      const applied = r.lines.reduce((s, l) => s + l.applied, 0);
      ctx.say(
        `${r.dryRun ? 'dry run (nothing recorded or sent)' : `imported as ${r.fileId}${r.alreadyImported ? ' (already imported with this request id)' : ''}`}: ${r.fileName}, ${r.format}, ${r.lines.length} line(s), ${yen(applied)} applied\n` +
          `${lineTable(r.lines)}\n  request id  ${ctx.requestId}  (to repeat safely: --request-id ${ctx.requestId})`,
      );
      ctx.emit({ ok: true, ...r, requestId: ctx.requestId });
    },
  },
  {
    name: 'bank files',
    summary: 'The bank files imported, newest first.',
    options: {},
    async run(ctx) {
      const { files } = await ctx
        .api()
        .get<{ files: Array<{ fileId: string; fileName: string; format: string; lineCount: number; importedBy: string; importedAt: string }> }>('/bank/files');
      ctx.say(
        table(files, [
          { header: 'FILE', value: (f) => f.fileId },
          { header: 'NAME', value: (f) => f.fileName },
          { header: 'FORMAT', value: (f) => f.format },
          { header: 'LINES', value: (f) => String(f.lineCount), align: 'right' },
          { header: 'IMPORTED', value: (f) => f.importedAt },
        ]),
      );
      ctx.emit({ files });
    },
  },
  {
    name: 'bank show',
    args: ['file-id'],
    summary: 'A bank file and what each of its lines became.',
    options: {},
    async run(ctx, _values, [fileId]) {
      const r = await ctx
        .api()
        .get<{ file: { fileId: string; fileName: string; format: string }; lines: ImportedLine[] }>(`/bank/files/${encodeURIComponent(fileId!)}`);
      ctx.say(`${r.file.fileId}: ${r.file.fileName} (${r.file.format})\n${lineTable(r.lines)}`);
      ctx.emit(r);
    },
  },
  {
    name: 'bank unmatched',
    summary: 'The lines no customer was found for (the clerk’s queue), oldest first.',
    options: {},
    async run(ctx) {
      const { lines } = await ctx.api().get<{ lines: Array<ImportedLine & { fileId: string }> }>('/bank/unmatched');
      ctx.say(lines.length === 0 ? 'no unmatched lines' : lineTable(lines, true));
      ctx.emit({ lines });
    },
  },
  {
    name: 'bank assign',
    args: ['file-id', 'record', 'customer-id'],
    summary: 'Give an unmatched line to a customer: applied oldest due first; its payer name remembered.',
    sendsRequest: true,
    options: { 'no-remember': { type: 'boolean', help: 'do not remember the line’s payer name for the customer' } },
    fields: { customerId: '<customer-id>' },
    async run(ctx, values, [fileId, record, customerId]) {
      const l = await ctx.api().send<ImportedLine>('POST', `/bank/files/${encodeURIComponent(fileId!)}/lines/${recordArg(record)}/assign`, {
        customerId,
        rememberPayerName: values['no-remember'] !== true,
      });
      ctx.say(`${fileId} record ${l.record}: ${l.outcome}, ${yen(l.applied)} applied${l.advance ? `, ${yen(l.advance)} held as an advance` : ''}`);
      ctx.emit({ ok: true, ...l });
    },
  },
  {
    name: 'bank return',
    args: ['file-id', 'record'],
    summary: 'Mark an unmatched line as sent back to the payer.',
    sendsRequest: true,
    options: { reason: { type: 'string', value: 'TEXT', help: 'why the money goes back (kept with the line)' } },
    fields: { reason: '--reason' },
    async run(ctx, values, [fileId, record]) {
      if (typeof values.reason !== 'string' || !values.reason.trim()) throw new UsageError('--reason: say why the money goes back');
      const l = await ctx
        .api()
        .send<ImportedLine>('POST', `/bank/files/${encodeURIComponent(fileId!)}/lines/${recordArg(record)}/return`, { reason: values.reason });
      if (l.outcome !== 'returned') throw new CliError(`${fileId} record ${record}: ${l.outcome}`);
      ctx.say(`${fileId} record ${l.record}: returned`);
      ctx.emit({ ok: true, ...l });
    },
  },
];
