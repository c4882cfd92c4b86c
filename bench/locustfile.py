"""The load test's users (`make load` runs them with bench/load.py): recruiters who sign
in, then browse their contacts and log, search, open contacts and log activities with
them, one to three seconds between clicks, as people do."""

import datetime
import os
import random
import re
from itertools import count

import gevent.event
from locust import HttpUser, between, task

from bench.load import LOGGED_SUMMARY

USERNAMES = os.environ["LOAD_USERNAMES"].split(",")
PASSWORD = os.environ["LOAD_PASSWORD"]
# Everyone signs in first; the figures count from when the last one has, so that the
# password hashing of 50 sign-ins at once (slow on purpose) is not in them.
EVERYONE = int(os.environ["LOAD_USER_COUNT"])
_signed_in = 0
everyone_in = gevent.event.Event()
SEARCHES = ["smith", "jones", "tech", "ltd", "anna", "data", "mar", "recruit"]
_next = count()
CONTACT = re.compile(r'href="/contacts/(\d+)/"')


class Recruiter(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.username = USERNAMES[next(_next) % len(USERNAMES)]
        self.client.get("/accounts/login/", name="sign in")
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": self._csrf()},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )
        page = self.client.get("/contacts/", name="contact list").text
        self.contacts = CONTACT.findall(page) or []
        global _signed_in
        _signed_in += 1
        if _signed_in == EVERYONE:
            self.environment.runner.stats.reset_all()
            everyone_in.set()
        everyone_in.wait()

    def _csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    @task(5)
    def contact_list(self) -> None:
        self.client.get("/contacts/", name="contact list")

    @task(3)
    def search(self) -> None:
        self.client.get(f"/contacts/?q={random.choice(SEARCHES)}", name="search")

    @task(4)
    def contact(self) -> None:
        if self.contacts:
            self.client.get(f"/contacts/{random.choice(self.contacts)}/", name="contact page")

    @task(2)
    def activities(self) -> None:
        self.client.get("/activities/", name="activity list")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")

    @task(1)
    def health(self) -> None:
        self.client.get("/reviews/health/", name="network health")

    @task(1)
    def attention(self) -> None:
        self.client.get("/reviews/", name="who needs attention")

    @task(2)
    def log_activity(self) -> None:
        if not self.contacts:
            return
        pk = random.choice(self.contacts)
        self.client.get(f"/contacts/{pk}/", name="contact page")
        with self.client.post(
            f"/contacts/{pk}/log/",
            {
                "type": "call",
                "date": datetime.date.today().isoformat(),
                "summary": LOGGED_SUMMARY,
                "direction": "mutual",
                "csrfmiddlewaretoken": self._csrf(),
            },
            headers={"Referer": f"{self.host}/contacts/{pk}/"},
            name="log an activity",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:  # logged: back to the contact's page
                response.failure(f"not logged: {response.status_code}")
