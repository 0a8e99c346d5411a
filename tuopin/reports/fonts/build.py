"""Rebuild the bundled subset fonts from Noto Sans CJK (SIL Open Font License 1.1).

The printed documents must not depend on the fonts of the machine that renders them, so the project ships
its own CJK font: Noto Sans CJK SC Regular cut down to the characters of GBK (which covers GB2312
and the rarer characters of personal names) plus ASCII and common punctuation. Run once, with the full
fonts at hand (Debian ``fonts-noto-cjk``), and commit the output:

    uv run python tuopin/reports/fonts/build.py /usr/share/fonts/opentype/noto

Uses fontTools (a dependency of WeasyPrint); not imported by the application.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
# index of the Simplified Chinese face in Noto Sans CJK's collection: JP, KR, SC, TC, HK
SC_INDEX = 2
FACES = {"NotoSansCJK-Regular.ttc": "TuopinSans-Regular.otf"}


def characters() -> list[int]:
    """ASCII, Latin-1, the symbol blocks below and every GBK character."""
    points = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    # punctuation, letter-like symbols, number forms, arrows, mathematical operators, enclosed numbers,
    # box drawing and geometric shapes; CJK symbols, enclosed CJK and full-width forms
    points |= set(range(0x2000, 0x2400)) | set(range(0x2460, 0x2700))
    points |= set(range(0x3000, 0x3040)) | set(range(0x3200, 0x3400)) | set(range(0xFF00, 0xFFF0))
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                text = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            points.add(ord(text))
    return sorted(points)


def build(source_dir: Path) -> None:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = False
    unicodes = characters()
    for source, target in FACES.items():
        font = TTCollection(str(source_dir / source)).fonts[SC_INDEX]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        font.save(str(HERE / target))
        print(
            f"{target}: {(HERE / target).stat().st_size / 1e6:.1f} MB, {len(unicodes)} characters requested"
        )


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto"))
