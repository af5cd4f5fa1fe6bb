/**
 * `--expect-*`: what must have arrived by the end of a run. Pure, so every rule is unit-tested.
 *
 * @since 0.1.0
 */
import type { PeerTally } from "./PeerTally.ts"

/** Which kinds of input the run must have received from every peer it connected to. */
export interface Expectations {
  readonly expectData: boolean
}

/** The first unmet expectation as a one-line message, or undefined when everything expected arrived. */
export const unmetExpectation = (expected: Expectations, peers: ReadonlyArray<PeerTally>): string | undefined => {
  const wanted = expected.expectData ? ["data"] : []
  if (wanted.length === 0) return undefined
  if (peers.length === 0) return `expected ${wanted.join(", ")} but no peer connected`
  const silent = peers.find((peer) => peer.dataReceived === 0)
  return expected.expectData && silent !== undefined ? `expected data from ${silent.peerId}, nothing arrived` : undefined
}
