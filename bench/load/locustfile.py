"""Staff at work (issue 21, item 2): a Locust load over loopback, run by bench/load/run.py.

Two kinds of user, in the issue's proportion (100 staff : 20 branch chairs):
- ``Staff`` (the demo's 组织部工作人员 ``zuzhi``, scope the root) with 3–10 s think time: roster
  pages and filters, person files, searches, the report and the dashboard of their node, and
  edits (a person's file saved with one field changed — a write, about 1 in 25 tasks);
- ``Chair`` (the demo's 支部主委 ``zhibu``) on phone-sized pages (a phone's User-Agent and
  viewport do not change the HTML; the pages are the branch's own): roster, person files.

Each request is named by its page type (``roster``, ``roster filter``, ``person``, ``search``,
``report``, ``dashboard``, ``edit``, ``chair …``) so Locust's statistics are per type.
Environment: TONGXIN_LOAD_PASSWORD (the demo password), TONGXIN_LOAD_STAFF / _CHAIR (user names).
"""

import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, task

PASSWORD = os.environ.get("TONGXIN_LOAD_PASSWORD", "")
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
FILTERS = ["gender=2", "education=大学本科", "gender=1&education=硕士研究生", "sort=-name"]
SEARCHES = ["张", "王", "li", "zh", "wm", "大学"]


class _Form(HTMLParser):
    """The fields of the page's first form with method POST, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.inside = self.done = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.inside = True
        elif not self.inside:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self.select = a.get("name")
            self.fields.setdefault(self.select or "", "")
        elif tag == "option" and self.select and "selected" in a:
            self.fields[self.select] = a.get("value") or ""
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.fields[self.textarea or ""] = ""

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


class _Logged(HttpUser):
    abstract = True
    username = ""
    people: list[str] = []

    def on_start(self):
        # As nginx passes a request on (deploy/nginx.conf): the application sees HTTPS.
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.origin = self.host.replace("http://", "https://")
        page = self.client.get("/login/", name="login")
        self.client.post(
            "/login/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": _csrf(page.text),
            },
            headers={"Referer": self.origin + "/login/"},
            name="login",
        )
        roster = self.client.get("/people/", name=self.prefix + "roster")
        self.people = sorted(set(re.findall(r'href="(/people/\d+/)"', roster.text))) or []

    prefix = ""


class Staff(_Logged):
    weight = 100
    wait_time = between(3, 10)
    username = os.environ.get("TONGXIN_LOAD_STAFF", "zuzhi")

    @task(6)
    def roster(self):
        self.client.get(f"/people/?page={random.randint(1, 5)}", name="roster")

    @task(4)
    def roster_filter(self):
        self.client.get(f"/people/?{random.choice(FILTERS)}", name="roster filter")

    @task(6)
    def person(self):
        if self.people:
            self.client.get(random.choice(self.people), name="person")

    @task(4)
    def search(self):
        self.client.get(f"/people/?q={random.choice(SEARCHES)}", name="search")

    @task(2)
    def report(self):
        self.client.get("/stats/", name="report")

    @task(2)
    def dashboard(self):
        self.client.get("/stats/dashboard/", name="dashboard")

    @task(1)
    def edit(self):
        if not self.people:
            return
        url = random.choice(self.people) + "edit/"
        page = self.client.get(url, name="edit form")
        form = _Form()
        form.feed(page.text)
        if "work_unit" not in form.fields:
            return
        form.fields["work_unit"] = f"负载测试单位{random.randint(1, 999)}"
        with self.client.post(
            url,
            form.fields,
            headers={"Referer": self.origin + url},
            name="edit",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"edit answered {response.status_code}")


class Chair(_Logged):
    weight = 20
    wait_time = between(3, 10)
    username = os.environ.get("TONGXIN_LOAD_CHAIR", "zhibu")
    prefix = "chair "

    def on_start(self):
        self.client.headers["User-Agent"] = PHONE
        super().on_start()

    @task(3)
    def roster(self):
        self.client.get("/people/", name="chair roster")

    @task(3)
    def person(self):
        if self.people:
            self.client.get(random.choice(self.people), name="chair person")

    @task(1)
    def workbench(self):
        self.client.get("/", name="chair workbench")
