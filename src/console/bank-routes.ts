/**
 * 入金 (bank statements, issue 29): the clerk uploads the bank's file (multipart, one file, 32 MiB at most),
 * reads what each line became, and works the queue of unmatched lines. Every step goes through the back
 * office (src/backoffice/bank) as the signed-in person: matched, applied and audited there, not here.
 */
import { randomUUID } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BANK_FILE_FORMATS, type BankFileFormat } from '../backoffice/bank/bank-file';
import type { LineDeps } from '../backoffice/bank/apply-line';
import { importBankFile, importedLine } from '../backoffice/bank/import';
import { assignLine, returnLine } from '../backoffice/bank/queue';
import { EdgeRefusal } from '../backoffice/command-path';
import type { Actor } from '../domain/actor';
import { jstDateOf } from '../domain/calendar';
import { BANK_FILE_BODY_LIMIT } from './api/bank-api';
import { bankFile, bankHome, bankUnmatched } from './pages/bank';
import { bodyOf, CONTRACT_ACTORS, READERS, type RouteKit } from './route-kit';

const FILE_ID = /^BF-[0-9A-Za-z-]{1,60}$/;

export async function bankRoutes(app: FastifyInstance, k: RouteKit, d: LineDeps): Promise<void> {
  const deps = d;
  const actorOf = (req: FastifyRequest): Actor => ({ id: req.person!.id, role: req.person!.role, via: 'console' });
  const today = () => jstDateOf(Date.now());
  const refused = (req: FastifyRequest, reply: FastifyReply, err: unknown, to: string) => {
    if (err instanceof EdgeRefusal) return k.flashAndGo(req, reply, 'err', `${k.t(req)('受け付けられません', 'Refused')} — ${err.message}`, to);
    throw err;
  };

  app.get('/bank', { config: { roles: READERS } }, async (req, reply) => {
    const [files, unmatched] = await Promise.all([d.ledger.bankLines.files(), d.ledger.bankLines.unmatched()]);
    return k.send(req, reply, bankHome(k.ctx(req, reply), files, unmatched.length));
  });
  app.get('/bank/files/:fileId', { config: { roles: READERS } }, async (req, reply) => {
    const { fileId } = req.params as { fileId: string };
    const file = FILE_ID.test(fileId) ? await d.ledger.bankLines.file(fileId) : undefined;
    if (!file) return k.flashAndGo(req, reply, 'err', k.t(req)(`ファイル ${fileId} はありません。`, `No bank file ${fileId}.`), '/bank');
    const lines = (await d.ledger.bankLines.linesOf(fileId)).map(importedLine);
    return k.send(req, reply, bankFile(k.ctx(req, reply), { ...file, dryRun: false, lines }));
  });
  app.get('/bank/unmatched', { config: { roles: READERS } }, async (req, reply) => {
    const lines = (await d.ledger.bankLines.unmatched()).map((l) => ({ fileId: l.fileId, ...importedLine(l) }));
    return k.send(req, reply, bankUnmatched(k.ctx(req, reply), lines));
  });

  // The upload: multipart on this route only, its fields read into the body (the CSRF token among them).
  await app.register(async (upload) => {
    await upload.register(fastifyMultipart, {
      attachFieldsToBody: 'keyValues',
      limits: { files: 1, fileSize: BANK_FILE_BODY_LIMIT, fields: 10 },
      // The file's name is kept with its bytes (the audit and the file list show it).
      async onFile(part) {
        (part as unknown as { value: unknown }).value = { filename: part.filename, bytes: await part.toBuffer() };
      },
    });
    upload.post('/bank/imports', { config: { roles: CONTRACT_ACTORS }, bodyLimit: BANK_FILE_BODY_LIMIT + 64 * 1024 }, async (req, reply) => {
      const t = k.t(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const file = body.file as { filename?: string; bytes?: Buffer } | undefined;
      if (!file?.bytes || file.bytes.length === 0)
        return k.flashAndGo(req, reply, 'err', t('ファイル (file): 取り込むファイルを選んでください。', 'file: choose the file to import.'), '/bank');
      const format = typeof body.format === 'string' && body.format !== '' ? body.format : undefined;
      if (format !== undefined && !(BANK_FILE_FORMATS as readonly string[]).includes(format))
        return k.flashAndGo(req, reply, 'err', `format: ${t('形式が正しくありません', 'not a format')} (${BANK_FILE_FORMATS.join(', ')})`, '/bank');
      const fileName = (file.filename ?? '').trim() || 'statement';
      try {
        const r = await importBankFile(deps, {
          actor: actorOf(req),
          fileName,
          ...(format ? { format: format as BankFileFormat } : {}),
          bytes: file.bytes,
          dryRun: body.dryRun === 'yes',
          today: today(),
          requestId: randomUUID(),
        });
        if (r.dryRun) return k.send(req, reply, bankFile(k.ctx(req, reply), r));
        return reply.redirect(`/bank/files/${r.fileId}`, 303);
      } catch (err) {
        return refused(req, reply, err, '/bank');
      }
    });
  });

  const lineOf = (req: FastifyRequest) => {
    const { fileId, record } = req.params as { fileId: string; record: string };
    return FILE_ID.test(fileId) && /^\d{1,7}$/.test(record) ? { fileId, record: Number(record) } : undefined;
  };
  app.post('/bank/files/:fileId/lines/:record/assign', { config: { roles: CONTRACT_ACTORS } }, async (req, reply) => {
    const t = k.t(req);
    const line = lineOf(req);
    if (!line) return k.flashAndGo(req, reply, 'err', t('その明細はありません。', 'No such line.'), '/bank/unmatched');
    const b = bodyOf(req);
    const given = (b.customer ?? '').trim();
    // A clerk may know the contract rather than the customer: its customer, then.
    const customerId = given.startsWith('cus-') ? given : ((await d.ledger.payers.customerOfContract(given)) ?? given);
    try {
      const l = await assignLine(deps, { actor: actorOf(req), ...line, customerId, rememberPayerName: b.remember === 'yes', today: today() });
      return k.flashAndGo(
        req,
        reply,
        'ok',
        t(
          `レコード ${l.record}: ${l.amount.toLocaleString('ja-JP')}円 — 請求に ${l.applied.toLocaleString('ja-JP')}円 を充当${l.advance ? `、${l.advance.toLocaleString('ja-JP')}円 は前受金` : ''}。`,
          `Record ${l.record}: ${l.amount.toLocaleString('en-US')} yen — ${l.applied.toLocaleString('en-US')} yen applied to invoices${l.advance ? `, ${l.advance.toLocaleString('en-US')} yen held as an advance` : ''}.`,
        ),
        '/bank/unmatched',
      );
    } catch (err) {
      return refused(req, reply, err, '/bank/unmatched');
    }
  });
  app.post('/bank/files/:fileId/lines/:record/return', { config: { roles: CONTRACT_ACTORS } }, async (req, reply) => {
    const t = k.t(req);
    const line = lineOf(req);
    if (!line) return k.flashAndGo(req, reply, 'err', t('その明細はありません。', 'No such line.'), '/bank/unmatched');
    try {
      const l = await returnLine(deps, { actor: actorOf(req), ...line, reason: bodyOf(req).reason ?? '' });
      return k.flashAndGo(req, reply, 'ok', t(`レコード ${l.record} を返金済にしました。`, `Record ${l.record} marked returned.`), '/bank/unmatched');
    } catch (err) {
      return refused(req, reply, err, '/bank/unmatched');
    }
  });
}
