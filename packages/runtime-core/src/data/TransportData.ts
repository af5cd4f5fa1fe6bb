/**
 * What crosses the transport and flows between pipeline nodes: a `RuntimeData` plus its envelope.
 *
 * Metadata conventions: `peer_id` is the peer the data came from (set on inputs by the transport's session
 * router); `to` is the one peer an output is meant for (see the Mixer's mix-minus mode).
 *
 * @since 0.1.0
 */
import type { RuntimeData } from "./RuntimeData.ts"

/** `RuntimeData` with an optional sequence number and string metadata. */
export interface TransportData {
  readonly data: RuntimeData
  readonly sequence?: number | undefined
  readonly metadata: Readonly<Record<string, string>>
}

/** Metadata key: the peer the data came from. */
export const PEER_ID = "peer_id"
/** Metadata key: the only peer an output should be delivered to. */
export const TO = "to"

const noMetadata: Readonly<Record<string, string>> = Object.freeze({})

/** Constructors and helpers for `TransportData`. */
export const TransportData = {
  /** Wraps `data` (no copy), with an optional sequence number and metadata. */
  make: (
    data: RuntimeData,
    options?: { readonly sequence?: number | undefined; readonly metadata?: Readonly<Record<string, string>> | undefined }
  ): TransportData => ({ data, sequence: options?.sequence, metadata: options?.metadata ?? noMetadata }),

  /** The same envelope around new data: sequence and metadata carry over. */
  withData: (self: TransportData, data: RuntimeData): TransportData => ({ ...self, data }),

  /** The same data with extra metadata entries merged in. */
  withMetadata: (self: TransportData, metadata: Readonly<Record<string, string>>): TransportData => ({
    ...self,
    metadata: { ...self.metadata, ...metadata }
  })
} as const
