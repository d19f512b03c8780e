import { ConfigError } from "../../../components/core/config/config-error";
import { validateSettings, validatedConfig } from "../../helpers/validate";

/** The problems validation reports, or [] when it passes. */
function problems(raw: Record<string, string>, secret: string[] = []): readonly string[] {
  try {
    validateSettings(raw, { secret });
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe("validateStackConfig", () => {
  it("fills every default from the settings table, the platform's sizes, and names from the service", () => {
    expect(validatedConfig({ service: "shop", blueImage: "101" })).toEqual({
      platform: "digitalocean",
      environment: "dev",
      region: "nyc3",
      app: { name: "shop", port: 8080, healthCheckPath: "/healthz", env: {}, secretEnvNames: [] },
      colours: {
        blue: { count: 1, size: "s-1vcpu-1gb", image: "101" },
        green: { count: 0, size: "s-1vcpu-1gb", image: undefined },
      },
      active: "blue",
      canaryWeight: 0,
      endpoint: "loadBalancer",
      tlsCertificateName: undefined,
      database: {
        engineVersion: "16",
        size: "db-s-1vcpu-1gb",
        nodeCount: 1,
        name: "shop",
        user: "shop",
        maintenanceDay: "sunday",
        maintenanceHour: "03:00",
      },
      dns: undefined,
      network: { vpcCidr: "10.10.0.0/20", adminCidrs: [] },
      dataVolume: undefined,
      healthGate: { successes: 3, timeoutSeconds: 300, intervalSeconds: 5 },
    });
  });

  it("refuses an empty string for every kind of setting, saying what leaving it unset means", () => {
    expect(
      problems({
        service: "my-shop",
        blueImage: "101",
        environment: "",
        dnsDomain: "",
        appPort: "",
      }),
    ).toEqual([
      "phoenix:environment: received an empty string; allowed: lower-case letters, digits and -, starting with a letter, at most 20 characters; or leave phoenix:environment unset for the stack name",
      "phoenix:appPort: received an empty string; allowed: a whole number from 1 to 65535",
      "phoenix:dnsDomain: received an empty string; allowed: a domain name such as example.com; or leave phoenix:dnsDomain unset for no DNS records",
    ]);
    expect(problems({ service: "", blueImage: "101" })).toEqual([
      "phoenix:service: received an empty string; allowed: lower-case letters, digits and -, starting with a letter, at most 30 characters",
    ]);
  });

  it("refuses control characters in a value instead of writing them into names and files", () => {
    expect(
      problems({ service: "shop", blueImage: "101", healthCheckPath: "/health\u001bz" }),
    ).toEqual([
      'phoenix:healthCheckPath: received "/health\\u001bz"; allowed: a path starting with / and without spaces, such as /healthz',
    ]);
  });

  it("refuses a stack name that cannot be an environment name unless phoenix:environment is set", () => {
    expect(() =>
      validatedConfig({ service: "shop", blueImage: "101" }, { stack: "Prod_EU" }),
    ).toThrow(
      'phoenix:environment: received nothing; allowed: lower-case letters, digits and -, starting with a letter, at most 20 characters; it is unset, and the stack name "Prod_EU" is not one, so set it',
    );
    expect(
      validatedConfig(
        { service: "shop", blueImage: "101", environment: "prod-eu" },
        { stack: "Prod_EU" },
      ).environment,
    ).toBe("prod-eu");
  });

  it("derives DNS record names and the volume mount path", () => {
    const config = validatedConfig({
      service: "shop",
      blueImage: "101",
      dnsDomain: "example.com",
      dataVolumeSizeGiB: "20",
    });
    expect(config.dns).toEqual({
      domain: "example.com",
      record: "shop",
      previewRecord: "shop-preview",
      ttlSeconds: 60,
    });
    expect(config.dataVolume).toEqual({
      sizeGiB: 20,
      mountPath: "/var/lib/shop",
      filesystem: "ext4",
    });
  });

  it("refuses a setting whose feature is off, where it would silently do nothing", () => {
    expect(
      problems({ service: "shop", blueImage: "101", dnsRecord: "www", dnsTtlSeconds: "120" }),
    ).toEqual([
      'phoenix:dnsRecord: received "www"; allowed: nothing while phoenix:dnsDomain is unset, as it has no effect then; remove it, or turn the feature on',
      'phoenix:dnsTtlSeconds: received "120"; allowed: nothing while phoenix:dnsDomain is unset, as it has no effect then; remove it, or turn the feature on',
    ]);
    // The default reaches the program as if the stack had set it: it is not a mistake.
    expect(problems({ service: "shop", blueImage: "101", dnsTtlSeconds: "60" })).toEqual([]);
  });

  it("lists secret variable names but never their values", () => {
    const config = validatedConfig(
      { service: "shop", blueImage: "101", appSecrets: '{"B":"x","A":"y"}' },
      { secret: ["appSecrets"] },
    );
    expect(config.app.secretEnvNames).toEqual(["A", "B"]);
    expect(JSON.stringify(config)).not.toContain('"x"');
  });

  it("never shows a malformed secret's value in the error", () => {
    const found = problems({ service: "shop", blueImage: "101", appSecrets: "hunter2" }, [
      "appSecrets",
    ]);
    expect(found).toEqual([
      "phoenix:appSecrets: received a secret value (not shown); allowed: a map of NAME: string value",
    ]);
    expect(found.join()).not.toContain("hunter2");
  });

  it.each([
    ["DB_PASSWORD", "hunter2", "a password, token or key by its name"],
    ["GITHUB_TOKEN", "ghp_x", "a password, token or key by its name"],
    ["TLS_KEY", "-----BEGIN RSA PRIVATE KEY-----\nMIIE", "a private key"],
    ["UPSTREAM", "postgres://shop:s3cret@db.internal:5432/shop", "a URL with a password"],
  ])(
    "refuses %s in plain appEnv (it looks like %s) with the --secret command",
    (name, value, look) => {
      expect(
        problems({ service: "shop", blueImage: "101", appEnv: JSON.stringify({ [name]: value }) }),
      ).toEqual([
        `phoenix:appEnv: received a value for ${name} that looks like ${look} (not shown); allowed: plain settings only, since appEnv is stored and shown in plain text; keep it as a secret instead: pulumi config rm --path 'phoenix:appEnv.${name}' && pulumi config set --secret --path 'phoenix:appSecrets.${name}' '<value>'`,
      ]);
    },
  );

  it("accepts plain variables that merely mention a secret word", () => {
    expect(
      problems({
        service: "shop",
        blueImage: "101",
        appEnv: '{"TOKEN_TTL_SECONDS":"3600","LOG_LEVEL":"info"}',
      }),
    ).toEqual([]);
  });

  it("names each app variable whose value is not a string", () => {
    expect(
      problems({ service: "shop", blueImage: "101", appEnv: '{"PORT":8080,"DEBUG":true}' }),
    ).toEqual([
      'phoenix:appEnv: received 8080 for "PORT"; allowed: a string value (quote it in the stack file)',
      'phoenix:appEnv: received true for "DEBUG"; allowed: a string value (quote it in the stack file)',
    ]);
  });

  it("refuses a value no environment file can hold", () => {
    expect(problems({ service: "shop", blueImage: "101", appEnv: '{"A":"x\\u0000y"}' })).toEqual([
      'phoenix:appEnv: received a value for "A" with a NUL character or a lone UTF-16 surrogate; allowed: text an environment file can hold',
    ]);
  });

  it.each([
    ["phoenix:blueCont", "phoenix:blueCont: unknown setting (did you mean phoenix:blueCount?)"],
    [
      "phenix:blueCount",
      'phenix:blueCount: unknown namespace "phenix" (did you mean phoenix:blueCount?)',
    ],
    [
      "digitalocean:blueCount",
      "digitalocean:blueCount: unknown key of the digitalocean provider (did you mean phoenix:blueCount?)",
    ],
    [
      "digitalocean:tokn",
      "digitalocean:tokn: unknown key of the digitalocean provider (did you mean digitalocean:token?)",
    ],
    ["phoenix:constructor", "phoenix:constructor: unknown setting"],
  ])("refuses the unknown key %s, naming the closest known one", (key, start) => {
    const found = problems({ service: "shop", blueImage: "101", [key]: "2" });
    expect(found).toHaveLength(1);
    expect(found[0]?.startsWith(`${start}; allowed: `)).toBe(true);
  });

  it("reports core and platform problems in one list", () => {
    expect(
      problems({ service: "shop", blueImage: "ubuntu-24-04-x64", appPort: "0", region: "mars1" }),
    ).toEqual([
      'phoenix:region: received "mars1"; allowed: a DigitalOcean region slug: one of ams3, atl1, blr1, fra1, lon1, nyc1, nyc2, nyc3, sfo2, sfo3, sgp1, syd1, tor1',
      'phoenix:appPort: received "0"; allowed: a whole number from 1 to 65535',
      'phoenix:blueImage: received "ubuntu-24-04-x64"; allowed: the numeric ID of a custom image or snapshot (a stock distribution slug is not a pinned release)',
    ]);
  });
});
