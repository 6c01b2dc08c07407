/**
 * Sign-in through next-auth's authorize, as the credentials route calls it, with the request
 * headers a real request carries once the peer address hook has stamped them.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { hashPassword } from "@/lib/auth/password";
import { clientIp } from "@/lib/auth/session";
import { TOO_MANY_ATTEMPTS } from "@/lib/auth/sign-in-throttle";
import { installPeerAddressHook, PEER_ADDRESS_HEADER } from "@/lib/http/client-address";
import { createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();
const PASSWORD = "correct horse battery";

type Authorize = (
  credentials: Record<string, string>,
  req: { headers: Record<string, string> },
) => Promise<unknown>;
const { authorize } = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options;

function randomAddress(prefix = "198.51.100"): string {
  return `${prefix}.${1 + ((randomBytes(1)[0] ?? 0) % 250)}`;
}

/** Headers as they reach authorize: the socket address stamped by the hook, plus what the client sent. */
function request(peer: string, forwardedFor = randomAddress()) {
  return { headers: { [PEER_ADDRESS_HEADER]: peer, "x-forwarded-for": forwardedFor } };
}

let counter = 0;
async function newUser(): Promise<string> {
  const email = `user${++counter}-${randomBytes(3).toString("hex")}@example.test`;
  await createTestUser(db().prisma, { email, passwordHash: await hashPassword(PASSWORD) });
  return email;
}

beforeAll(() => {
  installPeerAddressHook();
});

describe("sign-in throttling", () => {
  it("wrong passwords from one address do not lock the user out from another", async () => {
    const email = await newUser();
    const attacker = "203.0.113.10";
    for (let i = 0; i < 10; i++) {
      const result = await authorize({ email, password: `wrong-${i}` }, request(attacker)).catch(
        (err: Error) => err.message,
      );
      expect([null, TOO_MANY_ATTEMPTS]).toContain(result);
    }
    await expect(authorize({ email, password: PASSWORD }, request(attacker))).rejects.toThrow(
      TOO_MANY_ATTEMPTS,
    );
    await expect(authorize({ email, password: PASSWORD }, request("203.0.113.11"))).resolves.toMatchObject({
      email,
    });
  });

  it("a forged X-Forwarded-For does not give an address a fresh budget", async () => {
    const peer = "203.0.113.20";
    // The address budget is 100 failures, whatever the emails; each attempt forges a new address.
    for (let i = 0; i < 100; i++) {
      await authorize({ email: `nobody${i}@example.test`, password: "guess-guess" }, request(peer));
    }
    const email = await newUser();
    await expect(authorize({ email, password: PASSWORD }, request(peer))).rejects.toThrow(TOO_MANY_ATTEMPTS);
    await expect(authorize({ email, password: PASSWORD }, request("203.0.113.21"))).resolves.toMatchObject({
      email,
    });
  });
});

describe("the audit trail's client address", () => {
  it("is the socket address, not a forged X-Forwarded-For", () => {
    const headers = new Headers({ [PEER_ADDRESS_HEADER]: "203.0.113.30", "x-forwarded-for": "198.51.100.7" });
    expect(clientIp(headers)).toBe("203.0.113.30");
  });
});
