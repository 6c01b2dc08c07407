import { canCreateSite } from "@/lib/authz/permissions";
import type { Db } from "@/lib/authz/scope";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { hashedPlatformLabel, PLATFORM_LABEL_MAX_LENGTH } from "@/lib/k8s/manifests/platform-hostname";
import { log } from "@/lib/log";
import type { LimitViolation } from "@/lib/quota/limits";
import { defaultSiteStorageGiB, type SiteSizing, siteFootprint } from "@/lib/quota/site-footprint";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { assertWithinLimits, type LimitExplanation } from "@/lib/services/quota/assert-within-limits";
import { planHeadroom, storageLeftMessage } from "@/lib/services/quota/plan-headroom";
import { chooseRuntime } from "@/lib/services/runtime/choose-runtime";
import { assertDomainAvailable, domainNotAvailable } from "@/lib/services/site/assert-domain-available";
import { generateSiteSecrets, sealSiteSecrets } from "@/lib/services/site/site-secrets";
import { formatLimit } from "@/lib/validation/plan";
import { type CreateSiteInput, createSiteSchema } from "@/lib/validation/site";
import { DEFAULT_SITE_RESOURCES } from "@/lib/validation/site-settings";
import { type Condition, type SiteView, siteViewInclude, toSiteView } from "@/lib/views";

/** The first WordPress admin, shown to the site's owner once: Sitepod drops the password after the install. */
export interface WordpressAdminCredentials {
  username: string;
  email: string;
  password: string;
}

export interface CreatedSite {
  site: SiteView;
  /** WordPress sites only; never stored anywhere the panel can show it again. */
  wordpressAdmin: WordpressAdminCredentials | null;
}

export interface CreateSiteOptions {
  actor: Actor;
  accountId: string;
  /** Untrusted: parsed here with createSiteSchema whatever the caller already checked. */
  input: unknown;
}

function nameTaken(name: string): AppError {
  const message = `A site named "${name}" already exists in this account.`;
  return new AppError("CONFLICT", message, { name: message });
}

const PLATFORM_LABEL_RACE_MESSAGE =
  "Another site was given the same platform hostname at the same moment. Please try again.";

/**
 * Maps a unique-index violation that slipped past the checks (two requests racing) to the same
 * CONFLICT the checks give. Returns null for any other error.
 */
export function uniqueViolationToConflict(err: unknown, input: CreateSiteInput): AppError | null {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== "P2002") return null;
  const detail = `${err.message} ${JSON.stringify(err.meta ?? {})}`;
  if (detail.includes("Domain_hostname_key") || detail.includes("hostname")) return domainNotAvailable();
  // Before "name": the index's name contains it.
  if (detail.includes("Site_platformLabel_key") || detail.includes("platformLabel")) {
    return new AppError("CONFLICT", PLATFORM_LABEL_RACE_MESSAGE);
  }
  if (detail.includes("Site_accountId_name_key") || detail.includes("name")) return nameTaken(input.name);
  return null;
}

/**
 * The new site's size: the default resources, and the storage asked for or, when none is, the
 * platform default (SITEPOD_SITE_STORAGE) or what the plan has left when that is less. Refuses,
 * saying how much is left, a size the plan cannot hold: the namespace's quota would refuse the
 * volume, and the site would never start.
 */
async function chooseSizing(tx: Db, accountId: string, requested: number | undefined): Promise<SiteSizing> {
  const headroom = await planHeadroom(tx, accountId);
  const fallback = defaultSiteStorageGiB();
  const left = headroom?.storageGiB ?? Number.POSITIVE_INFINITY;
  const storageGiB = requested ?? (left >= 1 ? Math.min(fallback, left) : fallback);
  if (headroom && storageGiB > headroom.storageGiB) {
    const message = storageLeftMessage(headroom.storageGiB, storageGiB);
    throw new AppError("LIMIT_EXCEEDED", message, { storageGiB: message });
  }
  return {
    cpuMillicores: DEFAULT_SITE_RESOURCES.cpuMillicores,
    memoryMiB: DEFAULT_SITE_RESOURCES.memoryMiB,
    replicas: DEFAULT_SITE_RESOURCES.replicas,
    storageGiB,
  };
}

/**
 * Where a refused creation's limit belongs on the New site form: the domain at its field, the
 * WordPress site's own database at the application (a Plain PHP site has none); the site count
 * and resources without a field of their own go above the form.
 */
function explainCreationLimit(violation: LimitViolation): LimitExplanation | undefined {
  if (violation.key === "maxDomains") return { field: "domain" };
  if (violation.key === "maxDatabases") {
    const message = `Your plan allows ${formatLimit("maxDatabases", violation.limit)}; you have ${violation.current}, and a WordPress site needs one of its own. Upgrade the plan, delete a database or create a Plain PHP site.`;
    return { message, field: "app" };
  }
  return undefined;
}

/**
 * The site's platform label: `<site>-<account>` when it fits a DNS label and no site has it yet
 * (another pair of names can spell the same: blog + demo-x, blog-demo + x), else the hashed form.
 * The unique index settles a race between two sites taking the same label at once.
 */
async function choosePlatformLabel(tx: Db, name: string, accountSlug: string): Promise<string> {
  const plain = `${name}-${accountSlug}`;
  if (plain.length <= PLATFORM_LABEL_MAX_LENGTH) {
    const taken = await tx.site.findUnique({ where: { platformLabel: plain }, select: { id: true } });
    if (!taken) return plain;
  }
  return hashedPlatformLabel(name, accountSlug);
}

/**
 * Creates a site with its primary domain and sealed secrets, and appends the CREATED change, in
 * one transaction. The reconciler picks the change up and provisions the site. A WordPress site's
 * first admin is the creating user's email with a generated password, returned here only.
 */
export async function createSite(options: CreateSiteOptions): Promise<CreatedSite> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canCreateSite,
    action: "create sites",
  });

  const parsed = createSiteSchema.safeParse(options.input);
  if (!parsed.success) {
    throw new AppError("INVALID_INPUT", "Some fields are not valid.", fieldErrorsFromZod(parsed.error));
  }
  const input = parsed.data;
  const title = input.title || input.name;
  let admin: { user: string; email: string } | undefined;
  if (input.app === "WORDPRESS") {
    const user = await prisma.user.findUnique({ where: { id: actor.userId }, select: { email: true } });
    if (!user) throw new AppError("UNAUTHENTICATED", "Sign in again to create a site.");
    admin = { user: input.adminUser, email: user.email };
  }
  const secrets = generateSiteSecrets(input.name, admin);
  const secretsCiphertext = sealSiteSecrets(secrets);
  const now = new Date().toISOString();
  const conditions: Condition[] = [
    {
      type: "Ready",
      status: "False",
      reason: "Provisioning",
      message: "Waiting for the site's resources to be created.",
      lastTransitionTime: now,
      observedGeneration: 1,
    },
  ];

  try {
    // Read committed: assertDomainAvailable's locking read must take no gap locks (under repeatable
    // read, two claims of unrelated names in one index gap deadlock), and the limit checks after
    // lockAccounts see the latest committed rows either way.
    const site = await prisma.$transaction(
      async (tx) => {
        // Against the catalog as it is now: a version disabled a moment ago is refused.
        const phpVersion = await chooseRuntime(tx, input.phpVersion);
        // A WordPress site's own database counts against maxDatabases, as measureUsage counts it.
        await assertWithinLimits(tx, {
          accountId,
          adding: { maxSites: 1, maxDomains: 1, maxDatabases: input.app === "WORDPRESS" ? 1 : 0 },
          explain: explainCreationLimit,
        });
        const sizing = await chooseSizing(tx, accountId, input.storageGiB);
        await assertWithinLimits(tx, { accountId, adding: siteFootprint(sizing) });
        if (
          await tx.site.findUnique({
            where: { accountId_name: { accountId, name: input.name } },
            select: { id: true },
          })
        ) {
          throw nameTaken(input.name);
        }
        await assertDomainAvailable(tx, { hostname: input.domain, accountId });
        const account = await tx.account.findUniqueOrThrow({
          where: { id: accountId },
          select: { slug: true },
        });
        const created = await tx.site.create({
          data: {
            accountId,
            name: input.name,
            app: input.app,
            phpVersion,
            platformLabel: await choosePlatformLabel(tx, input.name, account.slug),
            title,
            conditions,
            secretsCiphertext,
            ...sizing,
            domains: { create: { hostname: input.domain, isPrimary: true } },
          },
          include: siteViewInclude,
        });
        await appendChange(tx, {
          kind: "Site",
          objectId: created.id,
          accountId,
          action: "CREATED",
          actorUserId: actor.userId,
          actorIp: actor.ip ?? null,
          data: {
            name: input.name,
            title,
            app: input.app,
            phpVersion,
            domains: [input.domain],
            storageGiB: sizing.storageGiB,
          },
        });
        return created;
      },
      { isolationLevel: "ReadCommitted" },
    );
    log.info("site created", { event: "site.created", siteId: site.id, accountId, userId: actor.userId });
    const wordpressAdmin = secrets.wordpressAdmin?.password
      ? {
          username: secrets.wordpressAdmin.user,
          email: secrets.wordpressAdmin.email,
          password: secrets.wordpressAdmin.password,
        }
      : null;
    return { site: toSiteView(site), wordpressAdmin };
  } catch (err) {
    throw uniqueViolationToConflict(err, input) ?? err;
  }
}
