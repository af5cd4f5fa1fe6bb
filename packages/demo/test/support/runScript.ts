/**
 * Runs a TypeScript entry point (`node --conditions=source <file> ...args`) as a child process to its
 * exit, failing loudly (and killing it with whatever it started) if it outlives `timeoutMs`.
 *
 * The child gets a private TMPDIR, so what it starts there can be found after it exits: Chromium runs
 * detached in its own process group (playwright), but its profile directory, and so its command line,
 * lies inside that TMPDIR (Linux /proc).
 */
import { spawn } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface ScriptRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  /** Processes it started (Chromium, say) still running 5 s after it exited, as `pid command…`; killed then. */
  readonly strays: ReadonlyArray<string>
}

/** Live processes whose command line mentions `text`, as `pid command…`. */
const processesMentioning = (text: string): Array<string> =>
  readdirSync("/proc").filter((name) => /^\d+$/.test(name)).flatMap((pid) => {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ")
      return command.includes(text) ? [`${pid} ${command.slice(0, 160)}`] : []
    } catch {
      return [] // gone meanwhile
    }
  })

const kill = (processes: ReadonlyArray<string>) => {
  for (const entry of processes) {
    try {
      process.kill(Number(entry.split(" ", 1)[0]), "SIGKILL")
    } catch {
      // gone meanwhile
    }
  }
}

/**
 * What still mentions `scratch` once nothing does or after `graceMs` (then killed), polled every 100 ms;
 * `scratch` is removed then.
 */
const straysAfter = (scratch: string, graceMs: number) =>
  new Promise<Array<string>>((resolve) => {
    const deadline = Date.now() + graceMs
    const check = () => {
      const strays = processesMentioning(scratch)
      if (strays.length === 0 || Date.now() >= deadline) {
        kill(strays)
        rmSync(scratch, { recursive: true, force: true })
        resolve(strays)
      } else setTimeout(check, 100)
    }
    check()
  })

export const runScript = (file: string, args: ReadonlyArray<string>, timeoutMs: number) =>
  new Promise<ScriptRun>((resolve, reject) => {
    const scratch = mkdtempSync(join(tmpdir(), "remotemedia-run-"))
    const child = spawn(process.execPath, ["--conditions=source", file, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TMPDIR: scratch }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      kill(processesMentioning(scratch))
      reject(new Error(`${file} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`))
    }, timeoutMs)
    child.once("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    // "close", not "exit": only then has all of its output been read.
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve(straysAfter(scratch, 5_000).then((strays) => ({ code, stdout, stderr, strays })))
    })
  })
