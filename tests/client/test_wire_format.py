#!/usr/bin/python3
"""The wire format, byte for byte up to what varies by run: a scripted sync
between two real berkas laptops and a real berkas-server, recorded through a
proxy, compared with tests/client/wire/scripted_sync.json.

Usage: test_wire_format.py PATH/TO/berkas-server PATH/TO/berkas [--record]

Every request and answer body (decompressed when gzipped) is kept as text.
What differs from one run to the next is replaced before comparing:
record and device ids (UUIDs) by <uuid-N> in the order they first appear,
tokens by <token>, clock readings (hybrid logical clock values, server
times, ISO times, the year in reg_no) by placeholders. Everything else,
field names, their order, values, sequence numbers, outcomes, is compared
as recorded. --record writes the file anew (after a deliberate protocol
change, which sync/PROTOCOL.md then describes). All data is invented.
"""

import gzip
import http.client
import http.server
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wire", "scripted_sync.json")
PASSWORDS = {"mgr.wire": "gado-gado-siram-12", "clerk.wire": "soto-betawi-kuah-34"}

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REG_RE = re.compile(r"^\d{4}/([A-Z]+/\d+)$")
# Hybrid logical clock values and server times are milliseconds since 1970
# (shifted by the clock's logical bits): anything from 2001 on.
CLOCK_MIN = 10 ** 12


class Recorder(http.server.BaseHTTPRequestHandler):
    """Forwards each request to the server and keeps both bodies."""
    protocol_version = "HTTP/1.1"
    upstream = None
    exchanges = []
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "connection", "content-length")}
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream, timeout=60)
        conn.request(self.command, self.path, body=body, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        answer_headers = answer.getheaders()
        conn.close()
        with self.lock:
            self.exchanges.append({
                "request": f"{self.command} {self.path}",
                "request_body": decode(body, self.headers.get("Content-Encoding")),
                "status": answer.status,
                "answer_body": decode(data, dict((k.lower(), v) for k, v in answer_headers)
                                      .get("content-encoding")),
            })
        self.send_response(answer.status)
        for k, v in answer_headers:
            if k.lower() not in ("connection", "content-length", "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _forward
    do_POST = _forward
    do_PUT = _forward
    do_DELETE = _forward


def decode(data, encoding):
    if encoding and "gzip" in encoding.lower():
        data = gzip.decompress(data)
    if not data:
        return None
    text = data.decode("utf-8")
    try:
        return json.loads(text)
    except ValueError:
        return text


class Normalizer:
    def __init__(self):
        self.uuids = {}

    def uuid(self, m):
        return self.uuids.setdefault(m.group(0), f"<uuid-{len(self.uuids) + 1}>")

    def text(self, key, s):
        if key == "token" or key == "refresh_token":
            return "<token>"
        if ISO_RE.fullmatch(s):
            return "<time>"
        if DATE_RE.match(s):
            return "<date>"
        m = REG_RE.match(s)
        if key == "reg_no" and m:
            return "<year>/" + m.group(1)
        s = UUID_RE.sub(self.uuid, s)
        # A provisional number names its device: P-<first six of the device id>-N.
        s = re.sub(r"^P-[0-9A-F]{6}-", "P-<device>-", s)
        # A stamp "HLC:DEVICE" or "HLC" written as text.
        return re.sub(r"(?<![\d.+])\d{13,}(?![\d.])", "<clock>", s)

    def value(self, key, v):
        if isinstance(v, dict):
            return {self.text("", k): self.value(k, x) for k, x in v.items()}
        if isinstance(v, list):
            return [self.value(key, x) for x in v]
        if isinstance(v, bool) or v is None:
            return v
        if isinstance(v, int):
            return "<clock>" if v >= CLOCK_MIN else v
        if isinstance(v, float):
            return v
        return self.text(key, v)

    def exchange(self, e):
        return {
            "request": UUID_RE.sub(self.uuid, re.sub(r"(?<=[=&?])(\d{13,})", "<clock>", e["request"])),
            "request_body": self.value("", e["request_body"]),
            "status": e["status"],
            "answer_body": self.value("", e["answer_body"]),
        }


def script(mgr, clerk, url):
    """Two laptops, a manager's and a clerk's of 32.75.09: enrolment, records
    both ways, a concurrent edit (a conflict), a refused move out of the
    clerk's kecamatan, a resolution, and the pulls that carry all of it."""
    mgr.run("enroll", f"--server={url}", "--user=mgr.wire", stdin=PASSWORDS["mgr.wire"] + "\n")
    clerk.run("enroll", f"--server={url}", "--user=clerk.wire", stdin=PASSWORDS["clerk.wire"] + "\n")
    mgr.sync()
    clerk.sync()
    a = mgr.new("application", service_code="PBG", applicant_name="Sari Kusumawati",
                nik="3275094508900004", channel="counter", phone="081211110001",
                kecamatan="32.75.09")
    mgr.sync()
    clerk.sync()
    b = clerk.new("complaint", kind="complaint", channel="whatsapp", complainant_name="Dedi Hartono",
                  contact="081311110002", kecamatan="32.75.09", subject="Antrean terlalu lama")
    clerk.sync()
    mgr.sync()
    mgr.set(a, phone="081211110003")
    clerk.set(a, phone="081211110004")
    mgr.sync()
    clerk.sync()
    clerk.set(a, kecamatan="32.75.01")
    clerk.sync()
    mgr.sync()
    conflicts = [c for c in mgr.conflicts() if c.get("type") != "refused"]
    if conflicts:
        mgr.run("resolve", conflicts[0]["id"], "--keep=local")
    mgr.set(b, status="in_progress")
    mgr.sync()
    clerk.sync()
    return a, b


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    record = "--record" in sys.argv[1:]
    if len(args) != 2:
        print("usage: test_wire_format.py BERKAS_SERVER BERKAS [--record]", file=sys.stderr)
        return 2
    server_bin, berkas_bin = map(os.path.abspath, args)
    tally = harness.Tally()
    tmp = tempfile.mkdtemp(prefix="berkas-wire-")
    env = harness.test_env(tmp)
    server = None
    proxy = None
    try:
        server = harness.Server(server_bin, os.path.join(tmp, "server"), env, [
            ("mgr.wire", ["--role=manager"], PASSWORDS["mgr.wire"]),
            ("clerk.wire", ["--role=clerk", "--kecamatan=32.75.09"], PASSWORDS["clerk.wire"]),
        ])
        Recorder.upstream = server.port
        proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{proxy.server_address[1]}"
        mgr = harness.Laptop(berkas_bin, os.path.join(tmp, "mgr"), env)
        clerk = harness.Laptop(berkas_bin, os.path.join(tmp, "clerk"), env)
        script(mgr, clerk, url)
        n = Normalizer()
        got = [n.exchange(e) for e in Recorder.exchanges]
        if record:
            os.makedirs(os.path.dirname(GOLDEN), exist_ok=True)
            with open(GOLDEN, "w") as f:
                json.dump(got, f, indent=1, ensure_ascii=False)
                f.write("\n")
            print(f"recorded {len(got)} exchanges in {GOLDEN}")
        with open(GOLDEN) as f:
            want = json.load(f)
        tally.check("as many requests as recorded", len(got) == len(want), f"{len(got)} != {len(want)}")
        for i, (g, w) in enumerate(zip(got, want)):
            for part in ("request", "request_body", "status", "answer_body"):
                tally.check(f"exchange {i + 1} ({w['request']}): {part} as recorded", g[part] == w[part],
                            f"\n  got:      {json.dumps(g[part], ensure_ascii=False)[:2000]}"
                            f"\n  recorded: {json.dumps(w[part], ensure_ascii=False)[:2000]}")
    except Exception:
        traceback.print_exc()
        tally.check("script ran to the end", False)
    finally:
        if proxy is not None:
            proxy.shutdown()
        if server is not None:
            server.stop()
            if tally.failed:
                print("--- server log (tail)\n" + server.log_tail())
        shutil.rmtree(tmp, ignore_errors=True)
    return tally.summary()


if __name__ == "__main__":
    sys.exit(main())
