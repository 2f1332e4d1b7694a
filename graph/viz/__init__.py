"""Network maps: interactive self-contained HTML (pyvis / vis-network) and static images."""

from .maps import build_map, map_data, write_map
from .model import COLOR_BY, SIZE_BY, caption, map_title
from .static import IMAGE_FORMATS, render_image, write_image

__all__ = ["COLOR_BY", "IMAGE_FORMATS", "MAP_FORMATS", "SIZE_BY", "build_map",
           "caption", "map_data", "map_title", "map_format", "render_image", "write_image", "write_map", "write_map_file"]

MAP_FORMATS = ("html", *IMAGE_FORMATS)


def map_format(fmt: str | None, path=None) -> str:
    """The map format: *fmt* if given, else the suffix of *path* if it names one, else html."""
    if fmt:
        return fmt
    suffix = str(path or "").rpartition(".")[2].lower() if path and "." in str(path) else ""
    return suffix if suffix in MAP_FORMATS else "html"


def write_map_file(G, path, fmt: str = "html", sel=None, title: str | None = None, **options):
    """Write the map of *G* to *path* as an HTML page or a static image (see MAP_FORMATS).

    *sel* (the :class:`graph.selection.Selection` that made *G*) names the focus and the date
    in the title (unless *title* is given) and in the line under it.
    """
    title = map_title(G, sel, title)
    if fmt == "html":
        return write_map(G, path, title=title, subtitle=caption(G, sel), **options)
    return write_image(G, path, fmt, title=title, subtitle=caption(G, sel), **options)
