/** The published spec schema (schemas/spec.schema.json), read once from the package. */
import { readFileSync } from 'node:fs';

export const SPEC_SCHEMA_PATH = new URL('../../schemas/spec.schema.json', import.meta.url);
export const SPEC_SCHEMA: Record<string, unknown> = JSON.parse(readFileSync(SPEC_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
