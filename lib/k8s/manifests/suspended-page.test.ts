import { describe, expect, it } from "vitest";
import { ACCOUNT_LABEL, SITE_LABEL } from "./labels";
import { buildSiteHttpRoute, buildSiteIngress } from "./route";
import { buildSiteDeployment } from "./site";
import {
  buildSuspendedDeployment,
  buildSuspendedPageObjects,
  SUSPENDED_HTML,
  SUSPENDED_NGINX_CONF,
  SUSPENDED_PAGE_NAME,
  suspendedPageImage,
} from "./suspended-page";
import {
  exampleIngressSettings,
  examplePageSettings,
  exampleSettings,
  exampleSiteSpec,
} from "./test-fixtures";

const account = { accountId: "acct456", accountSlug: "acme" };
const root = { uid: "u" };

interface ServiceShape {
  spec: { selector: Record<string, string> };
}
interface DeploymentShape {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        securityContext: { runAsUser: number; runAsGroup: number };
        containers: {
          image: string;
          command?: string[];
          volumeMounts: { mountPath: string; subPath?: string }[];
          securityContext: { readOnlyRootFilesystem: boolean };
        }[];
      };
    };
  };
}
interface HttpRouteShape {
  spec: { rules: { backendRefs: { name: string; port: number }[] }[] };
}
interface IngressShape {
  spec: { rules: { host: string; http: { paths: { backend: { service: { name: string } } }[] } }[] };
}

function backends(obj: unknown): string[] {
  return (obj as IngressShape).spec.rules.flatMap((r) => r.http.paths.map((p) => p.backend.service.name));
}

function routeBackends(obj: unknown): string[] {
  return (obj as HttpRouteShape).spec.rules.flatMap((r) => r.backendRefs.map((b) => `${b.name}:${b.port}`));
}

describe("suspended page", () => {
  const objects = buildSuspendedPageObjects(account, examplePageSettings);

  it("is a ConfigMap, Deployment, Service and NetworkPolicy of the account, not of any site", () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      `ConfigMap/${SUSPENDED_PAGE_NAME}`,
      `Deployment/${SUSPENDED_PAGE_NAME}`,
      `Service/${SUSPENDED_PAGE_NAME}`,
      `NetworkPolicy/${SUSPENDED_PAGE_NAME}`,
    ]);
    for (const o of objects) {
      expect(o.metadata.namespace).toBe("sp-acme");
      expect(o.metadata.labels[ACCOUNT_LABEL]).toBe("acct456");
      // A site label would let the site reconciler prune it as one of the site's objects.
      expect(o.metadata.labels[SITE_LABEL]).toBeUndefined();
    }
  });

  it("answers every path with 503 and the unavailable page", () => {
    expect(SUSPENDED_NGINX_CONF).toContain("return 503;");
    expect(SUSPENDED_NGINX_CONF).toContain("error_page 503 /index.html;");
    expect(SUSPENDED_HTML).toContain("This site is temporarily unavailable");
  });

  it("runs nginx of the runtime image as www-data, its server block where the base config includes it", () => {
    const deployment = objects.find((o) => o.kind === "Deployment") as unknown as DeploymentShape;
    const service = objects.find((o) => o.kind === "Service") as unknown as ServiceShape;
    expect(deployment.spec.replicas).toBe(1);
    const pod = deployment.spec.template.spec;
    const [nginx] = pod.containers;
    expect(nginx?.image).toBe("registry.example.test/sitepod/runtime:php8.4");
    expect(nginx?.command).toEqual(["nginx", "-e", "stderr"]);
    expect(pod.securityContext).toMatchObject({ runAsUser: 33, runAsGroup: 33 });
    expect(nginx?.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(nginx?.volumeMounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ mountPath: "/etc/sitepod/nginx/site.conf", subPath: "default.conf" }),
        { name: "tmp", mountPath: "/tmp" },
      ]),
    );
    expect(SUSPENDED_NGINX_CONF).toContain("listen 8080;");
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
  });

  it("runs an nginx-unprivileged image its own way when SITEPOD_NGINX_IMAGE names one", () => {
    const image = suspendedPageImage("nginxinc/nginx-unprivileged:1.29-alpine", "ignored:latest");
    expect(image).toEqual({ kind: "nginx", image: "nginxinc/nginx-unprivileged:1.29-alpine" });
    if (!image) throw new Error("no image");
    const deployment = buildSuspendedDeployment(account, {
      ...examplePageSettings,
      image,
    }) as unknown as DeploymentShape;
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 101 });
    expect(pod.containers[0]?.command).toBeUndefined();
    expect(pod.containers[0]?.volumeMounts.map((m) => m.mountPath)).toContain(
      "/etc/nginx/conf.d/default.conf",
    );
  });

  it("has no image to run without SITEPOD_NGINX_IMAGE and without any runtime image", () => {
    expect(suspendedPageImage(undefined, "runtime:php8.4")).toEqual({
      kind: "runtime",
      image: "runtime:php8.4",
    });
    expect(suspendedPageImage(undefined, undefined)).toBeUndefined();
  });

  it("admits the gateway's pods only", () => {
    const policy = objects.find((o) => o.kind === "NetworkPolicy") as unknown as {
      spec: { ingress: { _from: unknown[] }[] };
    };
    expect(policy.spec.ingress).toEqual([
      {
        _from: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "sitepod-gateway" } },
            podSelector: { matchLabels: { "app.kubernetes.io/name": "traefik" } },
          },
        ],
      },
    ]);
  });
});

describe("a site of a suspended account", () => {
  it("scales to zero and sends its hostnames to the suspended page", () => {
    const spec = exampleSiteSpec({ suspended: true });
    const deployment = buildSiteDeployment(spec, exampleSettings, root) as unknown as DeploymentShape;
    expect(deployment.spec.replicas).toBe(0);
    expect(routeBackends(buildSiteHttpRoute(spec, exampleSettings, root))).toEqual([
      `${SUSPENDED_PAGE_NAME}:80`,
    ]);
    // One rule per hostname: both domains and the platform hostname.
    const ingress = buildSiteIngress(spec, exampleIngressSettings, root);
    expect(backends(ingress)).toEqual([SUSPENDED_PAGE_NAME, SUSPENDED_PAGE_NAME, SUSPENDED_PAGE_NAME]);
  });

  it("gets its replica and its own backend back when unsuspended", () => {
    const spec = exampleSiteSpec({ suspended: false });
    const deployment = buildSiteDeployment(spec, exampleSettings, root) as unknown as DeploymentShape;
    expect(deployment.spec.replicas).toBe(1);
    expect(routeBackends(buildSiteHttpRoute(spec, exampleSettings, root))).toEqual(["blog:80"]);
    expect(backends(buildSiteIngress(spec, exampleIngressSettings, root))).toEqual(["blog", "blog", "blog"]);
  });
});
