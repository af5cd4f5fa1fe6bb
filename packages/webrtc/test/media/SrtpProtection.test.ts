/**
 * werift's SRTP/SRTCP protection, which our werift patch makes cheap (session keys as KeyObjects, parsed once
 * instead of once per packet): it must stay byte-identical to the standard.
 *
 * - Known answers from libSRTP's validation driver (test/srtp_driver.c: `srtp_validate`, `srtp_validate_gcm`)
 *   for both profiles werift negotiates, through werift's ESM build
 *   (what we import) and its CommonJS build (the patch edits both).
 * - A property: every RTP packet (any payload size, CSRCs, header extension, sequence numbers across a
 *   roll-over) protects to exactly what a from-the-RFC implementation (RFC 3711 key derivation and AES-CM +
 *   HMAC-SHA1-80, RFC 7714 AEAD-AES-128-GCM) gives, unprotects to the original, and fails authentication
 *   with any one bit flipped.
 * - A header extension whose length runs past the packet is rejected at once: unpatched werift walked it
 *   byte by byte, copying its list of elements each time, which froze the process for minutes on one packet.
 */
import { createCipheriv, createHmac } from "node:crypto"
import { createRequire } from "node:module"
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as weriftEsm from "werift"

const weriftCjs = createRequire(import.meta.url)("werift") as typeof weriftEsm
const { ProtectionProfileAeadAes128Gcm: GCM, ProtectionProfileAes128CmHmacSha1_80: CM } = weriftEsm

const hex = (s: string) => Buffer.from(s, "hex")

interface Keying {
  readonly profile: number
  readonly masterKey: Buffer
  readonly masterSalt: Buffer
}

const config = ({ masterKey, masterSalt, profile }: Keying) => ({
  keys: { localMasterKey: masterKey, localMasterSalt: masterSalt, remoteMasterKey: masterKey, remoteMasterSalt: masterSalt },
  profile
})

// libSRTP's `test_key` and `test_key_gcm`.
const cmKeying: Keying = { profile: CM, masterKey: hex("e1f97a0d3e018be0d64fa32c06de4139"), masterSalt: hex("0ec675ad498afeebb6960b3aabe6") }
const gcmKeying: Keying = { profile: GCM, masterKey: hex("000102030405060708090a0b0c0d0e0f"), masterSalt: hex("a0a1a2a3a4a5a6a7a8a9aaab") }

// libSRTP's plaintext packets: 16 bytes of 0xab after an RTP header, and after an RTCP sender report header.
const rtpPlain = "800f1234decafbadcafebabe" + "ab".repeat(16)
const rtcpPlain = "81c8000bcafebabe" + "ab".repeat(16)

const vectors = [
  ["AES_CM_128_HMAC_SHA1_80 RTP", cmKeying, "rtp", rtpPlain, "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb"],
  ["AES_CM_128_HMAC_SHA1_80 RTCP", cmKeying, "rtcp", rtcpPlain, "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798"],
  ["AEAD_AES_128_GCM RTP", gcmKeying, "rtp", rtpPlain, "800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392"],
  ["AEAD_AES_128_GCM RTCP", gcmKeying, "rtcp", rtcpPlain, "81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001"]
] as const

type Werift = typeof weriftEsm

/** Protect and unprotect, each with a fresh session as libSRTP's driver does. */
const protection = {
  rtp: (werift: Werift, keying: Keying) => ({
    protect: (plain: Buffer) => {
      const packet = werift.RtpPacket.deSerialize(plain)
      return new werift.SrtpSession(config(keying)).encrypt(packet.payload, packet.header)
    },
    unprotect: (protectedBytes: Buffer) => new werift.SrtpSession(config(keying)).decrypt(protectedBytes)
  }),
  rtcp: (werift: Werift, keying: Keying) => ({
    protect: (plain: Buffer) => new werift.SrtcpSession(config(keying)).encrypt(plain),
    unprotect: (protectedBytes: Buffer) => new werift.SrtcpSession(config(keying)).decrypt(protectedBytes)
  })
}

describe("werift SRTP: libSRTP's reference packets", () => {
  for (const [build, werift] of [["ESM", weriftEsm], ["CommonJS", weriftCjs]] as const) {
    for (const [name, keying, kind, plain, protectedHex] of vectors) {
      it(`${build} build, ${name}: protects to the reference and back`, () => {
        const { protect, unprotect } = protection[kind](werift, keying)
        expect(protect(hex(plain)).toString("hex")).toBe(protectedHex)
        expect(unprotect(hex(protectedHex)).toString("hex")).toBe(plain)
      })
    }
  }
})

/** RFC 3711 §4.3.1 key derivation (key derivation rate 0) with the AES-CM PRF; a 12-byte (GCM) salt is zero-padded. */
const deriveSessionKey = ({ masterKey, masterSalt }: Keying, label: number, length: number) => {
  const iv = Buffer.alloc(16)
  masterSalt.copy(iv)
  iv[7]! ^= label
  return createCipheriv("aes-128-ctr", masterKey, iv).update(Buffer.alloc(length))
}

/** SRTP protection of a whole RTP packet (header `headerLength` bytes) at roll-over counter `roc`, from the RFCs. */
const referenceProtect = (keying: Keying, packet: Buffer, headerLength: number, roc: number) => {
  const header = packet.subarray(0, headerLength)
  const payload = packet.subarray(headerLength)
  const key = deriveSessionKey(keying, 0, 16)
  const salt = deriveSessionKey(keying, 2, 14)
  const ssrc = packet.readUInt32BE(8)
  const seq = packet.readUInt16BE(2)
  const rocBytes = Buffer.alloc(4)
  rocBytes.writeUInt32BE(roc)
  if (keying.profile === GCM) {
    // RFC 7714 §8.1: IV = (0x0000 || SSRC || ROC || SEQ) XOR salt; the header is the associated data.
    const iv = Buffer.concat([Buffer.alloc(2), packet.subarray(8, 12), rocBytes, packet.subarray(2, 4)]).map((b, i) => b ^ salt[i]!)
    const cipher = createCipheriv("aes-128-gcm", key, iv).setAAD(header)
    const encrypted = Buffer.concat([cipher.update(payload), cipher.final()])
    return Buffer.concat([header, encrypted, cipher.getAuthTag()])
  }
  // RFC 3711 §4.1.1: IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16); tag = HMAC-SHA1(header || payload || ROC)[0..10].
  const iv = Buffer.alloc(16)
  iv.writeUInt32BE(ssrc, 4)
  iv.writeUInt32BE(roc, 8)
  iv.writeUInt16BE(seq, 12)
  salt.forEach((b, i) => {
    iv[i]! ^= b
  })
  const encrypted = createCipheriv("aes-128-ctr", key, iv).update(payload)
  const tag = createHmac("sha1", deriveSessionKey(keying, 1, 20)).update(header).update(encrypted).update(rocBytes).digest().subarray(0, 10)
  return Buffer.concat([header, encrypted, tag])
}

interface RtpSpec {
  readonly payloadType: number
  readonly marker: boolean
  readonly ssrc: number
  readonly timestamp: number
  readonly csrcs: ReadonlyArray<number>
  readonly extension: Uint8Array | undefined
  readonly payload: Uint8Array
}

const rtpPacket: fc.Arbitrary<RtpSpec> = fc.record({
  payloadType: fc.integer({ min: 96, max: 127 }),
  marker: fc.boolean(),
  ssrc: fc.integer({ min: 0, max: 0xffff_ffff }),
  timestamp: fc.integer({ min: 0, max: 0xffff_ffff }),
  csrcs: fc.array(fc.integer({ min: 0, max: 0xffff_ffff }), { maxLength: 2 }),
  // One one-byte-header extension element of 3 bytes: one 32-bit word, no padding to normalise.
  extension: fc.option(fc.uint8Array({ minLength: 3, maxLength: 3 }), { nil: undefined }),
  payload: fc.uint8Array({ maxLength: 1300 })
})

/** The packet's bytes with sequence number `seq`, and its header length. */
const rtpBytes = (p: RtpSpec, seq: number) => {
  const fixed = Buffer.alloc(12)
  fixed[0] = 0x80 | (p.extension ? 0x10 : 0) | p.csrcs.length
  fixed[1] = (p.marker ? 0x80 : 0) | p.payloadType
  fixed.writeUInt16BE(seq, 2)
  fixed.writeUInt32BE(p.timestamp, 4)
  fixed.writeUInt32BE(p.ssrc, 8)
  const csrcs = Buffer.alloc(4 * p.csrcs.length)
  p.csrcs.forEach((c, i) => csrcs.writeUInt32BE(c, 4 * i))
  const extension = p.extension ? Buffer.from([0xbe, 0xde, 0x00, 0x01, 0x12, ...p.extension]) : Buffer.alloc(0)
  const header = Buffer.concat([fixed, csrcs, extension])
  return { bytes: Buffer.concat([header, p.payload]), headerLength: header.length }
}

describe("werift SRTP: every RTP packet as the RFCs protect it", () => {
  for (const keying of [cmKeying, gcmKeying]) {
    it(`${keying.profile === GCM ? "AEAD_AES_128_GCM" : "AES_CM_128_HMAC_SHA1_80"}: byte-identical, reversible, authenticated`, () => {
      fc.assert(
        fc.property(
          rtpPacket,
          // Sequence numbers run on from here, some across 65535 → 0, where the roll-over counter becomes 1.
          fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xfffa, max: 0xffff })),
          fc.integer({ min: 1, max: 8 }),
          fc.nat(),
          (packet, firstSeq, count, flip) => {
            const sender = new weriftEsm.SrtpSession(config(keying))
            const receiver = new weriftEsm.SrtpSession(config(keying))
            let last: Buffer = Buffer.alloc(0)
            for (let i = 0; i < count; i++) {
              const seq = (firstSeq + i) & 0xffff
              const roc = firstSeq + i > 0xffff ? 1 : 0
              const { bytes, headerLength } = rtpBytes(packet, seq)
              const parsed = weriftEsm.RtpPacket.deSerialize(bytes)
              last = sender.encrypt(parsed.payload, parsed.header)
              expect(last.toString("hex")).toBe(referenceProtect(keying, bytes, headerLength, roc).toString("hex"))
              expect(receiver.decrypt(last).toString("hex")).toBe(bytes.toString("hex"))
            }
            const bit = flip % (last.length * 8)
            last[bit >> 3]! ^= 1 << (bit & 7)
            expect(() => receiver.decrypt(last)).toThrow(weriftEsm.SrtpAuthenticationError)
          }
        ),
        { numRuns: 100 }
      )
    })
  }
})

describe("werift SRTP: a header extension longer than its packet", () => {
  for (const keying of [cmKeying, gcmKeying]) {
    it(`${keying.profile === GCM ? "AEAD_AES_128_GCM" : "AES_CM_128_HMAC_SHA1_80"}: fails authentication at once`, () => {
      const { bytes } = rtpBytes({ payloadType: 96, marker: false, ssrc: 1, timestamp: 2, csrcs: [], extension: new Uint8Array([1, 2, 3]), payload: new Uint8Array(40) }, 7)
      const parsed = weriftEsm.RtpPacket.deSerialize(bytes)
      const protectedBytes = new weriftEsm.SrtpSession(config(keying)).encrypt(parsed.payload, parsed.header)
      // The extension's length field (after 12 bytes of header and the 0xBEDE profile): 0xffff words, 256 KiB.
      protectedBytes.writeUInt16BE(0xffff, 14)
      expect(() => new weriftEsm.SrtpSession(config(keying)).decrypt(protectedBytes)).toThrow(weriftEsm.SrtpAuthenticationError)
    })
  }
})
