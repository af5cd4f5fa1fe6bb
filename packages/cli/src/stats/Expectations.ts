/**
 * `--expect-*`: what must have arrived by the end of a run. Pure, so every rule is unit-tested.
 *
 * @since 0.1.0
 */
import type { PeerTally } from "./PeerTally.ts"

/** Which kinds of input the run must have received from every peer it connected to. */
export interface Expectations {
  readonly expectAudio: boolean
  readonly expectVideo: boolean
  readonly expectData: boolean
}

const kinds: ReadonlyArray<readonly [keyof Expectations, string, (peer: PeerTally) => number]> = [
  ["expectAudio", "audio", (peer) => peer.audioFrames],
  ["expectVideo", "video", (peer) => peer.videoFrames],
  ["expectData", "data", (peer) => peer.dataReceived]
]

/** The first unmet expectation as a one-line message, or undefined when everything expected arrived. */
export const unmetExpectation = (expected: Expectations, peers: ReadonlyArray<PeerTally>): string | undefined => {
  const wanted = kinds.filter(([flag]) => expected[flag])
  if (wanted.length === 0) return undefined
  if (peers.length === 0) return `expected ${wanted.map(([, name]) => name).join(", ")} but no peer connected`
  for (const [, name, received] of wanted) {
    const silent = peers.find((peer) => received(peer) === 0)
    if (silent !== undefined) return `expected ${name} from ${silent.peerId}, nothing arrived`
  }
  return undefined
}
