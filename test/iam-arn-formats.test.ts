/**
 * IamData.arnFormats (the ARN formats of an action's resource types, worked out once per
 * resource-type list of a service) against its plain definition: each resource type's
 * definition looked up by name (a trailing "*" ignored), its `arn` where defined, in order.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IamData, type ActionInfo } from '../src/policy/iam-data.js';

const plain = (iam: IamData, a: ActionInfo): string[] =>
  a.resourceTypes.map((r) => iam.resourceType(a.service, r.name.replace(/\*$/, ''))?.arn).filter((x): x is string => !!x);

const SERVICES = ['s3', 'ec2', 'iam', 'kms', 'lambda', 'sagemaker', 'logs', 'dynamodb', 'cloudwatch', 'sts'];

async function loaded(): Promise<{ iam: IamData; actions: string[] }> {
  const iam = new IamData();
  await iam.loadServices(SERVICES);
  const actions = SERVICES.flatMap((s) => [...iam.actionNames(s)!.values()].map((n) => `${s}:${n}`));
  return { iam, actions };
}

describe('IamData.arnFormats', () => {
  it('answers as the resource types say, for every action of a few services', async () => {
    const { iam, actions } = await loaded();
    expect(actions.length).toBeGreaterThan(2000);
    let withFormats = 0;
    for (const q of actions) {
      const a = iam.action(q)!;
      const got = iam.arnFormats(a);
      expect(got, q).toEqual(plain(iam, a));
      if (got.length) withFormats++;
    }
    expect(withFormats).toBeGreaterThan(1000);
  });

  it('answers the same whatever order actions are asked in (the answer is kept by resource-type list)', async () => {
    const { actions } = await loaded();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: actions.length - 1 }), { minLength: 1, maxLength: 60 }), async (picks) => {
        const iam = new IamData();
        await iam.loadServices(SERVICES);
        for (const k of picks) {
          const a = iam.action(actions[k]!)!;
          expect(iam.arnFormats(a)).toEqual(plain(iam, a));
        }
      }),
      { numRuns: 50 },
    );
  });
});
