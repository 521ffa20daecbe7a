/** least-privilege: Allow with NotAction or NotResource. */
import type { Rule } from '../types.js';
import { stmtName } from './util.js';

export const allowNotElement: Rule = {
  meta: {
    id: 'allow-not-element',
    title: 'Allow with NotAction or NotResource',
    severity: 'warning',
    category: 'least-privilege',
    docs: {
      what: 'An Allow statement using NotAction ("everything except …") or NotResource ("everywhere except …").',
      why: 'An Allow with NotAction grants every action not listed — including every action AWS adds later. Such statements belong in Deny guardrails, not in grants.',
      bad: '{ "Effect": "Allow", "NotAction": "iam:*", "Resource": "*" }',
      good: '{ "Effect": "Allow", "Action": ["ec2:RunInstances", "ec2:DescribeInstances"], "Resource": "*" }',
      fix: 'Rewrite as an Allow of the listed actions/resources, or turn it into a Deny.',
    },
    messages: {
      notAction: '{{where}} allows every action except {{except}} (Allow with NotAction)',
      notResource: '{{where}} allows on every resource except {{except}} (Allow with NotResource)',
    },
  },
  document(d, { report }) {
    if (d.kind !== 'identity') return;
    for (const st of d.statements) {
      if (st.effect !== 'Allow') continue;
      if (st.notAction) report({ at: d.keyPos(st.index, 'NotAction'), messageId: 'notAction', data: { where: stmtName(d, st), except: `${st.notAction.slice(0, 3).join(', ')}${st.notAction.length > 3 ? ', …' : ''}` }, hint: 'allow the actions needed instead, or make it a Deny' });
      if (st.notResource) report({ at: d.keyPos(st.index, 'NotResource'), messageId: 'notResource', data: { where: stmtName(d, st), except: st.notResource.slice(0, 2).join(', ') }, hint: 'list the resources instead' });
    }
  },
};
