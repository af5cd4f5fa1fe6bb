/**
 * The server side of the signaling figures, in its own process (ported from the signaling-server bench):
 * `signaling` runs our server, `relay` the baseline (a bare `ws` server that answers each connection's
 * first frame and forwards the rest to the next connection, unparsed). Reports its url over IPC and
 * answers "mem" with its heap and RSS after a full GC.
 *
 *   node --conditions=source --expose-gc routingServer.ts <signaling|relay>
 */
import { make } from "@remotemedia/signaling-server"
import { Effect } from "effect"
import { type WebSocket, WebSocketServer } from "ws"

const send = (message: unknown) => process.send?.(message)

process.on("message", (message) => {
  if (message !== "mem") return
  globalThis.gc?.()
  const { heapUsed, rss } = process.memoryUsage()
  send({ heapUsed, rss })
})
process.on("disconnect", () => process.exit(0))

if (process.argv[2] === "relay") {
  const clients: Array<WebSocket> = []
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false })
  wss.on("connection", (socket) => {
    const index = clients.push(socket) - 1
    let first = true
    socket.on("message", (data) => {
      // The first frame is answered (the "announce" round trip); the rest go to the next connection.
      if (first) {
        first = false
        return socket.send(data)
      }
      clients[(index + 1) % Math.min(clients.length, Number(process.argv[3] ?? 100))]?.send(data)
    })
  })
  wss.on("listening", () => send({ url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}` }))
} else {
  Effect.runFork(Effect.scoped(Effect.gen(function*() {
    const server = yield* make({ rateLimit: 1_000_000, maxPeers: 10_000 })
    send({ url: server.url })
    return yield* Effect.never
  })))
}
