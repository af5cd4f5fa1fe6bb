/**
 * One soak measurement of a process: memory after a full GC, its active handles by type, event-loop delay
 * p99 since the previous sample, and the traffic counters so far.
 */
import { monitorEventLoopDelay } from "node:perf_hooks"
import { getHeapStatistics } from "node:v8"
import type { TrafficCounters } from "./PeerTraffic.ts"

export interface SoakSample {
  /** Seconds since the soak started. */
  readonly atS: number
  readonly rssMiB: number
  readonly heapMiB: number
  /**
   * Physical memory of the V8 heap (its committed pages as far as touched): RSS minus this is native memory
   * (malloc, code, Buffers' backing stores are in `externalMiB`).
   */
  readonly heapPhysicalMiB: number
  /** Memory outside the V8 heap held by JS objects (Buffers, native codec state), after the GC. */
  readonly externalMiB: number
  /** The part of `externalMiB` held by ArrayBuffers (every Buffer). */
  readonly arrayBuffersMiB: number
  /** `process.getActiveResourcesInfo()` counted by type (UDPWrap, TCPWrap, Timeout, …). */
  readonly handles: Readonly<Record<string, number>>
  readonly loopP99Ms: number
  /** CPU time (user + system) since the previous sample, as a percentage of one core. */
  readonly cpuPercent: number
  readonly traffic: TrafficCounters
}

const mib = (bytes: number) => bytes / 2 ** 20
const collectGarbage = (globalThis as { gc?: () => void }).gc

/** Counts of each active resource type. */
export const handlesByType = (): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

/** Total of every handle type. */
export const handleTotal = (handles: Readonly<Record<string, number>>) => Object.values(handles).reduce((a, b) => a + b, 0)

/**
 * A sampler for this process, started now; each call collects garbage (when run with `--expose-gc`) and
 * restarts the event-loop delay histogram.
 */
export const makeSampler = (startedAtMs: number) => {
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()
  let cpu = process.cpuUsage()
  let cpuAtMs = performance.now()
  return (traffic: TrafficCounters): SoakSample => {
    const nowMs = performance.now()
    const used = process.cpuUsage(cpu)
    cpu = process.cpuUsage()
    const cpuPercent = ((used.user + used.system) / 1000 / Math.max(1, nowMs - cpuAtMs)) * 100
    cpuAtMs = nowMs
    collectGarbage?.()
    const memory = process.memoryUsage()
    const sample = {
      atS: (nowMs - startedAtMs) / 1000,
      rssMiB: mib(memory.rss),
      heapMiB: mib(memory.heapUsed),
      heapPhysicalMiB: mib(getHeapStatistics().total_physical_size),
      externalMiB: mib(memory.external),
      arrayBuffersMiB: mib(memory.arrayBuffers),
      handles: handlesByType(),
      loopP99Ms: loopDelay.percentile(99) / 1e6,
      cpuPercent,
      traffic
    }
    loopDelay.reset()
    return sample
  }
}

/** Least-squares slope of `ys` over `xs` (per unit of x). */
export const slope = (xs: ReadonlyArray<number>, ys: ReadonlyArray<number>) => {
  const n = xs.length
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  const num = xs.reduce((acc, x, i) => acc + (x - mx) * ((ys[i] ?? 0) - my), 0)
  const den = xs.reduce((acc, x) => acc + (x - mx) ** 2, 0)
  return den === 0 ? 0 : num / den
}
