import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/live/ talks to a real AWS account: only `CHARTER_LIVE=1 npm run test:live` runs it.
    exclude: process.env.CHARTER_LIVE === '1' ? ['**/node_modules/**'] : ['**/node_modules/**', 'test/live/**'],
    // The only clock in the suite: tests never kill a process or give up a wait on a shorter
    // wall-clock deadline of their own, so a loaded machine makes the suite slower, never red.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // The SDK's Node 20 deprecation notice is noise in test logs.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
