/**
 * The far end of the two-process connect figure: a transport in its own process. Prints `ready` once
 * announced, then serves until stdin closes (the parent's end of the pipe).
 *
 *   node --conditions=source childTransport.ts <peerId> <signalingUrl> <stunUrl>
 */
import { Effect } from "effect"
import { startedTransport } from "./transports.ts"

const [peerId = "child", signalingUrl = "", stunUrl = ""] = process.argv.slice(2)

process.stdin.on("close", () => process.exit(0)).resume()
Effect.runFork(Effect.scoped(Effect.gen(function*() {
  yield* startedTransport(peerId, { signalingUrl, stunUrl })
  process.stdout.write("ready\n")
  return yield* Effect.never
})))
