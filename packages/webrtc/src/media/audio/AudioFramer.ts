/**
 * Re-frames audio of any chunk length into exact 20 ms Opus frames. Samples are buffered, never padded:
 * the concatenation of the frames out equals the concatenation of the samples in, minus what is still
 * pending. Chunks that line up with frame boundaries pass through as zero-copy views.
 *
 * @since 0.1.0
 */
import type { Audio } from "@remotemedia/runtime-core"
import { Effect } from "effect"
import { InvalidDataType } from "../../errors.ts"
import { OPUS_FRAME_SAMPLES, OPUS_SAMPLE_RATE, type OpusChannels } from "./OpusFormat.ts"

/** A stateful framer for one audio stream. */
export interface AudioFramer {
  /** Adds a chunk and returns the complete frames (interleaved, `960 × channels` samples) it finished. */
  readonly push: (chunk: Audio) => Effect.Effect<ReadonlyArray<Float32Array>, InvalidDataType>
  /** Interleaved samples waiting for the next frame. */
  readonly pendingSamples: () => number
}

/** Creates a framer for `channels`-channel 48 kHz audio. */
export const makeAudioFramer = (channels: OpusChannels): AudioFramer => {
  const frameLength = OPUS_FRAME_SAMPLES * channels
  let pending = new Float32Array(frameLength)
  let filled = 0
  const frameChunk = (samples: Float32Array): Array<Float32Array> => {
    const frames: Array<Float32Array> = []
    let offset = 0
    if (filled > 0) {
      const take = Math.min(frameLength - filled, samples.length)
      pending.set(samples.subarray(0, take), filled)
      filled += take
      offset = take
      if (filled < frameLength) return frames
      frames.push(pending)
      // The emitted frame now belongs to the caller; start a fresh one.
      pending = new Float32Array(frameLength)
      filled = 0
    }
    for (; offset + frameLength <= samples.length; offset += frameLength) frames.push(samples.subarray(offset, offset + frameLength))
    pending.set(samples.subarray(offset), 0)
    filled = samples.length - offset
    return frames
  }
  return {
    push: (chunk) => {
      if (chunk.sampleRate !== OPUS_SAMPLE_RATE) {
        return Effect.fail(new InvalidDataType({ message: `audio must be ${OPUS_SAMPLE_RATE} Hz for Opus, got ${chunk.sampleRate} Hz` }))
      }
      if (chunk.channels !== channels) {
        return Effect.fail(new InvalidDataType({ message: `this stream carries ${channels} channel(s), got ${chunk.channels}` }))
      }
      if (chunk.samples.length % channels !== 0) {
        return Effect.fail(new InvalidDataType({ message: `${chunk.samples.length} samples is not a whole number of ${channels}-channel frames` }))
      }
      return Effect.succeed(frameChunk(chunk.samples))
    },
    pendingSamples: () => filled
  }
}
