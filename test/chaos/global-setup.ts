/**
 * `npm run chaos`: collects the figure each fault suite reports (runs, faults injected, duplicates found,
 * data lost) and prints them as one table, with a summary line, when all files are done.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultFigure } from '../faults/support';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'neutrix-chaos-summary-'));
  const file = join(dir, 'figures.jsonl');
  // Forked test processes inherit the environment: each suite appends its line here.
  process.env.CHAOS_SUMMARY_FILE = file;
  return () => {
    const figures: FaultFigure[] = existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as FaultFigure)
      : [];
    rmSync(dir, { recursive: true, force: true });
    const rows = figures.map((f) => `| ${f.suite} | ${f.runs} | ${f.faults} | ${f.duplicates} | ${f.lost} | ${f.note ?? ''} |`);
    const total = figures.reduce(
      (a, f) => ({ runs: a.runs + f.runs, faults: a.faults + f.faults, duplicates: a.duplicates + f.duplicates, lost: a.lost + f.lost }),
      { runs: 0, faults: 0, duplicates: 0, lost: 0 },
    );
    console.log(
      [
        '',
        '## Fault tests',
        '',
        '| suite | runs | faults injected | duplicates found | data lost | notes |',
        '|---|---:|---:|---:|---:|---|',
        ...rows,
        '',
        `CHAOS SUMMARY: ${figures.length} suites, runs ${total.runs}, faults injected ${total.faults}, duplicates found ${total.duplicates}, data lost ${total.lost}`,
      ].join('\n'),
    );
  };
}
