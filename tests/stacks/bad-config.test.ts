import { ConfigError } from "../../components/core/config/config-error";
import { ConfigOverrides, runStack } from "../../tools/run-stack";

/**
 * Each bad setting, run through the real stack program on the real dev (or prod) stack file:
 * the program must throw a ConfigError with exactly this problem, and register no resource.
 */
const CASES: ReadonlyArray<{
  name: string;
  stack?: string;
  set: ConfigOverrides;
  problem: string;
}> = [
  {
    name: "negative server count",
    set: { "phoenix:blueCount": "-1" },
    problem: 'phoenix:blueCount: received "-1"; allowed: a whole number from 0 to 50',
  },
  {
    name: "fractional server count",
    set: { "phoenix:greenCount": "1.5" },
    problem: 'phoenix:greenCount: received "1.5"; allowed: a whole number from 0 to 50',
  },
  {
    name: "live colour with no servers",
    set: { "phoenix:blueCount": "0" },
    problem:
      'phoenix:blueCount: received "0"; allowed: at least 1, because phoenix:active is blue; set phoenix:active to the other colour first',
  },
  {
    name: "unknown colour",
    set: { "phoenix:active": "purple" },
    problem: 'phoenix:active: received "purple"; allowed: one of blue, green',
  },
  {
    name: "missing image for a colour with servers",
    set: { "phoenix:greenCount": "2" },
    problem:
      "phoenix:greenImage: received nothing; allowed: a pinned image, required because phoenix:greenCount is 2",
  },
  {
    name: "malformed VPC CIDR",
    set: { "phoenix:vpcCidr": "10.10.0.0/33" },
    problem:
      'phoenix:vpcCidr: received "10.10.0.0/33"; allowed: a private (RFC 1918) IPv4 network address with a prefix from /16 to /28, such as 10.10.0.0/20',
  },
  {
    name: "public VPC range",
    set: { "phoenix:vpcCidr": "8.8.0.0/16" },
    problem:
      'phoenix:vpcCidr: received "8.8.0.0/16"; allowed: a private (RFC 1918) IPv4 network address with a prefix from /16 to /28, such as 10.10.0.0/20',
  },
  {
    name: "open-world admin CIDR",
    set: { "phoenix:adminCidrs": '["0.0.0.0/0"]' },
    problem:
      'phoenix:adminCidrs: received "0.0.0.0/0", which opens SSH to the whole internet or a large part of it; allowed: a prefix of /8 or longer naming your admin networks',
  },
  {
    name: "malformed admin CIDR",
    set: { "phoenix:adminCidrs": '["203.0.113.7"]' },
    problem:
      'phoenix:adminCidrs: received "203.0.113.7"; allowed: IPv4 network addresses in CIDR form, such as 203.0.113.0/24',
  },
  {
    name: "TTL too short",
    stack: "prod",
    set: { "phoenix:dnsTtlSeconds": "5" },
    problem: 'phoenix:dnsTtlSeconds: received "5"; allowed: a whole number from 30 to 3600',
  },
  {
    name: "TTL too long",
    stack: "prod",
    set: { "phoenix:dnsTtlSeconds": "86400" },
    problem: 'phoenix:dnsTtlSeconds: received "86400"; allowed: a whole number from 30 to 3600',
  },
  {
    name: "port out of range",
    set: { "phoenix:appPort": "70000" },
    problem: 'phoenix:appPort: received "70000"; allowed: a whole number from 1 to 65535',
  },
  {
    name: "app on the SSH port",
    set: { "phoenix:appPort": "22" },
    problem:
      'phoenix:appPort: received "22"; allowed: any port from 1 to 65535 except 22, which is reserved for SSH',
  },
  {
    name: "health path without leading slash",
    set: { "phoenix:healthCheckPath": "healthz" },
    problem:
      'phoenix:healthCheckPath: received "healthz"; allowed: a path starting with / and without spaces, such as /healthz',
  },
  {
    name: "canary weight above 100",
    stack: "prod",
    set: { "phoenix:canaryWeight": "101" },
    problem: 'phoenix:canaryWeight: received "101"; allowed: a whole number from 0 to 100',
  },
  {
    name: "negative canary weight",
    stack: "prod",
    set: { "phoenix:canaryWeight": "-5" },
    problem: 'phoenix:canaryWeight: received "-5"; allowed: a whole number from 0 to 100',
  },
  {
    name: "canary with no servers on the other colour",
    set: { "phoenix:canaryWeight": "10" },
    problem:
      'phoenix:canaryWeight: received "10"; allowed: 0 while phoenix:greenCount is 0 (a canary needs servers on the other colour)',
  },
  {
    name: "floating IP for more than one server",
    set: { "phoenix:endpoint": "floatingIp", "phoenix:blueCount": "2" },
    problem:
      'phoenix:endpoint: received "floatingIp"; allowed: loadBalancer, because a floating IP serves exactly one server and phoenix:blueCount is 2',
  },
  {
    name: "TLS certificate without a load balancer",
    stack: "legacy",
    set: { "phoenix:tlsCertificateName": "ledger-example-com" },
    problem:
      'phoenix:tlsCertificateName: received "ledger-example-com"; allowed: nothing while phoenix:endpoint is floatingIp (TLS terminates at a load balancer; the server serves its own)',
  },
  {
    name: "unknown endpoint kind",
    set: { "phoenix:endpoint": "dns" },
    problem: 'phoenix:endpoint: received "dns"; allowed: one of loadBalancer, floatingIp',
  },
  {
    name: "platform not supported yet",
    set: { "phoenix:platform": "azure" },
    problem: 'phoenix:platform: received "azure"; allowed: one of digitalocean, aws, vsphere',
  },
  {
    name: "stock distribution image instead of a pinned snapshot",
    set: { "phoenix:blueImage": "ubuntu-24-04-x64" },
    problem:
      'phoenix:blueImage: received "ubuntu-24-04-x64"; allowed: the numeric ID of a custom image or snapshot (a stock distribution slug is not a pinned release)',
  },
  {
    name: "unknown region",
    set: { "phoenix:region": "mars1" },
    problem:
      'phoenix:region: received "mars1"; allowed: a DigitalOcean region slug: one of ams3, atl1, blr1, fra1, lon1, nyc1, nyc2, nyc3, sfo2, sfo3, sgp1, syd1, tor1',
  },
  {
    name: "typo in a setting name",
    set: { "phoenix:blueCuont": "2" },
    problem:
      "phoenix:blueCuont: unknown setting (did you mean phoenix:blueCount?); allowed: one of platform, environment, region, service, appPort, healthCheckPath, appEnv, appSecrets, active, blueImage, blueCount, blueSize, greenImage, greenCount, greenSize, canaryWeight, endpoint, tlsCertificateName, database, dbEngineVersion, dbSize, dbNodeCount, dbName, dbUser, dbMaintenanceDay, dbMaintenanceHour, dnsDomain, dnsRecord, dnsPreviewRecord, dnsTtlSeconds, vpcCidr, adminCidrs, dataVolumeSizeGiB, dataVolumeMountPath, dataVolumeFilesystem, gateSuccesses, gateTimeoutSeconds, gateIntervalSeconds, reviewTtlHours, decommission, decommissionEdgeStack, decommissionDataCopy, awsZones, awsNatGateways, awsHostedZoneId, awsLoadBalancerDeletionProtection, awsAccessLogBucket, vsphereCluster, vsphereDatastore, vsphereNetwork, vsphereFolder, vsphereDiskFolder, vsphereGateway, vsphereNameservers, vsphereServerAddresses, vsphereLoadBalancerAddresses, vsphereVirtualAddress, vsphereDatabaseAddress, vsphereLoadBalancerTemplate, vsphereLoadBalancerSize, vsphereDatabaseTemplate, vsphereDatabaseDiskGiB, vsphereSshUser, vsphereSshPublicKey, vsphereSshPrivateKey, vsphereDns, vsphereRoute53ZoneId",
  },
  {
    name: "missing service name",
    set: { "phoenix:service": undefined },
    problem:
      "phoenix:service: received nothing; allowed: lower-case letters, digits and -, starting with a letter, at most 30 characters (required)",
  },
  {
    name: "service name unusable in resource names",
    set: { "phoenix:service": "My Shop" },
    problem:
      'phoenix:service: received "My Shop"; allowed: lower-case letters, digits and -, starting with a letter, at most 30 characters',
  },
  {
    name: "bad environment variable name",
    set: { "phoenix:appEnv": '{"LOG-LEVEL":"info"}' },
    problem:
      'phoenix:appEnv: received variable name "LOG-LEVEL"; allowed: letters, digits and _, not starting with a digit',
  },
  {
    name: "app secrets stored in plain text",
    set: { "phoenix:appSecrets": '{"API_TOKEN":"hunter2"}' },
    problem:
      "phoenix:appSecrets: received a secret value (not shown); allowed: only values set with `pulumi config set --secret`; this one is stored in plain text",
  },
  {
    name: "app variable that would shadow the database URI",
    set: { "phoenix:appEnv": '{"DATABASE_URL":"postgres://elsewhere"}' },
    problem:
      "phoenix:appEnv: received DATABASE_URL, which Phoenix sets from the stack's database; allowed: any other name, or phoenix:database false",
  },
  {
    name: "three-node database is the most DigitalOcean offers",
    set: { "phoenix:dbNodeCount": "4" },
    problem: 'phoenix:dbNodeCount: received "4"; allowed: a whole number from 1 to 3',
  },
  {
    name: "maintenance hour out of range",
    set: { "phoenix:dbMaintenanceHour": "25:00" },
    problem:
      'phoenix:dbMaintenanceHour: received "25:00"; allowed: a time HH:MM from 00:00 to 23:59 (UTC)',
  },
  {
    name: "Postgres version DigitalOcean does not offer",
    set: { "phoenix:dbEngineVersion": "11" },
    problem:
      'phoenix:dbEngineVersion: received "11"; allowed: a Postgres version DigitalOcean offers: one of 13, 14, 15, 16, 17',
  },
  {
    name: "data volume mounted over a system directory",
    set: { "phoenix:dataVolumeSizeGiB": "10", "phoenix:dataVolumeMountPath": "/var" },
    problem:
      'phoenix:dataVolumeMountPath: received "/var"; allowed: a directory of its own, not a system directory (/, /home, /media, /mnt, /opt, /root, /srv, /tmp, /var, /var/lib, /var/log, /var/cache, /var/tmp) nor anything in /bin, /boot, /dev, /etc, /lib, /lib32, /lib64, /proc, /run, /sbin, /sys, /usr',
  },
  {
    name: "data volume names longer than DigitalOcean allows",
    set: {
      "phoenix:service": "a-very-long-service-name-abcde",
      "phoenix:environment": "a-long-environment-1",
      "phoenix:greenCount": "11",
      "phoenix:greenImage": "187655555",
      "phoenix:dataVolumeSizeGiB": "10",
    },
    problem:
      'phoenix:service: received "a-very-long-service-name-abcde", which with environment "a-long-environment-1" makes volume names of 65 characters (e.g. "a-very-long-service-name-abcde-a-long-environment-1-green-data-10"); allowed: names of at most 64 characters, so a shorter service or environment',
  },
  {
    name: "gate that could never pass in its time limit",
    set: {
      "phoenix:gateSuccesses": "10",
      "phoenix:gateIntervalSeconds": "30",
      "phoenix:gateTimeoutSeconds": "60",
    },
    problem:
      'phoenix:gateTimeoutSeconds: received "60"; allowed: at least gateSuccesses × gateIntervalSeconds = 300, or the gate could never pass',
  },
  {
    name: 'empty string for a required setting (a YAML key with no value reaches the program as "")',
    set: { "phoenix:region": "" },
    problem:
      "phoenix:region: received an empty string; allowed: a DigitalOcean region slug: one of ams3, atl1, blr1, fra1, lon1, nyc1, nyc2, nyc3, sfo2, sfo3, sgp1, syd1, tor1",
  },
  {
    name: "empty string that would silently turn HTTPS off",
    stack: "prod",
    set: { "phoenix:tlsCertificateName": "" },
    problem:
      "phoenix:tlsCertificateName: received an empty string; allowed: the name of a certificate in your DigitalOcean account (letters, digits, ., _ and -); or leave phoenix:tlsCertificateName unset for HTTP only",
  },
  {
    name: "mount path with a dot segment (the volume unit would refuse it at boot)",
    set: { "phoenix:dataVolumeSizeGiB": "10", "phoenix:dataVolumeMountPath": "/var/lib/./shop" },
    problem:
      'phoenix:dataVolumeMountPath: received "/var/lib/./shop"; allowed: a normalised absolute path of letters, digits and "_", ".", "+", "-", at most 200 characters, such as /var/lib/app',
  },
  {
    name: "mount path inside a system tree",
    set: { "phoenix:dataVolumeSizeGiB": "10", "phoenix:dataVolumeMountPath": "/usr/local/data" },
    problem:
      'phoenix:dataVolumeMountPath: received "/usr/local/data"; allowed: a directory of its own, not a system directory (/, /home, /media, /mnt, /opt, /root, /srv, /tmp, /var, /var/lib, /var/log, /var/cache, /var/tmp) nor anything in /bin, /boot, /dev, /etc, /lib, /lib32, /lib64, /proc, /run, /sbin, /sys, /usr',
  },
  {
    name: "setting in the wrong namespace",
    set: { "phenix:greenCount": "2" },
    problem:
      'phenix:greenCount: unknown namespace "phenix" (did you mean phoenix:greenCount?); allowed: keys in the namespaces phoenix, pulumi, digitalocean, aws, vsphere',
  },
  {
    name: "database URI with its password in plain appEnv",
    set: {
      "phoenix:appEnv": '{"REPORTS_DB":"postgresql://reports:pw-123@db.internal:5432/reports"}',
    },
    problem:
      "phoenix:appEnv: received a value for REPORTS_DB that looks like a URL with a password (not shown); allowed: plain settings only, since appEnv is stored and shown in plain text; keep it as a secret instead: pulumi config rm --path 'phoenix:appEnv.REPORTS_DB' && pulumi config set --secret --path 'phoenix:appSecrets.REPORTS_DB' '<value>'",
  },
  {
    name: "control character in a value",
    set: { "phoenix:service": "shop\u0007" },
    problem:
      'phoenix:service: received "shop\\u0007"; allowed: lower-case letters, digits and -, starting with a letter, at most 30 characters',
  },
  {
    name: "preview record equal to the live record",
    stack: "prod",
    set: { "phoenix:dnsPreviewRecord": "shop" },
    problem:
      'phoenix:dnsPreviewRecord: received "shop"; allowed: a record name other than phoenix:dnsRecord (shop)',
  },
];

describe("bad stack configuration", () => {
  it("covers at least 20 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CASES)(
    "$name: names the setting, value and what is allowed; registers nothing",
    async (c) => {
      const run = await runStack(c.stack ?? "dev", c.set);
      expect(run.error).toBeInstanceOf(ConfigError);
      expect((run.error as ConfigError).problems).toEqual([c.problem]);
      expect((run.error as ConfigError).message).toContain(c.problem);
      expect(run.resources).toHaveLength(0);
    },
  );

  it("reports every problem at once, in one error", async () => {
    const run = await runStack("dev", {
      "phoenix:blueCount": "-1",
      "phoenix:appPort": "0",
      "phoenix:adminCidrs": '["0.0.0.0/0"]',
    });
    const error = run.error as ConfigError;
    expect(error.problems).toHaveLength(3);
    expect(error.message).toMatch(/^Invalid Phoenix stack configuration \(3 problems\):\n {2}- /);
    expect(run.resources).toHaveLength(0);
  });
});
