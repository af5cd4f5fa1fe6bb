/**
 * A minimal TURN relay (RFC 5766 over UDP, long-term credentials) on 127.0.0.1 for tests, built on werift's
 * STUN message codec: Allocate (401 challenge, then MESSAGE-INTEGRITY), Refresh, CreatePermission,
 * ChannelBind, Send/Data indications and ChannelData. It counts what it relayed, so a test can prove that
 * media really went through it.
 */
import { createSocket, type Socket } from "node:dgram"
import { Effect, Ref } from "effect"
import { classes, makeIntegrityKey, Message, methods, parseMessage } from "werift"

const realm = "remotemedia-test"
const nonce = Buffer.from("4f3c2a1b0e9d8c7b")

interface Allocation {
  readonly relay: Socket
  readonly permissions: Set<string>
  readonly channelToPeer: Map<number, string>
  readonly peerToChannel: Map<string, number>
}

/** Options of {@link turnServer}. */
export interface TurnServerOptions {
  readonly username: string
  readonly password: string
}

const bind = (socket: Socket) =>
  new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()))

const peerKey = (host: string, port: number) => `${host}:${port}`

/** Starts the relay for the scope's lifetime; yields its `turn:` url and the bytes it relayed so far. */
export const turnServer = (options: TurnServerOptions) =>
  Effect.gen(function*() {
    const key = makeIntegrityKey(options.username, realm, options.password)
    const relayed = yield* Ref.make(0)
    const allocations = new Map<string, Allocation>()
    const server = createSocket("udp4")

    const countRelayed = (bytes: number) => Ref.update(relayed, (n) => n + bytes).pipe(Effect.runSync)

    const reply = (request: Message, klass: classes, attributes: ReadonlyArray<[string, unknown]>, to: [string, number]) => {
      const response = new Message(request.messageMethod, klass, request.transactionId)
      for (const [name, value] of attributes) response.setAttribute(name as never, value)
      if (klass !== classes.ERROR || request.messageMethod !== methods.ALLOCATE) response.addMessageIntegrity(key)
      server.send(response.bytes, to[1], to[0])
    }

    const allocate = async (client: [string, number]): Promise<Allocation> => {
      const relay = createSocket("udp4")
      const allocation: Allocation = { relay, permissions: new Set(), channelToPeer: new Map(), peerToChannel: new Map() }
      relay.on("message", (data, from) => {
        if (!allocation.permissions.has(from.address)) return
        countRelayed(data.length)
        const channel = allocation.peerToChannel.get(peerKey(from.address, from.port))
        if (channel !== undefined) {
          const frame = Buffer.alloc(4 + data.length)
          frame.writeUInt16BE(channel, 0)
          frame.writeUInt16BE(data.length, 2)
          data.copy(frame, 4)
          server.send(frame, client[1], client[0])
        } else {
          const indication = new Message(methods.DATA, classes.INDICATION)
          indication.setAttribute("XOR-PEER-ADDRESS", [from.address, from.port])
          indication.setAttribute("DATA", data)
          server.send(indication.bytes, client[1], client[0])
        }
      })
      await bind(relay)
      return allocation
    }

    const handleStun = async (data: Buffer, client: [string, number]) => {
      const unauthenticated = parseMessage(data)
      if (unauthenticated === undefined) return
      const clientKey = peerKey(client[0], client[1])
      if (unauthenticated.messageClass === classes.INDICATION && unauthenticated.messageMethod === methods.SEND) {
        const allocation = allocations.get(clientKey)
        const [host, port] = unauthenticated.getAttributeValue("XOR-PEER-ADDRESS") as [string, number]
        const payload = unauthenticated.getAttributeValue("DATA") as Buffer
        if (allocation === undefined || !allocation.permissions.has(host)) return
        countRelayed(payload.length)
        allocation.relay.send(payload, port, host)
        return
      }
      if (unauthenticated.messageClass !== classes.REQUEST) return
      const request = parseMessage(data, key)
      if (request === undefined) {
        reply(unauthenticated, classes.ERROR, [["ERROR-CODE", [401, "Unauthorized"]], ["REALM", realm], ["NONCE", nonce]], client)
        return
      }
      switch (request.messageMethod) {
        case methods.ALLOCATE: {
          const allocation = allocations.get(clientKey) ?? await allocate(client)
          allocations.set(clientKey, allocation)
          const address = allocation.relay.address()
          reply(request, classes.RESPONSE, [
            ["XOR-RELAYED-ADDRESS", [address.address, address.port]],
            ["XOR-MAPPED-ADDRESS", client],
            ["LIFETIME", 600]
          ], client)
          return
        }
        case methods.REFRESH: {
          const lifetime = request.getAttributeValue("LIFETIME") as number | undefined
          if (lifetime === 0) {
            allocations.get(clientKey)?.relay.close()
            allocations.delete(clientKey)
          }
          reply(request, classes.RESPONSE, [["LIFETIME", lifetime ?? 600]], client)
          return
        }
        case methods.CREATE_PERMISSION: {
          const [host] = request.getAttributeValue("XOR-PEER-ADDRESS") as [string, number]
          allocations.get(clientKey)?.permissions.add(host)
          reply(request, classes.RESPONSE, [], client)
          return
        }
        case methods.CHANNEL_BIND: {
          const channel = request.getAttributeValue("CHANNEL-NUMBER") as number
          const [host, port] = request.getAttributeValue("XOR-PEER-ADDRESS") as [string, number]
          const allocation = allocations.get(clientKey)
          if (allocation !== undefined) {
            allocation.permissions.add(host)
            allocation.channelToPeer.set(channel, peerKey(host, port))
            allocation.peerToChannel.set(peerKey(host, port), channel)
          }
          reply(request, classes.RESPONSE, [], client)
          return
        }
        default:
          reply(request, classes.ERROR, [["ERROR-CODE", [400, "Bad Request"]]], client)
      }
    }

    const handleChannelData = (data: Buffer, clientKey: string) => {
      const allocation = allocations.get(clientKey)
      if (allocation === undefined || data.length < 4) return
      const peer = allocation.channelToPeer.get(data.readUInt16BE(0))
      if (peer === undefined) return
      const payload = data.subarray(4, 4 + data.readUInt16BE(2))
      const separator = peer.lastIndexOf(":")
      countRelayed(payload.length)
      allocation.relay.send(payload, Number(peer.slice(separator + 1)), peer.slice(0, separator))
    }

    server.on("message", (data, from) => {
      // ChannelData starts with 0b01 (channel numbers 0x4000-0x7FFF); STUN with 0b00.
      if ((data[0]! & 0xc0) === 0x40) handleChannelData(data, peerKey(from.address, from.port))
      else handleStun(data, [from.address, from.port]).catch((error) => console.error("test TURN server:", error))
    })

    yield* Effect.acquireRelease(
      Effect.promise(() => bind(server)),
      () =>
        Effect.promise(async () => {
          await Promise.all([...allocations.values()].map((a) => new Promise<void>((resolve) => a.relay.close(() => resolve()))))
          await new Promise<void>((resolve) => server.close(() => resolve()))
        })
    )
    return { url: `turn:127.0.0.1:${server.address().port}`, relayedBytes: Ref.get(relayed) }
  })
