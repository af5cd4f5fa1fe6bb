/**
 * Heap snapshots at chosen moments of a soak, for finding what grows: diff two of them with
 * `bench/heapSnapshotDiff.ts`. Writing one pauses the process for seconds (the soak's traffic with it).
 */
import { join } from "node:path"
import { writeHeapSnapshot } from "node:v8"

/**
 * A writer that, called after each sample (the sampler has just collected garbage), writes a snapshot
 * `soak-<t>s.heapsnapshot` into `dir` once for every moment in `atS` that has passed.
 */
export const makeHeapSnapshots = (dir: string, atS: ReadonlyArray<number>) => {
  const pending = [...atS].sort((a, b) => a - b)
  return (nowS: number) => {
    while (pending.length > 0 && pending[0]! <= nowS) {
      const dueS = pending.shift()!
      const file = writeHeapSnapshot(join(dir, `soak-${dueS}s.heapsnapshot`))
      console.log(`heap snapshot at ${nowS.toFixed(0)} s: ${file}`)
    }
  }
}
