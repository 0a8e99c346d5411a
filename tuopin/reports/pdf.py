"""Printed documents: one helper turns a template into an A4 PDF with WeasyPrint.

The CJK font is the project's own (``fonts/TuopinSans-Regular.otf``, a subset of Noto Sans CJK SC under the
SIL Open Font License), registered with ``@font-face`` through a file URL, so a document looks the same on
every machine and never depends on the fonts installed there. The fetcher loads nothing but that font: a
template cannot make the renderer read other files or reach the network.
"""

from pathlib import Path
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILE = FONT_DIR / "TuopinSans-Regular.otf"
FONT_FAMILY = "Tuopin Sans"

PRINT_CSS = """
@font-face { font-family: "%(family)s"; src: url("%(url)s"); }
@page {
  size: A4; margin: 18mm 15mm 20mm 15mm;
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
                   font-family: "%(family)s"; font-size: 9pt; color: #555; }
  @bottom-right { content: string(document-title); font-family: "%(family)s"; font-size: 8pt; color: #777; }
}
html { font-family: "%(family)s"; font-size: 10.5pt; line-height: 1.45; color: #111; }
h1 { font-size: 17pt; text-align: center; margin: 0 0 4mm; string-set: document-title content(); }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 0.6pt solid #333; }
p { margin: 1.5mm 0; }
table { width: 100%%; border-collapse: collapse; margin: 2mm 0; page-break-inside: auto; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 0.5pt solid #444; padding: 1.2mm 1.8mm; vertical-align: top; text-align: left; }
th { background: #eee; font-weight: bold; }
td.num, th.num { text-align: right; }
.meta { text-align: center; color: #444; font-size: 9.5pt; }
.muted { color: #555; }
table.compact { font-size: 8.5pt; }
table.compact th, .nowrap { white-space: nowrap; }
table.compact th, table.compact td { padding: 1mm 1.2mm; }
.fields td.label { width: 22%%; background: #f5f5f5; }
.sign { margin-top: 10mm; display: flex; justify-content: space-between; }
"""


class _FontOnlyFetcher(URLFetcher):
    """Loads the bundled fonts and nothing else (no other file, no network)."""

    def fetch(self, url, headers=None):
        if not url.startswith(FONT_DIR.as_uri() + "/"):
            raise ValueError(f"printed documents load no external resource: {url}")
        return super().fetch(url, headers)


def print_stylesheet() -> str:
    return PRINT_CSS % {"family": FONT_FAMILY, "url": FONT_FILE.as_uri()}


def render_pdf(template: str, context: dict, request: HttpRequest | None = None) -> bytes:
    """Render ``template`` (HTML) with ``context`` to an A4 PDF with page numbers, in the bundled font."""
    html = render_to_string(template, context, request=request)
    fetcher = _FontOnlyFetcher(allowed_protocols=("file",))
    font_config = FontConfiguration()
    stylesheet = CSS(string=print_stylesheet(), font_config=font_config, url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher, base_url=FONT_DIR.as_uri() + "/").write_pdf(
        stylesheets=[stylesheet], font_config=font_config
    )


def pdf_response(pdf: bytes, filename: str, *, personal: bool) -> HttpResponse:
    """The PDF as a download; documents with personal data are never stored by a cache."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    if personal:
        response["Cache-Control"] = "no-store"
    return response
