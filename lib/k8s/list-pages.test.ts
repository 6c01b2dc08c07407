import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiException, KubeConfig } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { isNotFound } from "./errors";
import { listInPages } from "./list-pages";

/** An API server's list endpoint over loopback: the answers given, in order, and the requests it got. */
async function serving(answers: Array<{ status: number; body: unknown }>) {
  const requests: URL[] = [];
  const authorization: Array<string | undefined> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests.push(new URL(req.url ?? "/", "http://x"));
    authorization.push(req.headers.authorization);
    const answer = answers.shift() ?? { status: 500, body: { message: "no more answers" } };
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      // Plain HTTP on loopback: client-node allows it only with skipTLSVerify.
      {
        name: "c",
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        skipTLSVerify: true,
      },
    ],
    users: [{ name: "u", token: "t0ken" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  return {
    kc,
    requests,
    authorization,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const deployment = (name: string) => ({ metadata: { name, namespace: "sp-acme" }, spec: { replicas: 1 } });

describe("listInPages", () => {
  it("follows continue tokens and returns every page's items with the snapshot's resourceVersion", async () => {
    const api = await serving([
      {
        status: 200,
        body: {
          kind: "DeploymentList",
          apiVersion: "apps/v1",
          metadata: { resourceVersion: "42", continue: "page-2" },
          items: [deployment("a"), deployment("b")],
        },
      },
      {
        status: 200,
        body: {
          kind: "DeploymentList",
          apiVersion: "apps/v1",
          metadata: { resourceVersion: "42" },
          items: [deployment("c")],
        },
      },
    ]);
    close = api.close;
    const list = await listInPages(
      api.kc,
      "/apis/apps/v1/deployments",
      "app.kubernetes.io/managed-by=sitepod",
      2,
    );

    expect(list.metadata?.resourceVersion).toBe("42");
    expect(list.items.map((o) => o.metadata?.name)).toEqual(["a", "b", "c"]);
    // Plain JSON, as watch events arrive: no model classes, no unset fields.
    expect(list.items[0]).toEqual(deployment("a"));
    expect(Object.getPrototypeOf(list.items[0])).toBe(Object.prototype);
    expect(
      api.requests.map((u) => [u.pathname, u.searchParams.get("limit"), u.searchParams.get("continue")]),
    ).toEqual([
      ["/apis/apps/v1/deployments", "2", null],
      ["/apis/apps/v1/deployments", "2", "page-2"],
    ]);
    expect(api.authorization).toEqual(["Bearer t0ken", "Bearer t0ken"]);
    expect(
      api.requests.every(
        (u) => u.searchParams.get("labelSelector") === "app.kubernetes.io/managed-by=sitepod",
      ),
    ).toBe(true);
  });

  it("hands each item to `each` as its page arrives and keeps only what `each` returns", async () => {
    const page = (items: unknown[], next?: string) => ({
      status: 200,
      body: { kind: "DeploymentList", metadata: { resourceVersion: "7", continue: next }, items },
    });
    const api = await serving([page([deployment("a"), deployment("b")], "page-2"), page([deployment("c")])]);
    close = api.close;
    // Which page had been asked for when each item was handed over: every object of a kind is never
    // held parsed in full at once (at 5,000 sites, pods alone were over 100 MiB at a restart).
    const handedAt: number[] = [];
    const list = await listInPages(api.kc, "/apis/apps/v1/deployments", "x=y", 2, (item) => {
      handedAt.push(api.requests.length);
      return { metadata: { name: `kept-${item.metadata?.name}` } };
    });
    expect(handedAt).toEqual([1, 1, 2]);
    expect(list.items).toEqual(["a", "b", "c"].map((n) => ({ metadata: { name: `kept-${n}` } })));
  });

  it("reports an error answer as client-node's ApiException with its status and body", async () => {
    const status = { kind: "Status", status: "Failure", reason: "NotFound", code: 404 };
    const api = await serving([{ status: 404, body: status }]);
    close = api.close;
    const err = await listInPages(api.kc, "/apis/gateway.networking.k8s.io/v1/httproutes", "x=y").catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiException);
    expect(isNotFound(err)).toBe(true);
    expect((err as ApiException<unknown>).body).toEqual(status);
  });
});
