/**
 * Contracts straight from visibility (the search attributes each contract keeps current), so listing
 * 10,000 contracts queries no workflow: by status, plan, overdue, needs attention and deadline month;
 * sorted by any column; paged. Only validated values reach the query, so nothing can be injected into it.
 * SQL visibility has no ORDER BY: a sorted list reads every match (at most MAX_SORTED) and sorts here.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import { ABNORMAL_STATUSES } from '../infra/closed-runs';
import { addMonths, jstDateOf, startOfDayJst } from '../domain/calendar';
import { CONTRACT_STATUSES } from '../domain/types';
import { parseWith, plan as planSchema, yearMonth } from '../domain/validation';
import { InvalidCommand } from './commands/contract-command';
import {
  BilledThroughKey,
  CancellationDeadlineKey,
  ContractStatusKey,
  MinimumTermEndKey,
  NeedsAttentionKey,
  NextDeadlineKey,
  OverdueYenKey,
  PlanKey,
  RenewalDeclineDeadlineKey,
} from './contract-workflows';

/** The columns a list sorts by (each a field of ContractRow). */
export const CONTRACT_SORTS = [
  'contractId',
  'status',
  'plan',
  'minimumTermEnd',
  'nextDeadline',
  'renewalDeclineDeadline',
  'cancellationDeadline',
  'overdue',
  'billedThrough',
  'needsAttention',
  'workflow',
] as const;
export type ContractSort = (typeof CONTRACT_SORTS)[number];
/** The most a sorted list reads; past it the list says so (`truncated`). */
export const MAX_SORTED = 10_000;

const flag = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'on'])], { error: 'expected 1 or 0 (true or false)' })
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'on');

export const contractListArgs = z.object({
  status: z.enum(CONTRACT_STATUSES, { error: `expected a status: ${CONTRACT_STATUSES.join(', ')}` }).optional(),
  plan: planSchema.optional(),
  /** OverdueYen > 0. */
  overdue: flag.optional(),
  /** NeedsAttention, or closed by the server (as the dashboard's first lists). */
  attention: flag.optional(),
  /** A month in which NextDeadline, RenewalDeclineDeadline or CancellationDeadline falls (Japan time). */
  deadlineMonth: yearMonth.optional(),
  sort: z.enum(CONTRACT_SORTS, { error: `expected a column: ${CONTRACT_SORTS.join(', ')}` }).optional(),
  order: z.enum(['asc', 'desc'], { error: 'expected asc or desc' }).default('asc'),
  page: z.number({ error: 'expected a page number (1, 2, …)' }).int().min(1, { message: 'pages start at 1' }).default(1),
  pageSize: z.number({ error: 'expected a page size (1–1000)' }).int().min(1, { message: 'at least 1' }).max(1000, { message: 'at most 1000' }).default(20),
});
export type ContractListArgs = z.infer<typeof contractListArgs>;
export type ContractFilter = Pick<ContractListArgs, 'status' | 'plan' | 'overdue' | 'attention' | 'deadlineMonth'>;

/** The fields of a URL's query as given (strings): numbers made numbers, empty ones left out; the rest checked by the schema. */
export function contractListArgsOf(q: Record<string, unknown>): ReturnType<typeof parseWith<typeof contractListArgs>> {
  const given = Object.fromEntries(
    Object.keys(contractListArgs.shape)
      .map((k) => [k, typeof q[k] === 'string' ? (q[k] as string).trim() : q[k]] as const)
      .filter(([, v]) => v !== undefined && v !== ''),
  );
  for (const k of ['page', 'pageSize'] as const) if (typeof given[k] === 'string' && /^\d{1,9}$/.test(given[k])) given[k] = Number(given[k]);
  return parseWith(contractListArgs, given);
}

/** Closed by the server, not by the contract's own end (src/infra/closed-runs.ts). */
const ABNORMAL_CLOSES = '"Terminated", "Failed", "TimedOut"';

export const CONTRACT_LIST_QUERY =
  'WorkflowType = "contract" AND ContractStatus = … AND Plan = … AND OverdueYen > 0 AND NeedsAttention = true AND (NextDeadline … in the month)';

export function contractListQuery(f: ContractFilter): string {
  const parts = ['WorkflowType = "contract"', 'ExecutionStatus != "ContinuedAsNew"'];
  if (f.status) parts.push(`ContractStatus = "${f.status}"`);
  if (f.plan) parts.push(`Plan = "${f.plan}"`);
  if (f.overdue) parts.push('OverdueYen > 0');
  if (f.attention) parts.push(`(NeedsAttention = true OR ExecutionStatus IN (${ABNORMAL_CLOSES}))`);
  if (f.deadlineMonth) {
    const next = addMonths(f.deadlineMonth, 1);
    // NextDeadline is an instant: the month's bounds in Japan time; the notice deadlines are days (keywords).
    const from = new Date(startOfDayJst(`${f.deadlineMonth}-01`)).toISOString();
    const to = new Date(startOfDayJst(`${next}-01`)).toISOString();
    const day = (key: string) => `(${key} >= "${f.deadlineMonth}-01" AND ${key} < "${next}-01")`;
    parts.push(`((NextDeadline >= "${from}" AND NextDeadline < "${to}") OR ${day('RenewalDeclineDeadline')} OR ${day('CancellationDeadline')})`);
  }
  return parts.join(' AND ');
}

export interface ContractRow {
  contractId: string;
  status: string | null;
  plan: string | null;
  minimumTermEnd: string | null;
  nextDeadline: string | null;
  renewalDeclineDeadline: string | null;
  cancellationDeadline: string | null;
  overdue: number | null;
  billedThrough: string | null;
  needsAttention: boolean;
  workflow: string;
}

export interface ContractList {
  query: string;
  page: number;
  pageSize: number;
  total: number;
  pages: number;
  sort: ContractSort | null;
  order: 'asc' | 'desc';
  /** More matched than a sorted list reads (MAX_SORTED): the sort covers the first read. */
  truncated: boolean;
  contracts: ContractRow[];
}

function row(wf: WorkflowExecutionInfo): ContractRow {
  const sa = wf.typedSearchAttributes;
  const day = (d: Date | undefined) => (d ? jstDateOf(d.getTime()) : null);
  const workflow = wf.status.name.toLowerCase();
  return {
    contractId: wf.workflowId,
    status: sa.get(ContractStatusKey) ?? null,
    plan: sa.get(PlanKey) ?? null,
    minimumTermEnd: day(sa.get(MinimumTermEndKey)),
    nextDeadline: day(sa.get(NextDeadlineKey)),
    renewalDeclineDeadline: sa.get(RenewalDeclineDeadlineKey) ?? null,
    cancellationDeadline: sa.get(CancellationDeadlineKey) ?? null,
    overdue: sa.get(OverdueYenKey) ?? null,
    billedThrough: sa.get(BilledThroughKey) ?? null,
    needsAttention: sa.get(NeedsAttentionKey) === true || (ABNORMAL_STATUSES as readonly string[]).includes(wf.status.name),
    workflow,
  };
}

/** Compares by `sort`, empty values last whichever the order, then by contract id (a stable order for paging). */
export function compareRows(sort: ContractSort, order: 'asc' | 'desc'): (a: ContractRow, b: ContractRow) => number {
  const sign = order === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = a[sort];
    const y = b[sort];
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
      if (c !== 0) return sign * c;
    }
    return a.contractId < b.contractId ? -1 : a.contractId > b.contractId ? 1 : 0;
  };
}

async function read(client: Client, query: string, limit: number, skip = 0): Promise<ContractRow[]> {
  const out: ContractRow[] = [];
  let seen = 0;
  for await (const wf of client.workflow.list({ query, pageSize: Math.min(1000, skip + limit) })) {
    if (seen++ < skip) continue;
    out.push(row(wf));
    if (out.length >= limit) break;
  }
  return out;
}

function parsed(raw: unknown): ContractListArgs {
  const p = parseWith(contractListArgs, raw);
  if (!p.ok) throw new InvalidCommand(p.problems);
  return p.value;
}

/** One page. Unsorted: visibility's own order, only the page read; sorted: every match read, then sorted. */
export async function listContracts(client: Client, raw: unknown): Promise<ContractList> {
  const args = parsed(raw);
  const query = contractListQuery(args);
  const { count } = await client.workflow.count(query);
  const skip = (args.page - 1) * args.pageSize;
  let contracts: ContractRow[];
  let truncated = false;
  if (args.sort) {
    const all = await read(client, query, MAX_SORTED);
    truncated = count > all.length && all.length === MAX_SORTED;
    contracts = all.sort(compareRows(args.sort, args.order)).slice(skip, skip + args.pageSize);
  } else contracts = await read(client, query, args.pageSize, skip);
  const pages = Math.max(1, Math.ceil(count / args.pageSize));
  return { query, page: args.page, pageSize: args.pageSize, total: count, pages, sort: args.sort ?? null, order: args.order, truncated, contracts };
}

/** Every match (at most MAX_SORTED), in the list's order: the CSV. */
export async function allContracts(client: Client, raw: unknown): Promise<{ query: string; contracts: ContractRow[]; truncated: boolean }> {
  const args = parsed(raw);
  const query = contractListQuery(args);
  const all = await read(client, query, MAX_SORTED + 1);
  const truncated = all.length > MAX_SORTED;
  const rows = all.slice(0, MAX_SORTED);
  return { query, contracts: args.sort ? rows.sort(compareRows(args.sort, args.order)) : rows, truncated };
}
