/**
 * The worked scenarios of test/scenarios/: NAME.json (the scenario) beside NAME.expected.json (the outcome,
 * computed by hand from the terms and docs/decisions.md; the arithmetic is in NAME.md). A refusal's expected `message` is a
 * fragment the clerk must see in the refusal (the rest of the wording is free).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/infra/binaries';
import type { Outcome } from '../../src/simulation/run';
import { parseScenarioText, type Scenario } from '../../src/simulation/scenario';

export const SCENARIOS_DIR = join(projectRoot, 'test', 'scenarios');

export function scenarioNames(): string[] {
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function loadScenario(name: string): { scenario: Scenario; expected: Outcome } {
  const parsed = parseScenarioText(readFileSync(join(SCENARIOS_DIR, `${name}.json`), 'utf8'));
  if (!parsed.ok) throw new Error(`${name}.json is not a valid scenario:\n${parsed.problems.join('\n')}`);
  const expectedFile = join(SCENARIOS_DIR, `${name}.expected.json`);
  if (!existsSync(expectedFile)) throw new Error(`${name}.expected.json is missing`);
  return { scenario: parsed.scenario, expected: JSON.parse(readFileSync(expectedFile, 'utf8')) as Outcome };
}

/**
 * The outcome as it is compared with the expectation: a refusal's message is replaced by the expected
 * fragment when it contains it, so `expect(comparable(actual, expected)).toEqual(expected)` shows a full diff.
 */
export function comparable(actual: Outcome, expected: Outcome): Outcome {
  return {
    ...actual,
    refused: actual.refused.map((r, i) => {
      const fragment = expected.refused[i]?.message;
      return fragment !== undefined && r.message.includes(fragment) ? { ...r, message: fragment } : r;
    }),
  };
}
