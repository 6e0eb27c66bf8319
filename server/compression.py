"""gzip for the pages a phone downloads: the PWA's files and the resident page /f/<token>.

Not a blanket middleware (Flask-Compress): the API's JSON stays uncompressed (small bodies, latency
measured elsewhere), the PWA's files are compressed once per version in server/pwa.py, and only the
server-rendered resident page is compressed per response here (a few KB, well under a millisecond).
See docs/decisions.md ("Compression").
"""

import gzip

from flask import Request, Response

COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
)
MIN_SIZE = 512  # below this a gzip header and trailer outweigh the saving


def accepts_gzip(request: Request) -> bool:
    """Whether the client takes gzip (Accept-Encoding: gzip, or *, with q > 0)."""
    accepted = request.accept_encodings
    return accepted["gzip"] > 0 if "gzip" in accepted or "*" in accepted else False


def gzip_bytes(data: bytes, level: int = 9) -> bytes:
    # mtime 0: the same input always gives the same bytes (stable ETags, reproducible sizes).
    return gzip.compress(data, compresslevel=level, mtime=0)


def add_vary(response: Response, header: str = "Accept-Encoding") -> None:
    if header.lower() not in {value.lower() for value in response.vary}:
        response.vary.add(header)


def compress_response(response: Response, request: Request, level: int = 6) -> Response:
    """gzip a rendered (in-memory) text response for a client that accepts it; anything else as it is."""
    mimetype = response.mimetype or ""
    if (
        response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or not mimetype.startswith(COMPRESSIBLE)
        or request.method == "HEAD"
    ):
        return response
    add_vary(response)
    data = response.get_data()
    if (
        len(data) < MIN_SIZE
        or response.status_code < 200
        or response.status_code in (204, 304)
        or not accepts_gzip(request)
    ):
        return response
    response.set_data(gzip_bytes(data, level))  # also sets Content-Length
    response.headers["Content-Encoding"] = "gzip"
    return response
