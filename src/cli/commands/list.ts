/**
 * `list`: contracts by status and plan, straight from visibility (the search attributes each contract
 * keeps current), so listing 10,000 contracts queries no workflow. Paged: --page, --page-size.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import { CONTRACT_STATUSES } from '../../domain/types';
import { plan as planSchema } from '../../domain/validation';
import { BilledThroughKey, ContractStatusKey, MinimumTermEndKey, NextDeadlineKey, OverdueYenKey, PlanKey } from '../../backoffice/contract-workflows';
import { countArg, validate, type CommandSpec } from '../command';
import { jstDay, table, yen } from '../format';

const listArgs = z.object({
  status: z.enum(CONTRACT_STATUSES, { error: `expected a status: ${CONTRACT_STATUSES.join(', ')}` }).optional(),
  plan: planSchema.optional(),
  page: z.number({ error: 'expected a page number (1, 2, …)' }).int().min(1, { message: 'pages start at 1' }).default(1),
  pageSize: z.number({ error: 'expected a page size (1–1000)' }).int().min(1, { message: 'at least 1' }).max(1000, { message: 'at most 1000' }).default(20),
});

/** The visibility query: only validated values reach it, so nothing can be injected. */
export function contractListQuery(filter: { status?: string; plan?: string }): string {
  return ['WorkflowType = "contract"', filter.status && `ContractStatus = "${filter.status}"`, filter.plan && `Plan = "${filter.plan}"`]
    .filter(Boolean)
    .join(' AND ');
}

export interface ContractRow {
  contractId: string;
  status: string | null;
  plan: string | null;
  minimumTermEnd: string | null;
  nextDeadline: string | null;
  overdue: number | null;
  billedThrough: string | null;
  workflow: string;
}

function row(wf: WorkflowExecutionInfo): ContractRow {
  const sa = wf.typedSearchAttributes;
  const day = (d: Date | undefined) => (d ? jstDay(d) : null);
  return {
    contractId: wf.workflowId,
    status: sa.get(ContractStatusKey) ?? null,
    plan: sa.get(PlanKey) ?? null,
    minimumTermEnd: day(sa.get(MinimumTermEndKey)),
    nextDeadline: day(sa.get(NextDeadlineKey)),
    overdue: sa.get(OverdueYenKey) ?? null,
    billedThrough: sa.get(BilledThroughKey) ?? null,
    workflow: wf.status.name.toLowerCase(),
  };
}

export const listCommand: CommandSpec = {
  name: 'list',
  summary: 'List contracts, filtered by status and plan (from the search attributes; paged).',
  options: {
    status: { type: 'string', value: 'STATUS', help: `${CONTRACT_STATUSES.join(', ')}` },
    plan: { type: 'string', value: 'PLAN', help: 'entry, standard, advanced or premium' },
    page: { type: 'string', value: 'N', help: 'which page (default 1)' },
    'page-size': { type: 'string', value: 'N', help: 'contracts per page (default 20)' },
  },
  notes: [
    'The same filter works in the Web UI and the Temporal CLI:',
    '  temporal workflow list --query \'WorkflowType="contract" AND ContractStatus="active" AND Plan="standard"\'',
  ],
  async run(ctx, values) {
    const args = validate(
      listArgs,
      {
        status: values.status,
        plan: values.plan,
        page: values.page === undefined ? undefined : countArg(values.page),
        pageSize: values['page-size'] === undefined ? undefined : countArg(values['page-size']),
      },
      { status: '--status', plan: '--plan', page: '--page', pageSize: '--page-size' },
      values,
    );
    const client: Client = await ctx.client();
    const query = contractListQuery(args);
    const { count } = await client.workflow.count(query);
    const skip = (args.page - 1) * args.pageSize;
    const rows: ContractRow[] = [];
    let seen = 0;
    for await (const wf of client.workflow.list({ query, pageSize: Math.min(1000, skip + args.pageSize) })) {
      if (seen++ < skip) continue;
      rows.push(row(wf));
      if (rows.length >= args.pageSize) break;
    }
    const pages = Math.max(1, Math.ceil(count / args.pageSize));
    ctx.emit({ query, page: args.page, pageSize: args.pageSize, total: count, pages, contracts: rows });
    if (rows.length === 0) {
      ctx.say(`no contracts match ${query}${args.page > 1 ? ` on page ${args.page} (of ${pages})` : ''}`);
      return;
    }
    ctx.say(
      [
        table(rows, [
          { header: 'CONTRACT', value: (r) => r.contractId },
          { header: 'STATUS', value: (r) => r.status ?? '—' },
          { header: 'PLAN', value: (r) => r.plan ?? '—' },
          { header: 'MIN TERM END', value: (r) => r.minimumTermEnd ?? '—' },
          { header: 'NEXT STEP', value: (r) => r.nextDeadline ?? '—' },
          { header: 'BILLED THROUGH', value: (r) => r.billedThrough ?? '—' },
          { header: 'OVERDUE', value: (r) => yen(r.overdue), align: 'right' },
          { header: 'WORKFLOW', value: (r) => r.workflow },
        ]),
        '',
        `page ${args.page} of ${pages} · ${count} contract(s)${args.page < pages ? ` · next: --page ${args.page + 1}` : ''}`,
      ].join('\n'),
    );
  },
};
