import { describe, expect, it } from "vitest";
import { AttachedDatabaseError, attachedDatabaseEnvOf } from "./site-database-env";

const server = { host: "127.0.0.1", port: 3306, podHost: "mariadb.sitepod-system.svc", podPort: null };
const attachment = (envPrefix: string, deleting = false) => ({
  envPrefix,
  database: { name: "acme_shop", deletionRequestedAt: deleting ? new Date() : null, server },
  user: { name: "acme_app", passwordCiphertext: "sealed:pw", deletionRequestedAt: null },
});
const openStub = (ciphertext: string) => ciphertext.replace(/^sealed:/, "");

describe("attachedDatabaseEnvOf", () => {
  it("gives pods the server's pod address and the user's decrypted password", () => {
    expect(attachedDatabaseEnvOf([attachment("")], openStub)).toEqual({
      DB_HOST: "mariadb.sitepod-system.svc",
      DB_PORT: "3306",
      DB_NAME: "acme_shop",
      DB_USER: "acme_app",
      DB_PASSWORD: "pw",
    });
  });

  it("leaves out a database being deleted", () => {
    expect(attachedDatabaseEnvOf([attachment("", true)], openStub)).toEqual({});
  });

  it("refuses a stored prefix or password it cannot use, as an invalid spec", () => {
    expect(() => attachedDatabaseEnvOf([attachment("bad-")], openStub)).toThrow(AttachedDatabaseError);
    expect(() =>
      attachedDatabaseEnvOf([attachment("")], () => {
        throw new Error("wrong key");
      }),
    ).toThrow(/cannot be read: wrong key/);
  });
});
