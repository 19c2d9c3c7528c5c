"""Delivery throughput: N digests to a local SMTP sink through our path vs plain smtplib.

Our path is the whole thing a tick does per message: read the ledger, render the digest (sv
templates, a signed link), claim its rows, send it, mark it sent (SQLite) — batches of 1,000
recipients through `tasks.deliver.deliver_batch`. The floor, measured in the same run against
the same sink, is plain `smtplib` REUSING ONE CONNECTION for the same digests, rendered and
flattened to bytes before its clock starts: it pays nothing for rendering or bookkeeping.
Extra lines: plain smtplib with one connection per message (the baseline of earlier sessions)
and our `SmtpSender` alone on the pre-built bytes.

Every measurement runs in a fresh process (its peak RSS is its own: VmHWM); the rounds alternate
the modes so that a busy machine hurts each alike. The sink is aiosmtpd in its own process and
advertises PIPELINING (RFC 2920) as production MTAs do (`--no-pipelining`: it does not).

Usage: .venv/bin/python bench/delivery.py [N ...] [--rounds 3] [--no-pipelining]
       (default 2000 and 20000 messages)
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

import bench.common  # noqa: E402,F401  (a strong signing key for the bench)

NOW = datetime(2027, 11, 1, 7, 0, tzinfo=UTC)
MODES = {
    "ours": "our path (ledger → render → SMTP → ledger)",
    "smtplib": "FLOOR: plain smtplib, one reused connection, pre-built",
    "per-message": "plain smtplib, one connection per message, pre-built",
    "sender": "our SmtpSender alone, pre-built",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sink(port: int, pipelining: bool) -> subprocess.Popen:
    flags = ["--pipelining"] if pipelining else []
    proc = subprocess.Popen([sys.executable, __file__, "--sink", str(port), *flags])
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("SMTP sink did not start")


def run_sink(port: int, pipelining: bool) -> None:
    """aiosmtpd keeping nothing; it reads commands line by line, so pipelining is safe."""
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            session.host_name = hostname
            return responses[:-1] + ["250-PIPELINING", responses[-1]] if pipelining else responses

        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    _pin(1)
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def _pin(core: int) -> None:
    """The sink on one core, every client on the other (--pin): as if the server were a machine
    of its own. Unpinned, the kernel wakes the sink on the sender's core, and a client with
    work to overlap (ours: render, commit) waits for the sink instead of running beside it."""
    if os.environ.get("BENCH_PIN") and len(os.sched_getaffinity(0)) > 1:
        os.sched_setaffinity(0, {core})


def seed_ledger(url: str, n: int) -> None:
    """n people, each with one reminder in the ledger (one digest each)."""
    from sqlalchemy import insert

    from models import db
    from models.notify import ledger
    from models.org import Organisation, Person

    db.migrate(url)
    with db.session(url) as s:
        s.add(Organisation(name="Bänk"))
        s.execute(insert(Person), [{"id": f"p{i}", "name": f"P {i}", "email": f"p{i}@example.se",
                                    "notify": [], "active": True, "source": "org",
                                    "elected": False, "account_enabled": True}
                                   for i in range(n)])
    content = ledger.Content(title={"sv": "Riskanalys", "en": "Risk analysis"},
                             purpose={"sv": "Analysera risker.", "en": "Analyse risks."},
                             due="2027-11-15", scope="Förvaltning",
                             link={"kind": "assignment", "subject": "1"}).model_dump()
    items = [ledger.LedgerItem("reminder", f"bench:{i}", "-14", f"p{i}", content)
             for i in range(n)]
    with db.session(url) as s:
        ledger.enqueue(items, session=s, now=NOW)
    db.reset_engines()  # the last connection closes: the WAL is checkpointed into the file


def build(url: str, n: int) -> list:
    """The n messages our path sends (same digests: sv templates, a signed link), as bytes."""
    from models import db
    from models.notify import ledger
    from models.notify.digest import Recipient, render, to_email

    with db.session(url) as s:
        people = ledger.deliverable_recipients(session=s, now=NOW, limit=n)
        rows = ledger.deliverable_rows(people, session=s, now=NOW)
    db.reset_engines()
    messages = []
    for row in rows:  # one row per person
        who = Recipient(row.recipient_id, f"{row.recipient_id}@example.se", f"P {row.recipient_id}")
        digest = render(who, [row], lang="sv", now=NOW, domain="example.se", organisation="Bänk")
        messages.append(to_email(digest, mail_from="arshjul@example.se", now=NOW, lang="sv",
                                 organisation="Bänk"))
    return messages


# --- one measurement, in a process of its own -------------------------------------------------

def child(mode: str, n: int, port: int, data: str) -> dict:
    """Seconds and CPU seconds for n messages in `mode`; `data` is the seeded store (ours) or
    the pickled messages (the others)."""
    if mode == "ours":
        return _ours(n, port, data)
    with open(data, "rb") as f:
        messages = pickle.load(f)
    start, cpu = time.perf_counter(), time.process_time()
    if mode == "smtplib":
        with smtplib.SMTP("127.0.0.1", port) as conn:
            for msg in messages:
                conn.sendmail(msg.mail_from, [msg.to], msg.data)
    elif mode == "per-message":
        for msg in messages:
            with smtplib.SMTP("127.0.0.1", port) as conn:
                conn.sendmail(msg.mail_from, [msg.to], msg.data)
    else:
        from tasks.mailer import SmtpSender

        with SmtpSender(f"smtp://127.0.0.1:{port}") as sender:
            for msg in messages:
                sender.send(msg)
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "sent": n}


def _ours(n: int, port: int, template: str) -> dict:
    from models.settings import get_settings
    from tasks.deliver import deliver_batch

    with tempfile.TemporaryDirectory() as home:
        url = f"sqlite:///{home}/bench.db"
        shutil.copy(template, f"{home}/bench.db")
        os.environ.update(ARSHJUL_HOME=home, ARSHJUL_DATABASE_URL=url,
                          ARSHJUL_SMTP_URL=f"smtp://127.0.0.1:{port}")
        get_settings.cache_clear()
        start, cpu, sent = time.perf_counter(), time.process_time(), 0
        while True:
            result = deliver_batch(NOW, 1000)
            sent += result.get("messages", 0)
            if not result.get("remaining"):
                break
        return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                "sent": sent}


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    parent that forked it, which holds every pre-built message)."""
    with open("/proc/self/status") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    return kb / 1024


def measure(mode: str, n: int, port: int, data: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(n), str(port), data],
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["sent"] == n, f"{mode}: only {result['sent']} of {n} sent"
    return result


# --- the run ----------------------------------------------------------------------------------

def run_size(n: int, rounds: int, port: int, work: str) -> dict[str, list[dict]]:
    store, pickled = f"{work}/template-{n}.db", f"{work}/messages-{n}.pickle"
    seed_ledger(f"sqlite:///{store}", n)
    with open(pickled, "wb") as f:
        pickle.dump(build(f"sqlite:///{store}", n), f)
    results: dict[str, list[dict]] = {mode: [] for mode in MODES}
    order = list(MODES)
    for r in range(rounds):
        for mode in order[r % len(order):] + order[:r % len(order)]:
            results[mode].append(measure(mode, n, port, store if mode == "ours" else pickled))
    return results


def report(n: int, rounds: int, results: dict[str, list[dict]], load: str) -> None:
    print(f"\nN = {n:,} messages, {rounds} rounds (min / median / max), load average {load}")
    for mode, label in MODES.items():
        rates = sorted(n / r["seconds"] for r in results[mode])
        cpu = statistics.median(r["cpu"] for r in results[mode]) / n * 1000
        rss = max(r["rss_mb"] for r in results[mode])
        print(f"  {label:55} {rates[0]:6.0f} / {statistics.median(rates):6.0f} / {rates[-1]:6.0f}"
              f" msgs/s   client CPU {cpu:.2f} ms/msg   peak RSS {rss:.0f} MB")
    ratios = sorted(f["seconds"] / o["seconds"]
                    for o, f in zip(results["ours"], results["smtplib"], strict=True))
    print(f"  ratio ours / smtplib one connection (same round): {ratios[0]:.2f} / "
          f"{statistics.median(ratios):.2f} / {ratios[-1]:.2f}x   (goal ≥ 0.8)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[2000, 20000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-pipelining", action="store_true")
    parser.add_argument("--pin", action="store_true", help="sink and clients on separate cores")
    args = parser.parse_args()
    if args.pin:
        os.environ["BENCH_PIN"] = "1"
    print(f"sink and clients pinned to separate cores: {args.pin}")
    port = free_port()
    sink = start_sink(port, not args.no_pipelining)
    print(f"sink advertises PIPELINING: {not args.no_pipelining}")
    try:
        with tempfile.TemporaryDirectory() as work:
            for n in args.sizes:
                load = "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
                report(n, args.rounds, run_size(n, args.rounds, port, work), load)
    finally:
        sink.terminate()
        sink.wait(10)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sink"]:
        run_sink(int(sys.argv[2]), "--pipelining" in sys.argv)
    elif sys.argv[1:2] == ["--child"]:
        _pin(0)
        result = child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
        result["rss_mb"] = peak_rss_mb()
        print(json.dumps(result))
    else:
        main()
