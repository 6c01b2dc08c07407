/**
 * The hosting.sitepod.io API server driven by the real kubectl (the one built for the local
 * cluster), on a free loopback port, against a scratch database. The reconciler does not run
 * here: a deletion is finished by finishSiteDeletion, as the reconciler finishes it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account, User } from "@/lib/generated/prisma/client";
import { appendChange } from "@/lib/services/change-log/append-change";
import {
  apiRequest,
  createTestToken,
  kubectl,
  kubectlOk,
  kubectlStream,
  startTestApiServer,
  type TestApiServer,
} from "@/tests/helpers/apiserver";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { eventually } from "@/tests/helpers/eventually";

const db = withTestDatabase();

let server: TestApiServer;
let acme: Account;
let owner: User;
let ownerConfig: string;
/** A real API token of acme's owner. */
let ownerToken: string;

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  owner = await createTestUser(p, { email: "owner@acme.test", roles: [{ account: acme, role: "OWNER" }] });
  ownerToken = await createTestToken({ userId: owner.id, accountId: acme.id });
  server = await startTestApiServer({});
  ownerConfig = server.kubeconfig(ownerToken, "acme");
});

afterAll(async () => {
  await server?.close();
});

function siteYaml(name: string, extra = ""): string {
  return `apiVersion: hosting.sitepod.io/v1alpha1
kind: Site
metadata:
  name: ${name}
  labels:
    team: web
spec:
  app: PHP
  primaryDomain: ${name}.acme.test
${extra}`;
}

/** What the reconciler does once a deleted site's objects are gone: its rows go, with a DELETED change. */
async function finishSiteDeletion(name: string): Promise<void> {
  const p = db().prisma;
  const site = await p.site.findFirstOrThrow({ where: { accountId: acme.id, name } });
  await p.$transaction(async (tx) => {
    await tx.domain.deleteMany({ where: { siteId: site.id } });
    await tx.site.delete({ where: { id: site.id } });
    await appendChange(tx, {
      kind: "Site",
      objectId: site.id,
      accountId: acme.id,
      action: "DELETED",
      data: { name },
    });
  });
}

async function writes() {
  const p = db().prisma;
  const [sites, changes, metas] = await Promise.all([
    p.site.count(),
    p.changeLog.count(),
    p.apiObjectMeta.count(),
  ]);
  return { sites, changes, metas };
}

describe("kubectl against the API server", () => {
  it("discovers the resources", async () => {
    const out = await kubectlOk(ownerConfig, ["api-resources", "--api-group=hosting.sitepod.io"]);
    expect(out).toMatch(/sites\s+st\s+hosting.sitepod.io\/v1alpha1\s+true\s+Site/);
  });

  it("explains a field from the OpenAPI document", async () => {
    const out = await kubectlOk(ownerConfig, ["explain", "site.spec.phpVersion"]);
    expect(out).toContain("KIND:       Site");
    expect(out).toContain("runtime catalog");
    const php = await kubectlOk(ownerConfig, ["explain", "site.spec.php"]);
    expect(php).toMatch(/memoryLimit\s+<string>/);
    expect(php).toContain("memory_limit");
  });

  it("lists every kind of the sitepod category", async () => {
    const out = await kubectlOk(ownerConfig, ["api-resources", "--categories=sitepod", "-o", "name"]);
    expect(out.trim().split("\n").sort()).toEqual([
      "accounts.hosting.sitepod.io",
      "cronjobs.hosting.sitepod.io",
      "databases.hosting.sitepod.io",
      "databaseusers.hosting.sitepod.io",
      "domains.hosting.sitepod.io",
      "sites.hosting.sitepod.io",
    ]);
  });

  it("applies a site from YAML, lists it with labels, -A and -o yaml", async () => {
    const applied = await kubectl(ownerConfig, ["apply", "-f", "-"], siteYaml("blog"));
    expect(applied.stderr).toBe("");
    expect(applied.stdout).toContain("site.hosting.sitepod.io/blog created");
    const out = await kubectlOk(ownerConfig, ["get", "sites"]);
    expect(out).toMatch(/NAME\s+APP\s+PHP\s+PRIMARY DOMAIN\s+PHASE\s+AGE/);
    expect(out).toMatch(/blog\s+PHP\s+8\.4\s+blog\.acme\.test\s+PROVISIONING/);
    const all = await kubectlOk(ownerConfig, ["get", "sites", "-A", "-l", "team=web"]);
    expect(all).toMatch(/acme\s+blog/);
    expect(await kubectlOk(ownerConfig, ["get", "sites", "-l", "team=other"])).toBe("");
    const yamlOut = await kubectlOk(ownerConfig, ["get", "site", "blog", "-o", "yaml"]);
    expect(yamlOut).toContain("kubectl.kubernetes.io/last-applied-configuration");
    expect(yamlOut).toContain("namespace: acme");
  });

  it("applies a change (client-side three-way merge) and kubectl diff shows the next one", async () => {
    const changed = await kubectl(
      ownerConfig,
      ["apply", "-f", "-"],
      siteYaml("blog", "  php:\n    memoryLimit: 192M\n"),
    );
    expect(changed.stdout).toContain("site.hosting.sitepod.io/blog configured");
    expect(
      await kubectlOk(ownerConfig, ["get", "site", "blog", "-o", "jsonpath={.spec.php.memoryLimit}"]),
    ).toBe("192M");
    const diff = await kubectl(
      ownerConfig,
      ["diff", "-f", "-"],
      siteYaml("blog", "  php:\n    memoryLimit: 160M\n"),
    );
    expect(diff.code).toBe(1);
    expect(diff.stdout).toMatch(/-\s+memoryLimit: 192M/);
    expect(diff.stdout).toMatch(/\+\s+memoryLimit: 160M/);
    expect(
      await kubectlOk(ownerConfig, ["get", "site", "blog", "-o", "jsonpath={.spec.php.memoryLimit}"]),
    ).toBe("192M");
  });

  it("patches with merge and JSON patches; refuses a strategic merge patch with 415", async () => {
    const merged = await kubectlOk(ownerConfig, [
      "patch",
      "site",
      "blog",
      "--type",
      "merge",
      "-p",
      '{"spec":{"resources":{"memoryMiB":512}},"metadata":{"labels":{"tier":"gold"}}}',
    ]);
    expect(merged).toContain("site.hosting.sitepod.io/blog patched");
    const jsonPatched = await kubectlOk(ownerConfig, [
      "patch",
      "site",
      "blog",
      "--type",
      "json",
      "-p",
      '[{"op":"replace","path":"/spec/php/memoryLimit","value":"256M"}]',
    ]);
    expect(jsonPatched).toContain("site.hosting.sitepod.io/blog patched");
    const site = JSON.parse(await kubectlOk(ownerConfig, ["get", "site", "blog", "-o", "json"]));
    expect(site.spec.resources.memoryMiB).toBe(512);
    expect(site.spec.php.memoryLimit).toBe("256M");
    expect(site.metadata.labels).toEqual({ team: "web", tier: "gold" });
    // Created (1), applied (2), merge-patched (3), JSON-patched (4).
    expect(site.metadata.generation).toBe(4);

    const strategic = await kubectl(ownerConfig, [
      "patch",
      "site",
      "blog",
      "-p",
      '{"spec":{"forceHttps":true}}',
    ]);
    expect(strategic.code).not.toBe(0);
    expect(strategic.stderr).toContain("the body of the request was in an unknown format");
    expect(strategic.stderr).toContain("application/merge-patch+json");
  });

  it("refuses a patch the services refuse, as Invalid with the field", async () => {
    const refused = await kubectl(ownerConfig, [
      "patch",
      "site",
      "blog",
      "--type",
      "merge",
      "-p",
      '{"spec":{"resources":{"storageGiB":1}}}',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('The Site "blog" is invalid: spec.resources.storageGiB: Invalid value');
    expect(refused.stderr).toContain("Storage cannot shrink");
  });

  it("lists in pages with --chunk-size=1", async () => {
    await kubectlOk(ownerConfig, ["apply", "-f", "-"], `${siteYaml("shop")}---\n${siteYaml("wiki")}`);
    const out = await kubectlOk(ownerConfig, ["get", "sites", "--chunk-size=1", "-o", "name"]);
    expect(out.trim().split("\n")).toEqual([
      "site.hosting.sitepod.io/blog",
      "site.hosting.sitepod.io/shop",
      "site.hosting.sitepod.io/wiki",
    ]);
    const page = await apiRequest(server, {
      token: ownerToken,
      path: "/apis/hosting.sitepod.io/v1alpha1/namespaces/acme/sites?limit=1",
    });
    const body = page.json() as { items: unknown[]; metadata: { continue?: string } };
    expect(body.items).toHaveLength(1);
    expect(body.metadata.continue).toBeTruthy();
  });

  it("--dry-run=server writes nothing, for create, patch and delete", async () => {
    const before = await writes();
    const created = await kubectlOk(ownerConfig, ["apply", "--dry-run=server", "-f", "-"], siteYaml("dry"));
    expect(created).toContain("site.hosting.sitepod.io/dry created (server dry run)");
    const patched = await kubectlOk(ownerConfig, [
      "patch",
      "site",
      "blog",
      "--dry-run=server",
      "--type",
      "merge",
      "-p",
      '{"spec":{"php":{"memoryLimit":"300M"}},"metadata":{"labels":{"dry":"yes"}}}',
      "-o",
      "jsonpath={.spec.php.memoryLimit}",
    ]);
    expect(patched).toBe("300M");
    const deleted = await kubectlOk(ownerConfig, ["delete", "site", "shop", "--dry-run=server"]);
    expect(deleted).toContain("(server dry run)");
    expect(await writes()).toEqual(before);
    const blog = JSON.parse(await kubectlOk(ownerConfig, ["get", "site", "blog", "-o", "json"]));
    expect(blog.spec.php.memoryLimit).toBe("256M");
    expect(blog.metadata.labels.dry).toBeUndefined();
    expect((await kubectl(ownerConfig, ["get", "site", "dry"])).stderr).toContain(
      'sites.hosting.sitepod.io "dry" not found',
    );
  });

  it("refuses an update carrying a stale resourceVersion with 409 Conflict", async () => {
    const stale = JSON.parse(await kubectlOk(ownerConfig, ["get", "site", "wiki", "-o", "json"]));
    await kubectlOk(ownerConfig, ["label", "site", "wiki", "fresh=yes"]);
    stale.spec.php.memoryLimit = "200M";
    const replaced = await kubectl(ownerConfig, ["replace", "-f", "-"], JSON.stringify(stale));
    expect(replaced.code).not.toBe(0);
    expect(replaced.stderr).toContain(
      'Operation cannot be fulfilled on sites.hosting.sitepod.io "wiki": the object has been modified; please apply your changes to the latest version and try again',
    );
    const now = JSON.parse(await kubectlOk(ownerConfig, ["get", "site", "wiki", "-o", "json"]));
    expect(now.spec.php.memoryLimit).not.toBe("200M");
    now.spec.php.memoryLimit = "200M";
    expect(await kubectlOk(ownerConfig, ["replace", "-f", "-"], JSON.stringify(now))).toContain("replaced");
  });

  it("watches: kubectl get -w prints ADDED, MODIFIED and DELETED as they happen", async () => {
    const watch = kubectlStream(ownerConfig, [
      "get",
      "sites",
      "-w",
      "--output-watch-events",
      "-l",
      "watched=yes",
    ]);
    try {
      await kubectlOk(
        ownerConfig,
        ["apply", "-f", "-"],
        siteYaml("news", "").replace("team: web", 'watched: "yes"'),
      );
      await eventually("ADDED", () => (/ADDED\s+news/.test(watch.output()) ? true : undefined), 20_000);
      await kubectlOk(ownerConfig, [
        "patch",
        "site",
        "news",
        "--type",
        "merge",
        "-p",
        '{"spec":{"php":{"memoryLimit":"128M"}}}',
      ]);
      await eventually("MODIFIED", () => (/MODIFIED\s+news/.test(watch.output()) ? true : undefined), 20_000);
      await kubectlOk(ownerConfig, ["delete", "site", "news", "--wait=false"]);
      await finishSiteDeletion("news");
      await eventually("DELETED", () => (/DELETED\s+news/.test(watch.output()) ? true : undefined), 20_000);
    } finally {
      await watch.stop();
    }
    expect(watch.errors()).toBe("");
  });

  it("applies server-side: field managers, conflicts with their fields, --force-conflicts", async () => {
    const created = await kubectlOk(
      ownerConfig,
      ["apply", "--server-side", "-f", "-"],
      siteYaml("ssa", "  php:\n    memoryLimit: 160M\n"),
    );
    expect(created).toContain("site.hosting.sitepod.io/ssa serverside-applied");
    const site = JSON.parse(
      await kubectlOk(ownerConfig, ["get", "site", "ssa", "-o", "json", "--show-managed-fields"]),
    );
    expect(site.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: "kubectl",
        operation: "Apply",
        fieldsType: "FieldsV1",
        fieldsV1: expect.objectContaining({
          "f:spec": expect.objectContaining({ "f:php": { "f:memoryLimit": {} } }),
        }),
      }),
    ]);

    await kubectlOk(ownerConfig, [
      "patch",
      "site",
      "ssa",
      "--type",
      "merge",
      "-p",
      '{"spec":{"php":{"memoryLimit":"170M"}}}',
    ]);
    const conflict = await kubectl(
      ownerConfig,
      ["apply", "--server-side", "-f", "-"],
      siteYaml("ssa", "  php:\n    memoryLimit: 180M\n"),
    );
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain("Apply failed with 1 conflict");
    expect(conflict.stderr).toContain('conflict with "kubectl-patch"');
    expect(conflict.stderr).toContain(".spec.php.memoryLimit");
    expect(
      await kubectlOk(ownerConfig, ["get", "site", "ssa", "-o", "jsonpath={.spec.php.memoryLimit}"]),
    ).toBe("170M");

    const dry = await kubectlOk(
      ownerConfig,
      ["apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", "-"],
      siteYaml("ssa", "  php:\n    memoryLimit: 180M\n"),
    );
    expect(dry).toContain("(server dry run)");
    expect(
      await kubectlOk(ownerConfig, ["get", "site", "ssa", "-o", "jsonpath={.spec.php.memoryLimit}"]),
    ).toBe("170M");

    await kubectlOk(
      ownerConfig,
      ["apply", "--server-side", "--force-conflicts", "-f", "-"],
      siteYaml("ssa", "  php:\n    memoryLimit: 180M\n"),
    );
    const forced = JSON.parse(
      await kubectlOk(ownerConfig, ["get", "site", "ssa", "-o", "json", "--show-managed-fields"]),
    );
    expect(forced.spec.php.memoryLimit).toBe("180M");
    const managers = forced.metadata.managedFields.map((m: { manager: string; fieldsV1: unknown }) => [
      m.manager,
      JSON.stringify(m.fieldsV1).includes("memoryLimit"),
    ]);
    expect(managers).toContainEqual(["kubectl", true]);
    expect(managers).not.toContainEqual(["kubectl-patch", true]);
  });

  it("moves a client-side applied site to server-side apply", async () => {
    const out = await kubectlOk(
      ownerConfig,
      ["apply", "--server-side", "-f", "-"],
      siteYaml("blog", "  php:\n    memoryLimit: 256M\n"),
    );
    expect(out).toContain("site.hosting.sitepod.io/blog serverside-applied");
    const blog = JSON.parse(
      await kubectlOk(ownerConfig, ["get", "site", "blog", "-o", "json", "--show-managed-fields"]),
    );
    expect(blog.metadata.managedFields.map((m: { manager: string }) => m.manager)).toContain("kubectl");
  });

  it("kubectl delete waits until the site is gone", async () => {
    const deleting = kubectl(ownerConfig, ["delete", "site", "shop", "--timeout=60s"]);
    await eventually("the deletion request", async () => {
      const site = await db().prisma.site.findFirst({ where: { accountId: acme.id, name: "shop" } });
      return site?.deletionRequestedAt ? true : undefined;
    });
    const shown = JSON.parse(await kubectlOk(ownerConfig, ["get", "site", "shop", "-o", "json"]));
    expect(shown.metadata.deletionTimestamp).toBeTruthy();
    expect(shown.status.phase).toBe("DELETING");
    await finishSiteDeletion("shop");
    const result = await deleting;
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain('site.hosting.sitepod.io "shop" deleted');
  });

  it("refuses a revoked or expired token as kube-apiserver refuses bad credentials", async () => {
    for (const state of ["revoked", "expired"] as const) {
      const token = await createTestToken({ userId: owner.id, accountId: acme.id, state });
      const result = await kubectl(server.kubeconfig(token, "acme"), ["get", "sites"]);
      expect(result.code).not.toBe(0);
      // kubectl shows its own words for any 401 (the Status names the reason: authz suite).
      expect(result.stderr).toContain("error: You must be logged in to the server");
    }
  });
});
