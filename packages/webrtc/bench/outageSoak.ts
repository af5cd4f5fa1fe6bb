/**
 * Outage soak: a full mesh of PEERS transports in this process, every peer broadcasting a 440 Hz tone and
 * sending sequence-numbered data-channel messages to every other peer, while the whole network goes dark for
 * OUTAGE_S seconds every OUTAGE_EVERY_S seconds (every ICE, DTLS and SCTP packet crosses a netsim relay that
 * drops everything then). Each outage fails every connection; the transports re-connect by themselves, and
 * the data channel must resume: no message whose send succeeded may be lost, repeated or reordered. Not a CI
 * test: run it by hand, inside the private network namespace.
 *
 *   scripts/netns node --conditions=source packages/webrtc/bench/outageSoak.ts
 *   PEERS=3 DURATION_S=300 OUTAGE_EVERY_S=60 OUTAGE_S=10 DATA_PER_S=10
 *
 * Prints one line per outage (connections before/after, re-connections reported), then the verdict per
 * sender→receiver stream. Exits 1 if any data message was lost or reordered.
 */
import { Duration, Effect, Schedule } from "effect"
import type { TransportEvent } from "../src/transport/TransportEvent.ts"
import { makeDarkNetwork } from "../test/reliability/support/darkNetwork.ts"
import { makePeerTraffic } from "./soak/PeerTraffic.ts"

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const peers = env("PEERS", 3)
const durationS = env("DURATION_S", 300)
const outageEveryS = env("OUTAGE_EVERY_S", 60)
const outageS = env("OUTAGE_S", 10)
const dataPerS = env("DATA_PER_S", 10)

// Re-connection quick enough that each outage is over well before the next; attempts never give up.
const config = {
  connectTimeoutMs: 15_000,
  reconnect: { maxRetries: 100, initialDelayMs: 500, multiplier: 2, maxDelayMs: 4_000 },
  circuitBreaker: { failureThreshold: 100, recoveryMs: 1_000, successThreshold: 1 }
}

const soak = Effect.gen(function*() {
  console.log(`outage soak: ${peers} peers in one process, ${durationS} s, dark ${outageS} s every ${outageEveryS} s, ${dataPerS} data msg/s per stream + audio`)
  const network = yield* makeDarkNetwork()
  const names = Array.from({ length: peers }, (_, i) => `peer${i}`)
  const started = yield* Effect.forEach(names, (name) => network.start(name, config))
  const transports = started.map((s) => s.transport)
  const pairs = names.flatMap((_, i) => names.slice(i + 1).map((b) => [i, b] as const))
  yield* Effect.forEach(pairs, ([i, b]) => transports[i]!.connectPeer(b), { concurrency: 4, discard: true })
  const traffic = yield* Effect.forEach(transports, makePeerTraffic)
  yield* Effect.forEach(traffic, (t, i) => t.startSending(names.filter((_, j) => j !== i), dataPerS))

  const count = (tag: TransportEvent["_tag"]) => started.reduce((sum, s) => sum + s.events.filter((e) => e._tag === tag).length, 0)
  const connected = Effect.map(Effect.forEach(transports, (t) => t.listPeers), (lists) => lists.reduce((a, l) => a + l.length, 0) / 2)
  const waitForMesh = connected.pipe(
    Effect.repeat({ schedule: Schedule.spaced("1 second"), until: (n) => n === pairs.length }),
    Effect.timeoutOption(Duration.seconds(outageEveryS - outageS))
  )

  const endAt = Date.now() + durationS * 1000
  let outages = 0
  while (Date.now() + outageEveryS * 1000 <= endAt) {
    // The soak itself: traffic runs between outages.
    yield* Effect.sleep(Duration.seconds(outageEveryS - outageS))
    const before = yield* connected
    yield* network.goDark
    yield* Effect.sleep(Duration.seconds(outageS))
    yield* network.restore
    const back = yield* waitForMesh
    outages++
    const t = traffic.map((p) => p.counters()).reduce((a, c) => ({ sent: a.sent + c.dataSent, received: a.received + c.dataReceived }), { sent: 0, received: 0 })
    console.log(
      `outage ${outages}: ${before}/${pairs.length} connected before, ${back._tag === "Some" ? back.value : "not all"} after; ` +
        `${count("PeerReconnected")} re-connections, ${count("PeerFailed")} peers failed so far; data ${t.sent} sent, ${t.received} received`
    )
  }
  yield* Effect.forEach(traffic, (t) => t.stopSending)

  let sent = 0
  let lost = 0
  let disordered = 0
  yield* Effect.forEach(traffic, (receiver, i) =>
    Effect.gen(function*() {
      const expected = Object.fromEntries(traffic.flatMap((sender, j) => i === j ? [] : [[names[j]!, sender.sentTo()[names[i]!] ?? 0]]))
      yield* receiver.awaitReceived(expected)
      const received = receiver.receivedFrom()
      for (const [from, count] of Object.entries(expected)) {
        const stream = received[from]
        const missing = Math.max(0, count - (stream?.dataInOrder ?? 0))
        sent += count
        lost += missing
        disordered += stream?.dataOutOfOrder ?? 0
        if (missing > 0 || (stream?.dataOutOfOrder ?? 0) > 0) console.log(`  ${from}->${names[i]}: ${missing} lost, ${stream?.dataOutOfOrder ?? 0} out of order`)
      }
    }))
  const audio = traffic.map((p) => p.counters()).reduce((a, c) => ({ sent: a.sent + c.audioSent, received: a.received + c.audioReceived }), { sent: 0, received: 0 })
  console.log(`data: ${sent} sent over ${pairs.length * 2} streams across ${outages} outages, ${sent - lost} arrived in order, ${lost} lost, ${disordered} out of order`)
  console.log(`audio: ${audio.sent} frame deliveries sent, ${audio.received} received (${(100 * audio.received / Math.max(1, audio.sent)).toFixed(1)} %; frames sent into an outage are lost)`)
  console.log(`events: ${count("PeerReconnecting")} re-connection attempts, ${count("PeerReconnected")} re-connections, ${count("PeerFailed")} failed`)
  const clean = lost === 0 && disordered === 0
  console.log(`verdict: ${clean ? "no data lost or reordered" : "DATA LOST OR REORDERED"}`)
  return clean
})

Effect.runPromise(Effect.scoped(soak)).then(
  (clean) => process.exit(clean ? 0 : 1),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
