from django.urls import path, register_converter

from masthead.newsroom import views


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return f"{int(value):02d}"


register_converter(TwoDigits, "dd")

app_name = "newsroom"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:year>/<dd:month>/<dd:day>/<slug:slug>/", views.article_detail, name="article"),
    path("preview/<str:token>/", views.article_preview, name="preview"),
    path("latest/", views.latest, name="latest"),
    path("section/<slug:slug>/", views.section_detail, name="section"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("search/", views.search, name="search"),
]
