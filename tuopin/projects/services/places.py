"""Resolving the places a plan names ("牛栏江镇/荒田/大麦地", "杨家村") in the region tree."""

from tuopin.regions.models import Region


class PlaceIndex:
    """The region tree in memory, for resolving the places a plan names (one query per load)."""

    def __init__(self) -> None:
        self.regions = list(Region.objects.order_by("path"))
        self.by_path = {r.path: r for r in self.regions}

    @staticmethod
    def _match(candidates: list[Region], name: str) -> list[Region]:
        exact = [r for r in candidates if r.name == name]
        found = exact or [r for r in candidates if r.name.startswith(name)]
        if len(found) > 1:
            top = min(r.level for r in found)
            found = [r for r in found if r.level == top]
        return found

    def resolve(self, spec: str) -> Region | None:
        """The region a place written as the plan names it ("牛栏江镇/荒田/大麦地", "杨家村") stands for,
        or None when it is not in the tree or not unique. Names match exactly or as the start of the
        region's name (荒田 → 荒田村委会); an ambiguous name prefers the higher level."""
        names = [n for n in spec.split("/") if n]
        if not names:
            return None
        found = self._match(self.regions, names[0])
        for name in names[1:]:
            if len(found) != 1:
                return None
            node = found[0]
            below = [r for r in self.regions if r.path.startswith(node.path) and r.pk != node.pk]
            found = self._match(below, name)
        return found[0] if len(found) == 1 else None

    def resolve_all(self, specs: list[str]) -> Region | None:
        """Several places (the two ends of a road) resolve to their lowest common ancestor."""
        regions: list[Region] = []
        for spec in specs:
            region = self.resolve(spec)
            if region is None:
                return None
            regions.append(region)
        if not regions:
            return None
        prefix = regions[0].path
        for region in regions[1:]:
            while not region.path.startswith(prefix):
                prefix = prefix[: prefix[:-1].rfind("/") + 1]
                if not prefix:
                    return None
        return self.by_path.get(prefix)
