"""Request bodies capped per view, in the app itself (for setups without the proxy's caps).

`RequestLimitsMiddleware` runs once the URL is resolved and before anything
reads the body (it sits ahead of CsrfViewMiddleware, which reads POST):

- The declared Content-Length is checked against the view's cap before a byte
  of the body is read. Forms take `RIPOSTE_FORM_MAX_BYTES`; the views that take
  uploads (`UPLOAD_VIEWS`, the admin) take their file limit on top of that,
  from people who may use them. Past the cap: 413 with the site's error page.
- A view that takes no files gets an upload handler that refuses the first
  file part as soon as its headers arrive, before any of it is stored in memory
  or spooled to disk: 413 too, naming the file. (Django's
  DATA_UPLOAD_MAX_MEMORY_SIZE leaves file parts out of its count.)

A body without Content-Length (chunked) reaches Django as empty under gunicorn,
so the declared length is the whole story here.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render

# URL names of the views that take files, and the setting with their file limit.
UPLOAD_VIEWS = {"accounts:profile-edit": "AVATAR_MAX_BYTES"}
# Admin pages take cover images, and post bodies up to Django's own form-data limit.
ADMIN_FILE_LIMIT = "IMAGE_MAX_BYTES"


def form_max_bytes() -> int:
    return settings.RIPOSTE_FORM_MAX_BYTES


def body_limit(request) -> tuple[int, bool]:
    """The largest body the resolved view takes from this sender, and whether it takes files.

    Uploads count only where a view takes them and from people who may use it
    (signed in; staff for the admin): nobody else can make the app read a large body.
    """
    match, user = request.resolver_match, request.user
    if match.view_name in UPLOAD_VIEWS and user.is_authenticated:
        return getattr(settings, UPLOAD_VIEWS[match.view_name]) + form_max_bytes(), True
    if "admin" in match.namespaces and user.is_staff:
        files = getattr(settings, ADMIN_FILE_LIMIT)
        return files + settings.DATA_UPLOAD_MAX_MEMORY_SIZE, True
    return form_max_bytes(), False


class FilePartRefused(Exception):  # noqa: N818 - names the refusal, as Django's StopUpload does
    """A file came with a form that takes none."""

    def __init__(self, file_name: str) -> None:
        super().__init__(file_name)
        self.file_name = file_name


class RefuseFileParts(FileUploadHandler):
    """Upload handler for views without file fields: the first file part ends the request."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        raise FilePartRefused(file_name)

    def receive_data_chunk(self, raw_data, start):  # never reached: new_file refuses
        return None

    def file_complete(self, file_size):
        return None


def _declared_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


# Behind our proxy a refused body is read and dropped before answering, up to this size:
# nginx has already buffered it (and capped it per path), so reading it is a local copy,
# while answering without reading makes gunicorn close a socket nginx is still writing
# to, and nginx answers 502 instead of our 413. Without a proxy nothing is read: a slow
# or huge sender must not hold the worker.
DRAIN_BEHIND_PROXY_BYTES = 16 * 1024 * 1024


def _refusal(request, reason: str):
    length = _declared_length(request)
    if settings.RIPOSTE_TRUSTED_PROXIES and length <= DRAIN_BEHIND_PROXY_BYTES:
        stream = request.META.get("wsgi.input")
        remaining = length
        while stream is not None and remaining > 0:
            chunk = stream.read(min(remaining, 64 * 1024))
            if not chunk:
                break
            remaining -= len(chunk)
    return render(request, "413.html", {"reason": reason}, status=413)


class RequestLimitsMiddleware:
    """Refuse a body larger than the view takes, or a file where the view takes none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        length = _declared_length(request)
        if length <= form_max_bytes() and request.content_type != "multipart/form-data":
            return None  # every GET and small form: no need to know who is asking
        limit, takes_files = body_limit(request)
        if length > limit:
            return _refusal(
                request,
                f"It was {_size(length)}; this form takes at most {_size(limit)}.",
            )
        if takes_files or request.content_type != "multipart/form-data":
            return None
        request.upload_handlers = [RefuseFileParts()]
        try:
            request.POST  # noqa: B018 - parse now, while the refusal can still be an answer
        except FilePartRefused as refused:
            return _refusal(
                request,
                f"It carried a file ({refused.file_name[:100]}), and this form takes no files.",
            )
        return None


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    return f"{-(-count // 1024)} KB"
