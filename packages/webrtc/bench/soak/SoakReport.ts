/**
 * What a soak prints: a table of rows (one process, or the sum over every child process at the same
 * moment) and the closing verdict: data lost or out of order per sender→receiver stream, audio frames
 * received against sent, and the drift of memory and handles after the warm-up.
 */
import { handleTotal, type SoakSample, slope } from "./SoakSample.ts"
import type { ReceivedStream, TrafficCounters } from "./PeerTraffic.ts"

/** One table row: the samples of every live process at one moment, summed (`loopP99Ms`: the worst process). */
export interface SoakRow extends SoakSample {
  readonly processes: number
  readonly connections: number
}

const addCounts = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) => {
  const out: Record<string, number> = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v
  return out
}

const zeroTraffic: TrafficCounters = { dataSent: 0, dataReceived: 0, dataOutOfOrder: 0, audioSent: 0, audioReceived: 0, audioSendFailures: 0 }
const addTraffic = (a: TrafficCounters, b: TrafficCounters): TrafficCounters => ({
  dataSent: a.dataSent + b.dataSent,
  dataReceived: a.dataReceived + b.dataReceived,
  dataOutOfOrder: a.dataOutOfOrder + b.dataOutOfOrder,
  audioSent: a.audioSent + b.audioSent,
  audioReceived: a.audioReceived + b.audioReceived,
  audioSendFailures: a.audioSendFailures + b.audioSendFailures
})

/** The traffic of several transports, added up. */
export const sumTraffic = (all: ReadonlyArray<TrafficCounters>) => all.reduce(addTraffic, zeroTraffic)

/** Sums the samples several processes took at (about) the same moment; `connections` counts each pair once. */
export const rowOf = (samples: ReadonlyArray<SoakSample & { readonly connectedPeers: number }>): SoakRow => ({
  atS: Math.max(...samples.map((s) => s.atS)),
  processes: samples.length,
  connections: samples.reduce((a, s) => a + s.connectedPeers, 0) / 2,
  rssMiB: samples.reduce((a, s) => a + s.rssMiB, 0),
  heapMiB: samples.reduce((a, s) => a + s.heapMiB, 0),
  heapPhysicalMiB: samples.reduce((a, s) => a + s.heapPhysicalMiB, 0),
  externalMiB: samples.reduce((a, s) => a + s.externalMiB, 0),
  arrayBuffersMiB: samples.reduce((a, s) => a + s.arrayBuffersMiB, 0),
  handles: samples.reduce((a, s) => addCounts(a, s.handles), {}),
  loopP99Ms: Math.max(...samples.map((s) => s.loopP99Ms)),
  cpuPercent: samples.reduce((a, s) => a + s.cpuPercent, 0),
  traffic: sumTraffic(samples.map((s) => s.traffic))
})

const columns = [
  ["t(s)", 6], ["procs", 5], ["conns", 5], ["rss MiB", 8], ["heap MiB", 8], ["v8 MiB", 7], ["ext MiB", 7], ["ab MiB", 6], ["handles", 7], ["udp", 4], ["tcp", 4], ["timers", 6],
  ["loop p99", 8], ["cpu %", 5], ["data tx", 8], ["data rx", 8], ["disorder", 8], ["audio tx", 9], ["audio rx", 9], ["rx %", 6]
] as const

export const printHeader = () => console.log(columns.map(([name, width]) => name.padStart(width)).join(" "))

export const printRow = (row: SoakRow) => {
  const t = row.traffic
  const cells = [
    row.atS.toFixed(0), String(row.processes), row.connections.toFixed(0), row.rssMiB.toFixed(0), row.heapMiB.toFixed(1), row.heapPhysicalMiB.toFixed(1), row.externalMiB.toFixed(1), row.arrayBuffersMiB.toFixed(1),
    String(handleTotal(row.handles)), String(row.handles["UDPWrap"] ?? 0), String(row.handles["TCPWrap"] ?? 0), String(row.handles["Timeout"] ?? 0),
    row.loopP99Ms.toFixed(0), row.cpuPercent.toFixed(0), String(t.dataSent), String(t.dataReceived), String(t.dataOutOfOrder), String(t.audioSent), String(t.audioReceived),
    (100 * t.audioReceived / Math.max(1, t.audioSent)).toFixed(1)
  ]
  console.log(cells.map((cell, i) => cell.padStart(columns[i]![1])).join(" "))
}

/** Data sent per `from->to` stream, and what arrived on it. */
export interface StreamOutcome {
  readonly sent: number
  readonly received: ReceivedStream | undefined
}

/** Prints the verdict; true when no data message was lost or reordered. */
export const printVerdict = (streams: ReadonlyMap<string, StreamOutcome>, rows: ReadonlyArray<SoakRow>, warmUpS: number) => {
  let sent = 0
  let lost = 0
  let disordered = 0
  let gaps = 0
  const lossy: Array<string> = []
  for (const [key, { sent: count, received }] of streams) {
    sent += count
    const missing = Math.max(0, count - (received?.dataInOrder ?? 0))
    lost += missing
    disordered += received?.dataOutOfOrder ?? 0
    gaps += received?.dataGaps ?? 0
    if (missing > 0 || (received?.dataOutOfOrder ?? 0) > 0) {
      lossy.push(`${key}: ${missing} lost in ${received?.dataGaps ?? 0} gap(s), ${received?.dataOutOfOrder ?? 0} out of order`)
    }
  }
  const last = rows.at(-1)
  const audioSent = last?.traffic.audioSent ?? 0
  const audioReceived = last?.traffic.audioReceived ?? 0
  console.log(`data: ${sent} sent over ${streams.size} streams, ${sent - lost} arrived in order, ${lost} lost (in ${gaps} gaps), ${disordered} out of order`)
  for (const line of lossy.slice(0, 20)) console.log(`  ${line}`)
  console.log(`audio: ${audioSent} frame deliveries sent, ${audioReceived} decoded frames received (${(100 * audioReceived / Math.max(1, audioSent)).toFixed(2)} %), ${last?.traffic.audioSendFailures ?? 0} deliveries refused`)
  const steady = rows.filter((r) => r.atS >= warmUpS)
  if (steady.length >= 2) {
    const minutes = steady.map((r) => r.atS / 60)
    const first = steady[0]!
    const final = steady.at(-1)!
    const drift = (name: string, of: (row: SoakRow) => number) =>
      `${name} ${slope(minutes, steady.map(of)).toFixed(3)} MiB/min (${of(first).toFixed(1)} -> ${of(final).toFixed(1)})`
    const memory = [
      drift("heap", (r) => r.heapMiB),
      drift("rss", (r) => r.rssMiB),
      drift("v8 physical", (r) => r.heapPhysicalMiB),
      drift("external", (r) => r.externalMiB)
    ]
    console.log(
      `drift after ${warmUpS.toFixed(0)} s warm-up (all processes): ${memory.join(", ")}; handles ${handleTotal(first.handles)} -> ${handleTotal(final.handles)}, ` +
        `udp ${first.handles["UDPWrap"] ?? 0} -> ${final.handles["UDPWrap"] ?? 0}, timers ${first.handles["Timeout"] ?? 0} -> ${final.handles["Timeout"] ?? 0}`
    )
  }
  const clean = lost === 0 && disordered === 0
  console.log(`verdict: ${clean ? "no data lost or reordered" : "DATA LOST OR REORDERED"}`)
  return clean
}
