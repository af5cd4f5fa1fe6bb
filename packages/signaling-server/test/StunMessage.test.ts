import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { bindingRequestId, bindingSuccess } from "../src/index.ts"
import { MAGIC_COOKIE } from "../src/stun/StunMessage.ts"

const request = (transactionId: Uint8Array): Uint8Array => {
  const out = new Uint8Array(20)
  const view = new DataView(out.buffer)
  view.setUint16(0, 0x0001)
  view.setUint32(4, MAGIC_COOKIE)
  out.set(transactionId, 8)
  return out
}

/** Reads XOR-MAPPED-ADDRESS back (IPv4) the way a client does. */
const mappedAddress = (response: Uint8Array): { address: string; port: number } => {
  const view = new DataView(response.buffer, response.byteOffset)
  assert.strictEqual(view.getUint16(0), 0x0101)
  assert.strictEqual(view.getUint16(20), 0x0020)
  const port = view.getUint16(26) ^ (MAGIC_COOKIE >>> 16)
  const address = [0, 1, 2, 3].map((i) => (response[28 + i] ?? 0) ^ (response[4 + i] ?? 0)).join(".")
  return { address, port }
}

describe("STUN messages", () => {
  it("property: a Binding success names the address and port it was given, under the request's transaction id", () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 12, maxLength: 12 }),
      fc.ipV4(),
      fc.integer({ min: 1, max: 65535 }),
      (transactionId, address, port) => {
        const id = bindingRequestId(request(transactionId))
        assert.deepStrictEqual(id, transactionId)
        const response = bindingSuccess(transactionId, address, port)
        assert.deepStrictEqual(response.subarray(8, 20), transactionId)
        assert.strictEqual(new DataView(response.buffer).getUint16(2), response.length - 20)
        assert.deepStrictEqual(mappedAddress(response), { address, port })
      }
    ))
  })

  it("ignores anything that is not a Binding request", () => {
    const ok = request(new Uint8Array(12))
    assert.isDefined(bindingRequestId(ok))
    assert.isUndefined(bindingRequestId(ok.subarray(0, 19)))
    const wrongType = ok.slice()
    wrongType[1] = 0x11
    assert.isUndefined(bindingRequestId(wrongType))
    const noCookie = ok.slice()
    noCookie[4] = 0
    assert.isUndefined(bindingRequestId(noCookie))
    assert.isUndefined(bindingRequestId(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n   ")))
  })

  it("encodes IPv6 mapped addresses XORed with cookie and transaction id", () => {
    const transactionId = Uint8Array.from({ length: 12 }, (_, i) => i + 1)
    const response = bindingSuccess(transactionId, "::1", 5000)
    assert.strictEqual(response[25], 0x02)
    const address = Array.from({ length: 16 }, (_, i) => (response[28 + i] ?? 0) ^ (response[4 + i] ?? 0))
    assert.deepStrictEqual(address, [...Array<number>(15).fill(0), 1])
  })
})
