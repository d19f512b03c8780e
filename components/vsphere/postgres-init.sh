#!/usr/bin/env bash
# First-boot set-up of Phoenix's Postgres server on vSphere, run by cloud-init after the data
# disk is mounted at /var/lib/postgresql. Idempotent: on a rebuilt server the disk already holds
# the cluster, which is kept as it is (never re-initialised); only the settings Phoenix owns and
# the app role's password are written again.
#
#   phoenix-postgres-init [ENV_FILE]
#
# ENV_FILE (default /etc/phoenix/postgresql.env, root-only) sets PHOENIX_PG_VERSION,
# PHOENIX_DB_NAME, PHOENIX_DB_USER, PHOENIX_DB_PASSWORD and PHOENIX_APP_CIDR. The password is
# read from that file and handed to psql on stdin: it never appears in a command line or a log.
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
for name in PHOENIX_PG_VERSION PHOENIX_DB_NAME PHOENIX_DB_USER PHOENIX_DB_PASSWORD PHOENIX_APP_CIDR; do
  [[ -n ${!name:-} ]] || die "$env_file does not set $name"
done
[[ $PHOENIX_PG_VERSION =~ ^[0-9]{2}$ ]] || die "PHOENIX_PG_VERSION must be a major version, got '$PHOENIX_PG_VERSION'"
[[ $PHOENIX_DB_NAME =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "PHOENIX_DB_NAME must be a plain identifier, got '$PHOENIX_DB_NAME'"
[[ $PHOENIX_DB_USER =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "PHOENIX_DB_USER must be a plain identifier, got '$PHOENIX_DB_USER'"
bin=/usr/lib/postgresql/$PHOENIX_PG_VERSION/bin
[[ -x $bin/postgres ]] || die "the template has no Postgres $PHOENIX_PG_VERSION ($bin/postgres): build the database template for phoenix:dbEngineVersion"
mountpoint -q "$data" || die "$data is not a mount point: the data disk is not mounted"

# The cluster's configuration lives beside its data, on the disk that outlives the server.
mkdir -p "$data/etc"
if [[ -d /etc/postgresql && ! -L /etc/postgresql ]]; then
  cp -a --no-clobber /etc/postgresql/. "$data/etc/" && rm -rf /etc/postgresql
fi
ln -sfn "$data/etc" /etc/postgresql

conf=/etc/postgresql/$PHOENIX_PG_VERSION/main
if [[ ! -f $data/$PHOENIX_PG_VERSION/main/PG_VERSION ]]; then
  pg_createcluster "$PHOENIX_PG_VERSION" main -- --auth-local=peer --auth-host=scram-sha-256
  echo "phoenix-postgres-init: created cluster $PHOENIX_PG_VERSION/main on the data disk"
else
  echo "phoenix-postgres-init: kept the cluster $PHOENIX_PG_VERSION/main found on the data disk"
fi
mkdir -p "$conf/conf.d"
# Passwords are hashed with SCRAM-SHA-256, the default since Postgres 14.
cat >"$conf/conf.d/phoenix.conf" <<CONF
# Written by phoenix-postgres-init at every boot: edit the stack, not this file.
listen_addresses = '*'
ssl = on
CONF
hba=$conf/pg_hba.conf
marker="# phoenix: the app servers, TLS and a password only"
sed -i "/^$marker\$/,+1d" "$hba"
printf '%s\nhostssl %s %s %s scram-sha-256\n' "$marker" "$PHOENIX_DB_NAME" "$PHOENIX_DB_USER" "$PHOENIX_APP_CIDR" >>"$hba"
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
} | runuser -u postgres -- psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 \
  -v user="$PHOENIX_DB_USER" -v db="$PHOENIX_DB_NAME"
echo "phoenix-postgres-init: Postgres $PHOENIX_PG_VERSION serves $PHOENIX_DB_NAME to $PHOENIX_APP_CIDR"
