/**
 * The result of one run: the machine it ran on and every figure. Written as JSON next to the Markdown.
 *
 * @since 0.1.0
 */
import { availableParallelism, cpus, loadavg, totalmem } from "node:os"
import type { Figure } from "./Figure.ts"

/** The machine and its load when the run started and ended: figures only compare within one run. */
export interface MachineInfo {
  readonly node: string
  readonly cpuModel: string
  readonly cores: number
  readonly memoryGiB: number
  readonly loadAverageAtStart: ReadonlyArray<number>
  readonly loadAverageAtEnd: ReadonlyArray<number>
}

/** One run of the suite. */
export interface BenchReport {
  readonly startedAt: string
  readonly smoke: boolean
  readonly durationSeconds: number
  readonly machine: MachineInfo
  readonly figures: ReadonlyArray<Figure>
}

/** The machine as seen now; `loadAverageAtStart` is passed in from the start of the run. */
export const machineInfo = (loadAverageAtStart: ReadonlyArray<number>): MachineInfo => ({
  node: process.version,
  cpuModel: cpus()[0]?.model ?? "unknown",
  cores: availableParallelism(),
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  loadAverageAtStart,
  loadAverageAtEnd: loadavg()
})
