/**
 * Receivables at a glance (issue 29): the aging report as of a day and the payments of a range, each as a
 * page and a CSV. Readers: every role. A malformed day answers 400 naming the field, never 500.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ledger } from '../backoffice/ledger-records';
import { agingAsOf, type agingQuery, paymentsBetween, type paymentsQuery, receivablesQueriesIn } from '../backoffice/receivables';
import type { Lang } from '../domain/messages';
import { agingCsv, paymentsCsv } from '../backoffice/receivables-csv';
import { firstDayOf, jstDateOf, monthOf } from '../domain/calendar';
import { parseWith } from '../domain/validation';
import type { T } from './html';
import { READERS, type RouteKit } from './route-kit';
import * as views from './views';

type Query = Record<string, string | undefined>;
const FIELD_LABELS: Record<string, [string, string]> = { asOf: ['基準日', 'as of'], from: ['開始日', 'from'], to: ['終了日', 'to'] };
/** `asOf: expected a date` → `基準日 (asOf): expected a date`: the field as the page names it, and as the URL does. */
const named = (t: T, problems: string[]) =>
  problems
    .map((p) => {
      const m = /^(\w+): (.*)$/s.exec(p);
      const label = m ? FIELD_LABELS[m[1]!] : undefined;
      return m && label ? `${t(label[0], label[1])} (${m[1]}): ${m[2]}` : p;
    })
    .join('; ');

export function asOfOf(q: Query, lang: Lang = 'en'): ReturnType<typeof parseWith<typeof agingQuery>> {
  const raw = (q.asOf ?? '').trim();
  return parseWith(receivablesQueriesIn(lang).agingQuery, raw === '' ? {} : { asOf: raw }, '', lang);
}
export function rangeOf(q: Query, today: string, lang: Lang = 'en'): ReturnType<typeof parseWith<typeof paymentsQuery>> {
  // Without a range: this month to today.
  const range = { from: (q.from ?? '').trim() || firstDayOf(monthOf(today)), to: (q.to ?? '').trim() || today };
  return parseWith(receivablesQueriesIn(lang).paymentsQuery, range, '', lang);
}

export function receivablesRoutes(app: FastifyInstance, k: RouteKit, d: { ledger: Ledger }): void {
  const { ledger } = d;
  const today = () => jstDateOf(Date.now());
  const query = (req: FastifyRequest) => (req.query ?? {}) as Query;
  const csv = (reply: FastifyReply, name: string, text: string) =>
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(text);

  app.get('/receivables/aging', { config: { roles: READERS } }, async (req, reply) => {
    const p = asOfOf(query(req), k.lang(req));
    if (!p.ok)
      return k.send(req, reply.code(400), views.aging(k.ctx(req, reply), undefined, query(req).asOf ?? ''), { kind: 'err', text: named(k.t(req), p.problems) });
    const asOf = p.value.asOf ?? today();
    return k.send(req, reply, views.aging(k.ctx(req, reply), await agingAsOf(ledger, asOf), asOf));
  });
  app.get('/receivables/aging.csv', { config: { roles: READERS } }, async (req, reply) => {
    const p = asOfOf(query(req), k.lang(req));
    if (!p.ok) return k.send(req, reply.code(400), views.message(k.t(req), '400', named(k.t(req), p.problems)));
    const asOf = p.value.asOf ?? today();
    return csv(reply, `aging-${asOf}.csv`, agingCsv(await agingAsOf(ledger, asOf)));
  });
  app.get('/receivables/payments', { config: { roles: READERS } }, async (req, reply) => {
    const q = query(req);
    const p = rangeOf(q, today(), k.lang(req));
    if (!p.ok)
      return k.send(req, reply.code(400), views.payments(k.ctx(req, reply), undefined, { from: q.from ?? '', to: q.to ?? '' }), {
        kind: 'err',
        text: named(k.t(req), p.problems),
      });
    return k.send(req, reply, views.payments(k.ctx(req, reply), await paymentsBetween(ledger, p.value.from, p.value.to), p.value));
  });
  app.get('/receivables/payments.csv', { config: { roles: READERS } }, async (req, reply) => {
    const p = rangeOf(query(req), today(), k.lang(req));
    if (!p.ok) return k.send(req, reply.code(400), views.message(k.t(req), '400', named(k.t(req), p.problems)));
    return csv(reply, `payments-${p.value.from}-${p.value.to}.csv`, paymentsCsv(await paymentsBetween(ledger, p.value.from, p.value.to)));
  });
}
