/**
 * Streaming pipeline sessions over the mesh: the SessionRouter (peers' media in, outputs back out), the
 * per-transport registry (one session per manifest), and the pure routing rule.
 *
 * @since 0.1.0
 */
export * from "./ManifestKey.ts"
export * from "./OutputRoute.ts"
export * from "./SessionOptions.ts"
export type { IncomingFrame, RoutedSession, SessionIo, SessionStats } from "./SessionRouter.ts"
export type { SessionRegistry } from "./SessionRegistry.ts"
