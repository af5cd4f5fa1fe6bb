/**
 * `AudioChunker`: re-frames audio into frames of exactly `durationMs` (default 20 ms) at the input's rate,
 * buffering partial frames instead of inserting silence. At end of stream the remainder is emitted as one
 * shorter frame. Timestamps are derived from the input's first sample and the sample count.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { audio, type Audio, isAudio } from "../../data/RuntimeData.ts"
import { TransportData } from "../../data/TransportData.ts"
import { type Chunk, FrameChunker } from "../../dsp/FrameChunker.ts"
import { defineNode } from "../NodeDefinition.ts"
import { positive } from "../params.ts"

/** A chunker plus the timestamp anchor that dates its chunks. */
export class TimedChunker {
  readonly chunker: FrameChunker
  readonly sampleRate: number
  #anchorUs: number | undefined
  #anchorFrame = 0

  constructor(durationMs: number, sampleRate: number, channels: number) {
    const frames = Math.round((durationMs * sampleRate) / 1000)
    if (frames < 1) throw new Error(`${durationMs} ms is less than one sample at ${sampleRate} Hz`)
    this.chunker = new FrameChunker(frames, channels)
    this.sampleRate = sampleRate
  }

  /** Adds `a`'s samples; returns complete frames as `Audio`. */
  push(a: Audio, fallbackUs?: number): Array<Audio> {
    const at = a.timestampUs ?? (this.#anchorUs === undefined ? fallbackUs : undefined)
    if (at !== undefined) {
      this.#anchorUs = at
      this.#anchorFrame = this.chunker.position
    }
    return this.chunker.push(a.samples).map((c) => this.#toAudio(c))
  }

  /** The buffered remainder, if any. */
  flush(): Audio | undefined {
    const c = this.chunker.flush()
    return c === undefined ? undefined : this.#toAudio(c)
  }

  #toAudio(c: Chunk): Audio {
    const ts = this.#anchorUs === undefined
      ? undefined
      : this.#anchorUs + ((c.start - this.#anchorFrame) * 1e6) / this.sampleRate
    return audio(c.samples, this.sampleRate, this.chunker.channels, ts)
  }
}

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
