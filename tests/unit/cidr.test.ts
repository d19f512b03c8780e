import {
  cidrContains,
  isNetworkAddress,
  isPrivateCidr,
  parseIpv4Cidr,
} from "../../components/core/cidr";

describe("parseIpv4Cidr", () => {
  it.each([
    ["10.0.0.0/8", { address: 167772160, prefix: 8 }],
    ["0.0.0.0/0", { address: 0, prefix: 0 }],
    ["255.255.255.255/32", { address: 4294967295, prefix: 32 }],
  ])("parses %s", (text, expected) => {
    expect(parseIpv4Cidr(text)).toEqual(expected);
  });

  it.each([
    "10.0.0.0",
    "10.0.0.0/33",
    "256.0.0.0/8",
    "10.0.0/8",
    "a.b.c.d/8",
    " 10.0.0.0/8",
    "::/0",
  ])("rejects %s", (text) => {
    expect(parseIpv4Cidr(text)).toBeUndefined();
  });
});

describe("CIDR predicates", () => {
  const p = (t: string) => parseIpv4Cidr(t) as NonNullable<ReturnType<typeof parseIpv4Cidr>>;
  it.each([
    ["10.10.0.0/20", true],
    ["10.10.0.1/20", false],
    ["192.168.1.0/24", true],
  ])("isNetworkAddress(%s) = %s", (t, expected) => expect(isNetworkAddress(p(t))).toBe(expected));

  it.each([
    ["10.20.0.0/16", true],
    ["172.16.0.0/12", true],
    ["172.32.0.0/16", false],
    ["192.168.0.0/16", true],
    ["8.8.8.0/24", false],
    ["0.0.0.0/0", false],
  ])("isPrivateCidr(%s) = %s", (t, expected) => expect(isPrivateCidr(p(t))).toBe(expected));

  it("cidrContains needs the inner block wholly inside", () => {
    expect(cidrContains(p("10.0.0.0/8"), p("10.1.2.0/24"))).toBe(true);
    expect(cidrContains(p("10.1.2.0/24"), p("10.0.0.0/8"))).toBe(false);
    expect(cidrContains(p("10.0.0.0/8"), p("11.0.0.0/24"))).toBe(false);
  });
});
