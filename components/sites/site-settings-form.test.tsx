/**
 * The settings panel rendered on the server (the first paint): grouped, labelled fields with the
 * stored values, secrets without their value, the plan's headroom, the replica limit's reason
 * and the applying status.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { ToastProvider } from "@/components/ui/toast";
import { toSiteJson } from "@/lib/api/json";
import type { AccountQuotaView } from "@/lib/services/quota/get-account-quota";
import { toSiteView } from "@/lib/views";
import { SiteSettingsForm } from "./site-settings-form";

vi.mock("next/navigation", () => ({
  useRouter: () => ({ refresh: () => {}, push: () => {} }),
  // The toasts' provider dismisses them on a change of page.
  usePathname: () => "/accounts/acme/sites/site1",
}));
vi.mock("@/lib/actions/site/update-site-action", () => ({ updateSiteAction: async () => ({ ok: true }) }));

function site(overrides: { generation?: number; observedGeneration?: number } = {}) {
  const now = new Date("2026-11-30T00:00:00Z");
  return toSiteJson(
    toSiteView({
      id: "site1",
      accountId: "acc1",
      name: "blog",
      app: "WORDPRESS",
      phpVersion: "8.2",
      platformLabel: null,
      title: "Blog",
      generation: overrides.generation ?? 3,
      observedGeneration: overrides.observedGeneration ?? 3,
      phase: "RUNNING",
      conditions: [],
      deletionRequestedAt: null,
      secretsCiphertext: "sealed-never-shown",
      installGeneration: 1,
      installedAt: now,
      cpuMillicores: 250,
      memoryMiB: 384,
      storageGiB: 5,
      replicas: 1,
      forceHttps: false,
      phpSettings: null,
      envVars: [
        { name: "MODE", secret: false, value: "prod" },
        { name: "API_KEY", secret: true, sealed: "v1.sealed-ciphertext" },
      ],
      createdAt: now,
      updatedAt: now,
      account: { slug: "acme" },
      domains: [{ hostname: "blog.test", isPrimary: true }],
    }),
  );
}

const quota: AccountQuotaView = {
  accountId: "acc1",
  plan: {
    id: "plan1",
    name: "Starter",
    maxSites: 3,
    maxDomains: 10,
    maxDatabases: 3,
    maxCronJobs: 5,
    storageGiB: 10,
    cpuMillicores: 1000,
    memoryMiB: 2048,
    backupsKept: 7,
  },
  usage: {
    maxSites: 2,
    maxDomains: 2,
    maxDatabases: 0,
    maxCronJobs: 0,
    storageGiB: 10,
    cpuMillicores: 600,
    memoryMiB: 896,
    backupsKept: 0,
  },
  status: "ACTIVE",
  suspendedReason: null,
  terminationRequested: false,
};

function render(s = site(), canEdit = true): string {
  return renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <ToastProvider>
        <SiteSettingsForm
          initialSite={s}
          runtimes={[{ phpVersion: "8.4", label: "Debian 13" }]}
          quota={quota}
          canEdit={canEdit}
        />
      </ToastProvider>
    </QueryClientProvider>,
  );
}

describe("SiteSettingsForm", () => {
  it("labels every field and shows the stored values", () => {
    const html = render();
    for (const label of [
      "PHP version",
      "Time zone",
      "Memory limit per request",
      "Largest upload",
      "Largest form post",
      "CPU (millicores)",
      "Memory (MiB)",
      "Storage (GiB)",
      "Pods",
    ]) {
      expect(html).toContain(`>${label}</label>`);
    }
    expect(html).toContain('id="settings-php-memoryLimit" value="256M"');
    expect(html).toContain('value="prod"');
  });

  it("keeps the site's PHP version selectable when the catalog no longer offers it", () => {
    expect(render()).toContain("PHP 8.2 (current, no longer offered)");
  });

  it("never puts a secret's value in the page, only its name", () => {
    const html = render();
    expect(html).toContain('value="API_KEY"');
    expect(html).toContain("Stored secret: type to replace");
    expect(html).not.toContain("sealed");
  });

  it("shows the plan's headroom for this site and why it runs one pod", () => {
    const html = render();
    // 1000 - 600 used + this site's own 270, less its web server's 20 m; 2048 - 896 + 448 - 64 MiB.
    expect(html).toContain(
      "With your plan, this site can have at most 650 CPU millicores and 1536 MiB of memory for PHP (its web server takes another 20 and 64), and 5 GiB of storage.",
    );
    expect(html).toContain("only one node can mount: it runs one pod.");
  });

  it("says it is applying until the cluster catches up", () => {
    expect(render(site({ generation: 4, observedGeneration: 3 }))).toContain(
      "Applying… (generation 4, cluster at 3)",
    );
    expect(render()).not.toContain("Applying…");
  });

  it("offers no save to a role that may not change settings", () => {
    const html = render(site(), false);
    expect(html).toContain("Your role lets you see these settings, not change them.");
    expect(html).not.toContain("Save settings");
  });
});
