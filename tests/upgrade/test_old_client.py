#!/usr/bin/env python3
"""Old and new together: the previous release's laptop client, kept as a
built binary (clients/berkas-COMMIT.gz, Debian 12, stripped), syncing with
this build's server beside this build's client.

    test_old_client.py BERKAS_SERVER BERKAS

Both laptops create, edit and sync; each receives the other's records and
edits, a field both changed offline becomes the same conflict on both, and in
the end both hold the same values for every record; a field the old client
does not know survives its edits of the same record."""

import glob
import gzip
import os
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "client"))
from harness import Laptop, Server, Tally, test_env  # noqa: E402

PASSWORDS = {"kepala": "gerbang-timur-2026", "staf": "gerbang-barat-2026"}


def unpack(gz, folder):
    binary = os.path.join(folder, os.path.basename(gz)[:-3])
    with gzip.open(gz, "rb") as src, open(binary, "wb") as dst:
        shutil.copyfileobj(src, dst)
    os.chmod(binary, os.stat(binary).st_mode | stat.S_IXUSR)
    return binary


def visible(record):
    """What both laptops must agree on: the record's fields, without what
    each laptop keeps for itself (when it last wrote the record) and without
    empty fields (a field newer than the old release, such as
    checklist_override, is empty on the new laptop and unknown to the old)."""
    return {k: v for k, v in record.items() if k not in ("updated_at",) and v is not None}


def together(old_gz, server_bin, berkas, t):
    release = os.path.basename(old_gz)[len("berkas-"):-3]
    tmp = tempfile.mkdtemp(prefix=f"berkas-old-client-{release}-")
    env = test_env(tmp)
    old_bin = unpack(old_gz, tmp)
    version = subprocess.run([old_bin, "--version"], capture_output=True, text=True, env=env)
    t.check(f"{release}: the kept client runs here", version.returncode == 0, version.stderr)
    server = Server(server_bin, os.path.join(tmp, "server"), env,
                    [("kepala", ["--role=manager"], PASSWORDS["kepala"]),
                     ("staf", ["--role=manager"], PASSWORDS["staf"])])
    try:
        # The kept binary looks for its reference data where it was built
        # unless told: it reads this tree's, which it shares.
        old_env = dict(env, BERKAS_ASSETS=os.path.join(ROOT, "assets"))
        old = Laptop(old_bin, os.path.join(tmp, "old"), old_env)
        new = Laptop(berkas, os.path.join(tmp, "new"), env)
        old.run("enroll", f"--server={server.url}", "--user=kepala", stdin=PASSWORDS["kepala"] + "\n")
        new.run("enroll", f"--server={server.url}", "--user=staf", stdin=PASSWORDS["staf"] + "\n")

        by_old = old.new("application", service_code="PBG", applicant_name="Bagus Santoso",
                         nik="3275091507880002", channel="phone", kecamatan="32.75.09")
        old.set(by_old, status="submitted")
        complaint = old.new("complaint", kind="complaint", channel="email", complainant_name="Intan Permata",
                            subject="Berkas belum diproses")
        by_new = new.new("application", service_code="SIA", applicant_name="Lestari Handayani",
                         nik="3275094402910006", channel="portal", kecamatan="32.75.09")
        t.check(f"{release}: the old client pushes to the new server", old.sync()["pushed"] >= 1)
        t.check(f"{release}: the new client pushes", new.sync()["pushed"] >= 1)
        old.sync()
        t.check(f"{release}: the old client receives the new client's record",
                old.get(by_new).get("applicant_name") == "Lestari Handayani")
        t.check(f"{release}: the new client receives the old client's, numbered by the server",
                new.get(by_old).get("reg_no", "") != "" and new.get(complaint).get("subject") ==
                "Berkas belum diproses")

        # One field changed on both offline: a conflict, the same on both.
        old.set(by_new, phone="081311112222")
        new.set(by_new, phone="081399998888")
        new.set(by_old, address="Jl. Baru No. 3")
        new.sync()
        old.sync()
        new.sync()
        t.check(f"{release}: the old client receives the new client's edit",
                old.get(by_old).get("address") == "Jl. Baru No. 3")
        old_conflicts = [(c["record_id"], c["field"]) for c in old.conflicts()]
        new_conflicts = [(c["record_id"], c["field"]) for c in new.conflicts()]
        t.check(f"{release}: the concurrent edit is one conflict, the same on both",
                old_conflicts == new_conflicts == [(by_new, "phone")], f"{old_conflicts} / {new_conflicts}")
        for rid in (by_old, by_new, complaint):
            a, b = visible(old.get(rid)), visible(new.get(rid))
            t.check(f"{release}: both hold {rid[:8]} alike", a == b,
                    {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)})

        # A field the old client does not know (checklist_override came after
        # it) is not lost by its edits: it skips the field when it pulls, and
        # an edit sends only the fields it changed, so the server keeps the
        # value and passes it on to every client that knows it.
        reason = "Surat keterangan domisili menyusul; disetujui kepala bidang"
        new.set(by_old, checklist_override=reason)
        new.sync()
        old.sync()
        t.check(f"{release}: the old client does not hold the field it does not know",
                "checklist_override" not in old.get(by_old))
        old.set(by_old, phone="081277776666")
        old.sync()
        new.sync()
        after = new.get(by_old)
        t.check(f"{release}: the old client's edit of the record reaches the new client",
                after.get("phone", "").endswith("81277776666"), after.get("phone"))
        t.check(f"{release}: the field unknown to the old client survives its edit of the same record",
                after.get("checklist_override") == reason, after.get("checklist_override"))
        late = Laptop(berkas, os.path.join(tmp, "late"), env)
        late.run("enroll", f"--server={server.url}", "--user=staf", stdin=PASSWORDS["staf"] + "\n")
        late.sync()
        t.check(f"{release}: and a client enrolled afterwards receives it from the server",
                late.get(by_old).get("checklist_override") == reason)

        # The old laptop updated in place: this build opens its folder,
        # migrates it and, its record schema having risen, pulls once from
        # the start, so the field it skipped arrives without being changed
        # again; what it held and its open conflict stay.
        old.set(complaint, subject="Berkas belum diproses sejak Senin")
        updated = Laptop(berkas, os.path.join(tmp, "old"), dict(env, BERKAS_PASSWORD=PASSWORDS["kepala"]))
        summary = updated.sync()
        t.check(f"{release}: the updated laptop pushes what the old build left unsent",
                summary["pushed"] >= 1, summary)
        t.check(f"{release}: the updated laptop receives the field it skipped before",
                updated.get(by_old).get("checklist_override") == reason, updated.get(by_old))
        t.check(f"{release}: and keeps what it held",
                updated.get(by_old).get("phone", "").endswith("81277776666")
                and updated.get(complaint).get("subject") == "Berkas belum diproses sejak Senin")
        t.check(f"{release}: its open conflict stays as it was",
                [(c["record_id"], c["field"]) for c in updated.conflicts()] == [(by_new, "phone")])
        new.sync()
        for rid in (by_old, by_new, complaint):
            a, b = visible(updated.get(rid)), visible(new.get(rid))
            t.check(f"{release}: the updated laptop and the new one hold {rid[:8]} alike", a == b,
                    {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)})
    finally:
        server.stop()
        if t.failed:
            print(server.log_tail())
    shutil.rmtree(tmp)


def main():
    server_bin, berkas = sys.argv[1], sys.argv[2]
    t = Tally()
    clients = sorted(glob.glob(os.path.join(HERE, "clients", "berkas-*.gz")))
    t.check("a previous release's client is kept", len(clients) >= 1)
    for gz in clients:
        together(gz, server_bin, berkas, t)
    return t.summary()


if __name__ == "__main__":
    sys.exit(main())
