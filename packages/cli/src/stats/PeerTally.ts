/**
 * What this peer has seen of one remote peer during a run: plain counters, updated on the hot path by the
 * run's handlers and read once a second by the report.
 *
 * @since 0.1.0
 */
import type { Audio, Video } from "@remotemedia/runtime-core"
import { AudioMeter } from "./AudioMeter.ts"

/** How the connection to a peer stands, from the transport's events. */
export type PeerLinkState = "Connected" | "Disconnected" | "Failed" | "Left"

/** Counters for one remote peer. Mutable on purpose: one owner (the run), no allocation per message. */
export interface PeerTally {
  readonly peerId: string
  state: PeerLinkState
  /** Why the link ended, when it did. */
  reason: string | undefined
  connectedAtMs: number
  dataSent: number
  dataReceived: number
  dataBytesReceived: number
  audioFrames: number
  readonly audioMeter: AudioMeter
  videoFrames: number
  /** The last received video frame's size. */
  videoWidth: number | undefined
  videoHeight: number | undefined
}

/** A fresh tally for a peer that just connected. */
export const makePeerTally = (peerId: string, nowMs: number): PeerTally => ({
  peerId,
  state: "Connected",
  reason: undefined,
  connectedAtMs: nowMs,
  dataSent: 0,
  dataReceived: 0,
  dataBytesReceived: 0,
  audioFrames: 0,
  audioMeter: new AudioMeter(48_000),
  videoFrames: 0,
  videoWidth: undefined,
  videoHeight: undefined
})

/** Counts a received media frame. */
export const countMedia = (tally: PeerTally, data: Audio | Video): void => {
  if (data._tag === "Audio") {
    tally.audioFrames++
    tally.audioMeter.push(data.samples, data.channels)
  } else {
    tally.videoFrames++
    tally.videoWidth = data.frame.width
    tally.videoHeight = data.frame.height
  }
}

/** Every peer seen during one run, by id, in the order they connected. */
export class PeerTallies {
  readonly #byId = new Map<string, PeerTally>()

  /** The peer's tally, created (as Connected) the first time a peer shows up. */
  of(peerId: string, nowMs: number): PeerTally {
    const existing = this.#byId.get(peerId)
    if (existing !== undefined) return existing
    const tally = makePeerTally(peerId, nowMs)
    this.#byId.set(peerId, tally)
    return tally
  }

  /** The tally of a peer already seen. */
  get(peerId: string): PeerTally | undefined {
    return this.#byId.get(peerId)
  }

  all(): ReadonlyArray<PeerTally> {
    return [...this.#byId.values()]
  }
}
