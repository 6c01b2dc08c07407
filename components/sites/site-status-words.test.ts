import { describe, expect, it } from "vitest";
import type { SiteJson } from "@/lib/api/json";
import { siteStatusWords } from "./site-status-words";

type Condition = SiteJson["conditions"][number];

const cond = (
  type: Condition["type"],
  status: Condition["status"],
  reason: string,
  message = "",
): Condition => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: "2026-11-30T12:00:00.000Z",
  observedGeneration: 1,
});

function site(overrides: Partial<Parameters<typeof siteStatusWords>[0]> = {}) {
  return {
    phase: "RUNNING" as const,
    conditions: [],
    generation: 1,
    observedGeneration: 1,
    primaryDomain: "blog.example.com",
    platformHostname: "blog-acme.localhost",
    ...overrides,
  };
}

describe("siteStatusWords", () => {
  it("says a running site is live, and where visitors reach it now and once DNS points here", () => {
    expect(siteStatusWords(site())).toEqual({
      tone: "success",
      headline: "Your site is live",
      detail: null,
      reach: { platformHostname: "blog-acme.localhost", domain: "blog.example.com", domainLive: false },
      next: null,
      seeFault: false,
    });
    expect(siteStatusWords(site(), "points_here").reach?.domainLive).toBe(true);
    for (const state of ["points_elsewhere", "not_found", "lookup_failed", "unknown"] as const) {
      expect(siteStatusWords(site(), state).reach?.domainLive, state).toBe(false);
    }
    expect(siteStatusWords(site({ primaryDomain: null }), "points_here").reach).toEqual({
      platformHostname: "blog-acme.localhost",
      domain: null,
      domainLive: false,
    });
  });

  it("mentions a change still being applied to a running site", () => {
    expect(siteStatusWords(site({ generation: 3, observedGeneration: 2 })).detail).toBe(
      "Your latest change is being applied.",
    );
  });

  it("says a new site is being set up, at the step the reconciler reports", () => {
    const installing = siteStatusWords(
      site({
        phase: "PROVISIONING",
        conditions: [
          cond("Ready", "False", "Installing", "Installing WordPress into the site's volume and database"),
          cond(
            "Progressing",
            "True",
            "Installing",
            "Installing WordPress into the site's volume and database",
          ),
          cond("Degraded", "False", "AsExpected"),
        ],
      }),
    );
    expect(installing).toMatchObject({
      tone: "info",
      headline: "Your site is being set up",
      detail: "Now: Installing WordPress into the site's volume and database.",
      reach: null,
    });
    // Before the reconciler's first pass: the Ready condition the site was created with.
    expect(
      siteStatusWords(
        site({
          phase: "PROVISIONING",
          conditions: [
            cond("Ready", "False", "Provisioning", "Waiting for the site's resources to be created."),
          ],
        }),
      ).detail,
    ).toBe("Now: Waiting for the site's resources to be created.");
    expect(siteStatusWords(site({ phase: "PROVISIONING" })).detail).toBe(
      "Now: Waiting for the platform to start on it.",
    );
    expect(siteStatusWords(site({ phase: "PROVISIONING", generation: 2 })).headline).toBe(
      "Your changes are being applied",
    );
  });

  it("points a degraded site's owner to the fault card", () => {
    const words = siteStatusWords(
      site({
        phase: "DEGRADED",
        conditions: [
          cond("Ready", "False", "CrashLoop", "php-fpm keeps exiting"),
          cond("Degraded", "True", "CrashLoop", "php-fpm keeps exiting"),
        ],
      }),
    );
    expect(words).toMatchObject({
      tone: "warning",
      headline: "Your site has a problem",
      seeFault: true,
      reach: null,
    });
    // No fault card to point to: the Ready condition says what is wrong.
    expect(
      siteStatusWords(
        site({ phase: "DEGRADED", conditions: [cond("Ready", "False", "X", "Storage resize refused")] }),
      ),
    ).toMatchObject({ detail: "Storage resize refused.", seeFault: false });
  });

  it("says why a site is suspended and who can lift it", () => {
    const words = siteStatusWords(
      site({
        phase: "SUSPENDED",
        conditions: [cond("Ready", "False", "AccountSuspended", "The account is suspended: Unpaid invoice")],
      }),
    );
    expect(words).toMatchObject({
      tone: "neutral",
      headline: "Your site is suspended",
      detail:
        "The account is suspended: Unpaid invoice. Visitors see a page saying the site is temporarily unavailable; its files and data are kept.",
      next: "To bring it back, the account's hosting provider has to lift the suspension.",
      reach: null,
    });
    expect(siteStatusWords(site({ phase: "SUSPENDED" })).detail).toMatch(
      /^The account it belongs to is suspended\./,
    );
  });

  it("says a site is being deleted", () => {
    expect(siteStatusWords(site({ phase: "DELETING" }))).toMatchObject({
      tone: "danger",
      headline: "Your site is being deleted",
    });
  });
});
