/**
 * The dashboard (what needs doing this month: contracts the server closed, pending applications, overdue, suspended, notice deadlines,
 * allowances exceeded, the last billing run) and the contract search, all from visibility queries over
 * the contracts' search attributes; customers by name or e-mail from the ledger.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { latestRun } from '../backoffice/billing-runs';
import { closedContracts } from '../backoffice/closed-contracts';
import {
  AllowanceExceededKey,
  CancellationDeadlineKey,
  ContractStatusKey,
  NextDeadlineKey,
  OverdueYenKey,
  PlanKey,
  RenewalDeclineDeadlineKey,
} from '../backoffice/contract-workflows';
import type { Ledger } from '../backoffice/ledger-records';
import { addMonths, jstDateOf, monthOf, startOfDayJst } from '../domain/calendar';
import { CONTRACT_STATUSES, PLAN_IDS } from '../domain/types';
import { parseWith, schemasIn } from '../domain/validation';
import { bodyOf, type RouteKit } from './route-kit';
import * as views from './views';

export function dashboardRoutes(app: FastifyInstance, k: RouteKit, d: { client: Client; ledger: Ledger }): void {
  const { client, ledger } = d;

  /** At most `limit` contracts of a visibility query; `more` says the list goes on (never cut silently). */
  async function listContracts(query: string, limit = 50): Promise<views.Listed> {
    const out: views.ListedContract[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowType = "contract" AND ${query}`, pageSize: limit + 1 })) {
      if (out.length === limit) return { contracts: out, more: true };
      const sa = wf.typedSearchAttributes;
      out.push({
        contractId: wf.workflowId,
        status: sa.get(ContractStatusKey) ?? null,
        plan: sa.get(PlanKey) ?? null,
        nextDeadline: sa.get(NextDeadlineKey) ?? null,
        overdueYen: sa.get(OverdueYenKey) ?? null,
        renewalDeclineDeadline: sa.get(RenewalDeclineDeadlineKey) ?? null,
        cancellationDeadline: sa.get(CancellationDeadlineKey) ?? null,
        allowanceExceeded: sa.get(AllowanceExceededKey) ?? null,
      });
    }
    return { contracts: out, more: false };
  }
  const tryList = (query: string) => listContracts(query).catch((err: Error) => ({ error: err.message }));

  app.get('/', async (req, reply) => {
    const today = jstDateOf(Date.now());
    const month = monthOf(today);
    const monthStart = `${month}-01`;
    const nextMonthStart = `${addMonths(month, 1)}-01`;
    // Month bounds in Japan time, as instants (NextDeadline is a datetime); the notice deadlines are days.
    const from = new Date(startOfDayJst(monthStart)).toISOString();
    const to = new Date(startOfDayJst(nextMonthStart)).toISOString();
    const inMonth = (key: string) => `${key} >= "${monthStart}" AND ${key} < "${nextMonthStart}"`;
    const [closed, pending, overdue, suspended, renewalDeclines, cancellations, attention, steps, allowances, billing] = await Promise.all([
      // Contracts the server closed come first: nothing else will ever bring them up again.
      closedContracts(client, ledger).catch((err: Error) => ({ error: err.message })),
      tryList('ContractStatus = "pending"'),
      tryList('OverdueYen > 0'),
      tryList('ContractStatus = "suspended"'),
      tryList(inMonth(RenewalDeclineDeadlineKey.name)),
      tryList(inMonth(CancellationDeadlineKey.name)),
      tryList('NeedsAttention = true'),
      tryList(`NextDeadline >= "${from}" AND NextDeadline < "${to}"`),
      // D-19: an excess this month or last (the latest exceeded month; none is ahead of today, D-24).
      tryList(`${AllowanceExceededKey.name} >= "${addMonths(month, -1)}"`),
      latestRun(client).catch((err: Error) => ({ error: err.message })),
    ]);
    return k.send(
      req,
      reply,
      views.dashboard(k.ctx(req, reply), { closed, pending, overdue, suspended, renewalDeclines, cancellations, attention, steps, allowances, month, billing }),
    );
  });

  app.get('/search', async (req, reply) => {
    const q = (req.query ?? {}) as Record<string, string | undefined>;
    const t = k.t(req);
    const c = k.ctx(req, reply);
    if (q.contract !== undefined && q.contract !== '') {
      const id = parseWith(schemasIn(k.lang(req)).contractId, q.contract.trim(), '', k.lang(req));
      if (!id.ok)
        return k.send(req, reply.code(400), views.search(c, {}), { kind: 'err', text: `${t('契約ID', 'contract id')} (contract): ${id.problems.join('; ')}` });
      // Contract ids are kept as registered; one typed in another case opens the contract it names.
      const registered = (await ledger.payers.contractIdAsRegistered(id.value)) ?? id.value;
      return reply.redirect(`/contracts/${encodeURIComponent(registered)}`, 303);
    }
    if (q.by === 'customer' && req.session.customerSearch) {
      const { name, email } = req.session.customerSearch;
      const customers = name ? await ledger.customers.findByName(name) : await ledger.customers.findByEmail(email);
      return k.send(req, reply, views.search(c, { customers, name, email }));
    }
    const status = q.status || undefined;
    const plan = q.plan || undefined;
    if (status === undefined && plan === undefined) return k.send(req, reply, views.search(c, {}));
    if (status !== undefined && !(CONTRACT_STATUSES as readonly string[]).includes(status))
      return k.send(req, reply.code(400), views.search(c, {}), { kind: 'err', text: `status: ${t('次のいずれか', 'one of')} ${CONTRACT_STATUSES.join(', ')}` });
    if (plan !== undefined && !(PLAN_IDS as readonly string[]).includes(plan))
      return k.send(req, reply.code(400), views.search(c, {}), { kind: 'err', text: `plan: ${t('次のいずれか', 'one of')} ${PLAN_IDS.join(', ')}` });
    // Only validated values reach the query: nothing can be injected.
    const query = [status && `ContractStatus = "${status}"`, plan && `Plan = "${plan}"`].filter(Boolean).join(' AND ');
    return k.send(req, reply, views.search(c, { listed: await tryList(query), status, plan }));
  });
  // Name and e-mail are personal data: posted, never in a URL; kept in the session and answered by a redirect
  // to the page that shows them, so the browser's back button never asks to send the form again.
  app.post('/search', async (req, reply) => {
    const b = bodyOf(req);
    const t = k.t(req);
    const c = k.ctx(req, reply);
    const name = (b.name ?? '').trim();
    const email = (b.email ?? '').trim();
    if (!name && !email)
      return k.send(req, reply.code(400), views.search(c, {}), {
        kind: 'err',
        text: t('顧客名 (name) かメールアドレス (email) を入力してください。', 'name or email: give one.'),
      });
    if (name.length > 200 || email.length > 254)
      return k.send(req, reply.code(400), views.search(c, {}), { kind: 'err', text: t('検索語が長すぎます。', 'The search text is too long.') });
    req.session.customerSearch = { name, email };
    return reply.redirect('/search?by=customer', 303);
  });
}
