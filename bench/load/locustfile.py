"""Staff at work (issue 21, item 2): a Locust load over loopback, run by bench/load/run.py.

Two kinds of user, in the issue's proportion (100 staff : 20 branch chairs):
- ``Staff`` (组织部工作人员) with 3–10 s think time, each logged in as its own account on the
  pages of its own node: roster pages and filters, the rosters of organizations below it, files
  of people of its subtree, searches by name, pinyin and initials that match there, the report
  and the dashboard of the node, edits (a person's file saved with the work unit changed, about
  1 in 28 tasks) and, about 1 in 100 tasks, a small import: a workbook of 5 new members of a
  branch of the node uploaded through the web import, checked by the import worker, confirmed,
  written by the worker (each step's request is named ``import …``; ``import (upload→done)``
  is the whole of it as the user waits for it);
- ``Chair`` (支部主委) on phone-sized pages (a phone's User-Agent; the viewport does not change
  the HTML): their branch's roster, its members' files, the workbench.

Each request is named by its page type so that Locust's statistics are per type.
Environment: TONGXIN_LOAD_USERS (the JSON bench/load/accounts.py writes: each account's node,
people, search terms, organizations below and workbook), TONGXIN_LOAD_PASSWORD (their
password). Simulated users take the accounts in turn, each kind its own.
"""

import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, events, tag, task

PASSWORD = os.environ.get("TONGXIN_LOAD_PASSWORD", "")
_LOADED = json.loads(Path(os.environ["TONGXIN_LOAD_USERS"]).read_text())
TODAY = _LOADED["today"]
ACCOUNTS = {kind: [u for u in _LOADED["users"] if u["kind"] == kind] for kind in ("staff", "chair")}
_TURN = {kind: itertools.count() for kind in ACCOUNTS}
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
FILTERS = [
    "gender=2",
    "education=大学本科",
    "gender=1&education=研究生",
    "age_band=36至40岁",
    "title_level=副高级",
    "retired=1",
    "sort=-name",
]
IMPORT_WAIT = 180  # seconds a user waits for the worker before calling the import failed


class _Form(HTMLParser):
    """The fields of each form with method POST, as a browser would send them (a select
    without a selected option sends its first option)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.fields: dict[str, str] | None = None
        self.select: str | None = None
        self.chosen = False
        self.textarea: str | None = None

    def having(self, name: str) -> dict[str, str] | None:
        """The first form with a field ``name``."""
        return next((form for form in self.forms if name in form), None)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.fields = {}
            self.forms.append(self.fields)
        elif self.fields is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields[a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self.select, self.chosen = a["name"], False
            self.fields[self.select] = ""
        elif tag == "option" and self.select and not self.chosen:
            self.fields[self.select] = a.get("value") or ""
            self.chosen = "selected" in a
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.fields[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.fields = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.fields is not None:
            self.fields[self.textarea] += data


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


def _status(html: str) -> str:
    found = re.search(r'data-status="([a-z_]+)"', html)
    return found.group(1) if found else ""


class _Logged(HttpUser):
    abstract = True
    kind = ""
    prefix = ""

    def on_start(self):
        accounts = ACCOUNTS[self.kind]
        self.account = accounts[next(_TURN[self.kind]) % len(accounts)]
        self.people = [f"/people/{pk}/" for pk in self.account["people"]]
        # As nginx passes a request on (deploy/nginx.conf): the application sees HTTPS.
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.origin = self.host.replace("http://", "https://")
        page = self.client.get("/login/", name="login page")
        with self.client.post(
            "/login/",
            {
                "username": self.account["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": _csrf(page.text),
            },
            headers={"Referer": self.origin + "/login/"},
            name="login",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.account['username']}: {response.status_code}")

    def person(self):
        if self.people:
            self.client.get(random.choice(self.people), name=self.prefix + "person")


class Staff(_Logged):
    weight = 100
    wait_time = between(3, 10)
    kind = "staff"

    @task(24)
    def roster(self):
        self.client.get(f"/people/?page={random.randint(1, 5)}", name="roster")

    @task(12)
    def roster_lower(self):
        if self.account["lower"]:
            org = random.choice(self.account["lower"])
            self.client.get(f"/people/?org={org}", name="roster lower")

    @task(16)
    def roster_filter(self):
        self.client.get(f"/people/?{random.choice(FILTERS)}", name="roster filter")

    @task(24)
    def person_file(self):
        self.person()

    @task(16)
    def search(self):
        if self.account["terms"]:
            name, term = random.choice(self.account["terms"])
            self.client.get("/people/", params={"q": term}, name=name)

    @task(8)
    def report(self):
        self.client.get("/stats/", name="report")

    @task(8)
    def dashboard(self):
        self.client.get("/stats/dashboard/", name="dashboard")

    @task(4)
    def edit(self):
        if not self.people:
            return
        url = random.choice(self.people) + "edit/"
        with self.client.get(url, name="edit form", catch_response=True) as page:
            form = _Form()
            form.feed(page.text)
            fields = form.having("work_unit")
            if fields is None:
                page.failure("the edit page has no form with 工作单位 (work_unit)")
                return
        fields["work_unit"] = f"负载测试单位{random.randint(1, 999)}"
        with self.client.post(
            url,
            fields,
            headers={"Referer": self.origin + url},
            name="edit",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"edit answered {response.status_code}")

    @tag("import")  # run.py --locust "--tags import Staff": the imports alone, to try them
    @task(1)
    def small_import(self):
        """Upload, wait for the check (the page polls each second), confirm, wait for the
        write: what a user does, timed as a whole too."""
        workbook = self.account.get("workbook")
        if not workbook:
            return
        started = time.perf_counter()
        page = self.client.get("/io/", name="import page")
        with self.client.post(
            "/io/upload/",
            {"effective_date": TODAY, "csrfmiddlewaretoken": _csrf(page.text)},
            files={"file": ("名册.xlsx", Path(workbook).read_bytes())},
            headers={"Referer": self.origin + "/io/"},
            name="import upload",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"upload answered {response.status_code}")
                return
            batch = response.headers["Location"]
        status = self._wait(batch, ("checked", "rejected", "failed"))
        if status == "checked":
            page = self.client.get(batch, name="import batch")
            with self.client.post(
                batch + "confirm/",
                {"csrfmiddlewaretoken": _csrf(page.text)},
                headers={"Referer": self.origin + batch},
                name="import confirm",
                catch_response=True,
                allow_redirects=False,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"confirm answered {response.status_code}")
                    return
            status = self._wait(batch, ("done", "failed"))
        events.request.fire(
            request_type="IMPORT",
            name="import (upload→done)",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=None if status == "done" else RuntimeError(f"import ended {status!r}"),
            context={},
        )

    def _wait(self, batch: str, ends) -> str:
        deadline = time.monotonic() + IMPORT_WAIT
        status = ""
        while time.monotonic() < deadline:
            response = self.client.get(
                batch,
                headers={"HX-Request": "true", "X-Tongxin-Poll": "1"},
                name="import status",
            )
            status = _status(response.text)
            if status in ends:
                return status
            time.sleep(1)
        return status


class Chair(_Logged):
    weight = 20
    wait_time = between(3, 10)
    kind = "chair"
    prefix = "chair "

    def on_start(self):
        self.client.headers["User-Agent"] = PHONE
        super().on_start()

    @task(3)
    def roster(self):
        self.client.get("/people/", name="chair roster")

    @task(3)
    def person_file(self):
        self.person()

    @task(1)
    def workbench(self):
        self.client.get("/", name="chair workbench")
