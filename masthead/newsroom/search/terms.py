import regex

_TOKEN = regex.compile(r"[\p{L}\p{N}]+")
MAX_TERMS = 16


def query_terms(query: str) -> list[str]:
    """The words of a reader's query, lower-cased, with every operator character dropped."""
    return _TOKEN.findall(query.lower())[:MAX_TERMS]
