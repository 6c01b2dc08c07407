import { describe, expect, it } from "vitest";
import {
  DEFAULT_REQUEST_HEADERS,
  frontProxyUser,
  type RequestHeaderConfig,
  requestHeaderConfigFromConfigMap,
  requestHeaderConfigFromEnv,
} from "./front-proxy";

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const config: RequestHeaderConfig = {
  clientCA: CA,
  allowedNames: ["front-proxy-client"],
  ...DEFAULT_REQUEST_HEADERS,
};
const proxy = { authorized: true, commonName: "front-proxy-client" };
const headers = {
  "x-remote-user": ["alice"],
  "x-remote-group": ["devs", "system:authenticated"],
  "x-remote-extra-scopes": ["a", "b"],
  "x-remote-extra-acme.com%2fproject": ["p1"],
  authorization: ["Bearer sp_x"],
};

describe("frontProxyUser", () => {
  it("names the user, groups and extras the verified front proxy sends", () => {
    expect(frontProxyUser(proxy, headers, config)).toEqual({
      kind: "user",
      user: {
        username: "alice",
        uid: "",
        groups: ["devs", "system:authenticated"],
        extra: { scopes: ["a", "b"], "acme.com/project": ["p1"] },
      },
    });
  });

  it("ignores the headers without a client certificate, or with one the CA did not sign", () => {
    expect(frontProxyUser(null, headers, config)).toEqual({ kind: "none" });
    expect(frontProxyUser({ authorized: false, commonName: "front-proxy-client" }, headers, config)).toEqual({
      kind: "none",
    });
  });

  it("refuses a certificate of the CA whose name is not allowed", () => {
    expect(frontProxyUser({ authorized: true, commonName: "someone" }, headers, config)).toMatchObject({
      kind: "rejected",
      reason: expect.stringContaining("cn=someone"),
    });
  });

  it("takes any name the CA signed when no allowed names are given", () => {
    expect(
      frontProxyUser({ authorized: true, commonName: "someone" }, headers, { ...config, allowedNames: [] }),
    ).toMatchObject({
      kind: "user",
      user: { username: "alice" },
    });
  });

  it("authenticates nobody when the proxy names no user (the request then authenticates otherwise)", () => {
    expect(frontProxyUser(proxy, { "x-remote-user": [""], "x-remote-group": ["devs"] }, config)).toEqual({
      kind: "none",
    });
  });

  it("reads the configured headers, the first username header with a value winning", () => {
    const custom = {
      ...config,
      usernameHeaders: ["X-User", "X-Remote-User"],
      groupHeaders: ["X-Groups"],
      uidHeaders: ["X-Uid"],
      extraHeaderPrefixes: ["X-Extra-"],
    };
    expect(
      frontProxyUser(
        proxy,
        {
          "x-user": [""],
          "x-remote-user": ["bob"],
          "x-groups": ["g"],
          "x-uid": ["42"],
          "x-extra-k": ["v"],
          "x-remote-group": ["ignored"],
        },
        custom,
      ),
    ).toEqual({ kind: "user", user: { username: "bob", uid: "42", groups: ["g"], extra: { k: ["v"] } } });
  });
});

describe("requestHeaderConfigFromEnv", () => {
  it("is off without a CA file", () => {
    expect(requestHeaderConfigFromEnv({}, () => CA)).toBeNull();
  });

  it("reads the CA and lists, with kube-apiserver's default header names", () => {
    const read: string[] = [];
    const result = requestHeaderConfigFromEnv(
      {
        SITEPOD_APISERVER_REQUESTHEADER_CA_FILE: "/pki/front-proxy-ca.crt",
        SITEPOD_APISERVER_REQUESTHEADER_ALLOWED_NAMES: "front-proxy-client, aggregator",
      },
      (file) => {
        read.push(file);
        return CA;
      },
    );
    expect(read).toEqual(["/pki/front-proxy-ca.crt"]);
    expect(result).toEqual({
      clientCA: CA,
      allowedNames: ["front-proxy-client", "aggregator"],
      usernameHeaders: ["X-Remote-User"],
      uidHeaders: ["X-Remote-Uid"],
      groupHeaders: ["X-Remote-Group"],
      extraHeaderPrefixes: ["X-Remote-Extra-"],
    });
  });

  it("refuses a CA file that holds no certificate", () => {
    expect(() =>
      requestHeaderConfigFromEnv({ SITEPOD_APISERVER_REQUESTHEADER_CA_FILE: "/x" }, () => "not a pem"),
    ).toThrow(/no PEM certificate/);
  });
});

describe("requestHeaderConfigFromConfigMap", () => {
  it("reads kube-apiserver's extension-apiserver-authentication data (JSON lists)", () => {
    expect(
      requestHeaderConfigFromConfigMap({
        "client-ca-file": CA,
        "requestheader-client-ca-file": CA,
        "requestheader-allowed-names": '["front-proxy-client"]',
        "requestheader-username-headers": '["X-Remote-User"]',
        "requestheader-group-headers": '["X-Remote-Group"]',
        "requestheader-extra-headers-prefix": '["X-Remote-Extra-"]',
        "requestheader-uid-headers": "null",
      }),
    ).toEqual({
      clientCA: CA,
      allowedNames: ["front-proxy-client"],
      usernameHeaders: ["X-Remote-User"],
      uidHeaders: ["X-Remote-Uid"],
      groupHeaders: ["X-Remote-Group"],
      extraHeaderPrefixes: ["X-Remote-Extra-"],
    });
  });

  it("is null for a cluster without a front proxy, and refuses malformed lists", () => {
    expect(requestHeaderConfigFromConfigMap({ "client-ca-file": CA })).toBeNull();
    expect(requestHeaderConfigFromConfigMap(undefined)).toBeNull();
    expect(() =>
      requestHeaderConfigFromConfigMap({
        "requestheader-client-ca-file": CA,
        "requestheader-allowed-names": "[1",
      }),
    ).toThrow(/requestheader-allowed-names/);
  });
});
