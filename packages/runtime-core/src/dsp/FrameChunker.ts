/**
 * Re-frames a stream of interleaved samples into fixed-size frames without inserting or dropping samples
 * (pure, property-tested). Frames that lie inside one input buffer are zero-copy views of it.
 *
 * @since 0.1.0
 */

/** One fixed-size frame and where it starts in the stream (in sample frames, i.e. per channel). */
export interface Chunk {
  readonly samples: Float32Array
  readonly start: number
}

/** Buffers partial frames between `push` calls. */
export class FrameChunker {
  /** Interleaved samples per output frame. */
  readonly frameLength: number
  readonly channels: number
  readonly #pending: Float32Array
  #pendingLength = 0
  /** Stream position (sample frames) of the first pending sample. */
  #position = 0

  constructor(framesPerChunk: number, channels: number) {
    if (!Number.isInteger(framesPerChunk) || framesPerChunk <= 0) throw new Error(`frame size must be a positive integer, got ${framesPerChunk}`)
    this.channels = channels
    this.frameLength = framesPerChunk * channels
    this.#pending = new Float32Array(this.frameLength)
  }

  /** Samples held back, waiting for the rest of their frame. */
  get pending(): number {
    return this.#pendingLength
  }

  /** Stream position (sample frames) of the next sample to be pushed. */
  get position(): number {
    return this.#position + this.#pendingLength / this.channels
  }

  /** Adds samples; returns every frame they complete. */
  push(samples: Float32Array): Array<Chunk> {
    const out: Array<Chunk> = []
    const size = this.frameLength
    let offset = 0
    if (this.#pendingLength > 0) {
      const take = Math.min(size - this.#pendingLength, samples.length)
      this.#pending.set(samples.subarray(0, take), this.#pendingLength)
      this.#pendingLength += take
      offset = take
      if (this.#pendingLength < size) return out
      out.push(this.#emit(this.#pending.slice()))
      this.#pendingLength = 0
    }
    while (samples.length - offset >= size) {
      out.push(this.#emit(samples.subarray(offset, offset + size)))
      offset += size
    }
    this.#pending.set(samples.subarray(offset), 0)
    this.#pendingLength = samples.length - offset
    return out
  }

  /** Emits the buffered partial frame (shorter than a full frame), if any. */
  flush(): Chunk | undefined {
    if (this.#pendingLength === 0) return undefined
    const chunk = this.#emit(this.#pending.slice(0, this.#pendingLength))
    this.#pendingLength = 0
    return chunk
  }

  #emit(samples: Float32Array): Chunk {
    const chunk = { samples, start: this.#position }
    this.#position += samples.length / this.channels
    return chunk
  }
}
