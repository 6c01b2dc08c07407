/**
 * A site's generated secrets: its database credentials and WordPress keys and salts. Stored only
 * sealed (Site.secretsCiphertext); the reconciler opens them to write the site's Kubernetes Secret.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { open, seal } from "@/lib/crypto/secret-box";
import { WORDPRESS_SALT_KEYS } from "@/lib/k8s/manifests/types";

/** The WordPress keys and salts, named as the manifests render them into wp-config.php. */
export const WORDPRESS_SALT_NAMES = WORDPRESS_SALT_KEYS;

export const siteSecretsSchema = z.object({
  version: z.literal(1),
  database: z.object({
    name: z.string().min(1).max(64),
    user: z.string().min(1).max(32),
    password: z.string().min(1),
  }),
  wordpress: z.object(
    Object.fromEntries(WORDPRESS_SALT_NAMES.map((n) => [n, z.string().min(1)])) as Record<
      (typeof WORDPRESS_SALT_NAMES)[number],
      z.ZodString
    >,
  ),
});

export type SiteSecrets = z.infer<typeof siteSecretsSchema>;

// base64url: no quotes, backslashes or `$`, so the values survive PHP strings and env files untouched.
function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

/**
 * The database name and user are readable for operators (`sp_<site name>_<random>`) and fit MySQL's
 * 32-character user-name limit; the random suffix keeps them unique across accounts.
 */
export function generateSiteSecrets(siteName: string): SiteSecrets {
  const base = siteName.replace(/-/g, "_").slice(0, 20);
  const identifier = `sp_${base}_${randomBytes(4).toString("hex")}`;
  const wordpress = Object.fromEntries(
    WORDPRESS_SALT_NAMES.map((n) => [n, randomToken(48)]),
  ) as SiteSecrets["wordpress"];
  return {
    version: 1,
    database: { name: identifier, user: identifier, password: randomToken(32) },
    wordpress,
  };
}

export function sealSiteSecrets(secrets: SiteSecrets): string {
  return seal(JSON.stringify(secrets));
}

/** Decrypts and validates Site.secretsCiphertext; throws on a wrong key, tampering or a bad shape. */
export function openSiteSecrets(ciphertext: string): SiteSecrets {
  return siteSecretsSchema.parse(JSON.parse(open(ciphertext)));
}
