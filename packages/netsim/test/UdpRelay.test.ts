import { createSocket, type Socket } from "node:dgram"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Scope } from "effect"
import { Impairment, type ImpairmentConfig, makeUdpRelay } from "../src/index.ts"

/** A scoped UDP socket on 127.0.0.1 that records what it receives. */
const endpoint = Effect.acquireRelease(
  Effect.callback<Socket>((resume) => {
    const socket = createSocket("udp4")
    socket.bind(0, "127.0.0.1", () => resume(Effect.succeed(socket)))
  }),
  (socket) => Effect.callback<void>((resume) => {
    socket.close(() => resume(Effect.void))
  })
)

const port = (socket: Socket) => socket.address().port

/**
 * Node frees a closed socket's handle a few event-loop turns after the close callback: let up to 100
 * turns pass (no timers involved) until `done()` holds, then report whether it did.
 */
const afterEventLoopTurns = (done: () => boolean) =>
  Effect.promise(async () => {
    for (let turn = 0; turn < 100 && !done(); turn++) await new Promise((resolve) => setImmediate(resolve))
    return done()
  })

/** Resolves once `socket` has received `count` datagrams (with all of them), or fails loudly after 5 s. */
const receive = (socket: Socket, count: number) =>
  Effect.gen(function*() {
    const done = yield* Deferred.make<Array<Buffer>>()
    const got: Array<Buffer> = []
    socket.on("message", (message) => {
      got.push(message)
      if (got.length === count) Deferred.doneUnsafe(done, Effect.succeed(got))
    })
    return Deferred.await(done).pipe(Effect.timeout("5 seconds"))
  })

describe("UdpRelay", () => {
  it.live("forwards both ways through real sockets, with counters, and releases everything on close", () =>
    Effect.gen(function*() {
      const sockets = () => process.getActiveResourcesInfo().filter((r) => r === "UDPWrap").length
      const before = sockets()
      const scope = yield* Scope.make()
      const server = yield* endpoint.pipe(Scope.provide(scope))
      const client = yield* endpoint.pipe(Scope.provide(scope))
      server.on("message", (message, remote) => server.send(message, remote.port, remote.address))
      const toTarget: ImpairmentConfig = { loss: 0.2, delayMs: 5, jitterMs: 5 }
      const seed = 99
      const relay = yield* makeUdpRelay({ target: { host: "127.0.0.1", port: port(server) }, toTarget, seed })
        .pipe(Scope.provide(scope))

      // Loss decisions depend only on the seed, so the same model predicts which datagrams survive.
      const sent = 200
      const messages = Array.from({ length: sent }, (_, i) => `m${i}`)
      const model = new Impairment(toTarget, seed)
      const expected = messages.filter((m) => model.decide(m.length, 0).length > 0)
      const echoed = yield* receive(client, expected.length)
      for (const m of messages) client.send(Buffer.from(m), relay.address.port, relay.address.host)
      const got = yield* echoed
      assert.sameMembers(got.map((b) => b.toString()), expected)
      assert.isAbove(expected.length / sent, 0.7)
      assert.isBelow(expected.length / sent, 0.9)
      const counters = relay.counters()
      assert.include(counters.toTarget, { received: sent, lost: sent - expected.length, delivered: expected.length })
      assert.include(counters.fromTarget, { received: expected.length, delivered: expected.length })

      yield* Scope.close(scope, Exit.void)
      assert.isTrue(yield* afterEventLoopTurns(() => sockets() === before), "relay and endpoint sockets closed")
    }))
})
