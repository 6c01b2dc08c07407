/**
 * The fixture world the authorization suite attacks. Each case gets its own world (a fresh prefix
 * in the suite's database), so one case's positive control (a deleted site, a suspended account)
 * never changes what the next case sees.
 *
 *   platform ─┬─ resA (reseller) ── acme (customer "A1", the default target) ── site
 *             ├─ resB (reseller) ── globex (customer "B1") ── site
 *             └─ agency ── agencyClient ── site
 *
 * Callers: anonymous; `unrelated` (owner of the agency: a member with clients and sites of its own,
 * none of them the target's); `viewer` (VIEWER on the target account); `resellerA` (owner of resA,
 * the target's provider); `resellerB` (owner of resB); `targetOwner` (OWNER on the target);
 * `customerOwner` (owner of acme: the target's owner, or below a reseller-level target);
 * `platformOwner`; `belowMinRole` (a role one step too weak where the rightful caller acts, for
 * cases that give a minimum role).
 */
import { randomBytes } from "node:crypto";
import { newSessionId } from "@/lib/auth/user-sessions";
import type { Account, PrismaClient, Role, User } from "@/lib/generated/prisma/client";
import { createSite } from "@/lib/services/site/create-site";
import { createTestAccount, createTestUser } from "@/tests/helpers/db";

export const CALLERS = [
  "anonymous",
  "unrelated",
  "viewer",
  "resellerB",
  "resellerA",
  "targetOwner",
  "customerOwner",
  "platformOwner",
  "belowMinRole",
] as const;
export type Caller = (typeof CALLERS)[number];
export type SignedInCaller = Exclude<Caller, "anonymous">;

/** Which account the case's object lives in. */
export type TargetName = "customerA1" | "resellerA";

export interface SiteRef {
  id: string;
  name: string;
  domain: string;
}

export interface World {
  p: PrismaClient;
  /** Unique per world; every slug, name, e-mail and domain of the world contains it. */
  prefix: string;
  platform: Account;
  resA: Account;
  resB: Account;
  /** Customer A1 (under reseller A). */
  acme: Account;
  /** Customer B1 (under reseller B). */
  globex: Account;
  agency: Account;
  agencyClient: Account;
  /** The account the case's object lives in: acme, or resA for reseller-level objects (plans). */
  target: Account;
  users: Record<SignedInCaller, User>;
  /** Each caller's signed-in session (a live UserSession row): the one their calls come through. */
  sessions: Record<SignedInCaller, string>;
  /** Another live session of `user` (another browser), to end. */
  newSession(user: User): Promise<string>;
  /** A site of acme created with the world, and sites of the other trees (for scoped listings). */
  acmeSite: SiteRef;
  globexSite: SiteRef;
  agencySite: SiteRef;
  /** A fresh site in `account` (default: the target), made through createSite by a rightful owner. */
  newSite(account?: Account): Promise<SiteRef>;
  /** A fresh unique name (DNS label) for things the request creates. */
  uniqueName(kind: string): string;
  /** A fresh user without memberships (to invite, add, transfer to). */
  newUser(label: string): Promise<User>;
}

let worldCounter = 0;

/** Where the rightful caller's role sits, for `belowMinRole`. */
export type RoleSeat = "target" | "resA" | "acme" | "platform";

export async function createWorld(
  p: PrismaClient,
  targetName: TargetName,
  belowMin?: { role: Role; seat: RoleSeat },
): Promise<World> {
  worldCounter += 1;
  const prefix = `z${randomBytes(3).toString("hex")}${worldCounter}`;
  let nameCounter = 0;
  const uniqueName = (kind: string) => {
    nameCounter += 1;
    // Fixed width, so that no name is a substring of another (the leak check matches substrings).
    return `${prefix}-${kind}-${String(nameCounter).padStart(3, "0")}`.slice(0, 40);
  };
  const account = (slug: string, kind: Account["kind"], parent?: Account) =>
    createTestAccount(p, { slug: `${prefix}-${slug}`, name: `${slug} ${prefix}`, kind, parent });

  const platform = await account("platform", "PLATFORM");
  const resA = await account("res-a", "RESELLER", platform);
  const resB = await account("res-b", "RESELLER", platform);
  const acme = await account("acme", "CUSTOMER", resA);
  const globex = await account("globex", "CUSTOMER", resB);
  const agency = await account("agency", "AGENCY", platform);
  const agencyClient = await account("agency-client", "CUSTOMER", agency);
  const target = targetName === "customerA1" ? acme : resA;

  const user = (label: string, roles: { account: Account; role: Role }[]) =>
    createTestUser(p, { email: `${label}@${prefix}.test`, name: `${label} ${prefix}`, roles });
  const resellerA = await user("owner-res-a", [{ account: resA, role: "OWNER" }]);
  const customerOwner = await user("owner-acme", [{ account: acme, role: "OWNER" }]);
  const users: Record<SignedInCaller, User> = {
    unrelated: await user("owner-agency", [{ account: agency, role: "OWNER" }]),
    viewer: await user("viewer", [{ account: target, role: "VIEWER" }]),
    resellerB: await user("owner-res-b", [{ account: resB, role: "OWNER" }]),
    resellerA,
    // On a reseller-level target, the reseller's owner is the target's owner.
    targetOwner: target.id === resA.id ? resellerA : customerOwner,
    customerOwner,
    platformOwner: await user("owner-platform", [{ account: platform, role: "OWNER" }]),
    belowMinRole: await user(
      "below-min-role",
      belowMin ? [{ account: { target, resA, acme, platform }[belowMin.seat], role: belowMin.role }] : [],
    ),
  };

  const newSession = async (u: User): Promise<string> => {
    const now = new Date();
    const row = await p.userSession.create({
      data: {
        id: newSessionId(),
        userId: u.id,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + 8 * 3_600_000),
        ip: "198.51.100.7",
        userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36",
      },
    });
    return row.id;
  };
  // One session per user: targetOwner is resellerA or customerOwner, and signs in once.
  const sessionOfUser = new Map<string, string>();
  const sessions = {} as Record<SignedInCaller, string>;
  for (const caller of Object.keys(users) as SignedInCaller[]) {
    const u = users[caller];
    let id = sessionOfUser.get(u.id);
    if (!id) {
      id = await newSession(u);
      sessionOfUser.set(u.id, id);
    }
    sessions[caller] = id;
  }

  const ownerOf = (a: Account): User => {
    if (a.path.startsWith(resA.path)) return users.resellerA;
    if (a.path.startsWith(resB.path)) return users.resellerB;
    if (a.path.startsWith(agency.path)) return users.unrelated;
    return users.platformOwner;
  };
  const newSite = async (a: Account = target): Promise<SiteRef> => {
    const name = uniqueName("site");
    const domain = `${name}.example.test`;
    const { site } = await createSite({
      actor: { userId: ownerOf(a).id, ip: null },
      accountId: a.id,
      input: { name, domain },
    });
    return { id: site.id, name, domain };
  };
  // Created in this order so that a caller reading the change stream from 0 meets the target's
  // site before its own (see the events case).
  const acmeSite = await newSite(acme);
  const globexSite = await newSite(globex);
  const agencySite = await newSite(agencyClient);

  return {
    p,
    prefix,
    platform,
    resA,
    resB,
    acme,
    globex,
    agency,
    agencyClient,
    target,
    users,
    sessions,
    newSession,
    acmeSite,
    globexSite,
    agencySite,
    newSite,
    uniqueName,
    newUser: (label) => user(`${label}-${uniqueName("u")}`, []),
  };
}

/**
 * Everything a caller outside a reseller's tree (default: reseller A's) must never learn: ids,
 * names and slugs of the accounts in it, its sites and domains, its cron jobs (ids, names, commands),
 * its plans, its API tokens (ids, names), its white label (name, panel hostname), and its
 * members' e-mail addresses and session ids.
 */
export async function victimTokens(w: World, root: Account = w.resA): Promise<string[]> {
  const accounts = await w.p.account.findMany({ where: { path: { startsWith: root.path } } });
  const accountIds = accounts.map((a) => a.id);
  const sites = await w.p.site.findMany({
    where: { accountId: { in: accountIds } },
    include: { domains: true },
  });
  const members = await w.p.membership.findMany({
    where: { accountId: { in: accountIds } },
    include: { user: { select: { email: true } } },
  });
  const plans = await w.p.plan.findMany({ where: { ownerAccountId: { in: accountIds } } });
  const sessions = await w.p.userSession.findMany({
    where: { userId: { in: members.map((m) => m.userId) } },
    select: { id: true },
  });
  const cronJobs = await w.p.cronJob.findMany({
    where: { accountId: { in: accountIds } },
    select: { id: true, name: true, command: true },
  });
  const databases = await w.p.database.findMany({ where: { accountId: { in: accountIds } } });
  const databaseUsers = await w.p.databaseUser.findMany({ where: { accountId: { in: accountIds } } });
  const apiTokens = await w.p.apiToken.findMany({
    where: { accountId: { in: accountIds } },
    select: { id: true, name: true },
  });
  const brands = await w.p.brand.findMany({
    where: { accountId: { in: accountIds } },
    select: { name: true, hostname: true },
  });
  return [
    ...apiTokens.flatMap((t) => [t.id, t.name]),
    ...brands.flatMap((b) => [b.name, ...(b.hostname ? [b.hostname] : [])]),
    ...databases.flatMap((d) => [d.id, d.name]),
    ...databaseUsers.flatMap((u) => [u.id, u.name]),
    ...accounts.flatMap((a) => [a.id, a.slug, a.name]),
    ...sites.flatMap((s) => [s.id, s.name, ...s.domains.map((d) => d.hostname)]),
    ...cronJobs.flatMap((j) => [j.id, j.name, j.command]),
    ...members.map((m) => m.user.email),
    ...plans.flatMap((plan) => [plan.id, plan.name]),
    ...sessions.map((session) => session.id),
  ];
}

/**
 * A fingerprint of every row in the database (CHECKSUM TABLE over all tables but Prisma's
 * migration log and the failed-password counters, plus the newest ChangeLog id): equal before and
 * after a call means it wrote nothing, updates included. A wrong password counted in
 * SignInThrottle is the refusal doing its job, not a change of anyone's data.
 */
export async function databaseFingerprint(p: PrismaClient): Promise<string> {
  const tables = await p.$queryRawUnsafe<Record<string, string>[]>("SHOW TABLES");
  const names = tables
    .flatMap((row) => Object.values(row))
    .filter((name) => !name.startsWith("_") && name !== "SignInThrottle")
    .sort();
  const checksums = await p.$queryRawUnsafe<{ Table: string; Checksum: bigint | number | null }[]>(
    `CHECKSUM TABLE ${names.map((n) => `\`${n}\``).join(", ")}`,
  );
  const maxChange = await p.changeLog.aggregate({ _max: { id: true } });
  return JSON.stringify({
    tables: checksums.map((c) => [c.Table, String(c.Checksum)]),
    maxChangeId: String(maxChange._max.id ?? 0),
  });
}

/**
 * Ids of everything in reseller A's tree (accounts, sites, cron jobs, plans, members and their sessions):
 * what a ghost replaces.
 */
export async function victimIds(w: World): Promise<string[]> {
  const accounts = await w.p.account.findMany({
    where: { path: { startsWith: w.resA.path } },
    select: { id: true },
  });
  const accountIds = accounts.map((a) => a.id);
  const sites = await w.p.site.findMany({ where: { accountId: { in: accountIds } }, select: { id: true } });
  const plans = await w.p.plan.findMany({
    where: { ownerAccountId: { in: accountIds } },
    select: { id: true },
  });
  const members = await w.p.membership.findMany({
    where: { accountId: { in: accountIds } },
    select: { userId: true },
  });
  const sessions = await w.p.userSession.findMany({
    where: { userId: { in: members.map((m) => m.userId) } },
    select: { id: true },
  });
  const cronJobs = await w.p.cronJob.findMany({
    where: { accountId: { in: accountIds } },
    select: { id: true },
  });
  const where = { accountId: { in: accountIds } };
  const databases = await w.p.database.findMany({ where, select: { id: true } });
  const databaseUsers = await w.p.databaseUser.findMany({ where, select: { id: true } });
  const apiTokens = await w.p.apiToken.findMany({ where, select: { id: true } });
  const attachments = await w.p.siteDatabaseAttachment.findMany({
    where: { site: { accountId: { in: accountIds } } },
    select: { id: true },
  });
  return [
    ...new Set([
      ...apiTokens.map((t) => t.id),
      ...databases.map((d) => d.id),
      ...attachments.map((a) => a.id),
      ...databaseUsers.map((u) => u.id),
      ...accountIds,
      ...sites.map((s) => s.id),
      ...cronJobs.map((j) => j.id),
      ...plans.map((p) => p.id),
      ...members.map((m) => m.userId),
      ...sessions.map((s) => s.id),
    ]),
  ];
}

/**
 * Swaps every id in `ids` for a made-up id of the same shape (same first three characters and
 * length), and back: the same call against objects that do not exist, and its answer put in terms
 * of the real ids for comparison.
 */
export function ghostIds(ids: readonly string[]): {
  toGhost(text: string): string;
  fromGhost(text: string): string;
} {
  const pairs = ids.map((id) => {
    const tail = randomBytes(id.length)
      .toString("hex")
      .replace(/[^a-z0-9]/g, "");
    return [id, `${id.slice(0, 3)}${tail}`.slice(0, id.length)] as const;
  });
  const swap = (text: string, from: 0 | 1) =>
    pairs.reduce((acc, pair) => acc.split(pair[from]).join(pair[from === 0 ? 1 : 0]), text);
  return { toGhost: (text) => swap(text, 0), fromGhost: (text) => swap(text, 1) };
}
