/**
 * Signaling server figures (the method of the signaling-server bench), each against a bare `ws` relay
 * that forwards frames without parsing them, both servers in their own process, rounds alternating:
 *
 * - messages routed per second: every client sends `signalingMessages` ICE-candidate frames to the next.
 * - announce latency: `peer.announce` → its response, per client (the relay: first frame → its echo).
 * - server memory per connected peer: heap growth from idle to `signalingMemoryPeers` connected clients.
 */
import { Effect } from "effect"
import { type ChildProcess, fork } from "node:child_process"
import { performance } from "node:perf_hooks"
import { WebSocket } from "ws"
import type { BenchSizes } from "../BenchSizes.ts"
import { type Figure, measured } from "../report/Figure.ts"

type Mode = "relay" | "signaling"
interface Memory {
  readonly heapUsed: number
  readonly rss: number
}
interface Client {
  readonly socket: WebSocket
  onFrame: () => void
}

const CANDIDATE = "candidate:842163049 1 udp 1677729535 127.0.0.1 54321 typ srflx raddr 127.0.0.1 rport 54321 generation 0"

const startServer = (mode: Mode, clients: number) =>
  new Promise<{ child: ChildProcess; url: string }>((resolve, reject) => {
    const child = fork(new URL("../signaling/routingServer.ts", import.meta.url), [mode, String(clients)], {
      execArgv: ["--conditions=source", "--expose-gc"]
    })
    child.once("message", (m) => resolve({ child, url: (m as { url: string }).url }))
    child.once("error", reject)
  })

const memory = (child: ChildProcess) =>
  new Promise<Memory>((resolve) => {
    child.once("message", (m) => resolve(m as Memory))
    child.send("mem")
  })

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
    socket.on("message", () => client.onFrame())
  })

/** Every client sends `perClient` frames to the next one; resolves with messages/s once all arrived. */
const round = (clients: ReadonlyArray<Client>, perClient: number) =>
  new Promise<number>((resolve) => {
    const total = clients.length * perClient
    let received = 0
    const started = performance.now()
    for (const client of clients) {
      client.onFrame = () => {
        if (++received === total) resolve(total / ((performance.now() - started) / 1000))
      }
    }
    clients.forEach((client, i) => {
      const frame = JSON.stringify({
        jsonrpc: "2.0",
        method: "peer.ice_candidate",
        params: { to: `p${(i + 1) % clients.length}`, candidate: CANDIDATE, sdp_mid: "0", sdp_m_line_index: 0, request_id: "bench-request" }
      })
      for (let k = 0; k < perClient; k++) client.socket.send(frame)
    })
  })

const setUp = async (mode: Mode, count: number, { child, url }: Awaited<ReturnType<typeof startServer>>) => {
  const idle = await memory(child)
  const clients: Array<Client> = []
  const latencies: Array<number> = []
  for (let i = 0; i < count; i++) {
    const { client, latencyMs } = await connect(url, mode, i)
    clients.push(client)
    latencies.push(latencyMs)
  }
  return { mode, child, url, idle, clients, latencies, rates: [] as Array<number> }
}

/** Connects up to `peers` clients, returns the server's heap growth per peer (KiB), tears everything down. */
const memoryPerPeer = async (setup: Awaited<ReturnType<typeof setUp>>, peers: number) => {
  for (let i = setup.clients.length; i < peers; i++) setup.clients.push((await connect(setup.url, setup.mode, i)).client)
  const loaded = await memory(setup.child)
  for (const c of setup.clients) c.socket.terminate()
  setup.child.kill()
  return (loaded.heapUsed - setup.idle.heapUsed) / peers / 1024
}

/** Routing, announce and memory figures. */
export const signalingSuite = (sizes: BenchSizes): Effect.Effect<ReadonlyArray<Figure>> =>
  Effect.promise(async () => {
    // Both servers start at once (a Node process each, seconds under load); nothing is measured meanwhile.
    const [relayServer, signalingServer] = await Promise.all([startServer("relay", sizes.signalingClients), startServer("signaling", sizes.signalingClients)])
    const relay = await setUp("relay", sizes.signalingClients, relayServer)
    const signaling = await setUp("signaling", sizes.signalingClients, signalingServer)
    // One unrecorded round each, then alternating rounds: load from elsewhere hits both alike.
    for (const setup of [relay, signaling]) await round(setup.clients, sizes.signalingMessages)
    for (let r = 0; r < sizes.signalingRounds; r++) {
      for (const setup of [relay, signaling]) setup.rates.push(await round(setup.clients, sizes.signalingMessages))
    }
    const relayMemory = await memoryPerPeer(relay, sizes.signalingMemoryPeers)
    const signalingMemory = await memoryPerPeer(signaling, sizes.signalingMemoryPeers)
    return [
      measured(
        { id: "signaling.routedPerSecond", title: `signaling server, messages routed per second (${sizes.signalingClients} clients)`, unit: "msg/s", better: "higher" },
        ["bare ws relay", relay.rates],
        ["signaling server", signaling.rates]
      ),
      measured(
        { id: "signaling.announce", title: "signaling server, announce latency (request → response)", unit: "ms" },
        ["bare ws relay echo", relay.latencies],
        ["peer.announce", signaling.latencies]
      ),
      measured(
        { id: "signaling.memoryPerPeer", title: `signaling server, heap per connected peer (${sizes.signalingMemoryPeers} peers)`, unit: "KiB" },
        ["bare ws relay", [relayMemory]],
        ["signaling server", [signalingMemory]]
      )
    ]
  })
