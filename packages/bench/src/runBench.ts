/**
 * The whole suite, one suite after the other (never concurrently: each figure has the machine to itself,
 * apart from whatever else runs on it).
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { loadavg } from "node:os"
import { type BenchSizes, fullSizes, smokeSizes } from "./BenchSizes.ts"
import { type BenchReport, machineInfo } from "./report/BenchReport.ts"
import type { Figure } from "./report/Figure.ts"
import { finishesWithin } from "./measure/timing.ts"
import { progress } from "./report/progress.ts"
import { audioSuite } from "./suites/audioSuite.ts"
import { connectSuite } from "./suites/connectSuite.ts"
import { dataChannelSuite } from "./suites/dataChannelSuite.ts"
import { fanOutSuite } from "./suites/fanOutSuite.ts"
import { loadSuite } from "./suites/loadSuite.ts"
import { meshSuite } from "./suites/meshSuite.ts"
import { pipelineSuite } from "./suites/pipelineSuite.ts"
import { sessionSuite } from "./suites/sessionSuite.ts"
import { signalingSuite } from "./suites/signalingSuite.ts"
import { transportMediaSuite } from "./suites/transportMediaSuite.ts"
import { videoSuite } from "./suites/videoSuite.ts"

/** A named group of figures. */
export interface Suite {
  readonly name: string
  readonly run: (sizes: BenchSizes) => Effect.Effect<ReadonlyArray<Figure>>
}

/** Every suite, in table order. */
export const suites: ReadonlyArray<Suite> = [
  { name: "connect", run: connectSuite },
  { name: "mesh", run: meshSuite },
  { name: "data", run: dataChannelSuite },
  // The transport's media calls, then the same broadcasts with the receivers in another process.
  { name: "media", run: (sizes) => Effect.map(Effect.all([transportMediaSuite(sizes), fanOutSuite(sizes)]), (parts) => parts.flat()) },
  { name: "audio", run: audioSuite },
  { name: "video", run: videoSuite },
  { name: "pipeline", run: pipelineSuite },
  { name: "session", run: sessionSuite },
  { name: "signaling", run: signalingSuite },
  { name: "load", run: loadSuite }
]

/** Options of one run. */
export interface RunOptions {
  /** Tiny sizes: proves every figure still runs, measures nothing meaningful. */
  readonly smoke: boolean
  /** Suite names to run (all when empty). */
  readonly only: ReadonlyArray<string>
}

/** Runs the selected suites and assembles the report. */
export const runBench = Effect.fnUntraced(function*(options: RunOptions) {
  const startedAt = new Date()
  const loadAtStart = loadavg()
  const sizes = options.smoke ? smokeSizes : fullSizes
  const figures: Array<Figure> = []
  for (const suite of suites.filter((s) => options.only.length === 0 || options.only.includes(s.name))) {
    yield* progress(suite.name)
    figures.push(...(yield* suite.run(sizes).pipe(finishesWithin(`suite "${suite.name}"`, sizes.suiteTimeoutSeconds))))
  }
  return {
    startedAt: startedAt.toISOString(),
    smoke: options.smoke,
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    machine: machineInfo(loadAtStart),
    figures
  } satisfies BenchReport
})
