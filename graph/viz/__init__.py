"""Interactive HTML maps of the network (pyvis / vis-network), self-contained and offline."""

from .maps import COLOR_BY, LAYOUT_THRESHOLD, SIZE_BY, build_map, write_map

__all__ = ["COLOR_BY", "LAYOUT_THRESHOLD", "SIZE_BY", "build_map", "write_map"]
