/** Starts the API server: the watch cache first (so lists have a resourceVersion), then HTTPS. */
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { RESOURCES } from "./resources";
import { type Authenticator, createApiHandler, type FrontProxyOptions } from "./server";
import { WatchCache, type WatchCacheOptions } from "./watch/watch-cache";

export interface StartApiServerOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  tls: { cert: string | Buffer; key: string | Buffer };
  authenticate: Authenticator;
  /** Registered into a cluster: trust its front proxy (./front-proxy.ts) and ask it to authorize. */
  frontProxy?: FrontProxyOptions;
  version: string;
  cache?: Omit<WatchCacheOptions, "resources">;
  /** How often an open watch rechecks its credential (default 60 s). */
  watchRecheckMs?: number;
}

export interface RunningApiServer {
  url: string;
  port: number;
  cache: WatchCache;
  close(): Promise<void>;
}

export async function startApiServer(options: StartApiServerOptions): Promise<RunningApiServer> {
  const cache = new WatchCache({ resources: RESOURCES, ...options.cache });
  await cache.start();
  const server = createServer(
    {
      cert: options.tls.cert,
      key: options.tls.key,
      minVersion: "TLSv1.2",
      // Ask for (never require) a client certificate, checked against the request-header CA only:
      // kubectl with a token sends none; the front proxy sends its own. `authorized` then says
      // whether it verified, and only then are the X-Remote-* headers read.
      ...(options.frontProxy
        ? { requestCert: true, rejectUnauthorized: false, ca: options.frontProxy.config.clientCA }
        : {}),
    },
    createApiHandler({
      authenticate: options.authenticate,
      frontProxy: options.frontProxy,
      cache,
      version: options.version,
      watchRecheckMs: options.watchRecheckMs,
    }),
  );
  // Watches are long requests; the defaults would cut idle keep-alive sockets of kubectl early.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 60_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`,
    port,
    cache,
    async close() {
      await cache.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
