from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masthead.newsroom.models import Section
from masthead.newsroom.selectors import navigation_invalidate


@receiver([post_save, post_delete], sender=Section, dispatch_uid="newsroom-nav-invalidate")
def section_changed(sender, **kwargs) -> None:
    navigation_invalidate()
