import { defineConfig } from 'vitest/config';
import { SUITE_TIMEOUT_MS } from './test/suite-clock.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/live/ talks to a real AWS account: only `CHARTER_LIVE=1 npm run test:live` runs it.
    exclude: process.env.CHARTER_LIVE === '1' ? ['**/node_modules/**'] : ['**/node_modules/**', 'test/live/**'],
    // The only clock in the suite (test/suite-clock.ts).
    testTimeout: SUITE_TIMEOUT_MS,
    hookTimeout: SUITE_TIMEOUT_MS,
    pool: 'forks',
    // The SDK's Node 20 deprecation notice is noise in test logs.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
