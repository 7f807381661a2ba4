import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import Jinja2

from accounts.forms import NameField
from comments.models import Comment, Flag
from comments.moderation.actions import BAN_MAX_DAYS, REASON_MAX_LENGTH
from comments.moderation.flags import NOTE_MAX_LENGTH
from comments.moderation.screening import Screening, form_age, form_stamp
from comments.posting import MAX_BODY_LENGTH, clean_comment_body

MARKDOWN_HELP = (
    "Markdown: *italic*, **bold**, [link](https://…), > quote, `code`. "
    "Write @16 or #16 to link to comment 16."
)


class BootstrapBoundField(forms.BoundField):
    """A field whose input carries Bootstrap's classes: `form-control`, and `is-invalid`
    when it has errors (what crispy's template pack adds on the other forms)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if not (widget or self.field.widget).is_hidden:
            attrs["class"] = "form-control is-invalid" if self.errors else "form-control"
        return attrs


class CommentForm(forms.ModelForm):
    """The comment box. Guests also give a name and an email; `website` must stay empty.

    It is on every post page, so it is drawn as cheaply as a form can be: its fields
    by templates/comments/_form_field.html rather than crispy's template pack, and its
    inputs by Django's Jinja2 widget templates (the same markup, a few times faster).
    """

    bound_field_class = BootstrapBoundField
    default_renderer = Jinja2()

    parent = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "invalid": "The comment you are replying to is not a valid comment number.",
            "min_value": "The comment you are replying to is not a valid comment number.",
        },
    )
    submission_token = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # When the form was served, signed: a guest's form sent back too fast is held.
    stamp = forms.CharField(required=False, widget=forms.HiddenInput)
    guest_name = NameField(
        label="Name",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    guest_email = forms.EmailField(
        label="Email",
        required=False,
        help_text="Never shown. Used only if a moderator must reach you.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill it in.
    website = forms.CharField(required=False, label="Leave this field empty")

    class Meta:
        model = Comment
        fields = ("body",)
        labels = {"body": "Your comment"}
        help_texts = {"body": MARKDOWN_HELP}
        widgets = {"body": forms.Textarea(attrs={"rows": 6, "maxlength": MAX_BODY_LENGTH})}

    def __init__(self, *args, user=None, with_tokens: bool = True, **kwargs):
        """`with_tokens=False`: a form on a page shared by every anonymous reader, whose
        submission token and stamp are fetched when the reader starts writing."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["body"].strip = False
        self.fields["body"].error_messages["required"] = "Write something before posting."
        if not self.is_bound and with_tokens:
            self.initial.setdefault("submission_token", uuid.uuid4())
            self.initial.setdefault("stamp", form_stamp())
        if user is not None and user.is_authenticated:
            del self.fields["guest_name"]
            del self.fields["guest_email"]
        else:
            self.fields["guest_name"].required = True
            self.fields["guest_email"].required = True

    def clean_body(self) -> str:
        return clean_comment_body(self.cleaned_data.get("body", ""))

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError("This field must stay empty.")
        return ""

    def screening(self) -> Screening:
        """What the form tells the spam rules (call after is_valid())."""
        return Screening(form_age=form_age(self.cleaned_data.get("stamp")))


class CommentEditForm(forms.Form):
    """Editing one's own comment. A plain form: the write function saves, not the form."""

    body = forms.CharField(
        label="Your comment",
        strip=False,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MAX_BODY_LENGTH}),
        error_messages={"required": "Write something before saving."},
    )

    def clean_body(self) -> str:
        return clean_comment_body(self.cleaned_data.get("body", ""))


class FlagForm(forms.ModelForm):
    """A reader's flag: what is wrong, and in their words when it is "something else"."""

    class Meta:
        model = Flag
        fields = ("reason", "note")
        labels = {"reason": "What is wrong with this comment?", "note": "In your words"}
        help_texts = {"note": "Optional, unless you chose “something else”. Moderators read it."}
        widgets = {
            "reason": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_LENGTH}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio list needs no empty choice; the model's help text is for moderators.
        self.fields["reason"].choices = Flag.Reason.choices
        self.fields["reason"].help_text = ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Flag.Reason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", "Say in a few words what is wrong with the comment.")
        return cleaned


BAN_LENGTHS = (("1", "1 day"), ("7", "7 days"), ("30", "30 days"), ("0", "for good"))


class ModerateForm(forms.Form):
    """The quick moderation form under each comment on the post page (moderators only).

    A ban or a delete for good first answers with a confirmation page saying what will
    happen; that page sends the same fields back with `confirm` set.
    """

    ACTIONS = ("publish", "remove", "spam", "restore", "dismiss", "ban", "delete")
    CONFIRMED_ACTIONS = frozenset({"ban", "delete"})

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    reason = forms.CharField(required=False, max_length=REASON_MAX_LENGTH)
    ban_days = forms.TypedChoiceField(
        choices=BAN_LENGTHS, coerce=int, required=False, empty_value=7
    )
    shadow = forms.BooleanField(required=False)
    confirm = forms.BooleanField(required=False)

    def needs_confirmation(self) -> bool:
        """A ban or delete not yet confirmed (call after is_valid())."""
        data = self.cleaned_data
        return data["action"] in self.CONFIRMED_ACTIONS and not data["confirm"]

    def ban_length(self) -> int | None:
        """Days of the ban, or None for good (call after is_valid())."""
        days = self.cleaned_data.get("ban_days")
        return None if days == 0 else min(days or 7, BAN_MAX_DAYS)


class ThreadCloseForm(forms.Form):
    """Close or reopen a post's comments, with an optional reason for the log."""

    reason = forms.CharField(required=False, max_length=REASON_MAX_LENGTH)
