"""The spam dashboard, API keys and model versions in the admin."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from masthead.antispam import learning
from masthead.antispam.charts import line_chart, nice_ceiling
from masthead.antispam.models import ApiKey, DailyCount, SpamModelVersion
from masthead.antispam.samples import CommentSample

pytestmark = pytest.mark.django_db
DASHBOARD = "/admin/antispam/dashboard/"


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    return client


@pytest.fixture
def editor_client(client):
    user = User.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    return client


def test_the_dashboard_charts_the_last_30_days_on_the_server(admin_client):
    today = timezone.localdate()
    DailyCount.objects.create(day=today, source="site", checked=9, passed=5, caught=3, held=1)
    DailyCount.objects.create(day=today, source="api", checked=4, caught=2, false_positives=1)
    DailyCount.objects.create(day=today - timedelta(days=40), source="api", caught=99)
    html = admin_client.get(DASHBOARD).content.decode()
    chart = html[html.index('<figure class="spam-chart">') :]
    svg = chart[: chart.index("</svg>")]
    assert "Caught (spam): 5, Held for a moderator: 1" in svg  # 99 is older than 30 days
    assert "False positives: 1" in svg
    assert svg.count("<polyline") == 4
    assert "<script" not in html[html.index('id="content-main"') :]
    assert not re.search(r'(src|href)="https?://', svg)
    assert re.search(r"Checked</th><td class=\"num\">13<", html)
    assert "1.4e7a34b956" in html  # the model in use
    assert "Retrain now" in html


def test_moderators_see_the_dashboard_but_cannot_retrain(editor_client):
    response = editor_client.get(DASHBOARD)
    assert response.status_code == 200
    assert "Retrain now" not in response.content.decode()
    assert editor_client.post(DASHBOARD + "retrain/").status_code == 403


def test_retrain_from_the_dashboard(admin_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    learning.decision_record(
        sample=CommentSample(comment_content="Cheap followers"), is_spam=True, source="api"
    )
    response = admin_client.post(DASHBOARD + "retrain/", follow=True)
    assert "A retrain is queued" in response.content.decode()
    version = SpamModelVersion.objects.get(is_current=True)
    html = admin_client.get(DASHBOARD).content.decode()
    assert version.version in html
    assert "the latest moderator decisions, each scored before the model learnt it" in html.lower()


def test_a_missing_model_is_announced_in_the_admin(admin_client, settings, tmp_path):
    settings.MASTHEAD_SPAM_BASE_MODEL = str(tmp_path / "gone.mhspam")
    for url in ("/admin/", DASHBOARD):
        html = admin_client.get(url).content.decode()
        assert "held for a moderator" in html
        assert "gone.mhspam" in html


def test_no_warning_when_all_is_well(admin_client):
    assert "no usable model" not in admin_client.get("/admin/").content.decode()


def test_adding_a_key_shows_it_once(admin_client):
    response = admin_client.post(
        "/admin/antispam/apikey/add/",
        {"site": "https://blog.example.org", "note": "the blog", "rate_limit": 600},
        follow=True,
    )
    key = re.search(r"<code>([0-9a-f]{12})</code>", response.content.decode()).group(1)
    row = ApiKey.objects.get()
    assert row.key_hash == ApiKey.hash(key)
    assert key not in str(vars(row))
    listing = admin_client.get("/admin/antispam/apikey/").content.decode()
    assert f"{key[:4]}…" in listing
    assert key not in listing


def test_revoking_keys_in_the_admin(admin_client, api_key):
    row = ApiKey.objects.get()
    admin_client.post("/admin/antispam/apikey/", {"action": "revoke", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert not row.is_active
    assert row.revoked_at is not None


def test_versions_and_making_one_current(admin_client):
    for text in ("one", "two"):
        learning.decision_record(
            sample=CommentSample(comment_content=text), is_spam=True, source="api"
        )
        learning.model_retrain()
    first, second = SpamModelVersion.objects.order_by("created_at", "id")
    listing = admin_client.get("/admin/antispam/spammodelversion/").content.decode()
    assert first.version in listing
    assert second.version in listing
    admin_client.post(
        "/admin/antispam/spammodelversion/",
        {"action": "make_current", "_selected_action": [first.pk]},
    )
    assert SpamModelVersion.objects.get(is_current=True) == first


def test_training_data_is_listed_read_only(admin_client):
    learning.decision_record(
        sample=CommentSample(comment_content="Buy now"), is_spam=True, source="api"
    )
    listing = admin_client.get("/admin/antispam/spamdecision/").content.decode()
    assert "Buy now" in listing
    assert admin_client.get("/admin/antispam/spamdecision/add/").status_code == 403


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (260, 500)]
)
def test_nice_ceiling(value, ceiling):
    assert nice_ceiling(value) == ceiling


def test_the_chart_escapes_what_it_is_given():
    days = [date(2025, 11, d) for d in range(1, 4)]
    svg = str(line_chart(days, {"<b>x</b>": [1, 2, 3]}, title="T & <i>"))
    assert "&lt;b&gt;x&lt;/b&gt;" in svg
    assert "<b>" not in svg
    assert "T &amp; &lt;i&gt;" in svg
