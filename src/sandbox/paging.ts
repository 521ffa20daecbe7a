/** Marker/NextToken pagination keyed by a stable sort key, so pages survive unrelated writes. */
import { AwsError } from './errors.js';

export interface Page<T> {
  items: T[];
  /** Marker for the next page, when truncated. */
  next?: string;
}

export function encodeMarker(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeMarker(marker: string, invalid: () => AwsError): string {
  if (!/^[A-Za-z0-9_-]+$/.test(marker)) throw invalid();
  return Buffer.from(marker, 'base64url').toString('utf8');
}

/** `items` must be sorted by `key`. Returns up to `max` items after the marker's key. */
export function paginate<T>(items: T[], key: (t: T) => string, marker: string | undefined, max: number, invalid: () => AwsError): Page<T> {
  let start = 0;
  if (marker !== undefined) {
    const after = decodeMarker(marker, invalid);
    start = items.findIndex((i) => key(i) > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + max);
  const truncated = start + max < items.length;
  return { items: slice, next: truncated && slice.length > 0 ? encodeMarker(key(slice[slice.length - 1]!)) : undefined };
}

export const invalidMarker = () => new AwsError('ValidationError', 'Invalid Marker.', 400);
