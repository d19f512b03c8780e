import { ConfigError } from "../../../components/core/config/config-error";
import { validateStackConfig } from "../../../components/core/config/validate-stack-config";

const context = { stack: "dev", secretSettings: [] as string[] };

describe("validateStackConfig", () => {
  it("fills every default from the settings table and derives names from the service", () => {
    const config = validateStackConfig({ service: "shop", blueImage: "101" }, context);
    expect(config).toEqual({
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

  it("treats an empty string (Pulumi.yaml's 'unset' default) as unset", () => {
    const config = validateStackConfig(
      { service: "my-shop", blueImage: "101", environment: "", dnsDomain: "", dbName: "" },
      context,
    );
    expect(config.environment).toBe("dev");
    expect(config.dns).toBeUndefined();
    expect(config.database?.name).toBe("my_shop");
  });

  it("derives DNS record names and the volume mount path", () => {
    const config = validateStackConfig(
      { service: "shop", blueImage: "101", dnsDomain: "example.com", dataVolumeSizeGiB: "20" },
      context,
    );
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

  it("lists secret variable names but never their values", () => {
    const config = validateStackConfig(
      { service: "shop", blueImage: "101", appSecrets: '{"B":"x","A":"y"}' },
      { stack: "dev", secretSettings: ["appSecrets"] },
    );
    expect(config.app.secretEnvNames).toEqual(["A", "B"]);
    expect(JSON.stringify(config)).not.toContain('"x"');
  });

  it("never shows a malformed secret's value in the error", () => {
    let error: unknown;
    try {
      validateStackConfig(
        { service: "shop", blueImage: "101", appSecrets: "hunter2" },
        { stack: "dev", secretSettings: ["appSecrets"] },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "phoenix:appSecrets: received a secret value (not shown); allowed: a map of NAME: string value",
    ]);
    expect((error as Error).message).not.toContain("hunter2");
  });
});
