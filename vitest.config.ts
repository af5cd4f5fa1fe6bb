import { defineConfig } from "vitest/config"

// One Vitest project per package. Workspace packages resolve to their TypeScript sources through the
// "source" export condition, so tests never need a build first.
const conditions = ["source", "module", "node", "import", "default"]
const packages = [
  "runtime-core",
  "signaling-protocol",
  "signaling-server",
  "netsim",
  "signals",
  "webrtc",
  "web-client",
  "demo",
  "cli",
  "bench"
]

const serialPackages = new Set(["demo", "cli"])
// Packages that run real media meshes each get the machine to themselves, one after another (Vitest runs
// projects of one group order together, and the groups in order); the light packages share group 0.
const heavyPackages = ["webrtc", "web-client", "demo", "cli", "bench"]

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["source"] } },
  test: {
    projects: packages.map((name) => ({
      extends: true,
      test: {
        name,
        root: `packages/${name}`,
        include: ["test/**/*.test.ts"],
        testTimeout: 30_000,
        hookTimeout: 30_000,
        // The demo's and the CLI's process tests each run whole media meshes in child processes: one file at
        // a time, or they starve each other on a 2-core machine.
        fileParallelism: !serialPackages.has(name),
        sequence: { groupOrder: heavyPackages.indexOf(name) + 1 }
      }
    }))
  }
})
