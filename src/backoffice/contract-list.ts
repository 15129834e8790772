/**
 * Contracts by status and plan, straight from visibility (the search attributes each contract keeps
 * current), so listing 10,000 contracts queries no workflow. Paged. Only validated values reach the
 * query, so nothing can be injected into it.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import { jstDateOf } from '../domain/calendar';
import { CONTRACT_STATUSES } from '../domain/types';
import { parseWith, plan as planSchema } from '../domain/validation';
import { InvalidCommand } from './commands/contract-command';
import { BilledThroughKey, ContractStatusKey, MinimumTermEndKey, NextDeadlineKey, OverdueYenKey, PlanKey } from './contract-workflows';

export const contractListArgs = z.object({
  status: z.enum(CONTRACT_STATUSES, { error: `expected a status: ${CONTRACT_STATUSES.join(', ')}` }).optional(),
  plan: planSchema.optional(),
  page: z.number({ error: 'expected a page number (1, 2, …)' }).int().min(1, { message: 'pages start at 1' }).default(1),
  pageSize: z.number({ error: 'expected a page size (1–1000)' }).int().min(1, { message: 'at least 1' }).max(1000, { message: 'at most 1000' }).default(20),
});

export const CONTRACT_LIST_QUERY = 'WorkflowType = "contract" AND ContractStatus = … AND Plan = …';

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

export interface ContractList {
  query: string;
  page: number;
  pageSize: number;
  total: number;
  pages: number;
  contracts: ContractRow[];
}

function row(wf: WorkflowExecutionInfo): ContractRow {
  const sa = wf.typedSearchAttributes;
  const day = (d: Date | undefined) => (d ? jstDateOf(d.getTime()) : null);
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

export async function listContracts(client: Client, raw: unknown): Promise<ContractList> {
  const parsed = parseWith(contractListArgs, raw);
  if (!parsed.ok) throw new InvalidCommand(parsed.problems);
  const args = parsed.value;
  const query = contractListQuery(args);
  const { count } = await client.workflow.count(query);
  const skip = (args.page - 1) * args.pageSize;
  const contracts: ContractRow[] = [];
  let seen = 0;
  for await (const wf of client.workflow.list({ query, pageSize: Math.min(1000, skip + args.pageSize) })) {
    if (seen++ < skip) continue;
    contracts.push(row(wf));
    if (contracts.length >= args.pageSize) break;
  }
  return { query, page: args.page, pageSize: args.pageSize, total: count, pages: Math.max(1, Math.ceil(count / args.pageSize)), contracts };
}
