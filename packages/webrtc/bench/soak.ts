/**
 * Soak: a full mesh of PEERS transports, every peer broadcasting a 440 Hz tone (20 ms Opus frames) and
 * sending sequence-numbered data-channel messages to every other peer, for DURATION_S seconds. Not a CI
 * test (it loads the machine): run it by hand, inside the private network namespace.
 *
 *   scripts/netns node --conditions=source --expose-gc packages/webrtc/bench/soak.ts
 *   MODE=processes (one child process per peer; or MODE=inprocess) PEERS=10 DURATION_S=600 SAMPLE_S=10
 *   PRINT_S=60 (a table row per minute) DATA_PER_S=2 OUT=soak.json (every sample, multi-process mode)
 *   SNAPSHOT_S=90,270 SNAPSHOT_DIR=. (heap snapshots at those seconds, in-process mode)
 *
 * Prints rows of memory after GC, open handles by type, event-loop delay p99 (worst process) and traffic
 * so far, summed over the processes; then the verdict: data messages lost or out of order per
 * sender→receiver stream, audio frames received against sent, and the heap/RSS/handle drift after warm-up.
 * Exits 1 if any data message was lost or reordered.
 */
import { Effect } from "effect"
import { runInProcessSoak } from "./soak/InProcessSoak.ts"
import { runMultiProcessSoak } from "./soak/MultiProcessSoak.ts"

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const peers = env("PEERS", 10)
const durationS = env("DURATION_S", 600)
const sampleS = env("SAMPLE_S", 10)
const dataPerS = env("DATA_PER_S", 2)

const soak = process.env["MODE"] === "inprocess"
  ? runInProcessSoak({
    peers,
    durationS,
    sampleS,
    dataPerS,
    snapshotAtS: (process.env["SNAPSHOT_S"] ?? "").split(",").filter((s) => s !== "").map(Number),
    snapshotDir: process.env["SNAPSHOT_DIR"] ?? "."
  })
  : runMultiProcessSoak({ peers, durationS, sampleS, dataPerS, printEveryS: env("PRINT_S", 60), outFile: process.env["OUT"] })

Effect.runPromise(Effect.scoped(soak)).then(
  (clean) => process.exit(clean ? 0 : 1),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
