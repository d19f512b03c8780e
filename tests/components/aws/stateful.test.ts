import { parse } from "yaml";
import { StackOutputs } from "../../../components/core/stack-outputs";
import { MockStackRun } from "../../../tools/mock-stack";
import { A } from "../../helpers/aws-types";
import { awsRun, childrenOf, idOf, outputOf, PLAIN_OPTIONS, tagsOf } from "./aws-runs";

type Run = MockStackRun<StackOutputs>;

const BLUE = "ledger-aws-legacy-blue";
const IP = "ledger-aws-legacy-ip";
const NET = "ledger-aws-legacy-net";

describe("AWS StatefulServers and ElasticIp (aws-legacy: the rebuild path)", () => {
  let run: Run;
  beforeAll(async () => {
    run = await awsRun("aws-legacy");
  });

  it("registers the data volume, the instance and its attachment; then the gate, the address and its association", () => {
    expect(childrenOf(run, A.statefulServers, BLUE)).toEqual([
      `${A.volume}::${BLUE}-data-0`,
      `${A.instance}::${BLUE}-0`,
      `${A.volumeAttachment}::${BLUE}-data-0-attachment`,
    ]);
    expect(childrenOf(run, A.elasticIp, IP)).toEqual([
      `${A.healthGate}::${IP}-gate`,
      `${A.eip}::${IP}-ip`,
      `${A.eipAssociation}::${IP}-association`,
    ]);
  });

  it("builds the instance in zone 0's public subnet with a public address, IMDSv2 only, an encrypted root and monitoring", async () => {
    expect(run.get(A.instance, `${BLUE}-0`).inputs).toEqual({
      ami: "ami-0fa3fe0fa7920f68e",
      instanceType: "m7i.large",
      availabilityZone: "us-east-1a",
      subnetId: await idOf(run, A.subnet, `${NET}-public-0`),
      vpcSecurityGroupIds: [await idOf(run, A.securityGroup, `${NET}-server-sg`)],
      iamInstanceProfile: `${NET}-server-profile`,
      associatePublicIpAddress: true,
      userData: expect.any(String),
      userDataReplaceOnChange: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      rootBlockDevice: {
        deviceName: "/dev/xvda",
        volumeSize: 20,
        volumeType: "gp3",
        encrypted: true,
        deleteOnTermination: true,
      },
      monitoring: true,
      disableApiTermination: false,
      tags: tagsOf(`${BLUE}-0`, "ledger", "aws-legacy", "blue"),
      volumeTags: tagsOf(`${BLUE}-0-root`, "ledger", "aws-legacy", "blue"),
    });
  });

  it("rebuilds the instance old-first on image, user data or type (the volume attaches to one instance at a time)", () => {
    expect(run.get(A.instance, `${BLUE}-0`).opts).toEqual({
      ...PLAIN_OPTIONS,
      deleteBeforeReplace: true,
      replaceOnChanges: ["ami", "userData", "instanceType"],
    });
  });

  it("keeps an encrypted 50 GiB gp3 volume in the instance's zone, snapshotted if ever deleted", () => {
    const volume = run.get(A.volume, `${BLUE}-data-0`);
    expect(volume.inputs).toEqual({
      availabilityZone: "us-east-1a",
      size: 50,
      type: "gp3",
      encrypted: true,
      finalSnapshot: true,
      tags: tagsOf(`${BLUE}-data-0`, "ledger", "aws-legacy", "blue"),
    });
    expect(volume.opts).toEqual({ ...PLAIN_OPTIONS, protect: true, retainOnDelete: true });
  });

  it("attaches the volume as /dev/sdf, stopping the instance before detaching, released before a new attachment", async () => {
    const attachment = run.get(A.volumeAttachment, `${BLUE}-data-0-attachment`);
    expect(attachment.inputs).toEqual({
      deviceName: "/dev/sdf",
      volumeId: await idOf(run, A.volume, `${BLUE}-data-0`),
      instanceId: await idOf(run, A.instance, `${BLUE}-0`),
      stopInstanceBeforeDetaching: true,
    });
    expect(attachment.opts).toEqual({ ...PLAIN_OPTIONS, deleteBeforeReplace: true });
  });

  it("mounts the volume by its NVMe ID at /var/lib/ledger before the app starts, from secret user data", async () => {
    const instance = run.get(A.instance, `${BLUE}-0`);
    expect(instance.secretProps).toContain("userData");
    const volumeId = await idOf(run, A.volume, `${BLUE}-data-0`);
    expect(volumeId).toEqual(expect.stringMatching(/^vol-[0-9a-f]{17}$/));
    const device = `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId.replace("-", "")}`;
    const userData = instance.inputs.userData as string;
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    const doc = parse(userData) as { write_files: { path: string; content: string }[] };
    const unit = doc.write_files.find(
      (f) => f.path === "/etc/systemd/system/phoenix-data-volume.service",
    );
    expect(unit?.content).toContain(
      `ExecStart=/usr/local/sbin/phoenix-mount-data-volume ${device} /var/lib/ledger ext4\n`,
    );
    const dropIn = doc.write_files.find(
      (f) => f.path === "/etc/systemd/system/ledger.service.d/10-phoenix.conf",
    );
    expect(dropIn?.content).toContain("Requires=phoenix-data-volume.service\n");
    expect(dropIn?.content).toContain("AssertPathIsMountPoint=/var/lib/ledger\n");
  });

  it("keeps the Elastic IP (protected, retained) and moves it only after the gate", async () => {
    const eip = run.get(A.eip, `${IP}-ip`);
    expect(eip.inputs).toEqual({
      domain: "vpc",
      tags: tagsOf(`${IP}-ip`, "ledger", "aws-legacy"),
    });
    expect(eip.opts).toEqual({ ...PLAIN_OPTIONS, protect: true, retainOnDelete: true });
    const association = run.get(A.eipAssociation, `${IP}-association`);
    expect(association.inputs).toEqual({
      allocationId: await outputOf(run, A.eip, `${IP}-ip`, "allocationId"),
      instanceId: await idOf(run, A.instance, `${BLUE}-0`),
      allowReassociation: true,
    });
    expect(association.opts).toEqual({
      ...PLAIN_OPTIONS,
      dependsOn: [`${A.healthGate}::${IP}-gate`],
    });
  });

  it("starts the gate's clock only once the data volume is attached", () => {
    expect(run.get(A.healthGate, `${IP}-gate`).opts.dependsOn).toEqual([
      `${A.volumeAttachment}::${BLUE}-data-0-attachment`,
    ]);
  });

  it("gates the instance on its own public address and app port", async () => {
    const publicIp = await outputOf(run, A.instance, `${BLUE}-0`, "publicIp");
    expect(run.get(A.command, `${IP}-gate-blue`).inputs.create).toBe(
      `bash components/core/health-probe.sh --url http://${publicIp}:8443/health` +
        " --successes 3 --timeout 300 --interval 5 --request-timeout 5",
    );
  });
});
