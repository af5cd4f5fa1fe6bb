/**
 * Runs a TypeScript entry point (`node --conditions=source <file> ...args`) as a child process to its
 * exit, failing loudly (and killing it with everything it started) if it outlives `timeoutMs`.
 */
import { spawn } from "node:child_process"

export interface ScriptRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  /** Processes it started (a browser, say) still running 5 s after it exited; killed then. */
  readonly strays: boolean
}

/** True while any process of the group led by `pid` is alive. */
const groupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

const killGroup = (pid: number) => {
  if (groupAlive(pid)) process.kill(-pid, "SIGKILL")
}

/** Resolves with whether the group led by `pid` still has a process after `graceMs`, polling for it to empty. */
const straysAfter = (pid: number, graceMs: number) =>
  new Promise<boolean>((resolve) => {
    const deadline = Date.now() + graceMs
    const check = () => {
      if (!groupAlive(pid)) resolve(false)
      else if (Date.now() >= deadline) {
        killGroup(pid)
        resolve(true)
      } else setTimeout(check, 100)
    }
    check()
  })

export const runScript = (file: string, args: ReadonlyArray<string>, timeoutMs: number) =>
  new Promise<ScriptRun>((resolve, reject) => {
    // Its own process group, so that a timeout kills what it started too (Chromium), not just node.
    const child = spawn(process.execPath, ["--conditions=source", file, ...args], { stdio: ["ignore", "pipe", "pipe"], detached: true })
    const pid = child.pid
    if (pid === undefined) {
      child.once("error", reject)
      return
    }
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      killGroup(pid)
      reject(new Error(`${file} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`))
    }, timeoutMs)
    // "close", not "exit": only then has all of its output been read.
    child.on("close", (code) => {
      clearTimeout(timer)
      void straysAfter(pid, 5_000).then((strays) => resolve({ code, stdout, stderr, strays }))
    })
  })
