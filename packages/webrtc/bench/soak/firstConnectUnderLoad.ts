/**
 * Where does a first connection wait when the machine is overloaded? Connects ATTEMPTS pairs of raw werift
 * peers (our transport's werift configuration: loopback candidates, our STUN responder, audio + video +
 * data channel, max-bundle; signaling is a direct in-process hand-over with trickle ICE) one after the
 * other, while BUSY child processes spin on the CPU and this process's event loop is blocked for up to
 * STALL_MS at random every 100 ms (what a 720p encode or a loaded scheduler does to a transport).
 * An attempt where a side fails, or that is not connected on both sides after TIMEOUT_S, prints its
 * timeline: every signaling, ICE, connection state change of each side with its time, the DTLS and
 * candidate-pair states, and what werift's DTLS modules logged as warnings or errors meanwhile.
 *
 *   scripts/netns node --conditions=source packages/webrtc/bench/soak/firstConnectUnderLoad.ts
 *   ATTEMPTS=30 BUSY=12 STALL_MS=300 TIMEOUT_S=15 (defaults)
 */
import { type ChildProcess, spawn } from "node:child_process"
import { Effect } from "effect"
import { type RTCIceCandidate, RTCPeerConnection } from "werift"
import { decodeConfig } from "../../src/config/WebRtcTransportConfig.ts"
import { rtcConfiguration } from "../../src/peer/rtcConfiguration.ts"
import { captureWeriftLog, dtlsTransportLog } from "../../test/reliability/support/weriftLog.ts"
import { stunServer } from "../../test/support/stunServer.ts"

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const ATTEMPTS = env("ATTEMPTS", 30)
const BUSY = env("BUSY", 12)
const STALL_MS = env("STALL_MS", 300)
const TIMEOUT_S = env("TIMEOUT_S", 15)

/** Busy children for the scope's lifetime. */
const busyLoad = (count: number) =>
  Effect.acquireRelease(
    Effect.sync(() => Array.from({ length: count }, () => spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }))),
    (children: ReadonlyArray<ChildProcess>) => Effect.sync(() => children.forEach((child) => child.kill("SIGKILL")))
  )

/** Blocks this event loop for a random 0..maxMs every 100 ms, for the scope's lifetime. */
const stalledLoop = (maxMs: number) =>
  Effect.acquireRelease(
    Effect.sync(() =>
      setInterval(() => {
        const until = performance.now() + Math.random() * maxMs
        while (performance.now() < until);
      }, 100)
    ),
    (timer) => Effect.sync(() => clearInterval(timer))
  )

/** One side's state timeline. */
const watch = (name: string, pc: RTCPeerConnection, t0: number, timeline: Array<string>) => {
  const at = () => `${(performance.now() - t0).toFixed(0).padStart(6)} ms ${name}`
  pc.signalingStateChange.subscribe((s) => void timeline.push(`${at()} signaling ${s}`))
  pc.iceGatheringStateChange.subscribe((s) => void timeline.push(`${at()} gathering ${s}`))
  pc.iceConnectionStateChange.subscribe((s) => void timeline.push(`${at()} ice ${s}`))
  pc.connectionStateChange.subscribe((s) => void timeline.push(`${at()} connection ${s}`))
  pc.onIceCandidate.subscribe((c) => void timeline.push(`${at()} local candidate ${c?.candidate ?? "(end)"}`))
}

/** The DTLS and candidate-pair state of a side that never connected. */
const snapshot = (name: string, pc: RTCPeerConnection) => {
  const lines: Array<string> = []
  for (const dtls of pc.dtlsTransports) {
    lines.push(`${name} dtls ${dtls.state} role ${dtls.role} ice ${dtls.iceTransport.state}`)
    const connection = dtls.iceTransport.connection
    for (const pair of connection.checkList) {
      lines.push(`${name}   pair ${pair.localCandidate.host}:${pair.localCandidate.port} -> ${pair.remoteCandidate.host}:${pair.remoteCandidate.port} ${pair.state} nominated ${pair.nominated}`)
    }
  }
  return lines
}

const attempt = (config: ConstructorParameters<typeof RTCPeerConnection>[0], index: number, weriftLog: Array<string>) =>
  Effect.promise(async () => {
    const t0 = performance.now()
    weriftLog.length = 0
    const timeline: Array<string> = []
    const offerer = new RTCPeerConnection(config)
    const answerer = new RTCPeerConnection(config)
    watch("offerer ", offerer, t0, timeline)
    watch("answerer", answerer, t0, timeline)
    // Candidates that arrive before the answerer has the offer wait, as our PeerManager does.
    const early: Array<RTCIceCandidate> = []
    let answererReady = false
    offerer.onIceCandidate.subscribe((c) => {
      if (c === undefined) return
      if (answererReady) void answerer.addIceCandidate(c)
      else early.push(c)
    })
    answerer.onIceCandidate.subscribe((c) => void (c !== undefined && offerer.addIceCandidate(c)))
    offerer.createDataChannel("data", { negotiated: true, id: 0 })
    answerer.createDataChannel("data", { negotiated: true, id: 0 })
    offerer.addTransceiver("audio", { direction: "sendrecv" })
    offerer.addTransceiver("video", { direction: "sendrecv" })
    const bothConnected = Promise.all([offerer, answerer].map((pc) => new Promise<void>((resolve) => {
      pc.connectionStateChange.subscribe((s) => void (s === "connected" && resolve()))
    })))
    const eitherFailed = new Promise<"failed">((resolve) => {
      for (const pc of [offerer, answerer]) pc.connectionStateChange.subscribe((s) => void (s === "failed" && resolve("failed")))
    })
    await offerer.setLocalDescription(await offerer.createOffer())
    await answerer.setRemoteDescription(offerer.localDescription!)
    answererReady = true
    for (const c of early.splice(0)) await answerer.addIceCandidate(c)
    await answerer.setLocalDescription(await answerer.createAnswer())
    await offerer.setRemoteDescription(answerer.localDescription!)
    let timer: NodeJS.Timeout | undefined
    const outcome = await Promise.race([
      bothConnected.then(() => "connected" as const),
      eitherFailed,
      new Promise<"stalled">((resolve) => (timer = setTimeout(() => resolve("stalled"), TIMEOUT_S * 1000)))
    ])
    clearTimeout(timer)
    const elapsedMs = performance.now() - t0
    if (outcome !== "connected") {
      console.log(`attempt ${index}: ${outcome === "failed" ? "A SIDE FAILED" : `NOT CONNECTED after ${TIMEOUT_S} s`}; timeline:`)
      for (const line of [...timeline, ...snapshot("offerer ", offerer), ...snapshot("answerer", answerer)]) console.log(`  ${line}`)
      for (const line of weriftLog.filter((l) => /err|warn|fail|retransmit/i.test(l)).slice(0, 30)) console.log(`  werift: ${line.trim().slice(0, 300)}`)
    }
    await Promise.all([offerer.close(), answerer.close()])
    return { outcome, elapsedMs }
  })

const program = Effect.gen(function*() {
  const stunUrl = yield* stunServer
  const config = rtcConfiguration(yield* decodeConfig({ signalingUrl: "ws://127.0.0.1:1/unused", peerId: "diag", stunServers: [stunUrl], candidateHosts: "loopback" }))
  yield* busyLoad(BUSY)
  yield* stalledLoop(STALL_MS)
  console.log(`first connect under load: ${ATTEMPTS} attempts, ${BUSY} busy processes, event loop blocked up to ${STALL_MS} ms every 100 ms, ${TIMEOUT_S} s timeout`)
  const weriftLog = yield* captureWeriftLog(`${dtlsTransportLog},werift-dtls*`)
  const results: Array<{ outcome: "connected" | "failed" | "stalled"; elapsedMs: number }> = []
  for (let i = 0; i < ATTEMPTS; i++) results.push(yield* attempt(config, i, weriftLog))
  const times = results.filter((r) => r.outcome === "connected").map((r) => r.elapsedMs).toSorted((a, b) => a - b)
  const pick = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]?.toFixed(0) ?? "-"
  console.log(`connected ${times.length}/${ATTEMPTS}; time to connected median ${pick(0.5)} ms, p90 ${pick(0.9)} ms, max ${pick(1)} ms`)
})

Effect.runPromise(Effect.scoped(program)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
