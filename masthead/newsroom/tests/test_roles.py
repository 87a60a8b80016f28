import pytest
from django.contrib.auth.models import Group
from django.test import Client

pytestmark = pytest.mark.django_db


def perms(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_roles_exist_and_grow_in_power():
    contributor, author, editor, admin = map(
        perms, ["Contributor", "Author", "Editor", "Administrator"]
    )
    assert "newsroom.change_article" in contributor
    assert "newsroom.publish_article" not in contributor
    assert "newsroom.publish_article" in author
    assert "newsroom.publish_any_article" not in author
    assert "newsroom.publish_any_article" in editor
    assert contributor < author < editor <= admin
    assert "auth.change_user" in admin
    assert "auth.change_user" not in editor


def test_a_role_given_in_the_user_admin_gives_the_sign_in_to_the_newsroom(client):
    """As WordPress does with a role: no separate "staff status" box to tick. Only when the
    roles change there: restores and imports leave staff status as it is."""
    from django.contrib.auth.models import Group, User
    from django.urls import reverse

    from masthead.newsroom.tests.adminform import form_values
    from masthead.newsroom.tests.factories import login

    login(client, "Administrator")
    cara = User.objects.create_user("cara", "cara@example.org", "pw-cara-123")
    url = reverse("admin:auth_user_change", args=[cara.pk])
    data = form_values(client.get(url), "user_form")
    data["groups"] = [str(Group.objects.get(name="Contributor").pk)]
    done = client.post(url, data, follow=True).content.decode()
    assert "can now sign in to the newsroom" in done
    cara.refresh_from_db()
    assert cara.is_staff
    reader = Client()
    response = reader.post(
        "/admin/login/?next=/admin/", {"username": "cara", "password": "pw-cara-123"}
    )
    assert response.status_code == 302
    # staff status taken away on purpose, roles kept: saving again does not give it back
    User.objects.filter(pk=cara.pk).update(is_staff=False)
    data = form_values(client.get(url), "user_form")
    client.post(url, data)
    cara.refresh_from_db()
    assert not cara.is_staff
    # and outside the admin (a restore's loaddata), adding a role changes nothing
    dan = User.objects.create_user("dan")
    dan.groups.add(Group.objects.get(name="Editor"))
    dan.refresh_from_db()
    assert not dan.is_staff


def test_contributors_add_tags_and_delete_their_own_unpublished_stories():
    """As in WordPress: a new tag while writing, and a draft they gave up on; never a story
    once it is published, nor anyone else's."""
    from masthead.newsroom.models import Article
    from masthead.newsroom.permissions import can_delete
    from masthead.newsroom.tests.factories import make_article, user_in

    cara = user_in("Contributor")
    assert cara.has_perm("newsroom.add_tag")
    own_draft = make_article(status=Article.Status.DRAFT, created_by=cara)
    own_live = make_article(created_by=cara)
    others = make_article(status=Article.Status.DRAFT)
    assert can_delete(cara, own_draft)
    assert not can_delete(cara, own_live)
    assert not can_delete(cara, others)
