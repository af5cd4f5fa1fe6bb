import { defineConfig } from "vitest/config"

// Until the root vitest.config.ts lists this package: `scripts/netns vitest run --root packages/bench`. Same
// settings as the root's projects (workspace packages resolve to their TypeScript sources).
const conditions = ["source", "module", "node", "import", "default"]

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["source"] } },
  test: { include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000 }
})
