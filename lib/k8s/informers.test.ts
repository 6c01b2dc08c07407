import {
  ApiException,
  KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Logger } from "@/lib/log";
import { createManagedInformers, type InformerFactory, type KindInfo } from "./informers";

type Handler = (value: unknown) => void;

/** What client-node's ListWatch does on start, without an API server: list once, or report the error. */
class FakeInformer {
  handlers: Record<string, Handler[]> = {};
  objects: KubernetesObject[] = [];
  resourceVersion = "";
  constructor(private readonly listFn: () => Promise<KubernetesListObject<KubernetesObject>>) {}
  on(event: string, cb: Handler) {
    const list = this.handlers[event] ?? [];
    list.push(cb);
    this.handlers[event] = list;
  }
  off() {}
  async start() {
    try {
      const result = await this.listFn();
      this.objects = result.items;
      this.resourceVersion = result.metadata?.resourceVersion ?? "1";
    } catch (err) {
      for (const cb of this.handlers.error ?? []) cb(err);
    }
  }
  async stop() {}
  get(name: string) {
    return this.objects.find((o) => o.metadata?.name === name);
  }
  list() {
    return this.objects;
  }
  latestResourceVersion() {
    return this.resourceVersion;
  }
}

const factory: InformerFactory = (_kc, _path, list) =>
  new FakeInformer(list) as unknown as ReturnType<InformerFactory>;

function recordingLog() {
  const lines: { level: string; msg: string; context?: Record<string, unknown> }[] = [];
  const log: Logger = {
    debug: (msg, context) => lines.push({ level: "debug", msg, context }),
    info: (msg, context) => lines.push({ level: "info", msg, context }),
    warn: (msg, context) => lines.push({ level: "warn", msg, context }),
    error: (msg, context) => lines.push({ level: "error", msg, context }),
    child: () => log,
  };
  return { log, lines };
}

const route: KubernetesObject = {
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name: "blog", namespace: "sp-acme" },
};

describe("createManagedInformers with a kind the cluster may not serve", () => {
  let servedNow = false;
  const kinds: KindInfo[] = [
    {
      kind: "Namespace",
      apiVersion: "v1",
      path: "/api/v1/namespaces",
      list: async () => ({ apiVersion: "v1", items: [], metadata: { resourceVersion: "7" } }),
    },
    {
      kind: "HTTPRoute",
      apiVersion: "gateway.networking.k8s.io/v1",
      path: "/apis/gateway.networking.k8s.io/v1/httproutes",
      optional: true,
      list: async () => {
        if (!servedNow) throw new ApiException(404, "Not Found", "404 page not found", {});
        return { apiVersion: "v1", items: [route], metadata: { resourceVersion: "9" } };
      },
    },
  ];

  beforeEach(() => {
    vi.useFakeTimers();
    servedNow = false;
  });
  afterEach(() => vi.useRealTimers());

  it("starts without it, says once what to do, and picks it up once its CRDs are installed", async () => {
    const { log, lines } = recordingLog();
    const informers = createManagedInformers({
      kubeConfig: new KubeConfig(),
      log,
      onEvent: () => {},
      gatewayApiRequired: true,
      kinds,
      informerFactory: factory,
    });
    await informers.start();
    expect(informers.served("HTTPRoute")).toBe(false);
    expect(informers.served("Namespace")).toBe(true);
    expect(informers.get("HTTPRoute", "blog", "sp-acme")).toBeUndefined();

    // Looked for again quietly, with backoff: still one error line, no warnings.
    await vi.advanceTimersByTimeAsync(5_000);
    const errors = lines.filter((l) => l.level === "error");
    expect(errors).toEqual([
      {
        level: "error",
        msg: "kind not served",
        context: {
          kind: "HTTPRoute",
          message:
            "The cluster has no Gateway API (HTTPRoute) CRDs: install them or set SITEPOD_ROUTING=ingress",
        },
      },
    ]);
    expect(lines.filter((l) => l.level === "warn")).toEqual([]);

    servedNow = true;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(informers.served("HTTPRoute")).toBe(true);
    expect(informers.all().map((o) => `${o.kind}/${o.object.metadata?.name}`)).toEqual(["HTTPRoute/blog"]);
    expect(lines).toContainEqual({ level: "info", msg: "kind served now", context: { kind: "HTTPRoute" } });
    await informers.stop();
  });

  it("only notes its absence when the routing mode does not need it", async () => {
    const { log, lines } = recordingLog();
    const informers = createManagedInformers({
      kubeConfig: new KubeConfig(),
      log,
      onEvent: () => {},
      gatewayApiRequired: false,
      kinds,
      informerFactory: factory,
    });
    await informers.start();
    expect(informers.served("HTTPRoute")).toBe(false);
    expect(lines.filter((l) => l.level === "error" || l.level === "warn")).toEqual([]);
    await informers.stop();
  });
});
