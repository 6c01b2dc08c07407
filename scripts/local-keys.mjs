/**
 * The keys a local Sitepod needs, for `npm run up`: the session-signing secret (NEXTAUTH_SECRET) and
 * the key that encrypts secrets at rest (SITEPOD_SECRET_KEY). `npm run up` serves a production build,
 * which (like any production deployment) takes both from the environment; on a fresh machine nobody
 * has set them, so they are generated once into the state folder (mode 0600, git-ignored) and handed
 * to the web server and the reconciler. Restarts reuse them: sessions and stored secrets survive.
 * A value already in the environment always wins and is never written to disk.
 * Plain Node because `npm run up` runs before dependencies are installed.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** File name in the state folder, and how to make and check its value. */
const KEYS = {
  NEXTAUTH_SECRET: {
    file: "auth-secret",
    generate: () => randomBytes(32).toString("base64url"),
    valid: (text) => text.length >= 32,
  },
  SITEPOD_SECRET_KEY: {
    file: "secret-key",
    generate: () => randomBytes(32).toString("base64"),
    valid: (text) => Buffer.from(text, "base64").length === 32,
  },
};

function readKey(file, valid) {
  let text;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch (err) {
    if (err.code === "ENOENT") return null;
    throw err;
  }
  if (!valid(text)) {
    throw new Error(`${file} does not hold a valid key: delete it to have a new one generated`);
  }
  return text;
}

/**
 * Returns `{ NEXTAUTH_SECRET, SITEPOD_SECRET_KEY }`: each from `env` when set, else from its file in
 * `stateDir`, else generated into that file. Two processes starting at once agree on one key: the
 * file is created exclusively and the loser reads the winner's.
 */
export function ensureLocalKeys(stateDir, env = process.env) {
  const keys = {};
  for (const [name, spec] of Object.entries(KEYS)) {
    const fromEnv = env[name]?.trim();
    if (fromEnv) {
      keys[name] = fromEnv;
      continue;
    }
    const file = path.join(stateDir, spec.file);
    let value = readKey(file, spec.valid);
    if (value === null) {
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      const generated = spec.generate();
      try {
        writeFileSync(file, `${generated}\n`, { flag: "wx", mode: 0o600 });
        chmodSync(file, 0o600);
        value = generated;
      } catch (err) {
        if (err.code !== "EEXIST") throw err;
        value = readKey(file, spec.valid);
      }
    }
    keys[name] = value;
  }
  return keys;
}
