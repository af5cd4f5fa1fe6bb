/**
 * From flags to the transport's configuration, and from the transport's `InvalidConfig` back to the flag
 * that caused it: the transport validates (one set of rules), the CLI names flags.
 *
 * @since 0.1.0
 */
import type { InvalidConfig, WebRtcTransportConfigInput } from "@remotemedia/webrtc"
import { UsageError } from "../CliError.ts"
import type { CliOptions } from "../options/CliOptions.ts"

/** The transport configuration the flags ask for. */
export const transportConfig = (options: CliOptions): WebRtcTransportConfigInput => ({
  signalingUrl: options.signalingUrl,
  peerId: options.peerId,
  ...(options.token === undefined ? {} : { token: options.token }),
  stunServers: options.stunUrls,
  turnServers: options.turnUrls.map((url) => ({
    url,
    username: options.turnUsername ?? "",
    credential: options.turnCredential ?? ""
  })),
  ...(options.maxPeers === undefined ? {} : { maxPeers: options.maxPeers }),
  ...(options.connectTimeoutS === undefined ? {} : { connectTimeoutMs: Math.round(options.connectTimeoutS * 1000) }),
  videoCodec: options.codec,
  candidateHosts: options.candidateHosts
})

const flagOfField: ReadonlyArray<readonly [RegExp, string]> = [
  [/^signalingUrl/, "--signaling"],
  [/^peerId/, "--id"],
  [/^token/, "--token"],
  [/^stunServers/, "--stun"],
  [/^turnServers\.\d+\.username/, "--turn-user"],
  [/^turnServers\.\d+\.credential/, "--turn-credential"],
  [/^turnServers/, "--turn"],
  [/^maxPeers/, "--max-peers"],
  [/^connectTimeoutMs/, "--connect-timeout"],
  [/^videoCodec/, "--codec"],
  [/^candidateHosts/, "--ice-hosts"]
]

/** `InvalidConfig` as a usage error naming the flag, e.g. `--stun: expected stun:<host>[:port] …`. */
export const configUsageError = (error: InvalidConfig): UsageError => {
  const flag = flagOfField.find(([field]) => field.test(error.field))?.[1]
  const detail = error.message.replace(/^invalid config( field \S+)?: /, "")
  return new UsageError({ message: flag === undefined ? error.message : `${flag}: ${detail}` })
}
