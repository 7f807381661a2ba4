from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self) -> None:
        from django.conf import settings
        from PIL import Image

        # Every Pillow decode in the process refuses decompression bombs at our limit.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
