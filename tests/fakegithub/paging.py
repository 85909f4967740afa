"""Pagination as GitHub does it: `per_page` (default 30, at most 100) and `page` (from 1),
and a `Link` header with `prev`, `next`, `last` and `first` in that order, each an absolute
URL. Like GitHub, links to a repository's lists use its numeric id
(`/repositories/{id}/...`) instead of `/repos/{owner}/{repo}/...`; the fake serves both."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlencode

T = TypeVar("T")
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


def paginate(
    items: list[T], typed: dict[str, Any], pairs: list[tuple[str, str]], url: str
) -> tuple[list[T], str | None]:
    """The page of `items` the query asks for, and the Link header (None on a single page).

    `typed` holds the query's values typed by their schemas, `pairs` the query as sent (kept,
    in order, in the links), `url` the absolute URL of the list without its query.
    """
    per_page = typed.get("per_page")
    per_page = DEFAULT_PER_PAGE if not isinstance(per_page, int) or per_page < 1 else per_page
    per_page = min(per_page, MAX_PER_PAGE)
    page = typed.get("page")
    page = page if isinstance(page, int) and page >= 1 else 1
    last = max(1, -(-len(items) // per_page))
    chosen = items[(page - 1) * per_page : page * per_page]
    if last == 1:
        return chosen, None

    def link(number: int, rel: str) -> str:
        kept = [(k, v) for k, v in pairs if k != "page"]
        return f'<{url}?{urlencode([*kept, ("page", str(number))])}>; rel="{rel}"'

    links = []
    if page > 1:
        links.append(link(min(page - 1, last), "prev"))
    if page < last:
        links += [link(page + 1, "next"), link(last, "last")]
    if page > 1:
        links.append(link(1, "first"))
    return chosen, ", ".join(links)
