/**
 * The worker of the tests and benchmarks that place contracts on other days than today: the production
 * worker (src/worker.ts) with the simulator's workflow clock bundled in (src/simulation/workflow-clock.ts).
 * Never run it in production: a start's memo could then move a contract's calendar.
 */
import { runWorker } from '../worker';

console.log('worker: simulated workflow clock (tests and benchmarks only)');
runWorker({ simulatedClock: true }).catch((err) => {
  console.error(`worker: ${(err as Error).message}`);
  process.exit(1);
});
