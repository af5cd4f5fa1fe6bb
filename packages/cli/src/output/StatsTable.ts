/**
 * A report as a fixed-width text table, for terminals: the live view redraws it, the summary prints it.
 *
 * @since 0.1.0
 */
import type { PeerReport, StatsReport } from "../stats/StatsReport.ts"

const columns: ReadonlyArray<readonly [string, (peer: PeerReport) => string]> = [
  ["peer", (peer) => peer.peerId],
  ["state", (peer) => peer.state],
  ["rtt ms", (peer) => figure(peer.rttMs)],
  ["loss %", (peer) => (peer.packetLoss === null ? "-" : (peer.packetLoss * 100).toFixed(1))],
  ["jitter", (peer) => figure(peer.jitterMs)],
  ["kbps", (peer) => figure(peer.bandwidthKbps)],
  ["sync", (peer) => peer.sync ?? "-"],
  ["pkts in/out/lost", (peer) => (peer.packets === null ? "-" : `${peer.packets.received}/${peer.packets.sent}/${peer.packets.lost}`)],
  ["jb ms", (peer) => figure(peer.jitterBuffer?.delayMs ?? null)],
  ["audio Hz", (peer) => figure(peer.audio.dominantHz)],
  ["video", (peer) => (peer.video.width === null ? "-" : `${peer.video.width}x${peer.video.height} #${peer.video.frames}`)],
  ["data in/out", (peer) => `${peer.data.received}/${peer.data.sent}`]
]

const figure = (value: number | null) => (value === null ? "-" : String(value))

/** The header line, then one line per peer (or a placeholder line when there is none). */
export const statsTable = (report: Pick<StatsReport, "id" | "elapsedS" | "peers">): ReadonlyArray<string> => {
  const title = `${report.id}, ${report.elapsedS.toFixed(1)} s, ${report.peers.length} peer(s)`
  if (report.peers.length === 0) return [title, "  (no peer connected yet)"]
  const cells = [columns.map(([name]) => name), ...report.peers.map((peer) => columns.map(([, cell]) => cell(peer)))]
  const widths = columns.map((_, index) => Math.max(...cells.map((row) => row[index]!.length)))
  return [title, ...cells.map((row) => `  ${row.map((cell, index) => cell.padEnd(widths[index]!)).join("  ")}`.trimEnd())]
}
