"""QR code of the check-in link as a small SVG, encoded with reportlab's QR encoder (already a dependency).

reportlab's own SVG renderer draws every dark module as a separate rectangle with full styling
(47.6 KB for a check-in link), half the roster's weight on a phone. Here each row's dark runs
become one path in module units, so the image is a few KB before compression and under 3 KB after.
"""

from functools import lru_cache

from reportlab.graphics.barcode import qrencoder

# The quiet zone the QR standard asks for around the symbol, in modules.
QUIET_ZONE = 4


def qr_modules(text: str) -> list[list[bool]]:
    """The dark (True) and light modules of `text`'s QR symbol, error correction level M."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    return [[bool(module) for module in row] for row in code.modules]


# A roster page shows its session's check-in code, which stays the same for the session's life:
# encoding it took most of the page's time (about 19 ms of 32), so each process keeps the most
# recent ones. The result is a pure function of its arguments.
@lru_cache(maxsize=512)
def qr_svg(text: str, size: int = 180) -> str:
    modules = qr_modules(text)
    side = len(modules) + 2 * QUIET_ZONE
    segments = []
    for y, row in enumerate(modules, start=QUIET_ZONE):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            segments.append(f"M{start + QUIET_ZONE} {y}h{x - start}v1h-{x - start}z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {side} {side}" '
        f'shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path d="{"".join(segments)}"/></svg>'
    )
