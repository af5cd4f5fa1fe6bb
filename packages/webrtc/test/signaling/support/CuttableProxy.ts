/**
 * A TCP proxy in front of the signaling server whose connections a test can cut (as a network drop
 * would: no close frame) and whose door it can shut (new connections are reset at once).
 */
import { createConnection, createServer, type Socket } from "node:net"
import type { AddressInfo } from "node:net"
import { Effect, type Scope } from "effect"

export interface CuttableProxy {
  readonly url: string
  /** Destroys every proxied connection. */
  readonly cut: Effect.Effect<void>
  /** While shut, new connections are reset. */
  readonly setOpen: (open: boolean) => Effect.Effect<void>
}

export const makeCuttableProxy = (targetPort: number): Effect.Effect<CuttableProxy, never, Scope.Scope> =>
  Effect.gen(function*() {
    const sockets = new Set<Socket>()
    let open = true
    const server = createServer((client) => {
      if (!open) return void client.resetAndDestroy()
      const upstream = createConnection({ host: "127.0.0.1", port: targetPort })
      for (const s of [client, upstream]) {
        sockets.add(s)
        s.on("error", () => undefined)
        s.on("close", () => {
          sockets.delete(s)
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream)
      upstream.pipe(client)
    })
    yield* Effect.acquireRelease(
      Effect.callback<void>((resume) => {
        server.listen(0, "127.0.0.1", () => resume(Effect.void))
      }),
      () => Effect.callback<void>((resume) => {
        for (const s of sockets) s.destroy()
        server.close(() => resume(Effect.void))
      })
    )
    return {
      url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
      cut: Effect.sync(() => {
        for (const s of sockets) s.resetAndDestroy()
      }),
      setOpen: (value) => Effect.sync(() => {
        open = value
      })
    }
  })
