"""Forms read from a rendered page and sent back as a browser sends them.

`forms_on(response)` parses every <form>; `HtmlForm.submit(client)` posts what a
browser would: the form's method and action, each named control's current value
(hidden CSRF token included), the pressed button's name and value, and, for the
required fields the page left empty, a valid value a person would type.

A form on a page shared by anonymous readers carries no tokens; its `data-tokens`
address gives them, and comments.js fills them in before the form is sent.
`submit` does the same (`fill_tokens`), with the same client, so the CSRF cookie
that answer sets is the one the browser sends back.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import resolve

from tests.factories import PASSWORD

NEW_PASSWORD = "a rather long and unusual passphrase 42"
# What a person types into a required field the page left empty, by field name.
TYPED = {
    "body": "The vote was delayed because the committee lacked a quorum, not for politics.",
    "guest_name": "Sam Visitor",
    "guest_email": "sam.visitor@example.net",
    "display_name": "Nora Newcomer",
    "email": "nora.newcomer@example.org",
    "password": PASSWORD,
    "old_password": PASSWORD,
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
    "new_password1": NEW_PASSWORD,
    "new_password2": NEW_PASSWORD,
    "reason": "Off-topic for this post.",
    "note": "It has nothing to do with the vote.",
}
SUBMIT_TYPES = {"submit", "image"}
NOT_SENT_TYPES = {"button", "reset", "file", *SUBMIT_TYPES}


@dataclass
class Control:
    tag: str
    name: str
    type: str = ""
    value: str = ""
    is_required: bool = False
    is_checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)


@dataclass
class HtmlForm:
    page_url: str
    method: str
    action: str
    enctype: str
    tokens_url: str = ""  # data-tokens: where the browser's script fetches the form's tokens
    controls: list[Control] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Where the browser sends it: the action resolved against the page's address."""
        return urljoin(self.page_url, self.action) if self.action else self.page_url

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def url_name(self) -> str:
        """The URL name (`comments:post`) of the view the form is sent to."""
        return resolve(self.path).view_name

    @property
    def target_is_csrf_exempt(self) -> bool:
        return getattr(resolve(self.path).func, "csrf_exempt", False)

    @property
    def csrf_token(self) -> str:
        return next((c.value for c in self.controls if c.name == "csrfmiddlewaretoken"), "")

    @property
    def buttons(self) -> list[Control]:
        return [c for c in self.controls if c.type in SUBMIT_TYPES]

    def data(self, *, typed=None, button: tuple[str, str] | None = None) -> dict:
        """The data a browser sends when `button` (name, value) is pressed (default: the
        first submit button, as pressing Enter does); `typed` is what the person typed."""
        typed = typed or {}
        data: dict[str, list[str]] = {}

        def add(name: str, value: str) -> None:
            data.setdefault(name, []).append(value)

        for control in self.controls:
            if control.type in NOT_SENT_TYPES:
                continue
            if control.tag == "select":
                chosen = [v for v, selected in control.options if selected] or [
                    v for v, _ in control.options[:1]
                ]
                for value in chosen:
                    add(control.name, value)
            elif control.type == "checkbox":
                # A required box is one the person must tick ("I understand…").
                if control.is_checked or control.is_required:
                    add(control.name, control.value)
            elif control.type == "radio":
                if control.is_checked:
                    add(control.name, control.value)
            elif control.type != "hidden" and control.name in typed:
                add(control.name, typed[control.name])
            elif control.value == "" and control.is_required and control.name in TYPED:
                add(control.name, TYPED[control.name])
            else:
                add(control.name, control.value)
        for control in self.controls:
            # A required choice left open: the person picks the first one offered.
            if control.type == "radio" and control.is_required and control.name not in data:
                add(control.name, typed.get(control.name, control.value))
        pressed = button or next(((b.name, b.value) for b in self.buttons), None)
        if pressed and pressed[0]:
            add(*pressed)
        return {name: values if len(values) > 1 else values[0] for name, values in data.items()}

    def fill_tokens(self, client) -> None:
        """As comments.js does: fetch the tokens and put them in the empty hidden fields
        (a submission token already there is kept)."""
        if not self.tokens_url:
            return
        answer = client.get(self.tokens_url, HTTP_ACCEPT="application/json")
        assert answer.status_code == 200, answer.status_code
        tokens = answer.json()
        for control in self.controls:
            if control.name in tokens and (control.name != "submission_token" or not control.value):
                control.value = tokens[control.name]

    def submit(self, client, *, typed=None, button=None):
        """Send the form with `client` as a browser would (redirects are not followed)."""
        self.fill_tokens(client)
        data = self.data(typed=typed, button=button)
        if self.method == "post":
            return client.post(self.url, data)
        return client.get(self.url, data)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.textarea: Control | None = None
        self.select: Control | None = None
        self.option: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self.form = HtmlForm(
                page_url=self.page_url,
                method=(attrs.get("method") or "get").lower(),
                action=attrs.get("action", ""),
                enctype=attrs.get("enctype", ""),
                tokens_url=attrs.get("data-tokens", ""),
            )
            self.forms.append(self.form)
            return
        if self.form is None or "disabled" in attrs:
            return
        name = attrs.get("name", "")
        required = "required" in attrs
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            if name or kind in SUBMIT_TYPES:
                self.form.controls.append(
                    Control("input", name, kind, value, required, "checked" in attrs)
                )
        elif tag == "button":
            kind = (attrs.get("type") or "submit").lower()
            self.form.controls.append(Control("button", name, kind, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = Control("textarea", name, "textarea", "", required)
            self.form.controls.append(self.textarea)
        elif tag == "select" and name:
            self.select = Control("select", name, "select", "", required)
            self.form.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "selected" in attrs, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data
        if self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the newline that directly follows <textarea>.
            self.textarea.value = self.textarea.value.removeprefix("\n")
            self.textarea = None
        elif tag == "option" and self.option is not None:
            value, selected, text = self.option
            self.select.options.append((text.strip() if value is None else value, selected))
            self.option = None
        elif tag == "select":
            self.select = None


def forms_on(response, *, page_url: str | None = None) -> list[HtmlForm]:
    """Every <form> of a rendered page, in document order."""
    parser = _FormParser(page_url or response.wsgi_request.get_full_path())
    parser.feed(response.content.decode())
    return parser.forms


def post_forms_on(response, **kwargs) -> list[HtmlForm]:
    return [form for form in forms_on(response, **kwargs) if form.method == "post"]
