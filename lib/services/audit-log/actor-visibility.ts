import { prisma } from "@/lib/db";

export interface ShownActor {
  /** Null when the actor is shown as provider staff. */
  id: string | null;
  email: string | null;
  name: string;
}

/**
 * How the users who acted (changed something, created a token) are shown to a viewer. The viewer
 * may know who acted when they share an account with the actor or stand above one of the actor's
 * accounts; anyone else acted from above the viewer, as their provider's staff, and shows as
 * "<Provider> staff" without id or email: a customer learns which provider acted, not who there.
 */
export async function loadActorVisibility(options: {
  viewerUserId: string;
  actorIds: readonly string[];
}): Promise<{
  /** Whether the viewer may see who `userId` is (and from which address they acted). */
  isKnown(userId: string): boolean;
  /** `userId` as the viewer may see them, for something done in the account at `accountPath`; null for unknown users. */
  show(userId: string, accountPath: string | undefined): ShownActor | null;
}> {
  const actorIds = [...new Set(options.actorIds)];
  const [users, actorMemberships, viewerMemberships] = await Promise.all([
    prisma.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true, name: true } }),
    prisma.membership.findMany({
      where: { userId: { in: actorIds } },
      select: { userId: true, account: { select: { name: true, path: true } } },
    }),
    prisma.membership.findMany({
      where: { userId: options.viewerUserId },
      select: { account: { select: { path: true } } },
    }),
  ]);
  const usersById = new Map(users.map((u) => [u.id, u]));
  const viewerRoots = viewerMemberships.map((m) => m.account.path);
  const known = new Set(
    actorMemberships
      .filter((m) => viewerRoots.some((root) => m.account.path.startsWith(root)))
      .map((m) => m.userId),
  );
  const staffLabel = (userId: string, accountPath: string | undefined): string => {
    // The deepest of the actor's accounts above the changed one: the provider they acted for.
    const provider = actorMemberships
      .filter((m) => m.userId === userId && accountPath?.startsWith(m.account.path))
      .sort((a, b) => b.account.path.length - a.account.path.length)[0];
    return provider ? `${provider.account.name} staff` : "Former member";
  };
  return {
    isKnown: (userId) => usersById.has(userId) && known.has(userId),
    show(userId, accountPath) {
      const user = usersById.get(userId);
      if (!user) return null;
      return known.has(user.id) ? user : { id: null, email: null, name: staffLabel(user.id, accountPath) };
    },
  };
}
