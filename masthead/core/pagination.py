from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404


def paginate(request, object_list, *, per_page: int = 20) -> Page:
    """The requested page; a missing, malformed or out-of-range page number is a 404."""
    paginator = Paginator(object_list, per_page)
    number = request.GET.get("page", "1")
    try:
        return paginator.page(number)
    except InvalidPage as err:
        raise Http404(f"There is no page {number!r} here.") from err
