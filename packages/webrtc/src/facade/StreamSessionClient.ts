/**
 * A pipeline session (`stream(manifest)`) for Promise users: feed inputs, read outputs (a Promise per
 * output, or an async iterator), close. Peers' media flows in and outputs flow out to peers by the
 * session's routing, exactly as in the Effect API: this wraps the same `RoutedSession`.
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import type { TransportData } from "@remotemedia/runtime-core"
import type { RoutedSession, SessionStats } from "../session/SessionRouter.ts"
import type { RunFork, Subscription } from "./Subscription.ts"
import { subscribe } from "./Subscription.ts"

/** A running session. Close it when done (or let the transport's `close` end it). */
export class StreamSessionClient implements AsyncDisposable {
  readonly #session: RoutedSession
  readonly #runFork: RunFork
  /** The Effect session behind this client. */
  readonly session: RoutedSession

  /** @internal Use `WebRtcTransportClient.stream`. */
  constructor(session: RoutedSession, runFork: RunFork) {
    this.#session = session
    this.#runFork = runFork
    this.session = session
  }

  get sessionId(): string {
    return this.#session.sessionId
  }

  /** Feeds one input (waits while the pipeline is full); rejects with `SessionClosed` once closed. */
  sendInput(data: TransportData): Promise<void> {
    return Effect.runPromise(this.#session.sendInput(data))
  }

  /** No more input: nodes flush, and the outputs end once drained. */
  endInput(): Promise<void> {
    return Effect.runPromise(this.#session.endInput)
  }

  /** The next output, or `undefined` once the session is over and every output was taken. */
  recvOutput(): Promise<TransportData | undefined> {
    return Effect.runPromise(this.#session.recvOutput.pipe(Effect.map(Option.getOrUndefined)))
  }

  /** The outputs as an async iterator (shares the queue with `recvOutput`: use one or the other). */
  outputs(): Subscription<TransportData> {
    return subscribe(this.#runFork, this.#session.outputs, () => undefined)
  }

  /** Inputs, outputs and routing counters so far. */
  stats(): Promise<SessionStats> {
    return Effect.runPromise(this.#session.stats)
  }

  /** Stops the session's pipelines; outputs already produced can still be taken. Idempotent. */
  close(): Promise<void> {
    return Effect.runPromise(this.#session.close)
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}
