"""The folder of saved images given with `--media-dir`, indexed by asset id and file name.

Bloggers saved their images however they could: a browser's "save page" folder
(`6a00d8341c4e3853ef01b8d2a1b2c3970c-800wi`, no extension), a wget mirror
(`blog.typepad.com/.a/…`, `photos/uncategorized/2007/05/01/dsc0001.jpg`), or a flat
folder of renamed files (`6a00…970c.jpg`). A file matches an asset reference when its
name contains the asset id, and a file reference when its name is the same, ignoring
case; the folder is read once, when the first reference needs it.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from urllib.parse import unquote

from PIL import Image

from imports.media.references import ASSET_ID, MediaRef


class MediaFolder:
    """An index of the files under `root` (recursively), by asset id and by file name."""

    def __init__(self, root: Path):
        self.root = root
        self._by_asset: dict[str, list[Path]] | None = None
        self._by_name: dict[str, list[Path]] = {}

    def candidates(self, ref: MediaRef) -> list[Path]:
        """Files that may hold `ref`'s image, best first.

        For an asset: every saved size, largest picture first. For a file: those whose
        folders match most of the reference's path; more than one means they tie.
        """
        by_asset = self._index()
        if ref.asset_id:
            return sorted(by_asset.get(ref.asset_id, []), key=_largest_first)
        named = self._by_name.get(ref.file_name, [])
        if len(named) < 2:
            return list(named)
        scores = {path: self._shared_tail(path, ref.path) for path in named}
        best = max(scores.values())
        return sorted(path for path, score in scores.items() if score == best)

    def _index(self) -> dict[str, list[Path]]:
        if self._by_asset is not None:
            return self._by_asset
        self._by_asset = {}
        # Hidden folders are kept: a mirror of Typepad stores assets under `.a/`.
        for folder, _, files in os.walk(self.root):
            for name in files:
                path = Path(folder, name)
                lowered = name.lower()
                for asset_id in dict.fromkeys(ASSET_ID.findall(lowered)):
                    self._by_asset.setdefault(asset_id, []).append(path)
                for key in dict.fromkeys((lowered, unquote(lowered))):
                    self._by_name.setdefault(key, []).append(path)
        return self._by_asset

    def _shared_tail(self, path: Path, url_path: str) -> int:
        """How many trailing path parts (folders and name) a file shares with the URL."""
        file_parts = [part.lower() for part in path.relative_to(self.root).parts]
        url_parts = [part for part in url_path.split("/") if part]
        shared = 0
        for mine, theirs in zip(reversed(file_parts), reversed(url_parts), strict=False):
            if theirs not in (mine, unquote(mine)):
                break
            shared += 1
        return shared


def _largest_first(path: Path) -> tuple[int, int, str]:
    """Sort key: most pixels (from the header alone), then most bytes, then path."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                pixels = image.width * image.height
    except Exception:  # anything unreadable sorts last; storing refuses it
        pixels = 0
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return (-pixels, -size, str(path))
