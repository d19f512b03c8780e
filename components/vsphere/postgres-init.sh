#!/usr/bin/env bash
# First-boot set-up of Phoenix's Postgres server on vSphere, run by cloud-init after the data
# disk is mounted at /var/lib/postgresql. Idempotent: on a rebuilt server the disk already holds
# the cluster, which is kept as it is (never re-initialised); only the settings Phoenix owns and
# the app role's password are written again.
#
#   phoenix-postgres-init [ENV_FILE]
#
# ENV_FILE (default /etc/phoenix/postgresql.env, root-only) sets PHOENIX_PG_VERSION,
# PHOENIX_PG_PORT, PHOENIX_DB_NAME, PHOENIX_DB_USER, PHOENIX_DB_PASSWORD and PHOENIX_APP_CIDR. The
# password is read from that file and handed to psql on stdin: it never appears in a command line
# or a log. PG_CLUSTER_CONF_ROOT (postgresql-common's own variable, default /etc/postgresql) and
# PHOENIX_PG_DATA_ROOT (default /var/lib/postgresql) let a test run it beside a system's own.
# The template carries Postgres PHOENIX_PG_VERSION without a cluster (the image build drops it).
# Cluster configuration lives on the data disk too (/etc/postgresql is a link to it), so a
# rebuilt server finds the cluster whole.
set -euo pipefail

env_file=${1:-/etc/phoenix/postgresql.env}
data=${PHOENIX_PG_DATA_ROOT:-/var/lib/postgresql}
die() {
  echo "phoenix-postgres-init: $*" >&2
  exit 1
}

[[ -r $env_file ]] || die "cannot read $env_file"
# shellcheck disable=SC1090 # the file is Phoenix's own, written by cloud-init
. "$env_file"
for name in PHOENIX_PG_VERSION PHOENIX_PG_PORT PHOENIX_DB_NAME PHOENIX_DB_USER PHOENIX_DB_PASSWORD PHOENIX_APP_CIDR; do
  [[ -n ${!name:-} ]] || die "$env_file does not set $name"
done
[[ $PHOENIX_PG_VERSION =~ ^[0-9]{2}$ ]] || die "PHOENIX_PG_VERSION must be a major version, got '$PHOENIX_PG_VERSION'"
[[ $PHOENIX_PG_PORT =~ ^[1-9][0-9]{0,4}$ ]] || die "PHOENIX_PG_PORT must be a port, got '$PHOENIX_PG_PORT'"
[[ $PHOENIX_DB_NAME =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "PHOENIX_DB_NAME must be a plain identifier, got '$PHOENIX_DB_NAME'"
[[ $PHOENIX_DB_USER =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "PHOENIX_DB_USER must be a plain identifier, got '$PHOENIX_DB_USER'"
bin=/usr/lib/postgresql/$PHOENIX_PG_VERSION/bin
[[ -x $bin/postgres ]] || die "the template has no Postgres $PHOENIX_PG_VERSION ($bin/postgres): build the database template for phoenix:dbEngineVersion"
mountpoint -q "$data" || die "$data is not a mount point: the data disk is not mounted"
# A new disk's filesystem root is root's: Postgres's home belongs to postgres, as Debian makes it.
chown postgres:postgres "$data"
chmod 0755 "$data"

# The cluster's configuration lives beside its data, on the disk that outlives the server.
conf_root=${PG_CLUSTER_CONF_ROOT:-/etc/postgresql}
mkdir -p "$data/etc"
if [[ -d $conf_root && ! -L $conf_root ]]; then
  cp -a --no-clobber "$conf_root/." "$data/etc/" && rm -rf "$conf_root"
fi
ln -sfn "$data/etc" "$conf_root"

# TLS with the server's own certificate (ssl-cert's snakeoil, made once per server); clients use
# sslmode=require: encrypted, and the password is never sent in clear.
cert=/etc/ssl/certs/ssl-cert-snakeoil.pem
key=/etc/ssl/private/ssl-cert-snakeoil.key
[[ -f $cert && -f $key ]] || make-ssl-cert generate-default-snakeoil --force-overwrite

conf=$conf_root/$PHOENIX_PG_VERSION/main
if [[ ! -f $data/$PHOENIX_PG_VERSION/main/PG_VERSION ]]; then
  # On the port the app is given: fails rather than pick another if something holds it.
  pg_createcluster --port "$PHOENIX_PG_PORT" --datadir "$data/$PHOENIX_PG_VERSION/main" \
    "$PHOENIX_PG_VERSION" main -- --auth-local=peer --auth-host=scram-sha-256
  echo "phoenix-postgres-init: created cluster $PHOENIX_PG_VERSION/main on the data disk"
else
  echo "phoenix-postgres-init: kept the cluster $PHOENIX_PG_VERSION/main found on the data disk"
fi
mkdir -p "$conf/conf.d"
# Passwords are hashed with SCRAM-SHA-256, the default since Postgres 14.
cat >"$conf/conf.d/phoenix.conf" <<CONF
# Written by phoenix-postgres-init at every boot: edit the stack, not this file.
listen_addresses = '*'
port = $PHOENIX_PG_PORT
ssl = on
ssl_cert_file = '$cert'
ssl_key_file = '$key'
CONF
# Who may connect, all of it Phoenix's: local administration as the OS user of the same name,
# and over the network only the app role, to its database, from the app servers, with TLS.
cat >"$conf/pg_hba.conf" <<HBA
# Written by phoenix-postgres-init at every boot: edit the stack, not this file.
local   all             all                                     peer
hostssl $PHOENIX_DB_NAME $PHOENIX_DB_USER $PHOENIX_APP_CIDR scram-sha-256
HBA
chown -R postgres:postgres "$data/etc"

systemctl enable "postgresql@$PHOENIX_PG_VERSION-main.service"
systemctl restart "postgresql@$PHOENIX_PG_VERSION-main.service"

# The role and database, created once; the password set at every boot from the stack's secret.
# The password reaches psql on stdin (a \set line, quoted as psql reads it), never as an argument.
quoted=${PHOENIX_DB_PASSWORD//\\/\\\\}
quoted=${quoted//\'/\'\'}
{
  printf "\\set password '%s'\n" "$quoted"
  cat <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'user', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
} | runuser -u postgres -- psql --cluster "$PHOENIX_PG_VERSION/main" --quiet --no-psqlrc \
  -v ON_ERROR_STOP=1 -v user="$PHOENIX_DB_USER" -v db="$PHOENIX_DB_NAME"
echo "phoenix-postgres-init: Postgres $PHOENIX_PG_VERSION serves $PHOENIX_DB_NAME to $PHOENIX_APP_CIDR"
