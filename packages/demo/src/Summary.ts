/**
 * The demo's last words: the final table, each check, the browser's view and the verdict line, as text
 * for people or as JSON for machines.
 *
 * @since 0.1.0
 */
import type { ConferenceResult } from "./Conference.ts"
import type { DemoOptions } from "./DemoOptions.ts"
import { peerRow } from "./PeerFigures.ts"
import { renderTable } from "./StatsTable.ts"

/** The summary for people. */
export const textSummary = (options: DemoOptions, result: ConferenceResult): string => {
  const lines = [
    `RemoteMedia demo: ${result.peers.length} peers, ${options.codec} ${options.resolution}, ${(result.durationMs / 1000).toFixed(1)} s, signaling ${result.signalingUrl}`,
    "",
    renderTable(result.peers.map(peerRow)),
    "",
    ...result.verdict.checks.map((check) => `${check.passed ? "ok  " : "FAIL"} ${check.name}: ${check.detail}`)
  ]
  if (result.browser !== undefined) {
    const seen = result.browser.peers.map((peer) => `${peer["peer"]} ${peer["state"]} (rtt ${peer["rttMs"] ?? "–"} ms)`)
    lines.push(`     browser: ${seen.join(", ") || "no peers"}; ${result.browser.chatLines} chat lines shown`)
  }
  lines.push("", result.verdict.line)
  return lines.join("\n")
}

/** The summary for machines: options, per-peer rows and connections, checks and verdict. */
export const jsonSummary = (options: DemoOptions, result: ConferenceResult): string =>
  JSON.stringify({
    options,
    durationMs: result.durationMs,
    peers: result.peers.map((peer) => ({ peerId: peer.peerId, row: peerRow(peer), links: peer.links, chat: peer.chat })),
    browser: result.browser,
    checks: result.verdict.checks,
    verdict: { passed: result.verdict.passed, line: result.verdict.line }
  }, null, 2)
