/**
 * What a pipeline transport offers (the contract's `PipelineTransport` trait). `WebRtcTransport`
 * implements it; `PipelineRunner` is the local one.
 *
 * @since 0.1.0
 */
import type { Effect } from "effect"
import type { TransportData } from "../data/TransportData.ts"
import type { InvalidManifest, SessionCreationFailed } from "../errors.ts"
import type { Manifest } from "../manifest/Manifest.ts"
import type { ExecuteError } from "../runner/PipelineRunner.ts"
import type { StreamSession } from "../runner/StreamSession.ts"

/** Unary and streaming execution of manifests. `E` lets an implementation add its own errors. */
export interface PipelineTransport<E = never> {
  /** Runs one input through the pipeline (30 s timeout) and returns its output. */
  readonly execute: (manifest: Manifest, input: TransportData) => Effect.Effect<TransportData, ExecuteError | E>
  /** Starts a streaming session. */
  readonly stream: (manifest: Manifest) => Effect.Effect<StreamSession, InvalidManifest | SessionCreationFailed | E>
}
