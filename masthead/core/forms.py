from django.db import models


def https_formfield(field: models.Field, **kwargs):
    """``Meta.formfield_callback`` for model forms: bare web addresses default to https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)
