"""gunicorn's settings in production: gunicorn reads this file when started in this folder
(`.venv/bin/gunicorn progress.wsgi`); an option on its command line overrides the line here."""

import os

# The proxy in front forwards here (README, Deployment).
bind = "127.0.0.1:8000"
# Two workers a core and one more, as gunicorn advises, but no more than 8: each holds a pool of
# database connections and about 100 MB. WEB_CONCURRENCY sets the number instead.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * os.cpu_count() + 1, 8))
# Each worker is replaced after about 10,000 requests, not all at once, so memory its Python heap
# has fragmented into goes back to the machine.
max_requests = 10_000
max_requests_jitter = 1_000
# Longer than a PDF may take to draw (progress/pdf.py, LONGEST), so a slow one is stopped and its
# user told before gunicorn would kill the worker mid-request.
timeout = 90
graceful_timeout = 30
accesslog = "-"
