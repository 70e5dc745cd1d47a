#!/usr/bin/python3
"""Attachment files end to end through real processes: a laptop attaches a
200 MB file and syncs through a proxy that cuts the connection at random
points (tests/client/fault_proxy.py); another laptop fetches it through cuts
too; both finish with the right SHA-256, and the peak memory (VmHWM, from
the kernel's accounting of each finished child) of every berkas process and
of the server stays far below the file's size. The seed is printed.

Usage: test_file_transfer.py BERKAS_SERVER BERKAS"""

import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fault_proxy import FaultProxy  # noqa: E402
from harness import COMMAND_TIMEOUT, Laptop, Server, Tally, test_env  # noqa: E402

FILE_BYTES = 200 * 1000 * 1000
MEMORY_LIMIT_KB = 120 * 1024  # peak RSS of any process, whatever the file's size
PASSWORD = "kata-sandi-uji-1"


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 20)
            if not block:
                return h.hexdigest()
            h.update(block)


def run_measured(laptop, *args):
    """Runs berkas like Laptop.run and returns (process, peak RSS in KB)."""
    p = subprocess.Popen([laptop.binary, f"--data={laptop.data}", *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=laptop.env)
    deadline = time.time() + COMMAND_TIMEOUT * 5
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.time() > deadline:
            p.kill()
            raise RuntimeError(f"berkas {' '.join(args)} did not finish")
        time.sleep(0.05)
    p.returncode = os.waitstatus_to_exitcode(status)
    out, err = p.stdout.read(), p.stderr.read()
    return p.returncode, out, err, usage.ru_maxrss


def server_peak_kb(server):
    with open(f"/proc/{server.process.pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def main():
    server_bin, berkas_bin = sys.argv[1], sys.argv[2]
    seed = int(os.environ.get("BERKAS_TEST_SEED", random.SystemRandom().randrange(1 << 30)))
    print(f"seed {seed}")
    t = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        env = test_env(tmp)
        server = Server(server_bin, os.path.join(tmp, "server"), env,
                        [("kepala", ["--role=manager"], PASSWORD), ("budi", ["--role=verifier"], PASSWORD),
                         ("siti", ["--role=clerk", "--kecamatan=32.71.01"], PASSWORD)],
                        extra_args=())
        proxy = FaultProxy(server.port, seed, cuts=4)
        try:
            a = Laptop(berkas_bin, os.path.join(tmp, "a"), env)
            b = Laptop(berkas_bin, os.path.join(tmp, "b"), env)
            c = Laptop(berkas_bin, os.path.join(tmp, "c"), env)
            for laptop, user in ((a, "kepala"), (b, "budi"), (c, "siti")):
                laptop.run("enroll", f"--server={proxy.url}", f"--user={user}", stdin=PASSWORD + "\n")

            app = a.new("application", service_code="PBG", applicant_name="Rini Hapsari",
                        nik="3275094107900001", channel="phone", kecamatan="32.75.09")
            task = a.new("task", application_id=app, assigned_to="budi", scheduled_for="2026-12-10")
            big = os.path.join(tmp, "rekaman-lokasi.bin")
            rng = random.Random(seed)
            with open(big, "wb") as f:
                for _ in range(FILE_BYTES // (1 << 20)):
                    f.write(rng.randbytes(1 << 20))
                f.write(rng.randbytes(FILE_BYTES % (1 << 20)))
            expected = sha256_of(big)

            code, out, err, peak = run_measured(a, "attach", task, big)
            t.check("attach of 200 MB succeeds", code == 0, err)
            attachment = out.strip()
            t.check(f"attach holds no whole file in memory (peak {peak} KB)", peak < MEMORY_LIMIT_KB)

            sent, syncs, peaks = 0, 0, []
            while sent == 0 and syncs < 15:
                code, out, err, peak = run_measured(a, "sync", "--json")
                peaks.append(peak)
                syncs += 1
                if code == 0:
                    sent = json.loads(out)["files_sent"]
            t.check(f"the upload finished after {syncs} syncs through {proxy.cuts_made} cuts", sent == 1)
            t.check(f"sending: peak memory of each sync below {MEMORY_LIMIT_KB} KB ({max(peaks)} KB)",
                    max(peaks) < MEMORY_LIMIT_KB)
            stored = os.path.join(server.data, "files", expected[:2], expected)
            t.check("the server holds the file whole, by its SHA-256",
                    os.path.exists(stored) and sha256_of(stored) == expected)

            proxy.cuts_left = 4
            fetched, syncs, peaks = 0, 0, []
            while fetched == 0 and syncs < 15:
                code, out, err, peak = run_measured(b, "sync", "--json")
                peaks.append(peak)
                syncs += 1
                if code == 0:
                    fetched = json.loads(out)["files_fetched"]
            t.check(f"the download finished after {syncs} syncs ({proxy.cuts_made} cuts in all)", fetched == 1)
            t.check(f"fetching: peak memory of each sync below {MEMORY_LIMIT_KB} KB ({max(peaks)} KB)",
                    max(peaks) < MEMORY_LIMIT_KB)
            out_path = os.path.join(tmp, "keluar.bin")
            code, _, err, peak = run_measured(b, "extract", attachment, f"--to={out_path}")
            t.check("extract on the verifier's laptop succeeds", code == 0, err)
            t.check("the extracted file has the SHA-256 of the original", sha256_of(out_path) == expected)
            t.check(f"extract peak memory below {MEMORY_LIMIT_KB} KB ({peak} KB)", peak < MEMORY_LIMIT_KB)
            speak = server_peak_kb(server)
            t.check(f"the server's peak memory below {MEMORY_LIMIT_KB} KB ({speak} KB)", 0 < speak < MEMORY_LIMIT_KB)

            c.run("sync")
            p = c.run("extract", attachment, f"--to={os.path.join(tmp, 'x.bin')}", ok=False)
            t.check("a clerk of another kecamatan gets neither the record nor the file",
                    p.returncode == 1 and "no attachment" in p.stderr
                    and not os.path.exists(os.path.join(c.data, "attachments", expected[:2], expected)))
        finally:
            proxy.stop()
            server.stop()
    return t.summary()


if __name__ == "__main__":
    sys.exit(main())
