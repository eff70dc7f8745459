// `npm run test:faults`: the fault suite (test/faults/): real processes, a redis-server and a PostgreSQL cluster
// of each test's own (stopped and restarted by the test), the sandbox as a strict Bot API. Slow (tens of seconds
// a file), so not part of `npm test`; CI runs both. One file at a time: the outages are timed.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    globalSetup: ["test/helpers/global-setup.ts"],
  },
});
