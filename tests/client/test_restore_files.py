#!/usr/bin/python3
"""Attachment files survive the loss of the central office's disk: a backup
taken while the server serves keeps the files that had arrived beside the
database; after a restore onto an empty folder the server has them again,
the laptop that attached a file after the backup sends it again at its next
sync (it no longer trusts what it knew of the old server's files), and a
second laptop fetches every file byte-identical by SHA-256. A second backup
into the same file folder copies only what is new.

Usage: test_restore_files.py BERKAS_SERVER BERKAS"""

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import COMMAND_TIMEOUT, Laptop, Server, Tally, test_env  # noqa: E402

PASSWORD = "kata-sandi-uji-1"


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def photo(path, rng, size):
    # A JPEG start and random bytes: stored as what it is, nothing compresses.
    with open(path, "wb") as f:
        f.write(b"\xff\xd8\xff\xe0" + rng.randbytes(size))
    return sha256_of(path)


def admin(server_bin, env, data, *args):
    return subprocess.run([server_bin, f"--data={data}", *args], capture_output=True, text=True,
                          timeout=COMMAND_TIMEOUT * 4, env=env)


def main():
    server_bin, berkas_bin = sys.argv[1], sys.argv[2]
    t = Tally()
    rng = random.Random(20261203)
    with tempfile.TemporaryDirectory() as tmp:
        env = test_env(tmp)
        data = os.path.join(tmp, "server")
        server = Server(server_bin, data, env,
                        [("kepala", ["--role=manager"], PASSWORD), ("budi", ["--role=verifier"], PASSWORD)])
        try:
            a = Laptop(berkas_bin, os.path.join(tmp, "a"), env)
            b = Laptop(berkas_bin, os.path.join(tmp, "b"), env)
            for laptop, user in ((a, "kepala"), (b, "budi")):
                laptop.run("enroll", f"--server={server.url}", f"--user={user}", stdin=PASSWORD + "\n")
            app = a.new("application", service_code="PBG", applicant_name="Rini Hapsari",
                        nik="3275094107900001", channel="phone", kecamatan="32.75.09")
            task = a.new("task", application_id=app, assigned_to="budi", scheduled_for="2026-12-10")

            before = os.path.join(tmp, "depan.jpg")
            before_sha = photo(before, rng, 3 * 1000 * 1000)
            before_id = a.run("attach", task, before).stdout.strip()
            t.check("the first photo is sent", a.sync()["files_sent"] == 1)

            backup = os.path.join(tmp, "backup", "berkas-Kam.db")
            shared = os.path.join(tmp, "backup", "files")
            os.makedirs(os.path.dirname(backup))
            p = admin(server_bin, env, data, "backup", f"--to={backup}", f"--backup-files={shared}")
            t.check("backup while serving succeeds", p.returncode == 0, p.stderr)
            t.check("the backup copies the file that had arrived",
                    "attachment files: 1 copied" in p.stdout
                    and sha256_of(os.path.join(shared, before_sha[:2], before_sha)) == before_sha, p.stdout)

            after = os.path.join(tmp, "belakang.jpg")
            after_sha = photo(after, rng, 2 * 1000 * 1000 + 17)
            after_id = a.run("attach", task, after).stdout.strip()
            t.check("the photo taken after the backup is sent", a.sync()["files_sent"] == 1)

            again = admin(server_bin, env, data, "backup", f"--to={backup}.2", f"--backup-files={shared}")
            t.check("a second backup into the same file folder copies only the new file",
                    again.returncode == 0 and "attachment files: 1 copied" in again.stdout
                    and "1 already there" in again.stdout, again.stdout + again.stderr)
            shutil.rmtree(os.path.join(shared, after_sha[:2]))  # the older backup has only the first

            # Bad folders are refused before anything is written.
            p = admin(server_bin, env, data, "backup", f"--to={backup}.3", f"--backup-files={backup}")
            t.check("a backup whose file folder names a file is refused, nothing written",
                    p.returncode == 1 and "backup-files: " in p.stderr and "is a file" in p.stderr
                    and not os.path.exists(f"{backup}.3"), p.stderr)

            server.stop()
            p = admin(server_bin, env, data, "restore", f"--from={backup}", f"--backup-files={tmp}/no-such-folder")
            t.check("a restore naming a file folder that is not there is refused, nothing changed",
                    p.returncode == 1 and "backup-files: no folder" in p.stderr
                    and not os.path.exists(os.path.join(data, "server.db.before-restore")), p.stderr)
            shutil.rmtree(data)  # the disk died
            os.makedirs(data)
            p = admin(server_bin, env, data, "restore", f"--from={backup}", f"--backup-files={shared}")
            t.check("restore onto an empty folder succeeds", p.returncode == 0, p.stdout + p.stderr)
            t.check("the restore puts the backup's file back",
                    "attachment files: 1 copied" in p.stdout
                    and sha256_of(os.path.join(data, "files", before_sha[:2], before_sha)) == before_sha,
                    p.stdout)
            t.check("the file that came after the backup is not there yet",
                    not os.path.exists(os.path.join(data, "files", after_sha[:2], after_sha)))

            # The same address: the laptops know the office by it.
            server = Server(server_bin, data, env, [], port=server.port)
            summary = a.sync()
            t.check("the laptop sends again only the file the restored server lacks",
                    summary["files_sent"] == 1, summary)
            t.check("the server holds it whole again",
                    sha256_of(os.path.join(data, "files", after_sha[:2], after_sha)) == after_sha)

            summary = b.sync()
            t.check("the verifier's laptop fetches both photos", summary["files_fetched"] == 2, summary)
            for att, sha in ((before_id, before_sha), (after_id, after_sha)):
                out = os.path.join(tmp, att + ".out")
                p = b.run("extract", att, f"--to={out}", ok=False)
                t.check(f"photo {att[:8]} reaches the verifier byte-identical",
                        p.returncode == 0 and sha256_of(out) == sha, p.stderr)
        finally:
            server.stop()
            if t.failed:
                print(server.log_tail())
    return t.summary()


if __name__ == "__main__":
    sys.exit(main())
