/**
 * The server's options and their defaults (`signaling-protocol.md`, "Rules" and "Limits").
 *
 * @since 0.1.0
 */

/** Options of a {@link SignalingServer}; every limit has the spec's default. */
export interface SignalingServerOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string
  /** TCP port; 0 picks a free one. Default 0. */
  readonly port?: number
  /** When set, announces need an HMAC token minted with it (see `mintToken`). */
  readonly secret?: string
  /** Registered peers (including those in their grace period). Default 1000. */
  readonly maxPeers?: number
  /** Largest accepted frame in bytes; bigger ones close the socket with 1009. Default 1 MiB. */
  readonly maxMessageBytes?: number
  /** Messages accepted per connection in any sliding `rateWindowMs`. Default 50. */
  readonly rateLimit?: number
  /** Default 1000. */
  readonly rateWindowMs?: number
  /** Close (4002) a connection that sends no data frame for this long. Default 5 min. */
  readonly idleTimeoutMs?: number
  /** WebSocket ping period. Default 15 s. */
  readonly pingIntervalMs?: number
  /** Close (4001) after this many unanswered pings. Default 2. */
  readonly maxMissedPongs?: number
  /** How long a dropped peer's id stays reserved for a re-announce with its `session_key`. Default 10 s. */
  readonly gracePeriodMs?: number
}

/** Options with every default applied. */
export type ResolvedServerOptions = Required<Omit<SignalingServerOptions, "secret">> & { readonly secret: string | undefined }

/** Applies the defaults. */
export const resolveServerOptions = (options: SignalingServerOptions = {}): ResolvedServerOptions => ({
  host: options.host ?? "127.0.0.1",
  port: options.port ?? 0,
  secret: options.secret,
  maxPeers: options.maxPeers ?? 1000,
  maxMessageBytes: options.maxMessageBytes ?? 1024 * 1024,
  rateLimit: options.rateLimit ?? 50,
  rateWindowMs: options.rateWindowMs ?? 1000,
  idleTimeoutMs: options.idleTimeoutMs ?? 5 * 60_000,
  pingIntervalMs: options.pingIntervalMs ?? 15_000,
  maxMissedPongs: options.maxMissedPongs ?? 2,
  gracePeriodMs: options.gracePeriodMs ?? 10_000
})
