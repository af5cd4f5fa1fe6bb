/**
 * A minimal RFC 5389 STUN binding responder on 127.0.0.1 for tests: answers every Binding request with
 * its XOR-MAPPED-ADDRESS, so werift's server-reflexive gathering finishes at once instead of waiting
 * out its timeout, and nothing is ever sent off the machine.
 */
import { createSocket } from "node:dgram"
import { Effect } from "effect"

const magicCookie = 0x2112a442

const bindingResponse = (request: Buffer, address: string, port: number): Buffer | undefined => {
  if (request.length < 20 || request.readUInt16BE(0) !== 0x0001 || request.readUInt32BE(4) !== magicCookie) {
    return undefined
  }
  const response = Buffer.alloc(32)
  response.writeUInt16BE(0x0101, 0) // Binding success
  response.writeUInt16BE(12, 2) // one XOR-MAPPED-ADDRESS attribute
  request.copy(response, 4, 4, 20) // magic cookie + transaction id
  response.writeUInt16BE(0x0020, 20)
  response.writeUInt16BE(8, 22)
  response.writeUInt16BE(0x0001, 24) // IPv4
  response.writeUInt16BE(port ^ (magicCookie >>> 16), 26)
  const ip = address.split(".").reduce((acc, octet) => (acc << 8) | Number(octet), 0) >>> 0
  response.writeUInt32BE((ip ^ magicCookie) >>> 0, 28)
  return response
}

/** Starts the responder for the scope's lifetime; yields its `stun:` url. */
export const stunServer = Effect.acquireRelease(
  Effect.callback<ReturnType<typeof createSocket>>((resume) => {
    const socket = createSocket("udp4")
    socket.on("message", (message, remote) => {
      const response = bindingResponse(message, remote.address, remote.port)
      if (response !== undefined) socket.send(response, remote.port, remote.address)
    })
    socket.bind(0, "127.0.0.1", () => resume(Effect.succeed(socket)))
  }),
  (socket) =>
    Effect.callback<void>((resume) => {
      socket.close(() => resume(Effect.void))
    })
).pipe(Effect.map((socket) => `stun:127.0.0.1:${socket.address().port}`))
