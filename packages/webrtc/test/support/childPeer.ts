/**
 * A transport in a child process (`test/support/childTransport.ts`), for tests whose remote must die the way
 * a crashed process does: no hang-up, its signaling socket dropped by the kernel.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"

const childScript = fileURLToPath(new URL("./childTransport.ts", import.meta.url))

/** Starts it and waits until it has announced; `kill` SIGKILLs it (the scope kills it at the latest). */
export const childPeer = (peerId: string, urls: { readonly signalingUrl: string; readonly stunUrl: string }) =>
  Effect.acquireRelease(
    Effect.callback<ReturnType<typeof spawn>, Error>((resume) => {
      const child = spawn(process.execPath, ["--conditions=source", childScript, peerId, urls.signalingUrl, urls.stunUrl], {
        stdio: ["ignore", "pipe", "inherit"]
      })
      child.stdout!.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("ready")) resume(Effect.succeed(child))
      })
      child.once("exit", (code) => resume(Effect.fail(new Error(`child transport exited early with ${code}`))))
    }).pipe(Effect.timeout("30 seconds")),
    (child) => Effect.sync(() => child.exitCode === null && child.kill("SIGKILL"))
  ).pipe(Effect.map((child) => ({ kill: Effect.sync(() => void child.kill("SIGKILL")) })))
