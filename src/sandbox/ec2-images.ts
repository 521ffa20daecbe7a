/**
 * EC2 images (AMIs) as the sandbox models them: any well-formed `ami-…` id is an existing,
 * available x86_64 image whose root device is /dev/xvda, unless the `images` option registers it
 * differently; ids in `missingImages` do not exist (InvalidAMIID.NotFound, AWS's wording); a
 * malformed id is InvalidAMIID.Malformed. RunInstances and DescribeImages share this lookup, so a
 * launch gets the image's real root device (and an unencrypted default root volume when the
 * block device mappings name another device, as EC2 does).
 */
import type { Ctx } from './context.js';
import { AwsError } from './errors.js';
import { any, filters, invalidValue } from './ec2-params.js';
import { qItems, qStrings, type QTree } from './query.js';
import type { XmlValue } from './xml.js';

export interface ImageRec {
  imageId: string;
  rootDeviceName: string;
  architecture: string;
  name: string;
}

const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

export const malformedImage = (id: string) => new AwsError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`, 400);

export function imagesNotFound(ids: string[]): AwsError {
  return ids.length > 1
    ? new AwsError('InvalidAMIID.NotFound', `The image ids '[${ids.join(', ')}]' do not exist`, 400)
    : new AwsError('InvalidAMIID.NotFound', `The image id '[${ids[0]}]' does not exist`, 400);
}

/** The image for a well-formed id, or undefined when it does not exist. Throws on a malformed id. */
export function findImage(ctx: Ctx, id: string): ImageRec | undefined {
  if (!AMI_ID.test(id)) throw malformedImage(id);
  if (ctx.opts.missingImages.has(id)) return undefined;
  const reg = ctx.opts.images[id];
  return {
    imageId: id,
    rootDeviceName: reg?.rootDeviceName ?? '/dev/xvda',
    architecture: reg?.architecture ?? 'x86_64',
    name: reg?.name ?? `sandbox-image-${id.slice(4)}`,
  };
}

/**
 * The image a `resolve:ssm:NAME` launch gets: a stable fake id per region and name; its root is
 * /dev/sda1 when the parameter path names Ubuntu/Debian (Canonical's and Debian's public
 * parameters), else /dev/xvda (Amazon Linux).
 */
export function ssmImageRoot(name: string): string {
  return /ubuntu|canonical|debian/i.test(name) ? '/dev/sda1' : '/dev/xvda';
}

function imageXml(ctx: Ctx, i: ImageRec): { [k: string]: XmlValue } {
  return {
    imageId: i.imageId,
    imageLocation: `${ctx.opts.accountId}/${i.name}`,
    imageState: 'available',
    imageOwnerId: ctx.opts.accountId,
    creationDate: new Date(0),
    isPublic: false,
    architecture: i.architecture,
    imageType: 'machine',
    name: i.name,
    rootDeviceType: 'ebs',
    rootDeviceName: i.rootDeviceName,
    blockDeviceMapping: [{ deviceName: i.rootDeviceName, ebs: { snapshotId: `snap-${i.imageId.slice(4).padEnd(17, '0')}`, volumeSize: 8, deleteOnTermination: true, volumeType: 'gp3', encrypted: false } }],
    virtualizationType: 'hvm',
    hypervisor: 'xen',
    enaSupport: true,
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
  };
}

const IMAGE_FILTERS: Record<string, (i: ImageRec) => string> = {
  'image-id': (i) => i.imageId,
  'root-device-name': (i) => i.rootDeviceName,
  architecture: (i) => i.architecture,
  name: (i) => i.name,
  state: () => 'available',
};

/**
 * DescribeImages: ImageIds (each must exist: one unknown id fails the call, as in EC2) and filters
 * image-id, root-device-name, architecture, name, state. Without ImageIds it lists the images
 * registered through the `images` option.
 */
export const DescribeImages = (ctx: Ctx, p: QTree): { [k: string]: XmlValue } => {
  const ids = qStrings(qItems(p, 'ImageId'));
  const fs = filters(p);
  for (const f of fs) if (!Object.hasOwn(IMAGE_FILTERS, f.name)) throw invalidValue(`The filter '${f.name}' is invalid`);
  let images: ImageRec[];
  if (ids.length) {
    for (const id of ids) if (!AMI_ID.test(id)) throw malformedImage(id);
    const missingIds = ids.filter((id) => !findImage(ctx, id));
    if (missingIds.length) throw imagesNotFound(missingIds);
    images = [...new Set(ids)].map((id) => findImage(ctx, id)!);
  } else {
    images = Object.keys(ctx.opts.images).filter((id) => AMI_ID.test(id)).map((id) => findImage(ctx, id)).filter((i): i is ImageRec => !!i);
  }
  const matched = images.filter((i) => fs.every((f) => any(f.values, IMAGE_FILTERS[f.name]!(i))));
  return { imagesSet: matched.map((i) => imageXml(ctx, i)) };
};
