/**
 * `AudioChunker`: re-frames audio into frames of exactly `durationMs` (default 20 ms) at the input's rate,
 * buffering partial frames instead of inserting silence. At end of stream the remainder is emitted as one
 * shorter frame. Timestamps are derived from the input's first sample and the sample count.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { isAudio } from "../../data/RuntimeData.ts"
import { TransportData } from "../../data/TransportData.ts"
import { TimedChunker } from "../../dsp/TimedChunker.ts"
import { defineNode } from "../NodeDefinition.ts"
import { positive } from "../params.ts"

export const AudioChunker = defineNode({
  type: "AudioChunker",
  params: Schema.Struct({ durationMs: positive(20) }),
  make: ({ durationMs }) => {
    let chunker: TimedChunker | undefined
    let last: TransportData | undefined
    return {
      process: (input) => {
        const a = input.data
        if (!isAudio(a)) return [input]
        const out: Array<TransportData> = []
        if (chunker === undefined || chunker.sampleRate !== a.sampleRate || chunker.chunker.channels !== a.channels) {
          const rest = chunker?.flush()
          if (rest !== undefined && last !== undefined) out.push(TransportData.withData(last, rest))
          chunker = new TimedChunker(durationMs, a.sampleRate, a.channels)
        }
        last = input
        for (const frame of chunker.push(a)) out.push(TransportData.withData(input, frame))
        return out
      },
      flush: () => {
        const rest = chunker?.flush()
        return rest === undefined || last === undefined ? [] : [TransportData.withData(last, rest)]
      }
    }
  }
})
