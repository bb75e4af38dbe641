#!/usr/bin/python3
"""Plays systemd's side of the notify protocol for one demarched run.

Binds a unix datagram socket, starts the daemon with NOTIFY_SOCKET pointing
at it, WATCHDOG_USEC set and WATCHDOG_PID = the daemon's own pid, and checks
what arrives, as systemd would see it (Type=notify, NotifyAccess=main):

- every datagram comes from the daemon's pid and is KEY=VALUE lines;
- READY=1 arrives only after partitions are assigned: when it arrives, the
  daemon's log (written before the notification, by the same thread) already
  says so, and its STATUS= names at least one partition;
- STATUS= lines are readable text, and the periodic one comes;
- WATCHDOG=1 comes at least every half WATCHDOG_USEC (with a scheduling
  allowance), from start to stop;
- SIGHUP gives RELOADING=1 (with a MONOTONIC_USEC= of now) and then READY=1;
- SIGTERM gives STOPPING=1 and exit status 0.

usage: systemd_notify.py --log FILE [--watchdog-usec N] [--run-seconds S] -- CMD...
Exit 0 when every check passes, 1 otherwise (the reason on stderr).
"""
import argparse
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

KNOWN = {"READY", "STATUS", "WATCHDOG", "RELOADING", "STOPPING", "MONOTONIC_USEC", "ERRNO",
         "MAINPID", "EXTEND_TIMEOUT_USEC"}


def fail(msg):
    print("systemd-notify: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def log(msg):
    print("systemd-notify: " + msg, file=sys.stderr)


class Listener:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        # Sender credentials on every datagram, as systemd asks for them.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.msgs = []  # (monotonic time, pid, {key: value}, raw)

    def poll(self, timeout):
        """Receives datagrams for up to timeout seconds; returns the new ones."""
        new = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self.sock.settimeout(left)
            try:
                data, anc, _, _ = self.sock.recvmsg(4096, socket.CMSG_SPACE(12))
            except socket.timeout:
                break
            pid = None
            for level, kind, payload in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    pid = struct.unpack("iii", payload[:12])[0]
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                fail("datagram is not UTF-8: %r" % data)
            fields = {}
            for line in text.split("\n"):
                if not line:
                    continue
                if "=" not in line:
                    fail("datagram line without '=': %r" % line)
                k, v = line.split("=", 1)
                if k not in KNOWN:
                    fail("unknown notify key %r in %r" % (k, text))
                fields[k] = v
            m = (time.monotonic(), pid, fields, text)
            self.msgs.append(m)
            new.append(m)
        return new

    def wait_for(self, key, value, timeout, after=0.0):
        """Waits for a datagram with key=value received after time `after`."""
        deadline = time.monotonic() + timeout
        for m in self.msgs:
            if m[0] >= after and m[2].get(key) == value:
                return m
        while time.monotonic() < deadline:
            for m in self.poll(min(0.2, max(0.01, deadline - time.monotonic()))):
                if m[0] >= after and m[2].get(key) == value:
                    return m
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True, help="the daemon's stderr goes here")
    ap.add_argument("--watchdog-usec", type=int, default=2000000)
    ap.add_argument("--run-seconds", type=float, default=7.0)
    ap.add_argument("cmd", nargs="+")
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="dm-notify-")
    path = os.path.join(tmp, "notify.sock")
    lis = Listener(path)
    env = dict(os.environ)
    env["NOTIFY_SOCKET"] = path
    env["WATCHDOG_USEC"] = str(a.watchdog_usec)
    env.pop("WATCHDOG_PID", None)
    # WATCHDOG_PID must be the daemon's own pid: a shell exports its pid and
    # execs the daemon, which keeps it.
    wrapped = ["/bin/sh", "-c", 'WATCHDOG_PID=$$; export WATCHDOG_PID; exec "$0" "$@"'] + a.cmd
    with open(a.log, "wb") as logf:
        t0 = time.monotonic()
        proc = subprocess.Popen(wrapped, env=env, stdout=subprocess.DEVNULL, stderr=logf)
    try:
        check(a, lis, proc, t0)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        lis.sock.close()
        os.unlink(path)
        os.rmdir(tmp)


def check(a, lis, proc, t0):
    half = a.watchdog_usec / 2e6
    # Scheduling allowance on a loaded machine, on top of the half interval.
    slack = 0.25

    ready = lis.wait_for("READY", "1", 90)
    if not ready:
        fail("no READY=1 within 90 s (exit status %s)" % proc.poll())
    # The log line is written (one write(2)) before the notification is sent.
    with open(a.log, encoding="utf-8", errors="replace") as f:
        text = f.read()
    assigned = re.findall(r"assigned \d+ partition\(s\), now (\d+)", text)
    if not assigned or int(assigned[-1]) < 1:
        fail("READY=1 before any partition was assigned (log: %r)" % text[-2000:])
    st = ready[2].get("STATUS", "")
    mp = re.search(r"(\d+) partition\(s\)", st)
    if not mp or int(mp.group(1)) < 1:
        fail("READY=1 without a partition count in its STATUS: %r" % ready[3])
    log("READY=1 %.1f s after start, after the assignment (%s)" % (ready[0] - t0, st))

    lis.poll(a.run_seconds)
    periodic = [m for m in lis.msgs if "articles/s" in m[2].get("STATUS", "")]
    if not periodic:
        fail("no periodic STATUS= line in %.0f s" % a.run_seconds)

    hup = time.monotonic()
    proc.send_signal(signal.SIGHUP)
    rel = lis.wait_for("RELOADING", "1", 10, after=hup)
    if not rel:
        fail("no RELOADING=1 after SIGHUP")
    mono = rel[2].get("MONOTONIC_USEC")
    now_us = time.clock_gettime(time.CLOCK_MONOTONIC) * 1e6
    if not mono or not mono.isdigit() or abs(int(mono) - now_us) > 10e6:
        fail("RELOADING=1 without a current MONOTONIC_USEC: %r" % rel[3])
    again = lis.wait_for("READY", "1", 60, after=rel[0])
    if not again:
        fail("no READY=1 after RELOADING=1")
    log("SIGHUP: RELOADING=1, READY=1 again %.2f s later" % (again[0] - rel[0]))
    lis.poll(1.5)

    term = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    stop = lis.wait_for("STOPPING", "1", 30, after=term)
    if not stop:
        fail("no STOPPING=1 after SIGTERM")
    try:
        rc = proc.wait(60)
    except subprocess.TimeoutExpired:
        fail("still running 60 s after SIGTERM")
    lis.poll(0.2)
    if rc != 0:
        fail("exit status %d after SIGTERM" % rc)
    log("SIGTERM: STOPPING=1 (%s), exit 0" % stop[2].get("STATUS", ""))

    pids = {m[1] for m in lis.msgs}
    if pids != {proc.pid}:
        fail("datagrams from pids %s, the daemon is %d (NotifyAccess=main drops others)"
             % (sorted(p for p in pids if p is not None), proc.pid))

    for m in lis.msgs:
        s = m[2].get("STATUS")
        if s is not None and (not s or not s.isprintable()):
            fail("unreadable STATUS=%r" % s)
    statuses = [m[2]["STATUS"] for m in lis.msgs if "STATUS" in m[2]]
    log("%d STATUS= lines, e.g. %r" % (len(statuses), statuses[-2] if len(statuses) > 1 else statuses[0]))

    # systemd arms the watchdog once start-up is complete (READY=1): from
    # then to STOPPING=1, never more than half an interval without a ping.
    pings = [m[0] for m in lis.msgs
             if m[2].get("WATCHDOG") == "1" and ready[0] <= m[0] <= stop[0]]
    if len(pings) < 3:
        fail("only %d WATCHDOG=1 in %.1f s" % (len(pings), stop[0] - ready[0]))
    gaps = [y - x for x, y in zip([ready[0]] + pings, pings + [stop[0]])]
    worst = max(gaps)
    if worst > half + slack:
        fail("WATCHDOG=1 gap of %.2f s, more than half of WATCHDOG_USEC (%.2f s) + %.2f s"
             % (worst, half, slack))
    early = [m for m in lis.msgs if m[2].get("WATCHDOG") == "1" and m[0] < ready[0]]
    log("%d WATCHDOG=1 over %.1f s from READY=1 to STOPPING=1 (%d before), largest gap %.2f s "
        "(limit %.2f s)" % (len(pings), stop[0] - ready[0], len(early), worst, half + slack))
    print("systemd-notify: PASS")


if __name__ == "__main__":
    main()
