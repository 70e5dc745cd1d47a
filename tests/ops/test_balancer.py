#!/usr/bin/env python3
"""Several berkas-server processes on one PostgreSQL behind nginx, configured
with installer/nginx/berkas.conf as shipped (only ports and paths changed),
all on 127.0.0.1.

    test_balancer.py BERKAS_SERVER BERKAS

Needs BERKAS_TEST_POSTGRES (installer/test-postgres.sh; .ci/run sets it) and
nginx (installer/install-deps.sh); without them it says so and exits 77
(skipped). Three laptops enroll through nginx over HTTPS, create and sync
applications at the same time, one backend stops halfway, and every laptop
ends with every application, registration numbers gapless and never twice;
an attachment of three chunks sent through nginx lands on both backends,
which share one file folder, and another laptop fetches it whole."""

import hashlib
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from urllib.parse import urlsplit, urlunsplit

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(HERE, "..", "client"))
from harness import Laptop, Tally, test_env  # noqa: E402

SKIP = 77
PASSWORDS = {"manajer1": "kunci-satu-2026", "manajer2": "kunci-dua-2026", "manajer3": "kunci-tiga-2026"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


class Backend:
    def __init__(self, binary, data, database, env, file_dir):
        self.log_path = data + ".log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [binary, f"--data={data}", f"--database={database}", "--port=0", "--bind=127.0.0.1",
             "--plain-http", "--trusted-proxy=127.0.0.1", f"--file-dir={file_dir}"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.port = None

        def listening():
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)", self.text())
            if m:
                self.port = int(m.group(1))
            elif self.process.poll() is not None:
                raise RuntimeError("berkas-server exited: " + self.text())
            return self.port is not None
        wait_for(listening, 30, "berkas-server to listen")

    def text(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.log.close()


def nginx_config(tmp, port, backends, cert, key):
    with open(os.path.join(ROOT, "installer", "nginx", "berkas.conf")) as f:
        site = f.read()
    site = site.replace("server 127.0.0.1:8471", f"server 127.0.0.1:{backends[0]}")
    site = site.replace("server 127.0.0.1:8472", f"server 127.0.0.1:{backends[1]}")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
    site = site.replace("/etc/berkas/tls/berkas.crt", cert).replace("/etc/berkas/tls/berkas.key", key)
    with open(os.path.join(tmp, "berkas.conf"), "w") as f:
        f.write(site)
    temp = "".join(f"{name}_temp_path {tmp}/{name};\n" for name in
                   ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = f"""{user}daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    log_format upstream '$request_method $uri $status $upstream_addr';
    access_log {tmp}/access.log upstream;
    {temp}
    include {tmp}/berkas.conf;
}}
"""
    path = os.path.join(tmp, "nginx.conf")
    with open(path, "w") as f:
        f.write(main)
    return path


def psql(admin, sql):
    subprocess.run(["psql", admin, "-qtAc", sql], check=True, capture_output=True, text=True)


def main():
    server_bin, berkas = sys.argv[1], sys.argv[2]
    admin = os.environ.get("BERKAS_TEST_POSTGRES", "")
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not admin or not nginx:
        print("skipped: " + ("BERKAS_TEST_POSTGRES is not set (.ci/run sets it)" if not admin
                             else "nginx is not installed (installer/install-deps.sh installs it)"))
        return SKIP
    t = Tally()
    tmp = tempfile.mkdtemp(prefix="berkas-balancer-")
    os.chmod(tmp, 0o755)
    env = test_env(tmp)
    name = "berkas_lb_" + os.path.basename(tmp).replace("-", "_").lower()
    psql(admin, f"CREATE DATABASE {name}")
    parts = urlsplit(admin)
    database = urlunsplit(parts._replace(path="/" + name))
    backends, proxy = [], None
    try:
        for user, password in PASSWORDS.items():
            subprocess.run([server_bin, f"--data={tmp}/admin", f"--database={database}", "user", "add", user,
                            "--role=manager"], input=password + "\n", text=True, check=True, capture_output=True,
                           env=env)
        # One attachment file folder for both, as sync/server/README.md says.
        backends = [Backend(server_bin, f"{tmp}/s{i}", database, env, f"{tmp}/files") for i in (1, 2)]
        cert, key = f"{tmp}/berkas.crt", f"{tmp}/berkas.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        port = free_port()
        conf = nginx_config(tmp, port, [b.port for b in backends], cert, key)
        proxy = subprocess.Popen([nginx, "-p", tmp, "-c", conf, "-e", f"{tmp}/nginx-error.log"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        url = f"https://127.0.0.1:{port}"
        context = ssl.create_default_context(cafile=cert)

        def healthy():
            try:
                with urllib.request.urlopen(url + "/v1/health", context=context, timeout=2) as r:
                    return r.status == 200
            except OSError:
                if proxy.poll() is not None:
                    raise RuntimeError("nginx exited: " + open(f"{tmp}/nginx-error.log").read())
                return False
        wait_for(healthy, 20, "nginx")
        t.check("the health check answers through nginx over HTTPS", healthy())

        laptops = {}
        for user, password in PASSWORDS.items():
            laptop = Laptop(berkas, f"{tmp}/{user}", env)
            laptop.run("enroll", f"--server={url}", f"--user={user}", f"--ca-file={cert}", stdin=password + "\n")
            laptops[user] = laptop
        t.check("three laptops enroll through nginx", len(laptops) == 3)

        made = []
        lock = threading.Lock()
        errors = []

        def work(laptop, count, tag):
            try:
                for i in range(count):
                    rid = laptop.new("application", service_code="PBG", applicant_name=f"Pemohon {tag} {i}",
                                     channel="portal", kecamatan="32.75.09")
                    laptop.set(rid, status="submitted")
                    with lock:
                        made.append(rid)
                    if i % 4 == 3:
                        laptop.sync()
                laptop.sync()
            except Exception as e:  # reported below
                with lock:
                    errors.append(f"{tag}: {e}")

        def round_of(count, label):
            threads = [threading.Thread(target=work, args=(lap, count, f"{user}-{label}"))
                       for user, lap in laptops.items()]
            for th in threads:
                th.start()
            for th in threads:
                th.join()

        round_of(8, "a")
        t.check("laptops sync at the same time through nginx without an error", errors == [], errors)

        def push_upstreams():
            with open(f"{tmp}/access.log") as f:
                return set(re.findall(r"^POST /v1/push 200 (127\.0\.0\.1:\d+)", f.read(), re.M))
        # nginx takes turns between the backends; a sync is a push and a
        # pull, so the pushes of syncs that do not overlap can all land on
        # one backend. A request between two syncs moves the turn on by one.
        extra = 0
        while len(push_upstreams()) < 2 and extra < 6:
            urllib.request.urlopen(url + "/v1/health", context=context, timeout=5).read()
            lap = laptops["manajer1"]
            made.append(lap.new("application", service_code="PBG", applicant_name=f"Pemohon giliran {extra}",
                                channel="portal", kecamatan="32.75.09"))
            lap.set(made[-1], status="submitted")
            lap.sync()
            extra += 1
        t.check("both backends took pushes", len(push_upstreams()) == 2, push_upstreams())

        # An attachment of several chunks through nginx: its chunks land on
        # both backends, which append to one part file in the shared folder
        # by turns, and another laptop fetches it whole.
        photo = f"{tmp}/rekaman-lokasi.bin"
        with open(photo, "wb") as f:
            f.write(b"\xff\xd8\xff\xe0" + os.urandom(20 * 1000 * 1000))
        with open(photo, "rb") as f:
            photo_sha = hashlib.sha256(f.read()).hexdigest()
        attachment = laptops["manajer1"].run("attach", made[0], photo).stdout.strip()
        sent = laptops["manajer1"].sync()
        t.check("a file of three chunks is sent through nginx", sent["files_sent"] == 1, sent)
        with open(f"{tmp}/access.log") as f:
            chunk_upstreams = set(re.findall(r"^PUT /v1/files/[0-9a-f]{64} 200 (127\.0\.0\.1:\d+)", f.read(), re.M))
        t.check("its chunks reached both backends", len(chunk_upstreams) == 2, chunk_upstreams)
        got = laptops["manajer2"].sync()
        out = f"{tmp}/keluar.bin"
        laptops["manajer2"].run("extract", attachment, f"--to={out}")
        with open(out, "rb") as f:
            t.check("another laptop fetches it byte-identical", got["files_fetched"] == 1
                    and hashlib.sha256(f.read()).hexdigest() == photo_sha, got)

        backends[0].stop()
        round_of(4, "b")
        t.check("with one backend stopped every sync still succeeds", errors == [], errors)

        for laptop in laptops.values():
            laptop.sync()
        for user, laptop in laptops.items():
            rows = laptop.json("list", "application", "--json")
            ids = {r["id"] for r in rows}
            t.check(f"{user} holds every application made on the three laptops ({len(made)})",
                    ids == set(made), f"{len(ids)} of {len(made)}")
        reg = [r["reg_no"] for r in laptops["manajer1"].json("list", "application", "--json")]
        numbers = sorted(int(n.rsplit("/", 1)[1]) for n in reg if n)
        t.check("registration numbers are gapless and never twice", numbers == list(range(1, len(made) + 1)),
                numbers)
        conflicts = sum(len(lap.conflicts()) for lap in laptops.values())
        t.check("no conflicts", conflicts == 0, conflicts)

        # The public status page through nginx, at the address printed in
        # the receipts' QR codes (location = /status in berkas.conf).
        lap = laptops["manajer1"]
        rid = lap.new("application", service_code="PBG", applicant_name="Pemohon Status", nik="3275094107904321",
                      channel="phone", kecamatan="32.75.09")
        lap.set(rid, status="submitted")
        lap.sync()
        reg_no = lap.get(rid)["reg_no"]
        query = urllib.parse.urlencode({"number": reg_no, "nik4": "4321"})
        with urllib.request.urlopen(f"{url}/status?{query}", context=context, timeout=5) as r:
            page = r.read().decode()
        t.check("the status page answers through nginx", "Diterima, menunggu pemeriksaan berkas" in page, page[-300:])

        # A failed login from behind the balancer is counted at the laptop's
        # address (X-Forwarded-For from a trusted proxy), not the proxy's.
        request = urllib.request.Request(
            f"http://127.0.0.1:{backends[1].port}/v1/login", method="POST",
            data=b'{"user":"manajer2","password":"salah-sekali","device_id":"01a23900-0000-7000-8000-000000000001"}',
            headers={"Content-Type": "application/json", "X-Forwarded-For": "10.20.30.40"})
        try:
            urllib.request.urlopen(request, timeout=5)
        except urllib.error.HTTPError:
            pass
        wait_for(lambda: "failed login for user manajer2" in backends[1].text(), 10, "the failed login in the log")
        t.check("the log names the address nginx forwarded",
                "failed login for user manajer2 from 10.20.30.40" in backends[1].text(),
                backends[1].text()[-400:])
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=10)
        for b in backends:
            b.stop()
        try:
            psql(admin, f"DROP DATABASE IF EXISTS {name}")
        except subprocess.CalledProcessError as e:
            print("could not drop", name, e.stderr)
        if t.failed:
            for path in ("nginx-error.log", "s1.log", "s2.log"):
                if os.path.exists(f"{tmp}/{path}"):
                    print(f"--- {path}\n" + open(f"{tmp}/{path}").read()[-2000:])
    shutil.rmtree(tmp, ignore_errors=True)
    return t.summary()


if __name__ == "__main__":
    sys.exit(main())
