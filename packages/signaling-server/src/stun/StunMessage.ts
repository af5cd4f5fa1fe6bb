/**
 * The two STUN messages a binding-only server needs (RFC 5389): reading a Binding request and writing a
 * Binding success response with XOR-MAPPED-ADDRESS.
 *
 * @since 0.1.0
 */
import { isIPv4 } from "node:net"

export const MAGIC_COOKIE = 0x2112a442
const HEADER_BYTES = 20
const BINDING_REQUEST = 0x0001
const BINDING_SUCCESS = 0x0101
const XOR_MAPPED_ADDRESS = 0x0020

/** The 12-byte transaction id of a well-formed Binding request, or `undefined` for anything else. */
export const bindingRequestId = (message: Uint8Array): Uint8Array | undefined => {
  if (message.length < HEADER_BYTES) return undefined
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength)
  const type = view.getUint16(0)
  const length = view.getUint16(2)
  // The two top bits of every STUN message are zero and attributes are 4-byte aligned.
  if (type !== BINDING_REQUEST || length % 4 !== 0 || HEADER_BYTES + length !== message.length) return undefined
  if (view.getUint32(4) !== MAGIC_COOKIE) return undefined
  return message.subarray(8, HEADER_BYTES)
}

const ipv4Bytes = (address: string): Uint8Array => Uint8Array.from(address.split("."), Number)

const ipv6Bytes = (address: string): Uint8Array => {
  const [head = "", tail] = address.split("::")
  const groups = (part: string | undefined) => part === undefined || part === "" ? [] : part.split(":")
  const left = groups(head)
  const right = groups(tail)
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right]
  const bytes = new Uint8Array(16)
  all.forEach((group, i) => {
    const value = Number.parseInt(group, 16)
    bytes[i * 2] = value >> 8
    bytes[i * 2 + 1] = value & 0xff
  })
  return bytes
}

/** A Binding success response telling the client it was seen at `address:port`. */
export const bindingSuccess = (transactionId: Uint8Array, address: string, port: number): Uint8Array => {
  const v4 = isIPv4(address)
  const addr = v4 ? ipv4Bytes(address) : ipv6Bytes(address)
  const valueLength = 4 + addr.length
  const out = new Uint8Array(HEADER_BYTES + 4 + valueLength)
  const view = new DataView(out.buffer)
  view.setUint16(0, BINDING_SUCCESS)
  view.setUint16(2, 4 + valueLength)
  view.setUint32(4, MAGIC_COOKIE)
  out.set(transactionId, 8)
  view.setUint16(20, XOR_MAPPED_ADDRESS)
  view.setUint16(22, valueLength)
  view.setUint8(25, v4 ? 0x01 : 0x02)
  view.setUint16(26, port ^ (MAGIC_COOKIE >>> 16))
  // The address is XORed with the cookie, then (IPv6) with the transaction id: bytes 4..20 of the header.
  for (let i = 0; i < addr.length; i++) out[28 + i] = (addr[i] ?? 0) ^ (out[4 + i] ?? 0)
  return out
}
