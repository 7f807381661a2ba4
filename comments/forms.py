import uuid

from django import forms
from django.core.exceptions import ValidationError

from comments.models import Comment
from comments.posting import MAX_BODY_LENGTH, clean_comment_body

MARKDOWN_HELP = (
    "Markdown: *italic*, **bold**, [link](https://…), > quote, `code`. "
    "Write @16 or #16 to link to comment 16."
)


class CommentForm(forms.ModelForm):
    """The comment box. Guests also give a name and an email; `website` must stay empty."""

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
    guest_name = forms.CharField(
        label="Name",
        max_length=60,
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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["body"].strip = False
        self.fields["body"].error_messages["required"] = "Write something before posting."
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
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
