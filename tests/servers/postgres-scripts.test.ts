import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { renderDatabaseUserData } from "../../components/vsphere/database-user-data";
import { parse } from "yaml";

/**
 * The vSphere database server's two scripts, run for real against Debian's Postgres: the first
 * boot (a cluster made on the data disk, TLS, the app role with its password, access from the app
 * servers' block only), a rebuild on the same disk (the cluster and its data kept, the password
 * set again), and the release before a rebuild (Postgres stopped, the disk unmounted).
 *
 * systemd is not running here: a `systemctl` first on the PATH maps the calls the scripts make to
 * postgresql-common's own pg_ctlcluster. The data disk is an ext4 image on a loop device; the
 * cluster's configuration root is the test's own (PG_CLUSTER_CONF_ROOT, postgresql-common's variable), so
 * nothing of the machine's Postgres is touched. Port 55432 on loopback only.
 */

const SCRIPTS = path.join(__dirname, "../../components/vsphere");
const VERSION = fs.readdirSync("/usr/lib/postgresql").sort().at(-1) as string;
const PORT = "55432";
const root = fs.mkdtempSync(path.join(tmpdir(), "phoenix-pg-"));
// Postgres runs as postgres: it must reach the data disk's mount point.
fs.chmodSync(root, 0o755);
const data = path.join(root, "data");
const confRoot = path.join(root, "conf");
const bin = path.join(root, "bin");
const envFile = path.join(root, "postgresql.env");
const image = path.join(root, "data-disk.img");
const mount = () => execFileSync("mount", ["-o", "loop", image, data]);

const PASSWORD = `pw-'quoted'\\and-$dollar`;

/** The environment file as the user data writes it, for this test's port and address range. */
function writeEnvFile(password: string): void {
  const userData = renderDatabaseUserData({
    version: VERSION,
    databaseName: "shop",
    user: "shop",
    password,
    appCidr: "127.0.0.0/8",
    adminCidrs: [],
    sshUser: "phoenix",
    sshPublicKey:
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3d0Vh7y8mJwF1c2Zt5RkQ9pXnB4sLrT0uE6aYvW2D x",
  });
  const files = (
    parse(userData, { version: "1.1" }) as { write_files: { path: string; content: string }[] }
  ).write_files;
  const env = files.find((f) => f.path === "/etc/phoenix/postgresql.env")?.content as string;
  fs.writeFileSync(envFile, env.replace(/^PHOENIX_PG_PORT=.*$/m, `PHOENIX_PG_PORT="${PORT}"`), {
    mode: 0o600,
  });
}

const ENV = {
  ...process.env,
  PATH: `${bin}:${process.env.PATH ?? ""}`,
  PG_CLUSTER_CONF_ROOT: confRoot,
  PHOENIX_PG_DATA_ROOT: data,
};

function script(name: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync("bash", [path.join(SCRIPTS, name), ...args], { env: ENV, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A query as the app connects: over TCP, with its password, TLS as DATABASE_URL requires. */
function query(
  sql: string,
  password: string,
  sslmode = "require",
): { status: number | null; output: string } {
  const r = spawnSync(
    "psql",
    [`host=127.0.0.1 port=${PORT} dbname=shop user=shop sslmode=${sslmode}`, "-tAc", sql],
    { env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: "5" }, encoding: "utf8" },
  );
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

const mounted = () => spawnSync("mountpoint", ["-q", data]).status === 0;

beforeAll(() => {
  fs.mkdirSync(data);
  fs.mkdirSync(bin);
  execFileSync("truncate", ["-s", "256M", image]);
  execFileSync("mkfs.ext4", ["-q", "-F", image]);
  mount();
  // systemctl, as the scripts call it, on postgresql-common's tools.
  fs.writeFileSync(
    path.join(bin, "systemctl"),
    `#!/bin/bash
set -e
case "$1" in
  enable|daemon-reload) exit 0 ;;
  restart) v=\${2#postgresql@}; v=\${v%.service}; exec pg_ctlcluster "\${v%%-*}" "\${v#*-}" restart ;;
  stop) for c in $(pg_lsclusters -h | awk '{print $1 "/" $2}'); do pg_ctlcluster "\${c%/*}" "\${c#*/}" stop || true; done; exit 0 ;;
  is-active) pg_lsclusters -h | grep -q online && exit 0; exit 3 ;;
  *) echo "systemctl stub: $*" >&2; exit 1 ;;
esac
`,
    { mode: 0o755 },
  );
  writeEnvFile(PASSWORD);
}, 60_000);

afterAll(() => {
  spawnSync("pg_ctlcluster", [VERSION, "main", "stop", "-m", "immediate"], { env: ENV });
  spawnSync("umount", [data]);
  fs.rmSync(root, { recursive: true, force: true });
});

describe(`Postgres ${VERSION} on a data disk, as the database server runs it`, () => {
  it("first boot: makes the cluster on the disk and serves the app role over TLS", () => {
    const r = script("postgres-init.sh", [envFile]);
    expect(r).toEqual({
      status: 0,
      output: expect.stringContaining(`created cluster ${VERSION}/main on the data disk`),
    });
    expect(fs.readlinkSync(confRoot)).toBe(path.join(data, "etc"));
    expect(fs.existsSync(path.join(data, VERSION, "main", "PG_VERSION"))).toBe(true);
    expect(
      query("SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", PASSWORD),
    ).toEqual({
      status: 0,
      output: "shop|t",
    });
    expect(
      query("CREATE TABLE orders (id int); INSERT INTO orders VALUES (42)", PASSWORD).status,
    ).toBe(0);
    expect(r.output).not.toContain("and-$dollar");
  }, 60_000);

  it("refuses a wrong password and any connection without TLS", () => {
    const wrong = query("SELECT 1", "not-the-password");
    expect(wrong.status).not.toBe(0);
    expect(wrong.output).toContain('password authentication failed for user "shop"');
    const plain = query("SELECT 1", PASSWORD, "disable");
    expect(plain.status).not.toBe(0);
    expect(plain.output).toContain("no pg_hba.conf entry");
  });

  it("release: stops Postgres and unmounts the disk, so the VMDK can leave the server", () => {
    const r = script("postgres-release.sh", [data]);
    expect(r).toEqual({
      status: 0,
      output: expect.stringContaining(
        `Postgres stopped, ${data} unmounted: the data disk may be detached`,
      ),
    });
    expect(mounted()).toBe(false);
  });

  it("rebuild on the same disk: keeps the cluster and its data, sets the new password", () => {
    // The new server: the disk attached and mounted again, no cluster configuration of its own.
    fs.rmSync(confRoot, { force: true });
    mount();
    writeEnvFile("the-next-password");
    const r = script("postgres-init.sh", [envFile]);
    expect(r).toEqual({
      status: 0,
      output: expect.stringContaining(`kept the cluster ${VERSION}/main found on the data disk`),
    });
    expect(query("SELECT id FROM orders", "the-next-password")).toEqual({
      status: 0,
      output: "42",
    });
    expect(query("SELECT 1", PASSWORD).output).toContain(
      'password authentication failed for user "shop"',
    );
    // pg_hba.conf is Phoenix's alone, written whole at every boot.
    expect(fs.readFileSync(path.join(confRoot, VERSION, "main", "pg_hba.conf"), "utf8")).toBe(
      "# Written by phoenix-postgres-init at every boot: edit the stack, not this file.\n" +
        "local   all             all                                     peer\n" +
        "hostssl shop shop 127.0.0.0/8 scram-sha-256\n",
    );
  }, 60_000);

  it("release refuses while something holds the disk, leaving it mounted", () => {
    const holder = spawn("sleep", ["30"], { cwd: data });
    try {
      const r = script("postgres-release.sh", [data]);
      expect(r.status).toBe(1);
      expect(r.output).toContain(`phoenix-postgres-release: could not unmount ${data}`);
      expect(mounted()).toBe(true);
    } finally {
      holder.kill();
    }
  });
});
