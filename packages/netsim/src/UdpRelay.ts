/**
 * A UDP impairment relay on 127.0.0.1: one socket that forwards datagrams to a fixed `target` and sends
 * the target's answers back to whoever last sent from the other side, each direction through its own
 * seeded {@link Impairment}. Started as an Effect scoped resource: closing the scope cancels pending
 * deliveries and closes the socket.
 *
 * @since 0.1.0
 */
import { createSocket, type RemoteInfo, type Socket } from "node:dgram"
import { performance } from "node:perf_hooks"
import { Effect, type Scope } from "effect"
import { Impairment, type ImpairmentConfig, type ImpairmentCounters } from "./Impairment.ts"
import type { CandidateAddress } from "./CandidateRewrite.ts"

export interface UdpRelayOptions {
  /** Where datagrams from clients go. */
  readonly target: CandidateAddress
  /** Impairment of client → target packets. */
  readonly toTarget?: ImpairmentConfig
  /** Impairment of target → client packets. */
  readonly fromTarget?: ImpairmentConfig
  /** PRNG seed (the two directions use `seed` and `seed + 1`). Default 1. */
  readonly seed?: number
  /** Bind address (default 127.0.0.1) and port (default 0: any free port). */
  readonly host?: string
  readonly port?: number
}

export interface UdpRelayCounters {
  readonly toTarget: ImpairmentCounters
  readonly fromTarget: ImpairmentCounters
}

/** New impairments for one or both directions; a direction left out keeps its current one. */
export interface UdpRelayImpairments {
  readonly toTarget?: ImpairmentConfig
  readonly fromTarget?: ImpairmentConfig
}

export interface UdpRelay {
  /** The relay's own address: give this to the client instead of `target`. */
  readonly address: CandidateAddress
  /** What each direction's current impairment did (counters restart when it is replaced). */
  readonly counters: () => UdpRelayCounters
  /**
   * Replace impairments mid-run, e.g. connect over a clean link and then degrade it. Packets already
   * scheduled keep their delivery times. Blackout windows stay relative to the relay's start.
   */
  readonly impair: (impairments: UdpRelayImpairments) => Effect.Effect<void>
}

/** Start a relay for the lifetime of the current scope. */
export const makeUdpRelay = (options: UdpRelayOptions): Effect.Effect<UdpRelay, Error, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.callback<{ socket: Socket; relay: UdpRelay; timers: Set<NodeJS.Timeout> }, Error>((resume) => {
        const seed = options.seed ?? 1
        let toTarget = new Impairment(options.toTarget ?? {}, seed)
        let fromTarget = new Impairment(options.fromTarget ?? {}, seed + 1)
        const timers = new Set<NodeJS.Timeout>()
        const socket = createSocket("udp4")
        const startMs = performance.now()
        let client: RemoteInfo | undefined

        const forward = (impairment: Impairment, message: Buffer, port: number, host: string) => {
          const nowMs = performance.now() - startMs
          // A failed send (the far side went away) is a lost packet, never a crash.
          const send = () => socket.send(message, port, host, () => {})
          for (const atMs of impairment.decide(message.length, nowMs)) {
            // Undelayed packets go out at once: a timer costs at least a millisecond.
            if (atMs <= nowMs) {
              send()
              continue
            }
            const timer = setTimeout(() => {
              timers.delete(timer)
              send()
            }, atMs - nowMs)
            timers.add(timer)
          }
        }
        socket.on("message", (message, remote) => {
          if (remote.port === options.target.port && remote.address === options.target.host) {
            if (client !== undefined) forward(fromTarget, message, client.port, client.address)
          } else {
            client = remote
            forward(toTarget, message, options.target.port, options.target.host)
          }
        })
        let bound = false
        // Before bind, an error fails the acquisition; afterwards it is a lost packet, and the listener
        // keeps it from crashing the process.
        socket.on("error", (error) => {
          if (!bound) resume(Effect.fail(error))
        })
        socket.bind(options.port ?? 0, options.host ?? "127.0.0.1", () => {
          bound = true
          const { address, port } = socket.address()
          resume(Effect.succeed({
            socket,
            timers,
            relay: {
              address: { host: address, port },
              counters: () => ({ toTarget: toTarget.counters(), fromTarget: fromTarget.counters() }),
              impair: (impairments) =>
                Effect.sync(() => {
                  if (impairments.toTarget !== undefined) toTarget = new Impairment(impairments.toTarget, seed)
                  if (impairments.fromTarget !== undefined) fromTarget = new Impairment(impairments.fromTarget, seed + 1)
                })
            }
          }))
        })
      }),
      ({ socket, timers }) =>
        Effect.callback<void>((resume) => {
          for (const timer of timers) clearTimeout(timer)
          timers.clear()
          socket.close(() => resume(Effect.void))
        })
    ),
    ({ relay }) => relay
  )
