/** trust: service principals where AWS's confused-deputy guidance applies, without SourceAccount/SourceArn. */
import type { Rule } from '../types.js';
import { stmtName } from './util.js';
import { hasConditionKey, principalsOf } from './trust-util.js';
import { SOURCE_ACCOUNT_SERVICES, sendsSourceAccount } from '../../policy/source-account.js';

/** The services the guidance applies to: src/policy/source-account.ts. */
export const CONFUSED_DEPUTY_SERVICES = SOURCE_ACCOUNT_SERVICES;

export const trustConfusedDeputy: Rule = {
  meta: {
    id: 'trust-confused-deputy',
    title: 'Service trust without SourceAccount/SourceArn',
    severity: 'warning',
    category: 'trust',
    docs: {
      what: `A trust statement for a service principal that acts on behalf of resources possibly in other accounts (${CONFUSED_DEPUTY_SERVICES.join(', ')}) without an aws:SourceAccount, aws:SourceArn or aws:SourceOrgID condition.`,
      why: 'AWS\'s confused-deputy guidance: without these conditions, a resource in another account could get the service to use your role.',
      bad: '{ "Principal": { "Service": "events.amazonaws.com" }, "Action": "sts:AssumeRole" }',
      good: '{ "Principal": { "Service": "events.amazonaws.com" }, "Action": "sts:AssumeRole", "Condition": { "StringEquals": { "aws:SourceAccount": "123456789012" } } }',
      fix: 'Add `conditions: { StringEquals: { "aws:SourceAccount": "{accountId}" } }` to the named trust.',
    },
    messages: {
      noSource: '{{where}} trusts {{services}} without aws:SourceAccount or aws:SourceArn (confused deputy)',
    },
  },
  document(d, { report }) {
    if (d.kind !== 'trust') return;
    for (const st of d.statements) {
      if (st.effect !== 'Allow') continue;
      const svcs = principalsOf(st).service.filter(sendsSourceAccount);
      if (svcs.length === 0) continue;
      if (hasConditionKey(st, 'aws:SourceAccount', 'aws:SourceArn', 'aws:SourceOrgID', 'aws:SourceOrgPaths')) continue;
      report({ at: d.pos(st.index, 'Principal'), messageId: 'noSource', data: { where: stmtName(d, st), services: svcs.join(', ') }, hint: 'add a StringEquals aws:SourceAccount condition with your account id' });
    }
  },
};
