from django.core.management.base import BaseCommand

from masthead.newsroom.reading_time import app_settings
from masthead.newsroom.services import articles_recount_reading_time


class Command(BaseCommand):
    help = (
        'Work out every story\'s "N Min Read" again, after READING_WORDS_PER_MINUTE changed '
        "(stories are otherwise counted when they are saved)."
    )

    def handle(self, *args, **options):
        changed = articles_recount_reading_time()
        rate = app_settings.READING_WORDS_PER_MINUTE
        stories = "story" if changed == 1 else "stories"
        self.stdout.write(
            f"Reading time counted at {rate} words a minute: {changed} {stories} changed."
        )
