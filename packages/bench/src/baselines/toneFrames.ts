/**
 * The audio every audio figure sends: 20 ms frames of a 440 Hz tone at 48 kHz mono, as f32 for our API
 * and as s16 PCM for the bare libopus baseline.
 */
import { makeSineTone } from "@remotemedia/signals"
import { Media } from "@remotemedia/webrtc"

/** Samples in a 20 ms frame at 48 kHz. */
export const FRAME_SAMPLES = 960

/** `count` consecutive frames of the tone, both ways. */
export const toneFrames = (count: number): { readonly float: ReadonlyArray<Float32Array>; readonly pcm: ReadonlyArray<Buffer> } => {
  const tone = makeSineTone({ frequency: 440, sampleRate: 48_000 })
  const float = Array.from({ length: count }, () => tone.next(FRAME_SAMPLES))
  const pcm = float.map((frame) => {
    const buffer = Buffer.alloc(FRAME_SAMPLES * 2)
    Media.float32ToInt16(frame, new Int16Array(buffer.buffer, buffer.byteOffset, FRAME_SAMPLES))
    return buffer
  })
  return { float, pcm }
}
