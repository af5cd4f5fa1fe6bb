/**
 * A registered peer as the server lists it.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Capabilities, PeerId } from "./PeerId.ts"

/** `{peer_id, capabilities, user_data, announced_at}` (ISO-8601 timestamp). */
export const PeerEntry = Schema.Struct({
  peer_id: PeerId,
  capabilities: Capabilities,
  user_data: Schema.Record(Schema.String, Schema.Unknown),
  announced_at: Schema.String
})
export type PeerEntry = typeof PeerEntry.Type
