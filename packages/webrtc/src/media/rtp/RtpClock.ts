/**
 * RTP timestamps derived from the media clock: `start + mediaTime × clockRate`, modulo 2³². Because every
 * timestamp is computed from media time (never accumulated), calls stay continuous and drift-free, and a
 * random start makes the stream's timeline unguessable (RFC 3550 §5.1).
 *
 * @since 0.1.0
 */

/** Audio (Opus) RTP clock rate. */
export const AUDIO_CLOCK_RATE = 48_000
/** Video RTP clock rate. */
export const VIDEO_CLOCK_RATE = 90_000

/** Maps media time to RTP timestamps for one stream. */
export interface RtpClock {
  readonly clockRate: number
  /** The RTP timestamp at media time 0. */
  readonly start: number
  /** The RTP timestamp (uint32) of a sample presented at `mediaTimeUs`. */
  readonly timestampAt: (mediaTimeUs: number) => number
}

const randomUint32 = (): number => crypto.getRandomValues(new Uint32Array(1))[0]!

/** Creates a clock at `clockRate` Hz starting at `start` (random by default). */
export const makeRtpClock = (clockRate: number, start: number = randomUint32()): RtpClock => ({
  clockRate,
  start,
  // Integer microseconds × rate stays exact in a double for ~3 years of media at 90 kHz.
  timestampAt: (mediaTimeUs) => (start + Math.round((mediaTimeUs * clockRate) / 1_000_000)) % 0x1_0000_0000
})
