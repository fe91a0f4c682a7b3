"""Load and recovery on loopback: `make load-test`.

Starts a PostgreSQL server of its own (a new cluster in a temporary folder, on a free port: the
machine's own server is never touched), loads the demo into it, and serves it with gunicorn as
in production (gunicorn.conf.py, with two workers; DEBUG off). A meeting at
Oakfield is started and taken to its pupils. Then:

1. Steady load for STEADY seconds (after WARM_UP seconds not counted): six screens poll the live
   fragment as the browser does (every POLL seconds, sending the ETag they were last given), the
   recorder checks an entry as it is typed and saves an action every few seconds, and a leader
   browses the main pages. Every answer must be the one a browser expects: no errors at all.
2. PostgreSQL is stopped under that load, kept down for OUTAGE seconds, and started again.
   `/healthz` must answer 503 for the outage (a check waits for a worker like any request, so
   it may be answered up to RECOVERY seconds after the database is back), never 200 while it is
   down, and 200 after. The errors are counted: only requests that arrived while the database
   was down may fail, and the app must answer again within RECOVERY seconds of its return.
3. Steady load again for STEADY seconds, after the recovery: no errors at all.

The figures go to benchmarks/results/load.md; the script exits non-zero if a rule above fails.
Sign-in's second step (MFA_REQUIRED) is off for the run: the load, not the sign-in, is tested.
"""

import datetime as dt
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 5
STEADY = 20
OUTAGE = 5
RECOVERY = 5  # seconds after the database is back within which the app must answer again
POLL = 1.0  # three times as often as the live screen polls (every 3 s): more load than a room
SCREENS = 6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Postgres:
    """A throwaway PostgreSQL cluster; as root, it runs as the `postgres` user, as servers do."""

    def __init__(self, folder: Path):
        self.data = folder / "data"
        self.port = free_port()
        installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        binaries = installed[-1] if installed else shutil.which("initdb")
        if binaries is None:
            sys.exit("The load test needs PostgreSQL's initdb and pg_ctl on this machine.")
        self.bin = Path(binaries).parent
        self.as_server = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        folder.chmod(0o777)
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def run(self, command: str, *args: str) -> None:
        subprocess.run(
            [*self.as_server, str(self.bin / command), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd="/tmp",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.data / "log"),
                 "-w", "start")  # fmt: skip

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/progress"


class Screen(threading.Thread):
    """One keep-alive connection doing one job in a loop, recording each answer."""

    def __init__(self, app: "App", name: str, job, *, every: float):
        super().__init__(daemon=True)
        self.app, self.name, self.job, self.every = app, name, job, every
        self.connection = None

    def get(self, path: str, headers: dict) -> tuple[int, dict, str]:
        return self.request("GET", path, headers)

    def request(self, method: str, path: str, headers: dict, body: str | None = None):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.app.port, timeout=30)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode()
            return response.status, dict(response.getheaders()), text
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            return 0, {}, ""

    def run(self) -> None:
        while not self.app.stopping.is_set():
            started = time.monotonic()
            self.job(self)
            self.app.stopping.wait(max(0.0, self.every - (time.monotonic() - started)))


class App:
    def __init__(self, port: int, sessions: dict, meeting: int, item: int, owner: int):
        self.port, self.sessions = port, sessions
        self.meeting, self.item, self.owner = meeting, item, owner
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.answers: list[tuple[float, str, int, float, bool]] = []  # when, what, status, ms, ok

    def record(self, what: str, status: int, started: float, ok: bool) -> None:
        now = time.monotonic()
        with self.lock:
            self.answers.append((now, what, status, (now - started) * 1000, ok))

    def cookie(self, who: str, csrf: str = "") -> dict:
        cookies = f"sessionid={self.sessions[who]}"
        return {"Cookie": f"{cookies}; csrftoken={csrf}" if csrf else cookies}

    def poller(self, who: str):
        etag = {}
        state = f"/meetings/{self.meeting}/live/state/"

        def poll(screen: Screen) -> None:
            headers = self.cookie(who) | {"HX-Request": "true"}
            if "value" in etag:
                headers["If-None-Match"] = etag["value"]
            started = time.monotonic()
            status, answer, _ = screen.get(state, headers)
            if status == 200:
                etag["value"] = answer.get("ETag", "")
            self.record("poll", status, started, status in (200, 304))

        return poll

    def recorder(self, screen: Screen) -> None:
        form = f"/meetings/{self.meeting}/actions/new/?item={self.item}"
        started = time.monotonic()
        status, _, text = screen.get(form, self.cookie("recorder"))
        self.record("recorder's form", status, started, status == 200)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        review_on = re.search(r"&quot;reteach&quot;: &quot;([-0-9]+)&quot;", text)
        if not (token and review_on):
            return
        entry = {
            "item": self.item, "key": str(uuid.uuid4()),
            "barrier": "Cannot yet add fractions with unlike denominators",
            "barrier_category": "knowledge",
            "text": "Reteach adding fractions in a group of four on Tuesday mornings for three "
            "weeks; five-question check each Friday",
            "kind": "reteach", "owner": self.owner, "review_on": review_on.group(1),
            "impact_check": "a five-question check each Friday",
            "csrfmiddlewaretoken": token.group(1),
        }  # fmt: skip
        headers = self.cookie("recorder", token.group(1)) | {
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}{form}",
        }
        for what, path in (
            ("recorder's check", f"/meetings/{self.meeting}/actions/check/?item={self.item}"),
            ("recorder's save", form),
        ):
            started = time.monotonic()
            status, _, text = screen.request("POST", path, headers, urlencode(entry))
            saved = what != "recorder's save" or "Saved for" in text
            self.record(what, status, started, status == 200 and saved)

    def leader(self):
        pages = iter(
            [
                "/", "/pupils/", "/pupils/?criterion=attendance", "/actions/",
                f"/meetings/{self.meeting}/", "/actions/mine/", "/meetings/",
            ] * 10_000
        )  # fmt: skip

        def browse(screen: Screen) -> None:
            page = next(pages)
            started = time.monotonic()
            status, _, _ = screen.get(page, self.cookie("leader"))
            self.record("leader's pages", status, started, status == 200)

        return browse

    def health(self, screen: Screen) -> None:
        started = time.monotonic()
        status, _, _ = screen.get("/healthz", {})
        self.record("healthz", status, started, status == 200)


def prepare(database_url: str) -> tuple[dict, int, int, int]:
    """The demo's Oakfield meeting started and at its pupils; a session for each person."""
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="progress.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from meetings.agenda import Section
    from meetings.models import Meeting

    meeting = (
        Meeting.objects.filter(school__urn="999101", status__in=Meeting.PREPARING)
        .exclude(items=None)
        .earliest("date")
    )
    chair = meeting.attendees.get(role="chair").user
    recorder = meeting.attendees.get(role="recorder").user
    meeting.start(by=chair)
    for action in meeting.unreviewed_actions():
        meeting.defer(action, by=chair, reason="Load test")
    while meeting.section != Section.PUPILS:
        meeting.move(by=chair, forward=True)
    people = {"chair": chair, "recorder": recorder}
    people["leader"] = get_user_model().objects.get(email="leader@oakfield.example")
    for number, attendee in enumerate(meeting.attendees.select_related("user")[:4]):
        people[f"screen {number + 3}"] = attendee.user
    sessions = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        sessions[name] = client.cookies["sessionid"].value
    return sessions, meeting.pk, meeting.items.earliest("position").pk, recorder.pk


def summary(answers: list, since: float, until: float) -> dict:
    kinds = defaultdict(list)
    for when, what, status, ms, ok in answers:
        if since <= when < until:
            kinds[what].append((status, ms, ok))
    return kinds


def table(kinds: dict) -> list[str]:
    lines = ["| requests | answered | errors | median | 95th percentile |", "|---|---|---|---|---|"]
    for what, answers in sorted(kinds.items()):
        times = [ms for _, ms, _ in answers]
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        errors = sum(not ok for _, _, ok in answers)
        lines.append(
            f"| {what} | {len(answers)} | {errors} | {statistics.median(times):.1f} ms "
            f"| {p95:.1f} ms |"
        )
    return lines


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="progress-load-"))
    server = Postgres(folder)
    server.start()
    gunicorn = None
    try:
        with psycopg.connect(server.url.removesuffix("progress"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE progress")
        env = os.environ | {
            "DATABASE_URL": server.url,
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DEBUG": "",
            "MFA_REQUIRED": "",
            "SECURE_COOKIES": "",
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        manage = [str(ROOT / ".venv/bin/python"), "manage.py"]
        for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([*manage, *command], check=True, cwd=ROOT, env=env)
        subprocess.run(
            [*manage, "seed_demo"], check=True, cwd=ROOT, env=env | {"DEBUG": "1"},
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        os.environ.update({k: v for k, v in env.items() if k != "DEBUG"})
        os.environ.pop("DEBUG", None)
        sessions, meeting, item, owner = prepare(server.url)

        port = free_port()
        gunicorn = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "progress.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,  # its access log
        )  # fmt: skip
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)

        app = App(port, sessions, meeting, item, owner)
        screens = [Screen(app, "health", app.health, every=0.1)]
        watchers = ["chair", "recorder", "screen 3", "screen 4", "screen 5", "screen 6"]
        for who in watchers[:SCREENS]:
            screens.append(Screen(app, who, app.poller(who if who in sessions else "chair"),
                                  every=POLL))  # fmt: skip
        screens.append(Screen(app, "recorder", app.recorder, every=3))
        screens.append(Screen(app, "leader", app.leader(), every=0.5))
        for screen in screens:
            screen.start()
        time.sleep(WARM_UP)  # the workers' first pages load templates: not counted
        began = time.monotonic()
        time.sleep(STEADY)
        stopped = time.monotonic()
        server.stop()
        gone = time.monotonic()  # the server has shut down
        time.sleep(OUTAGE)
        server.start()
        back = time.monotonic()
        time.sleep(RECOVERY + STEADY)
        ended = time.monotonic()
        app.stopping.set()
        for screen in screens:
            screen.join()
    finally:
        if gunicorn:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)

    answers = app.answers
    # Health checks wait for a worker like any request: while the database is down the workers
    # are busy failing others, so a check asked then may be answered after it is back.
    health = [(when, status) for when, what, status, _, _ in answers if what == "healthz"]
    outage = [status for when, status in health if stopped <= when < back + RECOVERY]
    ok_while_down = [status for when, status in health if gone <= when < back and status == 200]
    first_ok = min(
        (when for when, status in health if when >= back and status == 200), default=None
    )
    answering = [(w, ok) for w, what, _, _, ok in answers if w >= back and what != "healthz"]
    last_error = max((w for w, ok in answering if not ok), default=back)
    recovered_in = last_error - back
    before = summary(answers, began, stopped)
    during = summary(answers, stopped, back + RECOVERY)
    after = summary(answers, back + RECOVERY, ended)
    errors = {
        name: sum(not ok for kind in kinds.values() for *_, ok in kind)
        for name, kinds in (("before", before), ("during", during), ("after", after))
    }
    done = sum(len(kind) for kinds in (before, during, after) for kind in kinds.values())
    lines = [
        f"# Load and recovery, {dt.date.today():%-d %B %Y}",
        "",
        f"gunicorn with two workers and PostgreSQL on loopback: {SCREENS} screens polling every "
        f"{POLL:.0f} s, a recorder checking and saving an action every 3 s, a leader opening a "
        f"page every 0.5 s, `/healthz` asked every 0.1 s; {done} requests in all.",
        "",
        f"## Before: {STEADY} s of steady load ({errors['before']} errors)",
        "",
        *table(before),
        "",
        f"## PostgreSQL stopped for {OUTAGE} s, then started ({errors['during']} errors, "
        f"up to {RECOVERY} s after it was back)",
        "",
        *table(during),
        "",
        f"`/healthz` from the stop to {RECOVERY} s after the database was back: {len(outage)} "
        f"answers, {outage.count(503)} of them 503, and {len(ok_while_down)} answered 200 while "
        f"it was down; the first 200 came {first_ok - back:.2f} s after it was back; the last "
        f"error of any request {recovered_in:.2f} s after it was back.",
        "",
        f"## After: {STEADY} s of steady load ({errors['after']} errors)",
        "",
        *table(after),
        "",
    ]
    report = "\n".join(lines)
    results = ROOT / "benchmarks/results"
    results.mkdir(exist_ok=True)
    (results / "load.md").write_text(report)
    print(report)
    rules = {
        "errors under steady load before the restart": errors["before"] == 0,
        "errors under steady load after the recovery": errors["after"] == 0,
        "/healthz did not answer 503 while the database was down": 503 in outage,
        "/healthz answered 200 while the database was down": not ok_while_down,
        "/healthz never answered 200 again": first_ok is not None,
        f"not recovered within {RECOVERY} s": recovered_in <= RECOVERY,
    }
    failures = [failure for failure, kept in rules.items() if not kept]
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
