/**
 * Runs a TypeScript entry point (`node --conditions=source <file> ...args`) as a child process to its
 * exit, failing loudly (and killing it) if it outlives `timeoutMs`.
 */
import { spawn } from "node:child_process"

export interface ScriptRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export const runScript = (file: string, args: ReadonlyArray<string>, timeoutMs: number) =>
  new Promise<ScriptRun>((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=source", file, ...args], { stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`${file} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`))
    }, timeoutMs)
    child.on("exit", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
