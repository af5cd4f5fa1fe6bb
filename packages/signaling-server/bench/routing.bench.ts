/**
 * Signaling server benchmark: messages/s routed by one server process between 100 clients, announce
 * latency, and memory per connected peer, each next to a baseline measured in the same run (a bare
 * `ws` relay that forwards frames without parsing them).
 *
 * Run: scripts/netns node --conditions=source packages/signaling-server/bench/routing.bench.ts
 */
import { type ChildProcess, fork } from "node:child_process"
import { performance } from "node:perf_hooks"
import { WebSocket } from "ws"

const CLIENTS = 100
const MESSAGES_PER_CLIENT = 200
const ROUNDS = 9
const MEMORY_PEERS = 500
const CANDIDATE = "candidate:842163049 1 udp 1677729535 127.0.0.1 54321 typ srflx raddr 127.0.0.1 rport 54321 generation 0"

type Mode = "relay" | "signaling"

const summary = (xs: Array<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN
  return { median: q(0.5), p90: q(0.9), p99: q(0.99), min: s[0] ?? Number.NaN, max: s.at(-1) ?? Number.NaN }
}
const fmt = (x: number, digits = 2) => x.toFixed(digits)

const startServer = (mode: Mode) =>
  new Promise<{ child: ChildProcess; url: string }>((resolve, reject) => {
    const child = fork(new URL("./benchServer.ts", import.meta.url), [mode], {
      execArgv: ["--conditions=source", "--expose-gc"]
    })
    child.once("message", (m) => resolve({ child, url: (m as { url: string }).url }))
    child.once("error", reject)
  })

const memory = (child: ChildProcess) =>
  new Promise<{ heapUsed: number; rss: number }>((resolve) => {
    child.once("message", (m) => resolve(m as { heapUsed: number; rss: number }))
    child.send("mem")
  })

interface Client {
  readonly socket: WebSocket
  onFrame: (data: string) => void
}

/** Opens a client and does its first round trip (announce, or the relay's echo); returns its latency. */
const connect = (url: string, mode: Mode, index: number) =>
  new Promise<{ client: Client; latencyMs: number }>((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false })
    const client: Client = { socket, onFrame: () => undefined }
    socket.on("error", reject)
    socket.once("open", () => {
      const started = performance.now()
      client.onFrame = () => {
        client.onFrame = () => undefined
        resolve({ client, latencyMs: performance.now() - started })
      }
      socket.send(mode === "signaling"
        ? JSON.stringify({ jsonrpc: "2.0", id: 1, method: "peer.announce", params: { peer_id: `p${index}`, capabilities: ["audio", "video", "data"] } })
        : JSON.stringify({ hello: index }))
    })
    socket.on("message", (data) => client.onFrame(data.toString()))
  })

const frameFor = (index: number) =>
  JSON.stringify({
    jsonrpc: "2.0",
    method: "peer.ice_candidate",
    params: { to: `p${(index + 1) % CLIENTS}`, candidate: CANDIDATE, sdp_mid: "0", sdp_m_line_index: 0, request_id: "bench-request" }
  })

/** Every client sends MESSAGES_PER_CLIENT frames to the next one; resolves with messages/s once all arrived. */
const round = (clients: Array<Client>) =>
  new Promise<number>((resolve) => {
    const total = clients.length * MESSAGES_PER_CLIENT
    let received = 0
    const started = performance.now()
    for (const client of clients) {
      client.onFrame = () => {
        if (++received === total) resolve(total / ((performance.now() - started) / 1000))
      }
    }
    clients.forEach((client, i) => {
      const frame = frameFor(i)
      for (let k = 0; k < MESSAGES_PER_CLIENT; k++) client.socket.send(frame)
    })
  })

/** Starts a server of `mode` and connects CLIENTS clients to it, one after another. */
const setUp = async (mode: Mode) => {
  const { child, url } = await startServer(mode)
  const idle = await memory(child)
  const clients: Array<Client> = []
  const latencies: Array<number> = []
  for (let i = 0; i < CLIENTS; i++) {
    const { client, latencyMs } = await connect(url, mode, i)
    clients.push(client)
    latencies.push(latencyMs)
  }
  return { mode, child, url, idle, clients, latencies, rates: [] as Array<number> }
}

/** Connects up to MEMORY_PEERS and returns the server's growth per peer; then tears everything down. */
const memoryPerPeer = async (setup: Awaited<ReturnType<typeof setUp>>) => {
  for (let i = CLIENTS; i < MEMORY_PEERS; i++) setup.clients.push((await connect(setup.url, setup.mode, i)).client)
  const loaded = await memory(setup.child)
  for (const c of setup.clients) c.socket.terminate()
  setup.child.kill()
  return { heap: (loaded.heapUsed - setup.idle.heapUsed) / MEMORY_PEERS, rss: (loaded.rss - setup.idle.rss) / MEMORY_PEERS }
}

const relay = await setUp("relay")
const signaling = await setUp("signaling")
// Rounds alternate between the two servers, so load from elsewhere on the machine hits both alike.
for (const setup of [relay, signaling]) await round(setup.clients)
for (let r = 0; r < ROUNDS; r++) {
  for (const setup of [relay, signaling]) setup.rates.push(await round(setup.clients))
}
const results = [] as Array<{ name: string; rate: ReturnType<typeof summary>; latency: ReturnType<typeof summary>; heap: number; rss: number }>
for (const [name, setup] of [["baseline: bare ws relay", relay], ["signaling server", signaling]] as const) {
  results.push({ name, rate: summary(setup.rates), latency: summary(setup.latencies), ...(await memoryPerPeer(setup)) })
}
console.log(`signaling server routing, ${CLIENTS} clients × ${MESSAGES_PER_CLIENT} messages, ${ROUNDS} rounds (server in its own process)`)
for (const r of results) {
  console.log(`\n${r.name}`)
  console.log(`  routed msgs/s   median ${fmt(r.rate.median, 0)}  p90 ${fmt(r.rate.p90, 0)}  min-max ${fmt(r.rate.min, 0)}-${fmt(r.rate.max, 0)}`)
  console.log(`  first round trip (announce) ms  median ${fmt(r.latency.median)}  p90 ${fmt(r.latency.p90)}  p99 ${fmt(r.latency.p99)}  min-max ${fmt(r.latency.min)}-${fmt(r.latency.max)}`)
  console.log(`  memory per connected peer (${MEMORY_PEERS} peers)  heap ${fmt(r.heap / 1024, 1)} KiB  rss ${fmt(r.rss / 1024, 1)} KiB`)
}
const [base, ours] = results
if (base !== undefined && ours !== undefined) console.log(`\nrouting throughput vs baseline: ${fmt(ours.rate.median / base.rate.median)}×`)
