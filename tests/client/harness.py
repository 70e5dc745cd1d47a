"""What the end-to-end Python tests share: a real berkas-server in a
temporary folder, a real berkas laptop driven through its command line, and
a pass/fail tally. Python standard library only; all data is invented."""

import json
import os
import re
import subprocess
import time
import urllib.request

COMMAND_TIMEOUT = 60


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, cond, detail=""):
        if cond:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}" + (f": {detail}" if detail else ""))
        return cond

    def summary(self):
        print(f"{self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1


class Laptop:
    """A berkas data folder driven through the command line. Enrolment
    encrypts the folder; like a script, later commands unlock it with the
    password of the last enroll or login in BERKAS_PASSWORD."""

    def __init__(self, binary, data, env):
        self.binary, self.data, self.env = binary, data, dict(env)

    def run(self, *args, stdin=None, ok=True):
        p = subprocess.run([self.binary, f"--data={self.data}", *args], input=stdin,
                           capture_output=True, text=True, timeout=COMMAND_TIMEOUT, env=self.env)
        if ok and p.returncode != 0:
            raise RuntimeError(f"berkas {' '.join(args)} -> {p.returncode}: {p.stderr.strip()}")
        if p.returncode == 0 and args and args[0] in ("enroll", "login") and stdin:
            self.env["BERKAS_PASSWORD"] = stdin.splitlines()[0]
        return p

    def json(self, *args):
        return json.loads(self.run(*args).stdout)

    def new(self, kind, /, **fields):
        # Positional-only: a complaint has a field named "kind".
        return self.run("new", kind, *[f"{k}={v}" for k, v in fields.items()]).stdout.strip()

    def set(self, rid, **fields):
        return self.run("set", rid, *[f"{k}={v}" for k, v in fields.items()])

    def get(self, rid):
        return self.json("get", rid, "--json")

    def tick_checklist(self, application):
        """Ticks every checklist item of @p application, as the clerk who
        checks the documents does before the file leaves document_check."""
        for item in self.json("list", "requirement", f"--where=application_id={application}", "--json"):
            self.set(item["id"], fulfilled="1")

    def sync(self):
        return self.json("sync", "--json")

    def conflicts(self):
        return self.json("conflicts", "--json")


def test_env(tmp):
    """An environment that keeps the laptops' defaults inside @p tmp."""
    env = dict(os.environ, HOME=tmp, XDG_DATA_HOME=os.path.join(tmp, "xdg"), LANG="C.UTF-8")
    env.pop("BERKAS_DATA", None)
    env.pop("BERKAS_PASSWORD", None)
    return env


class Server:
    """berkas-server on 127.0.0.1 with the given users (name, options,
    password); extra_args come first on its command lines (such as
    --config=FILE, which the data folder and address given here override).
    Port 0: the server takes a free port and says which. A port picked here
    and handed over could be taken meanwhile by another test's server, which
    would then answer this test."""

    def __init__(self, binary, data, env, users, port=0, extra_args=()):
        self.data = data
        for name, opts, password in users:
            subprocess.run([binary, *extra_args, f"--data={data}", "user", "add", name, *opts],
                           input=password + "\n", text=True, check=True,
                           capture_output=True, timeout=COMMAND_TIMEOUT, env=env)
        args = [binary, *extra_args, f"--data={data}", f"--port={port}", "--bind=127.0.0.1"]
        help_text = subprocess.run([binary, "--help"], capture_output=True, text=True,
                                   timeout=COMMAND_TIMEOUT, env=env).stdout
        if "--plain-http" in help_text:
            args.append("--plain-http")
        self.log_path = data + ".log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 20
        port = None
        while port is None:
            with open(self.log_path) as f:
                m = re.search(r"listening on 127\.0\.0\.1:(\d+)", f.read())
            if m:
                port = int(m.group(1))
            elif time.time() > deadline or self.process.poll() is not None:
                raise RuntimeError("server did not start")
            else:
                time.sleep(0.1)
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def health(self):
        with urllib.request.urlopen(self.url + "/v1/health", timeout=5) as r:
            return json.loads(r.read())

    def log_tail(self, lines=20):
        try:
            with open(self.log_path) as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()
