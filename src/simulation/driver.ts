/**
 * Plays the back office and the calendar against the real contract workflow on a time-skipping server:
 * moves the server's clock to a day, waits until the contract has carried out that day's automatic steps,
 * then sends commands as updates. Used by the scenario simulator and the workflow tests.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDays, startOfDayJst } from '../domain/calendar';
import type { IsoDate } from '../domain/types';
import type { Application, CommandInput, CommandName } from '../domain/validation';
import { commandUpdate, stateQuery } from '../workflows/contract/messages';
import type { CommandResult, ContractView } from '../domain/contract';
import type { UpdateDefinition } from '@temporalio/common';
import { contract } from '../workflows/contract/workflow';
import { SIMULATED_CLOCK_OFFSET_MEMO } from './workflow-clock';
import { SYSTEM_ACTORS, type Actor } from '../domain/actor';

const HOUR = 3_600_000;

export type CommandOutcome = { ok: true; result: CommandResult } | { ok: false; message: string };

export class ContractDriver {
  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly handle: WorkflowHandle<typeof contract>,
    /** Workflow clock = server clock + offset. */
    readonly offsetMs: number,
  ) {}

  /** Start a contract whose calendar begins at 09:00 JST on the application day. */
  static async start(env: TestWorkflowEnvironment, args: { taskQueue: string; application: Application; workflowId?: string; memo?: Record<string, unknown> }) {
    const serverNow = await env.currentTimeMs();
    const offsetMs = startOfDayJst(args.application.appliedOn) + 9 * HOUR - serverNow;
    const handle = await env.client.workflow.start(contract, {
      taskQueue: args.taskQueue,
      workflowId: args.workflowId ?? args.application.contractId,
      args: [{ application: args.application }],
      // Read only by the simulator's workflow clock, which its worker bundles (src/simulation/workflow-clock.ts).
      memo: { ...args.memo, [SIMULATED_CLOCK_OFFSET_MEMO]: offsetMs },
      staticSummary: `contract ${args.application.contractId} (simulation)`,
    });
    const driver = new ContractDriver(env, handle, offsetMs);
    await driver.settle();
    return driver;
  }

  get client(): Client {
    return this.env.client;
  }

  async now(): Promise<number> {
    return (await this.env.currentTimeMs()) + this.offsetMs;
  }

  /** Move the clock forward to `hour`:`minute` JST on `day` and let the contract catch up. */
  async advanceTo(day: IsoDate, hour = 0, minute = 1): Promise<ContractView> {
    const target = startOfDayJst(day) + hour * HOUR + minute * 60_000;
    const delta = target - (await this.now());
    if (delta > 0) await this.env.sleep(delta);
    return this.settle();
  }

  /** Wait until no effect is pending and no automatic step already due (by the workflow clock) is left. */
  async settle(timeoutMs = 60_000): Promise<ContractView> {
    const until = Date.now() + timeoutMs;
    const now = await this.now();
    for (;;) {
      const view = await this.state();
      const due = view.nextDeadlines.some((d) => Date.parse(d.dueAt) <= now);
      if ((view.pendingEffects === 0 && !due) || (await this.closed())) return view;
      if (Date.now() > until) throw new Error(`contract did not settle: ${JSON.stringify(view.nextDeadlines)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async closed(): Promise<boolean> {
    const d = await this.handle.describe();
    return d.status.name !== 'RUNNING';
  }

  async state(): Promise<ContractView> {
    return this.handle.query(stateQuery);
  }

  /** Send a command as an update (as the system, unless another actor is given); a refusal comes back as `{ ok: false, message }`. */
  async command<N extends CommandName>(name: N, input: Omit<CommandInput<N>, 'actor'> & { actor?: Actor }): Promise<CommandOutcome> {
    return this.send(name, input as { requestId: string } & Record<string, unknown>);
  }

  /**
   * Send a command whose input has not been typed by the compiler (a scenario file's event): the workflow
   * parses it like any client's, so a malformed one comes back refused with the field and the reason.
   */
  async send(name: CommandName, input: { requestId: string } & Record<string, unknown>): Promise<CommandOutcome> {
    const update: UpdateDefinition<CommandResult, [unknown], string> = commandUpdate(name);
    try {
      // The simulator plays the back office as the system: the terms' outcomes, not who may ask (no four eyes).
      const result = await this.handle.executeUpdate(update, { args: [{ actor: SYSTEM_ACTORS.simulator, ...input }], updateId: input.requestId });
      await this.settle();
      return { ok: true, result };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) return { ok: false, message: err.cause?.message ?? err.message };
      if (await this.closed()) return { ok: false, message: `${name} refused: the contract is closed (${(await this.state()).status})` };
      throw err;
    }
  }

  /** Days from `from` to `to` inclusive. */
  static *days(from: IsoDate, to: IsoDate): Generator<IsoDate> {
    for (let d = from; d <= to; d = addDays(d, 1)) yield d;
  }
}
