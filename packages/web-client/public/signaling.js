// A JSON-RPC 2.0 client of signaling-protocol.md over the browser's WebSocket.

/** Opens the socket; `onNotification(method, params)` receives the server's notifications. */
export async function connectSignaling(url, onNotification) {
  const ws = new WebSocket(url)
  let nextId = 1
  const pending = new Map()
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data)
    const waiter = message.id === undefined ? undefined : pending.get(message.id)
    if (waiter !== undefined) {
      pending.delete(message.id)
      if (message.error) waiter.reject(new Error(`${message.error.code} ${message.error.message}`))
      else waiter.resolve(message.result)
    } else if (message.method !== undefined) {
      onNotification(message.method, message.params)
    }
  }
  await new Promise((resolve, reject) => {
    ws.onopen = resolve
    ws.onerror = () => reject(new Error(`cannot reach signaling at ${url}`))
  })
  return {
    request(method, params) {
      return new Promise((resolve, reject) => {
        const id = nextId++
        pending.set(id, { resolve, reject })
        ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }))
      })
    },
    notify(method, params) {
      ws.send(JSON.stringify({ jsonrpc: "2.0", method, params }))
    },
    close() {
      ws.close(1000)
    }
  }
}
