/**
 * A hostile (or broken) signaling server: after a proper announce it sends the client fast-check-generated
 * frames (random text, random JSON, well-formed notifications with one field replaced, responses to ids
 * never asked, a 1 MiB frame), and answers one request with a malformed result. The client must drop what
 * is invalid (its view of the peers holds only valid entries), fail that one request with a tagged
 * `SignalingError`, and keep working: later valid frames are delivered and requests answered.
 */
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Predicate, Schedule, Stream } from "effect"
import * as fc from "fast-check"
import { type WebSocket, WebSocketServer } from "ws"
import { make as makeSignalingClient, type SignalingEvent } from "../../src/signaling/index.ts"

const entry = (peerId: string) => ({ peer_id: peerId, capabilities: ["data"], user_data: {}, announced_at: "2026-11-25T00:00:00Z" })
const notification = (method: string, params: unknown) => ({ jsonrpc: "2.0", method, params })

const validNotifications = [
  notification("peer.announced", entry("valid-peer")),
  notification("peer.left", { peer_id: "valid-peer", reason: "timeout" }),
  notification("peer.offer", { from: "valid-peer", sdp: "v=0", can_trickle_ice_candidates: true, request_id: "r" }),
  notification("peer.answer", { from: "valid-peer", sdp: "v=0", can_trickle_ice_candidates: false, request_id: "r" }),
  notification("peer.ice_candidate", { from: "valid-peer", candidate: "", sdp_mid: null, sdp_m_line_index: null, request_id: "r" }),
  notification("peer.disconnected", { from: "valid-peer", reason: "error" })
]

/** A valid notification with one field (top-level or in params) replaced by an arbitrary JSON value. */
const mutated = fc.tuple(
  fc.constantFrom(...validNotifications),
  fc.constantFrom("jsonrpc", "method", "params", "peer_id", "from", "sdp", "request_id", "capabilities", "reason", "candidate", "user_data"),
  fc.jsonValue()
).map(([frame, key, value]) => {
  const copy = structuredClone(frame) as Record<string, unknown>
  if (key in copy) copy[key] = value
  else (copy["params"] as Record<string, unknown>)[key] = value
  return JSON.stringify(copy)
})

const frames = fc.oneof(
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  mutated,
  fc.record({ jsonrpc: fc.constant("2.0"), id: fc.oneof(fc.integer(), fc.string()), result: fc.jsonValue() }).map((r) => JSON.stringify(r)),
  fc.record({ jsonrpc: fc.constant("2.0"), id: fc.oneof(fc.integer(), fc.constant(null)), error: fc.jsonValue() }).map((r) => JSON.stringify(r)),
  fc.array(mutated, { maxLength: 3 }).map((batch) => `[${batch.join(",")}]`),
  fc.constant(JSON.stringify(notification("peer.announced", { ...entry("huge"), user_data: { blob: "x".repeat(1024 * 1024) } })))
)

const cases = Number(process.env["RELIABILITY_FUZZ_CASES"] ?? 300)

/** A one-client WebSocket server that registers the client, then lets the test speak for it. */
const hostileServer = Effect.gen(function*() {
  const socket = yield* Deferred.make<WebSocket>()
  const listRequests: Array<number> = []
  const server = yield* Effect.acquireRelease(
    Effect.callback<WebSocketServer>((resume) => {
      const wss: WebSocketServer = new WebSocketServer({ host: "127.0.0.1", port: 0 }, () => resume(Effect.succeed(wss)))
    }),
    (wss) => Effect.callback<void>((resume) => {
      for (const client of wss.clients) client.terminate()
      wss.close(() => resume(Effect.void))
    })
  )
  server.on("connection", (ws) => {
    ws.on("message", (data) => {
      const request = JSON.parse(data.toString()) as { id?: number; method: string; params: { peer_id?: string } }
      if (request.method === "peer.announce") {
        const result = { status: "registered", peer_id: request.params.peer_id, server_time: new Date().toISOString(), session_key: "k", peers: [] }
        ws.send(JSON.stringify({ jsonrpc: "2.0", id: request.id, result }))
        Deferred.doneUnsafe(socket, Effect.succeed(ws))
      } else if (request.method === "peer.list" && request.id !== undefined) listRequests.push(request.id)
    })
  })
  const { port } = server.address() as { port: number }
  const ws = Deferred.await(socket)
  const answerList = (result: unknown) =>
    Effect.gen(function*() {
      const id = listRequests.shift()
      if (id === undefined) return yield* Effect.die(new Error("no peer.list request is waiting"))
      ;(yield* ws).send(JSON.stringify({ jsonrpc: "2.0", id, result }))
    })
  /** Waits (polling, failing after 15 s) until the client's `peer.list` request reached the server. */
  const awaitListRequest = Effect.sync(() => listRequests.length).pipe(
    Effect.repeat({ schedule: Schedule.spaced("20 millis"), until: (n) => n === 1 }),
    Effect.timeout("15 seconds")
  )
  return { url: `ws://127.0.0.1:${port}`, send: (text: string) => Effect.map(ws, (s) => s.send(text)), answerList, awaitListRequest }
})

describe("a hostile signaling server", () => {
  it.live(`${cases} malformed frames are dropped; a malformed result fails its request; the client keeps working`, () =>
    Effect.gen(function*() {
      const server = yield* hostileServer
      const client = yield* makeSignalingClient({ url: server.url, peerId: "victim", capabilities: ["data"], reconnect: { retries: 0 } })
      const events = yield* client.subscribe
      const received: Array<SignalingEvent> = []
      yield* Effect.forkScoped(Stream.runForEach(events, (e) => Effect.sync(() => received.push(e))), { startImmediately: true })

      const plan = fc.sample(frames, { numRuns: cases, seed: 424242 })
      yield* Effect.forEach(plan, server.send, { discard: true })

      // A request answered with garbage fails with a tagged error; the next one, answered properly, works.
      const badList = yield* client.list.pipe(Effect.flip, Effect.forkScoped({ startImmediately: true }))
      yield* server.awaitListRequest
      yield* server.answerList({ peers: [{ peer_id: "bad id!" }] })
      const error = yield* Fiber.join(badList).pipe(Effect.timeout("15 seconds"))
      assert.strictEqual(error._tag, "SignalingError")
      assert.isAbove(error.message.length, 0)

      const goodList = yield* client.list.pipe(Effect.forkScoped({ startImmediately: true }))
      yield* server.awaitListRequest
      yield* server.answerList({ peers: [entry("victim"), entry("friend")] })
      assert.deepStrictEqual((yield* Fiber.join(goodList).pipe(Effect.timeout("15 seconds"))).map((p) => p.peerId), ["victim", "friend"])

      // The valid frame after the storm arrives; every peer the client believes in has a valid id.
      const marker = notification("peer.announced", entry("after-storm"))
      yield* server.send(JSON.stringify(marker))
      yield* Effect.sync(() => received.some((e) => Predicate.isTagged(e, "PeerAnnounced") && e.peer.peerId === "after-storm")).pipe(
        Effect.repeat({ schedule: Schedule.spaced("20 millis"), until: (seen) => seen }),
        Effect.timeout("15 seconds")
      )
      for (const peer of yield* client.peers) assert.match(peer.peerId, /^[A-Za-z0-9_-]{1,64}$/)
      console.log(`hostile server: ${cases} frames sent, ${received.length} valid events delivered (${[...new Set(received.map((e) => e._tag))].join(", ")})`)
    }), 60_000)
})
