/**
 * Everything the runnable examples in `examples/` import, re-exported from this package (whose
 * node_modules resolve them). `examples/` is not a workspace package yet, so it cannot resolve "effect"
 * or "@remotemedia/*" by itself; in your own project import these from the packages named here.
 *
 * @since 0.1.0
 */
export { Console, Effect, Exit, Fiber, Schedule, Scope, Stream } from "effect"
export { audio, Manifest, TransportData, type RuntimeData } from "@remotemedia/runtime-core"
export { concatSamples, dominantFrequency, makeVoiceSignal, rms } from "@remotemedia/signals"
export { makeWebRtcTransport, type WebRtcTransportService } from "@remotemedia/webrtc"
export { make as makeSignalingServer, makeStunResponder } from "@remotemedia/signaling-server"
