import {
  assertEnvironmentName,
  quoteEnvironmentValue,
  renderEnvironmentFile,
} from "../../../components/core/cloud-init/environment-file";

describe("quoteEnvironmentValue", () => {
  it.each([
    ["plain", '"plain"'],
    ["", '""'],
    ["a b", '"a b"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["it's", `"it's"`],
    ["C:\\dir\\", '"C:\\\\dir\\\\"'],
    ["$HOME ${X}", '"\\$HOME \\${X}"'],
    ["`id`", '"\\`id\\`"'],
    ["a\nb", '"a\nb"'],
    ["a\\\nb", '"a\\\\\nb"'],
    ["\t#;=", '"\t#;="'],
    ["héllo 😀", '"héllo 😀"'],
  ])("quotes %j as %j", (value, expected) => {
    expect(quoteEnvironmentValue(value)).toBe(expected);
  });

  it.each([
    ["a NUL character", "s3cr3t\0", "contains a NUL character"],
    ["a lone surrogate", "s3cr3t\uD800", "contains a lone UTF-16 surrogate"],
  ])("rejects %s without echoing the value", (_what, value, message) => {
    expect(() => quoteEnvironmentValue(value)).toThrow(message);
    expect(() => quoteEnvironmentValue(value)).not.toThrow(/s3cr3t/);
  });
});

describe("assertEnvironmentName", () => {
  it.each(["A", "_", "a_b", "DB_URL", "_9", "x1"])("accepts %j", (name) => {
    expect(() => assertEnvironmentName(name)).not.toThrow();
  });

  it.each(["", "1A", "BAD-KEY", "A B", "A=B", "A.B", "Ä", "A\n", " A", "$A"])(
    "rejects %j, naming it",
    (name) => {
      expect(() => assertEnvironmentName(name)).toThrow(
        `Invalid environment variable name ${JSON.stringify(name)}: ` +
          "a name must match /^[A-Za-z_][A-Za-z0-9_]*$/",
      );
    },
  );
});

describe("renderEnvironmentFile", () => {
  it('writes one sorted NAME="value" line per variable', () => {
    expect(renderEnvironmentFile({ Z: "last", A: "first", M: 'with "quotes"' })).toBe(
      'A="first"\nM="with \\"quotes\\""\nZ="last"\n',
    );
  });

  it("renders nothing for no variables", () => {
    expect(renderEnvironmentFile({})).toBe("");
  });

  it("does not depend on the order the variables were given in", () => {
    expect(renderEnvironmentFile({ B: "2", A: "1" })).toBe(
      renderEnvironmentFile({ A: "1", B: "2" }),
    );
  });

  it("names the variable whose value cannot be written, but not the value", () => {
    const render = () => renderEnvironmentFile({ OK: "x", TOKEN: "s3cr3t\0" });
    expect(render).toThrow(
      "Invalid environment value: it contains a NUL character (variable TOKEN)",
    );
    expect(render).not.toThrow(/s3cr3t/);
  });

  it("names the first invalid key", () => {
    expect(() => renderEnvironmentFile({ GOOD: "x", "BAD-KEY": "y" })).toThrow(
      'Invalid environment variable name "BAD-KEY"',
    );
  });
});
