/**
 * A site's generated secrets: its database credentials, WordPress keys and salts, and for a
 * WordPress site the admin account to install with. Stored only sealed (Site.secretsCiphertext);
 * the reconciler opens them to write the site's Kubernetes Secrets.
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
  /**
   * WordPress sites: the first admin. The password is shown to the owner once, when the site is
   * created, and removed (by the reconciler) once WordPress is installed: WordPress keeps its own
   * hash, and a password Sitepod no longer holds cannot leak from it.
   */
  wordpressAdmin: z
    .object({
      user: z.string().min(1).max(60),
      email: z.string().min(3).max(254),
      password: z.string().min(1).optional(),
    })
    .optional(),
});

export type SiteSecrets = z.infer<typeof siteSecretsSchema>;

// base64url: no quotes, backslashes or `$`, so the values survive PHP strings and env files untouched.
function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

/** Characters of a generated WordPress admin password (base64url, 6 bits each: 144 bits). */
export const ADMIN_PASSWORD_LENGTH = 24;

/**
 * The database name and user are readable for operators (`sp_<site name>_<random>`) and fit MySQL's
 * 32-character user-name limit; the random suffix keeps them unique across accounts. With `admin`
 * (WordPress sites), a password is generated for that first admin.
 */
export function generateSiteSecrets(siteName: string, admin?: { user: string; email: string }): SiteSecrets {
  const base = siteName.replace(/-/g, "_").slice(0, 20);
  const identifier = `sp_${base}_${randomBytes(4).toString("hex")}`;
  const wordpress = Object.fromEntries(
    WORDPRESS_SALT_NAMES.map((n) => [n, randomToken(48)]),
  ) as SiteSecrets["wordpress"];
  return {
    version: 1,
    database: { name: identifier, user: identifier, password: randomToken(32) },
    wordpress,
    ...(admin
      ? { wordpressAdmin: { ...admin, password: randomToken((ADMIN_PASSWORD_LENGTH * 3) / 4) } }
      : {}),
  };
}

/** The secrets once WordPress is installed: the admin's name and email stay, the password goes. */
export function withoutAdminPassword(secrets: SiteSecrets): SiteSecrets {
  if (!secrets.wordpressAdmin?.password) return secrets;
  const { password: _dropped, ...admin } = secrets.wordpressAdmin;
  return { ...secrets, wordpressAdmin: admin };
}

export function sealSiteSecrets(secrets: SiteSecrets): string {
  return seal(JSON.stringify(secrets));
}

/** Decrypts and validates Site.secretsCiphertext; throws on a wrong key, tampering or a bad shape. */
export function openSiteSecrets(ciphertext: string): SiteSecrets {
  return siteSecretsSchema.parse(JSON.parse(open(ciphertext)));
}
