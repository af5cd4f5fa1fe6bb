/**
 * What one peer received from each other peer: frame counts, the size of the last video frame, and the
 * last second of audio, from which the sender's voice is identified by its fundamental. Pure and
 * allocation-light: the receive path calls it once per decoded frame.
 *
 * @since 0.1.0
 */
import { dominantFrequency } from "@remotemedia/signals"

/** The audio sample rate of decoded frames. */
const sampleRate = 48_000
/** Less audio than this is too little to tell a pitch. */
const minimumSamples = sampleRate / 4

/** What arrived from one sender. */
export interface ReceivedMedia {
  readonly from: string
  readonly audioFrames: number
  readonly videoFrames: number
  /** `WIDTHxHEIGHT` of the last video frame. */
  readonly resolution: string | undefined
  /** Dominant frequency of the latest audio (up to a second of it), in Hz; undefined under 250 ms. */
  readonly dominantHz: number | undefined
}

interface Track {
  audioFrames: number
  videoFrames: number
  resolution: string | undefined
  readonly recent: Float32Array
  written: number
}

/** The ring's samples in time order: its oldest sample sits at `start`. */
const unwrapRing = (ring: Float32Array, start: number): Float32Array => {
  const ordered = new Float32Array(ring.length)
  ordered.set(ring.subarray(start))
  ordered.set(ring.subarray(0, start), ring.length - start)
  return ordered
}

/** A receiver's accumulator. */
export interface MediaReceipts {
  readonly audio: (from: string, samples: Float32Array, channels: number) => void
  readonly video: (from: string, width: number, height: number) => void
  readonly summary: () => ReadonlyArray<ReceivedMedia>
}

export const makeMediaReceipts = (): MediaReceipts => {
  const tracks = new Map<string, Track>()
  const track = (from: string): Track => {
    let found = tracks.get(from)
    if (found === undefined) {
      found = { audioFrames: 0, videoFrames: 0, resolution: undefined, recent: new Float32Array(sampleRate), written: 0 }
      tracks.set(from, found)
    }
    return found
  }
  return {
    audio: (from, samples, channels) => {
      const t = track(from)
      t.audioFrames++
      // The first channel only, into a ring of the last second.
      for (let i = 0; i < samples.length; i += channels) {
        t.recent[t.written % sampleRate] = samples[i]!
        t.written++
      }
    },
    video: (from, width, height) => {
      const t = track(from)
      t.videoFrames++
      t.resolution = `${width}x${height}`
    },
    summary: () =>
      [...tracks].map(([from, t]) => {
        const latest = t.written < sampleRate ? t.recent.subarray(0, t.written) : unwrapRing(t.recent, t.written % sampleRate)
        return {
          from,
          audioFrames: t.audioFrames,
          videoFrames: t.videoFrames,
          resolution: t.resolution,
          dominantHz: t.written >= minimumSamples ? dominantFrequency(latest, sampleRate, 60) : undefined
        }
      })
  }
}
