import { describe, expect, it } from "vitest";
import { buildAccountObjects, buildNamespace, buildServiceAccount } from "./account";
import { contentHash, specHashOf, stableStringify, withSpecHash } from "./hash";
import {
  ACCOUNT_LABEL,
  CONFIG_CHECKSUM_ANNOTATION,
  MANAGED_BY_LABEL,
  SITE_LABEL,
  SITE_SERVICE_ACCOUNT,
  SPEC_HASH_ANNOTATION,
} from "./labels";
import type { RenderedObject } from "./objects";
import { buildSiteChildren, buildSiteDeployment, buildSiteRoot } from "./site";
import { exampleIngressSettings, exampleNetwork, exampleSettings, exampleSiteSpec } from "./test-fixtures";

const root = { uid: "0b1c6f0e-0000-4000-8000-000000000001" };

interface ContainerShape {
  name: string;
  image: string;
  imagePullPolicy: string;
  command: string[];
  volumeMounts: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  securityContext: Record<string, unknown>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
}
interface DeploymentShape {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: {
        serviceAccountName: string;
        automountServiceAccountToken: boolean;
        securityContext: Record<string, unknown>;
        containers: ContainerShape[];
        volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[];
      };
    };
  };
}

function deploymentOf(obj: RenderedObject): DeploymentShape {
  return obj as unknown as DeploymentShape;
}

describe("stableStringify and spec hashes", () => {
  it("ignores key order and undefined fields", () => {
    expect(stableStringify({ b: 1, a: [2, { d: undefined, c: "x" }] })).toBe('{"a":[2,{"c":"x"}],"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
  });

  it("hashes the content without its own annotation, so re-stamping is stable", () => {
    const obj = { metadata: { name: "x", annotations: { keep: "1" } }, data: { a: "b" } };
    const once = withSpecHash(obj);
    const twice = withSpecHash(once);
    expect(specHashOf(once)).toMatch(/^[0-9a-f]{20}$/);
    expect(specHashOf(twice)).toBe(specHashOf(once));
    expect(once.metadata.annotations.keep).toBe("1");
    expect(specHashOf(withSpecHash({ ...obj, data: { a: "c" } }))).not.toBe(specHashOf(once));
  });
});

describe("account objects", () => {
  it("renders a restricted namespace named after the account slug", () => {
    const ns = buildNamespace({ accountId: "acct456", accountSlug: "acme" });
    expect(ns.metadata.name).toBe("sp-acme");
    expect(ns.metadata.labels).toMatchObject({
      [MANAGED_BY_LABEL]: "sitepod",
      [ACCOUNT_LABEL]: "acct456",
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
    });
    expect(ns.metadata.annotations[SPEC_HASH_ANNOTATION]).toBeDefined();
  });

  it("renders a ServiceAccount without a mounted token", () => {
    const sa = buildServiceAccount({ accountId: "acct456", accountSlug: "acme" });
    expect(sa).toMatchObject({
      kind: "ServiceAccount",
      metadata: { name: SITE_SERVICE_ACCOUNT, namespace: "sp-acme" },
      automountServiceAccountToken: false,
    });
    expect(
      buildAccountObjects({ accountId: "a", accountSlug: "b" }, exampleNetwork).map((o) => o.kind),
    ).toEqual([
      "Namespace",
      "ServiceAccount",
      "NetworkPolicy",
      "NetworkPolicy",
      "NetworkPolicy",
      "NetworkPolicy",
    ]);
  });
});

describe("site objects", () => {
  const spec = exampleSiteSpec();

  it("renders the root and every child with labels, owner reference and a spec hash", () => {
    const rootObj = buildSiteRoot(spec);
    expect(rootObj.metadata).toMatchObject({ name: "blog-root", namespace: "sp-acme" });
    expect(rootObj.metadata.ownerReferences).toBeUndefined();

    const children = buildSiteChildren(spec, exampleSettings, root);
    expect(children.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Secret/blog-env",
      "ConfigMap/blog-config",
      "PersistentVolumeClaim/blog-files",
      "Deployment/blog",
      "Service/blog",
      "HTTPRoute/blog",
      "CronJob/blog-wp-cron",
    ]);
    // In ingress mode, the same site is routed by an Ingress of the same name.
    expect(
      buildSiteChildren(spec, exampleIngressSettings, root).map((o) => `${o.kind}/${o.metadata.name}`),
    ).toContain("Ingress/blog");
    for (const obj of [rootObj, ...children]) {
      expect(obj.metadata.namespace).toBe("sp-acme");
      expect(obj.metadata.labels).toMatchObject({
        [MANAGED_BY_LABEL]: "sitepod",
        [ACCOUNT_LABEL]: "acct456",
        [SITE_LABEL]: "site123",
        "app.kubernetes.io/name": "sitepod-site",
        "app.kubernetes.io/instance": "blog",
      });
      expect(obj.metadata.annotations[SPEC_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{20}$/);
    }
    for (const child of children) {
      expect(child.metadata.ownerReferences).toEqual([
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          name: "blog-root",
          uid: root.uid,
          controller: false,
          blockOwnerDeletion: true,
        },
      ]);
    }
  });

  it("is deterministic, and a new root UID changes the children's hashes", () => {
    const a = buildSiteChildren(spec, exampleSettings, root);
    const b = buildSiteChildren(exampleSiteSpec(), exampleSettings, root);
    expect(b).toEqual(a);
    const c = buildSiteChildren(spec, exampleSettings, { uid: "another" });
    expect(specHashOf(c[0])).not.toBe(specHashOf(a[0]));
  });

  it("puts database credentials and all eight salts into the Secret, base64-encoded", () => {
    const secret = buildSiteChildren(spec, exampleSettings, root)[0] as RenderedObject & {
      data: Record<string, string>;
    };
    const decoded = Object.fromEntries(
      Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
    );
    expect(decoded).toMatchObject({
      WORDPRESS_DB_HOST: "db.example:3306",
      WORDPRESS_DB_NAME: "wp_blog",
      WORDPRESS_DB_USER: "wp_blog",
      WORDPRESS_DB_PASSWORD: "s3cret",
      WORDPRESS_AUTH_KEY: "salt-AUTH_KEY",
      WORDPRESS_NONCE_SALT: "salt-NONCE_SALT",
      SITEPOD_SITE_URL: "https://blog.example.com",
      SITEPOD_SITE_HOSTS: "blog.example.com,www.blog.example.com,blog-acme.sites.example.net",
    });
    // Install inputs live in the install Secret only, which the web pods never read.
    expect(Object.keys(decoded).some((k) => k.startsWith("WORDPRESS_ADMIN") || k === "WORDPRESS_TITLE")).toBe(
      false,
    );
    expect(Object.keys(decoded).filter((k) => k.endsWith("_KEY") || k.endsWith("_SALT"))).toHaveLength(8);
  });

  it("renders a Pod Security restricted compliant Deployment", () => {
    const dep = deploymentOf(buildSiteDeployment(spec, exampleSettings, root));
    const pod = dep.spec.template.spec;
    expect(pod.serviceAccountName).toBe(SITE_SERVICE_ACCOUNT);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.containers.map((c) => c.name)).toEqual(["nginx", "php"]);
    for (const c of pod.containers) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        runAsNonRoot: true,
        runAsUser: 33,
        runAsGroup: 33,
        readOnlyRootFilesystem: true,
      });
      expect(c.image).toBe("sitepod.local/runtime:php8.3");
      expect(c.imagePullPolicy).toBe("IfNotPresent");
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
      expect(c.livenessProbe).toBeDefined();
      // Only /tmp and the site's volume are writable.
      expect(c.volumeMounts.find((m) => m.mountPath === "/tmp")).toMatchObject({ name: "tmp" });
      expect(c.volumeMounts.find((m) => m.mountPath === "/var/www/html")).toMatchObject({ name: "files" });
    }
    const [nginx, php] = pod.containers;
    expect(nginx?.command).toEqual(["nginx"]);
    expect(php?.command).toEqual(["php-fpm", "-F", "-y", "/etc/sitepod/php-fpm.conf"]);
    // Ready only through PHP; alive as long as nginx answers by itself.
    expect(nginx?.readinessProbe).toMatchObject({ httpGet: { path: "/-/sitepod/ready", port: "http" } });
    expect(nginx?.livenessProbe).toMatchObject({ httpGet: { path: "/healthz", port: "http" } });
    expect(php?.readinessProbe).toBeUndefined();
    expect(nginx?.volumeMounts.map((m) => [m.mountPath, m.subPath])).toContainEqual([
      "/etc/sitepod/nginx/site.conf",
      "nginx-vhost.conf",
    ]);
    expect(php?.volumeMounts.map((m) => [m.mountPath, m.subPath])).toEqual(
      expect.arrayContaining([
        ["/etc/sitepod/php-fpm.d/www.conf", "php-fpm-pool.conf"],
        ["/etc/sitepod/php/zz-sitepod.ini", "php.ini"],
      ]),
    );
    expect(nginx?.volumeMounts.find((m) => m.name === "files")?.readOnly).toBe(true);
    expect(pod.securityContext).toMatchObject({ runAsUser: 33, runAsGroup: 33, fsGroup: 33 });
    expect(pod.volumes.find((v) => v.name === "files")?.persistentVolumeClaim?.claimName).toBe("blog-files");
    // The selector must be a subset of the template labels or the API server rejects it.
    expect(dep.spec.template.metadata.labels).toMatchObject(dep.spec.selector.matchLabels);
  });

  it("rolls the pods when the config changes, through the template checksum", () => {
    const before = deploymentOf(buildSiteDeployment(spec, exampleSettings, root));
    const after = deploymentOf(
      buildSiteDeployment(
        exampleSiteSpec({ php: { ...spec.php, memoryLimit: "512M" } }),
        exampleSettings,
        root,
      ),
    );
    expect(after.spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION]).not.toBe(
      before.spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION],
    );
  });

  it("runs plain PHP sites on the same runtime image, with no WordPress objects", () => {
    const php = exampleSiteSpec({
      app: "PHP",
      phpVersion: "8.2",
      runtimeImage: "rt:php8.2",
      wordpress: undefined,
    });
    const children = buildSiteChildren(php, exampleSettings, root);
    expect(children.map((o) => o.kind)).not.toContain("CronJob");
    expect(children.map((o) => o.kind)).not.toContain("Job");
    const dep = deploymentOf(buildSiteDeployment(php, exampleSettings, root));
    expect(dep.spec.template.spec.containers.map((c) => c.image)).toEqual(["rt:php8.2", "rt:php8.2"]);
  });

  it("sets the storage class only when configured", () => {
    const pvcOf = (storageClassName?: string) =>
      buildSiteChildren(spec, { ...exampleSettings, storageClassName }, root)[2] as RenderedObject & {
        spec: {
          storageClassName?: string;
          accessModes: string[];
          resources: { requests: { storage: string } };
        };
      };
    expect(pvcOf().spec).toEqual({
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "5Gi" } },
    });
    expect(pvcOf("fast").spec.storageClassName).toBe("fast");
  });
});

describe("namespacePrefix", () => {
  it("is sp- by default, and another installation's own when set", async () => {
    const { namespacePrefix } = await import("./labels");
    expect(namespacePrefix({})).toBe("sp-");
    expect(namespacePrefix({ SITEPOD_NAMESPACE_PREFIX: "sp-staging-" })).toBe("sp-staging-");
  });

  it("refuses a prefix that would not make a namespace name, saying what to use", async () => {
    const { namespacePrefix } = await import("./labels");
    for (const bad of ["SP-", "sp", "-sp-", "sp_", "a-very-long-prefix-for-ns-"]) {
      expect(() => namespacePrefix({ SITEPOD_NAMESPACE_PREFIX: bad }), bad).toThrow(
        /SITEPOD_NAMESPACE_PREFIX ".*" is not valid/,
      );
    }
  });
});
