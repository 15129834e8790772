/**
 * The console's working pages by concern — dashboard, contracts and their commands, payments, four eyes,
 * applications, accounting, bank statements, receivables, tables, customers — registered in one place,
 * with the one command path (contract-commands.ts) they share.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { OnApprovalAsked } from '../backoffice/approval-mail';
import type { LedgerAccess } from '../backoffice/ledger-client';
import type { Ledger } from '../backoffice/ledger-records';
import type { Settings } from '../settings';
import { accountingRoutes } from './accounting-routes';
import { actionRoutes } from './action-routes';
import { applicationRoutes } from './application-routes';
import { bankRoutes } from './bank-routes';
import { confirmRoutes } from './confirm-routes';
import { contractCommands } from './contract-commands';
import { contractRoutes } from './contract-routes';
import { customerRoutes } from './customer-routes';
import { dashboardRoutes } from './dashboard-routes';
import { fourEyesRoutes } from './four-eyes-routes';
import { paymentRoutes } from './payment-routes';
import { receivablesRoutes } from './receivables-routes';
import type { RouteKit } from './route-kit';
import { tablesRoutes } from './tables-routes';

export async function backOfficeRoutes(
  app: FastifyInstance,
  kit: RouteKit,
  d: { client: Client; ledger: Ledger; ledgerAccess: LedgerAccess; settings: Settings; onApprovalAsked: OnApprovalAsked | undefined },
): Promise<void> {
  const { client, ledger, ledgerAccess, settings, onApprovalAsked } = d;
  const audit = ledgerAccess.audit;
  const commands = contractCommands(kit, {
    client,
    audit,
    onApprovalAsked,
    sentUnder: (command, ids) => ledger.audit.ofRequests(command, ids),
    personName: async (id) => (await ledger.people.get(id))?.displayName,
  });
  dashboardRoutes(app, kit, { client, ledger });
  contractRoutes(app, kit, { client, ledger, ledgerAccess, commands });
  paymentRoutes(app, kit, { client, commands });
  fourEyesRoutes(app, kit, { commands });
  actionRoutes(app, kit, { commands });
  confirmRoutes(app, kit, { client, commands });
  applicationRoutes(app, kit, { client, ledgerAccess, taskQueue: settings.TASK_QUEUE });
  accountingRoutes(app, kit, { ledger });
  await bankRoutes(app, kit, { client, ledger, audit, onApprovalAsked });
  receivablesRoutes(app, kit, { ledger });
  tablesRoutes(app, kit, { client, ledger });
  customerRoutes(app, kit, { ledger, audit, virtualAccountRange: settings.VIRTUAL_ACCOUNT_RANGE });
}
