/** grammar: suppressions that matched no finding. Reported by the engine. */
import type { Rule } from '../types.js';

export const unusedSuppression: Rule = {
  meta: {
    id: 'unused-suppression',
    title: 'Suppression that suppresses nothing',
    severity: 'warning',
    category: 'grammar',
    docs: {
      what: 'A `lint.ignore` entry or `# charter-ignore` comment that matched no finding.',
      why: 'Stale suppressions accumulate and later hide a real finding that happens to match them.',
      bad: 'services:\n  web:\n    policies: [logs:WriteOnly]   # charter-ignore wildcard-action: legacy\n    trust: [ec2]',
      good: 'services:\n  web:\n    policies: [logs:WriteOnly]\n    trust: [ec2]',
      fix: 'Remove it (or fix its rule id or path so it matches what it was meant for).',
    },
    messages: {
      unused: '{{what}} suppresses nothing',
    },
  },
};
