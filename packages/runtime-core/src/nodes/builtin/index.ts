/**
 * The built-in node library.
 *
 * @since 0.1.0
 */
import type { NodeType } from "../NodeDefinition.ts"
import { AudioChunker } from "./AudioChunker.ts"
import { AudioProcessor } from "./AudioProcessor.ts"
import { Echo } from "./Echo.ts"
import { Gain } from "./Gain.ts"
import { JsonTransform } from "./JsonTransform.ts"
import { Mixer } from "./Mixer.ts"
import { NoiseGate } from "./NoiseGate.ts"
import { PassThrough } from "./PassThrough.ts"
import { Resample } from "./Resample.ts"
import { TextTransform } from "./TextTransform.ts"
import { VAD } from "./VAD.ts"

export { AudioChunker, AudioProcessor, Echo, Gain, JsonTransform, Mixer, NoiseGate, PassThrough, Resample, TextTransform, VAD }

/** Every built-in node type. */
export const builtinNodes: ReadonlyArray<NodeType> = [
  PassThrough,
  Echo,
  Gain,
  NoiseGate,
  AudioProcessor,
  Resample,
  AudioChunker,
  Mixer,
  VAD,
  TextTransform,
  JsonTransform
]
