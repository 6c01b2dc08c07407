import {
  ApiException,
  KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Logger } from "@/lib/log";
import {
  createManagedInformers,
  type InformerFactory,
  type KindInfo,
  LabelIndex,
  managedKinds,
  ObjectPacker,
  onlyStatusChanged,
  StringPool,
  trimForCache,
  trimmedInformer,
  trimToStatus,
} from "./informers";
import { ACCOUNT_LABEL, MANAGED_SELECTOR, SITE_LABEL } from "./manifests/labels";

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
    expect([...informers.objectsOf("HTTPRoute")].map((o) => o.object.metadata?.name)).toEqual(["blog"]);
    expect(informers.count()).toBe(1);
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

/** Started informers of one kind, Pod, that list nothing, and a way to send their handlers events. */
async function podInformers(onEvent: Parameters<typeof createManagedInformers>[0]["onEvent"]) {
  const made: FakeInformer[] = [];
  const informers = createManagedInformers({
    kubeConfig: new KubeConfig(),
    log: recordingLog().log,
    onEvent,
    kinds: [
      {
        kind: "Pod",
        apiVersion: "v1",
        path: "/api/v1/pods",
        list: async () => ({ apiVersion: "v1", items: [], metadata: { resourceVersion: "1" } }),
      },
    ],
    informerFactory: (kc, path, list, selector, trim, packer) => {
      const informer = factory(kc, path, list, selector, trim, packer);
      made.push(informer as unknown as FakeInformer);
      return informer;
    },
  });
  await informers.start();
  const emit = (event: string, object: KubernetesObject) => {
    for (const cb of made[0]?.handlers[event] ?? []) cb(object);
  };
  return { informers, emit };
}

describe("the label index", () => {
  const object = (kind: "Pod" | "Service", name: string, labels: Record<string, string>) => ({
    kind,
    apiVersion: "v1",
    object: { metadata: { name, namespace: "sp-acme", labels } },
  });
  const names = (found: { kind: string; object: KubernetesObject }[]) =>
    found.map((o) => `${o.kind}/${o.object.metadata?.name}`).sort();

  it("finds an object under each indexed label it carries, and under its new values once relabelled", () => {
    const index = new LabelIndex();
    index.put(object("Service", "blog", { [SITE_LABEL]: "s1", [ACCOUNT_LABEL]: "a1" }));
    // Same name, another kind: another object.
    index.put(object("Pod", "blog", { [SITE_LABEL]: "s1", [ACCOUNT_LABEL]: "a1" }));
    index.put(object("Pod", "shop", { [SITE_LABEL]: "s2", [ACCOUNT_LABEL]: "a1", other: "x" }));
    expect(names(index.get(SITE_LABEL, "s1"))).toEqual(["Pod/blog", "Service/blog"]);
    expect(names(index.get(ACCOUNT_LABEL, "a1"))).toEqual(["Pod/blog", "Pod/shop", "Service/blog"]);

    index.put(object("Pod", "blog", { [SITE_LABEL]: "s2" }));
    expect(names(index.get(SITE_LABEL, "s1"))).toEqual(["Service/blog"]);
    expect(names(index.get(SITE_LABEL, "s2"))).toEqual(["Pod/blog", "Pod/shop"]);
    expect(names(index.get(ACCOUNT_LABEL, "a1"))).toEqual(["Pod/shop", "Service/blog"]);

    index.remove(object("Service", "blog", {}));
    expect(index.get(SITE_LABEL, "s1")).toEqual([]);
    expect(index.get(SITE_LABEL, "nobody")).toEqual([]);
  });

  it("keeps objects filed under the same values apart when one of them changes or goes", () => {
    const index = new LabelIndex();
    const labels = { [SITE_LABEL]: "s1", [ACCOUNT_LABEL]: "a1" };
    for (const name of ["a", "b", "c"]) index.put(object("Pod", name, labels));
    index.put(object("Pod", "b", { [SITE_LABEL]: "s1", [ACCOUNT_LABEL]: "a2" }));
    index.remove(object("Pod", "a", {}));
    expect(names(index.get(SITE_LABEL, "s1"))).toEqual(["Pod/b", "Pod/c"]);
    expect(names(index.get(ACCOUNT_LABEL, "a1"))).toEqual(["Pod/c"]);
    expect(names(index.get(ACCOUNT_LABEL, "a2"))).toEqual(["Pod/b"]);
    expect(index.current(object("Pod", "c", {}))?.object.metadata?.labels).toEqual(labels);
    expect(index.current(object("Pod", "a", {}))).toBeUndefined();
    expect(index.values(ACCOUNT_LABEL).sort()).toEqual(["a1", "a2"]);
  });

  it("serves the informers' labelled() from their add, update and delete events", async () => {
    const pod = (name: string, site: string, resourceVersion: string): KubernetesObject => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "sp-acme", resourceVersion, labels: { [SITE_LABEL]: site } },
    });
    const { informers, emit } = await podInformers(() => {});
    emit("add", pod("web-1", "s1", "2"));
    emit("add", pod("web-2", "s1", "3"));
    expect(names(informers.labelled(SITE_LABEL, "s1"))).toEqual(["Pod/web-1", "Pod/web-2"]);
    emit("update", pod("web-2", "s2", "4"));
    expect(names(informers.labelled(SITE_LABEL, "s1"))).toEqual(["Pod/web-1"]);
    expect(informers.labelled(SITE_LABEL, "s2").map((o) => o.object.metadata?.resourceVersion)).toEqual([
      "4",
    ]);
    emit("delete", pod("web-1", "s1", "5"));
    expect(informers.labelled(SITE_LABEL, "s1")).toEqual([]);
    await informers.stop();
  });

  it("hands an update's handler the version it replaces, from the index", async () => {
    const pod = (resourceVersion: string, labels: Record<string, string>): KubernetesObject => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web-1", namespace: "sp-acme", resourceVersion, labels },
    });
    const seen: Array<[string, string | undefined, string | undefined]> = [];
    const { informers, emit } = await podInformers((event, observed, previous) =>
      seen.push([event, observed.object.metadata?.resourceVersion, previous?.().metadata?.resourceVersion]),
    );
    emit("add", pod("2", { [SITE_LABEL]: "s1" }));
    emit("update", pod("3", { [SITE_LABEL]: "s2" }));
    emit("update", pod("4", {}));
    // Unlabelled, it is in no index: the next update has no previous version to compare.
    emit("update", pod("5", {}));
    emit("delete", pod("6", {}));
    expect(seen).toEqual([
      ["add", "2", undefined],
      ["update", "3", "2"],
      ["update", "4", "3"],
      ["update", "5", undefined],
      ["delete", "6", undefined],
    ]);
    await informers.stop();
  });
});

describe("onlyStatusChanged", () => {
  const job = (over: Record<string, unknown>): KubernetesObject =>
    ({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "install", namespace: "sp-acme", resourceVersion: "1", labels: { a: "b" } },
      spec: { backoffLimit: 0 },
      status: { active: 1 },
      ...over,
    }) as KubernetesObject;

  it("is true when only status and resourceVersion differ", () => {
    const next = job({
      metadata: { name: "install", namespace: "sp-acme", resourceVersion: "2", labels: { a: "b" } },
      status: { succeeded: 1 },
    });
    expect(onlyStatusChanged(job({}), next)).toBe(true);
    expect(onlyStatusChanged(job({}), job({ status: undefined }))).toBe(true);
  });

  it("is false when anything else differs", () => {
    const meta = (over: Record<string, unknown>) => ({
      metadata: { name: "install", namespace: "sp-acme", resourceVersion: "2", labels: { a: "b" }, ...over },
    });
    for (const next of [
      job({ spec: { backoffLimit: 1 } }),
      job(meta({ labels: { a: "c" } })),
      job(meta({ annotations: { x: "y" } })),
      job(meta({ deletionTimestamp: "2026-12-01T22:00:00Z" })),
      job({ data: { key: "value" } }),
    ]) {
      expect(onlyStatusChanged(job({}), next)).toBe(false);
    }
  });
});

describe("the informers' cache", () => {
  const managedFields = [
    {
      manager: "sitepod",
      operation: "Apply",
      apiVersion: "apps/v1",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:spec": {} },
    },
  ];
  const deployment = (name: string, resourceVersion: string): KubernetesObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name,
      namespace: "sp-acme",
      resourceVersion,
      labels: { [SITE_LABEL]: "s1" },
      annotations: {
        "sitepod.io/spec-hash": "abc",
        "kubectl.kubernetes.io/last-applied-configuration": '{"kind":"Deployment"}',
      },
      managedFields: structuredClone(managedFields),
    },
  });

  /** A watch as the API server answers it: the events given, then the connection stays open. */
  function watchSending(events: Array<[string, KubernetesObject]>) {
    return {
      watch: async (
        _path: string,
        _query: Record<string, string | number | boolean | undefined>,
        callback: (phase: string, object: KubernetesObject, raw?: unknown) => void,
      ) => {
        for (const [phase, object] of events) callback(phase, object, { type: phase, object });
        return new AbortController();
      },
    };
  }

  it("has the list pack each object as it is read, not after the whole list, and keep none parsed", async () => {
    const packer = new ObjectPacker();
    const packedAsRead: boolean[] = [];
    const listed = [deployment("blog", "2"), deployment("shop", "3")];
    const informer = trimmedInformer(
      watchSending([]),
      "/apis/apps/v1/deployments",
      async (each) => {
        const items = listed.map((item) => {
          const kept = each ? each(item) : item;
          packedAsRead.push(packer.isPacked(kept));
          return kept;
        });
        return { apiVersion: "v1", items, metadata: { resourceVersion: "3" } };
      },
      MANAGED_SELECTOR,
      undefined,
      packer,
    );
    const handed: KubernetesObject[] = [];
    informer.on("add", (o) => handed.push(packer.take(o)));
    await informer.start();
    expect(packedAsRead).toEqual([true, true]);
    // The handlers run once the whole list is read: they get copies read back from the packed
    // form, not the parsed objects, which nothing kept meanwhile.
    expect(handed.map((o) => o.metadata?.name)).toEqual(["blog", "shop"]);
    handed.forEach((o, i) => {
      expect(o).not.toBe(listed[i]);
      expect(o).toEqual(listed[i]);
    });
    const cached = informer.list().map((o) => packer.unpack(o));
    expect(cached.map((o) => o.metadata?.name).sort()).toEqual(["blog", "shop"]);
    expect(cached.every((o) => o.metadata?.managedFields === undefined)).toBe(true);
    await informer.stop();
  });

  it("keeps listed and watched objects without their managed fields and kubectl's last-applied copy", async () => {
    const packer = new ObjectPacker();
    const informer = trimmedInformer(
      watchSending([
        ["ADDED", deployment("shop", "3")],
        ["MODIFIED", deployment("blog", "4")],
      ]),
      "/apis/apps/v1/deployments",
      async () => ({
        apiVersion: "v1",
        items: [deployment("blog", "2")],
        metadata: { resourceVersion: "2" },
      }),
      MANAGED_SELECTOR,
      undefined,
      packer,
    );
    const seen: KubernetesObject[] = [];
    informer.on("add", (o) => seen.push(packer.take(o)));
    informer.on("update", (o) => seen.push(packer.take(o)));
    await informer.start();

    for (const object of [...informer.list().map((o) => packer.unpack(o)), ...seen]) {
      expect(object.metadata?.managedFields).toBeUndefined();
      expect(object.metadata?.annotations).toEqual({ "sitepod.io/spec-hash": "abc" });
    }
    expect(
      informer
        .list()
        .map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`)
        .sort(),
    ).toEqual(["blog@4", "shop@3"]);
    expect(seen).toHaveLength(3);
    expect(informer.latestResourceVersion()).toBe("4");
    await informer.stop();
  });

  it("serves get, labelled, all and the handlers whole objects while the cache holds packed shells", async () => {
    const withReplicas = (object: KubernetesObject, replicas: number) =>
      ({
        ...object,
        spec: { replicas, template: { spec: { containers: [{ name: "php" }] } } },
      }) as KubernetesObject;
    const replicasOf = (object?: KubernetesObject) =>
      (object as { spec?: { replicas?: number } })?.spec?.replicas;
    const seen: unknown[] = [];
    let cache: ReturnType<typeof trimmedInformer> | undefined;
    const informers = createManagedInformers({
      kubeConfig: new KubeConfig(),
      log: recordingLog().log,
      onEvent: (event, observed, previous) =>
        seen.push([
          event,
          observed.object.metadata?.name,
          replicasOf(observed.object),
          previous?.().metadata?.resourceVersion,
          replicasOf(previous?.()),
        ]),
      kinds: [
        {
          kind: "Deployment",
          apiVersion: "apps/v1",
          path: "/apis/apps/v1/deployments",
          list: async () => ({
            apiVersion: "v1",
            items: [withReplicas(deployment("blog", "2"), 1)],
            metadata: { resourceVersion: "2" },
          }),
        },
      ],
      informerFactory: (_kc, path, list, selector, trim, packer) => {
        cache = trimmedInformer(
          watchSending([
            ["ADDED", withReplicas(deployment("shop", "3"), 1)],
            ["MODIFIED", withReplicas(deployment("blog", "4"), 2)],
          ]),
          path,
          list,
          selector,
          trim,
          packer,
        );
        return cache;
      },
    });
    await informers.start();

    expect(seen).toEqual([
      ["add", "blog", 1, undefined, undefined],
      ["add", "shop", 1, undefined, undefined],
      ["update", "blog", 2, "2", 1],
    ]);
    const blog = informers.get("Deployment", "blog", "sp-acme");
    expect(replicasOf(blog)).toBe(2);
    expect(blog?.metadata).toEqual({
      name: "blog",
      namespace: "sp-acme",
      resourceVersion: "4",
      labels: { [SITE_LABEL]: "s1" },
      annotations: { "sitepod.io/spec-hash": "abc" },
    });
    // Each read is a copy of its own: a caller that changes one changes nothing cached.
    (blog as { spec: { replicas: number } }).spec.replicas = 9;
    expect(replicasOf(informers.get("Deployment", "blog", "sp-acme"))).toBe(2);
    expect(
      informers
        .labelled(SITE_LABEL, "s1")
        .map((o) => `${o.kind}/${o.object.metadata?.name}:${replicasOf(o.object)}`)
        .sort(),
    ).toEqual(["Deployment/blog:2", "Deployment/shop:1"]);
    expect([...informers.objectsOf("Deployment")].map((o) => replicasOf(o.object))).toEqual([2, 1]);
    expect(informers.count()).toBe(2);
    expect(informers.labelValues(SITE_LABEL)).toEqual(["s1"]);
    // What the cache itself holds: the name, namespace and resourceVersion it files each one by.
    for (const shell of cache?.list() ?? []) {
      expect(Object.keys(shell)).toEqual(["metadata"]);
      expect(Object.keys(shell.metadata ?? {})).toEqual(["name", "namespace", "resourceVersion"]);
    }
    await informers.stop();
  });

  it("keeps pods without their spec, which the reconciler never reads, and with their status", async () => {
    const pod = (name: string, resourceVersion: string): KubernetesObject =>
      ({
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name,
          namespace: "sp-acme",
          resourceVersion,
          managedFields: structuredClone(managedFields),
        },
        spec: { containers: [{ name: "php", image: "runtime:8.4" }] },
        status: { phase: "Running", containerStatuses: [{ name: "php", restartCount: 2 }] },
      }) as KubernetesObject;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "c", server: "https://127.0.0.1:1" }],
      users: [{ name: "u" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    const podKind = managedKinds(kc).find((k) => k.kind === "Pod");
    expect(podKind?.trim).toBe(trimToStatus);
    const packer = new ObjectPacker();
    const informer = trimmedInformer(
      watchSending([["ADDED", pod("web-2", "3")]]),
      "/api/v1/pods",
      async () => ({ apiVersion: "v1", items: [pod("web-1", "2")], metadata: { resourceVersion: "2" } }),
      MANAGED_SELECTOR,
      podKind?.trim,
      packer,
    );
    await informer.start();
    const cached = informer.list().map((o) => packer.unpack(o)) as Array<
      KubernetesObject & { spec?: unknown; status?: unknown }
    >;
    expect(cached.map((o) => o.metadata?.name).sort()).toEqual(["web-1", "web-2"]);
    for (const object of cached) {
      expect(object.spec).toBeUndefined();
      expect(object.metadata?.managedFields).toBeUndefined();
      expect(object.status).toEqual({
        phase: "Running",
        containerStatuses: [{ name: "php", restartCount: 2 }],
      });
    }
    await informer.stop();
  });

  it("keeps Jobs without their pod template, which cannot change once made, and with their status", () => {
    const kc = new KubeConfig();
    const jobKind = managedKinds(kc).find((k) => k.kind === "Job");
    const job = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "blog-install-1", namespace: "sp-acme", uid: "u1", labels: { [SITE_LABEL]: "s1" } },
      spec: {
        backoffLimit: 2,
        template: { spec: { containers: [{ name: "install", image: "runtime:8.4" }] } },
      },
      status: { active: 1, conditions: [{ type: "Complete", status: "True" }] },
    } as KubernetesObject;
    expect(jobKind?.trim?.(job)).toEqual({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "blog-install-1", namespace: "sp-acme", uid: "u1", labels: { [SITE_LABEL]: "s1" } },
      status: { active: 1, conditions: [{ type: "Complete", status: "True" }] },
    });
    // The kinds whose spec the reconciler compares with what it renders keep it.
    for (const kind of ["Deployment", "CronJob", "PersistentVolumeClaim", "Service"]) {
      expect(managedKinds(kc).find((k) => k.kind === kind)?.trim).toBeUndefined();
    }
  });

  it("leaves an object without metadata or annotations as it was", () => {
    expect(trimForCache({ apiVersion: "v1", kind: "Status" })).toEqual({ apiVersion: "v1", kind: "Status" });
    expect(trimForCache({ kind: "Pod", metadata: { name: "web" } })).toEqual({
      kind: "Pod",
      metadata: { name: "web" },
    });
  });
});

describe("the cache's string pool", () => {
  it("keeps one copy of each string it is given", () => {
    const pool = new StringPool();
    for (const value of ["web", "sp-acme", "web", "sp-acme", "blog"]) expect(pool.intern(value)).toBe(value);
    expect(pool.size).toBe(3);
  });

  it("leaves long strings out, and starts again empty when it is full", () => {
    const pool = new StringPool(3, 10);
    for (const value of ["x".repeat(11), "one", "two"]) pool.intern(value);
    expect(pool.size).toBe(2);
    pool.intern("three");
    expect(pool.size).toBe(3);
    pool.intern("two");
    expect(pool.size).toBe(3);
    pool.intern("four");
    expect(pool.size).toBe(1);
  });
});

describe("ObjectPacker", () => {
  const deployment = (name: string, image: string): KubernetesObject =>
    ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace: "sp-acme", resourceVersion: "7", labels: { [SITE_LABEL]: name } },
      spec: {
        replicas: 1,
        template: {
          spec: {
            containers: ["php", "nginx", "logs"].map((container) => ({
              name: container,
              image,
              imagePullPolicy: "IfNotPresent",
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
              securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
              volumeMounts: [{ name: "site", mountPath: "/var/www/html" }],
            })),
          },
        },
      },
      status: { replicas: 1, availableReplicas: 1 },
    }) as KubernetesObject;
  const packedLength = (shell: KubernetesObject) =>
    Object.getOwnPropertySymbols(shell)
      .map((symbol) => (shell as unknown as Record<symbol, string>)[symbol]?.length ?? 0)
      .reduce((a, b) => a + b, 0);

  it("keeps an object as a shell and reads back an equal copy, a new one each time", () => {
    const packer = new ObjectPacker();
    const original = deployment("blog", "runtime:8.4");
    const shell = packer.pack(structuredClone(original));
    expect(Object.keys(shell)).toEqual(["metadata"]);
    expect(shell.metadata).toEqual({ name: "blog", namespace: "sp-acme", resourceVersion: "7" });
    const first = packer.unpack(shell);
    expect(first).toEqual(original);
    (first as { spec: { replicas: number } }).spec.replicas = 3;
    expect(packer.unpack(shell)).toEqual(original);
  });

  it("packs a kind's later objects against its first, in a fraction of their JSON", () => {
    const packer = new ObjectPacker();
    packer.pack(deployment("blog", "runtime:8.4"));
    const shop = deployment("shop", "runtime:8.3");
    const shell = packer.pack(structuredClone(shop));
    expect(packedLength(shell)).toBeGreaterThan(0);
    expect(packedLength(shell)).toBeLessThan(JSON.stringify(shop).length / 5);
    expect(packer.unpack(shell)).toEqual(shop);
  });

  it("hands an event handler the object it just packed, once; after that, a copy", () => {
    const packer = new ObjectPacker();
    const object = deployment("blog", "runtime:8.4");
    const shell = packer.pack(object);
    expect(packer.take(shell)).toBe(object);
    const again = packer.take(shell);
    expect(again).not.toBe(object);
    expect(again).toEqual(object);
  });

  it("does not keep a listed object parsed for its handler: take() reads it back from the packed form", () => {
    const packer = new ObjectPacker();
    const object = deployment("blog", "runtime:8.4");
    const shell = packer.pack(structuredClone(object), false);
    const taken = packer.take(shell);
    expect(taken).toEqual(object);
    expect(packer.take(shell)).not.toBe(taken);
  });

  it("reads back an object it did not pack as it is", () => {
    const object = deployment("blog", "runtime:8.4");
    expect(new ObjectPacker().unpack(object)).toBe(object);
    expect(new ObjectPacker().take(object)).toBe(object);
  });
});
