#!/usr/bin/env python3
"""Makes the data of one released Berkas: a central office database and two
laptop folders, written by that release's own binaries, for test_upgrade.py.

    make_fixture.py BIN_DIR OUT_DIR

BIN_DIR holds the release's berkas and berkas-server. OUT_DIR, named after the release (its commit),
receives
server/ (the server's data folder), laptop-a/ and laptop-b/ (laptop data
folders: A synced and then edited offline, so that it holds an unpushed
change; B synced), and fixture.json: what the data holds, for the test to
check after the upgrade. All names, NIKs and passwords are invented."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "client"))
from harness import Laptop, Server, test_env  # noqa: E402

# The address the laptops keep: a fixed port below the range the system
# hands out for port 0, so that test_upgrade.py can listen on it again while
# other tests' servers run.
FIXTURE_PORT = 18470
PASSWORD_A = "kunci-kantor-lama-1"
PASSWORD_B = "kunci-loket-lama-1"


def version_of(binary, env):
    p = subprocess.run([binary, "--version"], capture_output=True, text=True, env=env)
    return p.stdout.strip() if p.returncode == 0 else "unknown"


def checkpoint(folder):
    """Folds each database's write-ahead log into its file (a clean close
    does this; a plain server database may be checkpointed by the shell)."""
    for name in os.listdir(folder):
        if name.endswith("-wal") or name.endswith("-shm"):
            raise SystemExit(f"{folder}/{name} left behind: a process did not close its database")


def main():
    bin_dir, out = sys.argv[1], sys.argv[2]
    berkas = os.path.join(bin_dir, "berkas")
    server_bin = os.path.join(bin_dir, "berkas-server")
    tmp = tempfile.mkdtemp(prefix="berkas-fixture-")
    env = test_env(tmp)
    server = Server(server_bin, os.path.join(tmp, "server"), env,
                    [("manajer", ["--role=manager"], PASSWORD_A),
                     ("petugas", ["--role=clerk", "--kecamatan=32.75.09"], PASSWORD_B)],
                    port=FIXTURE_PORT)
    try:
        a = Laptop(berkas, os.path.join(tmp, "laptop-a"), env)
        b = Laptop(berkas, os.path.join(tmp, "laptop-b"), env)
        a.run("enroll", f"--server={server.url}", "--user=manajer", stdin=PASSWORD_A + "\n")
        b.run("enroll", f"--server={server.url}", "--user=petugas", stdin=PASSWORD_B + "\n")
        first = a.new("application", service_code="PBG", applicant_name="Rahmat Hidayatullah",
                      nik="3275091203850007", phone="081298765432", channel="phone",
                      address="Jl. Contoh Raya No. 12, Bekasi", kecamatan="32.75.09")
        second = a.new("application", service_code="SIA", kecamatan="32.75.09", applicant_name="Dewi Kartikasari",
                       nik="3275094507900003", channel="email", email="dewi.k@contoh.example")
        a.set(first, status="submitted")
        complaint = a.new("complaint", kind="complaint", channel="whatsapp", complainant_name="Yusuf Pratama", kecamatan="32.75.09",
                          subject="Antrean terlalu panjang")
        a.sync()
        b.sync()
        a.sync()
        # Offline on A after its last sync: an edit the server does not have yet.
        a.set(second, phone="085711112222")
        expected = {
            "release": os.path.basename(os.path.normpath(out)),
            "version": version_of(berkas, env),
            "server_url": server.url,
            "passwords": {"laptop-a": PASSWORD_A, "laptop-b": PASSWORD_B},
            "users": {"laptop-a": "manajer", "laptop-b": "petugas"},
            "records": {
                first: {"applicant_name": "Rahmat Hidayatullah", "nik": "3275091203850007",
                        "status": "submitted", "reg_no": a.get(first).get("reg_no", "")},
                second: {"applicant_name": "Dewi Kartikasari", "phone": "+6285711112222",
                         "reg_no": a.get(second).get("reg_no", "")},
                complaint: {"subject": "Antrean terlalu panjang"},
            },
            "unpushed_on_a": {"id": second, "field": "phone", "value": "+6285711112222"},
        }
    finally:
        server.stop()
    for part in ("server", "laptop-a", "laptop-b"):
        checkpoint(os.path.join(tmp, part))
    os.makedirs(out, exist_ok=True)
    for part in ("server", "laptop-a", "laptop-b"):
        shutil.rmtree(os.path.join(out, part), ignore_errors=True)
        shutil.copytree(os.path.join(tmp, part), os.path.join(out, part),
                        ignore=shutil.ignore_patterns("*.log", "*.pid"))
    with open(os.path.join(out, "fixture.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")
    shutil.rmtree(tmp)
    print(f"fixture of {expected['release']} ({expected['version']}) in {out}")


if __name__ == "__main__":
    main()
