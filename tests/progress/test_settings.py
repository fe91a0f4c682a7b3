"""Settings read from the environment, as a server started with them would see them."""

import json
import os
import subprocess
import sys

import pytest

POSTGRES = "postgres://progress@db.internal:5432/progress"


def database_options(**environment: str) -> dict:
    """The database OPTIONS `progress.settings` builds from `environment`, in a fresh Python."""
    shown = (
        "import json, progress.settings as s; print(json.dumps(s.DATABASES['default']['OPTIONS']))"
    )
    run = subprocess.run(
        [sys.executable, "-c", shown],
        env={
            **{
                name: value for name, value in os.environ.items() if not name.startswith("DATABASE")
            },
            "SECRET_KEY": "x",
            **environment,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize(
    ("given", "options"),
    [
        (None, "-c random_page_cost=1.1"),  # SSD storage, as a database server's is today
        ("4", "-c random_page_cost=4.0"),  # a spinning disk's, PostgreSQL's own default
    ],
)
def test_postgresql_prices_reads_out_of_order_for_the_storage(given, options):
    environment = {"DATABASE_URL": POSTGRES}
    if given is not None:
        environment["DATABASE_RANDOM_PAGE_COST"] = given
    assert database_options(**environment)["options"] == options


def test_a_random_page_cost_that_is_not_a_number_stops_the_server_starting():
    with pytest.raises(AssertionError, match="could not convert string to float"):
        database_options(DATABASE_URL=POSTGRES, DATABASE_RANDOM_PAGE_COST="1.1; DROP")


def test_sqlite_has_no_planner_costs_to_set():
    assert "options" not in database_options(DATABASE_URL="sqlite:///progress.sqlite3")
