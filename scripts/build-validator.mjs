// Build step: precompile the spec schema into a standalone ajv validator (dist/spec/spec-validator.cjs),
// so the CLI does not pay ~100 ms compiling the schema on every run. src/spec/load.ts falls back to
// compiling at run time when the file is absent (tests run from src/).
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

const schema = JSON.parse(readFileSync(new URL('../schemas/spec.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true, code: { source: true } });
const validate = ajv.compile(schema);
const code = standaloneCode.default ? standaloneCode.default(ajv, validate) : standaloneCode(ajv, validate);
const outDir = new URL('../dist/spec/', import.meta.url);
mkdirSync(outDir, { recursive: true });
const tmp = new URL('spec-validator.cjs.tmp', outDir);
writeFileSync(tmp, code);
renameSync(tmp, new URL('spec-validator.cjs', outDir));
