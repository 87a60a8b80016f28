"""The moderation queue in the admin, the log, and automatic purges."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from masthead.discussion import moderation
from masthead.discussion.models import Comment, ModerationLog
from masthead.discussion.tests.conftest import make_comment, update

pytestmark = pytest.mark.django_db
Status = Comment.Status
QUEUE = "/admin/discussion/comment/"


@pytest.fixture
def editor(db) -> User:
    user = User.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_editors_may_moderate_through_their_group(editor):
    assert editor.has_perm("discussion.moderate_comment")
    assert editor.has_perm("discussion.change_discussionsettings")
    assert not editor.has_perm("discussion.manage_personal_data")
    author = User.objects.create_user("au", is_staff=True)
    author.groups.add(Group.objects.get(name="Author"))
    assert not author.has_perm("discussion.moderate_comment")


def test_the_queue_shows_counts_per_status_and_why_comments_were_held(editor_client, article):
    make_comment(article, status=Status.PENDING, moderation_reasons=["3 links"], spam_score=0.42)
    make_comment(article, status=Status.PENDING)
    make_comment(article)
    make_comment(article, status=Status.SPAM)
    html = editor_client.get(QUEUE).content.decode()
    assert 'Pending <span class="count">(2)</span>' in html
    assert 'Approved <span class="count">(1)</span>' in html
    assert 'Spam <span class="count">(1)</span>' in html
    assert 'Trash <span class="count">(0)</span>' in html
    assert "3 links; spam score 0.42" in html


def test_the_admin_front_page_says_how_many_comments_are_held(editor_client, article):
    assert "held for moderation" not in editor_client.get("/admin/").content.decode()
    make_comment(article, status=Status.PENDING)
    make_comment(article, status=Status.PENDING)
    make_comment(article, status=Status.SPAM)
    front = editor_client.get("/admin/").content.decode()
    assert f'<a href="{QUEUE}?status__exact=pending">2 comments</a> held for moderation' in front
    author = User.objects.create_user("au", is_staff=True)
    author.groups.add(Group.objects.get(name="Author"))
    editor_client.force_login(author)
    assert "held for moderation" not in editor_client.get("/admin/").content.decode()


def test_why_held_gives_the_spam_score_once(editor_client, article):
    reasons = ["spam filter: spam probability 0.78 (spam from 0.70)", "spam filter: emoji"]
    make_comment(article, status=Status.SPAM, moderation_reasons=reasons, spam_score=0.78)
    html = editor_client.get(QUEUE).content.decode()
    assert "spam probability 0.78 (spam from 0.70); spam filter: emoji" in html
    assert "spam score 0.78" not in html


def test_a_long_unbroken_name_is_shortened_in_the_queue(editor_client, article):
    """A 245-letter name printed whole made the queue's table thousands of pixels wide."""
    name, email = "N" * 245, "e" * 80 + "@example.net"
    make_comment(article, status=Status.PENDING, author_name=name, author_email=email)
    html = editor_client.get(QUEUE).content.decode()
    assert f'<strong title="{name}">{"N" * 39}…</strong>' in html
    assert f'<small title="{email}">{"e" * 39}…</small>' in html
    assert not re.search(r">[^<]*N{41}", html)  # whole only in attributes, never as text


def test_the_queue_filters_and_searches(editor_client, article):
    make_comment(article, status=Status.PENDING, body="Ferry timetable question")
    make_comment(article, body="Harbour wall praise", author_email="fan@example.net")
    pending = editor_client.get(QUEUE + "?status__exact=pending").content.decode()
    assert "Ferry timetable" in pending
    assert "Harbour wall praise" not in pending
    found = editor_client.get(QUEUE + "?q=fan%40example.net").content.decode()
    assert "Harbour wall praise" in found
    assert "Ferry timetable" not in found


@pytest.mark.parametrize(
    ("action", "start", "end", "logged"),
    [
        ("action_approve", Status.PENDING, Status.APPROVED, "approve"),
        ("action_unapprove", Status.APPROVED, Status.PENDING, "unapprove"),
        ("action_spam", Status.PENDING, Status.SPAM, "spam"),
        ("action_not_spam", Status.SPAM, Status.APPROVED, "not_spam"),
        ("action_trash", Status.APPROVED, Status.TRASH, "trash"),
        ("action_restore", Status.TRASH, Status.PENDING, "restore"),
    ],
)
def test_bulk_actions_change_status_and_are_logged(
    editor_client, editor, article, action, start, end, logged
):
    comments = [make_comment(article, status=start) for _ in range(3)]
    response = editor_client.post(
        QUEUE, {"action": action, "_selected_action": [c.pk for c in comments]}
    )
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {end}
    entries = ModerationLog.objects.filter(action=logged, user=editor)
    assert sorted(entries.values_list("comment_ref", flat=True)) == sorted(c.pk for c in comments)
    assert {(e.from_status, e.to_status) for e in entries} == {(start, end)}


@pytest.mark.parametrize("before", [Status.APPROVED, Status.PENDING, Status.SPAM])
def test_restore_puts_a_comment_back_as_it_was_before_the_trash(
    editor_client, editor, article, before, django_capture_on_commit_callbacks
):
    from django.core import mail

    from masthead.discussion.models import Subscription

    Subscription.objects.create(article=article, email="sub@example.net",
                                confirmed_at=timezone.now())  # fmt: skip
    comment = make_comment(article, status=before, body="Back from the bin")
    moderation.comment_moderate(comment=comment, action="trash", user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(QUEUE, {"action": "action_restore", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.status == before
    entry = ModerationLog.objects.get(action="restore")
    assert (entry.from_status, entry.to_status) == (Status.TRASH, before)
    shown = "Back from the bin" in editor_client.get(article.get_absolute_url()).content.decode()
    assert shown == (before == Status.APPROVED)
    assert mail.outbox == []  # subscribers heard of it when it was first published


def test_restore_follows_the_latest_trip_to_the_trash(editor, article):
    comment = make_comment(article, status=Status.PENDING)
    moderation.comment_moderate(comment=comment, action="trash", user=editor)
    moderation.comment_moderate(comment=comment, action="restore", user=editor)
    moderation.comment_moderate(comment=comment, action="approve", user=editor)
    moderation.comment_moderate(comment=comment, action="trash", user=editor)
    moderation.comment_moderate(comment=comment, action="restore", user=editor)
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_delete_only_takes_spam_and_trash(editor_client, article):
    keep = make_comment(article)
    spam_one = make_comment(article, status=Status.SPAM)
    trash_one = make_comment(article, status=Status.TRASH)
    editor_client.post(
        QUEUE,
        {"action": "delete_permanently", "_selected_action": [keep.pk, spam_one.pk, trash_one.pk]},
    )
    assert list(Comment.objects.values_list("pk", flat=True)) == [keep.pk]
    assert ModerationLog.objects.filter(action="delete").count() == 2
    actions = editor_client.get(QUEUE).context["action_form"].fields["action"].choices
    assert "delete_selected" not in dict(actions)


def test_moderate_from_the_change_page(editor_client, article):
    comment = make_comment(article, status=Status.PENDING)
    url = reverse("admin:discussion_comment_change", args=[comment.pk])
    page = editor_client.get(url).content.decode()
    assert 'name="_moderate" value="approve"' in page
    assert 'value="restore"' not in page
    data = {"author_name": comment.author_name, "author_url": "", "body": "Edited text",
            "_moderate": "approve", "_save": "Save"}  # fmt: skip
    done = editor_client.post(url, data, follow=True).content.decode()
    assert f"The comment by {comment.display_name} is approved." in done
    assert "changed successfully" not in done
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.body_html == "<p>Edited text</p>"
    assert set(comment.log.values_list("action", flat=True)) == {"edit", "approve"}
    title = f"{comment.display_name}’s comment on “{article.headline}”"
    assert title in editor_client.get(url).content.decode()


def test_each_row_of_the_queue_has_its_own_actions(editor_client, article):
    """As under each comment in WordPress: Approve, Spam, Trash… for that comment alone,
    back to the queue as it was (filters and all)."""
    held = make_comment(article, status=Status.PENDING, body="Hold me")
    other = make_comment(article, status=Status.PENDING, body="Leave me")
    filtered = QUEUE + "?status__exact=pending"
    page = editor_client.get(filtered).content.decode()
    moderate = reverse("admin:discussion_comment_moderate", args=[held.pk])
    assert f'formaction="{moderate}" name="_moderate" value="approve"' in page
    assert f'formaction="{moderate}" name="_moderate" value="restore"' not in page
    token = editor_client.cookies["csrftoken"].value
    editor_client.handler.enforce_csrf_checks = True
    response = editor_client.post(
        moderate,
        {"csrfmiddlewaretoken": token, "_moderate": "approve", "action": ""},
        headers={"referer": "http://testserver" + filtered + "&p=3"},
    )
    assert response.status_code == 302
    assert response["Location"] == filtered  # its filters, from the first page
    held.refresh_from_db()
    other.refresh_from_db()
    assert (held.status, other.status) == (Status.APPROVED, Status.PENDING)
    assert held.log.get().action == "approve"
    after = editor_client.get(response["Location"]).content.decode()
    assert f"The comment by {held.display_name} is approved." in after
    again = editor_client.post(moderate, {"csrfmiddlewaretoken": token, "_moderate": "approve"})
    assert again["Location"] == QUEUE  # no usable referer: the queue
    assert "approved already: nothing changed" in editor_client.get(QUEUE).content.decode()
    assert editor_client.get(moderate).status_code == 405
    bad = editor_client.post(moderate, {"csrfmiddlewaretoken": token, "_moderate": "nuke"})
    assert bad.status_code == 400
    elsewhere = editor_client.post(
        moderate,
        {"csrfmiddlewaretoken": token, "_moderate": "trash"},
        headers={"referer": "https://evil.example/admin/discussion/comment/"},
    )
    assert elsewhere["Location"] == QUEUE


def test_readers_cannot_use_a_rows_actions(client, article):
    held = make_comment(article, status=Status.PENDING)
    moderate = reverse("admin:discussion_comment_moderate", args=[held.pk])
    response = client.post(moderate, {"_moderate": "approve"})
    assert response.status_code == 302  # to the login page
    held.refresh_from_db()
    assert held.status == Status.PENDING


def test_reply_as_staff_from_the_queue(editor_client, editor, article, config):
    held = make_comment(article, status=Status.PENDING, body="Is the ferry running?")
    url = reverse("admin:discussion_comment_reply", args=[held.pk])
    assert "Is the ferry running?" in editor_client.get(url).content.decode()
    response = editor_client.post(url, {"body": "Yes, from Monday."})
    assert response.status_code == 302
    reply = Comment.objects.get(parent=held)
    held.refresh_from_db()
    assert held.status == Status.APPROVED  # replying approves what it answers
    assert reply.status == Status.APPROVED
    assert reply.user == editor
    assert ModerationLog.objects.filter(action="reply", comment=reply).exists()


def test_staff_reply_respects_the_thread_depth(editor, article, config):
    from django.core.exceptions import ValidationError

    update(config, thread_depth=2)
    top = make_comment(article)
    deep = make_comment(article, parent=top)
    with pytest.raises(ValidationError, match="deepest level"):
        moderation.comment_reply_as_staff(parent=deep, body="Too deep", user=editor)


def test_readers_cannot_reach_the_queue(client, article):
    assert client.get(QUEUE).status_code == 302  # to the login page
    author = User.objects.create_user("au", password="pw", is_staff=True)
    author.groups.add(Group.objects.get(name="Author"))
    client.force_login(author)
    assert client.get(QUEUE).status_code == 403


def test_settings_are_one_row_edited_in_the_admin(editor_client, config):
    response = editor_client.get("/admin/discussion/discussionsettings/")
    assert response["Location"].endswith("/admin/discussion/discussionsettings/1/change/")
    page = editor_client.get(response["Location"]).content.decode()
    assert "Threaded comments levels deep" in page


def old(article, status, days, **values) -> Comment:
    comment = make_comment(article, status=status, **values)
    when = timezone.now() - timedelta(days=days)
    Comment.objects.filter(pk=comment.pk).update(status_changed_at=when)
    return comment


def test_spam_and_trash_are_purged_after_their_days(article, config):
    now = timezone.now()
    gone = [old(article, Status.SPAM, 15, body="s15"), old(article, Status.TRASH, 30, body="t30")]
    kept = [
        old(article, Status.SPAM, 14, body="s14"),
        old(article, Status.TRASH, 29, body="t29"),
        old(article, Status.APPROVED, 400, body="a400"),
        old(article, Status.PENDING, 400, body="p400"),
    ]
    assert moderation.comments_purge(now=now + timedelta(minutes=1)) == 2
    assert set(Comment.objects.values_list("pk", flat=True)) == {c.pk for c in kept}
    logged = ModerationLog.objects.filter(action="purge", user=None)
    assert set(logged.values_list("comment_ref", flat=True)) == {c.pk for c in gone}


def test_purge_days_are_configurable(article, config):
    update(config, spam_purge_days=2)
    old(article, Status.SPAM, 3)
    assert moderation.comments_purge() == 1


def test_ip_addresses_and_user_agents_are_dropped_after_their_days(article, config):
    now = timezone.now()
    fresh = make_comment(article, ip_address="203.0.113.0", user_agent="UA",
                         created_at=now - timedelta(days=29))  # fmt: skip
    stale = make_comment(article, ip_address="203.0.113.0", user_agent="UA",
                         created_at=now - timedelta(days=31))  # fmt: skip
    assert moderation.comments_drop_addresses(now=now) == 1
    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert (fresh.ip_address, fresh.user_agent) == ("203.0.113.0", "UA")
    assert (stale.ip_address, stale.user_agent) == ("", "")


def test_the_maintenance_task_is_registered_as_periodic(article, config):
    from masthead.core import periodic
    from masthead.discussion.tasks import discussion_maintenance

    names = [p.name() for p in periodic.registered()]
    assert "masthead.discussion.tasks.discussion_maintenance" in names
    old(article, Status.TRASH, 31)
    result = discussion_maintenance.enqueue()
    assert result.return_value["purged"] == 1


def test_comments_imported_without_html_are_rendered_by_maintenance(article, config):
    Comment.objects.bulk_create(
        [Comment(article=article, body="<b>Imported</b>\nhttps://example.org", status="approved")]
    )
    assert moderation.comments_render_missing() == 1
    assert Comment.objects.get().body_html == (
        '<p>&lt;b&gt;Imported&lt;/b&gt;<br>\n<a href="https://example.org" '
        'rel="nofollow ugc noopener">https://example.org</a></p>'
    )
    assert moderation.comments_render_missing() == 0
