#!/usr/bin/env bash
# Starts the local PostgreSQL cluster (Debian's postgresql package, installed by
# install-deps.sh) and makes a throwaway role for the server backend's tests.
# Prints the URL to put in BERKAS_TEST_POSTGRES:
#
#   export BERKAS_TEST_POSTGRES=$(bash installer/test-postgres.sh)
#
# The role may create databases; each test makes its own and drops it.
set -euo pipefail

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        sudo -u postgres "$@"
    fi
}

version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "online"; then
    if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
        as_postgres true
        pg_createcluster "$version" main >/dev/null
    fi
    pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 50); do
    as_postgres psql -qtAc "SELECT 1" >/dev/null 2>&1 && break
    sleep 0.2
done
as_postgres psql -qtAc "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'berkas_test') THEN
    CREATE ROLE berkas_test LOGIN CREATEDB PASSWORD 'berkas-test-only';
  END IF;
END \$\$;" >&2
echo "postgresql://berkas_test:berkas-test-only@127.0.0.1:5432/postgres"
