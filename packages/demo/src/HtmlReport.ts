/**
 * The optional HTML report: per-peer received bitrate and RTT over the run, as inline SVG line charts
 * (one self-contained file, no scripts).
 *
 * @since 0.1.0
 */
import type { ConferenceResult, Tick } from "./Conference.ts"
import type { PeerRow } from "./PeerFigures.ts"

const palette = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#0598bc", "#d1242f", "#6e7781", "#953800", "#116329"]
const width = 640
const height = 200

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** One chart: a line per peer of `pick(row)` over time. */
const chart = (title: string, unit: string, history: ReadonlyArray<Tick>, pick: (row: PeerRow) => number): string => {
  const peers = history[0]?.rows.map((row) => row.peerId) ?? []
  const lastMs = Math.max(history.at(-1)?.atMs ?? 1, 1)
  const top = Math.max(1, ...history.flatMap((tick) => tick.rows.map(pick)))
  const lines = peers.map((peerId, index) => {
    const points = history
      .map((tick) => {
        const row = tick.rows.find((candidate) => candidate.peerId === peerId)
        return row === undefined ? "" : `${((tick.atMs / lastMs) * width).toFixed(1)},${(height - (pick(row) / top) * height).toFixed(1)}`
      })
      .join(" ")
    const color = palette[index % palette.length]
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"><title>${escape(peerId)}</title></polyline>`
  })
  const legend = peers.map((peerId, index) => `<span style="color:${palette[index % palette.length]}">■ ${escape(peerId)}</span>`).join(" ")
  return `<h2>${escape(title)}</h2><p>${legend} · max ${top.toFixed(1)} ${unit}</p>` +
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="background:#f6f8fa">${lines.join("")}</svg>`
}

/** The report's HTML. */
export const htmlReport = (result: ConferenceResult): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RemoteMedia demo report</title>` +
  `<style>body{font:14px system-ui,sans-serif;margin:2rem}</style></head><body>` +
  `<h1>RemoteMedia demo report</h1><p>${escape(result.verdict.line)}</p>` +
  chart("Video received", "kbps", result.history, (row) => row.videoKbps) +
  chart("Audio received", "kbps", result.history, (row) => row.audioKbps) +
  chart("Round-trip time", "ms", result.history, (row) => row.rttMs) +
  chart("Jitter-buffer delay", "ms", result.history, (row) => row.jitterBufferMs ?? 0) +
  `</body></html>\n`
