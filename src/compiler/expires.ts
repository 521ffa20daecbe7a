/**
 * Expiry of a launched instance: launch time + TTL, as RFC 3339 in UTC with whole seconds
 * (e.g. 2026-11-22T18:00:00Z). Pure: apply passes its launch time; the planner recomputes expiry for a TTL change.
 */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function expiresAt(launchMs: number, ttlSeconds: number): string {
  return rfc3339(launchMs + ttlSeconds * 1000);
}

/** Parse an expires-at tag value; undefined when it is not a valid timestamp. */
export function parseExpiresAt(v: string | undefined): number | undefined {
  if (!v) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v.trim())) return undefined;
  const t = Date.parse(v.trim());
  return Number.isFinite(t) ? t : undefined;
}
