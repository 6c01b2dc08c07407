import { describe, expect, it } from "vitest";
import { DEFAULT_SITE_RESOURCES } from "@/lib/validation/site-settings";
import { chooseRollout } from "./site-rollout";
import { withStorageResizeRefused } from "./site-status";

const plan = { maxSites: 3, maxCronJobs: 5, storageGiB: 10, cpuMillicores: 1000, memoryMiB: 2048 };

describe("chooseRollout", () => {
  it("rolls when the plan has room for a second pod of the site", () => {
    expect(chooseRollout(plan, { cpuMillicores: 600, memoryMiB: 896 }, DEFAULT_SITE_RESOURCES)).toBe(
      "RollingUpdate",
    );
  });

  it("recreates when the second pod would exceed the plan's CPU or memory", () => {
    expect(chooseRollout(plan, { cpuMillicores: 900, memoryMiB: 896 }, DEFAULT_SITE_RESOURCES)).toBe(
      "Recreate",
    );
    expect(chooseRollout(plan, { cpuMillicores: 300, memoryMiB: 1800 }, DEFAULT_SITE_RESOURCES)).toBe(
      "Recreate",
    );
  });
});

describe("withStorageResizeRefused", () => {
  it("marks a running site Degraded with the reason, keeping its other conditions", () => {
    const status = withStorageResizeRefused(
      {
        phase: "RUNNING",
        conditions: [
          { type: "Ready", status: "True", reason: "Available", message: "ok" },
          { type: "Degraded", status: "False", reason: "AsExpected", message: "" },
        ],
      },
      "8Gi",
      "422: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize",
    );
    expect(status.phase).toBe("DEGRADED");
    expect(status.conditions).toEqual([
      { type: "Ready", status: "True", reason: "Available", message: "ok" },
      {
        type: "Degraded",
        status: "True",
        reason: "StorageResizeRefused",
        message:
          "The files volume could not be resized to 8Gi: 422: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize. Its storage class must allow volume expansion (allowVolumeExpansion); the site keeps its current volume.",
      },
    ]);
  });

  it("says how to fix a volume larger than the settings, which cannot shrink", () => {
    const status = withStorageResizeRefused(
      { phase: "RUNNING", conditions: [] },
      "5Gi",
      '422: PersistentVolumeClaim "blog-files" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than previous value',
    );
    expect(status.conditions[0]?.message).toMatch(
      /Volumes cannot shrink: raise the site's storage to at least the volume's size; the site keeps its current volume\.$/,
    );
  });
});
