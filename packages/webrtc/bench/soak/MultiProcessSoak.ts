/**
 * The multi-process soak: the signaling server and STUN responder here, one child process per peer
 * (`soakPeer.ts`), a full mesh between them. The parent only orchestrates and collects each child's
 * samples, printing one summed row per `printEveryS`, then drains and checks every data stream.
 */
import { type ChildProcess, fork } from "node:child_process"
import { writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Duration, Effect, Option, Queue } from "effect"
import { signalingEnv } from "../../test/support/signalingEnv.ts"
import type { ChildMessage, ParentMessage } from "./SoakMessages.ts"
import { printHeader, printRow, printVerdict, rowOf, type SoakRow, type StreamOutcome } from "./SoakReport.ts"
import type { SoakSample } from "./SoakSample.ts"

const peerScript = fileURLToPath(new URL("./soakPeer.ts", import.meta.url))

export interface MultiProcessSoakOptions {
  readonly peers: number
  readonly durationS: number
  readonly sampleS: number
  readonly printEveryS: number
  readonly dataPerS: number
  /** Where to write every sample and the outcome as JSON (optional). */
  readonly outFile: string | undefined
}

type Reply = ChildMessage | { readonly _tag: "Exited"; readonly code: number | null; readonly signal: string | null }
type ChildSample = SoakSample & { readonly connectedPeers: number; readonly peerFailures: number; readonly peerConnects: number }

interface Child {
  readonly name: string
  readonly process: ChildProcess
  readonly replies: Queue.Queue<Reply>
  readonly samples: Array<ChildSample>
  alive: boolean
}

/** Forks a child peer for the scope's lifetime (killed on release if it has not exited). */
const forkPeer = (name: string, urls: { readonly signalingUrl: string; readonly stunUrl: string }, onSample: (child: Child) => void) =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      const replies = yield* Queue.unbounded<Reply>()
      const child: Child = {
        name,
        process: fork(peerScript, [name, urls.signalingUrl, urls.stunUrl], {
          // The parent's own Node flags too (`--import`, heap limits), so a child runs as the parent was started.
          execArgv: [...new Set(["--conditions=source", "--expose-gc", ...process.execArgv])],
          stdio: ["ignore", "inherit", "inherit", "ipc"]
        }),
        replies,
        samples: [],
        alive: true
      }
      child.process.on("message", (raw) => {
        const message = raw as ChildMessage
        if (message._tag === "Sample") {
          child.samples.push({ ...message.sample, connectedPeers: message.connectedPeers, peerFailures: message.peerFailures, peerConnects: message.peerConnects })
          onSample(child)
        } else Queue.offerUnsafe(replies, message)
      })
      child.process.once("exit", (code, signal) => {
        child.alive = false
        Queue.offerUnsafe(replies, { _tag: "Exited", code, signal })
      })
      return child
    }),
    (child) => Effect.sync(() => void (child.process.exitCode === null && child.process.signalCode === null && child.process.kill("SIGKILL")))
  )

/** The child's next reply of kind `tag` (skipping others), or none if it exited first or `timeout` passed. */
const awaitReply = <T extends Reply["_tag"]>(child: Child, tag: T, timeoutS: number) =>
  Effect.gen(function*() {
    for (;;) {
      const reply = yield* Queue.take(child.replies)
      if (reply._tag === tag) return Option.some(reply as Extract<Reply, { _tag: T }>)
      if (reply._tag === "Exited") {
        console.log(`${child.name} exited (code ${reply.code}, signal ${reply.signal})`)
        return Option.none()
      }
    }
  }).pipe(
    Effect.timeoutOption(Duration.seconds(timeoutS)),
    Effect.map(Option.flatten),
    Effect.tap((reply) => Effect.sync(() => void (Option.isNone(reply) && console.log(`${child.name}: no ${tag} within ${timeoutS} s`))))
  )

const tell = (child: Child, message: ParentMessage) => Effect.sync(() => void (child.alive && child.process.send(message)))

export const runMultiProcessSoak = (options: MultiProcessSoakOptions) =>
  Effect.gen(function*() {
    const urls = yield* signalingEnv()
    const names = Array.from({ length: options.peers }, (_, i) => `soak${i}`)
    console.log(
      `soak: ${options.peers} peers, one process each, full mesh, ${options.durationS} s, audio 20 ms frames broadcast + ${options.dataPerS} data msg/s per stream; ` +
        `a row every ${options.printEveryS} s summed over the processes`
    )

    const rows: Array<SoakRow> = []
    const printEvery = Math.max(1, Math.round(options.printEveryS / options.sampleS))
    const children: Array<Child> = []
    // A row once every live child delivered its k-th sample.
    const onSample = (child: Child) => {
      const k = child.samples.length
      const live = children.filter((c) => c.alive)
      if (live.some((c) => c.samples.length < k)) return
      const row = rowOf(live.map((c) => c.samples[k - 1]!))
      rows.push(row)
      if (k % printEvery === 0) printRow(row)
    }
    const startedMs = performance.now()
    for (const name of names) children.push(yield* forkPeer(name, urls, onSample))
    const announced = yield* Effect.forEach(children, (child) => awaitReply(child, "Announced", 180), { concurrency: "unbounded" })
    console.log(`${announced.filter(Option.isSome).length}/${names.length} peers started and announced in ${((performance.now() - startedMs) / 1000).toFixed(1)} s`)

    // Peer i offers to every peer after it; all children connect at once, each one peer at a time.
    const connectStartMs = performance.now()
    yield* Effect.forEach(children, (child, i) => tell(child, { _tag: "Connect", peers: names.slice(i + 1) }))
    const connected = yield* Effect.forEach(children, (child) => awaitReply(child, "Connected", 600), { concurrency: "unbounded" })
    const failedConnects = connected.flatMap((reply, i) => Option.isSome(reply) ? reply.value.failed.map(([to, why]) => `${names[i]}->${to}: ${why}`) : [])
    console.log(`mesh: ${names.length * (names.length - 1) / 2 - failedConnects.length} connections formed in ${((performance.now() - connectStartMs) / 1000).toFixed(1)} s`)
    for (const line of failedConnects) console.log(`  failed ${line}`)

    yield* Effect.forEach(children, (child) =>
      tell(child, { _tag: "Start", to: names.filter((n) => n !== child.name), dataPerS: options.dataPerS, sampleS: options.sampleS }))
    printHeader()
    // The soak itself: the children run their traffic for this long.
    yield* Effect.sleep(Duration.seconds(options.durationS))

    yield* Effect.forEach(children, (child) => tell(child, { _tag: "Stop" }))
    const stopped = yield* Effect.forEach(children, (child) => awaitReply(child, "Stopped", 30), { concurrency: "unbounded" })
    const sent = new Map<string, number>()
    stopped.forEach((reply, i) => {
      if (Option.isSome(reply)) for (const [to, count] of Object.entries(reply.value.sentTo)) sent.set(`${names[i]}->${to}`, count)
    })
    yield* Effect.forEach(children, (child) => {
      const expected = Object.fromEntries(names.flatMap((from) => {
        const count = sent.get(`${from}->${child.name}`)
        return count === undefined ? [] : [[from, count]]
      }))
      return tell(child, { _tag: "Drain", expected })
    })
    const drained = yield* Effect.forEach(children, (child) => awaitReply(child, "Drained", 60), { concurrency: "unbounded" })
    const streams = new Map<string, StreamOutcome>()
    for (const [key, count] of sent) {
      const [from, to] = key.split("->") as [string, string]
      const reply = drained[names.indexOf(to)]
      streams.set(key, { sent: count, received: reply !== undefined && Option.isSome(reply) ? reply.value.receivedFrom[from] : undefined })
    }
    const lastRow = rows.at(-1)
    if (lastRow !== undefined && rows.length % printEvery !== 0) printRow(lastRow)
    const clean = printVerdict(streams, rows, Math.min(60, options.durationS / 3))
    const total = (field: "peerFailures" | "peerConnects") => children.reduce((a, c) => a + (c.samples.at(-1)?.[field] ?? 0), 0)
    console.log(
      `connection events (both ends count): ${total("peerConnects")} connected (${names.length * (names.length - 1)} for the mesh itself), ` +
        `${total("peerFailures")} failed or disconnected; processes alive at the end: ${children.filter((c) => c.alive).length}/${names.length}`
    )
    if (options.outFile !== undefined) {
      writeFileSync(options.outFile, JSON.stringify({ options, failedConnects, rows, samples: Object.fromEntries(children.map((c) => [c.name, c.samples])), streams: Object.fromEntries(streams) }))
      console.log(`samples written to ${options.outFile}`)
    }

    yield* Effect.forEach(children, (child) => tell(child, { _tag: "Exit" }))
    yield* Effect.forEach(children, (child) => child.alive ? awaitReply(child, "Exited", 20) : Effect.void, { concurrency: "unbounded", discard: true })
    return clean
  })
