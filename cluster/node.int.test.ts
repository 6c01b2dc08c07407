/**
 * The local cluster's real node runs containers for real: logs come from a process, Service names
 * resolve through CoreDNS, pods reach the API server through the kubernetes Service, NetworkPolicies
 * are enforced (kube-router), Traefik routes an HTTPRoute from the loopback gateway port, and the
 * kwok nodes take only pods that tolerate them.
 */
import http from "node:http";
import { CoreV1Api, KubernetesObjectApi, NetworkingV1Api, type V1Pod } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import { randomName, useNamespace } from "../tests/helpers/cluster";
import { eventually } from "../tests/helpers/eventually";
import { GATEWAY_NAME, GATEWAY_NAMESPACE, KWOK_TOLERATION } from "./addons";
import { type LocalClusterFacts, readClusterFacts } from "./cluster";
import { NODE_IP, NODE_NAME, REAL_NODE_LABEL } from "./node";

let facts: LocalClusterFacts;
let image: string;

beforeAll(() => {
  const read = readClusterFacts();
  if (!read?.realNode) throw new Error("These tests need the local cluster's real node (Linux, root).");
  facts = read;
  const runtime = facts.runtimes[0];
  if (!runtime) throw new Error("The local cluster registered no runtime image.");
  image = runtime.image;
});

const restricted = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  runAsNonRoot: true,
  runAsUser: 33,
  runAsGroup: 33,
  seccompProfile: { type: "RuntimeDefault" },
};

function pod(namespace: string, name: string, script: string, labels: Record<string, string> = {}): V1Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { app: name, ...labels } },
    spec: {
      restartPolicy: "Never",
      automountServiceAccountToken: false,
      containers: [
        {
          name: "main",
          image,
          imagePullPolicy: "Never",
          command: ["sh", "-c", script],
          securityContext: restricted,
          resources: { requests: { cpu: "10m", memory: "16Mi" } },
        },
      ],
    },
  };
}

async function runToCompletion(core: CoreV1Api, body: V1Pod): Promise<{ phase: string; log: string }> {
  const namespace = body.metadata?.namespace ?? "";
  const name = body.metadata?.name ?? "";
  await core.createNamespacedPod({ namespace, body });
  const phase = await eventually(
    `pod ${name} to finish`,
    async () => {
      const p = await core.readNamespacedPod({ namespace, name });
      const ph = p.status?.phase ?? "";
      if (ph !== "Succeeded" && ph !== "Failed") throw new Error(`pod ${name} is ${ph}`);
      return ph;
    },
    90_000,
  );
  const log = await core.readNamespacedPodLog({ namespace, name, container: "main" });
  return { phase, log: String(log as unknown) };
}

async function serve(core: CoreV1Api, namespace: string, name: string): Promise<string> {
  const body = pod(
    namespace,
    name,
    'mkdir -p /tmp/www && echo "hello from $HOSTNAME" > /tmp/www/index.html && exec php -S 0.0.0.0:8080 -t /tmp/www',
  );
  if (body.spec) body.spec.restartPolicy = "Always";
  const c = body.spec?.containers[0];
  if (c) c.readinessProbe = { tcpSocket: { port: 8080 }, periodSeconds: 1 };
  await core.createNamespacedPod({ namespace, body });
  return eventually(
    `pod ${name} to be ready`,
    async () => {
      const p = await core.readNamespacedPod({ namespace, name });
      const ready = p.status?.conditions?.some((x) => x.type === "Ready" && x.status === "True");
      if (!ready || !p.status?.podIP) throw new Error(`pod ${name} not ready`);
      return p.status.podIP;
    },
    90_000,
  );
}

/** GET / from the loopback gateway port with a Host header (fetch does not let one set Host). */
function getVia(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", headers: { host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
  });
}

/**
 * A client that tries for up to 10 s: a new pod's address joins a policy's allowed set only once
 * kube-router has seen the pod, which may be just after its container starts.
 */
const probe = (ip: string) =>
  `php -r 'for ($i = 0; $i < 20; $i++) { $s = @fsockopen("${ip}", 8080, $e, $m, 1); if ($s) { echo "open\n"; exit(0); } usleep(500000); } echo "blocked: $m\n";'`;

describe("the real node", () => {
  const ns = useNamespace("node");

  it("runs a container for real: its output comes back as logs", async () => {
    const core = ns.kc.makeApiClient(CoreV1Api);
    const result = await runToCompletion(core, pod(ns.name, "hello", "php -r 'echo 6*7, PHP_EOL;' && id -u"));
    expect(result.phase).toBe("Succeeded");
    expect(result.log.trim().split("\n")).toEqual(["42", "33"]);
    const p = await core.readNamespacedPod({ namespace: ns.name, name: "hello" });
    expect(p.spec?.nodeName).toBe(NODE_NAME);
  });

  it("resolves Service names through CoreDNS and reaches the API server through the kubernetes Service", async () => {
    const core = ns.kc.makeApiClient(CoreV1Api);
    const script = [
      `php -r 'echo gethostbyname("kubernetes.default.svc.cluster.local"), PHP_EOL;'`,
      // Any HTTP answer (401 without credentials) proves TLS and routing to the API server work.
      `php -r '$c = curl_init("https://kubernetes.default.svc/version"); curl_setopt($c, CURLOPT_RETURNTRANSFER, true); curl_setopt($c, CURLOPT_SSL_VERIFYPEER, false); curl_exec($c); echo curl_getinfo($c, CURLINFO_HTTP_CODE), PHP_EOL;'`,
    ].join(" && ");
    const result = await runToCompletion(core, pod(ns.name, "dns", script));
    const [address, status] = result.log.trim().split("\n");
    expect(address).toBe("10.96.0.1");
    expect(["200", "401", "403"]).toContain(status);
  });

  it("keeps pods off the tainted kwok nodes unless they tolerate them", async () => {
    const core = ns.kc.makeApiClient(CoreV1Api);
    const nodes = await core.listNode();
    const kwok = nodes.items.filter((n) => n.metadata?.name !== NODE_NAME);
    expect(kwok.length).toBeGreaterThan(0);
    for (const n of kwok) {
      expect(n.spec?.taints).toContainEqual({
        key: KWOK_TOLERATION.key,
        value: KWOK_TOLERATION.value,
        effect: "NoSchedule",
      });
    }
    const real = nodes.items.find((n) => n.metadata?.name === NODE_NAME);
    expect(real?.metadata?.labels?.[REAL_NODE_LABEL.key]).toBe(REAL_NODE_LABEL.value);
    expect(real?.status?.addresses).toContainEqual({ type: "InternalIP", address: NODE_IP });

    const body = pod(ns.name, "simulated", "true");
    if (body.spec) {
      body.spec.tolerations = [{ ...KWOK_TOLERATION }];
      body.spec.nodeSelector = { type: "kwok" };
    }
    await core.createNamespacedPod({ namespace: ns.name, body });
    const placed = await eventually("the tolerating pod to be scheduled", async () => {
      const p = await core.readNamespacedPod({ namespace: ns.name, name: "simulated" });
      if (!p.spec?.nodeName) throw new Error("not scheduled yet");
      return p.spec.nodeName;
    });
    expect(placed).not.toBe(NODE_NAME);
  });
});

describe("NetworkPolicy on the real node", () => {
  const server = useNamespace("np-server");
  const other = useNamespace("np-other");

  it("stops a connection a policy denies and lets the allowed one through", async () => {
    const core = server.kc.makeApiClient(CoreV1Api);
    const ip = await serve(core, server.name, "web");

    // Before any policy: open from another namespace.
    const before = await runToCompletion(core, pod(other.name, "probe-before", probe(ip)));
    expect(before.log.trim()).toBe("open");

    const net = server.kc.makeApiClient(NetworkingV1Api);
    await net.createNamespacedNetworkPolicy({
      namespace: server.name,
      body: {
        metadata: { name: "only-friends" },
        spec: {
          podSelector: { matchLabels: { app: "web" } },
          policyTypes: ["Ingress"],
          ingress: [{ _from: [{ podSelector: { matchLabels: { role: "friend" } } }] }],
        },
      },
    });
    // kube-router applies policies asynchronously: wait until a stranger is refused.
    await eventually(
      "the policy to refuse a stranger",
      async () => {
        const name = randomName("probe");
        const r = await runToCompletion(core, pod(other.name, name, probe(ip)));
        if (!r.log.startsWith("blocked")) throw new Error(`still ${r.log.trim()}`);
        return true;
      },
      90_000,
    );
    const stranger = await runToCompletion(core, pod(server.name, "stranger", probe(ip)));
    expect(stranger.log).toMatch(/^blocked/);
    // A new pod's address joins the policy's allowed set when kube-router sees the pod: the first
    // connection of a pod that starts within a second of its creation may come before that.
    const friend = await eventually(
      "a pod the policy admits to connect",
      async () => {
        const r = await runToCompletion(
          core,
          pod(server.name, randomName("friend"), probe(ip), { role: "friend" }),
        );
        if (r.log.trim() !== "open") throw new Error(r.log.trim());
        return r.log.trim();
      },
      60_000,
    );
    expect(friend).toBe("open");
  });
});

describe("the local gateway", () => {
  const ns = useNamespace("gw");

  it("serves an HTTPRoute attached to the Gateway at <host>.localhost on the loopback port", async () => {
    const core = ns.kc.makeApiClient(CoreV1Api);
    await serve(core, ns.name, "site");
    // The Gateway admits routes from namespaces Sitepod manages.
    const namespace = await core.readNamespace({ name: ns.name });
    namespace.metadata = {
      ...namespace.metadata,
      labels: { ...namespace.metadata?.labels, "app.kubernetes.io/managed-by": "sitepod" },
    };
    await core.replaceNamespace({ name: ns.name, body: namespace });
    await core.createNamespacedService({
      namespace: ns.name,
      body: {
        metadata: { name: "site" },
        spec: { selector: { app: "site" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
      },
    });
    const host = `${ns.name}.localhost`;
    await KubernetesObjectApi.makeApiClient(ns.kc).create({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "site", namespace: ns.name },
      spec: {
        parentRefs: [{ name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE }],
        hostnames: [host],
        rules: [{ backendRefs: [{ name: "site", port: 80 }] }],
      },
    } as never);
    const port = Number(new URL(facts.gatewayUrl ?? "http://localhost:8080").port);
    const body = await eventually(
      "the route to serve",
      async () => {
        const res = await getVia(port, host);
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        return res.body;
      },
      60_000,
    );
    expect(body).toMatch(/^hello from site/);
    const unknown = await getVia(port, "nobody.localhost");
    expect(unknown.status).toBe(404);
  });
});
