/**
 * `Echo`: sends every input back to the peer it came from, whatever the session's routing: the output is
 * the input unchanged with metadata `to` set to the input's `peer_id` (when it has one). No params.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { PEER_ID, TO, TransportData } from "../../data/TransportData.ts"
import { defineNode } from "../NodeDefinition.ts"

export const Echo = defineNode({
  type: "Echo",
  params: Schema.Struct({}),
  make: () => ({
    process: (input) => {
      const sender = input.metadata[PEER_ID]
      return [sender === undefined ? input : TransportData.withMetadata(input, { [TO]: sender })]
    }
  })
})
