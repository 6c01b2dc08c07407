/** The site's settings as rendered into php.ini, the env Secret, the Deployment and the PVC. */
import type { V1Deployment, V1PersistentVolumeClaim, V1Secret } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { siteContainerResources } from "@/lib/quota/site-footprint";
import { DEFAULT_PHP_SETTINGS } from "@/lib/validation/site-settings";
import { renderNginxVhost, renderPhpIni } from "./config-files";
import { CONFIG_CHECKSUM_ANNOTATION } from "./labels";
import { buildSiteDeployment, buildSitePvc, buildSiteSecret } from "./site";
import { exampleSettings, exampleSiteSpec } from "./test-fixtures";
import { DEFAULT_PHP } from "./types";

const root = { uid: "root-uid" };

function decoded(secret: V1Secret): Record<string, string> {
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}

describe("php.ini", () => {
  it("keeps today's values for a site without settings", () => {
    const ini = renderPhpIni(exampleSiteSpec());
    for (const line of [
      "memory_limit = 256M",
      "upload_max_filesize = 64M",
      "post_max_size = 64M",
      "max_execution_time = 60",
      "max_input_vars = 1000",
      'date.timezone = "UTC"',
      "display_errors = Off",
      "opcache.enable = 1",
    ]) {
      expect(ini).toContain(`${line}\n`);
    }
  });

  it("renders every setting", () => {
    const php = {
      ...DEFAULT_PHP,
      memoryLimit: "512M",
      uploadMaxFilesize: "100M",
      postMaxSize: "120M",
      maxExecutionTime: 300,
      maxInputVars: 5000,
      opcache: false,
      displayErrors: true,
      timezone: "Europe/Paris",
    };
    const spec = exampleSiteSpec({ php });
    const ini = renderPhpIni(spec);
    for (const line of [
      "memory_limit = 512M",
      "upload_max_filesize = 100M",
      "post_max_size = 120M",
      "max_execution_time = 300",
      "max_input_vars = 5000",
      'date.timezone = "Europe/Paris"',
      "display_errors = On",
      "opcache.enable = 0",
    ]) {
      expect(ini).toContain(`${line}\n`);
    }
    // nginx must let through what PHP accepts: a post, not just one file.
    expect(renderNginxVhost(spec)).toContain("client_max_body_size 120M;");
  });

  it("rolls the pods when a PHP setting changes", () => {
    const checksum = (timezone: string) =>
      (
        buildSiteDeployment(
          exampleSiteSpec({ php: { ...DEFAULT_PHP, timezone } }),
          exampleSettings,
          root,
        ) as V1Deployment
      ).spec?.template.metadata?.annotations?.[CONFIG_CHECKSUM_ANNOTATION];
    expect(checksum("UTC")).not.toBe(checksum("Europe/Paris"));
  });
});

describe("environment variables", () => {
  it("puts the site's variables into its env Secret, never over what Sitepod sets", () => {
    const spec = exampleSiteSpec({ env: { API_URL: "https://api.test", API_KEY: "k3y" } });
    const env = decoded(buildSiteSecret(spec, root) as V1Secret);
    expect(env).toMatchObject({ API_URL: "https://api.test", API_KEY: "k3y", WORDPRESS_DB_NAME: "wp_blog" });
    const php = decoded(
      buildSiteSecret(
        exampleSiteSpec({ app: "PHP", wordpress: undefined, env: { MODE: "prod" } }),
        root,
      ) as V1Secret,
    );
    expect(php).toMatchObject({ MODE: "prod", DB_NAME: "wp_blog" });
  });

  it("rolls the pods when a variable changes, without putting its value in the Deployment", () => {
    const deployment = (value: string) =>
      buildSiteDeployment(
        exampleSiteSpec({ env: { API_KEY: value } }),
        exampleSettings,
        root,
      ) as V1Deployment;
    const a = deployment("first-value");
    const b = deployment("second-value");
    expect(a.spec?.template.metadata?.annotations).not.toEqual(b.spec?.template.metadata?.annotations);
    expect(JSON.stringify(a)).not.toContain("first-value");
  });
});

describe("resources", () => {
  it("renders the PHP container's CPU and memory from the settings, limits at the quota's burst", () => {
    const spec = exampleSiteSpec({
      resources: siteContainerResources({ cpuMillicores: 500, memoryMiB: 1024 }),
    });
    const deployment = buildSiteDeployment(spec, exampleSettings, root) as V1Deployment;
    const php = deployment.spec?.template.spec?.containers.find((c) => c.name === "php");
    expect(php?.resources).toEqual({
      requests: { cpu: "500m", memory: "512Mi" },
      limits: { cpu: "2000m", memory: "1024Mi" },
    });
  });

  it("sizes the files volume from the settings", () => {
    const pvc = buildSitePvc(
      exampleSiteSpec({ storageSize: "12Gi" }),
      exampleSettings,
      root,
    ) as V1PersistentVolumeClaim;
    expect(pvc.spec?.resources?.requests).toEqual({ storage: "12Gi" });
  });

  it("runs the replicas asked for, none while suspended", () => {
    const replicas = (overrides: Parameters<typeof exampleSiteSpec>[0]) =>
      (buildSiteDeployment(exampleSiteSpec(overrides), exampleSettings, root) as V1Deployment).spec?.replicas;
    expect(replicas({ replicas: 1 })).toBe(1);
    expect(replicas({ replicas: 2, app: "PHP", wordpress: undefined })).toBe(2);
    expect(replicas({ replicas: 2, suspended: true })).toBe(0);
  });
});

describe("rollout", () => {
  it("rolls without an outage, keeping the new pod on the node of the ReadWriteOnce volume", () => {
    const deployment = buildSiteDeployment(exampleSiteSpec(), exampleSettings, root) as V1Deployment;
    expect(deployment.spec?.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(
      deployment.spec?.template.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
    ).toEqual([
      {
        labelSelector: { matchLabels: deployment.spec?.selector.matchLabels },
        topologyKey: "kubernetes.io/hostname",
      },
    ]);
  });

  it("recreates when the plan has no room for a second pod", () => {
    const deployment = buildSiteDeployment(
      exampleSiteSpec({ rollout: "Recreate" }),
      exampleSettings,
      root,
    ) as V1Deployment;
    expect(deployment.spec?.strategy).toEqual({ type: "Recreate" });
    expect(deployment.spec?.template.spec?.affinity).toBeUndefined();
  });
});

describe("defaults", () => {
  it("are today's php.ini", () => {
    expect(DEFAULT_PHP).toMatchObject(DEFAULT_PHP_SETTINGS);
  });
});
