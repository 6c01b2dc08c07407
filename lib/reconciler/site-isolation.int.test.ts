/**
 * Tenant isolation on the real node (issue 8): a pod of one tenant's site can reach neither another
 * tenant's site pod (NetworkPolicy) nor its database (MariaDB grants), while the gateway serves that
 * site. Two customer accounts each get a WordPress site, provisioned for real by the reconciler
 * (install Job, runtime pods, databases on the machine's MariaDB); probe pods then try from inside.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalClusterFacts, readClusterFacts } from "@/cluster/cluster";
import {
  accountNamespace,
  COMPONENT_LABEL,
  MANAGED_BY_LABEL,
  SITE_LABEL,
  siteLabels,
} from "@/lib/k8s/manifests/labels";
import { openSiteSecrets } from "@/lib/services/site/site-secrets";
import { parseConditions } from "@/lib/views";
import { randomName, testKubeConfig, useNamespace } from "@/tests/helpers/cluster";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { type Reconciler, startReconciler } from "./reconciler";
import {
  createCustomerAccount,
  createSiteRow,
  deleteNamespaces,
  dropSiteDatabases,
  eventually,
  randomSlug,
  readHttpRoute,
} from "./test-support";

/** One tenant's site as the probes see it. */
interface Tenant {
  account: { id: string; slug: string };
  siteId: string;
  title: string;
  namespace: string;
  database: { name: string; user: string };
}

const SITE = "blog";

/**
 * What a probe pod reports, as one JSON line. The other site's pod and Service are asked for its
 * front page: "blocked (<error>)" when no connection could be made (each is tried a few times),
 * "reached the site (<status line>)" when the answer is the site's page, "answered (<status line>)"
 * for any other answer (a connection that left the node: this machine's network accepts TCP to any
 * address, so a Service whose rules kube-proxy has not written yet seems "open").
 */
const PROBE = String.raw`
mysqli_report(MYSQLI_REPORT_OFF);
$env = fn (string $k): string => (string) getenv($k);
$tcp = function (string $host, int $port, int $tries): string {
    $m = "";
    for ($i = 0; $i < $tries; $i++) {
        $s = @fsockopen($host, $port, $e, $m, 1);
        if ($s) { fclose($s); return "open"; }
        usleep(500000);
    }
    return "blocked ($m)";
};
[$dbHost, $dbPort] = explode(":", $env("PROBE_DB_HOST")) + [1 => "3306"];
/* A login, retried while the server cannot be reached: a new pod's address joins the policy's
   allowed set only once kube-router has seen the pod. Returns the connection or the error code. */
$login = function (string $user, string $password, ?string $database) use ($dbHost, $dbPort) {
    $code = 0;
    for ($i = 0; $i < 30; $i++) {
        $db = mysqli_init();
        $db->options(MYSQLI_OPT_CONNECT_TIMEOUT, 1);
        if (@$db->real_connect($dbHost, $user, $password, $database, (int) $dbPort)) return $db;
        $code = $db->connect_errno;
        if (!in_array($code, [2002, 2003, 2006, 2013], true)) return $code;
        usleep(500000);
    }
    return $code;
};
$out = [];
if ($env("PROBE_MODE") === "site") {
    $own = $login($env("WORDPRESS_DB_USER"), $env("WORDPRESS_DB_PASSWORD"), $env("WORDPRESS_DB_NAME"));
    $out["own database"] = is_int($own) ? $own : $own->query("SELECT DATABASE()")->fetch_row()[0];
    if (!is_int($own)) {
        $out["use other database"] = $own->select_db($env("OTHER_DB_NAME")) ? "allowed" : $own->errno;
        $out["other tables"] = $own->query("SELECT COUNT(*) FROM " . $env("OTHER_DB_NAME") . ".wp_options") ? "readable" : $own->errno;
        $out["own login into other database"] = (function ($c) { return is_int($c) ? $c : "allowed"; })(
            $login($env("WORDPRESS_DB_USER"), $env("WORDPRESS_DB_PASSWORD"), $env("OTHER_DB_NAME")));
        $out["other user, wrong password"] = (function ($c) { return is_int($c) ? $c : "allowed"; })(
            $login($env("OTHER_DB_USER"), "not-the-password", $env("OTHER_DB_NAME")));
    }
} else {
    $out["database server"] = $tcp($dbHost, (int) $dbPort, 20);
}
$page = function (string $host, int $port, int $tries) use ($env): string {
    $m = "";
    for ($i = 0; $i < $tries; $i++) {
        $s = @fsockopen($host, $port, $e, $m, 1);
        if ($s) {
            stream_set_timeout($s, 5);
            fwrite($s, "GET / HTTP/1.0\r\nHost: " . $env("OTHER_HOST") . "\r\n\r\n");
            $answer = (string) stream_get_contents($s, 1 << 20);
            fclose($s);
            $status = strtok($answer, "\r\n");
            return (str_contains($answer, $env("OTHER_TITLE")) ? "reached the site" : "answered") . " ($status)";
        }
        usleep(500000);
    }
    return "blocked ($m)";
};
$out["other site pod"] = $page($env("OTHER_POD_IP"), 8080, 4);
$out["other site service"] = $page($env("OTHER_SERVICE_IP"), 80, 4);
echo json_encode($out, JSON_UNESCAPED_SLASHES), "\n";
`;

/** What Pod Security `restricted` (enforced in tenant namespaces) demands of a container. */
const RESTRICTED = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  runAsNonRoot: true,
  runAsUser: 33,
  runAsGroup: 33,
  readOnlyRootFilesystem: true,
  seccompProfile: { type: "RuntimeDefault" },
};

function probePod(options: {
  namespace: string;
  image: string;
  labels: Record<string, string>;
  env: Record<string, string>;
  envFromSecret?: string;
}): V1Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: randomName("probe"), namespace: options.namespace, labels: options.labels },
    spec: {
      restartPolicy: "Never",
      automountServiceAccountToken: false,
      containers: [
        {
          name: "main",
          image: options.image,
          imagePullPolicy: "Never",
          command: ["php", "-r", PROBE],
          env: Object.entries(options.env).map(([name, value]) => ({ name, value })),
          ...(options.envFromSecret ? { envFrom: [{ secretRef: { name: options.envFromSecret } }] } : {}),
          securityContext: RESTRICTED,
          resources: {
            requests: { cpu: "10m", memory: "32Mi" },
            limits: { cpu: "250m", memory: "64Mi" },
          },
        },
      ],
    },
  };
}

/** Runs a probe pod to its end and returns the JSON line it printed. */
async function runProbe(core: CoreV1Api, body: V1Pod): Promise<Record<string, unknown>> {
  const namespace = body.metadata?.namespace ?? "";
  const name = body.metadata?.name ?? "";
  await core.createNamespacedPod({ namespace, body });
  const phase = await eventually(
    `probe pod ${namespace}/${name} to finish`,
    async () => {
      const p = await core.readNamespacedPod({ namespace, name });
      const ph = p.status?.phase ?? "";
      if (ph !== "Succeeded" && ph !== "Failed") throw new Error(`pod ${name} is ${ph || "pending"}`);
      return ph;
    },
    120_000,
  );
  const log = String((await core.readNamespacedPodLog({ namespace, name, container: "main" })) as unknown);
  if (phase !== "Succeeded") throw new Error(`probe pod ${name} failed:\n${log}`);
  return JSON.parse(log.trim().split("\n").pop() ?? "") as Record<string, unknown>;
}

/**
 * Probes until the other site's pod is blocked, or 90 s have passed (the last report is returned
 * either way, for the assertion to show). NetworkPolicy is enforced asynchronously: kube-router
 * programs a new pod's rules after it sees the pod and its policies, which lags when it has just
 * processed many changes (the suites before this one create and delete hundreds of pods). Each try
 * is a new probe pod; what the probe finds on the steady state is what the tests assert.
 */
async function runProbeUntilBlocked(core: CoreV1Api, body: () => V1Pod): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const report = await runProbe(core, body());
    const pod = String(report["other site pod"] ?? "");
    if (pod.startsWith("blocked") || Date.now() > deadline) return report;
    process.stderr.write(`[isolation] not enforced yet (${pod}); probing again\n`);
  }
}

/** GET / from this machine with a Host header (fetch does not let one set Host). */
function getPage(address: string, port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time (no keep-alive agent): one made before kube-proxy wrote a
    // Service's rules goes elsewhere (see PROBE) and must not be reused.
    const req = http.get({ host: address, port, path: "/", headers: { host }, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(15_000, () =>
      req.destroy(new Error(`GET http://${host}/ via ${address}:${port} timed out`)),
    );
    req.on("error", reject);
  });
}

/** Polls until `address:port` answers 200 with the page holding `text`; returns the page. */
function eventuallyServes(what: string, address: string, port: number, host: string, text: string) {
  return eventually(
    what,
    async () => {
      const res = await getPage(address, port, host);
      if (res.status !== 200 || !res.body.includes(text)) {
        throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
      }
      return res.body;
    },
    90_000,
  );
}

describe("tenant isolation on the real node", () => {
  const stranger = useNamespace("np-stranger");
  let facts: LocalClusterFacts;
  let kc: KubeConfig;
  let db: TestDatabase;
  let reconciler: Reconciler | undefined;
  const tenants: Tenant[] = [];
  /** A's site pod and Service, and the Host its pages answer to: what B's site must not reach. */
  let target = { podIp: "", serviceIp: "", host: "" };
  let siteImage = "";

  beforeAll(async () => {
    const read = readClusterFacts();
    if (!read?.realNode) throw new Error("These tests need the local cluster's real node (Linux, root).");
    facts = read;
    kc = testKubeConfig();
    db = await createTestDatabase();
    for (const letter of ["a", "b"]) {
      const account = await createCustomerAccount(db.prisma, randomSlug(`iso${letter}`));
      const site = await createSiteRow(db.prisma, {
        accountId: account.id,
        name: SITE,
        domain: `${account.slug}.example.test`,
      });
      // A title only this site's front page shows (set before the reconciler first sees the site).
      const title = `Isolation ${letter.toUpperCase()} ${randomBytes(3).toString("hex")}`;
      const row = await db.prisma.site.update({
        where: { id: site.id },
        data: { title },
        select: { secretsCiphertext: true },
      });
      const { name, user } = openSiteSecrets(row.secretsCiphertext).database;
      tenants.push({
        account,
        siteId: site.id,
        title,
        namespace: accountNamespace(account.slug),
        database: { name, user },
      });
    }
    reconciler = await startReconciler({
      prisma: db.prisma,
      kubeConfig: kc,
      pollIntervalMs: 500,
      backoff: { baseDelayMs: 500, maxDelayMs: 5_000 },
    });
  });

  afterAll(async () => {
    await reconciler?.stop();
    if (kc)
      await deleteNamespaces(
        kc,
        tenants.map((t) => t.namespace),
      );
    if (db) await dropSiteDatabases(db.prisma);
    await db?.drop();
  });

  const tenant = (i: 0 | 1): Tenant => {
    const t = tenants[i];
    if (!t) throw new Error("the tenants exist only once beforeAll ran");
    return t;
  };

  /**
   * The control for every "blocked": the node itself (which policies always admit, for the
   * kubelet's probes) gets A's page from its pod, and A's Service lists that pod as a ready
   * endpoint, so the pod serves and the Service leads to it.
   */
  async function expectTargetServes(): Promise<void> {
    expect(target.podIp).not.toBe("");
    const { title, namespace } = tenant(0);
    await eventuallyServes("A's pod to serve its page to the node", target.podIp, 8080, target.host, title);
    const discovery = kc.makeApiClient(DiscoveryV1Api);
    await eventually(
      "A's Service to list the pod as a ready endpoint",
      async () => {
        const slices = await discovery.listNamespacedEndpointSlice({
          namespace,
          labelSelector: `kubernetes.io/service-name=${SITE}`,
        });
        const ready = slices.items.flatMap((s) =>
          (s.endpoints ?? []).filter((e) => e.conditions?.ready).flatMap((e) => e.addresses),
        );
        return ready.includes(target.podIp) ? true : undefined;
      },
      90_000,
    );
  }

  it("runs both tenants' WordPress sites, and the gateway serves each one's front page", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await eventually(
      "both sites RUNNING",
      async () => {
        for (const t of tenants) {
          const s = await db.prisma.site.findUniqueOrThrow({ where: { id: t.siteId } });
          if (s.phase !== "RUNNING") {
            const conditions = parseConditions(s.conditions)
              .filter((c) => c.status !== "False" || c.type === "Ready")
              .map((c) => `${c.type}=${c.status} ${c.reason ?? ""}: ${c.message ?? ""}`);
            throw new Error(`${t.namespace}/${SITE} is ${s.phase} (${conditions.join("; ")})`);
          }
        }
        return true;
      },
      480_000,
    );

    // Through the gateway: Traefik is the only peer the tenants' ingress policies admit.
    const gateway = new URL(facts.gatewayUrl ?? "http://localhost:8080");
    const port = Number(gateway.port || 80);
    const hosts: string[] = [];
    for (const t of tenants) {
      const route = await readHttpRoute(kc, SITE, t.namespace);
      const host = route.hostnames.find((h) => h.endsWith(`.${gateway.hostname}`)) ?? "";
      expect(host).toBe(`${SITE}-${t.account.slug}.${gateway.hostname}`);
      hosts.push(`${host}:${port}`);
      const page = await eventuallyServes(
        `the gateway to serve ${host}`,
        "127.0.0.1",
        port,
        `${host}:${port}`,
        t.title,
      );
      expect(page).toContain(`<title>${t.title}`);
      expect(page).toMatch(/<meta name="generator" content="WordPress /);
      const other = tenants.find((o) => o !== t);
      expect(page).not.toContain(other?.title ?? "(no other tenant)");
    }

    const a = tenant(0);
    const pods = await core.listNamespacedPod({
      namespace: a.namespace,
      labelSelector: `${SITE_LABEL}=${a.siteId},${COMPONENT_LABEL}=web`,
    });
    expect(pods.items).toHaveLength(1);
    const service = await core.readNamespacedService({ name: SITE, namespace: a.namespace });
    target = {
      podIp: pods.items[0]?.status?.podIP ?? "",
      serviceIp: service.spec?.clusterIP ?? "",
      host: hosts[0] ?? "",
    };
    expect(target.podIp).toMatch(/^10\.244\./);
    expect(target.serviceIp).toMatch(/^10\.96\./);
    await expectTargetServes();
    const deployment = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: SITE, namespace: tenant(1).namespace });
    siteImage = deployment.spec?.template.spec?.containers[0]?.image ?? "";
    expect(siteImage).toMatch(/^sitepod\.local\/runtime:php/);
  }, 600_000);

  it("keeps another tenant's site pod away from the site's pod, its Service and its database", async () => {
    await expectTargetServes();
    const a = tenant(0);
    const b = tenant(1);
    const core = kc.makeApiClient(CoreV1Api);
    // An attacker's code would run in B's own site: its labels (which the policies select on, but
    // not managed-by, which Sitepod's informers watch) and its Secret with B's database login.
    const { [MANAGED_BY_LABEL]: _managed, ...labels } = siteLabels({
      siteId: b.siteId,
      accountId: b.account.id,
      name: SITE,
    });
    const report = await runProbeUntilBlocked(core, () =>
      probePod({
        namespace: b.namespace,
        image: siteImage,
        labels: { ...labels, [COMPONENT_LABEL]: "probe" },
        envFromSecret: `${SITE}-env`,
        env: {
          PROBE_MODE: "site",
          PROBE_DB_HOST: facts.siteDbHost ?? "",
          OTHER_POD_IP: target.podIp,
          OTHER_SERVICE_IP: target.serviceIp,
          OTHER_HOST: target.host,
          OTHER_TITLE: a.title,
          OTHER_DB_NAME: a.database.name,
          OTHER_DB_USER: a.database.user,
        },
      }),
    );
    expect(report).toEqual({
      // The probe's own login works: it does reach the database server.
      "own database": b.database.name,
      // ER_DBACCESS_DENIED_ERROR: B's user has no grant on A's database.
      "use other database": 1044,
      // ER_TABLEACCESS_DENIED_ERROR on A's WordPress options.
      "other tables": 1142,
      "own login into other database": 1044,
      // ER_ACCESS_DENIED_ERROR
      "other user, wrong password": 1045,
      "other site pod": expect.stringMatching(/^blocked/),
      // Through the Service: never the site's page, whichever way the connection went.
      "other site service": expect.not.stringMatching(/^reached the site/),
    });
  }, 240_000);

  it("keeps a pod of a namespace without any policy away from the site's pod (the site's own ingress policy)", async () => {
    await expectTargetServes();
    const core = kc.makeApiClient(CoreV1Api);
    const report = await runProbeUntilBlocked(core, () =>
      probePod({
        namespace: stranger.name,
        image: siteImage,
        labels: { app: "probe" },
        env: {
          PROBE_MODE: "stranger",
          PROBE_DB_HOST: facts.siteDbHost ?? "",
          OTHER_POD_IP: target.podIp,
          OTHER_SERVICE_IP: target.serviceIp,
          OTHER_HOST: target.host,
          OTHER_TITLE: tenant(0).title,
        },
      }),
    );
    expect(report).toEqual({
      // Nothing restricts this namespace's egress: the probe does reach other addresses.
      "database server": "open",
      "other site pod": expect.stringMatching(/^blocked/),
      "other site service": expect.not.stringMatching(/^reached the site/),
    });
  }, 240_000);
});
