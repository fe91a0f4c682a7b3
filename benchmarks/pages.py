"""How many queries and how long the main pages take on the demo trust: `make benchmark`.

Loads the demo into a throwaway database (SQLite in a temporary folder, or DATABASE_URL if set)
as it stands on Monday 23 November 2026 at 10:00, then asks for each page through Django's test
client, signed in as the demo account that uses it: the median and 95th percentile of 30 requests
after a warm-up, beside a bare page (`/healthz`) asked for the same way. The query counts it
prints are the demo's (more kinds of data than the tests', so a few more); the tests assert each
page's count, the same for few pupils or many. The times are what this machine measured, and go
in the README.
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
folder = tempfile.mkdtemp()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/benchmark.sqlite3")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "progress.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402
import time_machine  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from meetings.agenda import Section  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from progress.models import User  # noqa: E402
from pupils.models import Pupil  # noqa: E402

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
RUNS = 30
HTMX = {"HX-Request": "true"}


def measure(client: Client, name: str, url: str, *, status: int = 200, **headers) -> None:
    for _ in range(3):  # warm the caches (templates, the database's pages)
        client.get(url, headers=headers)
    reset_queries()  # a full log (seeding the demo fills it) would count nothing new
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == status, (name, response.status_code)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(
        f"| {name} | {len(captured)} | {statistics.median(times):.1f} ms | {p95:.1f} ms |",
        flush=True,
    )


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def main() -> None:
    setup_test_environment()  # the test client's own settings (no real e-mail)
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"Database: {connection.vendor}; {RUNS} requests a page after a warm-up.\n")
    print("| page | queries | median | 95th percentile |\n|---|---|---|---|")
    measure(Client(), "`/healthz` (a bare page)", reverse("healthz"))

    leader = signed_in("leader@oakfield.example")
    measure(leader, "home, Oakfield leader", reverse("home"))
    measure(leader, "meetings", reverse("meetings:meeting_list"))
    # Oakfield's next meeting (its series has the one after it set up too).
    meeting = (
        Meeting.objects.filter(school__urn="999101", status__in=Meeting.PREPARING)
        .order_by("date", "pk")
        .first()
    )
    measure(leader, "a meeting's page", meeting.get_absolute_url())
    measure(leader, "action log", reverse("action_log"))
    measure(leader, "school calendar", reverse("calendar"))
    tyler = Pupil.objects.get(legal_forename="Tyler", legal_surname="Brennan")
    measure(leader, "a pupil's profile", reverse("pupils:pupil_detail", args=[tyler.pk]))
    measure(
        signed_in("teacher@oakfield.example"),
        "my actions, a teacher",
        reverse("actions:my_actions"),
    )

    riverside = signed_in("leader@riverside.example")
    pupils = reverse("pupils:pupil_list")
    measure(riverside, "pupil list, Riverside (670 pupils)", pupils)
    measure(riverside, "pupil list, a criterion filter", f"{pupils}?criterion=attendance")

    # The live meeting, through its own verbs: started, its previous actions deferred, then the
    # chair's page and the fragment every screen polls, in each section.
    chair = User.objects.get(email="leader@oakfield.example")
    meeting.start(by=chair)
    for action in meeting.unreviewed_actions():
        meeting.defer(action, by=chair, reason="Benchmark")
    live = reverse("meetings:meeting_live", args=[meeting.pk])
    state = reverse("meetings:meeting_live_state", args=[meeting.pk])
    recorder = signed_in("senco@oakfield.example")
    for section in Section:
        while meeting.section != section:
            meeting.move(by=chair, forward=True)
        measure(leader, f"live fragment: {section.short_name.lower()}", state, **HTMX)
    measure(recorder, "live page, the recorder's", live)
    etag = leader.get(state, headers=HTMX)["ETag"]
    measure(
        leader,
        "a poll with nothing new (304)",
        state,
        status=304,
        **HTMX,
        **{"If-None-Match": etag},
    )


if __name__ == "__main__":
    with time_machine.travel(NOW, tick=True):
        main()
