/**
 * How fast the scenario simulator plays a contract: a three-year contract (Standard, 2 components,
 * cloud 30,000) paid every month on its due day — 37 billing runs and 37 payments through the real
 * workflows and activities on the time-skipping server.
 *
 *   npx tsx bench/simulator.ts [years=3] [rounds=2]
 *
 * Prints the start-up time (server, worker, in-memory ledger, workflow bundle from its cache), then for
 * each round the time to play the scenario and the seconds per simulated contract-year (application day
 * to `until`, 365 days a year). One `npm run simulate` costs start-up + play + close.
 */
import { addMonths, daysBetween, lastDayOf } from '../src/domain/calendar';
import { openSimulationHost } from '../src/simulation/run';
import { parseScenario } from '../src/simulation/scenario';

function scenario(id: string, years: number) {
  const events: Array<Record<string, unknown>> = [{ on: '2026-01-20', type: 'approve', startDate: '2026-02-02' }];
  // 別表2: 20,000 + 2 × 9,000 = 38,000; cloud 30,000; first month + initial fee 50,000: 118,000 + 10% = 129,800; then 74,800.
  for (let i = 0; i < years * 12; i++) events.push({ on: lastDayOf(addMonths('2026-03', i)), type: 'pay', amount: i === 0 ? 129_800 : 74_800 });
  const parsed = parseScenario({
    contract: {
      id,
      customer: { name: '株式会社ベンチ', email: 'bench@example.co.jp' },
      plan: 'standard',
      components: [{ os: 'linux' }, { os: 'windows' }],
      cloudMonthlyFee: 30_000,
    },
    appliedOn: '2026-01-05',
    events,
    until: lastDayOf(addMonths('2026-02', years * 12)),
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.scenario;
}

async function main(): Promise<void> {
  const years = Number(process.argv[2] ?? 3);
  const simulated = (s: ReturnType<typeof scenario>) => daysBetween(s.application.appliedOn, s.until) / 365; // contract-years played
  const rounds = Number(process.argv[3] ?? 2);
  const t0 = performance.now();
  const host = await openSimulationHost();
  const startup = (performance.now() - t0) / 1000;
  console.log(`start-up (server, worker, ledger, bundle): ${startup.toFixed(1)} s`);
  const plays: number[] = [];
  try {
    for (let r = 1; r <= rounds; r++) {
      const t = performance.now();
      const sc = scenario(`C-BENCH-${r}`, years);
      const outcome = await host.run(sc);
      const s = (performance.now() - t) / 1000;
      plays.push(s / simulated(sc));
      if (outcome.invoices.length !== years * 12 || outcome.balance !== 0)
        throw new Error(`unexpected outcome: ${outcome.invoices.length} invoices, balance ${outcome.balance}`);
      console.log(
        `round ${r}: ${simulated(sc).toFixed(2)} contract-years (${sc.application.appliedOn} … ${sc.until}) in ${s.toFixed(1)} s = ${(s / simulated(sc)).toFixed(2)} s per contract-year`,
      );
    }
  } finally {
    const t = performance.now();
    await host.close();
    const close = (performance.now() - t) / 1000;
    console.log(`seconds per simulated contract-year: ${Math.min(...plays).toFixed(2)} (best of ${plays.length} rounds)`);
    console.log(`close: ${close.toFixed(1)} s`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
