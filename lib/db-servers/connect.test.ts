import { describe, expect, it } from "vitest";
import { ServerAdminCache } from "./connect";
import type { DatabaseServerAdmin } from "./server-admin";
import type { ServerAddress } from "./server-address";

function fakeAdmin(address: ServerAddress, closed: string[]): DatabaseServerAdmin {
  const fail = () => Promise.reject(new Error("not used"));
  return {
    engine: address.engine,
    ping: fail,
    databaseExists: fail,
    createDatabase: fail,
    dropDatabase: fail,
    databaseSize: fail,
    userExists: fail,
    ensureUser: fail,
    dropUser: fail,
    grantAll: fail,
    revokeAll: fail,
    close: async () => {
      closed.push(`${address.host}:${address.port}`);
    },
  };
}

describe("ServerAdminCache", () => {
  const server = {
    id: "s1",
    engine: "MYSQL" as const,
    host: "127.0.0.1",
    port: 1,
    adminUser: "root",
    adminPasswordCiphertext: null,
  };

  it("keeps one connection per server until its address or credentials change", async () => {
    const closed: string[] = [];
    const made: ServerAddress[] = [];
    const cache = new ServerAdminCache((address) => {
      made.push(address);
      return fakeAdmin(address, closed);
    });
    const first = cache.get(server);
    expect(cache.get({ ...server })).toBe(first);
    const fixed = cache.get({ ...server, port: 3306 });
    expect(fixed).not.toBe(first);
    expect(made.map((a) => a.port)).toEqual([1, 3306]);
    await cache.close();
    expect(closed.sort()).toEqual(["127.0.0.1:1", "127.0.0.1:3306"]);
  });
});
