import { describe, expect, it } from "vitest";
import { ACCOUNT_LABEL, SITE_LABEL } from "./labels";
import { buildSiteDeployment, buildSiteIngress } from "./site";
import {
  buildSuspendedPageObjects,
  SUSPENDED_HTML,
  SUSPENDED_NGINX_CONF,
  SUSPENDED_PAGE_NAME,
} from "./suspended-page";
import { exampleSettings, exampleSiteSpec } from "./test-fixtures";

const account = { accountId: "acct456", accountSlug: "acme" };
const root = { uid: "u" };

interface ServiceShape {
  spec: { selector: Record<string, string> };
}
interface DeploymentShape {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] } };
  };
}
interface IngressShape {
  spec: { rules: { host: string; http: { paths: { backend: { service: { name: string } } }[] } }[] };
}

function backends(obj: unknown): string[] {
  return (obj as IngressShape).spec.rules.flatMap((r) => r.http.paths.map((p) => p.backend.service.name));
}

describe("suspended page", () => {
  const objects = buildSuspendedPageObjects(account, exampleSettings);

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

  it("runs nginx-unprivileged, selected by the Service", () => {
    const deployment = objects.find((o) => o.kind === "Deployment") as unknown as DeploymentShape;
    const service = objects.find((o) => o.kind === "Service") as unknown as ServiceShape;
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec.containers[0]?.image).toBe(exampleSettings.nginxImage);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
  });
});

describe("a site of a suspended account", () => {
  it("scales to zero and sends its hostnames to the suspended page", () => {
    const spec = exampleSiteSpec({ suspended: true });
    const deployment = buildSiteDeployment(spec, exampleSettings, root) as unknown as DeploymentShape;
    expect(deployment.spec.replicas).toBe(0);
    const ingress = buildSiteIngress(spec, exampleSettings, root);
    expect(backends(ingress)).toEqual([SUSPENDED_PAGE_NAME, SUSPENDED_PAGE_NAME]);
  });

  it("gets its replica and its own backend back when unsuspended", () => {
    const spec = exampleSiteSpec({ suspended: false });
    const deployment = buildSiteDeployment(spec, exampleSettings, root) as unknown as DeploymentShape;
    expect(deployment.spec.replicas).toBe(1);
    expect(backends(buildSiteIngress(spec, exampleSettings, root))).toEqual(["blog", "blog"]);
  });
});
