#!/usr/bin/python3
"""Applicants' e-mail end to end: a real berkas-server with --smtp, a real
berkas laptop and the Python client of tests/client, and a real SMTP server
on 127.0.0.1 (smtp_sink.py, Debian's python3-aiosmtpd) that the test stops
and starts again.

Usage: test_mail.py PATH/TO/berkas-server PATH/TO/berkas

Checks exact recipients, subjects and codes; that a record whose applicant
has no e-mail address sends nothing; that nothing is lost while the mail
server is down (also across a kill -9 of berkas-server) and nothing arrives
twice when it comes back; that a retried push queues nothing twice; that a
recipient the mail server rejects is kept as failed without holding up the
others; STARTTLS with a login against a certificate made here; and the
options' errors; with BERKAS_TEST_POSTGRES, two servers on one PostgreSQL
sending each message once. Prints "N passed, M failed" last. All data is
invented."""

import email
import email.header
import email.policy
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "client"))
import berkas_client as bc  # noqa: E402
import harness  # noqa: E402

PYTHON = "/usr/bin/python3"
SENDER = "layanan@dpmptsp-contoh.go.id"
OFFICE = "DPMPTSP Kota Contoh"
OFFICE_ADDRESS = "Jl. Merdeka No. 1, Kota Contoh"
PASSWORDS = {"budi": "teh-manis-hangat-41", "ani": "kopi-tubruk-pahit-73"}

tally = harness.Tally()
check = tally.check


class Sink:
    """smtp_sink.py in its own process, writing what it accepts to a folder."""

    def __init__(self, out, port=0, extra=()):
        self.out, self.extra = out, list(extra)
        self.process = None
        self.start(port)

    def start(self, port=None):
        port = self.port if port is None else port
        deadline = time.time() + 20
        while True:
            self.process = subprocess.Popen([PYTHON, os.path.join(HERE, "smtp_sink.py"), f"--out={self.out}",
                                             f"--port={port}", *self.extra],
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            line = self.process.stdout.readline()
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                return
            self.process.wait(timeout=10)
            # The same port again after a stop: it may linger for a moment.
            if time.time() > deadline:
                raise RuntimeError(f"smtp sink did not start: {line}{self.process.stdout.read()}")
            time.sleep(0.2)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def messages(self):
        out = []
        for path in sorted(glob.glob(os.path.join(self.out, "*.json"))):
            with open(path) as f:
                doc = json.load(f)
            msg = email.message_from_string(doc["data"], policy=email.policy.default)
            doc["subject"] = str(msg["Subject"])
            doc["to"] = str(msg["To"])
            doc["message_id"] = str(msg["Message-ID"])
            doc["event"] = str(msg["X-Berkas-Event"])
            doc["body"] = msg.get_body(preferencelist=("plain",)).get_content()
            out.append(doc)
        return out


MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]


def booking_week():
    """A Monday at least two weeks ahead whose Monday to Wednesday are no
    national holiday (assets/reference/holidays-id.csv): bookings on it are
    neither in the past nor on a day the counters are closed."""
    holidays = set()
    with open(os.path.join(HERE, "..", "..", "assets", "reference", "holidays-id.csv"), encoding="utf-8") as f:
        for line in f:
            holidays.add(line.split(",", 1)[0])
    day = datetime.date.today() + datetime.timedelta(days=14)
    day += datetime.timedelta(days=(7 - day.weekday()) % 7)
    while any((day + datetime.timedelta(days=k)).isoformat() in holidays for k in range(3)):
        day += datetime.timedelta(days=7)
    return [(day + datetime.timedelta(days=k)).isoformat() for k in range(3)]


def in_words(iso_monday):
    d = datetime.date.fromisoformat(iso_monday)
    return f"Senin, {d.day} {MONTHS_ID[d.month - 1]} {d.year}"


def wait_for(predicate, timeout=20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


def new_messages(sink, before, count, settle=1.5, timeout=20.0):
    """The messages after the first @p before once there are @p count of
    them, after @p settle more seconds in which a duplicate would show."""
    wait_for(lambda: len(sink.messages()) >= before + count, timeout)
    time.sleep(settle)
    return sink.messages()[before:]


def write_config(path, port, extra=""):
    with open(path, "w") as f:
        f.write(f"smtp = smtp://127.0.0.1:{port}\nmail.from = {SENDER}\noffice.name = {OFFICE}\n"
                f"office.address = {OFFICE_ADDRESS}\nmail.retry_first = 1\nmail.retry_max = 2\n"
                f"mail.poll_ms = 100\n{extra}")


def mail_list(server_bin, data, env):
    p = subprocess.run([server_bin, f"--data={data}", "mail", "list"], capture_output=True, text=True,
                       timeout=60, env=env)
    rows = [line.split("\t") for line in p.stdout.splitlines()[1:]]
    return [dict(zip(["id", "created_at", "event", "recipient", "status", "attempts", "sent_at", "last_error"], r))
            for r in rows]


def start_server(server_bin, data, env, config, users, port=0):
    return harness.Server(server_bin, data, env, users, port=port, extra_args=[f"--config={config}"])


def scenario(server_bin, berkas_bin, tmp, env):
    sink = Sink(os.path.join(tmp, "inbox"))
    config = os.path.join(tmp, "server.properties")
    write_config(config, sink.port)
    data = os.path.join(tmp, "server")
    server = start_server(server_bin, data, env, config,
                          [(u, ["--role=manager"], p) for u, p in PASSWORDS.items()])
    laptop = harness.Laptop(berkas_bin, os.path.join(tmp, "laptop"), env)
    try:
        laptop.run("enroll", f"--server={server.url}", "--user=budi", stdin=PASSWORDS["budi"] + "\n")
        laptop.sync()

        # --- 1. a new application: its registration number, to its applicant only
        a = laptop.new("application", service_code="PBG", applicant_name="Rina Wulandari", channel="phone",
                       status="submitted", kecamatan="32.75.09", email="rina.wulandari@contoh.test")
        b = laptop.new("application", service_code="PBG", applicant_name="Agus Prasetyo", channel="phone",
                       status="submitted", kecamatan="32.75.09")
        laptop.sync()
        reg_a = laptop.get(a)["reg_no"]
        got = new_messages(sink, 0, 1)
        check("a new application with an e-mail address sends one message", len(got) == 1,
              [(m["rcpt_tos"], m["subject"]) for m in got])
        if got:
            m = got[0]
            check("  to its applicant", m["rcpt_tos"] == ["rina.wulandari@contoh.test"], m["rcpt_tos"])
            check("  from the office's sender", m["mail_from"] == SENDER and OFFICE in str(m["data"]),
                  m["mail_from"])
            check("  with its registration number in the subject",
                  m["subject"] == f"Permohonan Anda telah diterima - nomor registrasi {reg_a}", m["subject"])
            check("  and in the body, with the office's name and address",
                  reg_a in m["body"] and OFFICE in m["body"] and OFFICE_ADDRESS in m["body"]
                  and "Yth. Rina Wulandari" in m["body"] and "Status saat ini: Diajukan" in m["body"], m["body"])
            check("  in Indonesian with the service's name",
                  "Persetujuan Bangunan Gedung" in m["body"] or "PBG" in m["body"], m["body"])

        # --- 2. status changes, a confirmed booking, a complaint's answer
        c = laptop.new("complaint", kind="complaint", channel="email", complainant_name="Dewi Lestari",
                       contact="dewi.lestari@contoh.test", subject="Antrean daring penuh")
        d = laptop.new("complaint", kind="consultation", channel="whatsapp", complainant_name="Joko Susilo",
                       contact="+6281234567890", subject="Syarat izin usaha")
        laptop.sync()
        check("a new complaint or consultation sends nothing yet",
              len(new_messages(sink, 1, 0, settle=1.0)) == 0, [m["subject"] for m in sink.messages()[1:]])
        # Booked offline: the server confirms it at the sync (no capacity is
        # set for that day, so none limits it).
        monday, tuesday, wednesday = booking_week()
        k = laptop.new("booking", service_code="PBG", location="MPP Kota Contoh", date=monday, slot="09:30",
                       applicant_name="Rina Wulandari", email="rina.wulandari@contoh.test")
        laptop.set(a, status="document_check")
        laptop.set(b, status="document_check")
        laptop.set(c, response="Kuota antrean daring ditambah mulai 1 Desember 2026.", status="responded")
        laptop.set(d, response="Syaratnya KTP dan NIB.", status="responded")
        laptop.sync()
        code = laptop.get(k)["code"]
        got = new_messages(sink, 1, 3)
        by_to = {}
        for m in got:
            by_to.setdefault(m["rcpt_tos"][0], []).append(m)
        check("three messages, none for the applicant without e-mail or the phone contact",
              len(got) == 3 and sorted(by_to) == ["dewi.lestari@contoh.test", "rina.wulandari@contoh.test"],
              [(m["rcpt_tos"], m["subject"]) for m in got])
        subjects = sorted(m["subject"] for m in by_to.get("rina.wulandari@contoh.test", []))
        check("the status change and the booking's code, to the applicant",
              subjects == sorted([f"Jadwal kunjungan Anda dikonfirmasi - kode {code}",
                                  f"Status permohonan {reg_a}: Verifikasi berkas"]), subjects)
        confirmed = [m for m in got if m["event"] == "booking_confirmed"]
        check("the confirmation names the day and slot in Indonesian",
              confirmed and in_words(monday) in confirmed[0]["body"] and "09:30" in confirmed[0]["body"]
              and code in confirmed[0]["body"] and "MPP Kota Contoh" in confirmed[0]["body"],
              confirmed and confirmed[0]["body"])
        answer = by_to.get("dewi.lestari@contoh.test", [])
        check("the complaint's answer to its e-mail contact",
              len(answer) == 1 and answer[0]["subject"] == "Tanggapan atas pengaduan Anda: Antrean daring penuh"
              and "Kuota antrean daring ditambah mulai 1 Desember 2026." in answer[0]["body"],
              answer and answer[0]["subject"])

        # --- 3. the mail server is down, then comes back: nothing lost, nothing twice
        sink.stop()
        # No slot left that Tuesday: the server overbooks the booking.
        full = subprocess.run([server_bin, f"--data={data}", "capacity", "--location=MPP Kota Contoh", "--service=PBG",
                               f"--date={tuesday}", "--slots=0"], capture_output=True, text=True, env=env)
        check("the administrator sets no slot for a day", full.returncode == 0, full.stderr)
        k2 = laptop.new("booking", service_code="PBG", location="MPP Kota Contoh", date=tuesday,
                        slot="10:00", applicant_name="Sri Handayani", email="sri.handayani@contoh.test")
        laptop.tick_checklist(a)
        laptop.set(a, status="field_verification")
        laptop.sync()
        code2 = laptop.get(k2)["code"]
        tried = wait_for(lambda: len([r for r in mail_list(server_bin, data, env)
                                      if r["status"] == "queued" and int(r["attempts"] or 0) >= 2]) == 2, timeout=15)
        tried = [r for r in mail_list(server_bin, data, env) if r["status"] == "queued"]
        check("while the mail server is down both messages stay queued and are tried again",
              len(tried) == 2 and all(r["last_error"] for r in tried), tried)
        before = len(sink.messages())
        sink.start()
        got = new_messages(sink, before, 2, settle=3.0)
        check("when it comes back each arrives exactly once",
              sorted(m["subject"] for m in got) ==
              sorted([f"Status permohonan {reg_a}: Verifikasi Lapangan",
                      f"Mohon jadwalkan ulang kunjungan Anda - kode {code2}"]),
              [m["subject"] for m in got])
        check("  the overbooked one to its own applicant",
              [m["rcpt_tos"] for m in got if m["event"] == "booking_overbooked"] == [["sri.handayani@contoh.test"]])
        rows = mail_list(server_bin, data, env)
        check("the queue holds every message once, all sent",
              len(rows) == 6 and all(r["status"] == "sent" for r in rows) and
              len({r["id"] for r in rows}) == 6, rows)

        # --- 4. a retried push (its answer lost) queues nothing twice
        py = bc.Client(server.url)
        py.enroll("ani", PASSWORDS["ani"])
        py.sync()
        py.create("booking", service_code="PBG", location="Kecamatan Jatiasih", date=wednesday,
                  slot="08:00", applicant_name="Wahyu Hidayat", email="wahyu.hidayat@contoh.test",
                  code="KX7P4M", status="tentative")
        body = py.push_body(py.outbox)
        first = py.request("POST", "/v1/push", body)
        again = py.request("POST", "/v1/push", body)
        # results lists only changes that did not simply apply (sync/PROTOCOL.md).
        check("the same push twice: both answered as applied, through the same change",
              first.get("results") == [] and again.get("results") == [] and
              first["accepted_through"] == again["accepted_through"], (first, again))
        before = len(sink.messages())
        got = new_messages(sink, before, 1, settle=2.0)
        check("one confirmation for a push sent twice",
              [(m["rcpt_tos"], m["subject"]) for m in got] ==
              [(["wahyu.hidayat@contoh.test"], "Jadwal kunjungan Anda dikonfirmasi - kode KX7P4M")],
              [(m["rcpt_tos"], m["subject"]) for m in got])
        check("  queued once", len([r for r in mail_list(server_bin, data, env)
                                    if r["recipient"] == "wahyu.hidayat@contoh.test"]) == 1)

        # --- 5. queued, then berkas-server killed before it could send: sent after the restart
        sink.stop()
        laptop.set(a, status="recommendation")
        laptop.sync()
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)
        server.log.close()
        sink.start()
        before = len(sink.messages())
        server = start_server(server_bin, data, env, config, [])
        got = new_messages(sink, before, 1, settle=2.0)
        check("a message queued before a kill -9 is sent after the restart, once",
              [m["subject"] for m in got] == [f"Status permohonan {reg_a}: Rekomendasi"],
              [m["subject"] for m in got])
        check("  with the same Message-ID on every attempt of one event",
              all(m["message_id"].startswith("<berkas.") and m["message_id"].endswith("@dpmptsp-contoh.go.id>")
                  for m in sink.messages()) and len({m["message_id"] for m in sink.messages()}) ==
              len(sink.messages()))
    finally:
        server.stop()
        sink.stop()
        if tally.failed:
            print(server.log_tail(40))


def rejected_recipient(server_bin, berkas_bin, tmp, env):
    """A recipient the mail server rejects (550) is kept as failed; the others go."""
    sink = Sink(os.path.join(tmp, "inbox-reject"), extra=["--reject=tidak.ada@contoh.test"])
    config = os.path.join(tmp, "reject.properties")
    write_config(config, sink.port)
    data = os.path.join(tmp, "server-reject")
    server = start_server(server_bin, data, env, config, [("budi", ["--role=manager"], PASSWORDS["budi"])])
    laptop = harness.Laptop(berkas_bin, os.path.join(tmp, "laptop-reject"), env)
    try:
        laptop.run("enroll", f"--server={server.url}", "--user=budi", stdin=PASSWORDS["budi"] + "\n")
        laptop.new("application", service_code="PBG", applicant_name="Tono Sugiarto", channel="email",
                   status="submitted", email="tidak.ada@contoh.test")
        laptop.new("application", service_code="PBG", applicant_name="Yuni Astuti", channel="email",
                   status="submitted", email="yuni.astuti@contoh.test")
        laptop.sync()
        got = new_messages(sink, 0, 1, settle=2.0)
        check("a rejected recipient does not hold up the next message",
              [m["rcpt_tos"] for m in got] == [["yuni.astuti@contoh.test"]], [m["rcpt_tos"] for m in got])
        rows = {r["recipient"]: r for r in mail_list(server_bin, data, env)}
        failed = rows.get("tidak.ada@contoh.test", {})
        check("  and is kept as failed with the mail server's answer, tried once",
              failed.get("status") == "failed" and "550" in failed.get("last_error", "") and
              failed.get("attempts") == "1", failed)
    finally:
        server.stop()
        sink.stop()


def starttls(server_bin, berkas_bin, tmp, env):
    """STARTTLS and a login, against a certificate authority made here."""
    ca_key, ca = os.path.join(tmp, "ca.key"), os.path.join(tmp, "ca.pem")
    key, csr, cert = os.path.join(tmp, "smtp.key"), os.path.join(tmp, "smtp.csr"), os.path.join(tmp, "smtp.pem")
    ext = os.path.join(tmp, "smtp.ext")
    openssl = ["/usr/bin/openssl"]
    run = lambda *a: subprocess.run([*openssl, *a], check=True, capture_output=True, timeout=60)  # noqa: E731
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", ca_key,
        "-out", ca, "-days", "2", "-subj", "/CN=Berkas test mail CA")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr,
        "-subj", "/CN=127.0.0.1")
    run("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert, "-days", "2",
        "-extfile", ext)
    sink = Sink(os.path.join(tmp, "inbox-tls"), extra=[f"--tls-cert={cert}", f"--tls-key={key}",
                                                         "--auth=kantor:sandi-surat-rahasia"])
    config = os.path.join(tmp, "tls.properties")
    write_config(config, sink.port, f"smtp.starttls = true\nsmtp.ca = {ca}\n")
    with open(config) as f:
        text = f.read().replace(f"smtp://127.0.0.1:{sink.port}", f"smtp://kantor@127.0.0.1:{sink.port}")
    with open(config, "w") as f:
        f.write(text)
    data = os.path.join(tmp, "server-tls")
    tls_env = dict(env, BERKAS_SMTP_PASSWORD="sandi-surat-rahasia")
    server = start_server(server_bin, data, tls_env, config, [("budi", ["--role=manager"], PASSWORDS["budi"])])
    laptop = harness.Laptop(berkas_bin, os.path.join(tmp, "laptop-tls"), env)
    try:
        laptop.run("enroll", f"--server={server.url}", "--user=budi", stdin=PASSWORDS["budi"] + "\n")
        a = laptop.new("application", service_code="PBG", applicant_name="Lina Marlina", channel="portal",
                       status="submitted", email="lina.marlina@contoh.test")
        laptop.sync()
        got = new_messages(sink, 0, 1)
        check("STARTTLS with a login: the message arrives under TLS, logged in",
              len(got) == 1 and got[0]["tls"] and got[0]["login"] == "kantor" and
              got[0]["rcpt_tos"] == ["lina.marlina@contoh.test"] and laptop.get(a)["reg_no"] in got[0]["subject"],
              [(m["tls"], m["login"], m["subject"]) for m in got])
    finally:
        server.stop()
        sink.stop()

    # The same mail server, but the server trusts another authority: nothing
    # is sent, the message waits.
    other_key, other_ca = os.path.join(tmp, "other.key"), os.path.join(tmp, "other.pem")
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
        other_key, "-out", other_ca, "-days", "2", "-subj", "/CN=Another CA")
    sink.start()
    with open(config) as f:
        text = f.read().replace(f"smtp.ca = {ca}", f"smtp.ca = {other_ca}")
    with open(config, "w") as f:
        f.write(text)
    server = start_server(server_bin, data, tls_env, config, [], port=server.port)
    try:
        laptop.set(a, status="document_check")
        laptop.sync()
        rows = wait_for(lambda: [r for r in mail_list(server_bin, data, tls_env)
                                 if r["status"] == "queued" and r["attempts"] not in ("", "0")])
        time.sleep(1.0)
        check("a mail server whose certificate is not trusted gets nothing; the message waits",
              len(rows) == 1 and "certificate verify failed" in rows[0]["last_error"] and
              len(sink.messages()) == 1, (rows, len(sink.messages())))
    finally:
        server.stop()
        sink.stop()


def two_servers_postgres(server_bin, tmp, env):
    """Two berkas-server processes on one PostgreSQL, both sending: every
    message arrives once. Skipped without BERKAS_TEST_POSTGRES."""
    admin = os.environ.get("BERKAS_TEST_POSTGRES", "")
    if not admin:
        print("skipped: two servers on PostgreSQL (BERKAS_TEST_POSTGRES is not set; .ci/run sets it)")
        return
    name = f"berkas_mail_{os.getpid()}_{int(time.time())}"
    psql = lambda sql: subprocess.run(["psql", admin, "-qtAc", sql], check=True, capture_output=True,  # noqa: E731
                                      text=True, timeout=60)
    psql(f"CREATE DATABASE {name}")
    database = admin[:admin.rfind("/") + 1] + name
    sink = Sink(os.path.join(tmp, "inbox-pg"))
    servers = []
    try:
        for n in (1, 2):
            config = os.path.join(tmp, f"pg{n}.properties")
            write_config(config, sink.port, f"database = {database}\nmail.poll_ms = 20\n")
            users = [("ani", ["--role=manager"], PASSWORDS["ani"])] if n == 1 else []
            servers.append(start_server(server_bin, os.path.join(tmp, f"server-pg{n}"), env, config, users))
        clients = [bc.Client(srv.url) for srv in servers]
        for c in clients:
            c.enroll("ani", PASSWORDS["ani"])
        expected = set()
        for i in range(30):
            c = clients[i % 2]
            address = f"pemohon{i:02d}@contoh.test"
            expected.add(address)
            c.create("application", service_code="PBG", applicant_name=f"Pemohon {i}", channel="portal",
                     status="submitted", kecamatan="32.75.09", email=address)
            if i % 5 == 4:
                c.push()
        for c in clients:
            c.push()
        got = new_messages(sink, 0, 30, settle=2.0, timeout=30)
        recipients = [m["rcpt_tos"][0] for m in got]
        check("two servers on one PostgreSQL send each of 30 messages exactly once",
              len(got) == 30 and set(recipients) == expected, sorted(recipients))
        numbers = {re.search(r"registrasi (\S+)$", m["subject"]).group(1) for m in got}
        check("  each with its own registration number", len(numbers) == 30, sorted(numbers))
        logs = "".join(open(srv.log_path).read() for srv in servers)
        check("  and both servers' workers sent some", all(
            re.search(r"mail \d+ \(application_received\) sent", open(srv.log_path).read()) for srv in servers),
            logs[-2000:])
    finally:
        for srv in servers:
            srv.stop()
        sink.stop()
        psql(f"DROP DATABASE IF EXISTS {name}")


def bad_options(server_bin, tmp, env):
    data = os.path.join(tmp, "server-bad")
    base = [server_bin, f"--data={data}", "--plain-http", "--port=0"]
    cases = [
        ([f"--smtp=smtp://127.0.0.1", f"--mail-from={SENDER}", f"--office-name={OFFICE}"],
         'smtp: must be smtp://[USER@]HOST:PORT (no port), got "smtp://127.0.0.1"'),
        ([f"--smtp=http://127.0.0.1:25", f"--mail-from={SENDER}", f"--office-name={OFFICE}"],
         'smtp: must be smtp://[USER@]HOST:PORT (the scheme is smtp://), got "http://127.0.0.1:25"'),
        ([f"--smtp=smtp://kantor:rahasia@127.0.0.1:25", f"--mail-from={SENDER}", f"--office-name={OFFICE}"],
         "smtp: must be smtp://[USER@]HOST:PORT (the password goes in the environment variable "
         "BERKAS_SMTP_PASSWORD, not in the URL)"),
        ([f"--smtp=smtp://127.0.0.1:25", "--mail-from=layanan.contoh.go.id", f"--office-name={OFFICE}"],
         'mail-from: must contain exactly one @, got "layanan.contoh.go.id"'),
        ([f"--smtp=smtp://127.0.0.1:25", f"--mail-from={SENDER}"],
         "office-name: is required with --smtp"),
        ([f"--smtp=smtp://kantor@127.0.0.1:25", f"--mail-from={SENDER}", f"--office-name={OFFICE}"],
         "smtp: the user kantor needs the password in the environment variable BERKAS_SMTP_PASSWORD"),
        ([f"--smtp=smtp://127.0.0.1:25", f"--mail-from={SENDER}", f"--office-name={OFFICE}",
          "--smtp-ca=/nonexistent/ca.pem"],
         "smtp-ca: no file /nonexistent/ca.pem"),
    ]
    for extra, expected in cases:
        p = subprocess.run([*base, *extra], capture_output=True, text=True, timeout=60, env=env)
        check(f"bad option: {expected[:60]}", p.returncode == 1 and p.stderr.startswith(expected) and
              p.stderr.count("\n") == 1 and not os.path.exists(data), (p.returncode, p.stderr))

    # An administrator's template with a placeholder the server does not know.
    os.makedirs(os.path.join(data, "mail"))
    with open(os.path.join(data, "mail", "booking_confirmed.txt"), "w") as f:
        f.write("Subject: Kode {kode_booking}\n\nYth. {applicant_name}\n")
    p = subprocess.run([*base, "--smtp=smtp://127.0.0.1:25", f"--mail-from={SENDER}", f"--office-name={OFFICE}"],
                       capture_output=True, text=True, timeout=60, env=env)
    path = os.path.join(data, "mail", "booking_confirmed.txt")
    check("a template with an unknown placeholder stops the server, naming the file",
          p.returncode == 1 and p.stderr.startswith(f"{path}: unknown placeholder {{kode_booking}}; known: ") and
          not os.path.exists(os.path.join(data, "server.db")), (p.returncode, p.stderr))
    # The same file with known placeholders replaces the shipped one.
    with open(path, "w") as f:
        f.write("Subject: Kode booking {booking_code}\n\nYth. {applicant_name}, sampai jumpa {date}.\n")
    p = subprocess.run([server_bin, f"--data={data}", "mail", "templates"], capture_output=True, text=True,
                       timeout=60, env=env)
    check("mail templates names the administrator's file for booking_confirmed",
          p.returncode == 0 and f"booking_confirmed\t{path}\n" in p.stdout and
          "/assets/mail/application_received.txt" in p.stdout, p.stdout)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    server_bin, berkas_bin = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="berkas-mail-")
    env = harness.test_env(tmp)
    env.pop("BERKAS_SMTP_PASSWORD", None)
    try:
        for part in (lambda: scenario(server_bin, berkas_bin, tmp, env),
                     lambda: rejected_recipient(server_bin, berkas_bin, tmp, env),
                     lambda: starttls(server_bin, berkas_bin, tmp, env),
                     lambda: two_servers_postgres(server_bin, tmp, env),
                     lambda: bad_options(server_bin, tmp, env)):
            try:
                part()
            except Exception:
                traceback.print_exc()
                check("the scenario ran to its end", False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tally.summary()


if __name__ == "__main__":
    sys.exit(main())
