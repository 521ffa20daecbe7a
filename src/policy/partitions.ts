/**
 * AWS partitions and the regions in each, as ARNs and region settings name them. The list of
 * regions is for did-you-mean and for naming the part of an ARN that is wrong; a region that is not
 * listed (a new one) is not refused for that alone.
 */

export const PARTITION_REGIONS: Readonly<Record<string, readonly string[]>> = {
  aws: [
    'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1',
    'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
    'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1',
    'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1',
    'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
  'aws-eusc': ['eusc-de-east-1'],
};

export const PARTITIONS: ReadonlySet<string> = new Set(Object.keys(PARTITION_REGIONS));

export const KNOWN_REGIONS: readonly string[] = Object.values(PARTITION_REGIONS).flat();

const KNOWN_REGION_SET: ReadonlySet<string> = new Set(KNOWN_REGIONS);

/**
 * The shape of a region name: area, an optional gov/iso part, a compass direction, a number
 * (`us-gov-west-1`; the eusc partition's `eusc-de-east-1`). Every listed region has it; so would a
 * new one, while a typo in the direction (`us-wset-2`) does not.
 */
export const REGION_SHAPE = /^([a-z]{2}(-gov|-iso[a-z]?)?|[a-z]{4}-[a-z]{2})-(east|west|north|south|central|northeast|northwest|southeast|southwest)-[0-9]+$/;

export function isKnownRegion(region: string): boolean {
  return KNOWN_REGION_SET.has(region);
}
