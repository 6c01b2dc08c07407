/**
 * The Sitepod API server process (hosting.sitepod.io/v1alpha1, for kubectl and Kubernetes
 * clients): `tsx lib/apiserver/main.ts`. `npm run up` starts it on 127.0.0.1 with the certificate
 * it generates (scripts/local-certs.mjs); deploy/apiserver.yaml runs it in a cluster.
 *
 * SITEPOD_APISERVER_HOST (default 127.0.0.1), SITEPOD_APISERVER_PORT (default 3443),
 * SITEPOD_APISERVER_TLS_CERT and SITEPOD_APISERVER_TLS_KEY (PEM files, required), DATABASE_URL.
 * Registered into a cluster as an aggregated API: SITEPOD_APISERVER_REQUESTHEADER_* (./aggregation.ts).
 */
import { readFileSync } from "node:fs";
import { guardAgainstDriverConnectionLoss } from "@/lib/db/driver-crash-guard";
import { log } from "@/lib/log";
import packageJson from "../../package.json" with { type: "json" };
import { frontProxyFromEnv } from "./aggregation";
import { bearerTokens } from "./bearer-tokens";
import { startApiServer } from "./start";

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) {
    log.error(`${name} is not set`, { event: "apiserver.config_missing", variable: name });
    process.exit(1);
  }
  return value;
}

async function main(): Promise<void> {
  // A MariaDB restart must not end the process (see lib/db/driver-crash-guard.ts).
  guardAgainstDriverConnectionLoss(log);
  const host = process.env.SITEPOD_APISERVER_HOST?.trim() || "127.0.0.1";
  const port = Number(process.env.SITEPOD_APISERVER_PORT?.trim() || "3443");
  const frontProxy = await frontProxyFromEnv();
  const server = await startApiServer({
    host,
    port,
    tls: {
      cert: readFileSync(required("SITEPOD_APISERVER_TLS_CERT")),
      key: readFileSync(required("SITEPOD_APISERVER_TLS_KEY")),
    },
    authenticate: bearerTokens,
    ...(frontProxy ? { frontProxy } : {}),
    version: packageJson.version,
  });
  log.info("api server listening", {
    event: "apiserver.listening",
    url: server.url,
    frontProxy: frontProxy ? { allowedNames: frontProxy.config.allowedNames } : null,
  });
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  log.error("api server failed to start", { event: "apiserver.start_failed", err });
  process.exit(1);
});
