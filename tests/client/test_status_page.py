#!/usr/bin/python3
"""The public status page in a real browser: a real berkas-server on
127.0.0.1, a real berkas laptop that takes an application and a booking and
syncs them, and Debian's chromium, headless, loading /status the way a phone
does after scanning the receipt's QR code. Checks the rendered text (status,
due date or visit, next step, nothing of the applicant), that a wrong number
and a wrong NIK render the same page, and takes a screenshot at a phone's
width (390x844).

Usage: test_status_page.py BERKAS_SERVER BERKAS [SCREENSHOT_DIR]
Exit 77 (skipped) only when chromium is missing or cannot start."""

import html
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Laptop, Server, Tally, test_env  # noqa: E402

SKIP = 77
NIK = "3275094107904321"          # synthetic; the last four are 4321
BOOKING_NIK = "3275095512887766"  # synthetic; 7766
CLERK_PASSWORD = "kata-sandi-status-1"


def chromium_command(profile):
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        return None
    return [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}"]


def browse(command, *args):
    p = subprocess.run([*command, *args], capture_output=True, text=True, timeout=90)
    return p


def rendered(command, url):
    """The DOM chromium built from @p url, after loading it."""
    p = browse(command, "--dump-dom", url)
    if p.returncode != 0:
        raise RuntimeError(f"chromium --dump-dom {url} -> {p.returncode}: {p.stderr[-500:]}")
    return p.stdout


def element_text(dom, element_id):
    m = re.search(r'id="' + re.escape(element_id) + r'"[^>]*>(.*?)</', dom, re.S)
    return html.unescape(m.group(1)).strip() if m else None


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def main():
    server_bin, berkas = sys.argv[1], sys.argv[2]
    shots = sys.argv[3] if len(sys.argv) > 3 else None
    t = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        command = chromium_command(os.path.join(tmp, "chromium-profile"))
        if not command:
            print("skipped: chromium is not installed (installer/install-deps.sh installs it)")
            return SKIP
        probe = browse(command, "--dump-dom", "data:text/html,<p>ok</p>")
        if probe.returncode != 0 or "<p>ok</p>" not in probe.stdout:
            print("skipped: chromium cannot start here: " + probe.stderr[-300:])
            return SKIP

        env = test_env(tmp)
        server = Server(server_bin, os.path.join(tmp, "server"), env,
                        [("siti.status", ["--role=clerk", "--kecamatan=32.75.09"], CLERK_PASSWORD)])
        try:
            laptop = Laptop(berkas, os.path.join(tmp, "laptop"), env)
            laptop.run("enroll", f"--server={server.url}", "--user=siti.status", stdin=CLERK_PASSWORD + "\n")
            app = laptop.new("application", service_code="PBG", applicant_name="Rahmat Sintetis", nik=NIK,
                             phone="081234567890", address="Jl. Contoh No. 7", channel="phone",
                             kecamatan="32.75.09")
            laptop.set(app, status="submitted")
            laptop.set(app, status="document_check")
            laptop.tick_checklist(app)
            laptop.set(app, status="recommendation")
            booking = laptop.new("booking", service_code="PBG", location="MPP Kota Bekasi", date="2027-03-15",
                                 slot="09:30", applicant_name="Dewi Sintetis", nik=BOOKING_NIK,
                                 phone="081298765432")
            laptop.sync()
            record = laptop.get(app)
            reg_no, due = record.get("reg_no", ""), record.get("due_date", "")
            code = laptop.get(booking).get("code", "")
            t.check("the laptop holds the registration number after its sync", bool(reg_no), reg_no)

            def page(number, nik4=None):
                q = {"number": number} if nik4 is None else {"number": number, "nik4": nik4}
                return f"{server.url}/status?{urllib.parse.urlencode(q)}"

            # The QR code's address: the form with the number filled in.
            dom = rendered(command, page(reg_no))
            t.check("the QR code's address shows the form with the number filled in",
                    f'value="{html.escape(reg_no)}"' in dom and 'id="nik4"' in dom, dom[-400:])

            dom = rendered(command, page(reg_no, "4321"))
            t.check("the status in words", element_text(dom, "status") == "Menunggu rekomendasi teknis",
                    element_text(dom, "status"))
            months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                      "Oktober", "November", "Desember"]
            y, m, d = (int(x) for x in due.split("-"))
            t.check("the due date in Indonesian", element_text(dom, "due-date") == f"{d} {months[m - 1]} {y}",
                    f"{element_text(dom, 'due-date')} for {due}")
            t.check("the next step", "rekomendasi teknis" in (element_text(dom, "next-step") or ""),
                    element_text(dom, "next-step"))
            leaked = [s for s in ("Rahmat", "Sintetis", NIK, "4321", "Contoh", "081234567890") if s in dom]
            t.check("nothing of the applicant in the page", not leaked, leaked)

            dom = rendered(command, page(code.lower(), "7766"))
            t.check("a booking shows the day and time of the visit",
                    element_text(dom, "visit") == "Senin, 15 Maret 2027 pukul 09.30", element_text(dom, "visit"))

            wrong_nik = rendered(command, page(reg_no, "1234"))
            wrong_number = rendered(command, page(reg_no + "9", "4321"))
            t.check("a wrong NIK says the data was not found", "Data tidak ditemukan" in wrong_nik)
            t.check("a wrong number renders the same page as a wrong NIK", wrong_nik == wrong_number)
            s1, b1 = fetch(page(reg_no, "1234"))
            s2, b2 = fetch(page(reg_no + "9", "4321"))
            s3, b3 = fetch(f"{server.url}/v1/status?number={urllib.parse.quote(reg_no + '9', safe='')}&nik4=4321")
            s4, b4 = fetch(f"{server.url}/v1/status?number={urllib.parse.quote(reg_no, safe='')}&nik4=1234")
            t.check("over HTTP both answers are the same status and bytes", (s1, b1) == (s2, b2) and s1 == 404,
                    f"{s1} {s2}")
            t.check("the JSON answers too", (s3, b3) == (s4, b4) and s3 == 404, f"{s3} {s4}")

            shot = os.path.join(shots or tmp, "status-page-phone.png")
            if shots:
                os.makedirs(shots, exist_ok=True)
            p = browse(command, "--window-size=390,844", f"--screenshot={shot}", page(reg_no, "4321"))
            t.check("a screenshot at a phone's width", p.returncode == 0 and png_size(shot) == (390, 844),
                    f"{p.returncode} {png_size(shot) if os.path.exists(shot) else 'no file'}")
            if shots:
                form_shot = os.path.join(shots, "status-form-phone.png")
                browse(command, "--window-size=390,844", f"--screenshot={form_shot}", page(reg_no))
                print(f"screenshots: {shot} {form_shot}")
        finally:
            server.stop()
            if t.failed:
                print(server.log_tail())
    return t.summary()


if __name__ == "__main__":
    sys.exit(main())
