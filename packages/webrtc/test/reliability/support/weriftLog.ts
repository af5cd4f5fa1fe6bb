/**
 * werift reports what it drops, and swallows exceptions thrown by its event subscribers (ours included),
 * only through its `debug` logger. This captures the lines of some werift modules for the scope's lifetime,
 * so a test can count dropped packets and prove that no callback of ours threw inside werift.
 */
import { format } from "node:util"
import { Effect } from "effect"
import { debug } from "werift"

interface DebugModule {
  enable(namespaces: string): void
  disable(): string
  log: (...args: ReadonlyArray<unknown>) => void
}

/** werift's transport module (SRTP/SRTCP decryption, "RTP error" / "RTCP error" from subscribers). */
export const dtlsTransportLog = "werift:packages/webrtc/src/transport/dtls.ts"

/** Records every line the given werift namespaces log (comma-separated, `debug` syntax) until the scope closes. */
export const captureWeriftLog = (namespaces: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const module = debug as DebugModule
      const lines: Array<string> = []
      const previous = { namespaces: module.disable(), log: module.log }
      module.log = (...args) => void lines.push(format(...args))
      module.enable(previous.namespaces === "" ? namespaces : `${previous.namespaces},${namespaces}`)
      return { lines, previous }
    }),
    ({ previous }) => Effect.sync(() => {
      const module = debug as DebugModule
      module.log = previous.log
      module.disable()
      if (previous.namespaces !== "") module.enable(previous.namespaces)
    })
  ).pipe(Effect.map(({ lines }) => lines))
