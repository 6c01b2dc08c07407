import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { expect, type Page } from "@playwright/test";
import { createPrismaClient } from "../../lib/db";
import type { PrismaClient } from "../../lib/generated/prisma/client";
import { Mailbox } from "../../tests/helpers/mailpit";
import { ROOT, readRunState } from "./run";

export const DEMO = { email: "demo@sitepod.local", password: "sitepod-demo" } as const;
export const ADMIN = { email: "admin@sitepod.local", password: "sitepod-admin" } as const;
export const RESELLER = { email: "reseller@sitepod.local", password: "sitepod-reseller" } as const;
export const AGENCY = { email: "agency@sitepod.local", password: "sitepod-agency" } as const;
export const INCORRECT_CREDENTIALS = "Incorrect email or password.";

export const SCREENSHOT_DIR = path.join(ROOT, "e2e", "screenshots");

/** A DNS-label-safe name unique to this test run. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

export async function signIn(page: Page, user: { email: string; password: string } = DEMO): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Customers land on their sites, providers on the accounts they host.
  await expect(page).toHaveURL(/\/accounts\/[a-z0-9-]+\/(sites|customers)$/);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({
    path: path.join(SCREENSHOT_DIR, `${name}.png`),
    fullPage: true,
    animations: "disabled",
  });
}

/** Direct access to the e2e database, to check what the UI did (or did not) write. */
export function e2ePrisma(): PrismaClient {
  return createPrismaClient(readRunState().databaseUrl);
}

export function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(readRunState().kubeconfig);
  return kc;
}

export function coreApi(): CoreV1Api {
  return kubeConfig().makeApiClient(CoreV1Api);
}

/**
 * Marks the current document; if the page reloads, the mark is gone. Lets a test prove that a status
 * change arrived through live updates, not through a reload.
 */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __sitepodMark?: boolean }).__sitepodMark = true;
  });
}

export async function expectSameDocument(page: Page): Promise<void> {
  const marked = await page.evaluate(() => (window as unknown as { __sitepodMark?: boolean }).__sitepodMark);
  expect(marked, "the page was reloaded").toBe(true);
}

/**
 * The run's mailbox: the Mailpit `npm run up` started beside Sitepod (e2e/global-setup.ts records
 * where), read through its HTTP API.
 */
export function e2eMailbox(): Mailbox {
  const { mailpit } = readRunState();
  if (!mailpit) throw new Error("no Mailpit in the run state (e2e/global-setup.ts records it)");
  return new Mailbox(mailpit.apiUrl);
}
