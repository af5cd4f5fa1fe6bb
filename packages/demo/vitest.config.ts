import { defineConfig } from "vitest/config"

// Lets this package's tests run on their own (`vitest run --root packages/<name>`) until the root
// vitest.config.ts lists it; same settings as a root project.
const conditions = ["source", "module", "node", "import", "default"]

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["source"] } },
  // One file at a time: the process tests each run a whole conference and need the CPU to themselves.
  test: { include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000, fileParallelism: false }
})
