"""The importers' admin pages open for an administrator."""

import pytest
from django.contrib.auth import get_user_model

from masthead.importers.tests.conftest import import_wordpress, wxr

pytestmark = pytest.mark.django_db


def test_redirect_and_import_record_lists_open(client):
    import_wordpress(wxr("wordpress-importer", "wxr-comprehensive.xml"), "--pages")
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    for url in ("/admin/importers/redirect/", "/admin/importers/importeditem/"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"Comprehensive Post" in response.content
    assert client.get("/admin/importers/importeditem/add/").status_code == 403


def test_imported_media_list_opens(client):
    from masthead.importers.models import ImportedMedia

    ImportedMedia.objects.create(old_url="https://old.example.org/wp-content/uploads/quay.jpg")
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    response = client.get("/admin/importers/importedmedia/")
    assert response.status_code == 200
    assert b"uploads/quay.jpg" in response.content
    assert client.get("/admin/importers/importedmedia/add/").status_code == 403
