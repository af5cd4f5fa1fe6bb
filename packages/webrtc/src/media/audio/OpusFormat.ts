/**
 * The audio format on the wire: Opus at 48 kHz in 20 ms frames.
 *
 * @since 0.1.0
 */

/** Opus sample rate (and RTP clock rate) in Hz. */
export const OPUS_SAMPLE_RATE = 48_000
/** Samples per channel in one 20 ms Opus frame. */
export const OPUS_FRAME_SAMPLES = 960
/** Duration of one Opus frame in microseconds. */
export const OPUS_FRAME_US = 20_000
/** Channel counts the Opus path carries. */
export type OpusChannels = 1 | 2
