/** launch: instance metadata without IMDSv2 tokens required. */
import { get, instanceViews } from '../launch-view.js';
import type { Rule } from '../types.js';

export const imdsV2: Rule = {
  meta: {
    id: 'imds-v2',
    title: 'IMDSv2 not required',
    severity: 'error',
    category: 'launch',
    docs: {
      what: 'A launch whose RunInstances MetadataOptions do not set HttpTokens to "required".',
      why: 'With IMDSv1 a server-side request forgery in any program on the instance reads the instance role\'s credentials from 169.254.169.254. The seeds: "Require IMDSv2 — prevent SSRF attacks".',
      bad: 'MetadataOptions: { HttpTokens: optional }',
      good: 'MetadataOptions: { HttpTokens: required, HttpPutResponseHopLimit: 1 }   # charter\'s default',
      fix: 'Keep charter\'s default metadata options (HttpTokens required); containers on the host need HttpPutResponseHopLimit 2, not IMDSv1.',
    },
    messages: {
      notRequired: 'launch {{group}} does not require IMDSv2 (HttpTokens {{tokens}})',
    },
  },
  spec(s, { report }) {
    for (const v of instanceViews(s)) {
      if (!v.launch) continue;
      const tokens = get(v.launch.runInstances, 'MetadataOptions', 'HttpTokens');
      if (tokens === 'required') continue;
      report({ at: s.pos(v.ptr, 'key'), messageId: 'notRequired', data: { group: v.group, tokens: tokens === undefined ? 'unset' : JSON.stringify(tokens) }, hint: 'set MetadataOptions.HttpTokens to "required"', subject: `launch ${v.group}` });
    }
  },
};
