import { describe, expect, it } from "vitest";
import type { RenderedObject } from "@/lib/k8s/manifests/objects";
import { corrections } from "./site-events";

const obj = (kind: string, name: string) =>
  ({ apiVersion: "v1", kind, metadata: { name, namespace: "sp-acme" } }) as unknown as RenderedObject;

describe("the corrections a pass records", () => {
  const applied = [
    {
      obj: obj("Deployment", "blog"),
      ensured: {
        object: {},
        terminating: false,
        drift: [{ path: "spec.replicas", wanted: "1", found: "3" }],
      },
    },
    { obj: obj("Service", "blog"), ensured: { object: {}, terminating: false, created: true } },
    { obj: obj("ConfigMap", "blog-config"), ensured: { object: {}, terminating: false } },
  ];

  it("names a hand edit with what was found, and a deleted object of a converged site", () => {
    expect(corrections(applied, true)).toEqual([
      {
        type: "Warning",
        reason: "DriftCorrected",
        object: "Deployment/blog",
        message: "Changed outside Sitepod; put back as Sitepod renders it. spec.replicas: 1 wanted, 3 found",
      },
      {
        type: "Warning",
        reason: "ObjectRestored",
        object: "Service/blog",
        message: "Deleted outside Sitepod; created again.",
      },
    ]);
  });

  it("does not call the first creation of a new site's objects a correction", () => {
    expect(corrections(applied, false).map((c) => c.reason)).toEqual(["DriftCorrected"]);
  });
});
