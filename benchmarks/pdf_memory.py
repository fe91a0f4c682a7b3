"""How much memory a gunicorn worker holds after drawing PDFs: `python benchmarks/pdf_memory.py`.

Loads the demo into a throwaway SQLite database, serves it with gunicorn as gunicorn.conf.py
sets it up but with one worker, signs in as the Oakfield leader, asks for each main page
three times (the warm-up), then for 20 PDFs in turn: the action log, the school's patterns, the
two "Are our meetings working?" PDFs and each meeting's pack. It prints the worker's resident
memory (VmRSS) after the warm-up and after the PDFs, the processes the worker started (the server
PDFs are drawn from, and multiprocessing's resource tracker), and how long each PDF took.
"""

import http.cookiejar
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("PORT", "8799"))
SITE = f"http://127.0.0.1:{PORT}"
PAGES = ["/", "/pupils/", "/actions/", "/meetings/", "/actions/mine/", "/pupils/patterns/",
         "/meetings/working/"]  # fmt: skip
PDFS = ["/actions/?format=pdf", "/pupils/patterns/?format=pdf", "/meetings/working/?format=pdf",
        "/meetings/working/repeated/?format=pdf"]  # fmt: skip
DRAWN = 20


def megabytes(pid: int, field: str = "VmRSS") -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+)", status).group(1)) // 1024


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def signed_in() -> urllib.request.OpenerDirector:
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login = f"{SITE}/accounts/login/"
    form = browser.open(login).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    fields = {"csrfmiddlewaretoken": token, "username": "leader@oakfield.example",
              "password": "progress-demo"}  # fmt: skip
    browser.open(urllib.request.Request(
        login, data=urllib.parse.urlencode(fields).encode(), headers={"Referer": login}
    )).read()  # fmt: skip
    return browser


def main() -> None:
    folder = tempfile.mkdtemp()
    env = os.environ | {"DEBUG": "1", "SECRET_KEY": "benchmark-only",
                        "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3"}  # fmt: skip
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "progress.wsgi", "--workers", "1",
         "--bind", f"127.0.0.1:{PORT}", "--max-requests", "0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{SITE}/healthz")
                break
            except OSError:
                time.sleep(0.3)
        browser = signed_in()
        (worker,) = children(server.pid)
        for _ in range(3):
            for page in PAGES:
                browser.open(SITE + page).read()
        warm = megabytes(worker)
        meetings = browser.open(f"{SITE}/meetings/").read().decode()
        packs = [
            f"/meetings/{pk}/pack.pdf"
            for pk in sorted(set(re.findall(r'"/meetings/(\d+)/"', meetings)))
        ]
        wanted = [*PDFS, *packs[:3]]
        took = {url: [] for url in wanted}
        for number in range(DRAWN):
            url = wanted[number % len(wanted)]
            started = time.perf_counter()
            assert browser.open(SITE + url).read().startswith(b"%PDF"), url
            took[url].append(time.perf_counter() - started)
        print(f"Worker after the warm-up: {warm} MB; after {DRAWN} PDFs: {megabytes(worker)} MB")
        for child in children(worker):
            command = Path(f"/proc/{child}/cmdline").read_text().replace("\0", " ")
            name = "PDF server" if "forkserver" in command else "resource tracker"
            print(f"  its {name}: {megabytes(child)} MB")
        for url, times in took.items():
            print(
                f"  {url}: first {times[0]:.2f} s, then median {statistics.median(times[1:]):.2f} s"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
