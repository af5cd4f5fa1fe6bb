#!/usr/bin/env node
/**
 * `remotemedia-signaling`: runs a signaling server (and optionally a STUN responder) until SIGINT or
 * SIGTERM, then closes every client with 1001 and exits.
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Effect, Exit } from "effect"
import type { SignalingServerOptions } from "./ServerOptions.ts"
import { make } from "./SignalingServer.ts"
import { makeStunResponder } from "./stun/StunResponder.ts"

const usage = `usage: remotemedia-signaling [--host 127.0.0.1] [--port 8080] [--secret S] [--stun-port N]
  [--max-peers 1000] [--max-message-bytes 1048576] [--rate-limit 50] [--idle-timeout-ms 300000]
  [--ping-interval-ms 15000] [--grace-period-ms 10000]`

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8080" },
    secret: { type: "string" },
    "stun-port": { type: "string" },
    "max-peers": { type: "string" },
    "max-message-bytes": { type: "string" },
    "rate-limit": { type: "string" },
    "idle-timeout-ms": { type: "string" },
    "ping-interval-ms": { type: "string" },
    "grace-period-ms": { type: "string" },
    help: { type: "boolean", default: false }
  }
})

if (values.help) {
  console.log(usage)
  process.exit(0)
}

/** A non-negative integer option, or exit with a message naming it. */
const integer = (name: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a non-negative integer, got ${JSON.stringify(raw)}\n${usage}`)
    process.exit(2)
  }
  return value
}

const optional = <K extends keyof SignalingServerOptions>(key: K, value: SignalingServerOptions[K] | undefined) =>
  value === undefined ? {} : { [key]: value }

const options: SignalingServerOptions = {
  host: values.host,
  port: integer("port", values.port) ?? 8080,
  ...optional("secret", values.secret),
  ...optional("maxPeers", integer("max-peers", values["max-peers"])),
  ...optional("maxMessageBytes", integer("max-message-bytes", values["max-message-bytes"])),
  ...optional("rateLimit", integer("rate-limit", values["rate-limit"])),
  ...optional("idleTimeoutMs", integer("idle-timeout-ms", values["idle-timeout-ms"])),
  ...optional("pingIntervalMs", integer("ping-interval-ms", values["ping-interval-ms"])),
  ...optional("gracePeriodMs", integer("grace-period-ms", values["grace-period-ms"]))
}
const stunPort = integer("stun-port", values["stun-port"])

const main = Effect.gen(function*() {
  const server = yield* make(options)
  yield* Console.log(`signaling server listening on ${server.url}`)
  if (stunPort !== undefined) {
    const stun = yield* makeStunResponder({ host: values.host, port: stunPort })
    yield* Console.log(`STUN responder on ${stun.url}`)
  }
  return yield* Effect.never
}).pipe(Effect.scoped)

// A signal interrupts `main`; stopping on request is a clean exit (0), not a failure.
NodeRuntime.runMain(main, {
  teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) || Cause.hasInterruptsOnly(exit.cause) ? 0 : 1)
})
