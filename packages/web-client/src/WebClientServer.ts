/**
 * Serves the browser page (`public/`) over HTTP on loopback for the scope's lifetime, and builds the page
 * URL that tells it which signaling server, STUN server and peer id to use.
 *
 * @since 0.1.0
 */
import { readFile } from "node:fs/promises"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { extname, join, normalize } from "node:path"
import { fileURLToPath } from "node:url"
import { Context, Effect, Layer, Schema } from "effect"

/** The page could not be served (e.g. the port is taken). */
export class WebClientServerError extends Schema.TaggedError<WebClientServerError>()("WebClientServerError", {
  message: Schema.String
}) {}

/** The directory of the page's static files. */
export const publicDirectory = fileURLToPath(new URL("../public/", import.meta.url))

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8"
}

export interface WebClientServerOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string
  /** Default 0 (any free port). */
  readonly port?: number
}

export interface WebClientServerShape {
  /** `http://host:port/`, serving `index.html`. */
  readonly url: string
}

/** What the page needs to join a mesh. */
export interface PageParams {
  readonly signalingUrl: string
  readonly stunUrl: string
  readonly peerId: string
  /** The oscillator's frequency in Hz. Default 660. */
  readonly toneHz?: number
  /** The canvas the page sends, e.g. `1280x720`. Default `640x360`. */
  readonly videoSize?: `${number}x${number}`
}

/** The page URL that joins `params.signalingUrl` as `params.peerId`. */
export const pageUrl = (serverUrl: string, params: PageParams): string => {
  const url = new URL("index.html", serverUrl)
  url.searchParams.set("signaling", params.signalingUrl)
  url.searchParams.set("stun", params.stunUrl)
  url.searchParams.set("peer", params.peerId)
  if (params.toneHz !== undefined) url.searchParams.set("tone", String(params.toneHz))
  if (params.videoSize !== undefined) url.searchParams.set("size", params.videoSize)
  return url.toString()
}

/** Only files directly inside `public/` with a known type; anything else is a 404. */
const fileFor = (pathname: string): string | undefined => {
  const name = normalize(decodeURIComponent(pathname === "/" ? "/index.html" : pathname)).replace(/^\/+/, "")
  return name.includes("/") || name.includes("\\") || contentTypes[extname(name)] === undefined ? undefined : join(publicDirectory, name)
}

const handle = (server: Server) =>
  server.on("request", (request, response) => {
    const file = fileFor(new URL(request.url ?? "/", "http://localhost").pathname)
    if (request.method !== "GET" || file === undefined) {
      response.writeHead(404).end()
      return
    }
    readFile(file).then(
      (body) => response.writeHead(200, { "content-type": contentTypes[extname(file)], "cache-control": "no-store" }).end(body),
      () => response.writeHead(404).end()
    )
  })

/** Starts serving the page in the current Scope. */
export const make = Effect.fn("WebClientServer.make")(function*(options: WebClientServerOptions = {}) {
  const host = options.host ?? "127.0.0.1"
  const server = yield* Effect.acquireRelease(
    Effect.callback<Server, WebClientServerError>((resume) => {
      const server = handle(createServer())
      server.once("error", (error) => resume(Effect.fail(new WebClientServerError({ message: `cannot serve the page on ${host}:${options.port ?? 0}: ${error.message}` }))))
      server.listen(options.port ?? 0, host, () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.callback<void>((resume) => {
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
      })
  )
  const { port } = server.address() as AddressInfo
  return WebClientServer.of({ url: `http://${host}:${port}/` })
})

/** The page's HTTP server. */
export class WebClientServer extends Context.Service<WebClientServer, WebClientServerShape>()("@remotemedia/web-client/WebClientServer") {
  static readonly layer = (options?: WebClientServerOptions): Layer.Layer<WebClientServer, WebClientServerError> =>
    Layer.effect(WebClientServer, make(options))
}
