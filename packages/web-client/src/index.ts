/**
 * @remotemedia/web-client: a browser page (plain ES modules in `public/`, no bundler) that joins a
 * RemoteMedia mesh with the browser's own RTCPeerConnection, and the loopback HTTP server that serves it.
 *
 * @since 0.1.0
 */
export {
  make as makeWebClientServer,
  type PageParams,
  pageUrl,
  publicDirectory,
  WebClientServer,
  WebClientServerError,
  type WebClientServerOptions,
  type WebClientServerShape
} from "./WebClientServer.ts"
export { BrowserUnavailable, chromiumInstalled, chromiumPath, launchChromium, openInChromium } from "./HeadlessChromium.ts"
