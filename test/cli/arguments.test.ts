/** The CLI's flag parsing: negative amounts are values, not flags (a credit is `charge --amount -500`). */
import { describe, expect, it } from 'vitest';
import { parseCommandArgs, UsageError, yenArg } from '../../src/cli/command';
import { contractCommands } from '../../src/cli/commands/contract';

const spec = (name: string) => contractCommands.find((c) => c.name === name)!;

describe('negative values after a flag', () => {
  it('reads `--amount -500` as the amount −500 (a credit), as `--amount=-500` would', () => {
    const spaced = parseCommandArgs(spec('charge'), ['C-1', '--amount', '-500', '--description', 'goodwill credit', '--non-taxable']);
    const joined = parseCommandArgs(spec('charge'), ['C-1', '--amount=-500', '--description', 'goodwill credit', '--non-taxable']);
    expect(spaced.values.amount).toBe('-500');
    expect(yenArg(spaced.values.amount)).toBe(-500);
    expect(spaced).toEqual(joined);
    expect(parseCommandArgs(spec('charge'), ['C-1', '--amount', '-1,500', '--description', '-10% goodwill']).values).toMatchObject({
      amount: '-1,500',
      description: '-10% goodwill',
    });
  });

  it('still refuses a flag with no value, an unknown flag, and leaves what follows `--` alone', () => {
    expect(() => parseCommandArgs(spec('charge'), ['C-1', '--amount', '--description', 'x'])).toThrow(/--amount/);
    expect(() => parseCommandArgs(spec('pay'), ['C-1', '--amout', '-5'])).toThrow(UsageError);
    expect(() => parseCommandArgs(spec('pay'), ['C-1', '--amout', '-5'])).toThrow("Unknown option '--amout'");
    expect(parseCommandArgs(spec('pay'), ['--amount', '5', '--', '-7']).positionals).toEqual(['-7']);
  });
});
