/** Where the published spec schema lives in the package (schemas/spec.schema.json). */
export const SPEC_SCHEMA_PATH = new URL('../../schemas/spec.schema.json', import.meta.url);
