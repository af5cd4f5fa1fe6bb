/**
 * Startup of `remotemedia-peer`, the figure a CLI user feels: until `--help` is printed, until a usage error
 * is reported, and until the peer has joined a local signaling server, each next to a bare `node` start
 * measured in the same run. Run inside the private network namespace:
 * `scripts/netns node --conditions=source packages/cli/bench/startup.ts [rounds]`.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { make as makeSignalingServer, makeStunResponder } from "@remotemedia/signaling-server"

const mainPath = fileURLToPath(new URL("../src/main.ts", import.meta.url))
/** The package directory, so that `effect` resolves for the baseline as it does for the CLI. */
const packageDir = fileURLToPath(new URL("..", import.meta.url))
const rounds = Number(process.argv[2] ?? 7)

/** Milliseconds from spawn until `done(stderr + stdout)` holds (or, without `done`, until the process exits). */
const timeRun = (args: ReadonlyArray<string>, done: ((output: string) => boolean) | undefined) =>
  new Promise<number>((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, args, { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    let resolved = false
    const finish = () => {
      if (resolved) return
      resolved = true
      resolve(performance.now() - started)
      child.kill("SIGINT")
    }
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (done?.(output) === true) finish()
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", onData)
    child.on("exit", (code) => (resolved ? undefined : done === undefined && code === 0 ? finish() : reject(new Error(`exited early (${code}):\n${output}`))))
  })

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!

const summarise = (name: string, samples: ReadonlyArray<number>) => {
  const sorted = [...samples].sort((a, b) => a - b)
  const f = (value: number) => value.toFixed(0).padStart(6)
  console.log(`${name.padEnd(34)} median ${f(percentile(sorted, 0.5))} ms  p90 ${f(percentile(sorted, 0.9))}  p99 ${f(percentile(sorted, 0.99))}  min-max ${f(sorted[0]!)}-${f(sorted.at(-1)!).trim()}`)
}

const program = Effect.gen(function*() {
  const server = yield* makeSignalingServer({})
  const stun = yield* makeStunResponder()
  const cases: ReadonlyArray<readonly [string, (round: number) => ReadonlyArray<string>, ((output: string) => boolean) | undefined]> = [
    ["baseline: node -e ''", () => ["-e", ""], undefined],
    ["baseline: node + effect barrel", () => ["--input-type=module", "-e", "await import('effect')"], undefined],
    ["baseline: node + effect/Schema", () => ["--input-type=module", "-e", "await import('effect/Schema')"], undefined],
    ["remotemedia-peer --help", () => ["--conditions=source", mainPath, "--help"], (out) => out.includes("exit codes")],
    ["remotemedia-peer usage error", () => ["--conditions=source", mainPath, "--tone", "1"], (out) => out.includes("(see --help)")],
    [
      "remotemedia-peer until joined",
      (round) => ["--conditions=source", mainPath, "--signaling", server.url, "--stun", stun.url, "--ice-hosts", "loopback", "--id", `bench${round}`],
      (out) => out.includes(" as bench")
    ]
  ]
  const samples = cases.map((): Array<number> => [])
  // Alternate the cases round by round so that load on the machine hits them alike.
  for (let round = 0; round < rounds; round++) {
    for (const [index, [, args, done]] of cases.entries()) {
      samples[index]!.push(yield* Effect.promise(() => timeRun(args(round), done)))
    }
  }
  console.log(`remotemedia-peer startup, ${rounds} rounds (wall-clock ms from spawn)`)
  for (const [index, [name]] of cases.entries()) summarise(name, samples[index]!)
}).pipe(Effect.scoped, Effect.orDie)

await Effect.runPromise(program)
