/**
 * The environment of the databases given to a site, for its manifest spec (site-spec.ts):
 * reads the attachments with their database, user and server, decrypts each user's password and
 * names the variables with lib/k8s/manifests/database-env.ts.
 */
import { open } from "@/lib/crypto/secret-box";
import { podEndpointOf } from "@/lib/db-servers/server-address";
import type { Prisma } from "@/lib/generated/prisma/client";
import { attachedDatabasesEnv } from "@/lib/k8s/manifests/database-env";
import { ENV_PREFIX_PATTERN } from "@/lib/validation/database";

/** An attachment that cannot be turned into variables; toManifestSpec makes it an InvalidSpecError. */
export class AttachedDatabaseError extends Error {
  override name = "AttachedDatabaseError";
}

export const databaseAttachmentsInclude = {
  select: {
    envPrefix: true,
    database: {
      select: {
        name: true,
        deletionRequestedAt: true,
        server: { select: { host: true, port: true, podHost: true, podPort: true } },
      },
    },
    user: { select: { name: true, passwordCiphertext: true, deletionRequestedAt: true } },
  },
  orderBy: { envPrefix: "asc" },
} satisfies Prisma.Site$databaseAttachmentsArgs;

type Attachment = Prisma.SiteDatabaseAttachmentGetPayload<typeof databaseAttachmentsInclude>;

export function attachedDatabaseEnvOf(
  attachments: readonly Attachment[],
  openSecret: (ciphertext: string) => string = open,
): Record<string, string> {
  const live = attachments.filter((a) => !a.database.deletionRequestedAt && !a.user.deletionRequestedAt);
  return attachedDatabasesEnv(
    live.map((a) => {
      if (!ENV_PREFIX_PATTERN.test(a.envPrefix)) {
        throw new AttachedDatabaseError(`"${a.envPrefix}" is not a valid environment variable prefix`);
      }
      let password: string;
      try {
        password = openSecret(a.user.passwordCiphertext);
      } catch (err) {
        throw new AttachedDatabaseError(
          `The password of database user ${a.user.name} cannot be read: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      const { host, port } = podEndpointOf(a.database.server);
      return {
        envPrefix: a.envPrefix,
        credentials: { host, port, name: a.database.name, user: a.user.name, password },
      };
    }),
  );
}
