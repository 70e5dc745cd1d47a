"""A small Berkas sync client written from sync/PROTOCOL.md (protocol 1).

Standard library only. It keeps an in-memory replica of the records it has
seen, an outbox of unpushed field changes, a hybrid logical clock and the
pull cursor. It is meant for interoperability tests, not for production use.
"""

import gzip
import http.client
import json
import os
import random
import threading
import time
import urllib.parse

PROTOCOL = 1
SCHEMA = 12  # PROTOCOL.md: "This server's is 12"

# "legally significant fields (status, result, NIK, NIB, service, reg_no, deletion)"
LEGAL_FIELDS = {"status", "result", "nik", "nib", "service_code", "reg_no", "deleted"}

ZERO = (0, "")  # the zero stamp "0@"


class ProtocolError(Exception):
    def __init__(self, status, body):
        self.status = status
        self.body = body if isinstance(body, dict) else {}
        err = self.body.get("error", {})
        self.code = err.get("code")
        self.message = err.get("message")
        super().__init__(f"HTTP {status} {self.code}: {self.message}")


def uuid7():
    ms = int(time.time() * 1000)
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    h = f"{value:032x}"
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def format_stamp(stamp):
    return f"{stamp[0]}@{stamp[1]}"


class Hlc:
    """Hybrid logical clock: upper 48 bits UNIX ms, lower 16 bits a counter."""

    def __init__(self):
        self.last = 0
        self.lock = threading.Lock()

    def now(self):
        with self.lock:
            wall = int(time.time() * 1000) << 16
            self.last = max(self.last + 1, wall)
            return self.last

    def observe(self, hlc):
        with self.lock:
            self.last = max(self.last, int(hlc))

    def observe_ms(self, ms):
        # server_time is milliseconds; fold it in as an HLC with counter 0
        self.observe(int(ms) << 16)


class Client:
    def __init__(self, base_url, device_id=None, shared=2, timeout=20.0):
        u = urllib.parse.urlsplit(base_url)
        self.https = u.scheme == "https"
        self.host, self.port = u.hostname, u.port or (443 if self.https else 80)
        self.timeout = timeout
        self.device_id = device_id or uuid7()
        self.shared = shared
        self.token = None
        self.user = None
        self.hlc = Hlc()
        self.conn = None
        # replica: (kind, id) -> {field: {"value", "stamp": (hlc, dev), "user", "seq"}}
        self.records = {}
        self.outbox = []          # dicts: seq, k, i, field, value, hlc, base
        self.next_seq = 1
        self.refused = []         # changes the server refused: what was typed, code, reason
        self.cursor = 0
        self.ack = 0
        self.last_push = None
        self.last_pull = None
        self.audit = []           # local audit lines, e.g. "left scope"

    # ---------------------------------------------------------- transport
    def _connection(self):
        if self.conn is None:
            cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
            self.conn = cls(self.host, self.port, timeout=self.timeout)
        return self.conn

    def _once(self, method, path, body, auth, gzip_body):
        headers = {"Accept-Encoding": "gzip", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
            if gzip_body:
                data = gzip.compress(data)
                headers["Content-Encoding"] = "gzip"
        if auth:
            headers["Authorization"] = "Bearer " + self.token
        conn = self._connection()
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            self.conn = None
            raise
        if resp.getheader("Content-Encoding", "").lower() == "gzip":
            raw = gzip.decompress(raw)
        try:
            doc = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            doc = {}
        if isinstance(doc, dict) and "server_time" in doc:
            self.hlc.observe_ms(doc["server_time"])
        return resp.status, resp.getheader("Retry-After"), doc

    def request(self, method, path, body=None, auth=True, gzip_body=False, attempts=6):
        """Retries connection errors, 429 and 5xx with backoff and jitter."""
        delay = 0.2
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                status, retry_after, doc = self._once(method, path, body, auth, gzip_body)
            except (OSError, http.client.HTTPException):
                if last:
                    raise
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 5.0)
                continue
            if status == 429 or status >= 500:
                if last:
                    raise ProtocolError(status, doc)
                wait = delay * (1 + random.random())
                if retry_after:
                    try:
                        wait = min(max(wait, float(retry_after)), 10.0)
                    except ValueError:
                        pass
                time.sleep(wait)
                delay = min(delay * 2, 5.0)
                continue
            if status >= 400:
                raise ProtocolError(status, doc)
            return doc
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    # ---------------------------------------------------------- accounts
    def enroll(self, user, password, login=False):
        doc = self.request("POST", "/v1/login" if login else "/v1/enroll",
                           {"user": user, "password": password, "device_id": self.device_id},
                           auth=False, attempts=1)
        self.token = doc["token"]
        self.user = doc.get("user", {})
        self._marks(doc.get("device"))
        return doc

    def login(self, user, password):
        return self.enroll(user, password, login=True)

    # ---------------------------------------------------------- local writes
    def get(self, kind, rid):
        rec = self.records.get((kind, rid))
        if rec is None:
            return None
        return {f: v["value"] for f, v in rec.items()}

    def set(self, kind, rid, **fields):
        rec = self.records.setdefault((kind, rid), {})
        for field, value in fields.items():
            if value is not None and not isinstance(value, str):
                raise TypeError("values travel as text")
            hlc = self.hlc.now()
            old = rec.get(field)
            base = old["stamp"] if old else ZERO
            rec[field] = {"value": value, "stamp": (hlc, self.device_id),
                          "user": self.user.get("name") if self.user else None, "seq": None}
            self.outbox.append({"seq": self.next_seq, "k": kind, "i": rid, "field": field,
                                "value": value, "hlc": hlc, "base": base})
            self.next_seq += 1

    def create(self, kind, **fields):
        rid = uuid7()
        fields.setdefault("created_at", time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()))
        self.set(kind, rid, **fields)
        return rid

    def pending(self, kind, rid, field):
        return [c for c in self.outbox if (c["k"], c["i"], c["field"]) == (kind, rid, field)]

    # ---------------------------------------------------------- push
    def push_body(self, changes):
        # The server wants seq increasing across the whole body, so a record
        # edited again after another record gets a second entry (one entry
        # per run of consecutive changes of one record).
        records, devices, dev_index = [], [], {}
        for ch in changes:
            if not records or (records[-1]["k"], records[-1]["i"]) != (ch["k"], ch["i"]):
                records.append({"k": ch["k"], "i": ch["i"], "c": []})
            if ch["base"] == ZERO:
                base_hlc, base_dev = "0", -1
            else:
                if ch["base"][1] not in dev_index:
                    dev_index[ch["base"][1]] = len(devices)
                    devices.append(ch["base"][1])
                base_hlc, base_dev = str(ch["base"][0]), dev_index[ch["base"][1]]
            records[-1]["c"].append(
                [ch["seq"], ch["field"], ch["value"], str(ch["hlc"]), base_hlc, base_dev])
        return {"protocol": PROTOCOL, "schema": SCHEMA, "device_id": self.device_id,
                "cursor": self.cursor, "records": records, "devices": devices}

    def push(self, batch=5000, gzip_body=True):
        """Pushes the outbox; returns the list of per-change results."""
        results = []
        renumbered = 0
        while self.outbox:
            changes = self.outbox[:batch]
            doc = self.request("POST", "/v1/push", self.push_body(changes), gzip_body=gzip_body)
            self.last_push = doc
            through = int(doc["accepted_through"])
            results.extend(doc.get("results", []))
            sent = {c["seq"]: c for c in changes}
            for r in doc.get("results", []):
                if r["outcome"] == "refused" and r["seq"] in sent:
                    self._refused(sent[r["seq"]], r)
            self.outbox = [c for c in self.outbox if c["seq"] > through]
            self._marks(doc.get("device"))
            reused = [r["seq"] for r in doc.get("results", []) if r["outcome"] == "reused"]
            if reused:
                # PROTOCOL.md, "Restored laptops": new ids, in order, after
                # everything the server took and this client used.
                renumbered += 1
                if renumbered > 3:
                    raise RuntimeError("the server keeps answering reused")
                for c in self.outbox:
                    if c["seq"] >= min(reused):
                        c["seq"] = self.next_seq
                        self.next_seq += 1
                continue
            if changes and through < changes[-1]["seq"] and not reused:
                raise RuntimeError(f"push made no progress (accepted_through={through})")
        return results

    def _marks(self, marks):
        """PROTOCOL.md, "Restored laptops": never number below the server's marks."""
        if not marks:
            return
        self.next_seq = max(self.next_seq, int(marks.get("seq", 0)) + 1)
        self.hlc.observe(int(marks.get("hlc", "0")))

    def _refused(self, change, result):
        """PROTOCOL.md, "Refused changes": show what the server holds, keep what was typed."""
        key = (change["k"], change["i"])
        self.refused.append({"k": change["k"], "i": change["i"], "field": change["field"],
                             "value": change["value"], "code": result.get("code"),
                             "reason": result.get("reason")})
        mine = (change["hlc"], self.device_id)
        if result.get("held"):
            hlc, _, dev = result["stamp"].partition("@")
            stamp = (int(hlc), dev) if dev else ZERO
            rec = self.records.setdefault(key, {})
            cur = rec.get(change["field"])
            if cur is not None and cur["stamp"] == mine:
                rec[change["field"]] = {"value": result.get("value"), "stamp": stamp,
                                        "user": result.get("user"), "seq": None}
            for c in self.outbox:
                if (c["k"], c["i"], c["field"]) == (key[0], key[1], change["field"]) \
                        and c["seq"] > change["seq"] and c["base"] == mine:
                    c["base"] = stamp
        else:
            self.records.pop(key, None)
            self.outbox = [c for c in self.outbox
                           if (c["k"], c["i"]) != key or c["seq"] <= change["seq"]]

    # ---------------------------------------------------------- pull
    def _apply(self, kind, rid, field, value, stamp, user, seq):
        self.hlc.observe(stamp[0])
        rec = self.records.setdefault((kind, rid), {})
        cur = rec.get(field)
        if cur is not None and self.pending(kind, rid, field):
            # an unpushed local change: the pulled value replaces it only when
            # it would also win at the server
            if field not in LEGAL_FIELDS and stamp <= cur["stamp"]:
                return
        rec[field] = {"value": value, "stamp": stamp, "user": user, "seq": seq}

    def _decode(self, doc):
        devices = doc.get("devices", [])
        users = doc.get("users", [])
        fields = doc.get("fields")

        def fname(f):
            return fields[f] if isinstance(f, int) and fields is not None else f

        out = []
        for r in doc.get("records", []):
            kind, rid = r["k"], r["i"]
            shared = None
            if "s" in r:
                h, d, u = r["s"]
                shared = ((int(h), devices[d]), users[u] if u is not None else None)
            v = r.get("v", [])
            for j in range(0, len(v), 2):
                out.append((kind, rid, fname(v[j]), v[j + 1], shared[0], shared[1], None))
            for ch in r.get("c", []):
                if len(ch) == 3:
                    out.append((kind, rid, fname(ch[1]), ch[2], shared[0], shared[1], ch[0]))
                else:
                    seq, f, val, h, d, u = ch[:6]
                    out.append((kind, rid, fname(f), val, (int(h), devices[d]), users[u], seq))
        return out

    def pull_once(self, limit=None):
        q = {"cursor": self.cursor, "ack": self.ack}
        if limit:
            q["limit"] = limit
        if self.shared:
            q["shared"] = self.shared
        try:
            doc = self.request("GET", "/v1/pull?" + urllib.parse.urlencode(q))
        except ProtocolError as e:
            if e.status == 422 and self.shared == 2 and "shared" in (e.message or ""):
                self.shared = 1
                return self.pull_once(limit)
            raise
        self.last_pull = doc
        # one "transaction": values, purge, cursor and ack together
        for kind, rid, field, value, stamp, user, seq in self._decode(doc):
            self._apply(kind, rid, field, value, stamp, user, seq)
        for g in doc.get("gone", []):
            self.records.pop((g["k"], g["i"]), None)
            self.audit.append(("left scope", g["k"], g["i"]))
        self.cursor = int(doc["cursor"])
        if "ack" in doc:
            self.ack = int(doc["ack"])
        return doc

    def pull(self, limit=None, max_rounds=1000):
        for _ in range(max_rounds):
            doc = self.pull_once(limit)
            if not doc.get("more"):
                return
        raise RuntimeError("pull did not finish")

    def sync(self):
        """Push before pull, as the document asks."""
        results = self.push()
        self.pull()
        return results

    # ---------------------------------------------------------- views
    def of_kind(self, kind):
        return {rid: self.get(k, rid) for (k, rid) in self.records if k == kind}
