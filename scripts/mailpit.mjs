/**
 * The local mail server: Mailpit (github.com/axllent/mailpit), built from the Go module proxy by
 * scripts/mailpit/build.sh. `npm run up` starts it on loopback when no SITEPOD_SMTP_URL is set and
 * sends Sitepod's mail to it; the mailbox page shows what was sent, and tests read the messages
 * through its HTTP API. Whoever starts it stops it (it runs in its own process group).
 * Plain Node (no TypeScript): `npm run up` uses it before dependencies are installed.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const READY_TIMEOUT_MS = 30_000;

/** Builds Mailpit into the cache unless it is there; answers the binary's path. */
export function buildMailpit(say = () => {}) {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [path.join(root, "scripts", "mailpit", "build.sh")], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
      for (const line of String(d).split("\n")) if (line.trim()) say(line.trim());
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const binary = out.trim().split("\n").pop() ?? "";
      if (code === 0 && binary) resolve(binary);
      else reject(new Error(`scripts/mailpit/build.sh exited with ${code}: ${err.trim().split("\n").pop()}`));
    });
  });
}

/**
 * Two free ports on 127.0.0.1 for SMTP and the mailbox: each the preferred one when nothing listens
 * on it, else one the system picks. Both are held open while the other is chosen, so they differ.
 * (Another process could still take one before Mailpit binds it; Mailpit then exits, and
 * waitForMailpit says so.)
 */
export async function pickPorts({ smtpPort, uiPort } = {}) {
  const listen = (port) =>
    new Promise((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(null));
      server.listen(port, "127.0.0.1", () => resolve(server));
    });
  const held = [];
  const take = async (preferred) => {
    const server = (preferred ? await listen(preferred) : null) ?? (await listen(0));
    if (server === null) throw new Error("no free port on 127.0.0.1");
    held.push(server);
    return server.address().port;
  };
  try {
    return { smtpPort: await take(smtpPort), uiPort: await take(uiPort) };
  } finally {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/**
 * Where a Mailpit listening on these ports is reached: Sitepod's SMTP_URL, the mailbox page and the
 * HTTP API (GET /api/v1/messages, /api/v1/search?query=to:..., /api/v1/message/<id>).
 */
export function mailpitUrls({ smtpPort, uiPort }) {
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    uiUrl: `http://127.0.0.1:${uiPort}/`,
    apiUrl: `http://127.0.0.1:${uiPort}/api/v1`,
  };
}

/**
 * The command line: loopback only, no update check (no network here), no reverse DNS lookups, an
 * in-memory-sized temporary database that Mailpit deletes when it stops, and mail kept for a day.
 */
export function mailpitArgs({ smtpPort, uiPort }) {
  return [
    "--smtp",
    `127.0.0.1:${smtpPort}`,
    "--listen",
    `127.0.0.1:${uiPort}`,
    "--disable-version-check",
    "--smtp-disable-rdns",
    "--max-age",
    "1d",
    "--quiet",
  ];
}

/** Resolves once Mailpit's API answers, or rejects (also when `isAlive()` turns false). */
export async function waitForMailpit(apiUrl, isAlive = () => true) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ok = await fetch(`${apiUrl}/info`, { signal: AbortSignal.timeout(2_000) })
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    if (!isAlive()) throw new Error("Mailpit exited before it was ready");
    if (Date.now() > deadline) throw new Error(`Mailpit did not answer at ${apiUrl} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Builds (if needed) and starts a Mailpit of its own, for tests: free ports, its own process group.
 * Answers its URLs and stop(), which ends it and waits until it has.
 */
export async function startMailpit({ say = () => {}, smtpPort, uiPort } = {}) {
  const binary = await buildMailpit(say);
  const ports = await pickPorts({ smtpPort, uiPort });
  const child = spawn(binary, mailpitArgs(ports), { stdio: ["ignore", "ignore", "inherit"], detached: true });
  let exited = false;
  const gone = new Promise((resolve) => {
    child.on("exit", () => {
      exited = true;
      resolve();
    });
  });
  const stop = async () => {
    if (exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000);
    await gone;
    clearTimeout(killer);
  };
  const urls = mailpitUrls(ports);
  try {
    await waitForMailpit(urls.apiUrl, () => !exited);
  } catch (err) {
    await stop();
    throw err;
  }
  return { ...urls, pid: child.pid, stop };
}
