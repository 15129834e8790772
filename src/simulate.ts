/**
 * `npm run --silent simulate -- FILE`: play a scenario through the real contract workflow on a
 * time-skipping server and print the outcome (JSON) on standard output — nothing else.
 *
 * Exit status: 0 when the scenario ran (refused events are part of the outcome); 2 when the file is not
 * a valid scenario (one line per problem on standard error, naming the field; nothing is run);
 * 1 for any other failure (one line on standard error).
 */
import { readFileSync } from 'node:fs';
import { parseScenarioText } from './simulation/scenario';

const USAGE = 'usage: npm run --silent simulate -- FILE   (a scenario in JSON; see docs/simulator.md)';

function finish(code: number, stdout?: string): void {
  const exit = () => process.exit(code);
  if (stdout !== undefined) process.stdout.write(stdout, exit);
  else exit();
}

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' / ');
}

async function main(argv: string[]): Promise<void> {
  const files = argv.filter((a) => a !== '--');
  if (files.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return finish(2);
  }
  const file = files[0]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : code === 'EACCES' ? 'permission denied' : oneLine(err);
    process.stderr.write(`${file}: cannot read the scenario: ${why}\n`);
    return finish(2);
  }
  const parsed = parseScenarioText(text);
  if (!parsed.ok) {
    process.stderr.write(parsed.problems.map((p) => `${p}\n`).join(''));
    return finish(2);
  }
  try {
    // Loaded only for a valid file: an invalid one is answered without starting anything.
    const { simulate } = require('./simulation/run') as typeof import('./simulation/run');
    const outcome = await simulate(parsed.scenario);
    return finish(0, `${JSON.stringify(outcome, null, 2)}\n`);
  } catch (err) {
    process.stderr.write(`simulate: ${oneLine(err)}\n`);
    return finish(1);
  }
}

void main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`simulate: ${oneLine(err)}\n`);
  process.exit(1);
});
