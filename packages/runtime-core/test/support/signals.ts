/** Generated test signals and measurements on them. */
import { Result } from "effect"
import { type Audio, audio, isAudio, type NodeProcessor, type NodeType, type TransportData, TransportData as TD } from "@remotemedia/runtime-core"

/** A mono sine of `frequency` Hz, `seconds` long, peak `amplitude`. */
export const sine = (frequency: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array => {
  const out = new Float32Array(Math.round(sampleRate * seconds))
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate)
  return out
}

/** Amplitude of the `frequency` component of `x` (Goertzel over the whole buffer, Hann-windowed). */
export const toneAmplitude = (x: Float32Array, frequency: number, sampleRate: number): number => {
  const w = (2 * Math.PI * frequency) / sampleRate
  let re = 0, im = 0, windowSum = 0
  for (let i = 0; i < x.length; i++) {
    const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (x.length - 1))
    re += x[i]! * hann * Math.cos(w * i)
    im -= x[i]! * hann * Math.sin(w * i)
    windowSum += hann
  }
  return (2 * Math.hypot(re, im)) / windowSum
}

/** Splits `samples` into 20 ms mono frames at `sampleRate`, timestamped from 0. */
export const frames = (samples: Float32Array, sampleRate: number, frameMs = 20): Array<Audio> => {
  const size = Math.round((sampleRate * frameMs) / 1000)
  const out: Array<Audio> = []
  for (let i = 0; i < samples.length; i += size) {
    out.push(audio(samples.subarray(i, i + size), sampleRate, 1, Math.round((i / sampleRate) * 1e6)))
  }
  return out
}

/**
 * The samples of `parts`, end to end. (Not `concatSamples` of @remotemedia/signals: that package depends on
 * this one, and a dev dependency back would make the workspace cyclic.)
 */
export const concat = (parts: ReadonlyArray<Float32Array>): Float32Array => Float32Array.from(parts.flatMap((part) => Array.from(part)))

/** A processor of a built-in node type with `params` (throws on bad params). */
export const instantiate = (node: NodeType, params: unknown, upstreamCount = 1): NodeProcessor => {
  const prepared = node.prepare(params)
  if (Result.isFailure(prepared)) throw new Error(prepared.failure)
  return prepared.success({ nodeId: node.type, upstreamCount })
}

/** Feeds inputs through a synchronous processor (and flushes it); returns every output. */
export const runNode = (
  processor: NodeProcessor,
  inputs: ReadonlyArray<TransportData | { readonly item: TransportData; readonly from: string }>
): Array<TransportData> => {
  const out: Array<TransportData> = []
  const collect = (result: ReturnType<NodeProcessor["process"]>) => {
    if (!Array.isArray(result)) throw new Error("expected a synchronous node")
    out.push(...(result as ReadonlyArray<TransportData>))
  }
  for (const input of inputs) {
    if ("item" in input) collect(processor.process(input.item, input.from))
    else collect(processor.process(input, "input"))
  }
  if (processor.flush) collect(processor.flush())
  return out
}

/** Audio samples of each output (fails on non-audio). */
export const samplesOf = (outputs: ReadonlyArray<TransportData>): Array<Float32Array> =>
  outputs.map((o) => {
    if (!isAudio(o.data)) throw new Error("expected audio")
    return o.data.samples
  })

export const wrap = (a: Audio, metadata: Record<string, string> = {}): TransportData => TD.make(a, { metadata })
