"""Account forms. They check single fields; the functions in registration.py and
profiles.py save, and check everything that involves other accounts."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from accounts import avatars
from accounts.models import BIO_MAX_LENGTH, User
from accounts.names import MAX_NAME_LENGTH, NAME_TOO_LONG, clean_display_name
from accounts.registration import account_email_enqueue
from blog.characters import refuse_xml_forbidden

NAME_HELP = (
    f"Shown with your comments; at most {MAX_NAME_LENGTH} characters. Nobody else can use it "
    "or a name that looks like it."
)


class NameField(forms.CharField):
    """A display or guest name: the limit of `clean_display_name`, with its message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {})["max_length"] = NAME_TOO_LONG
        super().__init__(max_length=MAX_NAME_LENGTH, **kwargs)


class SignInForm(AuthenticationForm):
    """Django's sign-in form, taking an email address or a username."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email or username"
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "maxlength": 254})
        self.error_messages["invalid_login"] = (
            "The email address (or username) and password don't match an account. "
            "Passwords are case-sensitive."
        )


class SignUpForm(forms.Form):
    display_name = NameField(label="Display name", help_text=NAME_HELP)
    email = forms.EmailField(
        label="Email",
        help_text="Never shown. We send a link to it; you can comment once you follow it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill it in.
    website = forms.CharField(required=False, label="Leave this field empty")

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data.get("display_name", ""))

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise ValidationError("The two passwords differ; type the same password twice.")
        return second

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError("This field must stay empty.")
        return ""


class ProfileForm(forms.Form):
    """What a reader may change on their own profile. Nothing else is read from the request."""

    display_name = NameField(label="Display name", help_text=NAME_HELP)
    bio = forms.CharField(
        label="About you",
        required=False,
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A few sentences, in Markdown: *italic*, **bold**, [link](https://…).",
    )
    avatar = forms.FileField(
        label="Picture",
        required=False,
        help_text=f"JPEG, PNG, WebP or GIF, at most {avatars.max_bytes() // 1_048_576} MB. "
        "Location and camera data are removed; the picture is cropped to a square.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_avatar = forms.BooleanField(label="Remove my picture", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data.get("display_name", ""))

    def clean_bio(self) -> str:
        bio = self.cleaned_data.get("bio", "")
        refuse_xml_forbidden(bio)
        return bio

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if upload:
            avatars.upload_count(user_pk=self.user.pk)
            avatars.validate_avatar(upload)
        return upload


class PasswordCheckedForm(forms.Form):
    """A form the signed-in owner confirms with their current password (field `password`)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise ValidationError("That is not your password.")
        return password


class EmailChangeForm(PasswordCheckedForm):
    email = forms.EmailField(
        label="New email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )


class AccountDeleteForm(PasswordCheckedForm):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand: my account goes; my comments stay, shown as “[deleted account]”.",
    )


class NotificationSettingsForm(forms.Form):
    is_notified_of_replies = forms.BooleanField(
        label="Email me when someone replies to my comments", required=False
    )
    email_frequency = forms.ChoiceField(
        label="How",
        choices=User.EmailFrequency.choices,
        widget=forms.RadioSelect,
        help_text="Applies to replies and to the posts you follow.",
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, its email queued as a job in the request's transaction."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        account_email_enqueue(
            to=to_email,
            subject=render_to_string(subject_template_name, context),
            body=render_to_string(email_template_name, context),
        )
