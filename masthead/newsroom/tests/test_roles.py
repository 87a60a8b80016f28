import pytest
from django.contrib.auth.models import Group

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
