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

/** Judges the final figures. */
export const judge = (peers: ReadonlyArray<PeerFigures>): Verdict => {
  const checks = [meshCheck(peers), chatCheck(peers)]
  const passed = checks.every((check) => check.passed)
  const details = checks.map((check) => `${check.name}: ${check.detail}`).join("; ")
  return { passed, checks, line: `VERDICT: ${passed ? "PASS" : "FAIL"} (${details})` }
}
