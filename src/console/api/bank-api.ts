import { z } from 'zod';
import { BANK_FILE_FORMATS } from '../../backoffice/bank/bank-file';
import type { LineDeps } from '../../backoffice/bank/apply-line';
import { importBankFile, importedLine } from '../../backoffice/bank/import';
import { assignLine, returnLine } from '../../backoffice/bank/queue';
import { jstDateOf } from '../../domain/calendar';
import { READERS } from '../route-kit';
import { actorOf, notFound } from './kit';
import type { ApiRoute } from './route-table';

const CLERKS = ['clerk', 'supervisor'] as const;
/** A day's statement of 10,000 lines is 2 MB (200 bytes a line), 2.7 MB in base64: room for several days. */
export const BANK_FILE_BODY_LIMIT = 32 * 1024 * 1024;

const fileParams = z.object({ fileId: z.string().regex(/^BF-[0-9A-Za-z-]{1,60}$/, { message: 'expected a bank file id BF-…' }) });
const lineParams = fileParams.extend({ record: z.coerce.number({ error: 'expected a record number' }).int().min(1) });

export function bankApi(d: LineDeps): ApiRoute[] {
  const deps = d;
  const today = () => jstDateOf(Date.now());
  return [
    {
      method: 'POST',
      path: '/bank/imports',
      operationId: 'importBankFile',
      summary:
        'Import a bank statement (全銀協 振込入金通知 01, 入出金取引明細 03, or the documented CSV): each line matched to a customer and applied oldest due first; a file that is not well-formed is refused whole. dryRun: matched and planned, nothing recorded or sent.',
      tag: 'bank',
      roles: CLERKS,
      bodyLimit: BANK_FILE_BODY_LIMIT,
      body: z.object({
        requestId: z
          .string()
          .regex(/^[0-9A-Za-z-]{1,60}$/, { message: 'expected 1–60 letters, digits or -' })
          .optional()
          .describe('the import’s id: a retry with it answers the first import'),
        fileName: z.string().min(1, { message: 'expected the file name' }).max(255),
        format: z
          .enum(BANK_FILE_FORMATS, { error: `expected the file's format: ${BANK_FILE_FORMATS.join(', ')}` })
          .optional()
          .describe('default: read from the file (a 全銀協 header names its 種別コード; else CSV)'),
        data: z.base64({ error: 'expected the file as base64 text' }).min(1, { message: 'expected the file as base64 text, not empty' }),
        dryRun: z.boolean().optional(),
      }),
      handler: async (req, { body }) => {
        const b = body as { requestId?: string; fileName: string; format?: (typeof BANK_FILE_FORMATS)[number]; data: string; dryRun?: boolean };
        return importBankFile(deps, {
          actor: actorOf(req),
          fileName: b.fileName,
          ...(b.format ? { format: b.format } : {}),
          bytes: Buffer.from(b.data, 'base64'),
          dryRun: b.dryRun ?? false,
          today: today(),
          ...(b.requestId ? { requestId: b.requestId } : {}),
        });
      },
    },
    {
      method: 'GET',
      path: '/bank/files',
      operationId: 'listBankFiles',
      summary: 'The bank files imported, newest first.',
      tag: 'bank',
      roles: READERS,
      handler: async () => ({ files: await d.ledger.bankLines.files() }),
    },
    {
      method: 'GET',
      path: '/bank/files/:fileId',
      operationId: 'showBankFile',
      summary: 'A bank file and what each of its lines became.',
      tag: 'bank',
      roles: READERS,
      params: fileParams,
      handler: async (_req, { params }) => {
        const file = await d.ledger.bankLines.file(params.fileId!);
        if (!file) throw notFound(`no bank file ${params.fileId}`);
        return { file, lines: (await d.ledger.bankLines.linesOf(file.fileId)).map(importedLine) };
      },
    },
    {
      method: 'GET',
      path: '/bank/unmatched',
      operationId: 'unmatchedBankLines',
      summary: 'The clerk’s queue: lines no customer was found for, oldest first.',
      tag: 'bank',
      roles: READERS,
      handler: async () => ({ lines: (await d.ledger.bankLines.unmatched()).map((l) => ({ fileId: l.fileId, ...importedLine(l) })) }),
    },
    {
      method: 'POST',
      path: '/bank/files/:fileId/lines/:record/assign',
      operationId: 'assignBankLine',
      summary: 'Give an unmatched line to a customer: applied as a matched line is; its payer name remembered unless rememberPayerName is false.',
      tag: 'bank',
      roles: CLERKS,
      params: lineParams,
      body: z.object({ customerId: z.string().min(1, { message: 'expected the customer id' }).max(100), rememberPayerName: z.boolean().optional() }),
      handler: async (req, { params, body }) => {
        const b = body as { customerId: string; rememberPayerName?: boolean };
        return assignLine(deps, {
          actor: actorOf(req),
          fileId: params.fileId!,
          record: Number(params.record),
          customerId: b.customerId,
          rememberPayerName: b.rememberPayerName ?? true,
          today: today(),
        });
      },
    },
    {
      method: 'POST',
      path: '/bank/files/:fileId/lines/:record/return',
      operationId: 'returnBankLine',
      summary: 'Mark an unmatched line as sent back to the payer, with the reason.',
      tag: 'bank',
      roles: CLERKS,
      params: lineParams,
      body: z.object({ reason: z.string().min(1, { message: 'say why the money goes back' }).max(500) }),
      handler: async (req, { params, body }) =>
        returnLine(deps, { actor: actorOf(req), fileId: params.fileId!, record: Number(params.record), reason: (body as { reason: string }).reason }),
    },
  ];
}
