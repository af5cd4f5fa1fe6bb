/**
 * Joining frames of PCM back into one signal, so whole-stream measurements (frequency, correlation) can
 * run over what a codec or transport delivered frame by frame.
 *
 * @since 0.1.0
 */

/** The samples of all `chunks`, end to end, in one new array. */
export const concatSamples = (chunks: ReadonlyArray<Float32Array>): Float32Array => {
  const out = new Float32Array(chunks.reduce((length, chunk) => length + chunk.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}
