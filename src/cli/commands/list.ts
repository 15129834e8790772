/**
 * `list`: contracts by status and plan, straight from visibility (the search attributes each contract
 * keeps current), so listing 10,000 contracts queries no workflow. Paged: --page, --page-size.
 */
import { CONTRACT_SORTS, contractListArgs, type ContractList } from '../../backoffice/contract-list';
import { CONTRACT_STATUSES } from '../../domain/types';
import { countArg, validate, type CommandSpec } from '../command';
import { table, yen } from '../format';

export const listCommand: CommandSpec = {
  name: 'list',
  summary: 'List contracts, filtered by status, plan, overdue, attention and deadline month, sorted by any column (from the search attributes; paged).',
  options: {
    status: { type: 'string', value: 'STATUS', help: `${CONTRACT_STATUSES.join(', ')}` },
    plan: { type: 'string', value: 'PLAN', help: 'entry, standard, advanced or premium' },
    overdue: { type: 'boolean', help: 'only contracts with an amount past due (OverdueYen > 0)' },
    attention: { type: 'boolean', help: 'only contracts that need attention (effects waiting or failed, or closed by the server)' },
    'deadline-month': { type: 'string', value: 'YYYY-MM', help: 'the next deadline or a notice deadline falls in the month' },
    sort: { type: 'string', value: 'COLUMN', help: `sort by a column: ${CONTRACT_SORTS.join(', ')}` },
    order: { type: 'string', value: 'asc|desc', help: 'the sort order (default asc)' },
    page: { type: 'string', value: 'N', help: 'which page (default 1)' },
    'page-size': { type: 'string', value: 'N', help: 'contracts per page (default 20)' },
  },
  notes: [
    'The same filter works in the Web UI and the Temporal CLI:',
    '  temporal workflow list --query \'WorkflowType="contract" AND ContractStatus="active" AND Plan="standard"\'',
  ],
  async run(ctx, values) {
    const args = validate(
      contractListArgs,
      {
        status: values.status,
        plan: values.plan,
        overdue: values.overdue || undefined,
        attention: values.attention || undefined,
        deadlineMonth: values['deadline-month'],
        sort: values.sort,
        order: values.order,
        page: values.page === undefined ? undefined : countArg(values.page),
        pageSize: values['page-size'] === undefined ? undefined : countArg(values['page-size']),
      },
      {
        status: '--status',
        plan: '--plan',
        overdue: '--overdue',
        attention: '--attention',
        deadlineMonth: '--deadline-month',
        sort: '--sort',
        order: '--order',
        page: '--page',
        pageSize: '--page-size',
      },
      values,
    );
    const list = await ctx.api().get<ContractList>('/contracts', {
      status: args.status,
      plan: args.plan,
      overdue: args.overdue ? 1 : undefined,
      attention: args.attention ? 1 : undefined,
      deadlineMonth: args.deadlineMonth,
      sort: args.sort,
      order: args.sort ? args.order : undefined,
      page: args.page,
      pageSize: args.pageSize,
    });
    const { query, pages, contracts: rows, total: count } = list;
    ctx.emit(list);
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
