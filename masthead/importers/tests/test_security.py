"""XML attacks are refused before anything is written."""

import pytest
from django.core.management.base import CommandError

from masthead.importers.tests.conftest import import_wordpress, run, table_counts
from masthead.newsroom.models import Article

pytestmark = pytest.mark.django_db

HEAD = (
    '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
    "<wp:wxr_version>1.2</wp:wxr_version><link>https://old.example.org</link>"
)
ITEM = (
    "<item><title>{title}</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>"
    "<wp:status>publish</wp:status><content:encoded>{body}</content:encoded></item>"
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    + HEAD
    + ITEM.format(title="XXE", body="&xxe;")
    + "</channel></rss>"
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
    + HEAD
    + ITEM.format(title="Laughs", body="&lol9;")
    + "</channel></rss>"
)
EXTERNAL_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "http://attacker.invalid/wxr.dtd">\n'
    + HEAD
    + ITEM.format(title="DTD", body="x")
    + "</channel></rss>"
)


@pytest.mark.parametrize(
    "payload", [XXE, BILLION_LAUGHS, EXTERNAL_DTD], ids=["xxe", "billion-laughs", "external-dtd"]
)
def test_attacks_are_refused_with_nothing_imported(tmp_path, payload):
    path = tmp_path / "attack.xml"
    path.write_text(payload)
    before = table_counts()
    with pytest.raises(CommandError) as refused:
        import_wordpress(path)
    message = str(refused.value)
    assert "refused at line 2" in message
    assert "Nothing was imported" in message
    assert table_counts() == before


def test_the_same_file_without_the_attack_imports(tmp_path):
    path = tmp_path / "fine.xml"
    path.write_text(HEAD + ITEM.format(title="Fine", body="Hello") + "</channel></rss>")
    import_wordpress(path)
    assert Article.objects.get().headline == "Fine"


@pytest.mark.parametrize("payload", [XXE, BILLION_LAUGHS], ids=["xxe", "billion-laughs"])
def test_disqus_import_refuses_them_too(tmp_path, payload):
    path = tmp_path / "attack.xml"
    path.write_text(payload)
    with pytest.raises(CommandError, match="refused"):
        run("import", "disqus", str(path))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        import_wordpress(tmp_path / "absent.xml")


@pytest.mark.parametrize("source", ["wordpress", "disqus"])
def test_a_folder_or_a_compressed_export_is_named_before_any_progress_bar(tmp_path, source):
    import gzip
    import io

    from django.core.management import call_command

    packed = tmp_path / "export.xml.gz"
    packed.write_bytes(gzip.compress((HEAD + "</channel></rss>").encode()))
    for path, message in ((tmp_path, "is a folder"), (packed, r"compressed \(gzip\): gunzip")):
        err = io.StringIO()
        with pytest.raises(CommandError, match=message):
            call_command("import", source, str(path), verbosity=1, stderr=err)
        assert "Checking" not in err.getvalue()
