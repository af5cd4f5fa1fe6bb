/**
 * The end of the demo: did the conference work? Each check names what it looked at; the verdict passes
 * only when all pass.
 *
 * @since 0.1.0
 */
import type { PeerFigures } from "./PeerFigures.ts"

export interface Check {
  readonly name: string
  readonly passed: boolean
  readonly detail: string
}

export interface Verdict {
  readonly passed: boolean
  readonly checks: ReadonlyArray<Check>
  /** One line: `VERDICT: PASS (...)` or `VERDICT: FAIL (...)`. */
  readonly line: string
}

/**
 * What every peer should receive: each sender's video at its size, and audio through the conference. The
 * host (which only mixes) hears each guest's voice at its fundamental; a guest hears from the host the mix
 * of the other guests (someone else's fundamental, never its own). Guests send each other no audio; a
 * browser talks to everyone.
 */
export interface Expectations {
  /** The peer that runs the mix-minus conference session. */
  readonly host: string
  readonly senders: ReadonlyMap<string, SenderExpectation>
  /** How far (as a fraction) an identified fundamental may be off. */
  readonly toneTolerance: number
}

/** What one sender sends. */
export interface SenderExpectation {
  readonly fundamentalHz: number
  readonly resolution: string
  /**
   * The sender's encoder may scale its video down (a browser does under CPU or bandwidth limits, as
   * `degradationPreference` "balanced" allows): any smaller size of the same aspect ratio is right too.
   */
  readonly mayScaleDown?: boolean
}

const size = (resolution: string) => resolution.split("x").map(Number) as [number, number]

/** Whether `got` is a size no larger than `expected` with the same aspect ratio (within rounding). */
export const isDownscaleOf = (got: string | undefined, expected: string): boolean => {
  if (got === undefined) return false
  const [w, h] = size(got)
  const [ew, eh] = size(expected)
  return w > 0 && h > 0 && w <= ew && h <= eh && Math.abs(w / h - ew / eh) < 0.02
}

const meshCheck = (peers: ReadonlyArray<PeerFigures>): Check => {
  const expected = peers.reduce((total, peer) => total + peer.expectedLinks, 0)
  const connected = peers.reduce((total, peer) => total + peer.links.filter((link) => link.state === "Connected").length, 0)
  return { name: "mesh", passed: expected > 0 && connected === expected, detail: `${connected}/${expected} connections up` }
}

const chatCheck = (peers: ReadonlyArray<PeerFigures>): Check => {
  const sent = peers.reduce((total, peer) => total + peer.chat.sent, 0)
  const received = peers.reduce((total, peer) => total + peer.chat.received, 0)
  const corrupted = peers.reduce((total, peer) => total + peer.chat.corrupted, 0)
  const silent = peers.filter((peer) => peer.expectedLinks > 0 && peer.chat.received === 0).map((peer) => peer.peerId)
  return {
    name: "chat",
    passed: sent > 0 && received === sent && corrupted === 0 && silent.length === 0,
    detail: `${received}/${sent} lines delivered in order${corrupted > 0 ? `, ${corrupted} out of order or altered` : ""}${silent.length > 0 ? `, nothing reached ${silent.join(", ")}` : ""}`
  }
}

/** Every (receiver, sender) pair the media checks look at. */
const pairs = (peers: ReadonlyArray<PeerFigures>, expectations: Expectations) =>
  peers.flatMap((peer) =>
    [...expectations.senders].filter(([sender]) => sender !== peer.peerId).map(([sender, expected]) => ({
      receiver: peer.peerId,
      sender,
      expected,
      got: peer.media.find((media) => media.from === sender)
    }))
  )

/** The participant whose voice is at `hz`, if any. */
const voiceAt = (hz: number, expectations: Expectations): string | undefined =>
  [...expectations.senders].find(([, { fundamentalHz }]) => Math.abs(hz - fundamentalHz) <= fundamentalHz * expectations.toneTolerance)?.[0]

const audioCheck = (peers: ReadonlyArray<PeerFigures>, expectations: Expectations): Check => {
  const { host } = expectations
  const isTransport = (peerId: string) => peers.some((peer) => peer.peerId === peerId)
  const all = pairs(peers, expectations).filter(({ receiver, sender }) => receiver === host || sender === host || !isTransport(sender))
  const failures = all.flatMap(({ expected, got, receiver, sender }) => {
    if (got === undefined || got.audioFrames === 0) return [`${receiver} got no audio from ${sender}`]
    const hz = got.dominantHz
    if (hz === undefined) return [`${receiver} heard too little from ${sender}`]
    const voice = voiceAt(hz, expectations)
    if (sender !== host) {
      return voice === sender ? [] : [`${receiver} heard ${hz.toFixed(0)} Hz from ${sender} (expected ${expected.fundamentalHz} Hz)`]
    }
    return voice !== undefined && voice !== receiver && voice !== host
      ? []
      : [`${receiver} heard ${hz.toFixed(0)} Hz in its mix (${voice === receiver ? "its own voice" : "nobody else's voice"})`]
  })
  return {
    name: "audio",
    passed: all.length > 0 && failures.length === 0,
    detail: failures.length === 0
      ? `${all.length}/${all.length} streams right (${host} hears every guest; every guest hears a mix without itself)`
      : failures.join(", ")
  }
}

const videoCheck = (peers: ReadonlyArray<PeerFigures>, expectations: Expectations): Check => {
  const all = pairs(peers, expectations)
  const frames = all.reduce((total, { got }) => total + (got?.videoFrames ?? 0), 0)
  const failures = all.flatMap(({ expected, got, receiver, sender }) =>
    got === undefined || got.videoFrames === 0
      ? [`${receiver} got no video from ${sender}`]
      : got.resolution === expected.resolution || (expected.mayScaleDown === true && isDownscaleOf(got.resolution, expected.resolution))
      ? []
      : [`${receiver} got ${got.resolution} from ${sender} (expected ${expected.resolution})`]
  )
  return {
    name: "video",
    passed: all.length > 0 && failures.length === 0,
    detail: failures.length === 0 ? `${all.length}/${all.length} streams decoded at their size, ${frames} frames` : failures.join(", ")
  }
}

/** Judges the final figures. */
export const judge = (peers: ReadonlyArray<PeerFigures>, expectations: Expectations): Verdict => {
  const checks = [meshCheck(peers), chatCheck(peers), audioCheck(peers, expectations), videoCheck(peers, expectations)]
  const passed = checks.every((check) => check.passed)
  const details = checks.map((check) => `${check.name}: ${check.detail}`).join("; ")
  return { passed, checks, line: `VERDICT: ${passed ? "PASS" : "FAIL"} (${details})` }
}
