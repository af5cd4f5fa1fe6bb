/**
 * The live view's table: rows of figures as aligned plain text (pure, so it is tested without a
 * terminal). The live view redraws it in place; the summary prints it once.
 *
 * @since 0.1.0
 */
import type { PeerRow } from "./PeerFigures.ts"

const columns: ReadonlyArray<readonly [string, (row: PeerRow) => string]> = [
  ["peer", (row) => row.peerId],
  ["links", (row) => row.links],
  ["RTT ms", (row) => row.rttMs.toFixed(1)],
  ["loss %", (row) => row.lossPercent.toFixed(1)],
  ["jitter ms", (row) => row.jitterMs.toFixed(1)],
  ["jitter buffer ms", (row) => row.jitterBufferMs?.toFixed(0) ?? "–"],
  ["audio kbps", (row) => row.audioKbps.toFixed(0)],
  ["video kbps", (row) => row.videoKbps.toFixed(0)],
  ["video", (row) => row.video],
  ["sync", (row) => row.sync],
  ["frames a/v", (row) => row.frames],
  ["chat", (row) => row.chat]
]

/** The rows under a header, every column as wide as its widest cell; numbers right-aligned. */
export const renderTable = (rows: ReadonlyArray<PeerRow>): string => {
  const cells = [columns.map(([title]) => title), ...rows.map((row) => columns.map(([, cell]) => cell(row)))]
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => line[index]?.length ?? 0)))
  return cells
    .map((line) => line.map((cell, index) => index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0)).join("  "))
    .join("\n")
}
