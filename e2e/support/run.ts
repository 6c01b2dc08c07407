/**
 * Values one e2e run shares between the Playwright runner, its workers, global setup/teardown and the
 * web server script. playwright.config.ts fixes them in process.env on its first load; workers and
 * the web server inherit that environment.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export interface RunState {
  databaseUrl: string;
  kubeconfig: string;
  startedCluster: boolean;
  /** `npm run up`'s process (scripts/up.mjs), a process-group leader; null once stopped. */
  serverPid: number | null;
  /** Its state folder (generated keys) and its output. */
  stateDir: string;
  serverLog: string;
  /** The mail server `npm run up` started beside Sitepod; null until it serves. */
  mailpit: RunMailpit | null;
}

/** What scripts/up.mjs writes to <state>/mailpit.json once its Mailpit answers. */
export interface RunMailpit {
  smtpUrl: string;
  uiUrl: string;
  /** Mailpit's HTTP API, where the specs read the mail Sitepod sent (tests/helpers/mailpit.ts). */
  apiUrl: string;
  /** Its process, a process-group leader of its own. */
  pid: number;
}

/** The Mailpit `npm run up` started with this state folder, or null if it started none (yet). */
export function readMailpitFile(stateDir: string): RunMailpit | null {
  const file = path.join(stateDir, "mailpit.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as RunMailpit) : null;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e suite through playwright.config.ts`);
  return value;
}

export function runId(): string {
  return required("SITEPOD_E2E_RUN_ID");
}

/** Written by global setup once Sitepod serves; read by the specs and by global teardown. */
export function runStateFile(): string {
  return required("SITEPOD_E2E_STATE_FILE");
}

export function readRunState(): RunState {
  return JSON.parse(readFileSync(runStateFile(), "utf8")) as RunState;
}

/**
 * The run's tenant-namespace prefix: the suite is a second Sitepod installation on the cluster that
 * `npm run up` may already use, and the two must not claim each other's `sp-<slug>` namespaces.
 */
export function namespacePrefix(): string {
  return `sp${runId().slice(0, 8)}-`;
}

/** The namespace of the account `slug` in this run. */
export function accountNamespace(slug: string): string {
  return `${namespacePrefix()}${slug}`;
}

export function baseUrl(): string {
  return `http://127.0.0.1:${required("SITEPOD_E2E_PORT")}`;
}

/**
 * The e2e database lives on the local MariaDB only: the suite creates and drops databases, which must
 * never happen on a shared server.
 */
export function e2eDatabaseUrl(): string {
  const server = process.env.SITEPOD_E2E_DATABASE_SERVER_URL ?? "mysql://root@127.0.0.1:3306";
  const url = new URL(server.replace(/\/+$/, ""));
  if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
    throw new Error(
      `Refusing to run e2e against database host ${url.hostname}: only 127.0.0.1 or localhost.`,
    );
  }
  const name = `sitepod_e2e_${runId()}`;
  if (!/^sitepod_e2e_[0-9a-f]+$/.test(name)) throw new Error(`Unexpected e2e database name ${name}`);
  url.pathname = `/${name}`;
  return url.toString();
}
