/**
 * Where clients reach the hosting.sitepod.io API server, as the panel knows it: for the kubeconfig
 * it hands out. SITEPOD_APISERVER_URL is the https URL kubectl should use (`npm run up` sets it to
 * the local server); SITEPOD_APISERVER_CA_FILE the PEM file of the CA that signed the server's
 * certificate (omit it when a publicly trusted certificate serves the URL). Read on each call (a
 * rotated CA file is picked up); instrumentation.ts checks both at startup.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

export interface ApiServerEndpoint {
  url: string;
  /** Null: the server's certificate is publicly trusted. */
  caPem: string | null;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

const blankIsUnset = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const endpointSettingsSchema = z.object({
  SITEPOD_APISERVER_URL: z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .refine(
        (value) => {
          try {
            const url = new URL(value);
            return url.protocol === "https:" && url.search === "" && url.hash === "";
          } catch {
            return false;
          }
        },
        { error: "must be an https URL without query, e.g. https://api.hosting.example:443" },
      )
      .transform((value) => value.replace(/\/+$/, ""))
      .optional(),
  ),
  SITEPOD_APISERVER_CA_FILE: z.preprocess(blankIsUnset, z.string().trim().optional()),
});

/**
 * The API server's endpoint, or null when SITEPOD_APISERVER_URL is unset (the panel then offers no
 * kubeconfig). Throws an Error naming the setting when either is invalid or the CA file unreadable.
 */
export function apiServerEndpoint(
  env: Record<string, string | undefined> = process.env,
): ApiServerEndpoint | null {
  const parsed = endpointSettingsSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${String(issue?.path[0] ?? "SITEPOD_APISERVER_URL")} ${issue?.message ?? "is invalid"}`);
  }
  const { SITEPOD_APISERVER_URL: url, SITEPOD_APISERVER_CA_FILE: caFile } = parsed.data;
  // The CA alone means nothing (deploy/config.yaml names the mounted file before a URL is set).
  if (!url) return null;
  if (!caFile) return { url, caPem: null };
  let text: string;
  try {
    text = readFileSync(caFile, "utf8");
  } catch (err) {
    throw new Error(`SITEPOD_APISERVER_CA_FILE (${caFile}) cannot be read: ${(err as Error).message}`);
  }
  if (!PEM_CERTIFICATE.test(text))
    throw new Error(`SITEPOD_APISERVER_CA_FILE (${caFile}) holds no PEM certificate`);
  return { url, caPem: `${text.trim()}\n` };
}
