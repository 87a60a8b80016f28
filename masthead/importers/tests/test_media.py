"""``masthead import media``: pictures of imported stories come over from the old site.

The old site is a real HTTP server on 127.0.0.1 started by the test; every other address
goes to a closed local port (through proxy settings), so no test can reach the internet.
"""

from __future__ import annotations

import contextlib
import io
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image as PILImage

from masthead.importers.models import ImportedItem, ImportedMedia
from masthead.importers.tests.conftest import import_wordpress, wxr
from masthead.newsroom.images import image_create
from masthead.newsroom.models import Article, Image

pytestmark = pytest.mark.django_db


def picture(kind: str, size=(64, 48), colour=(200, 80, 40), noise=False) -> bytes:
    if noise:
        import random

        rng = random.Random(7)
        picture = PILImage.frombytes(
            "RGB", size, bytes(rng.randrange(256) for _ in range(size[0] * size[1] * 3))
        )
    else:
        picture = PILImage.new("RGB", size, colour)
    buffer = io.BytesIO()
    picture.save(buffer, kind)
    return buffer.getvalue()


class OldSite:
    """A WordPress site's uploads: path → (status, type, body); ``slow`` trickles its bytes."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[int, str, bytes]] = {}
        self.requests: Counter = Counter()
        self.user_agents: set[str] = set()
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with site.lock:
                    site.requests[self.path] += 1
                    site.user_agents.add(self.headers.get("User-Agent", ""))
                if self.path == "/uploads/slow.png":
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.end_headers()
                    for byte in picture("PNG")[:40]:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.05)
                    return
                status, kind, body = site.files.get(self.path, (404, "text/html", b"Not found"))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if not self.path.startswith("/uploads/stream"):  # else: read to the end
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # The client may stop reading: the point of the size limit.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def no_internet(monkeypatch):
    """Any address but 127.0.0.1 goes to a proxy that is not there."""
    proxy = f"http://127.0.0.1:{closed_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, proxy)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")


@pytest.fixture
def old_site():
    site = OldSite()
    site.files.update(
        {
            "/uploads/harbour.jpg": (200, "image/jpeg", picture("JPEG", (900, 600))),
            "/uploads/boats.png": (200, "image/png", picture("PNG", colour=(10, 90, 200))),
            "/uploads/gulls.gif": (200, "image/gif", picture("GIF")),
            "/uploads/notes.png": (200, "image/png", b"Not a picture at all, only text.\n"),
            "/uploads/huge.png": (200, "image/png", picture("PNG", (300, 300), noise=True)),
            "/uploads/stream-huge.png": (200, "image/png", picture("PNG", (300, 300), noise=True)),
        }
    )
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


def export(site: OldSite) -> str:
    """A WXR file of the old site: three posts and their pictures."""

    def attachment(post_id: str, url: str, alt: str = "") -> str:
        meta = (
            f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
            f"<wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>"
            if alt
            else ""
        )
        return (
            f"<item><title>att {post_id}</title><wp:post_id>{post_id}</wp:post_id>"
            f"<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>"
            f"<wp:attachment_url>{url}</wp:attachment_url>{meta}</item>"
        )

    def post(post_id: str, title: str, body: str, thumbnail: str = "") -> str:
        meta = (
            f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
            f"<wp:meta_value>{thumbnail}</wp:meta_value></wp:postmeta>"
            if thumbnail
            else ""
        )
        return (
            f"<item><title>{title}</title><link>{site.url(f'/?p={post_id}')}</link>"
            f"<wp:post_id>{post_id}</wp:post_id><wp:post_type>post</wp:post_type>"
            f"<wp:status>publish</wp:status><wp:post_date_gmt>2024-05-0{post_id[-1]} 10:00:00"
            f"</wp:post_date_gmt><wp:post_name>post-{post_id}</wp:post_name>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded>{meta}</item>"
        )

    u = site.url
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<wp:wxr_version>1.2</wp:wxr_version><link>{u('/')}</link>"
        + attachment("10", u("/uploads/harbour.jpg"), alt="The harbour at dawn")
        + attachment("11", u("/uploads/gulls.gif"))
        + post(
            "1",
            "Harbour reopens",
            f"<p>The harbour reopened on Monday.</p>\n"
            f'<p><img src="{u("/uploads/boats.png")}" alt="Boats" width="300" height="200" '
            f'srcset="{u("/uploads/boats.png")} 600w, {u("/uploads/boats-300x200.png")} 300w" '
            f'sizes="(max-width: 600px) 100vw, 600px"></p>\n'
            f'<p>Elsewhere: <img src="https://elsewhere.example.net/map.png" alt="Map"></p>\n'
            f"<p>More to follow.</p>",
            thumbnail="10",
        )
        + post(
            "2",
            "A bad day for pictures",
            f'<p>One <img src="{u("/uploads/missing.png")}" alt="Gone"></p>'
            f'<p>Two <img src="{u("/uploads/notes.png")}" alt="Notes"></p>'
            f'<p>Three <img src="{u("/uploads/huge.png")}" alt="Huge"></p>'
            f'<p>Four <img src="{u("/uploads/stream-huge.png")}" alt="Streamed"></p>'
            f'<p>Five <img src="{u("/uploads/slow.png")}" alt="Slow"></p>'
            f'<p>Six, as in the first story <img src="{u("/uploads/boats.png")}"></p>',
        )
        + post("3", "Gulls return", "<p>Gulls are back.</p>", thumbnail="11")
        + "</channel></rss>"
    )


def import_media(*flags: str) -> str:
    out = io.StringIO()
    call_command("import", "media", *flags, verbosity=0, stdout=out, stderr=io.StringIO())
    return out.getvalue()


FLAGS = ("--timeout", "1", "--max-bytes", "60000")


@pytest.fixture
def imported(tmp_path, old_site):
    path = tmp_path / "export.xml"
    path.write_text(export(old_site))
    import_wordpress(path)
    return old_site


def story(title: str) -> Article:
    return Article.objects.select_related("featured_image").get(headline=title)


def test_pictures_come_over_and_stories_point_at_them(imported, client):
    site = imported
    before = story("Harbour reopens").body
    report = import_media(*FLAGS)

    harbour = story("Harbour reopens")
    featured = harbour.featured_image
    assert featured is not None
    assert featured.alt_text == "The harbour at dawn"  # from the attachment in the export
    assert (featured.caption, featured.credit) == ("", "")
    assert (featured.width, featured.height) == (900, 600)
    assert featured.renditions  # made by the newsroom's image service
    gulls = story("Gulls return").featured_image
    assert gulls.alt_text == "Gulls return"  # no alt text in the export: the headline

    boats = ImportedMedia.objects.get(old_url=site.url("/uploads/boats.png")).image
    assert boats.alt_text == "Boats"
    assert boats.url.startswith("/media/images/")
    old_tag = before[before.index("<img") : before.index(">", before.index("<img")) + 1]
    new_tag = f'<img src="{boats.url}" alt="Boats" width="300" height="200">'
    assert harbour.body == before.replace(old_tag, new_tag)  # the rest is as it was
    assert harbour.body_text == "The harbour reopened on Monday.\n\nElsewhere:\n\nMore to follow."
    assert harbour.reading_minutes >= 1

    page = client.get(harbour.get_absolute_url()).content.decode()
    # The body's picture is shown at the reader's size, from Masthead's renditions.
    assert f'src="{boats.rendition_url(800)}" srcset="{boats.srcset()}"' in page
    assert f'src="{featured.rendition_url(800)}"' in page  # the featured picture, from Masthead
    assert site.base not in page
    assert "127.0.0.1" not in page

    assert site.requests["/uploads/boats.png"] == 1  # in two stories, downloaded once
    assert site.requests["/uploads/boats-300x200.png"] == 0  # srcset is dropped, not fetched
    assert all(agent.startswith("Masthead/") for agent in site.user_agents)
    counts = {line.split()[0]: line for line in report.splitlines() if line.startswith("  ")}
    assert "3 downloaded" in counts["pictures"]
    assert counts["featured"].split() == ["featured", "images", "2", "set"]


def test_failures_are_listed_with_their_story_and_the_story_is_left_alone(imported):
    site = imported
    before = story("A bad day for pictures").body
    report = import_media(*FLAGS)

    failed = report.split("Not downloaded (5):")[1]
    expected = {
        "/uploads/missing.png": "HTTP 404 Not Found",
        "/uploads/notes.png": "not an image Pillow can read",
        "/uploads/huge.png": "larger than the limit of 60,000 bytes",
        "/uploads/stream-huge.png": "larger than the limit of 60,000 bytes; stopped after",
        "/uploads/slow.png": "still arriving after 1 s; stopped",
    }
    for path, reason in expected.items():
        line = next(line for line in failed.splitlines() if f"{site.url(path)} —" in line)
        assert "“A bad day for pictures” (article" in line
        assert reason in line
    assert "5 failed" in report
    assert "elsewhere.example.net" not in report  # not the old site's: never fetched

    after = story("A bad day for pictures").body
    boats = ImportedMedia.objects.get(old_url=site.url("/uploads/boats.png")).image
    # Only the picture that came over changed; each failed one is still there, as it was.
    assert after == before.replace(
        f'<img src="{site.url("/uploads/boats.png")}">', f'<img src="{boats.url}">'
    )
    assert Image.objects.count() == 3 == ImportedMedia.objects.count()


def test_a_second_run_downloads_nothing_again(imported, tmp_path):
    site = imported
    import_media(*FLAGS)
    first = dict(site.requests)
    images = set(Image.objects.values_list("pk", "file"))
    bodies = dict(Article.objects.values_list("pk", "body"))

    report = import_media(*FLAGS)
    for path in ("/uploads/harbour.jpg", "/uploads/boats.png", "/uploads/gulls.gif"):
        assert site.requests[path] == first[path] == 1
    assert site.requests["/uploads/missing.png"] == 2  # failures are tried again
    assert set(Image.objects.values_list("pk", "file")) == images
    assert dict(Article.objects.values_list("pk", "body")) == bodies
    assert "stories" not in report  # nothing changed

    # Importing the export again restores the old addresses: they come back to the copies.
    import_wordpress(tmp_path / "export.xml")
    assert site.url("/uploads/boats.png") in story("Harbour reopens").body
    import_media(*FLAGS)
    assert site.requests["/uploads/boats.png"] == 1
    assert dict(Article.objects.values_list("pk", "body")) == bodies
    assert set(Image.objects.values_list("pk", "file")) == images


def test_an_editors_featured_image_is_kept(imported):
    harbour = story("Harbour reopens")
    own = image_create(file=ContentFile(picture("PNG"), name="own.png"), alt_text="Our own")
    Article.objects.filter(pk=harbour.pk).update(featured_image=own)
    import_media(*FLAGS)
    assert story("Harbour reopens").featured_image == own
    assert imported.requests["/uploads/harbour.jpg"] == 0


def test_a_deleted_image_is_not_downloaded_again(imported):
    import_media(*FLAGS)
    ImportedMedia.objects.get(old_url=imported.url("/uploads/gulls.gif")).image.delete()
    report = import_media(*FLAGS)
    assert imported.requests["/uploads/gulls.gif"] == 1
    assert story("Gulls return").featured_image is None
    assert "skipped (its image was deleted)" in report


def test_dry_run_lists_what_it_would_download_and_writes_nothing(imported):
    site = imported
    bodies = dict(Article.objects.values_list("pk", "body"))
    report = import_media("--dry-run", *FLAGS)
    assert "dry run, nothing was written" in report
    assert "8 to download" in report
    assert "downloaded" not in report.split("To download (8):")[0]  # nothing was
    planned = report.split("To download (8):")[1]
    assert f"“Harbour reopens” (article {story('Harbour reopens').pk}): " in planned
    assert site.url("/uploads/harbour.jpg") in planned
    assert site.url("/uploads/missing.png") in planned
    assert sum(site.requests.values()) == 0  # not one request
    assert Image.objects.count() == 0 == ImportedMedia.objects.count()
    assert dict(Article.objects.values_list("pk", "body")) == bodies
    assert not Article.objects.exclude(featured_image=None).exists()


def test_only_the_old_sites_hosts_are_fetched_unless_more_are_named(imported):
    # ``--host`` adds a host: here one that does not answer, through the closed proxy.
    report = import_media(*FLAGS, "--host", "elsewhere.example.net")
    assert "elsewhere.example.net/map.png —" in report
    assert "could not connect" in report.split("elsewhere.example.net/map.png —")[1]


def test_an_unreachable_site_is_reported_not_fatal():
    """wpthemetestdata.files.wordpress.com, mirrored to a closed local port."""
    import_wordpress(wxr("wordpress-importer", "wxr-flat-attachment-same-site.xml"))
    article = Article.objects.get(headline="Post with Attachment")
    before = article.body
    old = "https://wpthemetestdata.files.wordpress.com"
    closed = f"http://127.0.0.1:{closed_port()}"
    report = import_media("--mirror", f"{old}={closed}", "--timeout", "2")

    line = next(line for line in report.splitlines() if "canola2.jpg" in line)
    assert f"“Post with Attachment” (article {article.pk})" in line
    assert f"{old}/2008/06/canola2.jpg (from {closed}/2008/06/canola2.jpg)" in line
    assert "could not connect" in line
    assert "1 failed" in report
    article.refresh_from_db()
    assert article.body == before
    assert ImportedMedia.objects.count() == 0 == Image.objects.count()


def test_without_an_import_there_is_nothing_to_do():
    report = import_media()
    assert "No old site is known" in report


def test_only_http_addresses_are_downloaded(imported):
    ImportedItem.objects.filter(article=story("Gulls return")).update(
        featured_image_url="ftp://127.0.0.1/uploads/gulls.gif"
    )
    report = import_media(*FLAGS)
    assert "ftp://127.0.0.1/uploads/gulls.gif — only http and https addresses" in report
    assert story("Gulls return").featured_image is None


def sized_export(site: OldSite) -> str:
    """Stories whose pictures are WordPress's resized copies (photo-300x200.jpg)."""
    u = site.url

    def post(post_id: str, title: str, body: str) -> str:
        return (
            f"<item><title>{title}</title><link>{u(f'/?p={post_id}')}</link>"
            f"<wp:post_id>{post_id}</wp:post_id><wp:post_type>post</wp:post_type>"
            f"<wp:status>publish</wp:status><wp:post_date_gmt>2024-06-0{post_id} 10:00:00"
            f"</wp:post_date_gmt><wp:post_name>sized-{post_id}</wp:post_name>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        )

    dock_srcset = ", ".join(
        f"{u(f'/uploads/dock-{size}.jpg')} {size.split('x')[0]}w"
        for size in ("300x200", "1024x683", "2048x1365")
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<wp:wxr_version>1.2</wp:wxr_version><link>{u('/')}</link>"
        + post("1", "Pier", f'<p><img src="{u("/uploads/pier-300x200.jpg")}" alt="Pier"></p>')
        + post(
            "2",
            "Dock",
            f'<p><img src="{u("/uploads/dock-1024x683.jpg")}" alt="Dock" '
            f'srcset="{dock_srcset}" sizes="100vw"></p>'
            f'<p><img src="{u("/uploads/lone-300x200.png")}" alt="Lone"></p>',
        )
        + post("3", "Pier again", f'<p><img src="{u("/uploads/pier-640x427.jpg")}"></p>')
        + post(
            "4",
            "Crops",
            # A square crop of the pier: its original is another framing.
            f'<p><img src="{u("/uploads/pier-150x150.jpg")}" alt="Square pier"></p>'
            # Not in its own srcset, which lists only smaller copies: the 1024 one it is.
            f'<p><img src="{u("/uploads/quay-1024x683.jpg")}" alt="Quay" width="1024" '
            f'srcset="{u("/uploads/quay-300x200.jpg")} 300w, '
            f'{u("/uploads/quay-768x512.jpg")} 768w"></p>',
        )
        + "</channel></rss>"
    )


def sized_files() -> dict:
    """The old site's copies of the pictures in ``sized_export``."""
    return {
        "/uploads/pier.jpg": (200, "image/jpeg", picture("JPEG", (1200, 800))),
        "/uploads/pier-300x200.jpg": (200, "image/jpeg", picture("JPEG", (300, 200))),
        "/uploads/pier-640x427.jpg": (200, "image/jpeg", picture("JPEG", (640, 427))),
        # No dock.jpg: the widest copy in srcset is the next best.
        "/uploads/dock-1024x683.jpg": (200, "image/jpeg", picture("JPEG", (1024, 683))),
        "/uploads/dock-2048x1365.jpg": (200, "image/jpeg", picture("JPEG", (1400, 933))),
        "/uploads/pier-150x150.jpg": (200, "image/jpeg", picture("JPEG", (150, 150))),
        "/uploads/quay-768x512.jpg": (200, "image/jpeg", picture("JPEG", (768, 512))),
        "/uploads/quay-1024x683.jpg": (200, "image/jpeg", picture("JPEG", (1024, 683))),
        # Larger, but not a picture: the copy in the story it is.
        "/uploads/lone.png": (200, "image/png", b"Not a picture at all."),
        "/uploads/lone-300x200.png": (200, "image/png", picture("PNG", (300, 200))),
    }


def test_the_largest_copy_of_a_resized_picture_is_brought_over(tmp_path, old_site):
    site = old_site
    site.files.update(sized_files())
    path = tmp_path / "sized.xml"
    path.write_text(sized_export(site))
    import_wordpress(path)
    report = import_media(*FLAGS)

    pier = ImportedMedia.objects.get(old_url=site.url("/uploads/pier.jpg")).image
    assert (pier.width, pier.height) == (1200, 800)
    assert f'<img src="{pier.url}" alt="Pier">' in story("Pier").body
    assert f'<img src="{pier.url}">' in story("Pier again").body  # the same original, once
    assert site.requests["/uploads/pier.jpg"] == 1
    assert (
        site.requests["/uploads/pier-300x200.jpg"]
        == 0
        == site.requests["/uploads/pier-640x427.jpg"]
    )

    dock = ImportedMedia.objects.get(old_url=site.url("/uploads/dock-2048x1365.jpg")).image
    assert (dock.width, dock.height) == (1400, 933)
    assert f'<img src="{dock.url}" alt="Dock">' in story("Dock").body  # old srcset dropped
    assert site.requests["/uploads/dock.jpg"] == 1  # asked for, not there
    assert site.requests["/uploads/dock-1024x683.jpg"] == 0

    lone = ImportedMedia.objects.get(old_url=site.url("/uploads/lone-300x200.png")).image
    assert (lone.width, lone.height) == (300, 200)
    assert f'<img src="{lone.url}" alt="Lone">' in story("Dock").body
    assert site.requests["/uploads/lone.png"] == 1
    assert "Not downloaded" not in report  # a missing larger copy is no failure

    crops = story("Crops").body
    square = ImportedMedia.objects.get(old_url=site.url("/uploads/pier-150x150.jpg")).image
    assert (square.width, square.height) == (150, 150)
    assert f'<img src="{square.url}" alt="Square pier">' in crops
    quay = ImportedMedia.objects.get(old_url=site.url("/uploads/quay-1024x683.jpg")).image
    assert f'<img src="{quay.url}" alt="Quay" width="1024">' in crops
    assert site.requests["/uploads/quay.jpg"] == 1  # asked for, not there
    assert site.requests["/uploads/quay-768x512.jpg"] == 0  # smaller: never asked for
    assert Image.objects.count() == 5


def test_an_original_passed_over_for_a_crop_is_not_counted(tmp_path, old_site):
    """An earlier run brought the pier's original over; a story that shows a square crop
    of it gets the crop, and the report counts what it downloaded, not the original."""
    site = old_site
    site.files.update(sized_files())
    path = tmp_path / "sized.xml"
    path.write_text(sized_export(site))
    import_wordpress(path)
    crops = story("Crops")
    Article.objects.filter(pk=crops.pk).update(body="<p>Pictures to follow.</p>")
    import_media(*FLAGS)
    assert ImportedMedia.objects.filter(old_url=site.url("/uploads/pier.jpg")).exists()
    Article.objects.filter(pk=crops.pk).update(body=crops.body)

    report = import_media(*FLAGS)
    counts = {line.split()[0]: line for line in report.splitlines() if line.startswith("  ")}
    assert "2 downloaded" in counts["pictures"]  # the square crop and the quay
    assert "already downloaded" not in counts["pictures"]
    assert site.requests["/uploads/pier.jpg"] == 1
