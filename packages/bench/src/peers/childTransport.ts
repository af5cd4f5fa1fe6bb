/**
 * Far ends in a process of their own: one transport per peer id (the two-process connect figure: one; the
 * fan-out figures: all the receivers). Prints `ready` once every one is announced, then serves until stdin
 * closes (the parent's end of the pipe).
 *
 *   node --conditions=source childTransport.ts <peerId>[,<peerId>...] <signalingUrl> <stunUrl>
 */
import { Effect } from "effect"
import { startedTransport } from "./transports.ts"

const [peerIds = "child", signalingUrl = "", stunUrl = ""] = process.argv.slice(2)

process.stdin.on("close", () => process.exit(0)).resume()
Effect.runFork(Effect.scoped(Effect.gen(function*() {
  yield* Effect.forEach(peerIds.split(","), (peerId) => startedTransport(peerId, { signalingUrl, stunUrl }), { concurrency: "unbounded" })
  process.stdout.write("ready\n")
  return yield* Effect.never
})))
