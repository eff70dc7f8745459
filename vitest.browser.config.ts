// `npm run test:browser`: headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) drives the
// sandbox web chat of a real `bot/main.ts` in sandbox mode. Not part of `npm test`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/browser/**/*.e2e.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
