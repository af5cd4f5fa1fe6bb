/**
 * Signal generators and measurements for media tests, demos and benchmarks.
 *
 * @since 0.1.0
 */
export * from "./generators/SineTone.ts"
export * from "./generators/VoiceSignal.ts"
export * from "./generators/TestPattern.ts"
export * from "./measure/Frequency.ts"
export * from "./measure/Level.ts"
export * from "./measure/CrossCorrelation.ts"
export * from "./measure/Psnr.ts"
export * from "./measure/Samples.ts"
