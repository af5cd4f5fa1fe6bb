/**
 * A `FrameChunker` for `Audio`: re-frames audio and dates each frame from the latest input timestamp and
 * the number of samples since (used by the AudioChunker and Mixer nodes).
 *
 * @since 0.1.0
 */
import { type Audio, audio } from "../data/RuntimeData.ts"
import { type Chunk, FrameChunker } from "./FrameChunker.ts"

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
