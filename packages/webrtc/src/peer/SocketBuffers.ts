/**
 * Larger kernel buffers for a connection's ICE UDP sockets (field notes, pitfall 7): a 720p keyframe is
 * 100+ datagrams, more than the default receive buffer holds while the event loop is busy.
 *
 * @since 0.1.0
 */
import type { RTCPeerConnection } from "werift"

/** 4 MiB each way; the kernel caps it at `net.core.rmem_max` / `wmem_max`. */
const bufferBytes = 4 * 1024 * 1024

interface UdpSocketLike {
  readonly setRecvBufferSize: (size: number) => void
  readonly setSendBufferSize: (size: number) => void
}

/** werift keeps the sockets private (`iceTransport.connection.protocols[].transport.socket`). */
const socketsOf = (connection: RTCPeerConnection): Array<UdpSocketLike> =>
  connection.iceTransports.flatMap((ice) => {
    const protocols = (ice.connection as unknown as { readonly protocols?: ReadonlyArray<{ readonly transport?: { readonly socket?: UdpSocketLike } }> }).protocols ?? []
    return protocols.flatMap((protocol) => protocol.transport?.socket === undefined ? [] : [protocol.transport.socket])
  })

/** Raises the buffers of every bound ICE socket; returns how many it raised. A closed socket is skipped. */
export const raiseSocketBuffers = (connection: RTCPeerConnection): number => {
  let raised = 0
  for (const socket of socketsOf(connection)) {
    try {
      socket.setRecvBufferSize(bufferBytes)
      socket.setSendBufferSize(bufferBytes)
      raised++
    } catch {
      // Not bound (yet) or already closed: nothing to raise.
    }
  }
  return raised
}
