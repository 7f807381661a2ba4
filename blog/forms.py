from django import forms

from blog.images import validate_image
from blog.models import Post


class CoverImageField(forms.ImageField):
    """Decodes with our limits first, so a bomb gets our "too many pixels" message."""

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image(data)
        return super().to_python(data)


class PostAdminForm(forms.ModelForm):
    """The author's editing form; the model validates the cover by decoding it."""

    class Meta:
        model = Post
        fields = (
            "title",
            "slug",
            "body",
            "excerpt",
            "cover_image",
            "cover_image_alt",
            "category",
            "tags",
            "status",
            "published_at",
            "allow_comments",
        )
        field_classes = {"cover_image": CoverImageField}
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "class": "vLargeTextField"})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cover_image") and not cleaned.get("cover_image_alt"):
            self.add_error(
                "cover_image_alt", "Describe the cover picture for readers who cannot see it."
            )
        return cleaned
