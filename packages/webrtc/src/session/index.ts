/**
 * Streaming pipeline sessions over the mesh: the SessionRouter (peers' media in, outputs back out), the
 * per-transport registry (one session per manifest), the pure routing rule, and an in-memory mesh that drives
 * sessions without a network.
 *
 * @since 0.1.0
 */
export * from "./InMemoryMesh.ts"
export * from "./ManifestKey.ts"
export * from "./OutputRoute.ts"
export * from "./SessionOptions.ts"
export type { IncomingFrame, RoutedSession, SessionIo, SessionStats } from "./SessionRouter.ts"
export type { SessionRegistry } from "./SessionRegistry.ts"
