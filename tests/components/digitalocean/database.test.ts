import * as pulumi from "@pulumi/pulumi";
import { Database } from "../../../components/digitalocean/database";
import { runInMockStack, unwrapWithSecret } from "../../../tools/mock-stack";
import { PLAIN_OPTIONS, T } from "../../helpers/do-types";

const settings = {
  engineVersion: "16",
  size: "db-s-2vcpu-4gb",
  nodeCount: 2,
  name: "shop",
  user: "shop",
  maintenanceDay: "sunday",
  maintenanceHour: "03:00",
};
const tags = ["service:shop", "environment:prod", "managed-by:phoenix"];

describe("Database", () => {
  it("registers a protected Postgres cluster, database and user, and a firewall admitting only the app servers", async () => {
    const run = await runInMockStack(
      () =>
        new Database("shop-prod-db", {
          region: "ams3",
          settings,
          vpcId: "vpc-1",
          serverTag: "shop-prod-app",
          tags,
        }),
    );
    expect(run.resources.map((r) => `${r.type}::${r.name}`)).toEqual([
      `${T.database}::shop-prod-db`,
      `${T.databaseCluster}::shop-prod-db-cluster`,
      `${T.databaseDb}::shop-prod-db-db`,
      `${T.databaseUser}::shop-prod-db-user`,
      `${T.databaseFirewall}::shop-prod-db-firewall`,
    ]);
    expect(run.get(T.databaseCluster, "shop-prod-db-cluster").inputs).toEqual({
      name: "shop-prod-db-cluster",
      engine: "pg",
      version: "16",
      size: "db-s-2vcpu-4gb",
      nodeCount: 2,
      region: "ams3",
      privateNetworkUuid: "vpc-1",
      maintenanceWindows: [{ day: "sunday", hour: "03:00" }],
      tags,
    });
    const kept = { ...PLAIN_OPTIONS, protect: true, retainOnDelete: true };
    expect(run.get(T.databaseCluster, "shop-prod-db-cluster").opts).toEqual(kept);
    expect(run.get(T.databaseDb, "shop-prod-db-db").opts).toEqual(kept);
    expect(run.get(T.databaseUser, "shop-prod-db-user").opts).toEqual(kept);
    expect(run.get(T.databaseDb, "shop-prod-db-db").inputs).toEqual({
      clusterId: "shop-prod-db-cluster-id",
      name: "shop",
    });
    expect(run.get(T.databaseUser, "shop-prod-db-user").inputs).toEqual({
      clusterId: "shop-prod-db-cluster-id",
      name: "shop",
    });
    expect(run.get(T.databaseFirewall, "shop-prod-db-firewall").inputs).toEqual({
      clusterId: "shop-prod-db-cluster-id",
      rules: [{ type: "tag", value: "shop-prod-app" }],
    });
  });

  it("exports the password and the private connection URI only as secrets", async () => {
    const run = await runInMockStack(
      () => new Database("db", { region: "ams3", settings, vpcId: "vpc-1", serverTag: "t", tags }),
    );
    expect(await unwrapWithSecret(run.result.password)).toEqual({
      value: "mock-user-password",
      secret: true,
    });
    expect(await unwrapWithSecret(run.result.uri)).toEqual({
      value:
        "postgresql://shop:mock-user-password@private-db-cluster.db.ondigitalocean.com:25060/shop?sslmode=require",
      secret: true,
    });
    expect(await pulumi.isSecret(run.result.host)).toBe(false);
  });
});
