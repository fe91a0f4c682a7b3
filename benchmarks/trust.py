"""How fast Progress serves a trust-sized school, as in production: `make benchmark-trust`.

On PostgreSQL (TRUST_DATABASE_URL, by default the `progress_trust` database on this machine),
loaded with the trust-sized demo (`manage.py seed_trust`, run here when the database has no
school), it starts gunicorn with two workers and production settings (DEBUG off, static files
collected, two-step sign-in required), and asks for each main page and fragment over one
keep-alive connection as the leader of the trust's biggest secondary school: the median and 95th
percentile of its requests after a warm-up, and each median as a multiple of a bare page's
(`/healthz`, asked for the same way in the same run). Then the live meeting's page, fragment and
poll with eight connections at once (requests a second), and each worker's resident memory after
the warm-up and after the PDFs. The leader's session is made the way signing in makes one, with
the second step done, so that no setting is weakened to let the benchmark in.

Writes `benchmarks/results/trust.md` and prints it. The biggest secondary's coming meeting is
started (once) so that the live screens show a meeting under way.
"""

import datetime as dt
import http.client
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "TRUST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/progress_trust"
)
PORT = int(os.environ.get("BENCHMARK_PORT", "8765"))
SERVER_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "SECRET_KEY": "benchmark-only-not-secret",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DEBUG": "0",
    "DJANGO_SETTINGS_MODULE": "progress.settings",
}
os.environ.update(SERVER_ENV)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import reverse  # noqa: E402

from actions.models import Action  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from progress.models import School, User  # noqa: E402
from pupils import attendance  # noqa: E402
from pupils.criteria import Criterion  # noqa: E402
from pupils.forms import ATTAINMENT  # noqa: E402
from pupils.models import CHARACTERISTICS, AttendanceMark, Group, Pupil, Result  # noqa: E402

RUNS, CRITERION_RUNS, PDF_RUNS, WARM_UP = 30, 10, 5, 3
CONCURRENCY, SECONDS = 8, 5
HTMX = {"HX-Request": "true"}
RESULTS = ROOT / "benchmarks" / "results" / "trust.md"


def session_cookie(user: User) -> str:
    """A signed-in session, as `django.contrib.auth.login` leaves one once the second step is
    done (no step owed), saved in the database the server reads."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = time.time()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"  # a password's
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["signed_in_at"] = store["seen_at"] = now
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


class Client:
    """One keep-alive connection (reopened when a worker closes it), with a session cookie."""

    def __init__(self, cookie: str = ""):
        self.cookie = cookie
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)

    def get(self, url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookie:
            sent["Cookie"] = self.cookie
        for attempt in (1, 2):
            try:
                self.connection.request("GET", url, headers=sent)
                response = self.connection.getresponse()
                body = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, dict(response.getheaders()), body


class Table:
    def __init__(self):
        self.rows: list[str] = []
        self.bare = 0.0

    def measure(
        self, client, name, url, *, status=200, runs=RUNS, warm_up=WARM_UP, headers=None
    ) -> None:
        for _ in range(warm_up):
            client.get(url, headers)
        times, size = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            got, _, body = client.get(url, headers)
            times.append((time.perf_counter() - started) * 1000)
            assert got == status, (name, url, got, body[:300])
            size = len(body)
        median = statistics.median(times)
        p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
        self.bare = self.bare or median
        row = (
            f"| {name} | {status} | {size / 1024:.0f} KB | {median:.1f} ms | {p95:.1f} ms | "
            f"{median / self.bare:.0f} |"
        )
        self.rows.append(row)
        print(row, flush=True)


def throughput(cookie: str, url: str, headers: dict) -> float:
    """Requests a second with CONCURRENCY connections asking at once for SECONDS."""
    done, errors, stop = [0] * CONCURRENCY, [], time.monotonic() + SECONDS

    def ask(index: int) -> None:
        client = Client(cookie)
        while time.monotonic() < stop:
            status, _, _ = client.get(url, headers)
            if status not in (200, 304):
                errors.append(status)
            done[index] += 1

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(CONCURRENCY)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:5]
    return sum(done) / (time.monotonic() - started)


def worker_memory(master: int) -> list[float]:
    """Each gunicorn worker's resident memory, in MB (from /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sorted(sizes)


def start_server() -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "progress.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{PORT}",
            "--timeout=120",
        ],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            if Client().get("/healthz")[0] == 200 and len(worker_memory(server.pid)) == 2:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def prepare() -> tuple[School, User, Meeting]:
    """The trust's biggest secondary school, its leader, and its coming meeting."""
    call_command("migrate", verbosity=0)
    if not School.objects.exists():
        print("Loading the trust-sized demo (a few minutes)…", flush=True)
        call_command("seed_trust")
    biggest = (
        Pupil.objects.values("school").annotate(count=Count("pk")).order_by("-count", "school")
    )[0]["school"]
    school = School.objects.get(pk=biggest)
    leader = User.objects.get(school=school, email__startswith="leader@")
    meeting = Meeting.objects.filter(school=school, status__in=Meeting.PREPARING).get()
    return school, leader, meeting


def live_copy(meeting: Meeting, leader: User) -> Meeting:
    """A copy of the coming meeting, started through the meeting's own verbs, for the live
    screens; the run deletes it after, so the data stays as seeded and each run sees the same."""
    copy = Meeting.objects.create(
        school=meeting.school, focus=meeting.focus, purpose=meeting.purpose,
        year_groups=meeting.year_groups, date=meeting.date, starts_at=meeting.starts_at,
        length=meeting.length, summaries_due=meeting.summaries_due, created_by=leader,
    )  # fmt: skip
    copy.set_attendees(chair=leader, recorder=meeting.recorder, others=[])
    items = meeting.items.filter(pupil__isnull=False).select_related("pupil")
    copy.confirm_shortlist(
        by=leader, pupils=[(item.pupil, item.reason) for item in items], groups=[],
        over_cap_reason="",
    )  # fmt: skip
    copy.start(by=leader)
    return copy


def facts() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    return (
        f"{School.objects.count()} schools, {Pupil.objects.count():,} pupils, "
        f"{AttendanceMark.objects.count():,} register marks, {Result.objects.count():,} results, "
        f"{Action.objects.count():,} actions; PostgreSQL {version}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores"
    )


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("The trust benchmark runs on PostgreSQL (TRUST_DATABASE_URL).")
    school, leader, meeting = prepare()
    teacher = (
        User.objects.filter(school=school, actions__status=Action.Status.OPEN)
        .annotate(count=Count("actions"))
        .order_by("-count", "pk")
        .first()
    )
    pupil = meeting.items.filter(pupil__isnull=False).order_by("position").first().pupil
    group = Group.objects.filter(school=school).order_by("name").first()
    call_command("collectstatic", interactive=False, verbosity=0)
    cookie, teacher_cookie = session_cookie(leader), session_cookie(teacher)
    pupils = Pupil.objects.filter(school=school).count()
    about = facts()
    print(f"{about}\n{school.name}: {pupils} pupils\n", flush=True)

    server, running = start_server(), None
    try:
        client, table = Client(cookie), Table()
        header = "| page | status | size | median | 95th percentile | bare pages |\n" + (
            "|---|---|---|---|---|---|"
        )
        print(header)
        table.measure(Client(), "`/healthz` (the bare page)", reverse("healthz"))
        table.measure(client, "home", reverse("home"))
        pupil_list = reverse("pupils:pupil_list")
        table.measure(client, f"pupil list ({pupils} pupils)", pupil_list)
        filters = [
            ("name", {"q": pupil.legal_surname}),
            ("year", {"year": 11 if school.phase == School.Phase.SECONDARY else 6}),
            ("class", {"group": group.pk}),
            ("characteristic", {"characteristic": next(iter(CHARACTERISTICS))}),
            *[
                (f"attendance {band.label.lower()}", {"band": band.value})
                for band in attendance.Band
            ],
            *[(f"attainment {key}", {"attainment": key}) for key in ATTAINMENT],
        ]
        for name, query in filters:
            table.measure(client, f"pupil list: {name}", f"{pupil_list}?{urlencode(query)}")
        for criterion in Criterion:
            table.measure(
                client,
                f"pupil list: criterion {criterion.label.lower()}",
                f"{pupil_list}?{urlencode({'criterion': criterion.value})}",
                runs=CRITERION_RUNS,
            )
        table.measure(client, "a pupil's profile", reverse("pupils:pupil_detail", args=[pupil.pk]))
        table.measure(
            client, "the shortlist", reverse("meetings:meeting_shortlist", args=[meeting.pk])
        )
        table.measure(client, "the meeting's page", meeting.get_absolute_url())
        running = live_copy(meeting, leader)
        live = reverse("meetings:meeting_live", args=[running.pk])
        state = reverse("meetings:meeting_live_state", args=[running.pk])
        table.measure(client, "live page (the chair's)", live)
        table.measure(client, "live fragment (poll, 200)", state, headers=HTMX)
        etag = client.get(state, HTMX)[1]["ETag"]
        unchanged = {**HTMX, "If-None-Match": etag}
        table.measure(client, "poll, nothing new (304)", state, status=304, headers=unchanged)
        log = reverse("action_log")
        table.measure(client, "action log", log)
        table.measure(client, "action log, CSV", f"{log}?format=csv")
        table.measure(
            Client(teacher_cookie), "my actions (the busiest owner)", reverse("actions:my_actions")
        )
        working = reverse("meetings:meetings_working")
        repeated = reverse("meetings:repeated_concerns")
        table.measure(client, "are our meetings working?", working)
        table.measure(client, "repeated concerns", repeated)
        table.measure(client, "intervention impact", reverse("actions:intervention_impact"))
        table.measure(client, "are our meetings working?, CSV", f"{working}?format=csv")
        warm = worker_memory(server.pid)
        table.measure(client, "action log, PDF", f"{log}?format=pdf", runs=PDF_RUNS, warm_up=1)
        table.measure(
            client,
            "meeting pack, PDF",
            reverse("meetings:meeting_pack", args=[meeting.pk]),
            runs=PDF_RUNS,
            warm_up=1,
        )
        table.measure(
            client,
            "are our meetings working?, PDF",
            f"{working}?format=pdf",
            runs=PDF_RUNS,
            warm_up=1,
        )
        table.measure(
            client, "repeated concerns, PDF", f"{repeated}?format=pdf", runs=PDF_RUNS, warm_up=1
        )
        after_pdfs = worker_memory(server.pid)

        rates = [
            ("live page", live, {}),
            ("live fragment (200)", state, HTMX),
            ("poll, nothing new (304)", state, unchanged),
        ]
        lines = [
            f"| {name} | {throughput(cookie, url, headers):.0f} |" for name, url, headers in rates
        ]
    finally:
        server.terminate()
        server.wait()
        if running:
            running.delete()

    memory = [
        f"| after the warm-up (the pages above) | {' and '.join(f'{mb:.0f}' for mb in warm)} |",
        f"| after the PDFs | {' and '.join(f'{mb:.0f}' for mb in after_pdfs)} |",
    ]
    report = "\n".join(
        [
            "# The trust benchmark (`make benchmark-trust`)",
            "",
            f"Run on {dt.date.today():%-d %B %Y}: {about}. Gunicorn, two sync workers, DEBUG "
            f"off; {school.name} ({pupils} pupils), signed in as its leader. {RUNS} requests a "
            f"page after {WARM_UP} to warm up ({CRITERION_RUNS} a criterion filter; {PDF_RUNS} "
            "a PDF, after one), one keep-alive connection; bare pages: the median as a multiple of "
            "`/healthz`'s.",
            "",
            header,
            *table.rows,
            "",
            f"Requests a second, {CONCURRENCY} connections at once for {SECONDS} s:",
            "",
            "| screen | requests a second |\n|---|---|",
            *lines,
            "",
            "Resident memory of the two workers (MB):",
            "",
            "| when | MB |\n|---|---|",
            *memory,
            "",
        ]
    )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report)
    print("\n" + report)


if __name__ == "__main__":
    main()
