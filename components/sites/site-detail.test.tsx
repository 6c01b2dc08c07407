/**
 * The site page as the server renders it (the first paint): the status in plain words and the way
 * to the site first, a bar of links to every section, each section on the page, and the Kubernetes
 * detail folded away at the bottom, closed.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { ToastProvider } from "@/components/ui/toast";
import { toSiteJson } from "@/lib/api/json";
import type { SitePhase } from "@/lib/generated/prisma/enums";
import { toSiteView } from "@/lib/views";
import { SiteDetail } from "./site-detail";

vi.mock("next/navigation", () => ({
  useRouter: () => ({ refresh: () => {}, push: () => {} }),
  usePathname: () => "/accounts/acme/sites/site1",
}));

function site(phase: SitePhase = "RUNNING") {
  const now = new Date("2026-11-30T00:00:00Z");
  return toSiteJson(
    toSiteView({
      id: "site1",
      accountId: "acc1",
      name: "blog",
      app: "PHP",
      phpVersion: "8.4",
      platformLabel: null,
      title: "Blog",
      generation: 2,
      observedGeneration: 2,
      phase,
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "Available",
          message: "The site is serving",
          lastTransitionTime: now.toISOString(),
          observedGeneration: 2,
        },
      ],
      deletionRequestedAt: null,
      secretsCiphertext: "sealed",
      installGeneration: 0,
      installedAt: null,
      cpuMillicores: 250,
      memoryMiB: 384,
      storageGiB: 5,
      replicas: 1,
      forceHttps: false,
      phpSettings: null,
      envVars: [],
      createdAt: now,
      updatedAt: now,
      account: { slug: "acme" },
      domains: [{ hostname: "blog.example.test", isPrimary: true }],
    }),
  );
}

function render(s = site()): string {
  return renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <ToastProvider>
        <SiteDetail initialSite={s} breadcrumbs={[]} settings={<form aria-label="Site settings" />} />
      </ToastProvider>
    </QueryClientProvider>,
  );
}

describe("SiteDetail", () => {
  it("leads with the status in plain words and a Visit site link to the platform address", () => {
    const html = render();
    expect(html).toContain("Your site is live");
    expect(html).toMatch(
      /<a href="http:\/\/blog-acme\.localhost(:\d+)?\/" target="_blank" rel="noopener noreferrer" class="[^"]*bg-brand-600[^"]*" data-testid="open-site">Visit site/,
    );
    expect(html.indexOf("Your site is live")).toBeLessThan(html.indexOf(">Domains</h2>"));
  });

  it("links every section from a navigation bar, each section on the page in that order", () => {
    const html = render();
    expect(html).toContain('<nav aria-label="Site sections"');
    const ids = ["overview", "domains", "dns", "php", "cron-jobs", "databases", "activity", "technical"];
    let last = -1;
    for (const id of ids) {
      expect(html).toContain(`href="#${id}"`);
      const at = html.indexOf(`id="${id}"`);
      expect(at, id).toBeGreaterThan(last);
      last = at;
    }
    expect(html).toContain('aria-current="location"');
  });

  it("folds the generations and conditions into a closed Technical details section at the end", () => {
    const html = render();
    const details = html.indexOf("<details class=");
    expect(details).toBeGreaterThan(html.indexOf('id="technical"'));
    expect(html.slice(details, html.indexOf(">", details))).not.toContain(" open");
    expect(html).toContain("Technical details (for experts)</summary>");
    for (const marker of [
      'data-testid="generation"',
      'data-testid="observed-generation"',
      'data-condition="Ready"',
    ]) {
      expect(html.indexOf(marker), marker).toBeGreaterThan(details);
    }
  });

  it("puts headings in order: the page's h1, then h2 per section, h3 only inside them", () => {
    const levels = [...render().matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) {
      expect((levels[i] ?? 0) - (levels[i - 1] ?? 0), `heading ${i}`).toBeLessThanOrEqual(1);
    }
  });

  it("drops the settings section and the Visit site link while the site is being deleted", () => {
    const html = render(site("DELETING"));
    expect(html).toContain("Your site is being deleted");
    expect(html).not.toContain('href="#php"');
    expect(html).not.toContain('data-testid="open-site"');
  });
});
