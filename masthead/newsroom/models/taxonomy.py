from django.db import models

from masthead.core.models import TimestampedModel
from masthead.core.reversing import reverse


class Section(TimestampedModel):
    """A desk of the newsroom and a page of the site: Politics, Sport, …"""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in this order in navigation and on the home page."
    )
    show_on_home = models.BooleanField(default=True)
    in_navigation = models.BooleanField(
        default=True, help_text="Listed in the navigation bar at the top of every page."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:section", kwargs={"slug": self.slug})


class Tag(TimestampedModel):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:tag", kwargs={"slug": self.slug})
