/**
 * Options of `stream(manifest, options)`: how a session is fed and where its outputs go.
 *
 * @since 0.1.0
 */
import type { Routing } from "@remotemedia/runtime-core"

/** A kind of incoming media. */
export type MediaKind = "audio" | "video"

/** How a streaming session is wired to the mesh. */
export interface SessionOptions {
  /**
   * Overrides the manifest's `routing`:
   * - `"sender"` (the default): per-peer pipelines. Each peer gets its own instance of the pipeline (its own
   *   node state, e.g. its own NoiseGate envelope), and its outputs go back to that peer only.
   * - `"broadcast"`: one shared pipeline fed by every peer (inputs carry metadata `peer_id`); outputs go to
   *   every connected peer, except outputs with metadata `to` (a mix-minus Mixer), which go to that peer.
   */
  readonly routing?: Routing | undefined
  /** Which received media feed the session; both by default. */
  readonly media?: ReadonlyArray<MediaKind> | undefined
}
