/**
 * The back office's tables (issue 30): 契約一覧 `/contracts` (filtered, sorted, paged) and its CSV, the
 * signed-in person's work queue `/work`, and the calendar of what is ahead `/calendar`. Every role reads.
 * A bad filter answers 400 naming the field, never 500; only validated values reach a visibility query.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allContracts, contractListArgsOf, listContracts } from '../backoffice/contract-list';
import { contractsCsv } from '../backoffice/contracts-csv';
import { CALENDAR_MONTHS, deadlineCalendar } from '../backoffice/deadline-calendar';
import type { Ledger } from '../backoffice/ledger-records';
import { workQueue } from '../backoffice/work-queue';
import { jstDateOf } from '../domain/calendar';
import type { T } from './html';
import { calendar } from './pages/calendar';
import { CONTRACT_FIELD_LABELS, CONTRACTS_PAGE_SIZE, contractsTable, filtersOf } from './pages/contracts-table';
import { work } from './pages/work';
import { READERS, type RouteKit } from './route-kit';
import * as views from './views';

type Query = Record<string, string | undefined>;

/** `sort: expected a column` → `並べ替え (sort): expected a column`: the field as the page names it, and as the URL does. */
function named(t: T, problems: string[], labels: Record<string, [string, string]>): string {
  return problems
    .map((p) => {
      const m = /^(\w+): (.*)$/s.exec(p);
      const label = m ? labels[m[1]!] : undefined;
      return m && label ? `${t(label[0], label[1])} (${m[1]}): ${m[2]}` : p;
    })
    .join('; ');
}

export function tablesRoutes(app: FastifyInstance, k: RouteKit, d: { client: Client; ledger: Ledger }): void {
  const read = { config: { roles: READERS } };
  const query = (req: FastifyRequest) => (req.query ?? {}) as Query;
  const today = () => jstDateOf(Date.now());
  const argsOf = (req: FastifyRequest) => {
    const q = query(req);
    return contractListArgsOf({ ...q, pageSize: q.pageSize ?? String(CONTRACTS_PAGE_SIZE) });
  };

  app.get('/contracts', read, async (req, reply) => {
    const p = argsOf(req);
    const t = k.t(req);
    if (!p.ok)
      return k.send(req, reply.code(400), contractsTable(k.ctx(req, reply), undefined, query(req)), {
        kind: 'err',
        text: `${t('条件が正しくありません', 'Invalid filter')} — ${named(t, p.problems, CONTRACT_FIELD_LABELS)}`,
      });
    return k.send(req, reply, contractsTable(k.ctx(req, reply), await listContracts(d.client, p.value), filtersOf(p.value)));
  });
  app.get('/contracts.csv', read, async (req, reply) => {
    const p = argsOf(req);
    const t = k.t(req);
    if (!p.ok) return k.send(req, reply.code(400), views.message(t, '400', named(t, p.problems, CONTRACT_FIELD_LABELS)));
    const { contracts } = await allContracts(d.client, p.value);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="contracts-${today()}.csv"`).send(contractsCsv(contracts));
  });

  app.get('/work', read, async (req, reply) => k.send(req, reply, work(k.ctx(req, reply), await workQueue(d, req.person!, today()))));

  app.get('/calendar', read, async (req, reply) => {
    const raw = (query(req).months ?? '').trim();
    const months = raw === '' ? CALENDAR_MONTHS.default : /^\d{1,2}$/.test(raw) ? Number(raw) : Number.NaN;
    const t = k.t(req);
    if (!(months >= 1 && months <= CALENDAR_MONTHS.max))
      return k.send(
        req,
        reply.code(400),
        views.message(
          t,
          '400',
          `${t('表示する月数', 'months')} (months): ${t(`1〜${CALENDAR_MONTHS.max} の整数を指定してください`, `expected a whole number from 1 to ${CALENDAR_MONTHS.max}`)}`,
        ),
      );
    return k.send(req, reply, calendar(k.ctx(req, reply), await deadlineCalendar(d, today(), months)));
  });
}
