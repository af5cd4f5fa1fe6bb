/**
 * What the examples import, in one place. `examples/` is not a workspace package, so "effect" and the
 * "@remotemedia/*" packages are re-exported through @remotemedia/demo (which resolves them), and the
 * Promise facade by path. In your own project, import from "effect", "@remotemedia/webrtc",
 * "@remotemedia/runtime-core" and "@remotemedia/signals" directly.
 */
export * from "../packages/demo/src/exampleDeps.ts"
export { createWebRtcTransport, parseManifest } from "../packages/webrtc/src/facade/createWebRtcTransport.ts"
