#!/usr/bin/python3
"""The Debian packages, built and run as installed.

Usage: test_packages.py BUILD_DIR VERSION

Builds berkas_VERSION_*.deb and berkas-server_VERSION_*.deb from BUILD_DIR's
CPack configuration (the binaries must be built) into a temporary folder,
checks their control data, unpacks both into one clean root with dpkg -x,
runs the unpacked binaries' --version, checks the desktop entry, AppStream
metainfo and systemd unit with Debian's own validators where the machine has
them, runs lintian when installed, and syncs two laptops running the
unpacked berkas through the unpacked berkas-server on 127.0.0.1, started
with the packaged configuration file. Prints "N passed, M failed" last;
exits non-zero on any failure. All data is invented.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "client"))
import harness  # noqa: E402

tally = harness.Tally()
check = tally.check
PASSWORDS = {"uji.manajer": "gado-gado-pedas-28", "uji.petugas": "es-cendol-manis-64"}
# Tags lintian may report, each explained in installer/README.md.
EXPLAINED_LINTIAN_TAGS = {
    "bogus-mail-host", "bogus-mail-host-in-debian-changelog",
    "binary-has-unneeded-section", "package-contains-documentation-outside-usr-share-doc",
    "package-supports-alternative-init-but-no-init.d-script", "spelling-error-in-binary",
}


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)


def control(deb):
    """The control fields of a .deb, as a dict."""
    fields, name = {}, None
    for line in run(["dpkg-deb", "-f", deb]).stdout.splitlines():
        if line.startswith(" ") and name:
            fields[name] += "\n" + line
        elif ":" in line:
            name, value = line.split(":", 1)
            fields[name] = value.strip()
    return fields


def build_packages(build_dir, out):
    p = run(["cpack", "--config", os.path.join(build_dir, "CPackConfig.cmake"), "-B", out])
    check("cpack builds the packages", p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:])


def check_control(client_deb, server_deb, version):
    c, s = control(client_deb), control(server_deb)
    check("berkas: name and version", c.get("Package") == "berkas" and c.get("Version") == version, c)
    check("berkas-server: name and version",
          s.get("Package") == "berkas-server" and s.get("Version") == version, s)
    c_deps, s_deps = c.get("Depends", ""), s.get("Depends", "")
    check("berkas depends on the libraries it links (wxWidgets, Poco, libxlsxwriter, libqrencode)",
          all(lib in c_deps for lib in ("libwxgtk3.2", "libpocofoundation", "libxlsxwriter", "libqrencode")),
          c_deps)
    check("berkas-server does not need libqrencode (only printouts make QR codes)", "qrencode" not in s_deps, s_deps)
    check("berkas has SQLite built in: no SQLite package among its dependencies",
          "sqlite" not in c_deps, c_deps)
    check("berkas-server depends on adduser and its database connectors",
          all(lib in s_deps for lib in ("adduser", "libpocodatasqlite", "libpocodatapostgresql")), s_deps)
    tmp = tempfile.mkdtemp(prefix="berkas-control-")
    try:
        run(["dpkg-deb", "-e", server_deb, tmp])
        with open(os.path.join(tmp, "conffiles")) as f:
            check("the server's configuration is a conffile",
                  f.read().split() == ["/etc/berkas/berkas-server.properties"])
        scripts_ok = all(run(["sh", "-n", os.path.join(tmp, n)]).returncode == 0
                         and os.access(os.path.join(tmp, n), os.X_OK)
                         for n in ("postinst", "prerm", "postrm"))
        check("the server's maintainer scripts are executable shell without syntax errors", scripts_ok)
        with open(os.path.join(tmp, "postinst")) as f:
            postinst = f.read()
        check("postinst makes the system user berkas", "adduser --quiet --system" in postinst
              and re.search(r"\bberkas$", postinst, re.M) is not None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_files(root):
    expected = [
        "usr/bin/berkas", "usr/share/berkas/reference/regions/districts.csv",
        "usr/share/berkas/reference/regions/LICENSE-ODbL.md",
        "usr/share/locale/id/LC_MESSAGES/berkas.mo",
        "usr/share/icons/hicolor/scalable/apps/berkas.svg",
        "usr/share/icons/hicolor/48x48/apps/berkas.png",
        "usr/share/icons/hicolor/256x256/apps/berkas.png",
        "usr/share/man/man1/berkas.1.gz", "usr/share/doc/berkas/copyright",
        "usr/share/doc/berkas/changelog.gz",
        "usr/bin/berkas-server", "usr/share/berkas-server/reference/services.csv",
        "usr/share/berkas-server/mail/booking_confirmed.txt",
        "etc/berkas/berkas-server.properties", "lib/systemd/system/berkas-server.service",
        "usr/share/man/man8/berkas-server.8.gz", "usr/share/doc/berkas-server/copyright",
    ]
    missing = [f for f in expected if not os.path.exists(os.path.join(root, f))]
    check("the packages hold the binaries, data, translations, icons, man pages and unit", not missing, missing)
    desktop = glob.glob(os.path.join(root, "usr/share/applications/*.desktop"))
    metainfo = glob.glob(os.path.join(root, "usr/share/metainfo/*.metainfo.xml"))
    check("one desktop entry and one AppStream file, named alike",
          len(desktop) == 1 and len(metainfo) == 1
          and os.path.basename(desktop[0])[:-len(".desktop")]
          == os.path.basename(metainfo[0])[:-len(".metainfo.xml")], (desktop, metainfo))
    if desktop and shutil.which("desktop-file-validate"):
        p = run(["desktop-file-validate", desktop[0]])
        check("desktop-file-validate accepts the desktop entry", p.returncode == 0 and not p.stdout.strip(),
              p.stdout + p.stderr)
    if metainfo and shutil.which("appstreamcli"):
        p = run(["appstreamcli", "validate", "--no-net", "--pedantic", metainfo[0]])
        check("appstreamcli validates the metainfo", p.returncode == 0, p.stdout + p.stderr)


def check_versions(root, version, env):
    for name in ("berkas", "berkas-server"):
        p = run([os.path.join(root, "usr/bin", name), "--version"], env=env)
        check(f"the installed {name} --version prints '{name} {version}' and exits 0",
              p.returncode == 0 and p.stdout == f"{name} {version}\n", (p.returncode, p.stdout, p.stderr))


def check_unit(root):
    if not shutil.which("systemd-analyze"):
        print("skip systemd-analyze verify: systemd-analyze is not installed")
        return
    unit = os.path.join(root, "lib/systemd/system/berkas-server.service")
    # Verified inside the unpacked root, where its ExecStart and man page are;
    # the units it starts after (sysinit.target, network-online.target, ...)
    # come from this machine, without replacing the packaged one.
    units = os.path.join(root, "lib/systemd/system")
    run(["cp", "-rn", "/lib/systemd/system/.", units])
    p = run(["systemd-analyze", "verify", f"--root={root}", "berkas-server.service"],
            env=dict(os.environ, MANPATH=os.path.join(root, "usr/share/man")))
    # Mistakes in a unit are warnings on stderr, not an exit code.
    check("systemd-analyze verify accepts the unit, its command and its man page",
          p.returncode == 0 and not p.stderr.strip(), p.stdout + p.stderr)
    with open(unit) as f:
        text = f.read()
    wanted = ["User=berkas", "StateDirectory=berkas", "ProtectSystem=strict", "ProtectHome=yes",
              "PrivateTmp=yes", "NoNewPrivileges=yes",
              "ExecStart=/usr/bin/berkas-server --config=/etc/berkas/berkas-server.properties"]
    check("the unit runs as berkas, sandboxed, with the packaged configuration",
          all(w in text.splitlines() for w in wanted), [w for w in wanted if w not in text.splitlines()])


def check_lintian(debs):
    if not shutil.which("lintian"):
        print("skip lintian: lintian is not installed")
        return
    p = run(["lintian", "--fail-on", "none", *debs])
    tags = set()
    for line in p.stdout.splitlines():
        m = re.match(r"([EW]): \S+: (\S+)", line)
        if m:
            tags.add(m.group(2))
    check("lintian reports no error or warning beyond those explained in installer/README.md",
          tags <= EXPLAINED_LINTIAN_TAGS, p.stdout)


def check_installed_data(root, tmp, env):
    """The unpacked berkas reads the data folder of its package, not the
    source tree: a service added to the unpacked catalog is seeded into a
    new laptop's store."""
    services = os.path.join(root, "usr/share/berkas/reference/services.csv")
    with open(services, "a") as f:
        f.write("ZZUJI,Layanan Uji Paket,Package test service,DPMPTSP,5,test,no,Fotokopi KTP pemohon\n")
    solo = harness.Laptop(os.path.join(root, "usr/bin/berkas"), os.path.join(tmp, "solo"), env)
    codes = [s.get("code") for s in solo.json("list", "service", "--json")]
    check("the unpacked berkas seeds the services of its package's data folder",
          "ZZUJI" in codes and "PBG" in codes, codes)


def check_sync(root, tmp, env):
    server = harness.Server(
        os.path.join(root, "usr/bin/berkas-server"), os.path.join(tmp, "server"), env,
        [("uji.manajer", ["--role=manager"], PASSWORDS["uji.manajer"]),
         ("uji.petugas", ["--role=clerk", "--kecamatan=32.75.09"], PASSWORDS["uji.petugas"])],
        extra_args=[f"--config={os.path.join(root, 'etc/berkas/berkas-server.properties')}"])
    try:
        check("the unpacked server, started with the packaged configuration, answers",
              server.health().get("status") == "ok")
        berkas = os.path.join(root, "usr/bin/berkas")
        manager = harness.Laptop(berkas, os.path.join(tmp, "manager"), env)
        clerk = harness.Laptop(berkas, os.path.join(tmp, "clerk"), env)
        manager.run("enroll", f"--server={server.url}", "--user=uji.manajer",
                    stdin=PASSWORDS["uji.manajer"] + "\n")
        clerk.run("enroll", f"--server={server.url}", "--user=uji.petugas",
                  stdin=PASSWORDS["uji.petugas"] + "\n")
        rid = manager.new("application", service_code="PBG", applicant_name="Dewi Paket Uji",
                          nik="3275094101900005", channel="counter", phone="+6281234567801",
                          kecamatan="32.75.09")
        pushed = manager.sync()
        check("the manager's laptop pushes its application", pushed.get("pushed", 0) >= 1, pushed)
        clerk.sync()
        got = clerk.get(rid)
        check("the clerk's laptop pulls it, with a registration number from the server",
              got.get("applicant_name") == "Dewi Paket Uji" and re.match(r"\d{4}/PBG/\d{6}$", got.get("reg_no") or ""),
              got)
        clerk.set(rid, phone="+6281234567802")
        clerk.sync()
        manager.sync()
        check("the clerk's edit reaches the manager's laptop",
              manager.get(rid).get("phone") == "+6281234567802", manager.get(rid))
    finally:
        server.stop()
        if tally.failed:
            print("--- server log (tail)\n" + server.log_tail())


def main():
    if len(sys.argv) != 3:
        print("usage: test_packages.py BUILD_DIR VERSION", file=sys.stderr)
        return 2
    build_dir, version = os.path.abspath(sys.argv[1]), sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="berkas-packages-")
    env = harness.test_env(tmp)
    env.pop("BERKAS_ASSETS", None)
    try:
        out = os.path.join(tmp, "out")
        build_packages(build_dir, out)
        client_debs = glob.glob(os.path.join(out, f"berkas_{version}_*.deb"))
        server_debs = glob.glob(os.path.join(out, f"berkas-server_{version}_*.deb"))
        check("one berkas and one berkas-server package of this version",
              len(client_debs) == 1 and len(server_debs) == 1, os.listdir(out) if os.path.isdir(out) else out)
        if len(client_debs) != 1 or len(server_debs) != 1:
            return tally.summary()
        check_control(client_debs[0], server_debs[0], version)
        root = os.path.join(tmp, "root")
        for deb in (client_debs[0], server_debs[0]):
            p = run(["dpkg", "-x", deb, root])
            check(f"dpkg -x unpacks {os.path.basename(deb)}", p.returncode == 0, p.stderr)
        check_files(root)
        check_versions(root, version, env)
        check_unit(root)
        check_lintian([client_debs[0], server_debs[0]])
        check_installed_data(root, tmp, env)
        check_sync(root, tmp, env)
    except Exception:
        traceback.print_exc()
        check("the checks ran to the end", False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tally.summary()


if __name__ == "__main__":
    sys.exit(main())
