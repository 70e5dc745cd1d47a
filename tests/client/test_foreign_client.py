#!/usr/bin/python3
"""End-to-end check of a foreign sync client against the real server.

Usage: test_foreign_client.py PATH/TO/berkas-server PATH/TO/berkas

Starts berkas-server on 127.0.0.1 in a temporary data folder, enrolls a real
berkas laptop and the Python client of berkas_client.py (written from
sync/PROTOCOL.md alone) as two devices of two managers, and checks that they
converge. Prints "N passed, M failed" last; exits non-zero on any failure.
All data is invented.
"""

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import berkas_client as bc  # noqa: E402
import harness  # noqa: E402

PASSWORDS = {"mgr.laptop": "teh-manis-hangat-41", "mgr.python": "kopi-tubruk-pahit-73",
             "clerk.python": "nasi-uduk-betawi-55"}
tally = harness.Tally()
check = tally.check
Laptop = harness.Laptop


def norm_laptop(value):
    if value is None or value == "":
        return None
    if value is True:
        return "1"
    if value is False:
        return "0"
    return str(value)


def norm_python(field, value):
    if value is None or value == "":
        return "0" if field == "deleted" else None
    return value


LOCAL_ONLY = {"id", "kind", "updated_at"}


def compare_record(client, kind, rid, laptop_json):
    """Differences between the Python replica and the laptop's get --json."""
    mine = client.get(kind, rid) or {}
    diffs = []
    if laptop_json.get("kind") != kind:
        diffs.append(f"kind {laptop_json.get('kind')!r} != {kind!r}")
    for field in set(laptop_json) | set(mine):
        if field in LOCAL_ONLY:
            continue
        if field not in laptop_json:
            diffs.append(f"{field}: only the Python client has it ({mine[field]!r})")
            continue
        a, b = norm_python(field, mine.get(field)), norm_laptop(laptop_json[field])
        if a != b:
            diffs.append(f"{field}: python {a!r} laptop {b!r}")
    return diffs


def live(records):
    return {rid: r for rid, r in records.items() if r.get("deleted") != "1"}


def conflicts_of(client, rid, field):
    return [dict(c, id=cid) for cid, c in client.of_kind("conflict").items()
            if c.get("record_id") == rid and c.get("field") == field]


def scenario(server_url, laptop, tmp):
    year = time.strftime("%Y")
    reg_re = re.compile(r"^%s/([A-Z]+)/(\d{6})$" % year)

    # --- enroll both devices
    py = bc.Client(server_url, shared=2)
    ans = py.enroll("mgr.python", PASSWORDS["mgr.python"])
    check("enroll answers a token and the user's role",
          ans.get("token") and ans.get("user", {}).get("role") == "manager", ans)
    laptop.run("enroll", f"--server={server_url}", "--user=mgr.laptop",
               stdin=PASSWORDS["mgr.laptop"] + "\n")
    laptop.sync()
    py.sync()

    # --- 1. records created on each side reach the other
    a = laptop.new("application", service_code="PBG", applicant_name="Rina Wulandari",
                   nik="3275094101900003", channel="counter", phone="+6281234567890",
                   kecamatan="32.75.09")
    b = py.create("application", service_code="SIA", applicant_name="Budi Santoso",
                  nik="3275090101900002", channel="portal", status="draft",
                  kecamatan="32.75.09", email="budi.santoso@contoh.test")
    laptop.sync()
    results = py.sync()
    check("push of a new record applies cleanly", results == [], results)
    laptop.sync()

    pa = py.get("application", a)
    check("laptop's application reaches the Python client",
          pa is not None and pa.get("applicant_name") == "Rina Wulandari", pa)
    check("laptop's application got a reg_no from the server",
          pa is not None and reg_re.match(pa.get("reg_no") or "")
          and pa["reg_no"].split("/")[1] == "PBG", pa and pa.get("reg_no"))
    lb = laptop.get(b)
    check("Python's application reaches the laptop",
          lb.get("applicant_name") == "Budi Santoso" and lb.get("email") == "budi.santoso@contoh.test", lb)
    check("Python's application got a reg_no the laptop sees",
          reg_re.match(lb.get("reg_no") or "") and lb["reg_no"] == py.get("application", b).get("reg_no"),
          (lb.get("reg_no"), py.get("application", b).get("reg_no")))
    check("reg_no has a server stamp",
          py.records[("application", b)]["reg_no"]["stamp"][1] == "server",
          py.records[("application", b)]["reg_no"])

    # --- 2. a plain field edited on both sides offline: higher stamp wins
    laptop.set(a, phone="+6282222222222")
    time.sleep(0.01)
    py.set("application", a, phone="+6283333333333")   # later, so the higher stamp
    laptop.sync()
    results = py.push()
    check("concurrent plain edit is reported as a conflict outcome",
          len(results) == 1 and results[0]["outcome"] == "conflict"
          and py.last_push.get("conflicts") == 1, py.last_push)
    py.pull()
    laptop.sync()
    check("concurrent plain edit converges to the higher stamp on both",
          laptop.get(a)["phone"] == "+6283333333333" == py.get("application", a)["phone"],
          (laptop.get(a)["phone"], py.get("application", a)["phone"]))
    pc = conflicts_of(py, a, "phone")
    lc = [c for c in laptop.conflicts() if c["record_id"] == a and c["field"] == "phone"]
    check("the losing plain value is kept in a conflict the Python client sees",
          len(pc) == 1 and pc[0]["kept_value"] == "+6283333333333"
          and pc[0]["other_value"] == "+6282222222222" and pc[0]["status"] == "open", pc)
    check("the laptop sees the same conflict",
          len(lc) == 1 and pc and lc[0]["id"] == pc[0]["id"]
          and lc[0]["other_value"] == "+6282222222222", lc)

    # --- 3. pull before push: a pulled value with a higher stamp replaces an
    #        unpushed local change, and the server agrees afterwards
    py.set("application", b, email="budi.lama@contoh.test")
    time.sleep(0.01)
    laptop.set(b, email="budi.baru@contoh.test")        # later, higher stamp
    laptop.sync()
    py.pull()
    check("pulled higher stamp replaces an unpushed local plain value",
          py.get("application", b)["email"] == "budi.baru@contoh.test", py.get("application", b))
    results = py.sync()
    laptop.sync()
    check("after pushing the older value both keep the newer one",
          laptop.get(b)["email"] == "budi.baru@contoh.test" == py.get("application", b)["email"],
          (laptop.get(b)["email"], py.get("application", b)["email"]))
    check("the older value is kept in a conflict both see",
          any(c["other_value"] == "budi.lama@contoh.test" for c in conflicts_of(py, b, "email"))
          and any(c["record_id"] == b and c["other_value"] == "budi.lama@contoh.test"
                  for c in laptop.conflicts()), conflicts_of(py, b, "email"))

    # --- 4. a legally significant field edited on both sides: current stays
    laptop.set(a, nik="3275094101900004")
    py.set("application", a, nik="3275094101900005")
    laptop.sync()
    results = py.sync()
    laptop.sync()
    check("concurrent NIK edit is a conflict outcome",
          len(results) == 1 and results[0]["outcome"] == "conflict", results)
    check("the server's NIK stays and is re-sent to the losing device",
          py.get("application", a)["nik"] == "3275094101900004" == laptop.get(a)["nik"],
          (py.get("application", a)["nik"], laptop.get(a)["nik"]))
    nc = conflicts_of(py, a, "nik")
    check("the NIK conflict needs review and keeps the Python value",
          len(nc) == 1 and nc[0]["needs_review"] == "1" and nc[0]["other_value"] == "3275094101900005", nc)

    # --- 5. status moves follow the workflow
    py.set("application", b, status="submitted")
    results = py.sync()
    laptop.sync()
    check("a legal status move applies", results == [] and laptop.get(b)["status"] == "submitted",
          (results, laptop.get(b)["status"]))
    py.set("application", b, status="issued")
    results = py.sync()
    laptop.sync()
    check("an impossible status move is a conflict outcome",
          len(results) == 1 and results[0]["outcome"] == "conflict", results)
    check("after an impossible move the status stays on both",
          py.get("application", b)["status"] == "submitted" == laptop.get(b)["status"],
          (py.get("application", b)["status"], laptop.get(b)["status"]))
    sc = [c for c in conflicts_of(py, b, "status") if c["status"] == "open"]
    check("the impossible move is kept in a conflict needing review",
          len(sc) == 1 and sc[0]["other_value"] == "issued" and sc[0]["needs_review"] == "1", sc)
    py.set("application", b, status="document_check")
    results = py.sync()
    laptop.sync()
    check("a legal move while a review conflict is open is held",
          len(results) == 1 and results[0]["outcome"] == "conflict"
          and laptop.get(b)["status"] == "submitted", (results, laptop.get(b)["status"]))
    for c in conflicts_of(py, b, "status"):
        if c["status"] == "open":
            py.set("conflict", c["id"], status="resolved", resolved_by="mgr.python")
    results = py.sync()
    laptop.sync()
    open_b = [c for c in laptop.conflicts() if c["record_id"] == b and c["field"] == "status"]
    check("resolving a conflict from the Python client closes it on the laptop",
          results == [] and open_b == [], (results, open_b))
    py.set("application", b, status="document_check")
    results = py.sync()
    laptop.sync()
    check("once resolved, the legal move applies",
          results == [] and laptop.get(b)["status"] == "document_check" == py.get("application", b)["status"],
          (results, laptop.get(b)["status"]))
    laptop.set(b, status="field_verification")
    laptop.sync()
    py.sync()
    check("the laptop's legal move reaches the Python client",
          py.get("application", b)["status"] == "field_verification", py.get("application", b))

    # --- 6. a retried push (lost answer) applies nothing
    py.set("application", a, address="Jl. Kenari No. 7, Jatiasih")
    body = py.push_body(py.outbox)
    first = py.request("POST", "/v1/push", body, gzip_body=True)
    again = py.request("POST", "/v1/push", body, gzip_body=False)
    check("a retried push is acknowledged and applies nothing",
          again.get("accepted_through") == first.get("accepted_through")
          and again.get("results", []) == [] and again.get("conflicts", 0) == 0, (first, again))
    py.outbox = [c for c in py.outbox if c["seq"] > int(first["accepted_through"])]
    before = py.cursor
    py.pull()
    laptop.sync()
    check("the retried change arrives once",
          laptop.get(a)["address"] == "Jl. Kenari No. 7, Jatiasih" and py.cursor > before)

    # --- 7. a delete made without seeing another device's later edit
    #        PROTOCOL.md, "Deleting against a stale cursor": the delete
    #        applies, a conflict needing review opens on `deleted`, and the
    #        edit it did not see stays in the deleted record's fields.
    d = laptop.new("application", service_code="TDUP", applicant_name="Agus Prasetyo",
                   nik="3275091207850004", channel="email", kecamatan="32.75.09")
    laptop.sync()
    py.sync()
    laptop.set(d, email="agus.prasetyo@contoh.test")
    laptop.sync()
    py.set("application", d, deleted="1")          # py has not pulled the email edit
    results = py.push()
    check("a stale delete is a conflict outcome",
          len(results) == 1 and results[0]["outcome"] == "conflict", results)
    py.pull()
    laptop.sync()
    dc = conflicts_of(py, d, "deleted")
    check("the stale delete opens a conflict needing review that both see",
          len(dc) == 1 and dc[0]["needs_review"] == "1" and dc[0]["kept_value"] == "1"
          and any(c["id"] == dc[0]["id"] for c in laptop.conflicts()), dc)
    check("after a stale delete both replicas agree on the record",
          norm_python("deleted", py.get("application", d).get("deleted"))
          == norm_laptop(laptop.get(d)["deleted"]) == "1",
          (py.get("application", d).get("deleted"), laptop.get(d)["deleted"]))
    check("the edit the delete did not see stays in the deleted record",
          py.get("application", d).get("email") == "agus.prasetyo@contoh.test"
          == laptop.get(d)["email"], (py.get("application", d), laptop.get(d)))

    # --- 8. every record the Python client holds equals the laptop's view
    laptop.sync()
    py.sync()
    for (kind, rid) in sorted(py.records):
        p = laptop.run("get", rid, "--json", ok=False)
        if p.returncode != 0:
            check(f"laptop holds {kind} {rid}", False, p.stderr.strip())
            continue
        diffs = compare_record(py, kind, rid, json.loads(p.stdout))
        check(f"{kind} {rid} is the same on both", not diffs, "; ".join(sorted(diffs)))
    laptop_apps = {r["id"] for r in laptop.json("list", "application", "--json")}
    mine = set(live(py.of_kind("application")))
    check("both list the same live applications", laptop_apps == mine, (laptop_apps, mine))

    # --- 9. the three pull forms decode to the same replica
    replicas = []
    for shared in (0, 1, 2):
        other = bc.Client(server_url, shared=shared)
        other.enroll("mgr.python", PASSWORDS["mgr.python"])
        other.pull(limit=7)
        replicas.append({k: {f: (v["value"], v["stamp"]) for f, v in r.items()}
                         for k, r in other.records.items()})
        other.close()
    mine = {k: {f: (v["value"], v["stamp"]) for f, v in r.items()} for k, r in py.records.items()}
    check("plain, shared=1 and shared=2 pulls give the same values and stamps",
          replicas[0] == replicas[1] == replicas[2] == mine)
    return py


def scope_scenario(server_url, laptop, py_mgr):
    """A clerk's device: entered records come whole, moved-out ones are gone."""
    clerk = bc.Client(server_url, shared=2)
    clerk.enroll("clerk.python", PASSWORDS["clerk.python"])
    clerk.pull(limit=3)
    apps = live(clerk.of_kind("application"))
    py_mgr.pull()
    expected = {rid for rid, r in live(py_mgr.of_kind("application")).items()
                if r.get("kecamatan") in ("32.75.09", None)}
    check("a clerk's first pull holds the kecamatan's applications",
          set(apps) == expected and len(apps) >= 2, (set(apps), expected))
    check("a clerk's answer carries an ack", clerk.ack > 0, clerk.last_pull)
    c = laptop.new("application", service_code="REK", applicant_name="Sari Indah",
                   nik="3275095505920007", channel="whatsapp", kecamatan="32.75.01")
    laptop.sync()
    clerk.pull()
    check("an application of another kecamatan stays out of the clerk's scope",
          clerk.get("application", c) is None)
    laptop.set(c, kecamatan="32.75.09")
    laptop.sync()
    clerk.pull()
    got = clerk.get("application", c)
    check("an application moved into the scope arrives whole",
          got is not None and got.get("applicant_name") == "Sari Indah" and got.get("reg_no"), got)
    laptop.set(c, kecamatan="32.75.01")
    laptop.sync()
    clerk.pull()
    check("an application moved out of the scope is gone",
          clerk.get("application", c) is None
          and ("left scope", "application", c) in clerk.audit, clerk.audit)
    clerk.records[("application", c)] = {}   # pretend it still held it
    clerk.set("application", c, phone="+6286666666666")
    mine = clerk.create("application", service_code="SIA", applicant_name="Joko Susilo",
                        nik="3275091508880006", channel="counter", kecamatan="32.75.09",
                        status="draft")
    last_seq = clerk.outbox[-1]["seq"]
    results = clerk.push()
    check("a clerk's edit outside the scope is refused, the rest applies",
          [r["outcome"] for r in results] == ["refused"]
          and int(clerk.last_push["accepted_through"]) == last_seq
          and laptop.get(c)["phone"] is None, clerk.last_push)
    laptop.sync()
    check("the clerk's new application in scope reaches the laptop",
          laptop.get(mine)["applicant_name"] == "Joko Susilo")

    # PROTOCOL.md, "Refused changes": the client shows what the server holds
    # again and keeps what was typed.
    clerk.pull()
    clerk.set("application", mine, kecamatan="32.75.01", email="joko@contoh.test")
    results = clerk.push()
    laptop.sync()
    check("a clerk's move out of the kecamatan is refused, her other edit applies",
          [(r["outcome"], r.get("code"), r.get("held")) for r in results] == [("refused", "out_of_scope", True)]
          and laptop.get(mine)["email"] == "joko@contoh.test", results)
    check("after a refused move the clerk's replica shows the server's kecamatan",
          clerk.get("application", mine)["kecamatan"] == "32.75.09" == laptop.get(mine)["kecamatan"],
          (clerk.get("application", mine), laptop.get(mine)))
    check("what the clerk typed is kept with the reason",
          any(r["field"] == "kecamatan" and r["value"] == "32.75.01" and r["code"] == "out_of_scope"
              for r in clerk.refused), clerk.refused)
    clerk.set("application", mine, nik="123")
    results = clerk.push()
    check("a NIK in the wrong form is refused and the old one shows again",
          [(r["outcome"], r.get("code")) for r in results] == [("refused", "invalid_value")]
          and clerk.get("application", mine)["nik"] == "3275091508880006" == laptop.get(mine)["nik"],
          (results, clerk.get("application", mine)))
    bad = clerk.create("application", applicant_name="Rina Sintetis", nik="3275094101900003",
                       status="approved")
    results = clerk.push()
    check("a new application without its required fields is refused whole and leaves the replica",
          results and all(r["outcome"] == "refused" and r.get("held") is False for r in results)
          and clerk.get("application", bad) is None, results)
    clerk.close()


def at_rest_scenario(laptop):
    """An enrolled laptop's folder, after all of the above synced through it,
    shows no applicant's name, NIK or address to someone holding the disk."""
    laptop.sync()
    secrets = [b"Rina Wulandari", b"3275094101900003", b"Budi Santoso", b"3275090101900002",
               b"budi.santoso@contoh.test", b"Dian Dipulihkan"]
    shown = []
    for root, _, files in os.walk(laptop.data):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                data = f.read()
            shown += [f"{name}: {s.decode()}" for s in secrets if s in data]
    check("the laptop's files (database, log, attachments) show no applicant data", not shown, shown)
    db = os.path.join(laptop.data, "berkas.db")
    with open(db, "rb") as f:
        check("the laptop's database is not a plain SQLite file", f.read(16) != b"SQLite format 3\x00")
    if shutil.which("sqlite3"):
        p = subprocess.run(["sqlite3", db, "SELECT count(*) FROM application"], capture_output=True, text=True,
                           timeout=30)
        check("the plain sqlite3 shell cannot read it", p.returncode != 0, p.stdout)
    xlsx = os.path.join(os.path.dirname(laptop.data), "ringkasan.xlsx")
    p = laptop.run("export", f"--xlsx={xlsx}", ok=False)
    check("the encrypted laptop exports its Excel summary", p.returncode == 0 and os.path.getsize(xlsx) > 0,
          p.stderr)
    p = laptop.run("list", "application", "--search=Rina", "--json", ok=False)
    check("and searches it", p.returncode == 0 and "Rina Wulandari" in p.stdout, p.stderr)
    env = dict(laptop.env, BERKAS_PASSWORD="bukan-sandinya")
    p = subprocess.run([laptop.binary, f"--data={laptop.data}", "list", "application"], capture_output=True,
                       text=True, timeout=60, env=env)
    check("a wrong BERKAS_PASSWORD: exit 1 and one sentence naming it",
          p.returncode == 1 and p.stdout == "" and p.stderr.count("\n") == 1 and "BERKAS_PASSWORD" in p.stderr,
          (p.returncode, p.stderr))


def restore_scenario(laptop, py):
    """PROTOCOL.md, "Restored laptops": a client put back from an older copy."""
    import copy
    py.pull()
    rid = py.create("application", service_code="PBG", applicant_name="Dian Sintetis", channel="portal",
                    kecamatan="32.75.09", status="draft")
    py.push()
    saved = copy.deepcopy((py.records, py.outbox, py.next_seq, py.cursor, py.ack, py.hlc.last))
    py.set("application", rid, address="Jl. Sebelum Dipulihkan 1")
    py.set("application", rid, email="dian@contoh.test")
    py.push()
    py.records, py.outbox, py.next_seq, py.cursor, py.ack, py.hlc.last = saved
    py.set("application", rid, applicant_name="Dian Dipulihkan")
    results = py.push()
    laptop.sync()
    check("a restored client's reused change id is answered reused and sent again",
          any(r["outcome"] == "reused" for r in results)
          and laptop.get(rid)["applicant_name"] == "Dian Dipulihkan", (results, laptop.get(rid)))
    py.pull()
    check("the restored client gets back what it wrote before the restore",
          py.get("application", rid)["email"] == "dian@contoh.test" == laptop.get(rid)["email"],
          py.get("application", rid))


def raw_exchange(host, port, data, answers, pause_at=()):
    """Sends @data on one connection, split at the offsets in pause_at with a
    pause between the pieces, and reads @answers HTTP answers back: a list
    of (status, headers, body)."""
    sock = socket.create_connection((host, port), timeout=20)
    try:
        start = 0
        for cut in list(pause_at) + [len(data)]:
            sock.sendall(data[start:cut])
            start = cut
            time.sleep(0.2)
        f = sock.makefile("rb")
        out = []
        for _ in range(answers):
            status_line = f.readline()
            if not status_line:
                break
            status = int(status_line.split()[1])
            headers = {}
            while True:
                line = f.readline().decode().strip()
                if not line:
                    break
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
            body = f.read(int(headers.get("content-length", "0")))
            out.append((status, headers, body))
        return out
    finally:
        sock.close()


def files_scenario(server_url, laptop, py):
    """Attachment files sent by this client, as sync/PROTOCOL.md "Files"
    describes them, over raw sockets: a chunk whose body arrives in small
    pieces with pauses, two chunks pipelined on one connection, a chunk
    whose hash does not match; the laptop then fetches the file whole."""
    app = py.create("application", service_code="PBG", applicant_name="Citra Lestari",
                    nik="3275094101900005", channel="portal", status="draft", kecamatan="32.75.09")
    chunk = 8 * 1024 * 1024
    data = b"\xff\xd8\xff\xe0" + os.urandom(2 * chunk + 12345 - 4)
    sha = hashlib.sha256(data).hexdigest()
    att = py.create("attachment", parent_id=app, name="tampak-depan.jpg", mime="image/jpeg",
                    size=str(len(data)), sha256=sha)
    py.push()
    host, port = py.host, py.port

    def put(offset, body, chunk_sha=None):
        head = (f"PUT /v1/files/{sha}?offset={offset} HTTP/1.1\r\nHost: {host}\r\n"
                f"Authorization: Bearer {py.token}\r\nContent-Length: {len(body)}\r\n"
                f"X-Berkas-Chunk-Sha256: {chunk_sha or hashlib.sha256(body).hexdigest()}\r\n\r\n")
        return head.encode() + body

    first, second, third = data[:chunk], data[chunk:2 * chunk], data[2 * chunk:]
    bad = raw_exchange(host, port, put(0, first, "0" * 64), 1)
    check("files: a chunk whose hash does not match is refused as chunk_corrupt",
          bad and bad[0][0] == 422 and b"chunk_corrupt" in bad[0][2], bad and bad[0][:2])
    one = raw_exchange(host, port, put(0, first), 1, pause_at=(10, 200, 5000, 70000, 3 * 1024 * 1024))
    check("files: a chunk whose header and body arrive in pieces with pauses is taken",
          one and one[0][0] == 200 and json.loads(one[0][2]).get("received") == chunk, one and one[0][:3])
    two = raw_exchange(host, port, put(chunk, second) + put(2 * chunk, third), 2)
    statuses = [a[0] for a in two]
    # The second request may be answered, or the connection closed after the
    # first (the server cannot keep what it read past a body): then it is
    # sent again on a new connection, as HTTP allows.
    if statuses == [200]:
        two += raw_exchange(host, port, put(2 * chunk, third), 1)
        statuses = [a[0] for a in two]
    check("files: two chunks pipelined on one connection are both taken", statuses == [200, 200], statuses)
    doc = py.request("GET", f"/v1/files/{sha}")
    check("files: the office holds it complete", doc.get("complete") is True and doc.get("received") == len(data), doc)
    laptop.sync()
    out = os.path.join(laptop.data, "..", "foreign-file.jpg")
    laptop.run("extract", att, f"--to={out}")
    with open(out, "rb") as f:
        check("files: the laptop fetches the file a foreign client sent, byte-identical",
              hashlib.sha256(f.read()).hexdigest() == sha, doc)


def main():
    if len(sys.argv) != 3:
        print("usage: test_foreign_client.py BERKAS_SERVER BERKAS", file=sys.stderr)
        return 2
    server_bin, berkas_bin = map(os.path.abspath, sys.argv[1:3])
    tmp = tempfile.mkdtemp(prefix="berkas-foreign-")
    env = harness.test_env(tmp)
    server = None
    try:
        users = [("mgr.laptop", ["--role=manager"]), ("mgr.python", ["--role=manager"]),
                 ("clerk.python", ["--role=clerk", "--kecamatan=32.75.09"])]
        server = harness.Server(server_bin, os.path.join(tmp, "server"), env,
                                [(name, opts, PASSWORDS[name]) for name, opts in users])
        health = server.health()
        check("health answers protocol 1 and server_time",
              health.get("protocol") == 1 and health.get("status") == "ok"
              and isinstance(health.get("server_time"), int), health)
        laptop = Laptop(berkas_bin, os.path.join(tmp, "laptop"), env)
        py = scenario(server.url, laptop, tmp)
        scope_scenario(server.url, laptop, py)
        files_scenario(server.url, laptop, py)
        restore_scenario(laptop, py)
        at_rest_scenario(laptop)
        py.close()
    except Exception:
        traceback.print_exc()
        check("scenario ran to the end", False)
    finally:
        if server is not None:
            server.stop()
            if tally.failed:
                print("--- server log (tail)\n" + server.log_tail())
        shutil.rmtree(tmp, ignore_errors=True)
    return tally.summary()


if __name__ == "__main__":
    sys.exit(main())
