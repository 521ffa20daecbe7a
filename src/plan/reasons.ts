/**
 * Why a change is planned, as a code plus parameters (schemas/plan.schema.json, $defs/reason). The
 * planner sets these; only reasonText() below turns them into words, for the formatters (text,
 * markdown, the apply conflict refusal). Apply never reads a reason.
 */

/** Who holds a resource charter did not create (conflict, adopt). */
export type Owner =
  | { kind: 'tags-unreadable' }
  /** No {prefix}:managed=true tag (tag names that key). */
  | { kind: 'unmanaged'; tag: string }
  /** Managed by charter for another spec. */
  | { kind: 'other-spec'; spec: string };

export type IamResource = 'role' | 'policy' | 'instance-profile';

/** What differs: a role's trust, boundary, description, max session, its content hash tag alone or other tags; a policy document. */
export type ChangedField = 'trust' | 'permissions-boundary' | 'description' | 'max-session-duration' | 'hash-tag' | 'tags' | 'policy-document' | 'document';

export const CHANGED_FIELDS: readonly ChangedField[] = ['trust', 'permissions-boundary', 'description', 'max-session-duration', 'hash-tag', 'tags', 'policy-document', 'document'];

export type ReasonBody =
  | { code: 'not-in-aws' }
  | { code: 'up-to-date' }
  | { code: 'exists' }
  | { code: 'attached' }
  | { code: 'destroy' }
  /** An unmanaged live resource holds the name; --adopt takes it over. */
  | { code: 'conflict'; resource: IamResource; name: string; owner: Owner }
  /** With --adopt: charter tags it as managed; fields changed besides (role), document replaced (policy). hashTag: the tag key of hash-tag. */
  | { code: 'adopted'; resource: IamResource; owner?: Owner; fields?: ChangedField[]; hashTag?: string; documentReplaced?: boolean }
  /** These parts differ from the spec; hashTag: the tag key of hash-tag ({prefix}:hash). */
  | { code: 'changed'; fields: ChangedField[]; hashTag?: string }
  /** A live inline policy or attachment the spec no longer names. */
  | { code: 'not-in-spec'; what: 'inline-policy' | 'attachment' }
  /** A sub-resource of a role: recreated (path change), new (with the new name when renamed), missing on the live role. */
  | { code: 'role-recreated' }
  | { code: 'new-role'; role?: string }
  | { code: 'not-on-role' }
  /** IAM cannot move a role to another path: deleted and recreated. */
  | { code: 'path-changed'; from: string; to: string }
  /** A generated role name changed (naming content or stable): the old role stays while used. */
  | { code: 'renamed'; naming: 'content' | 'stable'; from: string; to: string }
  /** The profile follows its role (address) to a new name. */
  | { code: 'follows-role'; roleAddress: string }
  /** Role in profile: holds the right one, others instead, none; a new profile. */
  | { code: 'holds'; role: string }
  | { code: 'holds-other'; roles: string[]; want: string }
  | { code: 'holds-none' }
  | { code: 'new-profile' }
  | { code: 'remove-from-profile'; role: string; profile: string }
  /**
   * A managed resource the spec no longer names: replacedBy (the address of its replacement),
   * kept because instances use it (usedBy), because profiles hold it (inProfiles) or roles have it
   * attached (attachedTo); deleted when pruned, else kept.
   */
  | { code: 'orphan'; replacedBy?: string; usedBy?: string[]; inProfiles?: string[]; attachedTo?: string[]; deleted: boolean }
  /** Instances of a launch group the spec dropped: terminated (pruned) or left running. */
  | { code: 'orphan-group'; running: number; terminate: boolean }
  /** Launch group: all new; a relaunch after ended ones; a changed configuration (replace); more wanted. */
  | { code: 'launch'; count: number; retagged?: number }
  | { code: 'relaunch'; ended: { instanceId: string; state: string }[]; running: number; desired: number; launching: number; retagged?: number }
  | { code: 'config-changed'; older: number; launching: number; retagged?: number }
  | { code: 'scale-up'; running: number; desired: number; keptOlder: number; launching: number; retagged?: number }
  /** Nothing to launch: running of desired, or lifetime tags updated in place. */
  | { code: 'running'; running: number; desired: number; keptOlder: number }
  | { code: 'retag'; instances: number }
  /** Instances terminated: beyond count, and/or of an older configuration (afterLaunch: once the new ones run). */
  | { code: 'terminate'; beyondCount?: { instances: number; count: number }; replaced?: { instances: number; afterLaunch: boolean } };

/** A reason; outsideCharter: the live resource was changed outside charter since charter wrote it. */
export type Reason = ReasonBody & { outsideCharter?: boolean };

export type ReasonCode = Reason['code'];

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

function ownerText(o: Owner): string {
  if (o.kind === 'tags-unreadable') return 'its tags could not be read';
  if (o.kind === 'unmanaged') return `it has no ${o.tag}=true tag`;
  return `it belongs to spec "${o.spec}"`;
}

const RESOURCE: Record<IamResource, string> = { role: 'a role', policy: 'a policy', 'instance-profile': 'an instance profile' };

function retagText(n: number | undefined): string {
  return n ? `; ${plural(n, 'running instance')}: ttl/idle-timeout tags updated in place` : '';
}

function keptText(n: number): string {
  return n ? ` (${n} with an older launch configuration, kept until they end: onChange keep)` : '';
}

function fieldsText(fields: ChangedField[], hashTag = 'hash'): string {
  const label: Record<ChangedField, string> = {
    trust: 'trust policy',
    'permissions-boundary': 'permissions boundary',
    description: 'description',
    'max-session-duration': 'max session duration',
    'hash-tag': `content hash tag (${hashTag})`,
    tags: 'tags',
    'policy-document': 'policy document',
    document: 'document',
  };
  return fields.map((f) => label[f]).join(', ');
}

function orphanText(r: Extract<ReasonBody, { code: 'orphan' }>): string {
  const why = r.replacedBy ? `replaced (${r.replacedBy})` : 'not in the spec';
  if (r.usedBy?.length) return `${why}; still used by ${r.usedBy.join(', ')}: kept`;
  if (r.inProfiles?.length) return `${why}; in instance profile ${r.inProfiles.join(', ')}: kept`;
  if (r.attachedTo?.length) return `${why}; attached to ${r.attachedTo.join(', ')}: kept`;
  return r.deleted ? `${why}: deleted` : `${why}: kept (--prune deletes it)`;
}

function bodyText(r: ReasonBody): string {
  switch (r.code) {
    case 'not-in-aws':
      return 'not in AWS';
    case 'up-to-date':
      return 'up to date';
    case 'exists':
      return 'exists';
    case 'attached':
      return 'attached';
    case 'destroy':
      return 'destroy';
    case 'conflict':
      return `${RESOURCE[r.resource]} named ${r.name} exists and is not charter's (${ownerText(r.owner)}); --adopt takes it over`;
    case 'adopted':
      if (r.resource === 'policy') return 'adopted: tagged as managed' + (r.documentReplaced ? ', document replaced' : '');
      if (r.resource === 'instance-profile' || !r.owner) return 'adopted: charter tags it as managed';
      return `adopted: ${ownerText(r.owner)}; charter tags it as managed` + (r.fields?.length ? ` (${fieldsText(r.fields, r.hashTag)} changed)` : '');
    case 'changed':
      return r.fields.length ? `${fieldsText(r.fields, r.hashTag)} changed` : 'up to date';
    case 'not-in-spec':
      return `${r.what === 'inline-policy' ? 'inline policy' : 'attachment'} not in the spec`;
    case 'role-recreated':
      return 'role is recreated';
    case 'new-role':
      return r.role ? `part of the new role ${r.role}` : 'part of the new role';
    case 'not-on-role':
      return 'not on the role';
    case 'path-changed':
      return `path ${r.from} → ${r.to}: IAM cannot move a role, it is deleted and recreated`;
    case 'renamed':
      return `${r.naming === 'content' ? `content changed: new content-addressed name (${r.from} → ${r.to})` : `new stable name (${r.from} → ${r.to})`}; the old role stays while instances use it, --prune removes it once unused`;
    case 'follows-role':
      return `follows ${r.roleAddress} to its new name; the old profile stays while instances use it`;
    case 'holds':
      return `holds ${r.role}`;
    case 'holds-other':
      return `holds ${r.roles.join(', ')} instead of ${r.want}`;
    case 'holds-none':
      return 'the profile holds no role';
    case 'new-profile':
      return 'new profile';
    case 'remove-from-profile':
      return `remove ${r.role} from ${r.profile}`;
    case 'orphan':
      return orphanText(r);
    case 'orphan-group':
      return r.terminate ? `group not in the spec: terminate ${r.running}` : `group not in the spec: ${r.running} running (--prune terminates them)`;
    case 'launch':
      return `launch ${plural(r.count, 'instance')}${retagText(r.retagged)}`;
    case 'relaunch':
      return `relaunch: earlier instances ended (${r.ended.map((i) => `${i.instanceId} ${i.state}`).join(', ')}); ${r.running} of ${r.desired} running, launching ${r.launching}${retagText(r.retagged)}`;
    case 'config-changed':
      return `the launch configuration changed (${r.older} running with an older one): launching ${r.launching}, then terminating the older ones once the new ones run (onChange replace)${retagText(r.retagged)}`;
    case 'scale-up':
      return `${r.running} of ${r.desired} running${keptText(r.keptOlder)}, launching ${r.launching}${retagText(r.retagged)}`;
    case 'running':
      return `${r.running} of ${r.desired} running${keptText(r.keptOlder)}`;
    case 'retag':
      return `${plural(r.instances, 'running instance')}: ttl/idle-timeout tags updated in place (no relaunch)`;
    case 'terminate': {
      const parts = [r.beyondCount ? `${r.beyondCount.instances} beyond count ${r.beyondCount.count}` : '', r.replaced ? `${r.replaced.instances} from an older launch configuration${r.replaced.afterLaunch ? ', once the new ones run' : ''}` : ''];
      return `terminate ${parts.filter(Boolean).join(', ')}`;
    }
  }
}

/** The words of a reason, as the formatters print them. */
export function reasonText(r: Reason): string {
  const body = bodyText(r);
  return r.outsideCharter ? `changed outside charter: ${body}` : body;
}
