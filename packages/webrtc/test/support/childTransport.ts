/**
 * A transport in a child process, for tests that need a remote peer they can kill: started with
 * `node --conditions=source childTransport.ts <peerId> <signalingUrl> <stunUrl>`, it prints `ready` once
 * announced and then serves until killed.
 */
import { Effect } from "effect"
import { startedTransport } from "./testTransport.ts"

const [peerId = "child", signalingUrl = "", stunUrl = ""] = process.argv.slice(2)

Effect.runFork(Effect.scoped(Effect.gen(function*() {
  yield* startedTransport(peerId, { signalingUrl, stunUrl })
  process.stdout.write("ready\n")
  return yield* Effect.never
})))
