/**
 * Runs a scenario through the real system on a Temporal time-skipping test server: the bundled contract
 * and billing-run workflows, the real activities over in-memory stand-ins (PGlite ledger, captured mail,
 * in-memory resources), driven day by day in the order of docs/simulator.md#order-within-a-day:
 *
 *   for each day that matters (every event day, every 1st of a month, `until`):
 *     move the clock to 00:01 JST (a deemed rejection, due at 00:00, has run);
 *     on the 1st, run the real `billingRun` workflow for the previous month on this contract;
 *     move to 00:11 (overdue steps, the contract's end and data deletion, due at 00:10, have run);
 *     then the day's events in file order, as back-office commands (a refusal is recorded, not fatal).
 *
 * The outcome is read from the contract's `state` query at the end of `until`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, type Logger, type WorkflowBundle } from '@temporalio/worker';
import { bundleWorkflows } from '../infra/workflow-bundle';
import { ApplicationFailure } from '@temporalio/common';
import { openInMemoryDependencies, createActivities, type Ledger } from '../activities';
import { createBillingRunActivities } from '../activities/billing-run';
import { addMonths, monthOf } from '../domain/calendar';
import type { IsoDate } from '../domain/types';
import { existingPath, projectRoot, temporalTestServerPath } from '../infra/binaries';
import { ephemeralDataConverter } from '../infra/data-converter';
import { registerSearchAttributes } from '../infra/search-attributes';
import { DUNNING_OFF, loadSettings } from '../settings';
import { billingRun } from '../workflows/billing-run';
import type { ContractView } from '../domain/contract';
import { ContractDriver } from './driver';
import type { Application } from '../domain/validation';
import { commandOf, type Scenario, type ScenarioEvent } from './scenario';
import { SIMULATED_CLOCK_OFFSET_MEMO } from './workflow-clock';
import { outcomeOf, type Outcome } from './outcome';
import { ScenarioBank } from './bank';

export { outcomeOf, type Outcome, type OutcomeInvoice } from './outcome';

/** Only errors reach standard error; the outcome alone goes to standard output. */
function installQuietRuntime(): void {
  const toStderr: Logger = new DefaultLogger('ERROR', ({ level, message, meta }) => {
    process.stderr.write(`[temporal ${level}] ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}\n`);
  });
  try {
    // Core (Rust) logs are forwarded to the logger instead of being printed by core itself.
    Runtime.install({ logger: toStderr, telemetryOptions: { logging: { forward: {}, filter: { core: 'ERROR', other: 'ERROR' } } } });
  } catch {
    // already installed in this process (a test file's helper did it)
  }
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/**
 * The workflow bundle, cached on disk by a hash of every source file and the lockfile: bundling takes
 * seconds, a scenario should not. Any change to the code or the dependencies makes a new bundle.
 */
export async function cachedWorkflowBundle(): Promise<WorkflowBundle> {
  const hash = createHash('sha256');
  for (const f of [...sourceFiles(join(projectRoot, 'src')), join(projectRoot, 'package-lock.json')]) {
    hash.update(f.slice(projectRoot.length)).update('\0');
    try {
      hash.update(readFileSync(f));
    } catch {
      hash.update('(missing)');
    }
  }
  const dir = join(projectRoot, 'node_modules', '.cache', 'neutrix-simulator');
  const file = join(dir, `workflows-${hash.digest('hex').slice(0, 32)}.js`);
  try {
    return { code: readFileSync(file, 'utf8') };
  } catch {
    // not cached yet
  }
  const { code } = await bundleWorkflows(join(projectRoot, 'src', 'workflows', 'index.ts'), new DefaultLogger('ERROR', () => {}), { simulatedClock: true });
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
    // Keep only the bundle of the current code (a few MB each).
    for (const old of readdirSync(dir))
      if (old.startsWith('workflows-') && join(dir, old) !== file && !old.endsWith('.tmp')) rmSync(join(dir, old), { force: true });
  } catch {
    // a read-only tree: bundle again next time
  }
  return { code };
}

/** A time-skipping server with a worker (real workflows and activities) that scenarios run on, one at a time. */
export interface SimulationHost {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  /** The in-memory ledger, mail capture and resources the activities wrote to (for tests to inspect). */
  deps: Awaited<ReturnType<typeof openInMemoryDependencies>>;
  run(scenario: Scenario): Promise<Outcome>;
  close(): Promise<void>;
}

export async function openSimulationHost(): Promise<SimulationHost> {
  installQuietRuntime();
  // Encrypted like everywhere else, with a key of its own held in memory: the server goes with the process.
  const dataConverter = ephemeralDataConverter();
  const envP = TestWorkflowEnvironment.createTimeSkipping({ server: { executable: existingPath(temporalTestServerPath()) }, client: { dataConverter } });
  // The simulator's own defaults, whatever the shell has set; the dunning ladder off (D-31): the outcome lists
  // only the notices of the terms (docs/simulator.md).
  const depsP = openInMemoryDependencies(loadSettings({ ...DUNNING_OFF }));
  const bundleP = cachedWorkflowBundle();
  const [env, deps, workflowBundle] = await Promise.all([envP, depsP, bundleP]).catch(async (err) => {
    await Promise.allSettled([envP.then((e) => e.teardown()), depsP.then((d) => d.close())]);
    throw err;
  });
  try {
    await registerSearchAttributes(env.connection, 'default');
    const taskQueue = `simulation-${process.pid}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowBundle,
      activities: { ...createActivities(deps), ...createBillingRunActivities(env.client) },
      dataConverter,
    });
    let workerError: unknown;
    const running = worker.run().catch((err) => {
      workerError = err;
    });
    // Not the time-skipping client: awaiting a result through that one unlocks time skipping, and the
    // server could jump to the contract's next timer before the lock is taken back.
    const client = new Client({ connection: env.connection, namespace: 'default', dataConverter });
    const used = new Set<string>();
    let runs = 0;

    return {
      env,
      taskQueue,
      deps,
      async run(scenario) {
        const id = scenario.application.contractId;
        if (used.has(id)) throw new Error(`contract ${id} was already simulated on this server; use another id`);
        used.add(id);
        if (workerError) throw workerError;
        const failed = running.then(() => {
          throw workerError ?? new Error('the worker stopped');
        });
        return Promise.race([play({ env, client, taskQueue, ledger: deps.ledger, scenario, run: ++runs }), failed]);
      },
      async close() {
        worker.shutdown();
        await running;
        await Promise.allSettled([env.teardown(), deps.close()]);
      },
    };
  } catch (err) {
    await Promise.allSettled([env.teardown(), deps.close()]);
    throw err;
  }
}

/** Every day on which something happens: the application day, event days, every 1st of a month, `until`. */
export function daysThatMatter(scenario: Scenario): IsoDate[] {
  const { appliedOn } = scenario.application;
  const days = new Set<IsoDate>([appliedOn, scenario.until, ...scenario.events.map((e) => e.on)]);
  for (let m = addMonths(monthOf(appliedOn), 1); `${m}-01` <= scenario.until; m = addMonths(m, 1)) days.add(`${m}-01`);
  return [...days].sort();
}

const BILLABLE: ReadonlyArray<ContractView['status']> = ['approved', 'active', 'suspended', 'ended'];

async function play(args: {
  env: TestWorkflowEnvironment;
  client: Client;
  taskQueue: string;
  ledger: Ledger;
  scenario: Scenario;
  run: number;
}): Promise<Outcome> {
  const { env, client, taskQueue, ledger, scenario } = args;
  const { customer, ...form } = scenario.application;
  // As the back office does: who the customer is goes to the ledger, the contract gets the id.
  const { customerId } = await ledger.customers.register({ contractId: form.contractId, contact: customer });
  const application: Application = { ...form, customerId };
  const driver = await ContractDriver.start(env, { taskQueue, application, workflowId: application.contractId });
  const refused: Outcome['refused'] = [];
  const bank = new ScenarioBank(application.contractId, scenario.payer);
  try {
    for (const day of daysThatMatter(scenario)) {
      const view = await driver.advanceTo(day, 0, 1); // deemed rejections (00:00) have run
      if (day.endsWith('-01') && BILLABLE.includes(view.status) && !(await driver.closed())) {
        // D-11: the monthly run on the 1st closes the previous month — the real workflow, this contract only.
        const period = addMonths(monthOf(day), -1);
        const progress = await client.workflow.execute(billingRun, {
          taskQueue,
          workflowId: `billing-run-${period}-${application.contractId}-${args.run}`,
          args: [{ period, contractIds: [application.contractId] }],
          memo: { [SIMULATED_CLOCK_OFFSET_MEMO]: driver.offsetMs },
        });
        if (progress.failed.length > 0) throw new Error(`billing run ${period} failed: ${progress.failed.map((f) => f.reason).join('; ')}`);
        await driver.settle();
      }
      await driver.advanceTo(day, 0, 11); // then overdue steps, the end and data deletion (00:10)
      for (const [index, event] of scenario.events.entries()) {
        if (event.on !== day) continue;
        const answer =
          event.type === 'bankStatement'
            ? await bank.import(driver, ledger, event)
            : event.type === 'changeContact'
              ? await changeContact(ledger, driver, `event-${index}`, event)
              : await driver.send(commandOf(event).name, { requestId: `event-${index}`, ...commandOf(event).input });
        if (!answer.ok) refused.push({ on: day, type: event.type, message: answer.message });
      }
    }
    const view = await driver.state();
    if (view.failedEffects.length > 0)
      throw new Error(
        `the contract could not carry out ${view.failedEffects.length} effect(s): ${view.failedEffects.map((f) => `${f.effect.type} on ${f.on} (${f.reason})`).join('; ')}`,
      );
    return outcomeOf(view, refused, bank.lines);
  } finally {
    // Stop its timers so they do not run during the next scenario on this server.
    if (!(await driver.closed().catch(() => true))) await driver.handle.terminate('simulation over').catch(() => undefined);
  }
}

/** Art. 12-3 as the CLI does it: the ledger takes the new details (or refuses), then the contract hears of the revision. */
async function changeContact(ledger: Ledger, driver: ContractDriver, requestId: string, event: Extract<ScenarioEvent, { type: 'changeContact' }>) {
  const { on: _on, type: _type, ...change } = event;
  try {
    const { revision } = await ledger.customers.changeContact({ requestId, contractId: driver.handle.workflowId, change });
    return driver.send('changeContact', { requestId, contactRevision: revision });
  } catch (err) {
    if (err instanceof ApplicationFailure && err.nonRetryable) return { ok: false as const, message: err.message };
    throw err;
  }
}

/** Open a server, run one scenario, close everything. */
export async function simulate(scenario: Scenario): Promise<Outcome> {
  const host = await openSimulationHost();
  try {
    return await host.run(scenario);
  } finally {
    await host.close();
  }
}
