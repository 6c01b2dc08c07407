import { describe, expect, it } from "vitest";
import { attachedDatabasesEnv, databaseEnvVars } from "./database-env";
import { buildSiteChildren, siteEnvironment } from "./site";
import { exampleSettings, exampleSiteSpec } from "./test-fixtures";

const credentials = {
  host: "mariadb.internal",
  port: 3306,
  name: "acme_shop",
  user: "acme_app",
  password: "p'w\"d",
};

describe("databaseEnvVars", () => {
  it("names the five variables, the port as text", () => {
    expect(databaseEnvVars(credentials)).toEqual({
      DB_HOST: "mariadb.internal",
      DB_PORT: "3306",
      DB_NAME: "acme_shop",
      DB_USER: "acme_app",
      DB_PASSWORD: "p'w\"d",
    });
  });

  it("puts a prefix in front of every name", () => {
    expect(Object.keys(databaseEnvVars(credentials, { prefix: "ANALYTICS_" }))).toEqual([
      "ANALYTICS_DB_HOST",
      "ANALYTICS_DB_PORT",
      "ANALYTICS_DB_NAME",
      "ANALYTICS_DB_USER",
      "ANALYTICS_DB_PASSWORD",
    ]);
  });

  it.each(["analytics_", "A-B_", "NO_TRAILING", "1X_"])("refuses the prefix %j", (prefix) => {
    expect(() => databaseEnvVars(credentials, { prefix })).toThrow(/not an environment variable prefix/);
  });
});

describe("attachedDatabasesEnv", () => {
  it("merges several databases, each under its prefix", () => {
    const env = attachedDatabasesEnv([
      { envPrefix: "PG_", credentials: { ...credentials, host: "postgres.internal", port: 5432 } },
      { envPrefix: "", credentials },
    ]);
    expect(env).toMatchObject({
      DB_HOST: "mariadb.internal",
      PG_DB_HOST: "postgres.internal",
      PG_DB_PORT: "5432",
    });
    expect(Object.keys(env)).toHaveLength(10);
  });

  it("is empty for a site given no database", () => {
    expect(attachedDatabasesEnv([])).toEqual({});
  });
});

describe("the site's environment", () => {
  it("carries the databases given to the site after its own variables, and rolls the pods when they change", () => {
    const own = exampleSiteSpec({ app: "PHP" });
    const attached = exampleSiteSpec({
      app: "PHP",
      attachedDatabaseEnv: databaseEnvVars(credentials, { prefix: "SHOP_" }),
    });
    expect(siteEnvironment(attached)).toEqual({
      ...siteEnvironment(own),
      ...databaseEnvVars(credentials, { prefix: "SHOP_" }),
    });
    const annotation = (spec: typeof own) => {
      const root = { uid: "u1" };
      const deployment = buildSiteChildren(spec, exampleSettings, root).find(
        (o) => o.kind === "Deployment",
      ) as unknown as {
        spec: { template: { metadata: { annotations: Record<string, string> } } };
      };
      return deployment.spec.template.metadata.annotations["sitepod.io/env-checksum"];
    };
    expect(annotation(attached)).not.toBe(annotation(own));
  });
});
