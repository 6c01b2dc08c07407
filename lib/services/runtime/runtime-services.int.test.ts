import { beforeAll, describe, expect, it } from "vitest";
import type { Account, User } from "@/lib/generated/prisma/client";
import { createRuntimeImage } from "@/lib/services/runtime/create-runtime-image";
import { listOfferedRuntimes } from "@/lib/services/runtime/list-offered-runtimes";
import { listRuntimeImages } from "@/lib/services/runtime/list-runtime-images";
import { registerRuntimeImages } from "@/lib/services/runtime/register-runtime-images";
import { updateRuntimeImage } from "@/lib/services/runtime/update-runtime-image";
import { createSite } from "@/lib/services/site/create-site";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();

let platform: Account;
let acme: Account;
let operator: User; // OWNER on the platform
let platformDeveloper: User;
let customer: User; // OWNER on acme

beforeAll(async () => {
  const p = db().prisma;
  platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  operator = await createTestUser(p, {
    email: "op@platform.test",
    roles: [{ account: platform, role: "OWNER" }],
  });
  platformDeveloper = await createTestUser(p, {
    email: "dev@platform.test",
    roles: [{ account: platform, role: "DEVELOPER" }],
  });
  customer = await createTestUser(p, { email: "owner@acme.test", roles: [{ account: acme, role: "OWNER" }] });
});

async function snapshot() {
  const p = db().prisma;
  return JSON.stringify({
    runtimes: await p.runtimeImage.findMany({ orderBy: { phpVersion: "asc" } }),
    changes: await p.changeLog.count(),
  });
}

describe("createRuntimeImage", () => {
  it("adds a version with its image, offered, recorded in the platform's audit log", async () => {
    const added = await createRuntimeImage({
      actor: { userId: operator.id, ip: "203.0.113.9" },
      input: { phpVersion: "8.3", image: " registry.example.com/sitepod/runtime:php8.3 ", label: "" },
    });
    expect(added).toMatchObject({
      phpVersion: "8.3",
      image: "registry.example.com/sitepod/runtime:php8.3",
      label: null,
      enabled: true,
      siteCount: 0,
    });
    const change = await db().prisma.changeLog.findFirstOrThrow({ where: { objectId: added.id } });
    expect(change).toMatchObject({
      kind: "RuntimeImage",
      action: "CREATED",
      accountId: platform.id,
      actorUserId: operator.id,
      summary: "Added PHP 8.3 to the runtime catalog (registry.example.com/sitepod/runtime:php8.3)",
    });
    expect(await listOfferedRuntimes({ actor: { userId: customer.id }, accountId: acme.id })).toEqual([
      { phpVersion: "8.4", label: "Debian 13" },
      { phpVersion: "8.3", label: null },
      { phpVersion: "8.2", label: "Debian 12" },
    ]);
  });

  it.each([
    [
      { phpVersion: "8", image: "runtime:php8" },
      { phpVersion: "Enter a PHP version as major.minor, e.g. 8.4." },
    ],
    [
      { phpVersion: "8.5", image: "https://registry.example.com/runtime:8.5" },
      {
        image:
          "Enter the image reference without a scheme (no https://), e.g. registry.example.com/sitepod/runtime:php8.4.",
      },
    ],
    [
      { phpVersion: "8.5", image: "Registry.example.com/Sitepod/Runtime" },
      {
        image:
          "Enter an image reference such as registry.example.com/sitepod/runtime:php8.4: lower-case repository path, optional :tag and @sha256:digest.",
      },
    ],
    [
      { phpVersion: "8.5", image: "" },
      { image: "Enter the image reference, e.g. registry.example.com/sitepod/runtime:php8.4." },
    ],
  ])("refuses %j with a message per field and writes nothing", async (input, fieldErrors) => {
    const before = await snapshot();
    const err = await rejection(createRuntimeImage({ actor: { userId: operator.id }, input }));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.fieldErrors).toEqual(fieldErrors);
    expect(await snapshot()).toBe(before);
  });

  it("refuses a version already in the catalog and writes nothing", async () => {
    const before = await snapshot();
    const err = await rejection(
      createRuntimeImage({
        actor: { userId: operator.id },
        input: { phpVersion: "8.4", image: "other:php8.4" },
      }),
    );
    expect(err.code).toBe("CONFLICT");
    expect(err.fieldErrors).toEqual({
      phpVersion: "PHP 8.4 is already in the catalog: change its image instead.",
    });
    expect(await snapshot()).toBe(before);
  });

  it("is the platform operator's: NOT_FOUND below the platform, FORBIDDEN for a platform developer", async () => {
    const before = await snapshot();
    const input = { phpVersion: "8.5", image: "runtime:php8.5" };
    expect((await rejection(createRuntimeImage({ actor: { userId: customer.id }, input }))).code).toBe(
      "NOT_FOUND",
    );
    expect(
      (await rejection(createRuntimeImage({ actor: { userId: platformDeveloper.id }, input }))).code,
    ).toBe("FORBIDDEN");
    expect(await snapshot()).toBe(before);
  });
});

describe("updateRuntimeImage", () => {
  it("changes the image and whether it is offered; sites on it count, and the change says what changed", async () => {
    await createSite({
      actor: { userId: customer.id },
      accountId: acme.id,
      input: { name: "blog", domain: "blog.test", phpVersion: "8.2" },
    });
    const [entry] = await db().prisma.runtimeImage.findMany({ where: { phpVersion: "8.2" } });
    if (!entry) throw new Error("no 8.2");
    const updated = await updateRuntimeImage({
      actor: { userId: operator.id },
      runtimeImageId: entry.id,
      input: { image: "registry.example.com/sitepod/runtime:php8.2-2", enabled: false },
    });
    expect(updated).toMatchObject({
      image: "registry.example.com/sitepod/runtime:php8.2-2",
      enabled: false,
      siteCount: 1,
    });
    const change = await db().prisma.changeLog.findFirstOrThrow({
      where: { objectId: entry.id, action: "UPDATED" },
      orderBy: { id: "desc" },
    });
    expect(change.summary).toBe(
      "Changed PHP 8.2 in the runtime catalog: image registry.example.com/sitepod/runtime:php8.2-2, no longer offered",
    );
    // No longer offered to new sites.
    expect(
      (await listOfferedRuntimes({ actor: { userId: customer.id }, accountId: acme.id })).map(
        (r) => r.phpVersion,
      ),
    ).not.toContain("8.2");
    await updateRuntimeImage({
      actor: { userId: operator.id },
      runtimeImageId: entry.id,
      input: { enabled: true },
    });
  });

  it("writes nothing for a change that changes nothing, for bad input, or for an unknown entry", async () => {
    const [entry] = await db().prisma.runtimeImage.findMany({ where: { phpVersion: "8.4" } });
    if (!entry) throw new Error("no 8.4");
    const before = await snapshot();
    await updateRuntimeImage({
      actor: { userId: operator.id },
      runtimeImageId: entry.id,
      input: { image: entry.image, enabled: entry.enabled },
    });
    const bad = await rejection(
      updateRuntimeImage({
        actor: { userId: operator.id },
        runtimeImageId: entry.id,
        input: { image: "no spaces allowed" },
      }),
    );
    expect(bad.fieldErrors).toEqual({ image: "An image reference has no spaces." });
    const missing = await rejection(
      updateRuntimeImage({
        actor: { userId: operator.id },
        runtimeImageId: "doesnotexist",
        input: { enabled: false },
      }),
    );
    expect(missing).toMatchObject({ code: "NOT_FOUND", message: "Runtime image not found." });
    expect(await snapshot()).toBe(before);
  });
});

describe("listRuntimeImages", () => {
  it("lists every entry to the operator, newest version first (8.10 after 8.9)", async () => {
    const p = db().prisma;
    await p.runtimeImage.createMany({
      data: [
        { phpVersion: "8.9", image: "runtime:php8.9", enabled: false },
        { phpVersion: "8.10", image: "runtime:php8.10", enabled: false },
      ],
    });
    const list = await listRuntimeImages({ actor: { userId: operator.id } });
    expect(list.map((r) => r.phpVersion)).toEqual(["8.10", "8.9", "8.4", "8.3", "8.2"]);
    expect((await rejection(listRuntimeImages({ actor: { userId: customer.id } }))).code).toBe("NOT_FOUND");
  });
});

describe("registerRuntimeImages", () => {
  it("adds what is new, updates a changed image keeping whether it is offered, and is idempotent", async () => {
    const p = db().prisma;
    await p.runtimeImage.update({ where: { phpVersion: "8.9" }, data: { enabled: false } });
    const entries = [
      { phpVersion: "8.4", image: "sitepod.local/runtime:php8.4" },
      { phpVersion: "8.9", image: "sitepod.local/runtime:php8.9" },
      { phpVersion: "9.0", image: "sitepod.local/runtime:php9.0", label: "Debian 14" },
    ];
    expect(await registerRuntimeImages({ db: p, entries })).toEqual({
      added: ["9.0"],
      changed: ["8.9"],
      unchanged: ["8.4"],
    });
    expect(await p.runtimeImage.findUniqueOrThrow({ where: { phpVersion: "8.9" } })).toMatchObject({
      image: "sitepod.local/runtime:php8.9",
      enabled: false,
    });
    expect(await p.runtimeImage.findUniqueOrThrow({ where: { phpVersion: "9.0" } })).toMatchObject({
      label: "Debian 14",
      enabled: true,
    });
    const change = await p.changeLog.findFirstOrThrow({
      where: { kind: "RuntimeImage", action: "CREATED" },
      orderBy: { id: "desc" },
    });
    expect(change).toMatchObject({ accountId: platform.id, actorUserId: null });

    const before = await snapshot();
    expect(await registerRuntimeImages({ db: p, entries })).toEqual({
      added: [],
      changed: [],
      unchanged: ["8.4", "8.9", "9.0"],
    });
    expect(await snapshot()).toBe(before);
  });

  it("refuses a file with a bad entry before writing anything", async () => {
    const before = await snapshot();
    const err = await rejection(
      registerRuntimeImages({
        db: db().prisma,
        entries: [
          { phpVersion: "9.1", image: "sitepod.local/runtime:php9.1" },
          { phpVersion: "latest", image: "sitepod.local/runtime:latest" },
        ],
      }),
    );
    expect(err.fieldErrors).toEqual({ "1.phpVersion": "Enter a PHP version as major.minor, e.g. 8.4." });
    expect(await snapshot()).toBe(before);
  });
});
