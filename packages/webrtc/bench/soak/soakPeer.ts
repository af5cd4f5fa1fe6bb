/**
 * One peer of the multi-process soak, in its own process (forked by `soak.ts` with an IPC channel):
 *
 *   node --conditions=source --expose-gc soakPeer.ts <peerId> <signalingUrl> <stunUrl>
 *
 * It announces, then follows the parent's commands (`SoakMessages.ts`) and reports a sample of its memory,
 * handles, event-loop delay and traffic every `sampleS` seconds. It exits when told to, or at once if the
 * parent goes away.
 */
import { Effect, Queue, Schedule, type Scope, Stream } from "effect"
import { startedTransport } from "../../test/support/testTransport.ts"
import { makePeerTraffic } from "./PeerTraffic.ts"
import type { ChildMessage, ParentMessage } from "./SoakMessages.ts"
import { makeSampler } from "./SoakSample.ts"

const [peerId = "soak", signalingUrl = "", stunUrl = ""] = process.argv.slice(2)

const tell = (message: ChildMessage) => Effect.sync(() => void process.send?.(message))

const commands = Stream.callback<ParentMessage>((queue) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const onMessage = (message: unknown) => void Queue.offerUnsafe(queue, message as ParentMessage)
      process.on("message", onMessage)
      return onMessage
    }),
    (onMessage) => Effect.sync(() => void process.off("message", onMessage))
  ))

const program = Effect.gen(function*() {
  // A generous connect timeout: forming the mesh is not what is measured, and the machine is busy.
  const transport = yield* startedTransport(peerId, { signalingUrl, stunUrl }, { connectTimeoutMs: 30_000 })
  const traffic = yield* makePeerTraffic(transport)
  const events = { failures: 0, connects: 0 }
  yield* Effect.forkScoped(
    Stream.runForEach(transport.events, (event) => Effect.sync(() => {
      if (event._tag === "PeerFailed" || event._tag === "PeerDisconnected") events.failures++
      else if (event._tag === "PeerConnected") events.connects++
    })),
    { startImmediately: true }
  )
  const connectedPeers = transport.listPeers.pipe(
    Effect.timeoutOption("2 seconds"),
    Effect.map((peers) => (peers._tag === "Some" ? peers.value.length : -1)),
    Effect.orElseSucceed(() => -1)
  )
  yield* tell({ _tag: "Announced" })

  yield* Stream.runForEach(Stream.takeUntil(commands, (command) => command._tag === "Exit"), (command): Effect.Effect<void, never, Scope.Scope> => {
    switch (command._tag) {
      case "Connect":
        return Effect.gen(function*() {
          const startedMs = performance.now()
          const failed: Array<readonly [string, string]> = []
          for (const peer of command.peers) {
            yield* transport.connectPeer(peer).pipe(
              Effect.retry({ times: 2 }),
              Effect.catch((error) => Effect.sync(() => void failed.push([peer, `${error._tag}: ${error.message}`])))
            )
          }
          yield* tell({ _tag: "Connected", failed, elapsedMs: performance.now() - startedMs })
        })
      case "Start":
        return Effect.gen(function*() {
          const sample = makeSampler(performance.now())
          yield* traffic.startSending(command.to, command.dataPerS)
          const report = Effect.gen(function*() {
            const peers = yield* connectedPeers
            yield* tell({ _tag: "Sample", sample: sample(traffic.counters()), connectedPeers: peers, peerFailures: events.failures, peerConnects: events.connects })
          })
          // A fixed cadence (not spaced): a blocked event loop must not stretch the sampling period.
          yield* Effect.forkScoped(Effect.repeat(report, Schedule.fixed(`${command.sampleS} seconds`)))
        })
      case "Stop":
        return Effect.andThen(traffic.stopSending, Effect.suspend(() => tell({ _tag: "Stopped", sentTo: traffic.sentTo() })))
      case "Drain":
        return Effect.flatMap(traffic.awaitReceived(command.expected), (complete) => tell({ _tag: "Drained", complete, receivedFrom: traffic.receivedFrom() }))
      case "Exit":
        return Effect.void
    }
  })
}).pipe(Effect.scoped)

// Orphaned (the parent died): nobody will tell us to stop.
process.on("disconnect", () => process.exit(1))
Effect.runPromise(program).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`${peerId}:`, error)
    process.exit(1)
  }
)
