// The four-eyes threshold a contract starts with: whole yen, 0 or more; absent, the default (運用 (four eyes)).
import { expect, it } from 'vitest';
import { fourEyesThresholdProblem } from '../../../src/domain/contract';

it.each([undefined, 0, 100_000, Number.MAX_SAFE_INTEGER])('%s is accepted', (v) => {
  expect(fourEyesThresholdProblem(v)).toBeNull();
});

it.each([-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '100000', null])('%s is refused, naming the field', (v) => {
  expect(fourEyesThresholdProblem(v)).toBe('fourEyesThresholdYen: expected whole yen, 0 or more');
});
