import type { V1CronJob, V1Deployment, V1Job, V1Secret } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { renderFpmPool, renderNginxVhost, renderPhpIni } from "./config-files";
import { specHashOf } from "./hash";
import {
  buildInstallJob,
  buildInstallObjects,
  INSTALL_WAIT_CONTAINER,
  INSTALLED_MARKER,
  installJobName,
  wantsInstall,
} from "./install-job";
import { MANAGED_BY_LABEL, SITE_LABEL } from "./labels";
import type { RenderedObject } from "./objects";
import { buildSiteChildren, buildSiteDeployment, primarySiteUrl, siteReplicas } from "./site";
import { exampleSettings, exampleSiteSpec } from "./test-fixtures";
import type { SiteManifestSpec } from "./types";
import { siteHostnames } from "./types";
import { buildWpCronJob, wpCronSchedule } from "./wp-cron";

const root = { uid: "0b1c6f0e-0000-4000-8000-000000000001" };

const pendingInstall = {
  generation: 2,
  completed: false,
  title: "Acme Blog",
  adminUser: "admin",
  adminEmail: "owner@example.com",
  adminPassword: "generated-password-123",
};

function notInstalled(overrides: Partial<SiteManifestSpec> = {}): SiteManifestSpec {
  return exampleSiteSpec({ wordpress: pendingInstall, ...overrides });
}

const asJob = (o: RenderedObject) => o as unknown as V1Job;
const asCron = (o: RenderedObject) => o as unknown as V1CronJob;
const asDeployment = (o: RenderedObject) => o as unknown as V1Deployment;

function decoded(secret: RenderedObject): Record<string, string> {
  const data = (secret as unknown as V1Secret).data ?? {};
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}

describe("the install Job", () => {
  it("is wanted for a WordPress site not installed yet, and not while suspended, once done, or for PHP", () => {
    expect(wantsInstall(notInstalled())).toBe(true);
    expect(wantsInstall(notInstalled({ suspended: true }))).toBe(false);
    expect(wantsInstall(exampleSiteSpec())).toBe(false);
    expect(wantsInstall(exampleSiteSpec({ app: "PHP", wordpress: undefined }))).toBe(false);
    expect(buildInstallObjects(exampleSiteSpec(), root)).toEqual([]);
  });

  it("comes with a Secret of its own holding the install inputs, the admin password among them", () => {
    const [secret, job] = buildInstallObjects(notInstalled(), root);
    expect(secret?.metadata.name).toBe("blog-install");
    expect(decoded(secret as RenderedObject)).toEqual({
      WORDPRESS_TITLE: "Acme Blog",
      WORDPRESS_ADMIN_USER: "admin",
      WORDPRESS_ADMIN_EMAIL: "owner@example.com",
      WORDPRESS_ADMIN_PASSWORD: "generated-password-123",
    });
    expect(job?.metadata.name).toBe("blog-install-2");
  });

  it("is named after its generation, so a retried install is a new Job and a re-render the same one", () => {
    expect(installJobName("blog", 7)).toBe("blog-install-7");
    const a = buildInstallJob(notInstalled(), root);
    expect(buildInstallJob(notInstalled(), root)).toEqual(a);
    expect(specHashOf(a)).toBe(specHashOf(buildInstallJob(notInstalled(), root)));
    const next = notInstalled({ wordpress: { ...pendingInstall, generation: 3 } });
    expect(buildInstallJob(next, root).metadata.name).toBe("blog-install-3");
  });

  it("runs sitepod-wp-install in the runtime image, bounded, restricted, with the volume and both Secrets", () => {
    const job = asJob(buildInstallJob(notInstalled(), root));
    expect(job.spec?.backoffLimit).toBe(2);
    // No Job deadline: Kubernetes would count the wait for a volume or a node against it. The
    // reconciler bounds the install's run from its pod's start (installJobState).
    expect(job.spec?.activeDeadlineSeconds).toBeUndefined();
    // A succeeded Job is left to Kubernetes to remove, long after the reconciler read it.
    expect(job.spec?.ttlSecondsAfterFinished).toBe(7200);
    expect(job.spec?.podFailurePolicy?.rules[0]).toMatchObject({
      action: "FailJob",
      onExitCodes: { containerName: "install", operator: "In", values: [3] },
    });
    const pod = job.spec?.template.spec;
    expect(pod?.restartPolicy).toBe("Never");
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 33, fsGroup: 33 });
    const [c] = pod?.containers ?? [];
    expect(c).toMatchObject({
      name: "install",
      image: "sitepod.local/runtime:php8.3",
      command: ["/usr/local/bin/sitepod-wp-install"],
      envFrom: [{ secretRef: { name: "blog-env" } }, { secretRef: { name: "blog-install" } }],
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
        runAsUser: 33,
      },
    });
    expect(c?.volumeMounts?.map((m) => m.mountPath)).toEqual([
      "/var/www/html",
      "/etc/sitepod/php/zz-sitepod.ini",
      "/tmp",
    ]);
    expect(pod?.volumes?.find((v) => v.name === "files")?.persistentVolumeClaim?.claimName).toBe(
      "blog-files",
    );
    // Its pods are the site's: watched (labelled as Sitepod's), and let reach the database.
    expect(job.spec?.template.metadata?.labels).toMatchObject({
      [MANAGED_BY_LABEL]: "sitepod",
      [SITE_LABEL]: "site123",
      "app.kubernetes.io/name": "sitepod-site",
    });
    expect(job.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "ConfigMap", name: "blog-root" });
  });

  it("is among the site's children while the install is due, after what it mounts", () => {
    const kinds = buildSiteChildren(notInstalled(), exampleSettings, root).map(
      (o) => `${o.kind}/${o.metadata.name}`,
    );
    expect(kinds.slice(-2)).toEqual(["Secret/blog-install", "Job/blog-install-2"]);
    expect(kinds.indexOf("PersistentVolumeClaim/blog-files")).toBeLessThan(
      kinds.indexOf("Job/blog-install-2"),
    );
  });
});

describe("the site's Deployment around the install", () => {
  const kinds = (spec: SiteManifestSpec) => buildSiteChildren(spec, exampleSettings, root).map((o) => o.kind);
  const waitContainer = (spec: SiteManifestSpec) =>
    asDeployment(buildSiteDeployment(spec, exampleSettings, root)).spec?.template.spec?.initContainers?.find(
      (c) => c.name === INSTALL_WAIT_CONTAINER,
    );

  it("starts the site's pod next to the install when the plan has room for both, the cron only once installed", () => {
    const installing = kinds(notInstalled());
    expect(installing).toEqual(expect.arrayContaining(["Deployment", "Job"]));
    expect(installing).not.toContain("CronJob");
    expect(kinds(exampleSiteSpec())).toEqual(expect.arrayContaining(["Deployment", "CronJob"]));
    expect(kinds(exampleSiteSpec())).not.toContain("Job");
  });

  it("runs no pod until WordPress is installed when the plan has no room for a second pod", () => {
    // Recreate: the quota has room for one pod of the site, so the install goes first.
    expect(kinds(notInstalled({ rollout: "Recreate" }))).not.toContain("Deployment");
    expect(kinds(notInstalled({ rollout: "Recreate" }))).toContain("Job");
    expect(kinds(exampleSiteSpec({ rollout: "Recreate" }))).toContain("Deployment");
  });

  it("holds a WordPress site's pods until the install's marker is there or no install is pending", () => {
    const wait = waitContainer(notInstalled());
    const script = wait?.command?.join(" ") ?? "";
    expect(script).toContain(`/var/www/html/${INSTALLED_MARKER}`);
    expect(script).toContain("/run/sitepod/install/pending");
    // The files read-only; of the install Secret, only the admin's user name, and optional.
    expect(wait?.volumeMounts?.find((m) => m.mountPath === "/var/www/html")?.readOnly).toBe(true);
    const volumes = asDeployment(buildSiteDeployment(notInstalled(), exampleSettings, root)).spec?.template
      .spec?.volumes;
    expect(volumes?.find((v) => v.name === "install-pending")?.secret).toEqual({
      secretName: "blog-install",
      optional: true,
      items: [{ key: "WORDPRESS_ADMIN_USER", path: "pending" }],
    });
    // Small enough that the pod's quota charge stays that of its own containers.
    expect(wait?.resources?.limits).toEqual({ cpu: "100m", memory: "32Mi" });
    // The same pod template installed or not: recording the install rolls nothing.
    const template = (spec: SiteManifestSpec) =>
      asDeployment(buildSiteDeployment(spec, exampleSettings, root)).spec?.template;
    expect(template(notInstalled())).toEqual(
      template(exampleSiteSpec({ wordpress: { ...pendingInstall, completed: true } })),
    );
    expect(specHashOf(buildSiteDeployment(notInstalled(), exampleSettings, root))).toBe(
      specHashOf(
        buildSiteDeployment(
          exampleSiteSpec({ wordpress: { ...pendingInstall, completed: true } }),
          exampleSettings,
          root,
        ),
      ),
    );
    // A plain PHP site has nothing to wait for.
    expect(waitContainer(exampleSiteSpec({ app: "PHP", wordpress: undefined }))).toBeUndefined();
  });

  it("places the install pod on the node of the site's pod, or anywhere while there is none", () => {
    const affinity = asJob(buildInstallJob(notInstalled(), root)).spec?.template.spec?.affinity;
    const term = affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0];
    expect(term?.topologyKey).toBe("kubernetes.io/hostname");
    expect(term?.labelSelector?.matchLabels).toEqual({ [SITE_LABEL]: notInstalled().siteId });
    expect(term?.labelSelector?.matchExpressions).toEqual([
      { key: "app.kubernetes.io/component", operator: "In", values: ["web", "install"] },
    ]);
    // The term matches the install pod itself, which is what lets it schedule with no site pod.
    const labels = asJob(buildInstallJob(notInstalled(), root)).spec?.template.metadata?.labels ?? {};
    expect(labels[SITE_LABEL]).toBe(notInstalled().siteId);
    expect(labels["app.kubernetes.io/component"]).toBe("install");
  });

  it("scales to nothing while suspended", () => {
    expect(siteReplicas(exampleSiteSpec())).toBe(1);
    expect(siteReplicas(exampleSiteSpec({ suspended: true }))).toBe(0);
    expect(siteReplicas(exampleSiteSpec({ app: "PHP", wordpress: undefined }))).toBe(1);
    expect(
      asDeployment(buildSiteDeployment(exampleSiteSpec({ suspended: true }), exampleSettings, root)).spec
        ?.replicas,
    ).toBe(0);
  });
});

describe("WordPress cron", () => {
  it("runs every site's wp-cron every five minutes, the sites spread over the five", () => {
    const ids = Array.from({ length: 500 }, (_, i) => `cmsite${i.toString(36).padStart(6, "0")}x`);
    const schedules = ids.map(wpCronSchedule);
    for (const schedule of schedules) expect(schedule).toMatch(/^[0-4]-59\/5 \* \* \* \*$/);
    // The same site always gets the same minute.
    expect(ids.map(wpCronSchedule)).toEqual(schedules);
    // Not every site at the same minute: thousands of Jobs at once would stall the cluster.
    const perOffset = new Map<string, number>();
    for (const s of schedules) perOffset.set(s, (perOffset.get(s) ?? 0) + 1);
    expect(perOffset.size).toBe(5);
    for (const count of perOffset.values()) expect(count).toBeGreaterThan(60);
  });

  it("runs wp-cron.php every five minutes, one run at a time, in the runtime image with the volume", () => {
    const cron = asCron(buildWpCronJob(exampleSiteSpec(), root) as RenderedObject);
    expect(cron.metadata?.name).toBe("blog-wp-cron");
    expect(cron.spec).toMatchObject({
      schedule: wpCronSchedule(exampleSiteSpec().siteId),
      suspend: false,
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 120,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 1,
    });
    const pod = cron.spec?.jobTemplate.spec?.template.spec;
    const [c] = pod?.containers ?? [];
    expect(c).toMatchObject({
      image: "sitepod.local/runtime:php8.3",
      command: ["php", "/var/www/html/wp-cron.php"],
      workingDir: "/var/www/html",
      envFrom: [{ secretRef: { name: "blog-env" } }],
      resources: { requests: { cpu: "25m", memory: "64Mi" } },
      securityContext: { readOnlyRootFilesystem: true, runAsUser: 33 },
    });
    expect(pod?.restartPolicy).toBe("Never");
    expect(pod?.volumes?.find((v) => v.name === "files")?.persistentVolumeClaim?.claimName).toBe(
      "blog-files",
    );
  });

  it("leaves its runs' Jobs and pods unwatched but selectable as site pods", () => {
    const cron = asCron(buildWpCronJob(exampleSiteSpec(), root) as RenderedObject);
    const labels = cron.spec?.jobTemplate.spec?.template.metadata?.labels ?? {};
    expect(labels[MANAGED_BY_LABEL]).toBeUndefined();
    expect(labels).toMatchObject({ [SITE_LABEL]: "site123", "app.kubernetes.io/name": "sitepod-site" });
    expect(cron.spec?.jobTemplate.metadata?.labels?.[MANAGED_BY_LABEL]).toBeUndefined();
    // The CronJob itself is Sitepod's, and goes with the site's root.
    expect(cron.metadata?.labels?.[MANAGED_BY_LABEL]).toBe("sitepod");
  });

  it("is suspended while the account is suspended; none for PHP sites", () => {
    const suspend = (spec: SiteManifestSpec) =>
      asCron(buildWpCronJob(spec, root) as RenderedObject).spec?.suspend;
    expect(suspend(exampleSiteSpec({ suspended: true }))).toBe(true);
    expect(suspend(exampleSiteSpec())).toBe(false);
    expect(buildWpCronJob(exampleSiteSpec({ app: "PHP", wordpress: undefined }), root)).toBeUndefined();
  });
});

describe("site URL and hostnames", () => {
  it("installs for the primary domain, else the platform hostname, with the gateway's port when set", () => {
    expect(primarySiteUrl(exampleSiteSpec())).toBe("https://blog.example.com");
    expect(
      primarySiteUrl(exampleSiteSpec({ domains: [], siteUrlScheme: "http", sitePublicPort: 8080 })),
    ).toBe("http://blog-acme.sites.example.net:8080");
    expect(siteHostnames(exampleSiteSpec({ domains: ["a.test", "blog-acme.sites.example.net"] }))).toEqual([
      "a.test",
      "blog-acme.sites.example.net",
    ]);
  });
});

describe("config files", () => {
  const spec = exampleSiteSpec();

  it("answers readiness through php-fpm with the image's fixed script, out of the access log", () => {
    const vhost = renderNginxVhost(spec);
    const ready = vhost.slice(vhost.indexOf("location = /-/sitepod/ready"));
    const block = ready.slice(0, ready.indexOf("}") + 1);
    expect(block).toContain("access_log off;");
    expect(block).toContain("fastcgi_param SCRIPT_FILENAME /usr/local/share/sitepod/ready.php;");
    expect(block).toContain("fastcgi_pass 127.0.0.1:9000;");
    expect(vhost).toMatch(/location = \/healthz \{\s+access_log off;/);
  });

  it("names every hostname of the site, and tells PHP about HTTPS from the gateway's header", () => {
    const vhost = renderNginxVhost(spec);
    expect(vhost).toContain("server_name blog.example.com www.blog.example.com blog-acme.sites.example.net;");
    expect(vhost).toContain("map $http_x_forwarded_proto $sitepod_https");
    expect(vhost).toContain("fastcgi_param HTTPS $sitepod_https if_not_empty;");
    expect(vhost).toContain('fastcgi_param HTTP_PROXY "";');
  });

  it("listens on loopback for nginx only, keeps the environment for wp-config.php, logs to stderr", () => {
    const pool = renderFpmPool(spec);
    expect(pool).toContain("listen = 127.0.0.1:9000");
    expect(pool).toContain("clear_env = no");
    expect(pool).not.toMatch(/^user\s*=/m);
    const ini = renderPhpIni(spec);
    expect(ini).toContain("error_log = /proc/self/fd/2");
    // The root filesystem is read-only: sessions and uploads go to /tmp.
    expect(ini).toContain("session.save_path = /tmp");
    expect(ini).toContain("upload_tmp_dir = /tmp");
  });
});
