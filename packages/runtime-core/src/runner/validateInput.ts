/**
 * Checks that input data is well formed before it enters a pipeline, so a malformed frame is rejected
 * with a `ValidationError` at the door instead of failing a node mid-session.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { isAudio, isBinary, isText, isVideo, type RuntimeData } from "../data/RuntimeData.ts"
import { ValidationError } from "../errors.ts"

const problem = (data: RuntimeData): { field: string; message: string } | undefined => {
  if (isAudio(data)) {
    if (!Number.isInteger(data.sampleRate) || data.sampleRate <= 0) return { field: "sampleRate", message: `audio sampleRate must be a positive integer, got ${data.sampleRate}` }
    if (!Number.isInteger(data.channels) || data.channels <= 0) return { field: "channels", message: `audio channels must be a positive integer, got ${data.channels}` }
    if (!(data.samples instanceof Float32Array)) return { field: "samples", message: "audio samples must be a Float32Array" }
    if (data.samples.length % data.channels !== 0) return { field: "samples", message: `audio has ${data.samples.length} samples, not a multiple of ${data.channels} channels` }
    return undefined
  }
  if (isVideo(data)) {
    const { height, planes, width } = data.frame
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) return { field: "frame", message: `video frame size must be positive integers, got ${width}x${height}` }
    const chroma = Math.ceil(width / 2) * Math.ceil(height / 2)
    const expected = [width * height, chroma, chroma]
    if (planes.length !== 3 || planes.some((p, i) => p.length !== expected[i])) {
      return { field: "frame.planes", message: `I420 ${width}x${height} needs planes of ${expected.join("/")} bytes, got ${planes.map((p) => p.length).join("/")}` }
    }
    return undefined
  }
  if (isBinary(data) && !(data.data instanceof Uint8Array)) return { field: "data", message: "binary data must be a Uint8Array" }
  if (isText(data) && typeof data.text !== "string") return { field: "text", message: "text must be a string" }
  return undefined
}

/** Succeeds for well-formed data; fails with a `ValidationError` naming the bad field otherwise. */
export const validateInput = (data: RuntimeData): Effect.Effect<void, ValidationError> => {
  const found = problem(data)
  return found === undefined ? Effect.void : Effect.fail(new ValidationError(found))
}
