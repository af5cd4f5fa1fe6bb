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

/** What every peer should receive from each sender: its voice's fundamental and its video size. */
export interface Expectations {
  readonly senders: ReadonlyMap<string, { readonly fundamentalHz: number; readonly resolution: string }>
  /** How far (as a fraction) an identified fundamental may be off. */
  readonly toneTolerance: number
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

const audioCheck = (peers: ReadonlyArray<PeerFigures>, expectations: Expectations): Check => {
  const all = pairs(peers, expectations)
  const failures = all.flatMap(({ expected, got, receiver, sender }) => {
    if (got === undefined || got.audioFrames === 0) return [`${receiver} got no audio from ${sender}`]
    const hz = got.dominantHz
    return hz !== undefined && Math.abs(hz - expected.fundamentalHz) <= expected.fundamentalHz * expectations.toneTolerance
      ? []
      : [`${receiver} heard ${hz === undefined ? "too little" : `${hz.toFixed(0)} Hz`} from ${sender} (expected ${expected.fundamentalHz} Hz)`]
  })
  return {
    name: "audio",
    passed: all.length > 0 && failures.length === 0,
    detail: failures.length === 0 ? `${all.length}/${all.length} voices received and identified by pitch` : failures.join(", ")
  }
}

const videoCheck = (peers: ReadonlyArray<PeerFigures>, expectations: Expectations): Check => {
  const all = pairs(peers, expectations)
  const frames = all.reduce((total, { got }) => total + (got?.videoFrames ?? 0), 0)
  const failures = all.flatMap(({ expected, got, receiver, sender }) =>
    got === undefined || got.videoFrames === 0
      ? [`${receiver} got no video from ${sender}`]
      : got.resolution === expected.resolution
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
