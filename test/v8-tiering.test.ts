import { describe, expect, it } from 'vitest';
import { budgetGiven, raisesBudget, TIERING_FILES } from '../src/cli/v8-tiering.js';

describe('the raised interrupt budget of a lint of many policy files', () => {
  it.each([
    [0, false],
    [1, false],
    [TIERING_FILES.from - 1, false],
    [TIERING_FILES.from, true],
    [1388, true],
    [TIERING_FILES.below - 1, true],
    [TIERING_FILES.below, false],
    [11104, false],
  ])('%i files: raised %s', (files, raised) => {
    expect(raisesBudget(files)).toBe(raised);
  });

  it.each([
    [[], undefined, false],
    [[], '', false],
    [['--max-old-space-size=4096'], '--v8-pool-size=1', false],
    [['--interrupt-budget=1000'], undefined, true],
    [['--interrupt_budget=1000'], undefined, true],
    [[], '--enable-source-maps --interrupt-budget=1000', true],
    [[], '--interrupt_budget=5', true],
    [['--interrupt-budget', '1000'], undefined, true],
    [[], '--interrupt-budget 1000', true],
    // Other flags that merely contain the words are not a budget.
    [[], '--interrupt-budget-for-feedback-allocation=10', false],
    [['--interrupt-budget-factor-for-feedback-allocation=4'], undefined, false],
  ] as Array<[string[], string | undefined, boolean]>)('execArgv %j, NODE_OPTIONS %j: given %s', (execArgv, nodeOptions, given) => {
    expect(budgetGiven(execArgv, nodeOptions)).toBe(given);
  });
});
