#!/usr/bin/env python3
"""Upgrades: the data each released Berkas wrote, opened by this build.

    test_upgrade.py BERKAS_SERVER BERKAS

For each fixture under tests/upgrade/fixtures/ (made by make_fixture.py with
that release's own binaries): this build's server serves the release's
database, this build's berkas opens the release's laptop folders, every
record reads back as the release wrote it, a plain folder is encrypted at its
first login, the change A made offline before the upgrade reaches B, and the
next registration number follows the ones the release issued."""

import json
import os
import shutil
import socket
import subprocess
import threading
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "client"))
from harness import Laptop, Server, Tally, test_env  # noqa: E402

SQLITE_HEADER = b"SQLite format 3\x00"


def header(path):
    with open(path, "rb") as f:
        return f.read(16)


class Forwarder:
    """The release's server address (its laptops keep it) on 127.0.0.1,
    forwarded to this build's server: the office's address does not change
    with an upgrade; the test's free port does."""

    def __init__(self, old_url, new_port):
        self.listener = socket.create_server(("127.0.0.1", int(old_url.rsplit(":", 1)[1])))
        self.new_port = new_port
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.new_port))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def pipe(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        # shutdown() wakes the thread blocked in accept(); close() alone
        # would leave the port listening until it returns.
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()


def upgrade(fixture, server_bin, berkas, t):
    name = os.path.basename(fixture)
    with open(os.path.join(fixture, "fixture.json")) as f:
        expected = json.load(f)
    tmp = tempfile.mkdtemp(prefix=f"berkas-upgrade-{name}-")
    env = test_env(tmp)
    for part in ("server", "laptop-a", "laptop-b"):
        shutil.copytree(os.path.join(fixture, part), os.path.join(tmp, part))
    server = Server(server_bin, os.path.join(tmp, "server"), env, [])
    forwarder = Forwarder(expected["server_url"], server.port)
    try:
        users = subprocess.run([server_bin, f"--data={tmp}/server", "user", "list"], capture_output=True,
                               text=True, env=env).stdout
        t.check(f"{name}: the server's accounts survive", "manajer" in users and "petugas" in users, users)
        laptops = {}
        for part in ("laptop-a", "laptop-b"):
            laptop = Laptop(berkas, os.path.join(tmp, part), env)
            if os.path.exists(os.path.join(tmp, part, "keys.json")):
                laptop.env["BERKAS_PASSWORD"] = expected["passwords"][part]
            laptops[part] = laptop
        a, b = laptops["laptop-a"], laptops["laptop-b"]
        db_a = os.path.join(tmp, "laptop-a", "berkas.db")
        encrypted_before = header(db_a) if header(db_a) != SQLITE_HEADER else None

        for rid, fields in expected["records"].items():
            got = a.get(rid)
            t.check(f"{name}: laptop A reads {rid[:8]} as the release wrote it",
                    all(got.get(k) == v for k, v in fields.items()), f"{got} vs {fields}")
        if encrypted_before is not None:
            # The release's SQLCipher 4 file is written anew with AEGIS at the
            # first unlock: a new file, with a salt of its own.
            t.check(f"{name}: laptop A's encrypted file is re-encrypted at its first unlock",
                    header(db_a) not in (encrypted_before, SQLITE_HEADER))

        # The first login of this build: a plain folder is encrypted now.
        for part, laptop in laptops.items():
            laptop.run("login", f"--user={expected['users'][part]}",
                       stdin=expected["passwords"][part] + "\n")
            db = os.path.join(tmp, part, "berkas.db")
            t.check(f"{name}: {part} is encrypted after its login",
                    os.path.exists(os.path.join(tmp, part, "keys.json")) and header(db) != SQLITE_HEADER)
            plain = subprocess.run(["sqlite3", db, "SELECT count(*) FROM application"], capture_output=True,
                                   text=True)
            t.check(f"{name}: the sqlite3 shell cannot read {part}", plain.returncode != 0, plain.stdout)

        pushed = a.sync()
        t.check(f"{name}: A pushes the change it made offline before the upgrade", pushed["pushed"] >= 1, pushed)
        b.sync()
        change = expected["unpushed_on_a"]
        t.check(f"{name}: B receives it", b.get(change["id"]).get(change["field"]) == change["value"])
        for rid, fields in expected["records"].items():
            got = b.get(rid)
            t.check(f"{name}: laptop B holds {rid[:8]} whole",
                    all(got.get(k) == v for k, v in fields.items()), f"{got} vs {fields}")

        numbered = [f["reg_no"] for f in expected["records"].values() if f.get("reg_no")]
        fresh = a.new("application", service_code="PBG", applicant_name="Wulan Anggraini",
                      nik="3275095008920004", channel="portal", kecamatan="32.75.09")
        a.set(fresh, status="submitted")
        a.sync()
        reg_no = a.get(fresh).get("reg_no", "")
        # Gapless per year: the release's counter goes on within its year.
        year = reg_no.split("/")[0]
        last = max([int(n.rsplit("/", 1)[1]) for n in numbered if n.startswith(year + "/")] or [0])
        t.check(f"{name}: the next registration number follows the release's ({reg_no})",
                reg_no.endswith("/%06d" % (last + 1)) and reg_no not in numbered, reg_no)
        conflicts = a.conflicts() + b.conflicts()
        t.check(f"{name}: no conflict came of the upgrade", conflicts == [], conflicts)
    finally:
        forwarder.close()
        server.stop()
        if t.failed:
            print(server.log_tail())
    shutil.rmtree(tmp)


def main():
    server_bin, berkas = sys.argv[1], sys.argv[2]
    t = Tally()
    root = os.path.join(HERE, "fixtures")
    fixtures = sorted(os.path.join(root, d) for d in os.listdir(root))
    t.check("fixtures of released versions are present", len(fixtures) >= 1, root)
    for fixture in fixtures:
        upgrade(fixture, server_bin, berkas, t)
    return t.summary()


if __name__ == "__main__":
    sys.exit(main())
