from masthead.newsroom.models.article import Article, ArticleNote, Byline
from masthead.newsroom.models.media import Image
from masthead.newsroom.models.people import Author
from masthead.newsroom.models.taxonomy import Section, Tag

__all__ = ["Article", "ArticleNote", "Author", "Byline", "Image", "Section", "Tag"]
